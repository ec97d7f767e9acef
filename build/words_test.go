package build

import (
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"kmopsite/assess"
	"kmopsite/diag"
	"kmopsite/words"
)

// complete writes a words file with every word the self-check needs.
func complete() string {
	var b strings.Builder
	b.WriteString("ui:\n")
	for _, k := range words.RequiredUI {
		b.WriteString("  " + k + ": \"" + k + " words\"\n")
	}
	b.WriteString("questions:\n")
	for _, q := range assess.Questions() {
		b.WriteString("  " + string(q.ID) + ":\n    text: \"" + string(q.ID) + "?\"\n    error: \"answer " + string(q.ID) + "\"\n")
		if q.Kind == assess.MultiChoice || q.Kind == assess.Choice {
			b.WriteString("    choices:\n")
			for _, c := range q.Choices {
				b.WriteString("      " + c + ": \"" + c + " label\"\n")
			}
		}
		if q.None {
			b.WriteString("    none: \"none of these\"\n")
		}
	}
	for _, s := range []struct {
		name  string
		codes []string
	}{
		{"verdicts", assess.Verdicts}, {"blockers", assess.Blockers}, {"warnings", assess.Warnings},
		{"tracks", assess.Tracks}, {"requirements", assess.RequirementIDs}, {"exemptions", assess.Exemptions},
		{"steps", assess.Steps}, {"audits", assess.Audits}, {"documents", assess.Documents},
	} {
		b.WriteString(s.name + ":\n")
		for _, c := range s.codes {
			b.WriteString("  " + c + ":\n    title: \"" + c + " title\"\n    text: \"" + c + " text\"\n")
		}
	}
	b.WriteString("statuses:\n")
	for _, c := range assess.Statuses {
		b.WriteString("  " + c + ": \"" + c + " label\"\n")
	}
	return b.String()
}

func TestComplete(t *testing.T) {
	w, err := parseSelfcheck([]byte(complete()))
	if err != nil {
		t.Fatal(err)
	}
	if m := words.Missing(w); len(m) != 0 {
		t.Errorf("missing from a complete file: %v", m)
	}
	if got := w.ChoiceLabel(assess.ReadyActivity, "partly"); got != "ready_partly words" {
		t.Errorf("readiness label falls back to ui.ready_partly, got %q", got)
	}
	if got := w.ChoiceLabel(assess.Services, "advice"); got != "advice label" {
		t.Errorf("ChoiceLabel(services, advice) = %q", got)
	}
	if got := w.ChoiceLabel(assess.AuditBody, "yes"); got != "" {
		t.Errorf("a yes/no question has no choices, got %q", got)
	}
}

