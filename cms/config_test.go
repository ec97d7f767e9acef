package cms

import (
	"flag"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"go.yaml.in/yaml/v3"

	"kmopsite/build"
	"kmopsite/settings"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := "testdata/" + name
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test ./cms -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the generated configuration (go test ./cms -update rewrites it after review):\n%s", file, lineDiff(string(want), string(got)))
	}
}

// lineDiff lists the lines of want and got that differ, at most 20.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	n := 0
	for i := 0; i < max(len(w), len(g)) && n < 20; i++ {
		var a, c string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			c = g[i]
		}
		if a != c {
			n++
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n- " + a + "\n+ " + c + "\n")
		}
	}
	return b.String()
}

// TestConfigRealSite generates the editor's configuration of the real
// site and checks that it is valid, not what it says (the fixture's golden
// does that): YAML that reads back, with collections, each folder and file
// it names a folder or file of the site, and every words file of the
// default language in it. An editor's edit of the content changes nothing
// here.
func TestConfigRealSite(t *testing.T) {
	got, err := Config(os.DirFS(".."), Options{Branch: "main"})
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Collections []struct {
			Name   string `yaml:"name"`
			Folder string `yaml:"folder"`
			Files  []struct {
				File string `yaml:"file"`
			} `yaml:"files"`
		} `yaml:"collections"`
	}
	if err := yaml.Unmarshal(got, &cfg); err != nil || len(cfg.Collections) == 0 {
		t.Fatalf("the configuration does not read back (%v):\n%.500s", err, got)
	}
	named := map[string]bool{}
	for _, c := range cfg.Collections {
		paths := []string{c.Folder}
		for _, f := range c.Files {
			paths = append(paths, f.File)
		}
		for _, p := range paths {
			if p == "" {
				continue
			}
			named[p] = true
			if _, err := os.Stat("../" + p); err != nil {
				t.Errorf("collection %s names %s: %v", c.Name, p, err)
			}
		}
	}
	for _, name := range []string{"site.yaml", "content/nl/interface.yaml", "content/nl/selfcheck.yaml", "content/nl/quote.yaml"} {
		if !named[name] {
			t.Errorf("no collection edits %s", name)
		}
	}
}

// fixture is a small site: two languages, a news section and a nested
// section, two layouts, words files.
func fixture() fstest.MapFS {
	return fstest.MapFS{
		"site.yaml": {Data: []byte(`languages:
  - code: nl
    name: Nederlands
    locale: nl-BE
    menu:
      - page: a.md
  - code: en
    name: English
    locale: en
news_section: news
contact:
  email: info@example.be
`)},
		"templates/layouts/page.html":     {Data: []byte(`x`)},
		"templates/layouts/post.html":     {Data: []byte(`x`)},
		"templates/layouts/404.html":      {Data: []byte(`x`)},
		"content/nl/_index.md":            {Data: []byte("---\ntitle: Home\ndescription: d\n---\n")},
		"content/nl/a.md":                 {Data: []byte("---\ntitle: A\ndescription: d\n---\n")},
		"content/nl/news/_index.md":       {Data: []byte("---\ntitle: News\ndescription: d\n---\n")},
		"content/nl/news/2026-01-01-x.md": {Data: []byte("---\ntitle: X\ndescription: d\ndate: 2026-01-01\n---\n")},
		"content/en/guides/deep/b.md":     {Data: []byte("---\ntitle: B\ndescription: d\n---\n")},
		"content/nl/interface.yaml":       {Data: []byte("# words\nskip_link: Naar de inhoud\nnested:\n  a: b\nlist:\n  - id: x\n    text: y\n")},
		"content/en/quote.yaml":           {Data: []byte("form:\n  title: Ask\n")},
		"content/nl/cms.yaml":             {Data: fixtureWords()},
	}
}

// fixtureWords is the editor's words of the fixtures (a copy of the
// Dutch ones, kept in testdata so that editing the site's words changes
// no test).
func fixtureWords() []byte {
	data, err := os.ReadFile("testdata/cms.nl.yaml")
	if err != nil {
		panic(err)
	}
	return data
}

func TestConfigFixture(t *testing.T) {
	got, err := Config(fixture(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "fixture.config.yml", got)
	var c map[string]any
	if err := yaml.Unmarshal(got, &c); err != nil {
		t.Fatal(err)
	}
	if _, ok := c["publish_mode"]; ok {
		t.Error("a folder that is not a git repository has no editorial workflow")
	}
}

// A field added to build.FrontMatter shows up without touching the CMS:
// every yaml key of FrontMatter but the managed ones is a field.
func TestConfigFieldsFollowFrontMatter(tt *testing.T) {
	cfg, _ := settings.Read(fixture())
	fields := map[string]bool{}
	s := newSchema(fixture(), cfg)
	s.w, _ = LoadWords(fixture(), "nl")
	for _, f := range s.pageFields(false, true) {
		fields[f.Name] = true
	}
	t := reflect.TypeFor[build.FrontMatter]()
	for i := range t.NumField() {
		key, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if !fields[key] && !managedFields[key] {
			tt.Errorf("front-matter key %q has no field in the CMS", key)
		}
	}
	if !fields["body"] {
		tt.Error("no body field")
	}
}
