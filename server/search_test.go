package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"kmopsite/build"
)

// searchSite writes build's fixture site into a folder, with a page
// layout that marks its body for the index and the repository's
// node_modules (Pagefind), and returns the folder.
func searchSite(t *testing.T) string {
	t.Helper()
	if _, why := build.FindPagefind(".."); why != "" {
		t.Skip(why + " Run npm ci at the repository root to run the search tests.")
	}
	dir := t.TempDir()
	a, err := txtar.ParseFile(filepath.Join("..", "build", "testdata", "base.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	a.Files = append(a.Files, txtar.File{Name: "templates/layouts/page.html",
		Data: []byte(`{{define "main"}}<article data-pagefind-body><h1>{{.Page.Title}}</h1>{{.Content}}</article>{{end}}`)})
	for _, f := range a.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	modules, err := filepath.Abs(filepath.Join("..", "node_modules"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(modules, filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// indexHolds reports whether a page of the index holds word.
func indexHolds(t *testing.T, files map[string][]byte, word string) bool {
	t.Helper()
	pages, err := build.SearchPages(files)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		if strings.Contains(p.Content, word) {
			return true
		}
	}
	return false
}

// TestSearchLazy: serve indexes the site when a page asks for /pagefind/,
// never while it builds after an edit; the next ask indexes the edited
// site, which holds the new word.
func TestSearchLazy(t *testing.T) {
	dir := searchSite(t)
	s := New(Options{Source: dir, NoWasm: true})
	defer s.Close()
	var indexed atomic.Int32
	index := s.search.index
	s.search.index = func(ctx context.Context, bin string, r *build.Result) (*build.SearchIndex, error) {
		indexed.Add(1)
		return index(ctx, bin, r)
	}
	if r := s.Rebuild(context.Background()); !r.OK() {
		t.Fatalf("build failed:\n%s", r.Diagnostics.Format(10))
	}
	s.search.pause() // no indexing in the background in this test
	get := func(path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		return w
	}
	if w := get("/pagefind/pagefind-entry.json"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"nl-be"`) {
		t.Fatalf("GET /pagefind/pagefind-entry.json: %d %s", w.Code, w.Body.String())
	}
	if w := get("/pagefind/pagefind.js"); w.Code != http.StatusOK || w.Header().Get("Content-Security-Policy") == "" {
		t.Fatalf("GET /pagefind/pagefind.js: %d, headers %v", w.Code, w.Header())
	}
	if n := indexed.Load(); n != 1 {
		t.Fatalf("indexed %d times for two files of one site, want once", n)
	}

	page := filepath.Join(dir, "content", "nl", "over.md")
	if err := os.WriteFile(page, []byte("---\ntitle: Over ons\ndescription: Wie we zijn.\n---\nHet nieuwe woord: vuurtorenwachter.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := s.Apply(context.Background(), []build.Event{{Path: "content/nl/over.md", Op: build.Write}})
	if r == nil || !r.OK() {
		t.Fatalf("the edit did not build: %v", r)
	}
	if n := indexed.Load(); n != 1 {
		t.Errorf("the build after an edit indexed the site (%d indexings): it must wait for a page to ask", n)
	}
	start := time.Now()
	if w := get("/pagefind/pagefind-entry.json"); w.Code != http.StatusOK {
		t.Fatalf("GET /pagefind/pagefind-entry.json after the edit: %d", w.Code)
	}
	if n := indexed.Load(); n != 2 {
		t.Errorf("the first ask after the edit indexed %d times in all, want 2", n)
	}
	t.Logf("index of the edited site made in %s", time.Since(start).Round(time.Millisecond))
	if !indexHolds(t, s.search.files, "vuurtorenwachter") {
		t.Error("the index after the edit does not hold the new word")
	}
	if w := get("/pagefind/nothing-here.js"); w.Code != http.StatusNotFound {
		t.Errorf("GET of a file the index lacks: %d, want 404", w.Code)
	}
}

// TestSearchIdle: once serve has been idle after a build, the index is
// made in the background; a build that starts first stops it.
func TestSearchIdle(t *testing.T) {
	dir := searchSite(t)
	s := New(Options{Source: dir, NoWasm: true})
	defer s.Close()
	done := make(chan *build.Result, 4)
	index := s.search.index
	s.search.index = func(ctx context.Context, bin string, r *build.Result) (*build.SearchIndex, error) {
		idx, err := index(ctx, bin, r)
		done <- r
		return idx, err
	}
	r := s.Rebuild(context.Background())
	if !r.OK() {
		t.Fatalf("build failed:\n%s", r.Diagnostics.Format(10))
	}
	select {
	case got := <-done:
		if got != r {
			t.Error("the background index is of another site than the one in service")
		}
	case <-time.After(searchIdle + 30*time.Second):
		t.Fatal("no index in the background after the build")
	}
	// A build within the idle time: the index waits for the new site.
	s.search.idle(r)
	s.search.pause()
	select {
	case <-done:
		t.Error("a paused index was made all the same")
	case <-time.After(searchIdle + 500*time.Millisecond):
	}
}