func TestMissing(t *testing.T) {
	src := complete()
	cut := func(s, what string) string {
		t.Helper()
		if !strings.Contains(s, what) {
			t.Fatalf("%q not in the file", what)
		}
		return strings.Replace(s, what, "", 1)
	}
	src = cut(src, "  back: \"back words\"\n")
	src = cut(src, "  ready_partly: \"ready_partly words\"\n")
	src = cut(src, "      advice: \"advice label\"\n")
	src = cut(src, "    none: \"none of these\"\n") // themes' comes first
	src = cut(src, "  no_theme:\n    title: \"no_theme title\"\n    text: \"no_theme text\"\n")
	src = cut(src, "    text: \"wse_unconfirmed text\"\n")
	src = cut(src, "  exempt_starter: \"exempt_starter label\"\n")
	src = cut(src, "  iban:\n    text: \"iban?\"\n    error: \"answer iban\"\n")
	src = strings.Replace(src, "    error: \"answer audit_body\"\n", "    error: \"\"\n", 1)
	src = strings.Replace(src, "  kmop_dossiers:\n    text: \"kmop_dossiers?\"\n    error: \"answer kmop_dossiers\"\n", "", 1)
	w, err := parseSelfcheck([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"ui.ready_partly",
		"ui.back",
		"questions.audit_body.error",
		"questions.services.choices.advice",
		"questions.themes.none",
		"questions.kmop_dossiers",
		"blockers.no_theme",
		"warnings.wse_unconfirmed.text",
		"statuses.exempt_starter",
	}
	if got := words.Missing(w); !slices.Equal(got, want) {
		t.Errorf("Missing:\n got %v\nwant %v", got, want)
	}
	// The IBAN field's label is ui.iban_label: no question words needed.
	if slices.Contains(words.Missing(w), "questions.iban.text") {
		t.Error("iban's text falls back to ui.iban_label")
	}
	delete(w.UI, "iban_label")
	if !slices.Contains(words.Missing(w), "questions.iban.text") {
		t.Error("iban has no text at all and is not reported")
	}
	empty, err := parseSelfcheck(nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(words.Missing(empty)); n < 60 {
		t.Errorf("an empty file misses only %d words", n)
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      string // "line:col: msg" of each error, then " | hint" when there is one
	}{
		{"unknown section", "ui:\n  yes: Ja\nblokers:\n  audit_body: {title: a, text: b}\n",
			`3:1: unknown key "blokers" | did you mean "blockers"?`},
		{"unknown code", "blockers:\n  no_themes:\n    title: a\n",
			`2:3: unknown blocker code "no_themes" | did you mean "no_theme"?`},
		{"unknown field", "steps:\n  request_audit:\n    titel: a\n    text: b\n",
			`3:5: unknown key "titel" in steps.request_audit | did you mean "title"?`},
		{"unknown question", "questions:\n  audit_bodies:\n    text: a\n",
			`2:3: unknown question "audit_bodies" | did you mean "audit_body"?`},
		{"unknown choice", "questions:\n  services:\n    choices:\n      trainings: Opleiding\n",
			`4:7: unknown choice of questions.services "trainings" | did you mean "training"?`},
		{"choices on a yes/no question", "questions:\n  audit_body:\n    choices:\n      x: y\n",
			`3:5: unknown field of questions.audit_body (yes_no question) "choices" | the known ones are text, help, error`},
		{"none where an empty list blocks", "questions:\n  services:\n    none: Geen\n",
			`3:5: unknown field of questions.services (multi_choice question) "none" | the known ones are text, help, error, choices`},
		{"unknown status", "statuses:\n  exempt: Vrijgesteld\n",
			`2:3: unknown status "exempt" | did you mean "exempt_starter"?`},
		{"twice", "ui:\n  yes: Ja\n  yes: Jawel\n",
			`3:3: key "yes" in ui is written twice; the first is on line 2 | keep one of them: YAML would silently use the last`},
		{"a list for text", "ui:\n  yes:\n    - Ja\n",
			`3:5: "ui.yes" must be a text, not a list | write the text after the colon, in quotes`},
		{"a text for a section", "blockers: none\n",
			`1:11: "blockers" must be a set of keys and values, not a single value | write it as indented "key: value" lines`},
		{"a list for a file", "- ui\n",
			`1:1: the document must be a set of keys and values, not a list | write it as indented "key: value" lines`},
		{"syntax", "ui:\n  yes: Ja\n  no: \"Nee\n",
			`3:7: invalid YAML: the quoted value that starts here is not closed | end the value with " on the same line, or remove the quote at its start`},
		{"bad indentation", "ui:\n  yes: Ja\n no: Nee\n",
			`2:1: invalid YAML: did not find expected key | check the indentation and that each line reads "key: value"; quote values that contain a colon`},
		{"several, in order", "steps:\n  request_audit:\n    titel: a\nblokers: {}\n",
			`3:5: unknown key "titel" in steps.request_audit | did you mean "title"?` + "\n" + `4:1: unknown key "blokers" | did you mean "blockers"?`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseSelfcheck([]byte(c.src))
			if err == nil {
				t.Fatal("no error")
			}
			var got []string
			for _, d := range err {
				s := fmt.Sprintf("%d:%d: %s", d.Line, d.Col, d.Msg)
				if d.Hint != "" {
					s += " | " + d.Hint
				}
				got = append(got, s)
			}
			if strings.Join(got, "\n") != c.want {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), c.want)
			}
		})
	}
}

func TestParseKeepsWhatItCan(t *testing.T) {
	w, err := parseSelfcheck([]byte("ui:\n  yes: Ja\nblokers: {}\nsteps:\n  request_audit:\n    title: Vraag aan\n    text: Nu\n"))
	if err == nil {
		t.Fatal("no error for an unknown section")
	}
	if w.UI["yes"] != "Ja" || w.Steps["request_audit"].Title != "Vraag aan" {
		t.Errorf("the valid parts were lost: %+v", w)
	}
}

