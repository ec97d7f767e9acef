package diag

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// A Doc tells where the keys and values of a decoded YAML file are
// written, by dotted path ("mail.audit.subject", "questions.services"),
// an item of a list by its index from 0 ("languages[1].code"), as byte
// offsets into the Source.
type Doc struct {
	start        int
	keys, values map[string]int
}

// Key returns the offset of the key at path, or of its nearest written
// parent; the start of the YAML when none of it is written.
func (d *Doc) Key(path string) int {
	for path != "" {
		if off, ok := d.keys[path]; ok {
			return off
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return d.start
}

// Value returns the offset of the value at path, or Key(path) when it has
// none.
func (d *Doc) Value(path string) int {
	if off, ok := d.values[path]; ok {
		return off
	}
	return d.Key(path)
}

// Has tells whether the key at path is written.
func (d *Doc) Has(path string) bool {
	_, ok := d.keys[path]
	return ok
}

// DecodeYAML decodes src.Data[start:end], which is YAML, into out (a
// pointer to a struct or a map) strictly, and reports every mistake at its
// own place, keeping on after one so that a run lists them all:
//
//   - a syntax error, named at its real line: an unclosed quote at the
//     quote, a tab in the indentation at the tab;
//   - an unknown key, with a did-you-mean hint from the known ones;
//   - a key written twice (the YAML library would keep the last silently);
//   - a value of the wrong shape or type.
//
// A struct field's key is its `yaml` tag when it has one, else its name
// in snake case (EnterpriseNumber: enterprise_number). So that out may
// hold the defaults beforehand: an empty value leaves the field as it
// was, a list written replaces the one there, and a pointer to a struct
// with a SetDefaults method (an optional section) starts from its
// defaults when its key is written. What could be read is decoded even when
// there are mistakes. Positions count lines as editors do: YAML also ends
// a line at a lone CR, NEL, LS or PS (pasted text holds them), which would
// otherwise shift every position after them.
func DecodeYAML(src Source, start, end int, out any) (*Doc, Diagnostics) {
	text := src.Data[start:end]
	d := &decoder{src: src, start: start, text: text, pos: NewYAMLPositions(text),
		doc: &Doc{start: start, keys: map[string]int{}, values: map[string]int{}}}
	var root yaml.Node
	if err := yaml.Unmarshal(text, &root); err != nil {
		bad := d.syntaxError(err)
		bad.Unreadable = true
		return d.doc, Diagnostics{bad}
	}
	if len(root.Content) > 0 {
		d.value(root.Content[0], reflect.ValueOf(out).Elem(), "")
	}
	d.diags.Sort()
	return d.doc, d.diags
}

// SyntaxError tells whether diags is the one syntax error of a file,
// after which nothing of it could be read.
func SyntaxError(diags Diagnostics) bool {
	return len(diags) == 1 && diags[0].Unreadable
}

const invalidYAML = "invalid YAML: "

type decoder struct {
	src   Source
	start int
	text  []byte
	pos   *YAMLPositions
	doc   *Doc
	diags Diagnostics
}

// offset is where node n is written, in the Source.
func (d *decoder) offset(n *yaml.Node) int {
	return d.start + d.pos.Offset(n.Line, n.Column)
}

func (d *decoder) errorAt(n *yaml.Node, hint, format string, args ...any) {
	d.diags = append(d.diags, d.src.AtOffset(d.offset(n), hint, format, args...))
}

// yamlOffset turns a YAML position (line and character column, from 1)
// into a byte offset of text, ending lines where YAML does.
func yamlOffset(text []byte, line, col int) int {
	return NewYAMLPositions(text).Offset(line, col)
}

func (d *decoder) value(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if path != "" {
		d.doc.values[path] = d.offset(n)
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // an empty value leaves the default
	}
	switch v.Kind() {
	case reflect.Struct:
		fields := structFields(v.Type())
		known := make([]string, 0, len(fields))
		for k := range fields {
			known = append(known, k)
		}
		sort.Strings(known) // a hint must not depend on map order
		d.pairs(n, path, func(k, val *yaml.Node) {
			idx, ok := fields[k.Value]
			if !ok {
				hint := DidYouMean(k.Value, known)
				if hint == "" {
					hint = "the keys " + where(path) + " are: " + strings.Join(known, ", ")
				}
				d.errorAt(k, hint, "unknown key %q%s", k.Value, inPath(path))
				return
			}
			d.value(val, v.Field(idx), joinPath(path, k.Value))
		})
	case reflect.Map:
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		d.pairs(n, path, func(k, val *yaml.Node) {
			elem := reflect.New(v.Type().Elem()).Elem()
			d.value(val, elem, joinPath(path, k.Value))
			v.SetMapIndex(reflect.ValueOf(k.Value).Convert(v.Type().Key()), elem)
		})
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			if v.Type().Elem().Kind() == reflect.String && n.Kind == yaml.ScalarNode {
				// One value where a list is expected: take it as a list of one.
				elem := reflect.New(v.Type().Elem()).Elem()
				d.value(n, elem, path+"[0]")
				v.Set(reflect.Append(v.Slice(0, 0), elem))
				return
			}
			d.errorAt(n, "write each item on its own line, starting with \"- \"", "%s must be a list", describe(path))
			return
		}
		list := reflect.MakeSlice(v.Type(), 0, len(n.Content)) // replaces a default list
		for i, item := range n.Content {
			elem := reflect.New(v.Type().Elem()).Elem()
			itemPath := path + "[" + strconv.Itoa(i) + "]"
			d.doc.keys[itemPath] = d.offset(item) // an item's "key" is where it starts
			d.value(item, elem, itemPath)
			list = reflect.Append(list, elem)
		}
		v.Set(list)
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
			if def, ok := v.Interface().(interface{ SetDefaults() }); ok {
				def.SetDefaults()
			}
		}
		d.value(n, v.Elem(), path)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.errorAt(n, "write the text after the colon, in quotes", "%s must be a text, not %s", describe(path), shape(n))
			return
		}
		v.SetString(n.Value) // 2026 or true is text where text is expected
	default:
		if n.Kind != yaml.ScalarNode {
			d.errorAt(n, "", "%s must be a single value, not %s", describe(path), shape(n))
			return
		}
		if err := n.Decode(v.Addr().Interface()); err != nil {
			d.errorAt(n, scalarHint(v.Kind()), "%s: %q is not %s", describe(path), n.Value, kindName(v.Kind()))
		}
	}
}

