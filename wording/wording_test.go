package wording

import (
	"strings"
	"testing"
	"testing/fstest"

	"kmopsite/diag"
)

func check(t *testing.T, files map[string]string) []string {
	t.Helper()
	fsys := fstest.MapFS{}
	for p, s := range files {
		fsys[p] = &fstest.MapFile{Data: []byte(s)}
	}
	langs, err := Langs(fsys)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := Check(fsys, langs, Rules)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range ds {
		got = append(got, d.String())
	}
	return got
}

// Each forbidden form is found in its language, at its line and column,
// with the preferred form as the hint; the same words in another
// language, or outside a title for a title rule, are not reported.
func TestCheck(t *testing.T) {
	got := check(t, map[string]string{
		"content/en/_index.md":         "---\ntitle: Home\n---\n\nRegistered with the Flemish agency for innovation and entrepreneurship.\n",
		"content/en/faq.md":            "---\ntitle: FAQ\n---\n\nVLAIO, Flanders Innovation and\nEntrepreneurship, appoints them for the SME portfolio.\n",
		"content/fr/a.md":              "---\ntitle: \"Le parcours starters\"\n---\n\nUne aide du gouvernement flamand, subventionnée.\n\nLe lien [débutants](starters.md) et le mot starter hors titre.\n\n## Pour les starters {#starters}\n",
		"content/fr/selfcheck.yaml":    "source_hash: x\ntracks:\n  starter:\n    title: \"Parcours starters\"\n    text: \"via la gestion des utilisateurs de l’autorité flamande\"\n",
		"content/fr/b.md":              "---\ntitle: B\n---\n\n```\n# starter dans du code\n```\n\nAuprès de l'Autorité flamande, subsidié.\n",
		"content/nl/a.md":              "---\ntitle: \"Vrijstellingen\"\n---\n\nDe KMO-Portefeuille van het gouvernement flamand.\n",
		"content/nl/vrijstellingen.md": "---\ntitle: \"Vrijstellingen: ISO 9001 en WSE\"\n---\n\n## WSE {#wse}\n",
		"content/en/vrijstellingen.md": "---\ntitle: \"Exemptions: ISO 9001 and IBR\"\n---\n\n## WSE {#wse}\n\nWSE is not confirmed.\n",
	})
	want := []string{
		"content/en/_index.md:5:21: error: “Flemish agency” is not used",
		"content/en/_index.md:5:29: error: “agency for innovation” is not used",
		"content/en/faq.md:5:8: error: “Flanders Innovation and Entrepreneurship” is not used",
		"content/en/faq.md:6:41: error: “SME portfolio” is not used",
		"content/fr/a.md:2:21: error: “starters” is not used on this site in a title",
		"content/fr/a.md:5:13: error: “gouvernement flamand” is not used",
		"content/fr/a.md:5:35: error: “subventionnée” is not used",
		"content/fr/a.md:9:13: error: “starters” is not used on this site in a title",
		"content/fr/selfcheck.yaml:4:22: error: “starters” is not used on this site in a title",
		"content/fr/selfcheck.yaml:5:49: error: “autorité flamande” is not used",
		"content/nl/a.md:5:4: error: “KMO-Portefeuille” is not used",
		"content/nl/vrijstellingen.md:2:37: error: “WSE” is not used on this site in the page's title",
	}
	joined := strings.Join(got, "\n")
	for _, w := range want {
		if !strings.Contains(joined, w) {
			t.Errorf("missing %q in\n%s", w, joined)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d diagnostics, want %d:\n%s", len(got), len(want), joined)
	}
	// The hint names the form to write instead.
	if !strings.Contains(joined, "hint: write “l'Autorité flamande”") || !strings.Contains(joined, "hint: write “Flanders Innovation & Entrepreneurship (VLAIO)”") {
		t.Errorf("hints do not name the preferred form:\n%s", joined)
	}
}

// Content that uses only the preferred forms gives nothing.
func TestCheckClean(t *testing.T) {
	if got := check(t, map[string]string{
		"content/en/a.md": "---\ntitle: \"The starters’ track\"\n---\n\nFlanders Innovation & Entrepreneurship (VLAIO).\n",
		"content/fr/a.md": "---\ntitle: \"Le parcours débutants\"\n---\n\nL'Autorité flamande, subsidié. Voir [débutants](starters.md#starter).\n",
		"content/nl/a.md": "---\ntitle: \"Het starterstraject\"\n---\n\nKmo-portefeuille en kmo-portefeuille, Agentschap Innoveren & Ondernemen.\n",
	}); len(got) != 0 {
		t.Errorf("unexpected diagnostics:\n%s", strings.Join(got, "\n"))
	}
}

// Title lines: the front matter's title (also as a block scalar), ATX
// headings outside fences, and "title" values in words files.
func TestTitleLines(t *testing.T) {
	src := diag.Source{Path: "content/fr/x.md", Data: []byte("---\ndescription: d\ntitle: >\n  deux\n  lignes\n---\n# Un\n\n    # indenté\n~~~\n## dans le code\n~~~\n###### Six\n####### Sept\n#sans espace\n")}
	got := titleLines(src, true)
	for _, l := range []int{3, 4, 5, 7, 13} {
		if !got[l] {
			t.Errorf("line %d is a title, not found: %v", l, got)
		}
	}
	for _, l := range []int{2, 9, 11, 14, 15} {
		if got[l] {
			t.Errorf("line %d is not a title: %v", l, got)
		}
	}
	if got := titleLines(src, false); len(got) != 3 || !got[3] || !got[4] || !got[5] {
		t.Errorf("the page's title alone: got lines %v, want 3, 4 and 5", got)
	}
}