func TestLinksAndPositions(t *testing.T) {
	src := "blockers:\n  no_theme:\n    title: Geen thema\n    text: Uw aanbod valt buiten de thema's.\n    link: subsidieerbare-diensten.md#themas\n" +
		"steps:\n  request_audit:\n    title: Vraag een audit aan\n    text: Neem contact op.\n    link: \"offerte.md\"\n" +
		"warnings:\n  integrity_review: {title: Integriteit, text: Wordt bekeken., link: integriteit.md}\n"
	w, err := parseSelfcheck([]byte(src))
	f := &WordsFile{src: source{data: []byte(src)}}
	f.doc, _ = diag.DecodeYAML(f.src.diag(), 0, len(src), &words.Selfcheck{})
	if err != nil {
		t.Fatal(err)
	}
	want := []words.Link{
		{Section: "blockers", ID: "no_theme", Target: "subsidieerbare-diensten.md#themas"},
		{Section: "warnings", ID: "integrity_review", Target: "integriteit.md"},
		{Section: "steps", ID: "request_audit", Target: "offerte.md"},
	}
	if got := words.Links(w); !slices.Equal(got, want) {
		t.Errorf("Links:\n got %+v\nwant %+v", got, want)
	}
	for i, at := range [][2]int{{5, 11}, {12, 70}, {10, 11}} {
		if l, c := f.src.pos(f.doc.Value(want[i].Key())); l != at[0] || c != at[1] {
			t.Errorf("%s at %d:%d, want %d:%d", want[i].Key(), l, c, at[0], at[1])
		}
	}
	for _, c := range []struct {
		key       string
		line, col int
	}{
		{"blockers.no_theme", 2, 3},
		{"blockers.no_theme.title", 3, 5},
		{"blockers.no_theme.nothing", 2, 3},
		{"blockers.audit_body", 1, 1},
		{"steps", 6, 1},
		{"questions.audit_body.text", 1, 1},
	} {
		if l, col := f.src.pos(f.doc.Key(c.key)); l != c.line || col != c.col {
			t.Errorf("Pos(%s) = %d:%d, want %d:%d", c.key, l, col, c.line, c.col)
		}
	}
}

// TestContent checks the words that marketing wrote, in every language of
// the site: each words file reads without a mistake and has every word.
func TestContent(t *testing.T) {
	_, texts, diags := LoadTexts(os.DirFS(".."))
	if len(diags) > 0 {
		t.Errorf("the site's words:\n%s", diags.Format(0))
	}
	if len(texts) == 0 {
		t.Error("no words read from the site")
	}
}

// parseSelfcheck decodes and checks a selfcheck.yaml as the build's load
// step does; the diagnostics are nil when there is no mistake.
func parseSelfcheck(data []byte) (*words.Selfcheck, Diagnostics) {
	w := &words.Selfcheck{}
	f := &WordsFile{src: source{path: "content/nl/selfcheck.yaml", data: data}}
	var diags Diagnostics
	f.doc, diags = diag.DecodeYAML(f.src.diag(), 0, len(data), w)
	if !diag.SyntaxError(diags) {
		diags = append(diags, checkSelfcheck(f, w)...)
	}
	diags.Sort()
	return w, diags
}

// parseQuote decodes and checks a quote.yaml as the build's load step
// does, and lists its diagnostics as "line:col: msg | hint".
func parseQuote(data string) (*words.Quote, []string) {
	w := &words.Quote{}
	f := &WordsFile{src: source{path: "content/nl/quote.yaml", data: []byte(data)}}
	var diags Diagnostics
	f.doc, diags = diag.DecodeYAML(f.src.diag(), 0, len(data), w)
	if !diag.SyntaxError(diags) {
		diags = append(diags, checkPlaceholders(f, reflect.ValueOf(*w), "", "")...)
	}
	diags.Sort()
	var got []string
	for _, d := range diags {
		got = append(got, fmt.Sprintf("%d:%d: %s | %s", d.Line, d.Col, d.Msg, d.Hint))
	}
	return w, got
}

