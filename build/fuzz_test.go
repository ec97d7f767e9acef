package build

import (
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"kmopsite/diag"
)

// Fuzz what reads an editor's files (goldmark's fuzz/fuzz_test.go): the
// front matter and the Markdown's links. The seeds run in every go test;
// go test ./build -fuzz FuzzFrontMatter explores further.

var frontMatterSeeds = []string{
	"---\ntitle: Over ons\ndescription: Wie we zijn.\n---\nTekst.\n",
	"\ufeff---\ntitle: BOM\ndescription: Een bestand met een BOM.\n---\nTekst.\n",
	"---\r\ntitle: CRLF\r\ndescription: Windows.\r\n---\r\nTekst.\r\n",
	"---\ntitle: Over: ons\n  weight: 2\n---\n",
	"---\ntitel: x\nwieght: [1, 2]\naliases: {a: b}\ndate: 2026-13-01\nslug: A B\n---\n",
	"---\ntitle: &a x\ndescription: *a\nlayout: *b\n---\n",
	"---\n",
	"---\n---",
	"--- \n- a\n- b\n---\n",
	"---\ntitle: \"\x00\xff\"\n---\n",
	"geen front matter\n",
	"",
	"---\ntitle: é\ndescription: ü\nweight: 99999999999999999999\ndraft: ja\n---\n# één\n",
}

func FuzzFrontMatter(f *testing.F) {
	for _, s := range frontMatterSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if start, end, body, ok := diag.FrontMatter(data); ok {
			if body < 0 || body > len(data) {
				t.Fatalf("body offset %d outside a file of %d bytes", body, len(data))
			}
			if start < 0 || start > end || end > body {
				t.Fatalf("the front matter %d:%d is not before the body at %d", start, end, body)
			}
			// The body starts after the closing "---" line, never inside it.
			before := strings.TrimRight(string(data[:body]), "\r\n ")
			if !strings.HasSuffix(before, "---") {
				t.Fatalf("the body starts at %d, not after the closing ---: %q", body, data[:body])
			}
		}
		p := &Page{File: "content/nl/x.md", Lang: "nl", Rel: "x.md", src: source{path: "content/nl/x.md", data: data}}
		checkPositions(t, data, parseFrontMatter(p))
	})
}

func FuzzMarkdownLinks(f *testing.F) {
	for _, s := range []string{
		"[a](b.md) [c](../d.md#e) [f](#g) [h](/nl/x/) [i](https://x.be) [](j.md) [k]()",
		"![](/assets/x.png) ![alt](y.png) <b>x</b>\n\n<div>\n</div>\n",
		"# Eén\n## Twee {#twee}\n## Twee\n[x](x.md#twee-1)",
		"| a | b |\n|---|---|\n| [x](y.md) | ![z](/assets/z.png) |\n",
		"[^1]\n\n[^1]: noot [x](x.md)\n\nterm\n: [def](d.md)\n",
		"[a\n](b.md)\n\n*[a](b.md%zz)*",
		"<a href=\"x\">x</a> www.example.com `[x](y.md)`",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	md := &markdown{}
	f.Fuzz(func(t *testing.T, body string, raw bool) {
		front := "---\ntitle: T\ndescription: D\n"
		if raw {
			front += "raw_html: true\n"
		}
		data := []byte(front + "---\n" + body)
		p, diags := readPage(mapFile("content/nl/dir/x.md", data), "content/nl/dir/x.md")
		if p == nil {
			t.Fatalf("no page: %v", diags)
		}
		diags = append(diags, md.parse(p)...)
		checkPositions(t, data, diags)
		for _, l := range p.links {
			if l.offset < 0 || l.offset > len(data) {
				t.Fatalf("link at offset %d outside the file", l.offset)
			}
			if strings.HasPrefix(l.target, "../") || strings.HasPrefix(l.target, "/") {
				t.Fatalf("link target %q leaves the language folder", l.target)
			}
		}
		last := 0
		for _, h := range p.body.holes {
			if h.at < last || h.at > len(p.body.html) || h.link < 0 || h.link >= len(p.links) {
				t.Fatalf("hole %+v out of order or outside the body (%d bytes, %d links)", h, len(p.body.html), len(p.links))
			}
			last = h.at
		}
		p.body.fill(p.links, nil)
	})
}

// checkPositions fails when a diagnostic points outside the file.
func checkPositions(t *testing.T, data []byte, diags Diagnostics) {
	t.Helper()
	lines := strings.Split(string(data), "\n")
	for _, d := range diags {
		if d.Line == 0 {
			continue
		}
		if d.Line < 0 || d.Line > len(lines) {
			t.Fatalf("%s: line %d of a file of %d lines", d.Msg, d.Line, len(lines))
		}
		line := strings.TrimSuffix(lines[d.Line-1], "\r")
		if n := utf8.RuneCountInString(line); d.Col < 1 || d.Col > n+1 {
			t.Fatalf("%s: column %d of line %d, which has %d characters: %q", d.Msg, d.Col, d.Line, n, line)
		}
		if d.Source != line {
			t.Fatalf("%s: source %q, but line %d is %q", d.Msg, d.Source, d.Line, line)
		}
		_ = d.String() // formatting never panics
	}
}

func mapFile(name string, data []byte) fstest.MapFS {
	return fstest.MapFS{name: &fstest.MapFile{Data: data}}
}
