package build

import (
	"strings"
	"testing"
)

// TestDestinations renders links through the destinations extension: a
// page's body is rendered once with holes, and each filling of it writes
// a resolved link with the destination it is given and any other with the
// one written; the body is left as it was, and the other attributes are
// written as goldmark writes them.
func TestDestinations(t *testing.T) {
	src := "---\ntitle: T\n---\n" + `[a](a.md#x "Titel") [b](b.md) [c](javascript:alert(1)) [d](https://example.be/) [e](c.md "<e>")` + "\n"
	for _, raw := range []bool{false, true} {
		p := &Page{File: "content/nl/p.md", Lang: "nl", Rel: "p.md", src: source{path: "content/nl/p.md", data: []byte(src)},
			bodyOffset: len("---\ntitle: T\n---\n"), Front: FrontMatter{RawHTML: raw}}
		(&markdown{}).parse(p)
		if len(p.links) != 3 || len(p.body.holes) != 3 {
			t.Fatalf("raw %v: %d links, %d holes, want 3", raw, len(p.links), len(p.body.holes))
		}
		before := string(p.body.html)
		dests := Dests{0: "/nl/a/#x", 2: `/nl/c/?a="b"&c`}
		for range 2 { // the same body, filled twice, gives the same
			got := p.body.fill(p.links, dests)
			for _, want := range []string{`<a href="/nl/a/#x" title="Titel">a</a>`, `<a href="b.md">b</a>`,
				`<a href="https://example.be/">d</a>`, `<a href="/nl/c/?a=%22b%22&amp;c" title="&lt;e&gt;">e</a>`} {
				if !strings.Contains(got, want) {
					t.Errorf("raw %v: %s lacks %s", raw, got, want)
				}
			}
			if js := strings.Contains(got, `href="javascript:`); js != raw {
				t.Errorf("raw %v: a javascript: link is written: %v\n%s", raw, js, got)
			}
		}
		if string(p.body.html) != before {
			t.Errorf("the body was changed: %q", p.body.html)
		}
		if got := p.body.fill(p.links, nil); !strings.Contains(got, `<a href="a.md#x" title="Titel">`) {
			t.Errorf("without destinations, the link as written: %s", got)
		}
	}
}
