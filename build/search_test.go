package build

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
)

// searchSite is the fixture site with layouts that mark their body for
// the index, a published page, a draft and a scheduled post, each with a
// word found nowhere else.
func searchSite(t *testing.T) fstest.MapFS {
	t.Helper()
	base, err := txtar.ParseFile(filepath.Join("testdata", "base.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range base.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	add := func(name, data string) { fsys[name] = &fstest.MapFile{Data: []byte(data)} }
	add("templates/layouts/page.html", `{{define "main"}}<nav>Kruimel menuwoordje</nav><article data-pagefind-body><h1 data-pagefind-weight="10">{{.Page.Title}}</h1>
{{.Content}}</article>{{end}}`)
	add("templates/layouts/post.html", `{{define "main"}}<article data-pagefind-body><h1>{{.Page.Title}}</h1>{{.Content}}</article>{{end}}`)
	add("content/nl/vindbaar.md", "---\ntitle: Vindbaar\ndescription: Een pagina die men vindt.\n---\nHier staat de zwaluwstaartverbinding.\n")
	add("content/fr/trouvable.md", "---\ntitle: Trouvable\ndescription: Une page qu’on trouve.\n---\nIci, l’hirondellerie.\n")
	add("content/nl/ontwerp.md", "---\ntitle: Ontwerp\ndescription: Nog niet af.\ndraft: true\n---\nDe klokkenluidersdraak.\n")
	add("content/nl/nieuws/_index.md", "---\ntitle: Nieuws\ndescription: Het nieuws.\n---\n")
	add("content/nl/nieuws/2026-12-05-gepland.md", "---\ntitle: Gepland\ndescription: Later.\ndate: 2026-12-05\n---\nHet sterrenkijkersfeest.\n")
	return fsys
}

var searchDay = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

func fragments(t *testing.T, files map[string][]byte) []SearchPage {
	t.Helper()
	pages, err := SearchPages(files)
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

func pagefindBin(t *testing.T) string {
	t.Helper()
	bin, why := FindPagefind("..")
	if bin == "" {
		t.Skip(why + " Run npm ci at the repository root to run the search tests.")
	}
	return bin
}

// TestSearch builds the fixture with the index, as `kmopsite build`
// does, and reads the index: one per language, the published pages with
// their words, their title and section, the body alone (not the menu
// around it); the draft's and the scheduled post's words nowhere, and
// the same from serve's build, which renders both.
func TestSearch(t *testing.T) {
	bin := pagefindBin(t)
	fsys := searchSite(t)
	r := Run(context.Background(), Options{FS: fsys, NoWasm: true, Now: searchDay, Extend: Search("..")})
	if !r.OK() {
		t.Fatalf("build failed:\n%s", r.Diagnostics.Format(10))
	}
	if len(r.Info) != 1 || !strings.HasPrefix(r.Info[0], "search: ") || !strings.Contains(r.Info[0], "nl-be") {
		t.Errorf("Info = %q, want a line on the index", r.Info)
	}
	if r.Files[SearchDir+"pagefind.js"] == nil || r.Files[SearchDir+"pagefind-entry.json"] == nil {
		t.Fatal("no pagefind.js or pagefind-entry.json in the build")
	}
	for name := range r.Files {
		if strings.HasPrefix(name, SearchDir+"pagefind-ui") {
			t.Errorf("Pagefind's own interface %s is in the build", name)
		}
	}
	var entry struct {
		Languages map[string]struct {
			PageCount int `json:"page_count"`
		} `json:"languages"`
	}
	if err := json.Unmarshal(r.Files[SearchDir+"pagefind-entry.json"], &entry); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"nl-be", "fr-be"} {
		if entry.Languages[lang].PageCount == 0 {
			t.Errorf("no index for %s: %v", lang, entry.Languages)
		}
	}

	frags := fragments(t, r.Files)
	find := func(frags []SearchPage, word string) []SearchPage {
		var found []SearchPage
		for _, f := range frags {
			if strings.Contains(f.Content, word) {
				found = append(found, f)
			}
		}
		return found
	}
	if got := find(frags, "zwaluwstaartverbinding"); len(got) != 1 || got[0].URL != "/nl/vindbaar/" || got[0].Lang != "nl-be" || got[0].Meta["title"] != "Vindbaar" {
		t.Errorf("the published page's word: %+v, want /nl/vindbaar/ in nl-be, titled Vindbaar", got)
	}
	if got := find(frags, "hirondellerie"); len(got) != 1 || got[0].Lang != "fr-be" {
		t.Errorf("the French page's word: %+v, want one page in fr-be", got)
	}
	if got := find(frags, "menuwoordje"); len(got) != 0 {
		t.Errorf("the text around the body was indexed: %+v", got)
	}
	for _, word := range []string{"klokkenluidersdraak", "sterrenkijkersfeest"} {
		if got := find(frags, word); len(got) != 0 {
			t.Errorf("%s (a draft's or scheduled page's word) is in the index: %+v", word, got)
		}
	}

	served := Run(context.Background(), Options{FS: fsys, NoWasm: true, Now: searchDay, Drafts: true})
	if served.Files["nl/ontwerp/index.html"] == nil || served.Files["nl/nieuws/2026-12-05-gepland/index.html"] == nil {
		t.Fatal("serve's build left out the draft or the scheduled post")
	}
	idx, err := IndexSearch(context.Background(), bin, served)
	if err != nil {
		t.Fatal(err)
	}
	frags = fragments(t, idx.Files)
	for _, word := range []string{"klokkenluidersdraak", "sterrenkijkersfeest"} {
		if got := find(frags, word); len(got) != 0 {
			t.Errorf("serve's index holds %s (a draft's or scheduled page's word): %+v", word, got)
		}
	}
	if got := find(frags, "zwaluwstaartverbinding"); len(got) != 1 {
		t.Errorf("serve's index: the published page's word in %d pages, want 1", len(got))
	}
}

// TestSearchable lists the pages the index is made of: published pages
// whose layout marks a body, not drafts, scheduled pages or pages whose
// layout marks none.
func TestSearchable(t *testing.T) {
	fsys := searchSite(t)
	r := Run(context.Background(), Options{FS: fsys, NoWasm: true, Now: searchDay, Drafts: true})
	if !r.OK() {
		t.Fatalf("build failed:\n%s", r.Diagnostics.Format(10))
	}
	got := Searchable(r)
	want := []string{"fr/over/index.html", "fr/trouvable/index.html", "nl/over/index.html", "nl/vindbaar/index.html"}
	if !slices.Equal(got, want) {
		t.Errorf("Searchable = %q, want %q (no draft, no scheduled post, no home: its layout marks no body)", got, want)
	}
}

// TestSearchMissing: without Pagefind the build goes on and says why
// there is no search.
func TestSearchMissing(t *testing.T) {
	r := Run(context.Background(), Options{FS: searchSite(t), NoWasm: true, Now: searchDay, Extend: Extends(Search(t.TempDir()))})
	if !r.OK() {
		t.Fatalf("build failed:\n%s", r.Diagnostics.Format(10))
	}
	if len(r.Info) != 1 || !strings.Contains(r.Info[0], "no search: Pagefind, the search indexer, is not installed") || !strings.Contains(r.Info[0], "npm ci") {
		t.Errorf("Info = %q, want why there is no search and what to do", r.Info)
	}
	for name := range r.Files {
		if strings.HasPrefix(name, SearchDir) {
			t.Errorf("%s written without Pagefind", name)
		}
	}
}

// TestPagefindPinned: the version build asks for is the one package.json
// pins, so that npm ci installs what build looks for.
func TestPagefindPinned(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		t.Fatal(err)
	}
	if got := pkg.Dependencies["pagefind"]; got != PagefindVersion {
		t.Errorf("package.json pins pagefind %q, build.PagefindVersion is %q", got, PagefindVersion)
	}
}
