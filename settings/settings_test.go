package settings

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// format lists diagnostics as the command line prints them.
func format(t *testing.T, text string) (*Site, string) {
	t.Helper()
	s, diags := Parse([]byte(text))
	return s, diags.Format(0)
}

// TestSecondLanguageAtItsLine: a mistake in the second language is named
// at that language's line, not at the first one's.
func TestSecondLanguageAtItsLine(t *testing.T) {
	_, got := format(t, `base_url: https://www.example.be/
languages:
  - code: nl
    locale: nl-BE
  - code: f r
    locale: fr-BE
  - code: nl
  - locale: en
`)
	want := `site.yaml:5:5: error: language code "f r" is not valid
 5 |   - code: f r
   |     ^
hint: use a short language code such as nl, fr or en
site.yaml:7:5: error: language "nl" has no locale
 7 |   - code: nl
   |     ^
hint: add a locale such as nl-BE
site.yaml:7:5: error: language "nl" is listed twice
 7 |   - code: nl
   |     ^
hint: list each language once
site.yaml:8:5: error: language code "" is not valid
 8 |   - locale: en
   |     ^
hint: use a short language code such as nl, fr or en
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestDefaults: what site.yaml leaves out keeps its default, a list it
// writes replaces the default one, and an optional section gets its
// defaults when written.
func TestDefaults(t *testing.T) {
	s, diags := Parse([]byte("base_url: https://x.be\nlanguages:\n  - code: fr\n    locale: fr-BE\nquote:\n  to: a@x.be\ncms:\n  repository: a/b\n"))
	if len(diags) > 0 {
		t.Fatal(diags.Format(0))
	}
	want := Default()
	want.BaseURL = "https://x.be/" // with its slash
	want.Languages = []Language{{Code: "fr", Locale: "fr-BE"}}
	want.Quote.To = "a@x.be"
	want.CMS = &CMS{Repository: "a/b", Branch: "main"}
	s.src, s.doc = want.src, nil
	if !reflect.DeepEqual(*s, want) {
		t.Errorf("got  %+v\nwant %+v", *s, want)
	}
}

// TestNoFile: without site.yaml, the defaults, and no diagnostic.
func TestNoFile(t *testing.T) {
	s, diags := Read(fstest.MapFS{})
	if len(diags) > 0 || s.DefaultLang().Code != "nl" || s.Unread() {
		t.Errorf("%+v %v", s, diags)
	}
	if d := s.At("quote.to", "", "x"); d.File != File || d.Line != 0 {
		t.Errorf("a diagnostic without a file has a place: %+v", d)
	}
}

// TestNotYAML: a site.yaml that is not YAML is unread: the one syntax
// error, the default languages, and checks that name no line.
func TestNotYAML(t *testing.T) {
	s, diags := Parse([]byte("title: \"open\nlanguages: [\n"))
	if !s.Unread() || diags.Errors() != 1 || !strings.Contains(diags[0].Msg, "invalid YAML") {
		t.Errorf("unread %v, %s", s.Unread(), diags.Format(0))
	}
	if s.DefaultLang().Code != "nl" {
		t.Error("no default language")
	}
}

// TestNoLanguage: an empty list of languages is an error, and the site
// still has a default language to build with.
func TestNoLanguage(t *testing.T) {
	s, got := format(t, "languages: []\n")
	if !strings.HasPrefix(got, "site.yaml:1:1: error: languages lists no language") || s.DefaultLang() == nil {
		t.Error(got)
	}
}
