package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The static host gives each path the headers _headers gives it, serves
// folders, 404 pages and gzip as a static host does.
func TestStaticHost(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"_headers": "/*\n  Content-Security-Policy: script-src 'self'\n  X-Content-Type-Options: nosniff\n" +
			"/nl/zelftest/*\n  ! Content-Security-Policy\n  Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'\n" +
			"/assets/*\n  Cache-Control: immutable\n",
		"nl/index.html":          "<!doctype html><p>home",
		"nl/zelftest/index.html": "<!doctype html><p>zelftest",
		"nl/404.html":            "<!doctype html><p>niet gevonden",
		"404.html":               "<!doctype html><p>not found",
		"assets/a.wasm":          strings.Repeat("\x00asm", 1000),
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h, err := newStaticHost(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path, acceptEncoding string
		status               int
		header, want         string
	}{
		{"/nl/", "", 200, "Content-Security-Policy", "script-src 'self'"},
		{"/nl/zelftest/", "", 200, "Content-Security-Policy", "script-src 'self' 'wasm-unsafe-eval'"},
		{"/nl/zelftest/", "", 200, "X-Content-Type-Options", "nosniff"},
		{"/nl/zelftest", "", 301, "Location", "/nl/zelftest/"},
		{"/nl/nope/", "", 404, "Content-Security-Policy", "script-src 'self'"},
		{"/_headers", "", 404, "X-Content-Type-Options", "nosniff"},
		{"/assets/a.wasm", "gzip, br", 200, "Content-Encoding", "gzip"},
		{"/assets/a.wasm", "", 200, "Content-Type", "application/wasm"},
		{"/assets/a.wasm", "", 200, "Cache-Control", "immutable"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", tt.path, nil)
		if tt.acceptEncoding != "" {
			r.Header.Set("Accept-Encoding", tt.acceptEncoding)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != tt.status {
			t.Errorf("%s: status %d, want %d", tt.path, w.Code, tt.status)
		}
		if got := w.Header().Get(tt.header); got != tt.want {
			t.Errorf("%s: %s %q, want %q", tt.path, tt.header, got, tt.want)
		}
	}
	r := httptest.NewRequest("GET", "/fr/nope", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if !strings.Contains(w.Body.String(), "not found") || w.Code != http.StatusNotFound {
		t.Errorf("/fr/nope: %d %q, want the root 404 page", w.Code, w.Body.String())
	}

	// Without compression, the same file goes out as it is.
	plain, err := newStaticHost(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	r = httptest.NewRequest("GET", "/assets/a.wasm", nil)
	r.Header.Set("Accept-Encoding", "gzip, br")
	w = httptest.NewRecorder()
	plain.ServeHTTP(w, r)
	if enc := w.Header().Get("Content-Encoding"); enc != "" || w.Body.String() != files["assets/a.wasm"] {
		t.Errorf("uncompressed host: Content-Encoding %q and %d bytes, want none and the file's %d", enc, w.Body.Len(), len(files["assets/a.wasm"]))
	}
}
