package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"testing"

	"kmopsite/build"
	"kmopsite/testsite"
)

// TestServeAndHostAlike runs serve and host on the fixture site and asks
// both the same paths: /, an alias, a folder without its trailing slash,
// a missing page, the files that are for the host alone. Both answer
// alike, as a static host would.
func TestServeAndHostAlike(t *testing.T) {
	root := t.TempDir()
	if err := testsite.Base(root); err != nil {
		t.Fatal(err)
	}
	if err := testsite.Words(root); err != nil {
		t.Fatal(err)
	}
	editFile(t, filepath.Join(root, "site.yaml"), "news_section:", "quote:\n  to: offerte@example.be\n  from: offerte@example.be\nnews_section:")
	editFile(t, filepath.Join(root, "content", "nl", "over.md"), "description: Wie we zijn.\n", "description: Wie we zijn.\naliases: [/oud/over/]\n")
	ctx := context.Background()
	public := filepath.Join(root, "public")
	if r := build.Run(ctx, build.Options{Source: root, Dest: public, NoWasm: true}); !r.OK() {
		t.Fatalf("the fixture site has errors:\n%s", r.Diagnostics.Format(5))
	}
	srv := New(Options{Source: root, NoWasm: true})
	defer srv.Close()
	if r := srv.Rebuild(ctx); !r.OK() {
		t.Fatal(r.Diagnostics.Format(5))
	}
	host, err := NewHost(ctx, HostOptions{Source: root, Public: public, Outbox: t.TempDir(), RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	ask := func(h http.Handler, hostname, path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "http://"+hostname+path, nil))
		return rec
	}
	lang := regexp.MustCompile(`<html lang="([a-z]+)[-"]`)
	for _, c := range []struct {
		path     string
		status   int
		location string
		lang     string // of the page answered
	}{
		{"/", http.StatusFound, "/nl/", ""},
		{"/oud/over/", http.StatusMovedPermanently, "/nl/over/", ""},
		{"/nl/over", http.StatusMovedPermanently, "/nl/over/", ""},
		{"/nl/over/", http.StatusOK, "", "nl"},
		{"/nl/bestaat-niet/", http.StatusNotFound, "", "nl"},
		{"/fr/nulle-part", http.StatusNotFound, "", "fr"},
		{"/_headers", http.StatusNotFound, "", ""},
		{"/_endpoints.json", http.StatusNotFound, "", ""},
		{"/_redirects", http.StatusNotFound, "", ""},
	} {
		s, h := ask(srv, "localhost", c.path), ask(host, "example.be", c.path)
		for name, got := range map[string]*httptest.ResponseRecorder{"serve": s, "host": h} {
			m := lang.FindStringSubmatch(got.Body.String())
			if got.Code != c.status || got.Header().Get("Location") != c.location || c.lang != "" && (m == nil || m[1] != c.lang) {
				t.Errorf("%s %s: %d %q %v; want %d %q, a page in %q", name, c.path, got.Code, got.Header().Get("Location"), m, c.status, c.location, c.lang)
			}
			if got.Header().Get("Content-Security-Policy") == "" {
				t.Errorf("%s %s: without the site's headers", name, c.path)
			}
		}
		if s.Header().Get("Content-Type") != h.Header().Get("Content-Type") || s.Header().Get("Content-Security-Policy") != h.Header().Get("Content-Security-Policy") {
			t.Errorf("%s: serve and host send other headers:\n%v\n%v", c.path, s.Header(), h.Header())
		}
	}
}
