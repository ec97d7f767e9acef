// Package sitecheck checks a built site as files, the way a browser, a
// crawler and a screen reader will meet it: every page's HTML
// (Parse: well-formed, ids, ARIA, nothing escaped twice, nothing the
// Content-Security-Policy forbids), and the site as a whole (Check: links,
// anchors, assets and their integrity, titles, descriptions, canonical
// URLs, hreflang, the sitemap).
//
// It is the one checker of the repository: the build's golden tests run it
// on every site they build in memory, and checks/ runs it on the real site
// that `kmopsite build` writes. It imports nothing of the site's own code.
package sitecheck

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/net/html"
)

// Problem is one mistake in a built file. Line is 0 when the mistake is
// the file's as a whole (a missing title, say).
type Problem struct {
	File string
	Line int
	Msg  string
}

func (p Problem) String() string {
	switch {
	case p.File == "":
		return p.Msg
	case p.Line == 0:
		return p.File + ": " + p.Msg
	}
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
}

// Tag is a start tag with its attributes, in page order.
type Tag struct {
	Name  string            // lowercase
	Attrs map[string]string // values unescaped
	Line  int
	Text  string // for <title>: its text, unescaped and trimmed
}

// Attr returns an attribute's value, "" when absent.
func (t *Tag) Attr(name string) string { return t.Attrs[name] }

// Has reports whether the tag has the attribute.
func (t *Tag) Has(name string) bool { _, ok := t.Attrs[name]; return ok }

