// Package yamledit edits a YAML text in place: given the text on disk and
// a new version of the same data, serialised in another form (another key
// order, other quoting, no comments), it changes the text only where a
// value differs. An unchanged value leaves its bytes alone, an edited
// scalar keeps its quoting, an edited key changes its own lines, and
// comments, key order, line endings and the keys the new version leaves
// out stay as they were.
//
// Positions come from the YAML parser through diag.YAMLPositions, which
// ends lines where YAML does (a lone CR, NEL, U+2028, U+2029 included):
// an offset counted by "\n" alone would edit the wrong key once pasted
// text holds one. It is a leaf: it imports diag and the YAML library.
package yamledit

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"kmopsite/diag"
)

// MaxNodes is the most values (keys, scalars, lists, mappings) the new
// version of a text may hold.
const MaxNodes = 50_000

// A Kind says why a merge was refused.
type Kind uint8

const (
	// OldInvalid: the text on disk is not valid YAML, or not a mapping.
	OldInvalid Kind = iota + 1
	// NewInvalid: the new version is not valid YAML.
	NewInvalid
	// NotMapping: the new version is not a mapping of keys to values.
	NotMapping
	// NotEditable: the policy forbids changing the value at Path.
	NotEditable
	// Alias: the new version holds an anchor or an alias (&name, *name).
	Alias
	// TooLarge: the new version holds more than MaxNodes values.
	TooLarge
)

// Error is a refused merge.
type Error struct {
	Kind Kind
	Path []string // the key, for NotEditable
	Line int      // in the new version, for Alias; 0 when unknown
	Err  error    // the parser's error, for OldInvalid and NewInvalid
}

func (e *Error) Error() string {
	switch e.Kind {
	case OldInvalid:
		return fmt.Sprintf("the text on disk is not a valid YAML mapping: %v", e.Err)
	case NewInvalid:
		return fmt.Sprintf("the new text is not valid YAML: %v", e.Err)
	case NotMapping:
		return "the new text is not a mapping of keys to values"
	case NotEditable:
		return strings.Join(e.Path, ".") + " cannot be changed"
	case Alias:
		return fmt.Sprintf("line %d: YAML anchors and aliases (&name, *name) are not accepted: write the value out", e.Line)
	case TooLarge:
		return fmt.Sprintf("more than %d values", MaxNodes)
	}
	return "refused"
}

// Policy says what a merge may do. Its zero value edits anything and
// removes nothing.
type Policy struct {
	// Deletes reports whether a key the new version leaves out (or
	// empties) is removed, rather than kept as a key it does not know.
	Deletes func(path []string) bool
	// Editable reports whether the value at path may change; nil: any.
	Editable func(path []string) bool
}

func (p Policy) deletes(path []string) bool { return p.Deletes != nil && p.Deletes(path) }
func (p Policy) editable(path []string) bool {
	return p.Editable == nil || p.Editable(path)
}

// Check refuses a new version that no editor sends and that only costs:
// anchors and aliases (an alias's expansion grows exponentially with
// nesting) and more than MaxNodes values. It returns the parsed document.
func Check(raw []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, &Error{Kind: NewInvalid, Err: err}
	}
	n := 0
	var walk func(*yaml.Node) error
	walk = func(v *yaml.Node) error {
		if n++; n > MaxNodes {
			return &Error{Kind: TooLarge}
		}
		if v.Kind == yaml.AliasNode || v.Anchor != "" {
			return &Error{Kind: Alias, Line: v.Line}
		}
		for _, c := range v.Content {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	return &doc, walk(&doc)
}

// Merge returns old's text with the values that differ in raw edited in
// place, as pol allows. raw passes Check first.
func Merge(old, raw []byte, pol Policy) ([]byte, error) {
	nn, err := Check(raw)
	if err != nil {
		return nil, err
	}
	newRoot := docRoot(nn)
	if newRoot == nil || isEmpty(newRoot) {
		newRoot = &yaml.Node{Kind: yaml.MappingNode}
	}
	if newRoot.Kind != yaml.MappingNode {
		return nil, &Error{Kind: NotMapping}
	}
	var on yaml.Node
	if err := yaml.Unmarshal(old, &on); err != nil {
		return nil, &Error{Kind: OldInvalid, Err: err}
	}
	return merge(old, &on, newRoot, pol)
}

// Set sets one top-level key of text to a plain value, editing only its
// line (or adding it at the end).
func Set(text []byte, key, value string) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		return nil, &Error{Kind: OldInvalid, Err: err}
	}
	root := docRoot(&doc)
	want := &yaml.Node{Kind: yaml.MappingNode}
	found := false
	if root != nil && root.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(root.Content); i += 2 {
			k, v := root.Content[i], root.Content[i+1]
			if k.Value == key {
				v = &yaml.Node{Kind: yaml.ScalarNode, Value: value}
				found = true
			}
			want.Content = append(want.Content, k, v)
		}
	}
	if !found {
		want.Content = append(want.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, &yaml.Node{Kind: yaml.ScalarNode, Value: value})
	}
	return merge(text, &doc, want, Policy{})
}

