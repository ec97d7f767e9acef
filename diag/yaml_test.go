package diag

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
)

type testConfig struct {
	Title     string
	BaseURL   string
	Weight    int
	Draft     bool
	Languages []testLang
	Headers   map[string]string
	Renamed   string `yaml:"other_name"`
}

type testLang struct {
	Code, Name string
}

// decode runs DecodeYAML on text placed after prefix in a file, and lists
// the diagnostics as "line:col: msg | hint".
func decode(prefix, text string, out any) []string {
	src := Source{Path: "f.yaml", Data: []byte(prefix + text)}
	_, diags := DecodeYAML(src, len(prefix), len(src.Data), out)
	var got []string
	for _, d := range diags {
		got = append(got, fmt.Sprintf("%d:%d: %s | %s", d.Line, d.Col, d.Msg, d.Hint))
	}
	return got
}

func TestDecodeYAML(t *testing.T) {
	for _, c := range []struct {
		name, prefix, text string
		want               []string
	}{
		{"clean", "", "title: Hallo\nbase_url: https://x.be/\nweight: 2\ndraft: true\nother_name: y\nlanguages:\n  - code: nl\n", nil},
		{"unknown key", "", "titel: x\n",
			[]string{`1:1: unknown key "titel" | did you mean "title"?`}},
		{"unknown key, nothing close", "", "languages:\n  - colour: x\n",
			[]string{`2:5: unknown key "colour" in languages | the keys in languages are: code, name`}},
		{"duplicate key in a struct", "", "title: a\nweight: 1\ntitle: b\n",
			[]string{`3:1: key "title" is written twice; the first is on line 1 | keep one of them: YAML would silently use the last`}},
		{"duplicate key in a map", "", "headers:\n  X-A: 1\n  X-A: 2\n",
			[]string{`3:3: key "X-A" in headers is written twice; the first is on line 2 | keep one of them: YAML would silently use the last`}},
		{"types", "", "weight: many\ndraft: maybe\n",
			[]string{`1:9: "weight": "many" is not a whole number | write a whole number such as 10`,
				`2:8: "draft": "maybe" is not true or false | write true or false`}},
		{"merge keys", "", "headers:\n  <<: {X-A: b}\n",
			[]string{`2:3: merge keys (<<) are not supported | write the keys out`}},
		{"a unique beginning", "", "lang: x\n",
			[]string{`1:1: unknown key "lang" | did you mean "languages"?`}},
		// Front matter: the YAML starts on line 2 of its file.
		{"offset", "---\n", "title: a\ntitel: b\n",
			[]string{`3:1: unknown key "titel" | did you mean "title"?`}},
		// YAML ends a line at a lone CR or NEL; an editor does not.
		{"lone CR", "", "title: \"a\rb\"\ntitel: x\n",
			[]string{`2:1: unknown key "titel" | did you mean "title"?`}},
		{"NEL", "", "title: \"a\u0085b\"\ntitel: x\n",
			[]string{`2:1: unknown key "titel" | did you mean "title"?`}},
		{"CRLF", "", "title: a\r\ntitel: x\r\n",
			[]string{`2:1: unknown key "titel" | did you mean "title"?`}},
		// The two commonest slips, at their real place.
		{"tab", "", "languages:\n  - code: nl\n\t  name: x\n",
			[]string{`3:1: invalid YAML: a tab in the indentation | indent with spaces: YAML does not allow tabs in the indentation`}},
		{"unclosed quote", "", "title: \"Over ons\nbase_url: \"https://x.be/\"\nweight: 2\n",
			[]string{`1:8: invalid YAML: the quoted value that starts here is not closed | end the value with " on the same line, or remove the quote at its start`}},
		{"unclosed single quote", "---\n", "title: 'Over ons\nweight: 2\n",
			[]string{`2:8: invalid YAML: the quoted value that starts here is not closed | end the value with ' on the same line, or remove the quote at its start`}},
		{"closed quotes with escapes", "", "title: \"say \\\"hi\\\"\"\nbase_url: 'it''s'\n", nil},
		{"other syntax errors keep YAML's words", "", "title: a: b\n",
			[]string{`1:1: invalid YAML: mapping values are not allowed in this context | check the indentation and that each line reads "key: value"; quote values that contain a colon`}},
		{"a tab in a block text is text", "", "title: |\n  a\n  \tb\nweight: x\n",
			[]string{`4:9: "weight": "x" is not a whole number | write a whole number such as 10`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var cfg testConfig
			if got := decode(c.prefix, c.text, &cfg); !slices.Equal(got, c.want) {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestDecodeYAMLKeepsWhatItCan(t *testing.T) {
	var cfg testConfig
	decode("", "title: Hallo\ntitel: x\nweight: 3\nheaders:\n  X-A: b\n", &cfg)
	want := testConfig{Title: "Hallo", Weight: 3, Headers: map[string]string{"X-A": "b"}}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("got %+v, want %+v", cfg, want)
	}
}

func TestDocPositions(t *testing.T) {
	src := Source{Data: []byte("title: a\nlanguages:\n  - code: nl\nheaders:\n  X-A: b\n")}
	var cfg testConfig
	doc, _ := DecodeYAML(src, 0, len(src.Data), &cfg)
	for _, c := range []struct {
		off       int
		line, col int
	}{
		{doc.Key("title"), 1, 1},
		{doc.Value("title"), 1, 8},
		{doc.Key("headers.X-A"), 5, 3},
		{doc.Key("headers.X-B"), 4, 1}, // the nearest written parent
		{doc.Key("weight"), 1, 1},      // nothing written: the start
	} {
		if l, col := src.Position(c.off); l != c.line || col != c.col {
			t.Errorf("at %d:%d, want %d:%d", l, col, c.line, c.col)
		}
	}
}

// TestDocListItems: each item of a list has its own place, so that a
// mistake in the second one is named at its own line.
func TestDocListItems(t *testing.T) {
	src := Source{Data: []byte("languages:\n  - code: nl\n    name: N\n  - code: fr\n")}
	var cfg testConfig
	doc, _ := DecodeYAML(src, 0, len(src.Data), &cfg)
	for _, c := range []struct {
		off       int
		line, col int
	}{
		{doc.Key("languages[0].code"), 2, 5},
		{doc.Value("languages[0].name"), 3, 11},
		{doc.Key("languages[1].code"), 4, 5},
		{doc.Value("languages[1].code"), 4, 11},
		{doc.Key("languages[1].name"), 4, 5}, // not written: its item
		{doc.Key("languages[2].code"), 1, 1}, // no such item: the list
	} {
		if l, col := src.Position(c.off); l != c.line || col != c.col {
			t.Errorf("at %d:%d, want %d:%d", l, col, c.line, c.col)
		}
	}
}

// TestDecodeOverDefaults: decoding into defaults keeps what the file
// leaves out, replaces a list it writes, and starts an optional section
// from its own defaults.
func TestDecodeOverDefaults(t *testing.T) {
	type out struct {
		Title     string
		Weight    int
		Languages []testLang
		Section   *withDefaults
	}
	cfg := out{Title: "default", Weight: 7, Languages: []testLang{{Code: "nl"}}}
	if got := decode("", "title: T\nlanguages:\n  - code: fr\n  - code: en\nsection:\n  name: x\n", &cfg); got != nil {
		t.Fatal(got)
	}
	want := out{Title: "T", Weight: 7, Languages: []testLang{{Code: "fr"}, {Code: "en"}}, Section: &withDefaults{Name: "x", Branch: "main"}}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("got %+v, want %+v", cfg, want)
	}
}

type withDefaults struct{ Name, Branch string }

func (w *withDefaults) SetDefaults() { w.Branch = "main" }

func TestKeyName(t *testing.T) {
	for name, want := range map[string]string{
		"Title": "title", "BaseURL": "base_url", "UI": "ui", "EnterpriseNumber": "enterprise_number",
		"SourceHash": "source_hash", "URLPath": "url_path", "FollowUp": "follow_up", "Mailto": "mailto",
	} {
		if got := snake(name); got != want {
			t.Errorf("snake(%q) = %q, want %q", name, got, want)
		}
	}
}
