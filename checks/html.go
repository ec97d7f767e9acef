package checks

import (
	"bytes"
	"fmt"
	"html"
	"strings"
)

// A small, strict reader of the HTML that the build writes. It splits a
// page into tags and checks that every element is closed, in order: the
// templates and goldmark close every element, so an unclosed <p> or <li>
// is a mistake here even though HTML5 would forgive it. It does not build
// a tree; the checks need only the tags, their attributes and the text of
// a few elements.

// Tag is a start tag with its attributes, in page order.
type Tag struct {
	Name  string            // lowercase
	Attrs map[string]string // values unescaped
	Line  int
	Text  string // for <title>: the text up to its end tag, unescaped
}

// Attr returns an attribute's value, "" when absent.
func (t *Tag) Attr(name string) string { return t.Attrs[name] }

// Has reports whether the tag has the attribute.
func (t *Tag) Has(name string) bool { _, ok := t.Attrs[name]; return ok }

// Doc is a parsed page: its start tags and its mistakes of form.
type Doc struct {
	Tags     []*Tag
	Problems []string
}

// Find returns the start tags named name for which match is true (match
// may be nil).
func (d *Doc) Find(name string, match func(*Tag) bool) []*Tag {
	var out []*Tag
	for _, t := range d.Tags {
		if t.Name == name && (match == nil || match(t)) {
			out = append(out, t)
		}
	}
	return out
}

// voidElements never have an end tag.
var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true,
}

// rawText elements hold text up to their end tag, with no tags inside.
var rawText = map[string]bool{"script": true, "style": true, "textarea": true, "title": true}

