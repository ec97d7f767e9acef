package cms

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"go.yaml.in/yaml/v3"

	"kmopsite/build"
)

// The site's own words of the editor are complete in every language.
func TestEditorWordsOfTheSite(t *testing.T) {
	for _, lang := range []string{"nl", "fr", "en"} {
		if _, diags := LoadWords(os.DirFS(".."), lang); len(diags) > 0 {
			t.Errorf("content/%s/cms.yaml:\n%s", lang, diags.Format(0))
		}
	}
}

// A missing word, an unknown key and a field of FrontMatter without a
// label are errors at their place.
func TestEditorWordsChecked(t *testing.T) {
	words := strings.Replace(string(fixtureWords()), "  mend: ", "  mendd: ", 1)
	words = strings.Replace(words, "  toc:\n    label: Inhoudsopgave\n", "  toc:\n    label: \"\"\n", 1)
	_, diags := LoadWords(fstest.MapFS{"content/nl/cms.yaml": {Data: []byte(words)}}, "nl")
	out := diags.Format(0)
	for _, want := range []string{`unknown key "mendd" in gate`, "did you mean", "no words for gate.mend", "no label for toc in fields"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
}

// Decap speaks the site's first language, or cms.locale.
func TestEditorLocale(t *testing.T) {
	locale := func(fsys fstest.MapFS) string {
		t.Helper()
		data, err := Config(fsys, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var c struct{ Locale string }
		yaml.Unmarshal(data, &c)
		return c.Locale
	}
	fsys := fixture()
	if got := locale(fsys); got != "nl" {
		t.Errorf("locale %q, want the first language, nl", got)
	}
	fsys["site.yaml"].Data = append(fsys["site.yaml"].Data, "cms:\n  repository: a/b\n  locale: en\n"...)
	fsys["content/en/cms.yaml"] = &fstest.MapFile{Data: fixtureWords()}
	if got := locale(fsys); got != "en" {
		t.Errorf("locale %q with cms.locale: en", got)
	}
}

// A news post's translation has a "translation of" field that chooses
// the Dutch post; saving it ties both (the same translation_key) and
// records the source's hash, so check calls it up to date from its
// first save.
func TestTranslationOf(t *testing.T) {
	data, err := Config(fixture(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var c decapConfig
	if err := yaml.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	for _, col := range c.Collections {
		for _, f := range col.Fields {
			if f.Name != "translation_key" {
				continue
			}
			switch col.Name {
			case "news_en":
				if f.Widget != "relation" || f.Collection != "news_nl" || f.ValueField != "{{slug}}" {
					t.Errorf("news_en's translation_key: %+v", f)
				}
			case "news_nl", "pages":
				if f.Widget != "string" {
					t.Errorf("%s's translation_key: %+v", col.Name, f)
				}
			}
		}
	}

	dir := newSite(t)
	os.MkdirAll(filepath.Join(dir, "content/nl/nieuws"), 0o755)
	os.MkdirAll(filepath.Join(dir, "content/en/nieuws"), 0o755)
	nl := "---\ntitle: Hervorming\ndescription: Wat verandert.\ndate: 2026-01-26\n---\n\nTekst.\n"
	os.WriteFile(filepath.Join(dir, "content/nl/nieuws/2026-01-26-hervorming.md"), []byte(nl), 0o644)
	b := newBackend(t, dir)
	en := "---\ntitle: Reform\ndescription: What changes.\ndate: 2026-01-26\ntranslation_key: 2026-01-26-hervorming\n---\n\nText.\n"
	if code, out := call(t, b, "persistEntry", map[string]any{"dataFiles": []map[string]string{{"path": "content/en/nieuws/2026-01-26-reform.md", "raw": en}}, "options": map[string]any{}}); code != 200 {
		t.Fatalf("persistEntry: %d %s", code, out)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "content/nl/nieuws/2026-01-26-hervorming.md")); string(got) != strings.Replace(nl, "---\n\n", "translation_key: 2026-01-26-hervorming\n---\n\n", 1) {
		t.Errorf("the source after the save:\n%s", got)
	}
	r := build.Run(t.Context(), build.Options{FS: os.DirFS(dir), Source: dir, NoWasm: true})
	found := false
	for _, s := range build.TranslationStatuses(r) {
		if s.File == "content/en/nieuws/2026-01-26-reform.md" {
			found = true
			if s.State != build.UpToDate || s.Source != "content/nl/nieuws/2026-01-26-hervorming.md" {
				t.Errorf("the translation's status: %+v", s)
			}
		}
	}
	if !found {
		t.Error("no status for the translation")
	}
}
