package cms

import (
	"bytes"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/aymanbagabas/go-udiff/lcs"
	"go.yaml.in/yaml/v3"

	"kmopsite/build"
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
	if err := b.recordSourceHashes(out, old); err != nil {
		return nil, err
	}
	return out, nil
}

// mergeFile merges what the CMS sent for one file into its text on disk.
func mergeFile(name string, old, raw []byte) ([]byte, error) {
	if err := checkReceived(name, raw); err != nil {
		return nil, err
	}
	switch {
	case strings.HasSuffix(name, ".md"):
		if old == nil {
			return raw, nil
		}
		return mergePage(name, old, raw)
	case name == "site.yaml":
		if old == nil {
			return nil, refuse(http.StatusForbidden, "site.yaml does not exist; the editor only changes an existing one")
		}
		return mergeYAMLFile(name, old, raw, siteYAMLPolicy)
	default: // words files
		if old == nil {
			return nil, refuse(http.StatusForbidden, "%s does not exist; words files are made by a developer", name)
		}
		return mergeYAMLFile(name, old, raw, wordsPolicy)
	}
}

// policy says what a save may do to a YAML document.
type policy struct {
	// deletes reports whether a key that the CMS no longer sends is
	// removed (a field the editor emptied) rather than kept (a key the
	// CMS does not know).
	deletes func(path []string) bool
	// editable reports whether the value at path may change.
	editable func(path []string) bool
}

// frontMatterPolicy removes the CMS's own fields when it stops sending
// them and keeps the keys it does not know (source_hash, raw keys).
var frontMatterPolicy = policy{
	deletes: func(p []string) bool {
		if len(p) != 1 {
			return false
		}
		return cmsFrontKeys()[p[0]]
	},
	editable: func([]string) bool { return true },
}

var wordsPolicy = policy{
	deletes:  func([]string) bool { return false },
	editable: func([]string) bool { return true },
}