// merge is Merge of documents already parsed; newRoot is a mapping.
func merge(old []byte, on, newRoot *yaml.Node, pol Policy) ([]byte, error) {
	e := newEditor(old, pol)
	oldRoot := docRoot(on)
	switch {
	case oldRoot == nil || oldRoot.Kind == yaml.ScalarNode && oldRoot.ShortTag() == "!!null":
		// Nothing but comments: the keys go at the end.
		if err := e.add(nil, newRoot, nil, len(old), 0); err != nil {
			return nil, err
		}
	case oldRoot.Kind != yaml.MappingNode:
		return nil, &Error{Kind: OldInvalid, Err: errors.New("not a mapping of keys to values")}
	case oldRoot.Style&yaml.FlowStyle != 0 || len(oldRoot.Content) == 0:
		// {…} on one line: nothing of its form to keep but the comments
		// before it; the new version is written out whole.
		if equal(oldRoot, newRoot) {
			return old, nil
		}
		if !pol.editable(nil) {
			return nil, &Error{Kind: NotEditable}
		}
		out, err := yaml.Marshal(clean(newRoot))
		if err != nil {
			return nil, err
		}
		return append(append([]byte(nil), old[:e.lineOf(e.offset(oldRoot))]...), strings.ReplaceAll(string(out), "\n", e.eol)...), nil
	default:
		if err := e.mapping(oldRoot, newRoot, nil, len(old)); err != nil {
			return nil, err
		}
	}
	out := e.apply()
	if covers(out, newRoot) {
		return out, nil
	}
	// The text's own form could not hold the new data (YAML whose
	// whitespace reads differently around the edited value, say): the
	// data goes first, written out whole, with the keys of old that the
	// new version does not know.
	whole := clean(newRoot)
	known := map[string]bool{}
	for i := 0; i+1 < len(whole.Content); i += 2 {
		known[whole.Content[i].Value] = true
	}
	for i := 0; oldRoot != nil && oldRoot.Kind == yaml.MappingNode && i+1 < len(oldRoot.Content); i += 2 {
		k := oldRoot.Content[i]
		if !known[k.Value] && !pol.deletes([]string{k.Value}) {
			known[k.Value] = true
			whole.Content = append(whole.Content, clean(k), clean(oldRoot.Content[i+1]))
		}
	}
	data, err := yaml.Marshal(whole)
	if err != nil || !covers(data, newRoot) {
		return nil, &Error{Kind: OldInvalid, Err: errors.New("its form cannot hold the new values")}
	}
	return []byte(strings.ReplaceAll(string(data), "\n", e.eol)), nil
}

// covers reports whether text is YAML that holds every non-empty value of
// want, each key once.
func covers(text []byte, want *yaml.Node) bool {
	var doc yaml.Node
	if yaml.Unmarshal(text, &doc) != nil {
		return false
	}
	got := docRoot(&doc)
	if got == nil {
		return isEmpty(want)
	}
	budget := 4 * MaxNodes
	return coversWithin(got, want, &budget)
}

func coversWithin(got, want *yaml.Node, budget *int) bool {
	if want.Kind != yaml.MappingNode || got.Kind != yaml.MappingNode {
		return equalWithin(got, want, budget)
	}
	at := map[string][]*yaml.Node{}
	for i := 0; i+1 < len(got.Content); i += 2 {
		at[got.Content[i].Value] = append(at[got.Content[i].Value], got.Content[i+1])
	}
	for i := 0; i+1 < len(want.Content); i += 2 {
		k, v := want.Content[i].Value, want.Content[i+1]
		if isEmpty(v) {
			continue
		}
		if len(at[k]) != 1 || !coversWithin(at[k][0], v, budget) {
			return false
		}
	}
	return true
}

