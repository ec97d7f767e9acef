package cms

import (
	"bytes"
	"errors"
	"net/http"
	"reflect"
	"strings"

	"kmopsite/build"
	"kmopsite/mdmerge"
	"kmopsite/yamledit"
)

// Saving changes only what the editor changed. Decap sends a whole file,
// serialised its own way (its key order, its quoting); the backend
// compares it with the file on disk value by value and edits the file's
// own text only where a value differs: an unchanged save leaves the file
// byte for byte as it was, an edited field changes its own lines, and
// comments, key order, quoting, line endings and the Markdown body
// elsewhere stay as they were.

// composed is a file as it will be written.
type composed struct {
	path    string
	data    []byte
	old     []byte // nil for a new file
	changed bool
}

// compose merges each data file of a save into the file on disk (read by
// old), then records translations' source_hash (translations.go).
func (b *Backend) compose(files []dataFile, old func(string) ([]byte, error)) ([]composed, error) {
	var out []composed
	for _, f := range files {
		if err := allowed(f.Path, writeFile); err != nil {
			return nil, err
		}
		prev, err := old(f.Path)
		if err != nil {
			return nil, err
		}
		data, err := mergeFile(f.Path, prev, []byte(f.Raw))
		if err != nil {
			return nil, err
		}
		out = append(out, composed{path: f.Path, data: data, old: prev, changed: prev == nil || !bytes.Equal(prev, data)})
	}
	out, err := b.tieSources(out, old)
	if err != nil {
		return nil, err
	}
	if err := b.recordSourceHashes(out, old); err != nil {
		return nil, err
	}
	return out, nil
}

// mergeFile merges what the CMS sent for one file into its text on disk:
// a page's front matter with yamledit and its body with mdmerge, a words
// file or site.yaml with yamledit, each under its policy.
func mergeFile(name string, old, raw []byte) ([]byte, error) {
	switch {
	case strings.HasSuffix(name, ".md"):
		return mergePage(name, old, raw)
	case name == "site.yaml":
		if old == nil {
			return nil, refuse(http.StatusForbidden, "site.yaml does not exist; the editor only changes an existing one")
		}
		return mergeYAML(name, old, raw, siteYAMLPolicy)
	default: // words files
		if old == nil {
			return nil, refuse(http.StatusForbidden, "%s does not exist; words files are made by a developer", name)
		}
		return mergeYAML(name, old, raw, wordsPolicy)
	}
}

// mergeYAML is yamledit.Merge with its refusals as the editor reads them.
func mergeYAML(name string, old, raw []byte, pol yamledit.Policy) ([]byte, error) {
	out, err := yamledit.Merge(old, raw, pol)
	if err != nil {
		return nil, yamlRefusal(name, err)
	}
	return out, nil
}

// yamlRefusal turns yamledit's error into a refusal with its status.
func yamlRefusal(name string, err error) error {
	var e *yamledit.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Kind {
	case yamledit.OldInvalid:
		return refuse(http.StatusConflict, "%s on disk is not valid YAML (%v); fix it in a text editor or run kmopsite check", name, e.Err)
	case yamledit.NewInvalid:
		return refuse(http.StatusBadRequest, "%s: the saved text is not valid YAML: %v", name, e.Err)
	case yamledit.NotMapping:
		return refuse(http.StatusBadRequest, "%s: the saved text is not a mapping of keys to values", name)
	case yamledit.NotEditable:
		if name == "site.yaml" {
			return refuse(http.StatusForbidden, "%s: %s cannot be changed in the editor (only the menus, footer links and contact details of site.yaml can)", name, strings.Join(e.Path, "."))
		}
		return refuse(http.StatusForbidden, "%s: %s cannot be changed in the editor", name, strings.Join(e.Path, "."))
	case yamledit.Alias:
		return refuse(http.StatusBadRequest, "%s:%d: YAML anchors and aliases (&name, *name) are not accepted: write the value out", name, e.Line)
	case yamledit.TooLarge:
		return refuse(http.StatusRequestEntityTooLarge, "%s: more than %d values; a file the editor saves holds far fewer", name, yamledit.MaxNodes)
	}
	return refuse(http.StatusBadRequest, "%s: %v", name, err)
}

