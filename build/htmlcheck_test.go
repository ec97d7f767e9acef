package build

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// A small, strict reader of the HTML the build writes, for the tests: it
// splits a page into tags and text, and checks that every element is
// closed in order (the templates and goldmark close every element, so an
// unclosed <p> or <li> is a mistake here even though HTML5 would forgive
// it). encoding/xml cannot do this: HTML5 has void elements and raw text.

type htmlTag struct {
	name  string // lowercase
	end   bool   // </name>
	attrs map[string]string
	order []string // attribute names as written, for duplicates
	line  int
	text  string // for <title>, <h1>: the text up to the matching end tag
}

// voidElements never have an end tag.
var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true,
}

// parseHTML returns the tags of a page, and every mistake of form: an
// element not closed or closed out of order, a stray "<", an attribute
// written twice, an unterminated comment, tag or quoted value.
func parseHTML(data []byte) (tags []*htmlTag, problems []string) {
	line := 1
	fail := func(format string, args ...any) {
		problems = append(problems, fmt.Sprintf("line %d: ", line)+fmt.Sprintf(format, args...))
	}
	var stack []*htmlTag
	var texts []*bytes.Buffer // text collectors for the open elements
	i := 0
	advance := func(n int) {
		line += bytes.Count(data[i:i+n], []byte("\n"))
		i += n
	}
	for i < len(data) {
		c := data[i]
		if c != '<' {
			j := bytes.IndexByte(data[i:], '<')
			if j < 0 {
				j = len(data) - i
			}
			for _, b := range texts {
				b.Write(data[i : i+j])
			}
			advance(j)
			continue
		}
		rest := data[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			j := bytes.Index(rest, []byte("-->"))
			if j < 0 {
				fail("unterminated comment")
				return tags, problems
			}
			advance(j + 3)
		case bytes.HasPrefix(rest, []byte("<!")):
			j := bytes.IndexByte(rest, '>')
			if j < 0 {
				fail("unterminated declaration")
				return tags, problems
			}
			advance(j + 1)
		case len(rest) > 2 && rest[1] == '/' && isASCIILetter(rest[2]):
			j := bytes.IndexByte(rest, '>')
			if j < 0 {
				fail("unterminated end tag")
				return tags, problems
			}
			name := strings.ToLower(strings.TrimSpace(string(rest[2:j])))
			t := &htmlTag{name: name, end: true, line: line}
			tags = append(tags, t)
			switch {
			case voidElements[name]:
				fail("end tag </%s> of a void element", name)
			case len(stack) == 0:
				fail("end tag </%s> with no open element", name)
			case stack[len(stack)-1].name != name:
				open := stack[len(stack)-1]
				fail("end tag </%s> closes <%s> opened on line %d", name, open.name, open.line)
			default:
				open := stack[len(stack)-1]
				open.text = texts[len(texts)-1].String()
				stack, texts = stack[:len(stack)-1], texts[:len(texts)-1]
			}
			advance(j + 1)
		case len(rest) > 1 && isASCIILetter(rest[1]):
			t, n, err := readStartTag(rest)
			if err != "" {
				fail("%s", err)
				return tags, problems
			}
			t.line = line
			for k, a := range t.order {
				for _, b := range t.order[:k] {
					if a == b {
						fail("<%s> has the attribute %s twice", t.name, a)
					}
				}
			}
			tags = append(tags, t)
			advance(n)
			selfClosed := bytes.HasSuffix(bytes.TrimRight(rest[:n-1], " "), []byte("/"))
			switch {
			case voidElements[t.name]:
			case t.name == "script" || t.name == "style":
				end := bytes.Index(bytes.ToLower(data[i:]), []byte("</"+t.name))
				if end < 0 {
					fail("<%s> is not closed", t.name)
					return tags, problems
				}
				advance(end) // the end tag is read as any other
				stack = append(stack, t)
				texts = append(texts, &bytes.Buffer{})
			case selfClosed:
				fail("<%s/> is not a void element: write <%s></%s>", t.name, t.name, t.name)
			default:
				stack = append(stack, t)
				texts = append(texts, &bytes.Buffer{})
			}
		default:
			fail("a bare \"<\" in text: write &lt;")
			advance(1)
		}
	}
	for _, t := range stack {
		fail("<%s> opened on line %d is never closed", t.name, t.line)
	}
	return tags, problems
}

func isASCIILetter(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }

// readStartTag reads "<name attr=value …>" and returns it with its length.
func readStartTag(s []byte) (*htmlTag, int, string) {
	i := 1
	for i < len(s) && (isASCIILetter(s[i]) || s[i] >= '0' && s[i] <= '9' || s[i] == '-') {
		i++
	}
	t := &htmlTag{name: strings.ToLower(string(s[1:i])), attrs: map[string]string{}}
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r' || s[i] == '/') {
			i++
		}
		if i >= len(s) {
			return nil, 0, "unterminated tag <" + t.name
		}
		if s[i] == '>' {
			return t, i + 1, ""
		}
		start := i
		for i < len(s) && !strings.ContainsRune(" \n\t\r/>=\"'<", rune(s[i])) {
			i++
		}
		if i == start {
			return nil, 0, fmt.Sprintf("unexpected %q in tag <%s>", s[i], t.name)
		}
		name := strings.ToLower(string(s[start:i]))
		val := ""
		if i < len(s) && s[i] == '=' {
			i++
			if i < len(s) && (s[i] == '"' || s[i] == '\'') {
				q := s[i]
				j := bytes.IndexByte(s[i+1:], q)
				if j < 0 {
					return nil, 0, "unterminated value of " + name + " in <" + t.name
				}
				val = string(s[i+1 : i+1+j])
				i += j + 2
			} else {
				start := i
				for i < len(s) && !strings.ContainsRune(" \n\t\r>", rune(s[i])) {
					i++
				}
				val = string(s[start:i])
			}
		}
		t.attrs[name] = unescapeAttr(val)
		t.order = append(t.order, name)
	}
}

// unescapeAttr decodes the entities html/template writes in attributes.
var unescapeAttr = strings.NewReplacer("&amp;", "&", "&#34;", "\"", "&#39;", "'", "&lt;", "<", "&gt;", ">", "&quot;", "\"", "&#43;", "+").Replace

func TestParseHTML(t *testing.T) {
	good := `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>T</title>
<script src="/a.js" defer></script><style>p < b {}</style></head>
<body><!-- x --><p id=a class="b c">x &amp; y<br></p><ul><li>1</li></ul></body></html>`
	tags, problems := parseHTML([]byte(good))
	if len(problems) > 0 {
		t.Fatalf("a well-formed page has problems: %v", problems)
	}
	var title *htmlTag
	for _, tag := range tags {
		if tag.name == "title" && !tag.end {
			title = tag
		}
	}
	if title == nil || title.text != "T" {
		t.Fatalf("title not read: %+v", title)
	}
	for _, bad := range []string{
		`<p>open`,
		`<p><b>x</p></b>`,
		`<ul><li>1</ul>`,
		`<div/>`,
		`<br></br>`,
		`a < b`,
		`<a href="x>y</a>`,
		`<a href=x href=y>z</a>`,
		`<!-- no end`,
		`</p>`,
	} {
		if _, problems := parseHTML([]byte(bad)); len(problems) == 0 {
			t.Errorf("%q: no problem found", bad)
		}
	}
}
