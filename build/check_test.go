package build

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// The translation statuses are data: each state, with its source, the
// source's hash and the languages a page lacks, read from the fields,
// never from a message.
func TestTranslationStatuses(t *testing.T) {
	c := readCase(t, "testdata/base.txtar")
	fsys := c.inputs
	page := func(file, front string) {
		fsys[file] = &fstest.MapFile{Data: []byte("---\n" + front + "\n---\nTekst.\n")}
	}
	r := Run(context.Background(), Options{FS: fsys, NoWasm: true, Drafts: true})
	hash := map[string]string{}
	for _, p := range r.Pages {
		hash[p.File] = p.Hash
	}
	// content/fr/_index.md records its source's hash; over.md an old one.
	fsys["content/fr/_index.md"].Data = []byte(strings.Replace(string(fsys["content/fr/_index.md"].Data),
		"---\nBienvenue", "source_hash: "+hash["content/nl/_index.md"]+"\n---\nBienvenue", 1))
	fsys["content/fr/over.md"].Data = []byte(strings.Replace(string(fsys["content/fr/over.md"].Data),
		"---\nNous", "source_hash: 000000000000\n---\nNous", 1))
	page("content/nl/nieuw.md", "title: Nieuw\ndescription: Nieuw.")
	page("content/nl/concept.md", "title: Concept\ndescription: Concept.")
	page("content/fr/concept.md", "title: Brouillon\ndescription: Brouillon.\ndraft: true")
	page("content/fr/seul.md", "title: Seul\ndescription: Seul.")
	r = Run(context.Background(), Options{FS: fsys, NoWasm: true})

	var got []string
	for _, s := range TranslationStatuses(r) {
		got = append(got, fmt.Sprintf("%s %s %d %s %v %v", s.File, s.Lang, s.State, s.Source, s.Langs, s.Files))
		if s.Source != "" && s.Hash != hash[s.Source] && s.words == nil {
			t.Errorf("%s: source hash %q, want %q", s.File, s.Hash, hash[s.Source])
		}
	}
	want := []string{
		fmt.Sprintf("content/fr/_index.md fr %d content/nl/_index.md [] []", UpToDate),
		fmt.Sprintf("content/fr/interface.yaml fr %d content/nl/interface.yaml [] []", Unrecorded),
		fmt.Sprintf("content/fr/over.md fr %d content/nl/over.md [] []", Stale),
		fmt.Sprintf("content/fr/seul.md fr %d  [] []", NoSource),
		fmt.Sprintf("content/nl/concept.md nl %d  [fr] [content/fr/concept.md]", Unpublished),
		fmt.Sprintf("content/nl/nieuw.md nl %d  [fr] [content/fr/nieuw.md]", Missing),
	}
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("statuses:\n%s\nwant\n%s", g, w)
	}
	// Translations formats every one but the up-to-date page.
	if n := len(Translations(r)); n != len(want)-1 {
		t.Errorf("%d diagnostics, want %d:\n%s", n, len(want)-1, Translations(r).Format(0))
	}
}
