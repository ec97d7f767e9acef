package build

import (
	"bytes"
	"errors"
	"io/fs"
	"kmopsite/diag"
	"kmopsite/settings"
	"path"
	"sort"
	"strings"
	"time"
)

// FrontMatter is the YAML block at the top of a Markdown page.
type FrontMatter struct {
	Title          string   `yaml:"title"`
	Description    string   `yaml:"description"`
	Weight         int      `yaml:"weight"`
	Draft          bool     `yaml:"draft"`
	Date           string   `yaml:"date"`     // YYYY-MM-DD; news posts
	Reviewed       string   `yaml:"reviewed"` // YYYY-MM-DD; when the content was last checked
	Slug           string   `yaml:"slug"`     // the last segment of the URL
	Aliases        []string `yaml:"aliases"`  // old URLs that redirect here
	Layout         string   `yaml:"layout"`
	TOC            bool     `yaml:"toc"`
	TranslationKey string   `yaml:"translation_key"`
	RawHTML        bool     `yaml:"raw_html"`
	// SourceHash is, on a translation, the hash of the default language's
	// page that it was translated from; check reports it stale when the
	// source has changed since.
	SourceHash string `yaml:"source_hash"`
}

// Kind tells the home page, section index pages and ordinary pages apart.
type Kind uint8

const (
	KindPage Kind = iota
	KindSection
	KindHome
)

// Page is one Markdown file and everything the build learns about it.
type Page struct {
	File  string // site-relative path: content/nl/kmop-norm.md
	Lang  string // nl
	Rel   string // path inside the language folder: kmop-norm.md, nieuws/_index.md
	Kind  Kind
	Front FrontMatter
	Hash  string // of the source bytes, for stale translations

	src        source
	front      *diag.Doc // where the front matter's keys and values are written
	bodyOffset int       // byte offset of the Markdown body in the file
	body       *body     // the Markdown as HTML, with holes for its links' destinations
	key        parseKeys // of what was parsed, for a Builder used again (memo.go)
	links      []pageLink
	assetRefs  []assetRef // images and files under /assets/ the page links to
	ids        map[string]bool
	Headings   []Heading // level 2 and 3, for the table of contents

	// Set by the link step.
	URL          string  // /nl/kmop-norm/
	Layout       string  // the layout used to render it
	Section      *Page   // the section it belongs to; nil for home
	Pages        []*Page // for sections and home: the pages directly below, ordered
	Translations []*Page // the same page in other languages, in site order
	Output       string  // file written: nl/kmop-norm/index.html
	Scheduled    bool    // dated after the day of the build (shown only in a preview)
}

// Heading is a heading with its anchor id.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// assetRef is a link or image to a file under /assets/.
type assetRef struct {
	path   string // assets/img/audit.jpg
	offset int    // byte offset in the file
}

// pageLink is a link from Markdown to another content file.
type pageLink struct {
	dest   string // the destination as written
	target string // file path relative to the language folder
	anchor string
	offset int // byte offset in the file, for diagnostics
}

// IsNews reports whether the page is a dated post.
func (p *Page) IsNews() bool { return p.Front.Date != "" && p.Kind == KindPage }

// Dir is the folder of the page inside its language: "" or "nieuws".
func (p *Page) Dir() string {
	d := path.Dir(p.Rel)
	if d == "." {
		return ""
	}
	return d
}

// Title is the page's title.
func (p *Page) Title() string { return p.Front.Title }

// DateTime parses the date of a post.
func (p *Page) DateTime() time.Time {
	t, _ := time.Parse(time.DateOnly, p.Front.Date)
	return t
}

// scanContent lists the Markdown files of every language.
func scanContent(fsys fs.FS, cfg *settings.Site) ([]string, Diagnostics) {
	var files []string
	var diags Diagnostics
	err := fs.WalkDir(fsys, "content", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && p != "content" {
				return fs.SkipDir
			}
			return nil
		}
		rel := strings.TrimPrefix(p, "content/")
		lang, _, _ := strings.Cut(rel, "/")
		if !strings.Contains(rel, "/") {
			diags = append(diags, Diagnostic{File: p, Msg: "file outside a language folder",
				Hint: "move it into content/" + cfg.DefaultLang().Code + "/ or another language folder"})
			return nil
		}
		if cfg.Lang(lang) == nil {
			if cfg.Unread() {
				return fs.SkipDir // site.yaml's error says it all
			}
			diags = append(diags, Diagnostic{File: p, Msg: "folder content/" + lang + " is not a language of site.yaml",
				Hint: strings.TrimSpace(didYouMean(lang, langCodes(cfg)) + " add the language to site.yaml, or rename the folder")})
			return fs.SkipDir
		}
		if strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		diags = append(diags, Diagnostic{File: "content", Msg: err.Error()})
	}
	sort.Strings(files)
	return files, diags
}