// ParseHTML reads a page. Problems name a line: an element not closed or
// closed out of order, an end tag with no start, a stray "<", an attribute
// written twice, an id used twice, an unterminated comment, tag or quoted
// value, a missing doctype.
func ParseHTML(data []byte) *Doc {
	d := &Doc{}
	line := 1
	fail := func(format string, args ...any) {
		d.Problems = append(d.Problems, fmt.Sprintf("line %d: ", line)+fmt.Sprintf(format, args...))
	}
	type open struct {
		name string
		line int
	}
	var stack []open
	ids := map[string]int{}
	i := 0
	advance := func(n int) {
		line += bytes.Count(data[i:i+n], []byte("\n"))
		i += n
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(trimmed) < 15 || !strings.EqualFold(string(trimmed[:15]), "<!doctype html>") {
		fail("the page does not start with <!doctype html>")
	}
	for i < len(data) {
		j := bytes.IndexByte(data[i:], '<')
		if j < 0 {
			break
		}
		advance(j)
		rest := data[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			end := bytes.Index(rest[4:], []byte("-->"))
			if end < 0 {
				fail("comment not closed")
				return d
			}
			advance(4 + end + 3)
			continue
		case len(rest) > 1 && rest[1] == '!':
			end := bytes.IndexByte(rest, '>')
			if end < 0 {
				fail("<! not closed")
				return d
			}
			advance(end + 1)
			continue
		case len(rest) > 1 && rest[1] == '/':
			n := nameLen(rest[2:])
			if n == 0 {
				fail("stray \"</\"")
				advance(2)
				continue
			}
			name := strings.ToLower(string(rest[2 : 2+n]))
			end := bytes.IndexByte(rest, '>')
			if end < 0 {
				fail("</%s not closed", name)
				return d
			}
			switch {
			case voidElements[name]:
				fail("</%s>: %s has no end tag", name, name)
			case len(stack) == 0:
				fail("</%s> closes nothing", name)
			case stack[len(stack)-1].name != name:
				top := stack[len(stack)-1]
				fail("</%s> closes <%s> opened on line %d", name, top.name, top.line)
				// Recover: close up to the matching element, if any.
				for k := len(stack) - 1; k >= 0; k-- {
					if stack[k].name == name {
						stack = stack[:k]
						break
					}
				}
			default:
				stack = stack[:len(stack)-1]
			}
			advance(end + 1)
			continue
		}
		n := nameLen(rest[1:])
		if n == 0 {
			fail("stray \"<\" (write &lt;)")
			advance(1)
			continue
		}
		t := &Tag{Name: strings.ToLower(string(rest[1 : 1+n])), Attrs: map[string]string{}, Line: line}
		k := 1 + n
		selfClosing := false
		closed := false
		for k < len(rest) {
			c := rest[k]
			switch {
			case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
				k++
				continue
			case c == '>':
				closed = true
			case c == '/' && k+1 < len(rest) && rest[k+1] == '>':
				selfClosing, closed = true, true
				k++
			}
			if closed {
				k++
				break
			}
			an := attrNameLen(rest[k:])
			if an == 0 {
				fail("<%s>: unexpected %q in the tag", t.Name, c)
				k++
				continue
			}
			name := strings.ToLower(string(rest[k : k+an]))
			k += an
			val := ""
			if k < len(rest) && rest[k] == '=' {
				k++
				if k < len(rest) && (rest[k] == '"' || rest[k] == '\'') {
					q := rest[k]
					end := bytes.IndexByte(rest[k+1:], q)
					if end < 0 {
						fail("<%s %s=: quoted value not closed", t.Name, name)
						return d
					}
					val = string(rest[k+1 : k+1+end])
					k += end + 2
				} else {
					s := k
					for k < len(rest) && !strings.ContainsRune(" \t\n\r\f>", rune(rest[k])) {
						k++
					}
					val = string(rest[s:k])
				}
			}
			if _, dup := t.Attrs[name]; dup {
				fail("<%s>: attribute %s written twice", t.Name, name)
			}
			t.Attrs[name] = html.UnescapeString(val)
		}
		if !closed {
			fail("<%s not closed", t.Name)
			return d
		}
		d.Tags = append(d.Tags, t)
		if id, ok := t.Attrs["id"]; ok {
			if first, dup := ids[id]; dup {
				fail("id %q is also used on line %d", id, first)
			} else {
				ids[id] = line
			}
		}
		advance(k)
		if voidElements[t.Name] || selfClosing {
			continue
		}
		if rawText[t.Name] {
			end := indexFold(data[i:], "</"+t.Name)
			if end < 0 {
				fail("<%s> not closed", t.Name)
				return d
			}
			if t.Name == "title" {
				t.Text = strings.TrimSpace(html.UnescapeString(string(data[i : i+end])))
			}
			advance(end)
			gt := bytes.IndexByte(data[i:], '>')
			if gt < 0 {
				fail("</%s not closed", t.Name)
				return d
			}
			advance(gt + 1)
			continue
		}
		stack = append(stack, open{t.Name, t.Line})
	}
	for k := len(stack) - 1; k >= 0; k-- {
		d.Problems = append(d.Problems, fmt.Sprintf("line %d: <%s> is never closed", stack[k].line, stack[k].name))
	}
	return d
}

func nameLen(b []byte) int {
	n := 0
	for n < len(b) {
		c := b[n]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || n > 0 && (c >= '0' && c <= '9' || c == '-' || c == ':') {
			n++
			continue
		}
		break
	}
	return n
}

func attrNameLen(b []byte) int {
	n := 0
	for n < len(b) && !strings.ContainsRune(" \t\n\r\f/>=\"'<", rune(b[n])) {
		n++
	}
	return n
}

// indexFold is bytes.Index of an ASCII string, ignoring ASCII case.
func indexFold(b []byte, s string) int {
	for k := 0; ; k++ {
		j := bytes.IndexByte(b[k:], s[0])
		if j < 0 || k+j+len(s) > len(b) {
			return -1
		}
		k += j
		if bytes.EqualFold(b[k:k+len(s)], []byte(s)) {
			return k
		}
	}
}
