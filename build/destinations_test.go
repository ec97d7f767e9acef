package build

import (
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// TestDestinations renders links through the destinations extension: a
// resolved link takes its destination from the rendering, any other
// keeps the one written, the parsed tree is left as it was, and the
// other attributes are written as goldmark writes them.
func TestDestinations(t *testing.T) {
	src := []byte(`[a](a.md#x "Titel") [b](b.md) [c](javascript:alert(1)) [d](https://example.be/)` + "\n")
	for _, raw := range []bool{false, true} {
		md := (&markdown{}).get("nl", raw)
		doc := md.Parser().Parse(text.NewReader(src))
		var links []*ast.Link
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if l, ok := n.(*ast.Link); ok && entering {
				links = append(links, l)
			}
			return ast.WalkContinue, nil
		})
		dests := Dests{links[0]: "/nl/a/#x"}
		for range 2 { // the same tree, rendered twice, gives the same
			out, err := renderLinks(md, src, doc, dests)
			if err != nil {
				t.Fatal(err)
			}
			got := string(out)
			for _, want := range []string{`<a href="/nl/a/#x" title="Titel">a</a>`, `<a href="b.md">b</a>`, `<a href="https://example.be/">d</a>`} {
				if !strings.Contains(got, want) {
					t.Errorf("raw %v: %s lacks %s", raw, got, want)
				}
			}
			if js := strings.Contains(got, `href="javascript:`); js != raw {
				t.Errorf("raw %v: a javascript: link is written: %v\n%s", raw, js, got)
			}
		}
		if string(links[0].Destination) != "a.md#x" {
			t.Errorf("the parsed tree was changed: %q", links[0].Destination)
		}
		out, _ := renderLinks(md, src, doc, nil)
		if !strings.Contains(string(out), `<a href="a.md#x" title="Titel">`) {
			t.Errorf("without destinations, the link as written: %s", out)
		}
	}
}