// Doc is a parsed page: its start tags, its ids and its mistakes (with
// File left empty: Check fills it in).
type Doc struct {
	Tags     []*Tag
	IDs      map[string]int // id → line of its element
	Problems []Problem
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

// escapedTwice are what text shows when it was escaped once too often:
// entities and tags after one decoding.
var escapedTwice = []string{"&amp;", "&#", "&lt;", "&gt;", "&quot;", "&nbsp;", "&rsquo;", "&ndash;", "<p>", "<a ", "</"}

// open is an element on the stack of open elements.
type open struct {
	tag     *Tag
	foreign bool // inside <svg> or <math>, where <x/> closes an element
	text    *strings.Builder
}

// Parse reads a page with golang.org/x/net/html's tokenizer and a stack of
// open elements, and reports, each at its line:
//
//   - form: no <!doctype html> first; an element not closed, or closed out
//     of order (the templates and goldmark close every element, so an
//     unclosed <p> or <li> is a mistake here even though HTML5 forgives
//     it); an end tag that closes nothing; </br>; <div/>; a stray "<"; a
//     comment, tag or quoted value not closed; an attribute written twice;
//   - ids: an id used twice; a reference (href="#x", aria-labelledby,
//     aria-describedby, aria-controls, for …) to an id the page lacks;
//   - escaping: text or an attribute that still holds an entity or a tag
//     once decoded;
//   - the Content-Security-Policy: an inline script, style or on…= handler;
//   - required attributes: <html lang>, <img alt>;
//   - ARIA: see checkARIA.
func Parse(data []byte) *Doc {
	d := &Doc{IDs: map[string]int{}}
	line := 1
	fail := func(at int, format string, args ...any) {
		d.Problems = append(d.Problems, Problem{Line: at, Msg: fmt.Sprintf(format, args...)})
	}
	var stack []open
	var refs []idRef
	z := html.NewTokenizer(bytes.NewReader(data))
	offset := 0
	sawDoctype, sawContent := false, false
	for {
		tt := z.Next()
		raw := z.Raw()
		at := line
		if tt == html.ErrorToken {
			if z.Err() != io.EOF {
				fail(at, "%v", z.Err())
			} else if offset < len(data) {
				// The tokenizer gives no token for a tag the file ends inside.
				fail(at, "%s is not closed: a tag or a quoted value runs to the end of the file", shorten(data[offset:]))
			}
			break
		}
		line += bytes.Count(raw, []byte("\n"))
		offset += len(raw)
		foreign := len(stack) > 0 && stack[len(stack)-1].foreign
		switch tt {
		case html.DoctypeToken:
			if !sawContent && strings.EqualFold(string(z.Text()), "html") {
				sawDoctype = true
			}
			continue
		case html.CommentToken:
			if !bytes.HasSuffix(raw, []byte("-->")) {
				fail(at, "comment not closed")
			}
			continue
		case html.TextToken:
			if len(bytes.TrimSpace(raw)) > 0 {
				sawContent = true
			}
			if len(stack) > 0 && (stack[len(stack)-1].tag.Name == "script" || stack[len(stack)-1].tag.Name == "style") {
				continue // raw text: its own language
			}
			if i := bytes.IndexByte(raw, '<'); i >= 0 {
				fail(at+bytes.Count(raw[:i], []byte("\n")), "a bare \"<\" in text (write &lt;)")
			}
			text := z.Text() // decodes in place: raw is no longer the file's
			if len(stack) > 0 && stack[len(stack)-1].text != nil {
				stack[len(stack)-1].text.Write(text)
			}
			if twice := findEscapedTwice(string(text)); twice != "" {
				fail(at, "escaped twice: %q", twice)
			}
			continue
		case html.EndTagToken:
			name, _ := z.TagName()
			n := string(name)
			switch {
			case voidElements[n] && !foreign:
				fail(at, "</%s>: %s has no end tag", n, n)
			case len(stack) == 0:
				fail(at, "</%s> closes nothing", n)
			case stack[len(stack)-1].tag.Name != n:
				top := stack[len(stack)-1].tag
				fail(at, "</%s> closes <%s> opened on line %d", n, top.Name, top.Line)
				// Recover: close up to the matching element, if any.
				for k := len(stack) - 1; k >= 0; k-- {
					if stack[k].tag.Name == n {
						stack = stack[:k]
						break
					}
				}
			default:
				top := stack[len(stack)-1]
				if top.text != nil {
					top.tag.Text = strings.TrimSpace(top.text.String())
				}
				stack = stack[:len(stack)-1]
			}
			continue
		}
		// A start tag, or a self-closing one.
		sawContent = true
		dups := duplicateAttrs(raw) // before TagName and TagAttr change raw
		name, more := z.TagName()
		t := &Tag{Name: string(name), Attrs: map[string]string{}, Line: at}
		for more {
			var k, v []byte
			k, v, more = z.TagAttr()
			t.Attrs[string(k)] = string(v)
		}
		for _, a := range dups {
			fail(at, "<%s>: attribute %s written twice", t.Name, a)
		}
		d.Tags = append(d.Tags, t)
		if !sawDoctype && len(d.Tags) == 1 {
			fail(at, "the page does not start with <!doctype html>")
		}
		checkTag(t, stack, fail)
		if id, ok := t.Attrs["id"]; ok {
			if first, dup := d.IDs[id]; dup {
				fail(at, "id %q is also used on line %d", id, first)
			} else {
				d.IDs[id] = at
			}
		}
		refs = append(refs, idRefs(t)...)

		isForeign := foreign || t.Name == "svg" || t.Name == "math"
		if isForeign && (t.Name == "title" || t.Name == "style" || t.Name == "script") || t.Name == "noscript" {
			// SVG's <title> holds markup, not raw text; so does <noscript>
			// for a browser without scripts, which is how it is checked.
			z.NextIsNotRawText()
		}
		switch {
		case tt == html.SelfClosingTagToken && isForeign:
		case voidElements[t.Name] && !isForeign:
		case tt == html.SelfClosingTagToken:
			fail(at, "<%s/> is not a void element: write <%s></%s>", t.Name, t.Name, t.Name)
		default:
			o := open{tag: t, foreign: isForeign}
			if t.Name == "title" && !isForeign {
				o.text = &strings.Builder{}
			}
			stack = append(stack, o)
		}
	}
	for k := len(stack) - 1; k >= 0; k-- {
		fail(stack[k].tag.Line, "<%s> is never closed", stack[k].tag.Name)
	}
	for _, r := range refs {
		if _, ok := d.IDs[r.id]; !ok {
			fail(r.line, "%s: no element has id %q on this page", r.what, r.id)
		}
	}
	return d
}

// checkTag checks one start tag on its own and against its open ancestors.
func checkTag(t *Tag, stack []open, fail func(int, string, ...any)) {
	for _, key := range sortedAttrs(t) {
		v := t.Attrs[key]
		if strings.HasPrefix(key, "on") || key == "style" {
			fail(t.Line, "inline %s= on <%s>: the Content-Security-Policy forbids it", key, t.Name)
		}
		if twice := findEscapedTwice(v); twice != "" {
			fail(t.Line, "<%s %s=…> escaped twice: %q", t.Name, key, twice)
		}
	}
	switch t.Name {
	case "html":
		if strings.TrimSpace(t.Attrs["lang"]) == "" {
			fail(t.Line, "<html> without lang")
		}
	case "img":
		if !t.Has("alt") {
			fail(t.Line, "<img> without alt (alt=\"\" for an image that says nothing)")
		}
	case "script":
		if !t.Has("src") {
			fail(t.Line, "inline <script>: the Content-Security-Policy forbids it")
		}
	case "style":
		if len(stack) == 0 || !stack[len(stack)-1].foreign {
			fail(t.Line, "inline <style>: the Content-Security-Policy forbids it")
		}
	}
	checkARIA(t, stack, fail)
}

// findEscapedTwice returns the first sign in s of a second escaping.
func findEscapedTwice(s string) string {
	if !strings.ContainsAny(s, "&<") {
		return ""
	}
	for _, twice := range escapedTwice {
		if strings.Contains(s, twice) {
			return twice
		}
	}
	return ""
}

// idRef is an attribute that names an element of the same page by its id.
type idRef struct {
	what string // `aria-labelledby on <div>`
	id   string
	line int
}

// idRefAttrs hold one id, or a space-separated list of them.
var idRefAttrs = []string{"aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "aria-activedescendant", "aria-errormessage", "aria-details", "aria-flowto", "for", "headers", "list"}

func idRefs(t *Tag) []idRef {
	var out []idRef
	if h := t.Attrs["href"]; t.Name == "a" && len(h) > 1 && h[0] == '#' {
		out = append(out, idRef{what: "<a href=\"" + h + "\">", id: h[1:], line: t.Line})
	}
	for _, a := range idRefAttrs {
		v, ok := t.Attrs[a]
		if !ok || t.Name == "meta" || t.Name == "link" {
			continue
		}
		for _, id := range strings.Fields(v) {
			out = append(out, idRef{what: a + " on <" + t.Name + ">", id: id, line: t.Line})
		}
	}
	return out
}

// duplicateAttrs returns the attributes a raw start tag writes more than
// once: the tokenizer keeps the first and drops the others silently, as
// HTML says.
func duplicateAttrs(raw []byte) []string {
	var names, dups []string
	i := bytes.IndexAny(raw, " \t\n\r\f/>") // after the tag name
	for i >= 0 && i < len(raw) {
		for i < len(raw) && bytes.IndexByte([]byte(" \t\n\r\f/"), raw[i]) >= 0 {
			i++
		}
		start := i
		for i < len(raw) && bytes.IndexByte([]byte(" \t\n\r\f/>="), raw[i]) < 0 {
			i++
		}
		if i == start {
			break // ">" or the end
		}
		name := strings.ToLower(string(raw[start:i]))
		if slices.Contains(names, name) && !slices.Contains(dups, name) {
			dups = append(dups, name)
		}
		names = append(names, name)
		for i < len(raw) && (raw[i] == ' ' || raw[i] == '\t' || raw[i] == '\n' || raw[i] == '\r' || raw[i] == '\f') {
			i++
		}
		if i >= len(raw) || raw[i] != '=' {
			continue
		}
		i++
		for i < len(raw) && (raw[i] == ' ' || raw[i] == '\t' || raw[i] == '\n' || raw[i] == '\r' || raw[i] == '\f') {
			i++
		}
		if i < len(raw) && (raw[i] == '"' || raw[i] == '\'') {
			end := bytes.IndexByte(raw[i+1:], raw[i])
			if end < 0 {
				break
			}
			i += end + 2
			continue
		}
		for i < len(raw) && bytes.IndexByte([]byte(" \t\n\r\f>"), raw[i]) < 0 {
			i++
		}
	}
	return dups
}

func shorten(b []byte) string {
	s := string(b)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return fmt.Sprintf("%q", s)
}
