package checks

import (
	"os"
	"testing"

	"kmopsite/wording"
)

// TestWording keeps the forms the site does not use out of the real
// content (wording.Rules: VLAIO's English name, l'Autorité flamande,
// subsidié, one word for starters in French titles, …), each reported at
// its file, line and column with the form to write instead.
func TestWording(t *testing.T) {
	root := os.DirFS("..")
	langs, err := wording.Langs(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(langs) == 0 {
		t.Fatal("no language folders under content/")
	}
	ds, err := wording.Check(root, langs, wording.Rules)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		t.Error("\n" + d.String())
	}
}
