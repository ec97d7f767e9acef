package build

import (
	"context"
	"html"
	"regexp"
	"strings"
	"testing"
)

// TestReadMoreNames: on the self-check of the repository's site, in every
// language, each "read more" link of the result is named after where it
// goes: the target page's title, then the heading its anchor names.
func TestReadMoreNames(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole site")
	}
	r := Run(context.Background(), Options{Source: "..", NoWasm: true})
	if len(r.Diagnostics) > 0 {
		t.Fatalf("the site has diagnostics:\n%s", r.Diagnostics.Format(0))
	}
	byURL := map[string]*Page{}
	for _, p := range r.Pages {
		byURL[p.URL] = p
	}
	link := regexp.MustCompile(`<a href="([^"]*)">([^<]*)<span class="visually-hidden">: ([^<]*)</span></a>`)
	for _, p := range r.Pages {
		if p.Layout != "selfcheck" {
			continue
		}
		links := link.FindAllStringSubmatch(string(r.Files[strings.TrimPrefix(p.URL, "/")+"index.html"]), -1)
		if len(links) < 10 {
			t.Fatalf("%s: %d read-more links, want one per blocker, warning and step with a link", p.URL, len(links))
		}
		for _, l := range links {
			href, name := html.UnescapeString(l[1]), html.UnescapeString(l[3])
			path, anchor, _ := strings.Cut(href, "#")
			target := byURL[path]
			if target == nil {
				t.Errorf("%s: a link to %s, which is no page", p.URL, href)
				continue
			}
			want := target.Title()
			for _, h := range target.Headings {
				if anchor != "" && h.ID == anchor {
					want += " – " + h.Text
				}
			}
			if name != want {
				t.Errorf("%s: the link to %s is named %q, want %q", p.URL, href, name, want)
			}
		}
	}
}
