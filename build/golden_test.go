package build

import (
	"bytes"
	"testing"

	"kmopsite/sitecheck"
)

// TestGolden builds each site of testdata/golden in memory and compares
// the outputs with the expected ones (-update rewrites them).
func TestGolden(t *testing.T) {
	for _, file := range cases(t, "golden") {
		t.Run(caseName(file), func(t *testing.T) {
			t.Parallel()
			c := readCase(t, file)
			r := c.run(t)
			c.check(t, r)
			// Every page well formed, every link, anchor and asset resolved,
			// hreflang reciprocal (descriptions may be short here).
			for _, p := range sitecheck.Check(r.Files, siteRules(r, 0, 170)) {
				t.Error(p)
			}

			// Deterministic: a second build gives the same bytes.
			again := c.run(t)
			if a, b := fileList(r), fileList(again); a != b {
				t.Fatalf("a second build wrote other files:\n%s\nthen\n%s", a, b)
			}
			for name, data := range r.Files {
				if !bytes.Equal(data, again.Files[name]) {
					t.Errorf("%s differs between two builds of the same input", name)
				}
			}
		})
	}
}

// siteRules are the rules of sitecheck for a built site: its address, its
// locales, its drafts, and the bounds of a description's length.
func siteRules(r *Result, descMin, descMax int) sitecheck.Rules {
	rules := sitecheck.Rules{BaseURL: r.Config.BaseURL, Drafts: map[string]bool{}, DescMin: descMin, DescMax: descMax}
	for _, l := range r.Config.Languages {
		rules.Locales = append(rules.Locales, l.Locale)
	}
	for _, p := range r.Pages {
		if p.Front.Draft {
			rules.Drafts[p.Output] = true
		}
	}
	return rules
}