// siteYAMLPolicy lets an editor change the menus, the footer links and
// the contact details, and nothing else of site.yaml.
var siteYAMLPolicy = policy{
	deletes: func([]string) bool { return false },
	editable: func(p []string) bool {
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

// mergePage merges a page: its front matter key by key, its body whole
// when its text changed (trailing blank lines aside).
func mergePage(name string, old, raw []byte) ([]byte, error) {
	op, ok := splitPage(old)
	if !ok {
		return raw, nil // no front matter to keep: the CMS's text is the file
	}
	np, ok := splitPage(raw)
	if !ok {
		return nil, refuse(http.StatusBadRequest, "%s: the saved text has no front matter", name)
	}
	fm, err := mergeYAML(name, op.yaml, np.yaml, frontMatterPolicy)
	if err != nil {
		return nil, err
	}
	op.yaml = fm
	if !bytes.Equal(bytes.TrimRight(op.body, "\n"), bytes.TrimRight(np.body, "\n")) {
		op.body = mergeBody(op.body, np.body)
	}
	return op.bytes(), nil
}

// Budgets of what a save may hold, so that any request ends in bounded
// time and memory under the backend's lock.
const (
	// MaxYAMLNodes is the most values (keys, scalars, lists, mappings)
	// the YAML of one saved file may have; the largest words file has a
	// few thousand.
	MaxYAMLNodes = 50_000
	// MaxBodyLines is the most lines the text of a page may have.
	MaxBodyLines = 20_000
)

// checkReceived refuses YAML that the CMS never sends and that only
// costs: aliases (*name, whose expansion grows exponentially with their
// nesting), anchors (&name), and more than MaxYAMLNodes values; and a
// page's text of more than MaxBodyLines lines.
func checkReceived(name string, raw []byte) error {
	text := raw
	if strings.HasSuffix(name, ".md") {
		pg, ok := splitPage(raw)
		if !ok {
			return checkLines(name, raw)
		}
		if err := checkLines(name, pg.body); err != nil {
			return err
		}
		text = pg.yaml
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		return refuse(http.StatusBadRequest, "%s: the saved text is not valid YAML: %v", name, err)
	}
	n := 0
	var walk func(*yaml.Node) error
	walk = func(v *yaml.Node) error {
		if n++; n > MaxYAMLNodes {
			return refuse(http.StatusRequestEntityTooLarge, "%s: more than %d values; a file the editor saves holds far fewer", name, MaxYAMLNodes)
		}
		if v.Kind == yaml.AliasNode || v.Anchor != "" {
			return refuse(http.StatusBadRequest, "%s:%d: YAML anchors and aliases (&name, *name) are not accepted: write the value out", name, v.Line)
		}
		for _, c := range v.Content {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(&doc)
}

func checkLines(name string, body []byte) error {
	if n := bytes.Count(body, []byte("\n")); n > MaxBodyLines {
		return refuse(http.StatusRequestEntityTooLarge, "%s: the text has %d lines, more than the %d a page may have; split it into several pages", name, n, MaxBodyLines)
	}
	return nil
}

// mergeBody keeps the old body's lines where the new body says the same
// thing in Decap's Markdown: its rich-text editor writes the whole body
// again (lists with "*", tables padded, characters escaped), so the lines
// of both are aligned (a longest common subsequence) by what they say,
// each kept line in its old form, and only the lines the editor changed
// or added take the new text.
func mergeBody(old, new []byte) []byte {
	// The blank lines between the front matter and the text say nothing
	// in Markdown, and Decap drops them when its editor writes the body:
	// the file's are kept.
	if lead := len(old) - len(bytes.TrimLeft(old, "\n")); lead > 0 && len(bytes.TrimLeft(new, "\n")) == len(new) {
		return append(old[:lead:lead], mergeBody(old[lead:], new)...)
	}
	o := strings.Split(strings.TrimRight(string(old), "\n"), "\n")
	n := strings.Split(strings.TrimRight(string(new), "\n"), "\n")
	ko, kn := make([]string, len(o)), make([]string, len(n))
	for i, l := range o {
		ko[i] = mdKey(l)
	}
	for i, l := range n {
		kn[i] = mdKey(l)
	}
	// The lines are aligned by Myers' algorithm in linear space, its
	// search bounded (lcs.DiffLines): each run of lines the editor kept
	// keeps its old form, each run they changed takes the new text.
	var out []string
	i := 0
	for _, d := range lcs.DiffLines(ko, kn) {
		out = append(out, o[i:d.Start]...)
		out = append(out, n[d.ReplStart:d.ReplEnd]...)
		i = d.End
	}
	out = append(out, o[i:]...)
	body := strings.Join(out, "\n")
	if body != "" || bytes.HasSuffix(old, []byte("\n")) {
		body += "\n"
	}
	return []byte(body)
}

var (
	mdBullet  = regexp.MustCompile(`^\s*[-*+]\s+`)
	mdOrdered = regexp.MustCompile(`^\s*\d+[.)]\s+`)
	mdEscape  = regexp.MustCompile(`\\([\\` + "`" + `*_{}\[\]()#+\-.!|<>~&])`)
	mdRule    = regexp.MustCompile(`^:?-+:?$`)
)

// mdKey is what a Markdown line says, without the choices of how to write
// it: the list marker, indentation, escapes, emphasis with _ or *, a
// table's padding and the length of its rule.
func mdKey(line string) string {
	l := strings.TrimSpace(line)
	if mdBullet.MatchString(line) && !strings.HasPrefix(l, "**") && !strings.HasPrefix(l, "---") {
		l = "- " + mdBullet.ReplaceAllString(line, "")
	}
	l = mdOrdered.ReplaceAllString(l, "1. ")
	l = mdEscape.ReplaceAllString(l, "$1")
	l = strings.ReplaceAll(l, "__", "**")
	if strings.HasPrefix(l, "|") {
		cells := strings.Split(strings.Trim(l, "|"), "|")
		for i, c := range cells {
			c = strings.TrimSpace(c)
			if mdRule.MatchString(c) {
				c = strings.Trim(c, "-") + "-"
			}
			cells[i] = c
		}
		l = "|" + strings.Join(cells, "|") + "|"
	}
	return l
}

// mergeYAMLFile merges a whole YAML file, keeping its line endings.
func mergeYAMLFile(name string, old, raw []byte, pol policy) ([]byte, error) {
	crlf := bytes.Contains(old, []byte("\r\n"))
	if crlf {
		old = bytes.ReplaceAll(old, []byte("\r\n"), []byte("\n"))
	}
	raw = bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
	out, err := mergeYAML(name, old, raw, pol)
	if err != nil {
		return nil, err
	}
	if crlf {
		out = bytes.ReplaceAll(out, []byte("\n"), []byte("\r\n"))
	}
	return out, nil
}

// mergeYAML returns old's text with the values that differ in raw
// edited in place.
func mergeYAML(name string, old, raw []byte, pol policy) ([]byte, error) {
	var on, nn yaml.Node
	if err := yaml.Unmarshal(old, &on); err != nil {
		return nil, refuse(http.StatusConflict, "%s on disk is not valid YAML (%v); fix it in a text editor or run kmopsite check", name, err)
	}
	if err := yaml.Unmarshal(raw, &nn); err != nil {
		return nil, refuse(http.StatusBadRequest, "%s: the saved text is not valid YAML: %v", name, err)
	}
	newRoot := docRoot(&nn)
	oldRoot := docRoot(&on)
	if oldRoot == nil || oldRoot.Kind != yaml.MappingNode || len(oldRoot.Content) == 0 {
		if newRoot == nil || isEmpty(newRoot) {
			return old, nil
		}
		if !pol.editable(nil) && !pol.deletes(nil) && name == "site.yaml" {
			return nil, refuse(http.StatusForbidden, "site.yaml: only the menus, footer links and contact details can be changed here")
		}
		out, err := yaml.Marshal(newRoot)
		return out, err
	}
	if newRoot == nil || newRoot.Kind != yaml.MappingNode {
		return nil, refuse(http.StatusBadRequest, "%s: the saved text is not a mapping of keys to values", name)
	}
	e := &editor{src: old, name: name, pol: pol}
	e.lines()
	if err := e.mapping(oldRoot, newRoot, nil, len(old)); err != nil {
		return nil, err
	}
	return e.apply(), nil
}

func docRoot(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		return n.Content[0]
	}
	if n.Kind == 0 {
		return nil
	}
	return n
}

// edit replaces src[start:end] with text.
type edit struct {
	start, end int
	text       string
}

// editor collects the edits of one YAML text.
type editor struct {
	src       []byte
	name      string
	pol       policy
	lineStart []int
	edits     []edit
}

func (e *editor) lines() {
	e.lineStart = []int{0}
	for i, c := range e.src {
		if c == '\n' {
			e.lineStart = append(e.lineStart, i+1)
		}
	}
}

// offset turns a node's line and column (characters, from 1) into a byte
// offset.
func (e *editor) offset(line, col int) int {
	if line-1 >= len(e.lineStart) {
		return len(e.src)
	}
	off := e.lineStart[line-1]
	for c := 1; c < col && off < len(e.src) && e.src[off] != '\n'; c++ {
		_, size := utf8.DecodeRune(e.src[off:])
		off += size
	}
	return off
}

func (e *editor) lineOf(off int) int { // line start offset of off
	for i := len(e.lineStart) - 1; i >= 0; i-- {
		if e.lineStart[i] <= off {
			return e.lineStart[i]
		}
	}
	return 0
}

// blockEnd moves end back over blank lines and comment lines, which
// belong to what follows.
func (e *editor) blockEnd(start, end int) int {
	for end > start {
		ls := e.lineOf(end - 1)
		if ls <= start {
			break
		}
		t := strings.TrimSpace(string(e.src[ls:end]))
		if t != "" && !strings.HasPrefix(t, "#") {
			break
		}
		end = ls
	}
	return end
}

func (e *editor) refuse(path []string) error {
	return refuse(http.StatusForbidden, "%s: %s cannot be changed in the editor (only the menus, footer links and contact details of site.yaml can)", e.name, strings.Join(path, "."))
}

// mapping merges the new mapping into the old one, whose text ends at end.
func (e *editor) mapping(on, nn *yaml.Node, path []string, end int) error {
	oldKeys := map[string]int{}
	for i := 0; i+1 < len(on.Content); i += 2 {
		oldKeys[on.Content[i].Value] = i
	}
	newKeys := map[string]*yaml.Node{}
	for i := 0; i+1 < len(nn.Content); i += 2 {
		newKeys[nn.Content[i].Value] = nn.Content[i+1]
	}
	for i := 0; i+1 < len(on.Content); i += 2 {
		k, v := on.Content[i], on.Content[i+1]
		p := append(append([]string(nil), path...), k.Value)
		kStart := e.offset(k.Line, k.Column)
		kEnd := end
		if i+2 < len(on.Content) {
			next := on.Content[i+2]
			kEnd = e.lineOf(e.offset(next.Line, next.Column))
		}
		kEnd = e.blockEnd(kStart, kEnd)
		nv, ok := newKeys[k.Value]
		if !ok && (isEmpty(v) || !e.pol.deletes(p)) {
			continue // a key the CMS does not know, or an empty one it left out
		}
		if !ok || isEmpty(nv) && !isEmpty(v) && e.pol.deletes(p) {
			if !e.pol.editable(p) {
				return e.refuse(p)
			}
			// Remove the key's lines.
			ls := e.lineOf(kStart)
			if strings.TrimSpace(string(e.src[ls:kStart])) != "" { // "- key:": keep the item
				e.edits = append(e.edits, edit{kStart, kEnd, "{}\n"})
				continue
			}
			e.edits = append(e.edits, edit{ls, kEnd, ""})
			continue
		}
		if equal(v, nv) {
			continue
		}
		if !e.pol.editable(p) && !e.containsEditable(p, v, nv) {
			return e.refuse(p)
		}
		if err := e.value(k, v, nv, p, kStart, kEnd); err != nil {
			return err
		}
	}
	// Keys the CMS added: at the end of the mapping, at its indentation.
	var add []string
	for i := 0; i+1 < len(nn.Content); i += 2 {
		k, v := nn.Content[i], nn.Content[i+1]
		if _, ok := oldKeys[k.Value]; ok || isEmpty(v) {
			continue
		}
		p := append(append([]string(nil), path...), k.Value)
		if !e.pol.editable(p) {
			return e.refuse(p)
		}
		text, err := encodeKey(k.Value, v, on.Content[0].Column-1)
		if err != nil {
			return err
		}
		add = append(add, text)
	}
	if len(add) > 0 {
		first := on.Content[0]
		last := on.Content[len(on.Content)-1]
		at := e.blockEnd(e.offset(first.Line, first.Column), max(end, e.offset(last.Line, last.Column)))
		prefix := ""
		if at > 0 && e.src[at-1] != '\n' {
			prefix = "\n"
		}
		e.edits = append(e.edits, edit{at, at, prefix + strings.Join(add, "")})
	}
	return nil
}

// containsEditable reports whether the changes between v and nv at path
// all lie under editable paths (for site.yaml's languages list).
func (e *editor) containsEditable(path []string, v, nv *yaml.Node) bool {
	if v.Kind != nv.Kind {
		return false
	}
	switch v.Kind {
	case yaml.MappingNode:
		nk := map[string]*yaml.Node{}
		for i := 0; i+1 < len(nv.Content); i += 2 {
			nk[nv.Content[i].Value] = nv.Content[i+1]
		}
		for i := 0; i+1 < len(v.Content); i += 2 {
			p := append(append([]string(nil), path...), v.Content[i].Value)
			n, ok := nk[v.Content[i].Value]
			if !ok || equal(v.Content[i+1], n) {
				continue
			}
			if !e.pol.editable(p) && !e.containsEditable(p, v.Content[i+1], n) {
				return false
			}
		}
		for k, n := range nk {
			found := false
			for i := 0; i+1 < len(v.Content); i += 2 {
				found = found || v.Content[i].Value == k
			}
			if !found && !isEmpty(n) && !e.pol.editable(append(append([]string(nil), path...), k)) {
				return false
			}
		}
		return true
	case yaml.SequenceNode:
		if len(v.Content) != len(nv.Content) {
			return false
		}
		for i := range v.Content {
			p := append(append([]string(nil), path...), fmt.Sprint(i))
			if !equal(v.Content[i], nv.Content[i]) && !e.pol.editable(p) && !e.containsEditable(p, v.Content[i], nv.Content[i]) {
				return false
			}
		}
		return true
	}
	return false
}

// value edits the value of key k (old v, new nv); the key's text runs
// from kStart to kEnd.
func (e *editor) value(k, v, nv *yaml.Node, path []string, kStart, kEnd int) error {
	switch {
	case v.Kind == yaml.ScalarNode && nv.Kind == yaml.ScalarNode:
		if e.scalar(v, nv) {
			return nil
		}
	case v.Kind == yaml.MappingNode && nv.Kind == yaml.MappingNode && len(v.Content) > 0 && v.Style&yaml.FlowStyle == 0:
		return e.mapping(v, nv, path, kEnd)
	case v.Kind == yaml.SequenceNode && nv.Kind == yaml.SequenceNode && len(v.Content) == len(nv.Content) && v.Style&yaml.FlowStyle == 0:
		done := true
		for i := range v.Content {
			a, b := v.Content[i], nv.Content[i]
			if equal(a, b) {
				continue
			}
			p := append(append([]string(nil), path...), fmt.Sprint(i))
			iEnd := kEnd
			if i+1 < len(v.Content) {
				next := v.Content[i+1]
				iEnd = e.lineOf(e.offset(next.Line, next.Column))
			}
			iEnd = e.blockEnd(e.offset(a.Line, a.Column), iEnd)
			switch {
			case a.Kind == yaml.MappingNode && b.Kind == yaml.MappingNode && len(a.Content) > 0 && a.Style&yaml.FlowStyle == 0:
				if err := e.mapping(a, b, p, iEnd); err != nil {
					return err
				}
			case a.Kind == yaml.ScalarNode && b.Kind == yaml.ScalarNode && e.scalar(a, b):
			default:
				done = false
			}
		}
		if done {
			return nil
		}
	}
	// Replace the key and its value whole.
	if !e.pol.editable(path) {
		return e.refuse(path)
	}
	col := k.Column - 1
	text, err := encodeKey(k.Value, nv, col)
	if err != nil {
		return err
	}
	e.edits = append(e.edits, edit{kStart, kEnd, strings.TrimPrefix(text, strings.Repeat(" ", col))})
	return nil
}

// scalar replaces a one-line scalar's text in place, in its old style;
// false when it cannot (a block or multi-line scalar).
func (e *editor) scalar(v, nv *yaml.Node) bool {
	if v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 || strings.Contains(nv.Value, "\n") {
		return false
	}
	start := e.offset(v.Line, v.Column)
	end := scalarEnd(e.src, start, v)
	if end < 0 {
		return false
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: nv.Value, Tag: nv.ShortTag(), Style: v.Style &^ yaml.FlowStyle}
	if nv.ShortTag() == "!!timestamp" {
		n.Tag = "" // a date stays a plain date
	}
	out, err := yaml.Marshal(n)
	if err != nil {
		return false
	}
	text := strings.TrimSuffix(string(out), "\n")
	if strings.Contains(text, "\n") {
		return false
	}
	e.edits = append(e.edits, edit{start, end, text})
	return true
}

// scalarEnd finds where a one-line scalar that starts at start ends, or
// -1 when its text is not where the node says.
func scalarEnd(src []byte, start int, v *yaml.Node) int {
	line := src[start:]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	switch {
	case v.Style&yaml.DoubleQuotedStyle != 0:
		for i := 1; i < len(line); i++ {
			switch line[i] {
			case '\\':
				i++
			case '"':
				return start + i + 1
			}
		}
	case v.Style&yaml.SingleQuotedStyle != 0:
		for i := 1; i < len(line); i++ {
			if line[i] == '\'' {
				if i+1 < len(line) && line[i+1] == '\'' {
					i++
					continue
				}
				return start + i + 1
			}
		}
	default:
		if bytes.HasPrefix(line, []byte(v.Value)) {
			return start + len(v.Value)
		}
	}
	return -1
}

// encodeKey writes "key: value\n" indented by col spaces.
func encodeKey(key string, v *yaml.Node, col int) (string, error) {
	m := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: key}, clean(v)}}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return "", err
	}
	pad := strings.Repeat(" ", col)
	var b strings.Builder
	for _, l := range strings.SplitAfter(buf.String(), "\n") {
		if l != "" {
			b.WriteString(pad + l)
		}
	}
	return b.String(), nil
}

