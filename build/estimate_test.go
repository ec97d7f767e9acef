package build

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"
)

const estimateYAML = `estimate:
  hourly_rate: 150
  vat_percent: 21
  hours:
    starter: [12, 16]
    follow_up: [14, 18]
    standard: [14, 20]
    renewal: [14, 20]
  extra_service: [2, 4]
  extra_site: [4, 8]
`

// estimateSite is the fixture site (testdata/base.txtar) whose home page
// shows the site's estimate partial (templates/partials/estimate.html),
// with the estimate's words, and site.yaml's estimate: section when with.
func estimateSite(t *testing.T, with bool) fstest.MapFS {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("testdata", "base.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range a.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	partial, err := os.ReadFile(filepath.Join("..", "templates", "partials", "estimate.html"))
	if err != nil {
		t.Fatal(err)
	}
	fsys["templates/partials/estimate.html"] = &fstest.MapFile{Data: partial}
	fsys["templates/layouts/home.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}<h1>{{.Page.Title}}</h1>
{{template "templates/partials/estimate.html" .}}{{.Content}}
{{end}}
`)}
	for lang, words := range map[string]string{
		"nl": "estimate_standard: \"Van {low} tot {high}, exclusief btw.\"\nestimate_note: \"Een raming.\"\n",
		"fr": "estimate_standard: \"De {low} à {high}, hors TVA.\"\nestimate_note: \"Une estimation.\"\n",
	} {
		name := "content/" + lang + "/interface.yaml"
		fsys[name] = &fstest.MapFile{Data: append(bytes.Clone(fsys[name].Data), words...)}
	}
	if with {
		fsys["site.yaml"] = &fstest.MapFile{Data: append(bytes.Clone(fsys["site.yaml"].Data), estimateYAML...)}
	}
	return fsys
}

// TestEstimate: with site.yaml's estimate: section the home page shows
// the range of a standard audit, excluding VAT, as each language writes
// amounts; without it no amount appears on any page and the build is
// clean.
func TestEstimate(t *testing.T) {
	amount := regexp.MustCompile(`€|data-estimate`)
	for _, with := range []bool{false, true} {
		r := Run(context.Background(), Options{FS: estimateSite(t, with), NoWasm: true})
		if r.Diagnostics.Errors() > 0 {
			t.Fatalf("estimate %v: %s", with, r.Diagnostics.Format(10))
		}
		if !with {
			for path, data := range r.Files {
				if strings.HasSuffix(path, ".html") && amount.Match(data) {
					t.Errorf("without an estimate, %s shows an amount", path)
				}
			}
			continue
		}
		for path, want := range map[string]string{
			"nl/index.html": "Van €\u00a02.100 tot €\u00a03.000, exclusief btw.",
			"fr/index.html": "De 2\u202f100\u00a0€ à 3\u202f000\u00a0€, hors TVA.",
		} {
			page := string(r.Files[path])
			if !strings.Contains(page, `data-estimate-low="2100" data-estimate-high="3000"`) || !strings.Contains(page, want) {
				t.Errorf("%s does not show %q with its data:\n%s", path, want, page)
			}
		}
	}
}

// TestEstimateChecks: the mistakes an editor can make in estimate: are
// named at their line.
func TestEstimateChecks(t *testing.T) {
	fsys := estimateSite(t, false)
	fsys["site.yaml"] = &fstest.MapFile{Data: append(bytes.Clone(fsys["site.yaml"].Data), `estimate:
  hourly_rate: 0
  vat_percent: 121
  hours:
    starter: [12, 16]
    follow_up: [18, 14]
    standard: [14]
    renewl: [14, 20]
  extra_service: [2, 4]
  extra_site: [4, 8, 9]
`...)}
	r := Run(context.Background(), Options{FS: fsys, NoWasm: true})
	got := r.Diagnostics.Format(0)
	for _, want := range []string{
		"site.yaml:", "the hourly rate must be 1 or more",
		"the VAT percentage must be between 0 and 100",
		"estimate.hours.follow_up must be [low, high] hours, low ≤ high",
		"estimate.hours.standard must be [low, high] hours",
		"no hours for the renewal audit",
		`unknown audit "renewl"`, `did you mean "renewal"?`,
		"estimate.extra_site must be [low, high] hours",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the diagnostics do not say %q:\n%s", want, got)
		}
	}
}

func TestEuro(t *testing.T) {
	for _, c := range []struct {
		lang string
		n    int
		want string
	}{
		{"nl", 150, "€\u00a0150"}, {"nl", 2100, "€\u00a02.100"}, {"nl", 1234567, "€\u00a01.234.567"},
		{"fr", 3000, "3\u202f000\u00a0€"}, {"en", 12600, "€12,600"}, {"en", 999, "€999"},
	} {
		if got := euro(c.lang, c.n); got != c.want {
			t.Errorf("euro(%s, %d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
}