func docRoot(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		return n.Content[0]
	}
	if n.Kind == 0 || n.Kind == yaml.DocumentNode {
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
	src   []byte
	pol   Policy
	pos   *diag.YAMLPositions
	eol   string // the text's line end: "\n", or "\r\n" when it has those
	edits []edit
}

func newEditor(src []byte, pol Policy) *editor {
	e := &editor{src: src, pol: pol, pos: diag.NewYAMLPositions(src), eol: "\n"}
	if bytes.Contains(src, []byte("\r\n")) {
		e.eol = "\r\n"
	}
	return e
}

// offset is where a node is written.
func (e *editor) offset(n *yaml.Node) int { return e.pos.Offset(n.Line, n.Column) }

// lineOf is the start of the line (as an editor counts lines: after a
// "\n") that holds off.
func (e *editor) lineOf(off int) int {
	return bytes.LastIndexByte(e.src[:min(off, len(e.src))], '\n') + 1
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
	return &Error{Kind: NotEditable, Path: path}
}

func with(path []string, key string) []string {
	return append(append([]string(nil), path...), key)
}

// mapping merges the new mapping into the old one, whose text ends at end.
func (e *editor) mapping(on, nn *yaml.Node, path []string, end int) error {
	newKeys := map[string]*yaml.Node{}
	for i := 0; i+1 < len(nn.Content); i += 2 {
		newKeys[nn.Content[i].Value] = nn.Content[i+1]
	}
	for i := 0; i+1 < len(on.Content); i += 2 {
		k, v := on.Content[i], on.Content[i+1]
		p := with(path, k.Value)
		kStart := e.offset(k)
		kEnd := end
		if i+2 < len(on.Content) {
			kEnd = e.lineOf(e.offset(on.Content[i+2]))
		}
		kEnd = max(e.blockEnd(kStart, kEnd), kStart)
		nv, ok := newKeys[k.Value]
		if !ok && (isEmpty(v) || !e.pol.deletes(p)) {
			continue // a key the new version does not know, or an empty one it left out
		}
		if !ok || isEmpty(nv) && !isEmpty(v) && e.pol.deletes(p) {
			if !e.pol.editable(p) {
				return e.refuse(p)
			}
			// Remove the key's lines.
			ls := e.lineOf(kStart)
			if strings.TrimSpace(string(e.src[ls:kStart])) != "" { // "- key:" or a flow mapping: keep the rest
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
	if len(on.Content) == 0 {
		return e.add(on, nn, path, end, 0)
	}
	first, last := on.Content[0], on.Content[len(on.Content)-1]
	at := e.blockEnd(e.offset(first), max(end, e.offset(last)))
	return e.add(on, nn, path, at, first.Column-1)
}

// add writes the keys of nn that on lacks at offset at, indented by col.
func (e *editor) add(on, nn *yaml.Node, path []string, at, col int) error {
	oldKeys := map[string]bool{}
	if on != nil {
		for i := 0; i+1 < len(on.Content); i += 2 {
			oldKeys[on.Content[i].Value] = true
		}
	}
	var add []string
	for i := 0; i+1 < len(nn.Content); i += 2 {
		k, v := nn.Content[i], nn.Content[i+1]
		if oldKeys[k.Value] || isEmpty(v) {
			continue
		}
		oldKeys[k.Value] = true // a key the new version writes twice is added once
		p := with(path, k.Value)
		if !e.pol.editable(p) {
			return e.refuse(p)
		}
		text, err := e.encodeKey(k.Value, v, col)
		if err != nil {
			return err
		}
		add = append(add, text)
	}
	if len(add) == 0 {
		return nil
	}
	prefix := ""
	if at > 0 && e.src[at-1] != '\n' {
		prefix = e.eol
	}
	e.edits = append(e.edits, edit{at, at, prefix + strings.Join(add, "")})
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
		ok := map[string]bool{}
		for i := 0; i+1 < len(v.Content); i += 2 {
			key := v.Content[i].Value
			ok[key] = true
			p := with(path, key)
			n, found := nk[key]
			if !found || equal(v.Content[i+1], n) {
				continue
			}
			if !e.pol.editable(p) && !e.containsEditable(p, v.Content[i+1], n) {
				return false
			}
		}
		for k, n := range nk {
			if !ok[k] && !isEmpty(n) && !e.pol.editable(with(path, k)) {
				return false
			}
		}
		return true
	case yaml.SequenceNode:
		if len(v.Content) != len(nv.Content) {
			return false
		}
		for i := range v.Content {
			p := with(path, fmt.Sprint(i))
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
			p := with(path, fmt.Sprint(i))
			iEnd := kEnd
			if i+1 < len(v.Content) {
				iEnd = e.lineOf(e.offset(v.Content[i+1]))
			}
			iEnd = max(e.blockEnd(e.offset(a), iEnd), e.offset(a))
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
	// From the start of the key's line, keeping what opens it ("- " of
	// a list's item, the indentation), without what else may stand before
	// the key ("? " of an explicit key).
	ls := e.lineOf(kStart)
	prefix := string(e.src[ls:kStart])
	lead := prefix[:len(prefix)-len(strings.TrimLeft(prefix, " -"))]
	text, err := e.encodeKey(k.Value, nv, len(lead))
	if err != nil {
		return err
	}
	e.edits = append(e.edits, edit{ls, kEnd, lead + text[len(lead):]})
	return nil
}

// scalar replaces a one-line scalar's text in place, in its old style;
// false when it cannot (a block or multi-line scalar).
func (e *editor) scalar(v, nv *yaml.Node) bool {
	if v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 || strings.ContainsAny(nv.Value, "\n\r\u0085\u2028\u2029") {
		return false
	}
	start := e.offset(v)
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
	if strings.Contains(text, "\n") || strings.HasPrefix(text, "#") {
		return false
	}
	e.edits = append(e.edits, edit{start, end, text})
	return true
}

// scalarEnd finds where a one-line scalar that starts at start ends, or
// -1 when its text is not where the node says or spans lines.
func scalarEnd(src []byte, start int, v *yaml.Node) int {
	line := src[start:]
	if i := bytes.IndexAny(line, "\n\r"); i >= 0 {
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
		if v.Value != "" && bytes.HasPrefix(line, []byte(v.Value)) && !strings.ContainsAny(v.Value, "\u0085\u2028\u2029") {
			return start + len(v.Value)
		}
	}
	return -1
}

// encodeKey writes "key: value" and its line end, indented by col spaces,
// in the text's line ends.
func (e *editor) encodeKey(key string, v *yaml.Node, col int) (string, error) {
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
			b.WriteString(pad + strings.TrimSuffix(l, "\n") + e.eol)
		}
	}
	return b.String(), nil
}

// clean drops the new version's positions, comments and styles of
// collections from a node.
func clean(n *yaml.Node) *yaml.Node {
	c := *n
	c.HeadComment, c.LineComment, c.FootComment = "", "", ""
	c.Line, c.Column = 0, 0
	c.Anchor = ""
	if c.ShortTag() == "!!timestamp" {
		c.Tag = ""
	}
	c.Content = nil
	for _, k := range n.Content {
		c.Content = append(c.Content, clean(k))
	}
	return &c
}

// apply makes the new text: the edits do not overlap and are applied in
// one pass in the order of the text.
func (e *editor) apply() []byte {
	if len(e.edits) == 0 {
		return e.src
	}
	sort.SliceStable(e.edits, func(i, j int) bool { return e.edits[i].start < e.edits[j].start })
	var out []byte
	at := 0
	for _, ed := range e.edits {
		start := max(ed.start, at)
		out = append(append(out, e.src[at:start]...), ed.text...)
		at = max(ed.end, start)
	}
	return append(out, e.src[at:]...)
}

// equal compares two values as data: scalars by their text (so 30 and
// "30", 2026-01-26 and '2026-01-26' are equal), mappings by key. The old
// text's aliases are followed, within a budget of values visited (an
// alias of aliases stands for exponentially many): past it, the values
// are taken as different, and the new version's value is written.
func equal(a, b *yaml.Node) bool {
	budget := 4 * MaxNodes
	return equalWithin(a, b, &budget)
}

func equalWithin(a, b *yaml.Node, budget *int) bool {
	if *budget--; *budget < 0 {
		return false
	}
	if a.Kind == yaml.AliasNode && a.Alias != nil {
		a = a.Alias
	}
	if b.Kind == yaml.AliasNode && b.Alias != nil {
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
			if !equalWithin(a.Content[i], b.Content[i], budget) {
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
			if !ok && !isEmpty(v) || ok && !equalWithin(v, w, budget) {
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

// IsEmpty reports whether a value is what an editor sends for a field
// left empty: null, "", false, 0, [] or {}.
func IsEmpty(n *yaml.Node) bool { return isEmpty(n) }

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