// pairs calls f for each key and value of mapping n at path, noting where
// each key is written and reporting keys that are not words or are
// written twice.
func (d *decoder) pairs(n *yaml.Node, path string, f func(k, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		d.errorAt(n, "write it as indented \"key: value\" lines", "%s must be a set of keys and values, not %s", describe(path), shape(n))
		return
	}
	first := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		switch {
		case k.Kind != yaml.ScalarNode:
			d.errorAt(k, "", "a key must be a plain word, not %s", shape(k))
			continue
		case k.Tag == "!!merge":
			d.errorAt(k, "write the keys out", "merge keys (<<) are not supported")
			continue
		}
		if f1, ok := first[k.Value]; ok {
			line, _ := d.src.Position(d.offset(f1))
			d.errorAt(k, "keep one of them: YAML would silently use the last", "key %q%s is written twice; the first is on line %d", k.Value, inPath(path), line)
			continue
		}
		first[k.Value] = k
		d.doc.keys[joinPath(path, k.Value)] = d.offset(k)
		f(k, val)
	}
}

// KeyName is the YAML key of a struct field: its `yaml` tag, else its
// name in snake case. "" for a field that has no key.
func KeyName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "-" {
		return ""
	}
	if name == "" {
		name = snake(f.Name)
	}
	return name
}

// snake writes a Go name in snake case: BaseURL is base_url, UI is ui.
func snake(name string) string {
	r := []rune(name)
	var b strings.Builder
	for i, c := range r {
		if unicode.IsUpper(c) && i > 0 && (unicode.IsLower(r[i-1]) || i+1 < len(r) && unicode.IsLower(r[i+1])) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}

func structFields(t reflect.Type) map[string]int {
	m := map[string]int{}
	for i := range t.NumField() {
		if k := KeyName(t.Field(i)); k != "" {
			m[k] = i
		}
	}
	return m
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func inPath(path string) string {
	if path == "" {
		return ""
	}
	return " in " + unindexed(path)
}

func where(path string) string {
	if path == "" {
		return "at the top"
	}
	return "in " + unindexed(path)
}

func describe(path string) string {
	if path == "" {
		return "the document"
	}
	return strconv.Quote(unindexed(path))
}

// unindexed is a path without the indices of list items, for messages:
// "languages[1].code" is "languages.code".
func unindexed(path string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(path, '[')
		if i < 0 {
			b.WriteString(path)
			return b.String()
		}
		b.WriteString(path[:i])
		j := strings.IndexByte(path[i:], ']')
		if j < 0 {
			b.WriteString(path[i:])
			return b.String()
		}
		path = path[i+j+1:]
	}
}

func shape(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a set of keys"
	}
	return "a single value"
}