func TestQuoteWordsMistakes(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		want       []string // "line:col: msg | hint"
	}{
		{"unknown key with suggestion", "form:\n  titel: \"Offerte\"\n",
			[]string{`2:3: unknown key "titel" in form | did you mean "title"?`}},
		{"unknown top key", "forms: {}\n",
			[]string{`1:1: unknown key "forms" | did you mean "form"?`}},
		{"unknown placeholder", "mail:\n  audit:\n    subject: \"Aanvraag {referentie}\"\n",
			[]string{`3:14: mail.audit.subject: unknown placeholder {referentie} | this text takes {reference}, {company}`}},
		{"placeholder where none", "form:\n  title: \"Offerte {company}\"\n",
			[]string{`2:10: form.title: unknown placeholder {company} | this text takes no placeholders`}},
		{"field placeholder", "fields:\n  consent:\n    label: \"Zie {privacy}\"\n    errors:\n      required: \"{privacy}\"\n",
			nil},
		{"list for a text", "form:\n  title:\n    - a\n    - b\n",
			[]string{`3:5: "form.title" must be a text, not a list | write the text after the colon, in quotes`}},
		{"text for a map", "mail: \"hallo\"\n",
			[]string{`1:7: "mail" must be a set of keys and values, not a single value | write it as indented "key: value" lines`}},
		{"duplicate key", "form:\n  title: a\n  title: b\n",
			[]string{`3:3: key "title" in form is written twice; the first is on line 2 | keep one of them: YAML would silently use the last`}},
		{"two mistakes sorted", "mail:\n  labels:\n    nonne: x\nform:\n  titl: y\n",
			[]string{`3:5: unknown key "nonne" in mail.labels | did you mean "none"?`, `5:3: unknown key "titl" in form | did you mean "title"?`}},
		{"syntax", "form:\n  title: \"a\n  intro: b\n",
			[]string{`2:10: invalid YAML: the quoted value that starts here is not closed | end the value with " on the same line, or remove the quote at its start`}},
		{"numbers are texts", "form:\n  title: 2026\n", nil},
		{"null is empty", "form:\n  title:\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, got := parseQuote(tc.yaml); !slices.Equal(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestMissingQuote(t *testing.T) {
	w, diags := parseQuote("form:\n  title: \"Offerte\"\nfields:\n  email:\n    label: E-mail\n    errors:\n      required: \"Vul in\"\nlanguages:\n  nl: Nederlands\n")
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	m := missingQuote(w, []string{"nl", "fr"})
	for _, k := range []string{"form.intro", "fields.email.errors.invalid", "fields.email.errors.too_long", "languages.fr", "mail.audit.subject"} {
		if !slices.Contains(m, k) {
			t.Errorf("missingQuote does not list %s", k)
		}
	}
	for _, k := range []string{"form.title", "fields.email.label", "fields.email.help", "fields.phone.errors.required", "languages.nl", "source_hash"} {
		if slices.Contains(m, k) {
			t.Errorf("missingQuote lists %s, which is there or not needed", k)
		}
	}
}

// WordsHash, which the CMS records as source_hash, is the hash check
// compares: for every words file of the site, the build's own; neither
// source_hash nor comments change it, a word does.
func TestWordsHash(t *testing.T) {
	fsys := os.DirFS("..")
	cfg, diags := loadConfig(fsys, nil)
	if cfg == nil {
		t.Fatal(diags.Format(0))
	}
	_, files, _ := loadWords(fsys, cfg)
	texts, _ := loadTexts(fsys, cfg)
	for _, tx := range texts {
		files = append(files, tx.selfcheck, tx.quote)
	}
	if len(files) < 3*len(cfg.Languages) {
		t.Fatalf("%d words files read", len(files))
	}
	for _, f := range files {
		got, ok := WordsHash(f.Name, f.src.data)
		if !ok || got != f.Hash {
			t.Errorf("WordsHash(%s of %s) = %q, %v; the build's is %q", f.Name, f.Lang, got, ok, f.Hash)
		}
		if f.Lang != "nl" {
			continue
		}
		data := string(f.src.data)
		if h, _ := WordsHash(f.Name, []byte("# a comment\nsource_hash: abc123\n"+data)); h != f.Hash {
			t.Errorf("%s: a comment and a source_hash changed the hash", f.Name)
		}
		if f.Name == "interface.yaml" {
			if h, _ := WordsHash(f.Name, []byte(strings.Replace(data, "skip_link: ", "skip_link: X", 1))); h == f.Hash {
				t.Errorf("%s: a changed word kept the hash", f.Name)
			}
		}
	}
	if _, ok := WordsHash("site.yaml", []byte("a: b\n")); ok {
		t.Error("site.yaml has a words hash")
	}
	if _, ok := WordsHash("interface.yaml", []byte("skip_link: [\n")); ok {
		t.Error("a broken words file has a hash")
	}
}
