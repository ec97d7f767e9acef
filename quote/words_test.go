package quote

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"kmopsite/words"
)

func TestDecodeWordsMistakes(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		want       []string // "line:col: msg | hint"
	}{
		{"unknown key with suggestion", "form:\n  titel: \"Offerte\"\n",
			[]string{`2:3: unknown key "titel" in form | did you mean "title"?`}},
		{"unknown top key", "forms: {}\n",
			[]string{`1:1: unknown key "forms" in the file | did you mean "form"?`}},
		{"unknown placeholder", "mail:\n  audit:\n    subject: \"Aanvraag {referentie}\"\n",
			[]string{`3:14: mail.audit.subject: unknown placeholder {referentie} | this text takes {reference}, {company}`}},
		{"placeholder where none", "form:\n  title: \"Offerte {company}\"\n",
			[]string{`2:10: form.title: unknown placeholder {company} | this text takes no placeholders`}},
		{"field placeholder", "fields:\n  consent:\n    label: \"Zie {privacy}\"\n    errors:\n      required: \"{privacy}\"\n",
			nil},
		{"list for a text", "form:\n  title:\n    - a\n    - b\n",
			[]string{`3:5: form.title must be a text, not a list | write the text after the colon, in quotes`}},
		{"text for a map", "mail: \"hallo\"\n",
			[]string{`1:7: mail must be a map of keys, not a text | indent its keys under it, one per line`}},
		{"duplicate key", "form:\n  title: a\n  title: b\n",
			[]string{`3:3: key "title" appears twice; the first is on line 2 | remove one of them`}},
		{"two mistakes sorted", "mail:\n  labels:\n    nonne: x\nform:\n  titl: y\n",
			[]string{`3:5: unknown key "nonne" in mail.labels | did you mean "none"?`, `5:3: unknown key "titl" in form | did you mean "title"?`}},
		{"syntax", "form:\n  title: \"a\n  intro: b\n",
			[]string{`2:1: YAML syntax: found unexpected end of stream | check the indentation, and put text that holds a colon followed by a space in quotes`}},
		{"numbers are texts", "form:\n  title: 2026\n", nil},
		{"null is empty", "form:\n  title:\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeWords([]byte(tc.yaml))
			var got []string
			if err != nil {
				var es words.Errors
				if !errors.As(err, &es) {
					t.Fatalf("error %T, want words.Errors", err)
				}
				for _, e := range es {
					got = append(got, e.Error()+" | "+e.Hint)
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestMissingWords(t *testing.T) {
	w, err := DecodeWords([]byte("form:\n  title: \"Offerte\"\nfields:\n  email:\n    label: E-mail\n    errors:\n      required: \"Vul in\"\nlanguages:\n  nl: Nederlands\n"))
	if err != nil {
		t.Fatal(err)
	}
	m := MissingWords(w, []string{"nl", "fr"})
	for _, k := range []string{"form.intro", "mail.audit.subject", "fields.email.errors.invalid", "fields.consent.errors.required", "fields.company.label", "languages.fr"} {
		if indexOf(m, k) < 0 {
			t.Errorf("MissingWords does not list %s", k)
		}
	}
	for _, k := range []string{"form.title", "fields.email.label", "fields.email.errors.required", "languages.nl", "fields.email.help", "fields.phone.errors.required"} {
		if indexOf(m, k) >= 0 {
			t.Errorf("MissingWords lists %s, which is there or not needed", k)
		}
	}
	if l, c := w.Pos("fields.email.errors.invalid"); l != 6 || c != 5 {
		t.Errorf("Pos of a missing key = %d:%d, want its parent's 6:5", l, c)
	}
}

// TestWordsFilesAreComplete checks the real files: decoded without mistakes
// and nothing missing, in every language.
func TestWordsFilesAreComplete(t *testing.T) {
	for _, l := range testLangs {
		data, err := os.ReadFile(filepath.Join("..", "content", l, "quote.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		w, err := DecodeWords(data)
		if err != nil {
			t.Fatalf("content/%s/quote.yaml:\n%v", l, err)
		}
		if m := MissingWords(w, testLangs); len(m) > 0 {
			t.Errorf("content/%s/quote.yaml lacks %s", l, strings.Join(m, ", "))
		}
	}
}