func kindName(k reflect.Kind) string {
	switch k {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float64, reflect.Float32:
		return "a number"
	}
	return "text"
}

func scalarHint(k reflect.Kind) string {
	switch k {
	case reflect.Bool:
		return "write true or false"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint, reflect.Uint32, reflect.Uint64:
		return "write a whole number such as 10"
	}
	return "put the value in double quotes"
}

// syntaxError names a YAML syntax error at its real place. The YAML
// library's own words mislead for the two commonest slips: a quote left
// open is "did not find expected key" or "unexpected end of stream" lines
// later, and a tab in the indentation is reported a line early. Those two
// are found in the text; other errors keep the library's words and line.
func (d *decoder) syntaxError(err error) Diagnostic {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ": "); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				line, msg = n, rest[i+2:]
			}
		}
	}
	// The library stops at or a line before the true place, never after.
	before := func(off, lines int) bool { return line == 0 || off < yamlOffset(d.text, line+lines, 1) }
	if off, ok := leadingTab(d.text); ok && before(off, 2) {
		return d.src.AtOffset(d.start+off, "indent with spaces: YAML does not allow tabs in the indentation",
			"%sa tab in the indentation", invalidYAML)
	}
	if off, quote, ok := openQuote(d.text); ok && before(off, 1) {
		return d.src.AtOffset(d.start+off, fmt.Sprintf("end the value with %c on the same line, or remove the quote at its start", quote),
			"%sthe quoted value that starts here is not closed", invalidYAML)
	}
	off := d.start
	if line > 0 {
		off += yamlOffset(d.text, line, 1)
	}
	return d.src.AtOffset(off, "check the indentation and that each line reads \"key: value\"; quote values that contain a colon",
		"%s%s", invalidYAML, msg)
}

// lines calls f with the offset and text of each line of text, until f
// returns true.
func lines(text []byte, f func(off int, line string) bool) {
	off := 0
	for off < len(text) {
		end := off
		for end < len(text) && text[end] != '\n' {
			end++
		}
		if f(off, strings.TrimSuffix(string(text[off:end]), "\r")) {
			return
		}
		off = end + 1
	}
}

// leadingTab finds a tab in the indentation of a line that holds more
// than white space, outside block texts (| and >).
func leadingTab(text []byte) (at int, found bool) {
	block := -1 // the indentation of the key of a block text being read
	lines(text, func(off int, line string) bool {
		indentEnd := len(line) - len(strings.TrimLeft(line, " \t"))
		if strings.TrimSpace(line) == "" {
			return false
		}
		if block >= 0 && indentEnd > block {
			return false
		}
		block = -1
		if i := strings.IndexByte(line[:indentEnd], '\t'); i >= 0 {
			at, found = off+i, true
			return true
		}
		if v := strings.TrimSpace(line); strings.HasSuffix(v, "|") || strings.HasSuffix(v, ">") ||
			strings.HasSuffix(v, "|-") || strings.HasSuffix(v, ">-") {
			block = indentEnd
		}
		return false
	})
	return at, found
}

// openQuote finds a value that starts with a quote and is not closed on
// its own line. YAML lets a quoted value run over lines, but editors
// rarely mean it, and when the file does not parse it is the likely cause.
func openQuote(text []byte) (at int, quote byte, found bool) {
	lines(text, func(off int, line string) bool {
		t := strings.TrimLeft(line, " ")
		if strings.HasPrefix(t, "#") {
			return false
		}
		vstart := -1
		if strings.HasPrefix(t, "- ") {
			vstart = len(line) - len(t) + 2
		} else if i := strings.Index(line, ": "); i >= 0 {
			vstart = i + 2
		}
		if vstart < 0 {
			return false
		}
		for vstart < len(line) && line[vstart] == ' ' {
			vstart++
		}
		if vstart >= len(line) || line[vstart] != '"' && line[vstart] != '\'' {
			return false
		}
		q := line[vstart]
		if !closes(line[vstart+1:], q) {
			at, quote, found = off+vstart, q, true
			return true
		}
		return false
	})
	return at, quote, found
}

// closes tells whether rest (after an opening quote q) holds the closing
// quote: an unescaped " for double quotes, a ' not doubled for single.
func closes(rest string, q byte) bool {
	for i := 0; i < len(rest); i++ {
		switch {
		case q == '"' && rest[i] == '\\':
			i++
		case rest[i] == q && q == '\'' && i+1 < len(rest) && rest[i+1] == '\'':
			i++
		case rest[i] == q:
			return true
		}
	}
	return false
}