// frontMatterPolicy removes the CMS's own fields when it stops sending
// them and keeps the keys it does not know (source_hash, raw keys).
var frontMatterPolicy = yamledit.Policy{
	Deletes: func(p []string) bool { return len(p) == 1 && cmsFrontKeys()[p[0]] },
}

// wordsPolicy changes any word and removes none.
var wordsPolicy = yamledit.Policy{}

// siteYAMLPolicy lets an editor change the menus, the footer links and
// the contact details, and nothing else of site.yaml.
var siteYAMLPolicy = yamledit.Policy{
	Editable: func(p []string) bool {
		if len(p) == 0 {
			return false
		}
		switch p[0] {
		case "contact":
			return true
		case "languages":
			return len(p) >= 3 && (p[2] == "menu" || p[2] == "footer")
		}
		return false
	},
}

// cmsFrontKeys are the front-matter keys the CMS shows as fields.
func cmsFrontKeys() map[string]bool {
	keys := map[string]bool{}
	t := reflect.TypeFor[build.FrontMatter]()
	for i := range t.NumField() {
		k, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if k != "" && k != "-" && !managedFields[k] {
			keys[k] = true
		}
	}
	return keys
}

// page is a Markdown file cut in three: the text before the front
// matter's YAML (the opening ---), the YAML, and the rest (the closing
// --- and the body).
type page struct {
	head, yaml, close, body []byte
	crlf                    bool
}

// splitPage cuts a page, with its line endings turned into \n when the
// file uses \r\n (crlf records it).
func splitPage(data []byte) (page, bool) {
	var p page
	if bytes.Contains(data, []byte("\r\n")) {
		p.crlf = true
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	}
	bom := []byte("\ufeff")
	start := 0
	if bytes.HasPrefix(data, bom) {
		start = len(bom)
	}
	first, _, ok := bytes.Cut(data[start:], []byte("\n"))
	if !ok || string(bytes.TrimRight(first, " ")) != "---" {
		return p, false
	}
	yamlStart := start + len(first) + 1
	off := yamlStart
	for off <= len(data) {
		line, _, found := bytes.Cut(data[off:], []byte("\n"))
		if string(bytes.TrimRight(line, " ")) == "---" {
			end := off + len(line)
			if found {
				end++
			}
			p.head, p.yaml, p.close, p.body = data[:yamlStart], data[yamlStart:off], data[off:end], data[end:]
			return p, true
		}
		if !found {
			break
		}
		off += len(line) + 1
	}
	return p, false
}

func (p page) bytes() []byte {
	out := bytes.Join([][]byte{p.head, p.yaml, p.close, p.body}, nil)
	if p.crlf {
		out = bytes.ReplaceAll(out, []byte("\n"), []byte("\r\n"))
	}
	return out
}

// mergePage merges a page: its front matter key by key (yamledit), its
// body line by line (mdmerge). A new page is the CMS's text, checked.
func mergePage(name string, old, raw []byte) ([]byte, error) {
	np, ok := splitPage(raw)
	if !ok {
		if old != nil {
			if _, had := splitPage(old); had {
				return nil, refuse(http.StatusBadRequest, "%s: the saved text has no front matter", name)
			}
		}
		if n := mdmerge.Lines(raw); n > mdmerge.MaxLines {
			return nil, refuse(http.StatusRequestEntityTooLarge, "%s: %v; split it into several pages", name, &mdmerge.TooLongError{Lines: n})
		}
		return raw, nil // no front matter to keep: the CMS's text is the file
	}
	if _, err := yamledit.Check(np.yaml); err != nil {
		return nil, yamlRefusal(name, err)
	}
	if n := mdmerge.Lines(np.body); n > mdmerge.MaxLines {
		return nil, refuse(http.StatusRequestEntityTooLarge, "%s: %v; split it into several pages", name, &mdmerge.TooLongError{Lines: n})
	}
	if old == nil {
		return raw, nil
	}
	op, ok := splitPage(old)
	if !ok {
		return raw, nil // no front matter to keep: the CMS's text is the file
	}
	fm, err := mergeYAML(name, op.yaml, np.yaml, frontMatterPolicy)
	if err != nil {
		return nil, err
	}
	op.yaml = fm
	body, err := mdmerge.Merge(op.body, np.body)
	if err != nil {
		return nil, refuse(http.StatusRequestEntityTooLarge, "%s: %v; split it into several pages", name, err)
	}
	op.body = body
	return op.bytes(), nil
}
