package build

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// decodeStrict decodes YAML into out (a pointer to a struct) and reports
// every unknown key and every value of the wrong type at its own line and
// column, with a did-you-mean hint from the known keys. lineOffset is added
// to the YAML's line numbers (front matter starts on line 2 of its file).
// It keeps going after a mistake, so that one run lists them all.
func decodeStrict(src source, yamlText []byte, lineOffset int, out any) Diagnostics {
	var doc yaml.Node
	if err := yaml.Unmarshal(yamlText, &doc); err != nil {
		line, msg := yamlErrorLine(err)
		line, col := yamlToFile(yamlText, line, 1)
		return Diagnostics{src.at(line+lineOffset, col,
			"check the indentation and that each line reads \"key: value\"; quote values that contain a colon",
			"%s", msg)}
	}
	if len(doc.Content) == 0 {
		return nil
	}
	d := strictDecoder{src: src, offset: lineOffset, text: yamlText}
	d.value(doc.Content[0], reflect.ValueOf(out).Elem(), "")
	return d.diags
}

type strictDecoder struct {
	src    source
	offset int
	text   []byte
	diags  Diagnostics
}

func (d *strictDecoder) errorAt(n *yaml.Node, hint, format string, args ...any) {
	line, col := yamlToFile(d.text, n.Line, n.Column)
	d.diags = append(d.diags, d.src.at(line+d.offset, col, hint, format, args...))
}

// yamlToFile turns a YAML position (line and character column, from 1)
// into one as diagnostics count them, by "\n" alone: YAML also breaks
// lines at a lone CR, NEL, LS and PS (pasted text holds them), which would
// shift every position after them.
func yamlToFile(text []byte, line, col int) (int, int) {
	fileLine, yamlLine, lineStart, i := 1, 1, 0, 0
	for yamlLine < line && i < len(text) {
		r, size := utf8.DecodeRune(text[i:])
		switch {
		case r == '\r' && i+1 < len(text) && text[i+1] == '\n':
			size = 2
			fileLine, yamlLine, lineStart = fileLine+1, yamlLine+1, i+2
		case r == '\n':
			fileLine, yamlLine, lineStart = fileLine+1, yamlLine+1, i+1
		case r == '\r' || r == '\u0085' || r == '\u2028' || r == '\u2029':
			yamlLine++ // the line goes on for the editor
		}
		i += size
	}
	if yamlLine < line { // past the end: YAML counts a last line of its own
		return fileLine + line - yamlLine, col
	}
	return fileLine, utf8.RuneCount(text[lineStart:i]) + col
}

func (d *strictDecoder) value(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // an empty value leaves the default
	}
	switch v.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			d.errorAt(n, "write it as indented \"key: value\" lines", "%s must be a set of keys and values", describe(path))
			return
		}
		fields := structFields(v.Type())
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			idx, ok := fields[k.Value]
			if !ok {
				d.errorAt(k, didYouMean(k.Value, sortedKeys(fields)), "unknown key %q%s", k.Value, inPath(path))
				continue
			}
			d.value(val, v.Field(idx), joinPath(path, k.Value))
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			d.errorAt(n, "write it as indented \"key: value\" lines", "%s must be a set of keys and values", describe(path))
			return
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			elem := reflect.New(v.Type().Elem()).Elem()
			d.value(val, elem, joinPath(path, k.Value))
			v.SetMapIndex(reflect.ValueOf(k.Value).Convert(v.Type().Key()), elem)
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			if v.Type().Elem().Kind() == reflect.String && n.Kind == yaml.ScalarNode {
				// One value where a list is expected: take it as a list of one.
				elem := reflect.New(v.Type().Elem()).Elem()
				d.value(n, elem, path)
				v.Set(reflect.Append(v, elem))
				return
			}
			d.errorAt(n, "write each item on its own line, starting with \"- \"", "%s must be a list", describe(path))
			return
		}
		for _, item := range n.Content {
			elem := reflect.New(v.Type().Elem()).Elem()
			d.value(item, elem, path)
			v.Set(reflect.Append(v, elem))
		}
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.value(n, v.Elem(), path)
	default:
		if n.Kind != yaml.ScalarNode {
			d.errorAt(n, "", "%s must be a single value, not a list or a set of keys", describe(path))
			return
		}
		if err := n.Decode(v.Addr().Interface()); err != nil {
			d.errorAt(n, scalarHint(v.Kind()), "%s: %q is not %s", describe(path), n.Value, kindName(v.Kind()))
		}
	}
}

func structFields(t reflect.Type) map[string]int {
	m := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		m[name] = i
	}
	return m
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys) // a did-you-mean hint must not depend on map order
	return keys
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
	return " in " + path
}

func describe(path string) string {
	if path == "" {
		return "the document"
	}
	return fmt.Sprintf("%q", path)
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

// yamlErrorLine pulls "line N" out of a YAML syntax error.
func yamlErrorLine(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if strings.HasPrefix(msg, "line ") {
		rest := msg[len("line "):]
		if n, err2 := fmt.Sscanf(rest, "%d:", &line); n == 1 && err2 == nil {
			if i := strings.Index(rest, ": "); i >= 0 {
				msg = rest[i+2:]
			}
		}
	}
	if line == 0 {
		line = 1
	}
	return line, "invalid YAML: " + msg
}