// clean drops the CMS's positions and comments from a node it sent.
func clean(n *yaml.Node) *yaml.Node {
	c := *n
	c.HeadComment, c.LineComment, c.FootComment = "", "", ""
	c.Line, c.Column = 0, 0
	if c.ShortTag() == "!!timestamp" {
		c.Tag = ""
	}
	c.Content = nil
	for _, k := range n.Content {
		c.Content = append(c.Content, clean(k))
	}
	return &c
}

func (e *editor) apply() []byte {
	// Edits do not overlap: one pass in the order of the text.
	sort.SliceStable(e.edits, func(i, j int) bool { return e.edits[i].start < e.edits[j].start })
	var out []byte
	at := 0
	for _, ed := range e.edits {
		start := max(ed.start, at) // (never less: edits do not overlap)
		out = append(append(out, e.src[at:start]...), ed.text...)
		at = max(ed.end, start)
	}
	return append(out, e.src[at:]...)
}

// equal compares two values as data: scalars by their text (so 30 and
// "30", 2026-01-26 and '2026-01-26' are equal), mappings by key.
func equal(a, b *yaml.Node) bool {
	if a.Kind == yaml.AliasNode {
		a = a.Alias
	}
	if b.Kind == yaml.AliasNode {
		b = b.Alias
	}
	if isEmpty(a) && isEmpty(b) {
		return true
	}
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case yaml.ScalarNode:
		return a.Value == b.Value
	case yaml.SequenceNode:
		if len(a.Content) != len(b.Content) {
			return false
		}
		for i := range a.Content {
			if !equal(a.Content[i], b.Content[i]) {
				return false
			}
		}
		return true
	case yaml.MappingNode:
		am, bm := map[string]*yaml.Node{}, map[string]*yaml.Node{}
		for i := 0; i+1 < len(a.Content); i += 2 {
			am[a.Content[i].Value] = a.Content[i+1]
		}
		for i := 0; i+1 < len(b.Content); i += 2 {
			bm[b.Content[i].Value] = b.Content[i+1]
		}
		for k, v := range am {
			w, ok := bm[k]
			if !ok && !isEmpty(v) || ok && !equal(v, w) {
				return false
			}
		}
		for k, w := range bm {
			if _, ok := am[k]; !ok && !isEmpty(w) {
				return false
			}
		}
		return true
	}
	return false
}

// isEmpty is a value the CMS sends for a field left empty: null, "",
// false, 0, [] or {}.
func isEmpty(n *yaml.Node) bool {
	if n == nil {
		return true
	}
	switch n.Kind {
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return true
		case "!!bool":
			return n.Value == "false"
		case "!!int":
			return n.Value == "0"
		case "!!str":
			return n.Value == ""
		}
	case yaml.SequenceNode, yaml.MappingNode:
		return len(n.Content) == 0
	}
	return false
}