func langCodes(cfg *settings.Site) []string {
	var codes []string
	for _, l := range cfg.Languages {
		codes = append(codes, l.Code)
	}
	return codes
}

// readPage reads one Markdown file and its front matter.
func readPage(fsys fs.FS, file string) (*Page, Diagnostics) {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, Diagnostics{{File: file, Msg: err.Error()}}
	}
	rel := strings.TrimPrefix(file, "content/")
	lang, rel, _ := strings.Cut(rel, "/")
	p := &Page{File: file, Lang: lang, Rel: rel, src: source{path: file, data: data}}
	switch {
	case rel == "_index.md":
		p.Kind = KindHome
	case path.Base(rel) == "_index.md":
		p.Kind = KindSection
	}
	diags := parseFrontMatter(p)
	// The hash of what a translator translates: title, description, body.
	p.Hash = PageHash(p.Front.Title, p.Front.Description, data[p.bodyOffset:])
	return p, diags
}

// parseFrontMatter splits the front matter off without shifting line
// numbers: positions in the body stay positions in the file.
func parseFrontMatter(p *Page) Diagnostics {
	data := p.src.data
	start, end, bodyOffset, ok := diag.FrontMatter(data)
	if !ok {
		if bytes.HasPrefix(data, []byte("---")) {
			return Diagnostics{p.src.at(1, 1, "end the front matter with a line of three dashes: ---", "front matter is not closed")}
		}
		return Diagnostics{p.src.at(1, 1, "start the file with a front-matter block:\n---\ntitle: …\ndescription: …\n---", "missing front matter with title and description")}
	}
	p.bodyOffset = bodyOffset
	var diags Diagnostics
	p.front, diags = diag.DecodeYAML(p.src.diag(), start, end, &p.Front)
	if diag.SyntaxError(diags) {
		return diags // no key could be read: "missing title" would be noise
	}
	fm := &p.Front
	fmLine := func(key string) (int, int) { return p.src.pos(p.front.Key(key)) }
	// A draft may be unfinished: its missing title or description is a
	// warning until draft: true is removed.
	severity := Error
	if fm.Draft {
		severity = Warning
	}
	if strings.TrimSpace(fm.Title) == "" {
		d := p.src.at(1, 1, "add a line such as: title: "+TitleExample, "missing title")
		d.Severity = severity
		diags = append(diags, d)
	}
	if strings.TrimSpace(fm.Description) == "" {
		d := p.src.at(1, 1, "add a line such as: description: "+DescriptionHint, "missing description")
		d.Severity = severity
		diags = append(diags, d)
	}
	for _, f := range []struct{ key, val string }{{"date", fm.Date}, {"reviewed", fm.Reviewed}} {
		if f.val == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, f.val); err != nil {
			l, c := fmLine(f.key)
			diags = append(diags, p.src.at(l, c, "write the date as YYYY-MM-DD, such as 2026-02-01", "%s %q is not a date", f.key, f.val))
		}
	}
	if fm.Slug != "" && (strings.ContainsAny(fm.Slug, "/?# ") || fm.Slug != strings.ToLower(fm.Slug)) {
		l, c := fmLine("slug")
		diags = append(diags, p.src.at(l, c, "use lowercase letters, digits and dashes, such as kmop-norm", "slug %q cannot be part of an address", fm.Slug))
	}
	return diags
}

// frontKey is where the front-matter key is written, or the top of the
// file when it is not.
func (p *Page) frontKey(key string) (line, col int) {
	if p.front == nil || !p.front.Has(key) {
		return 1, 1
	}
	return p.src.pos(p.front.Key(key))
}

// frontValue is where the value of the front-matter key is written, or
// the top of the file when the key is not.
func (p *Page) frontValue(key string) (line, col int) {
	if p.front == nil || !p.front.Has(key) {
		return 1, 1
	}
	return p.src.pos(p.front.Value(key))
}
