package build

import (
	"bytes"
	"testing"
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
			for _, p := range checkSite(r, siteRules{seo: true, descMin: 1, descMax: 170}) {
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
