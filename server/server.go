// Package server is kmopsite serve: it builds the site into memory and
// serves it with the same headers as the static host's _headers file.
package server

import (
	"bytes"
	"context"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"kmopsite/build"
)

// Options configures the server.
type Options struct {
	Source string // the site's folder
	Logf   func(format string, args ...any)
	// API handles the dynamic paths (the quote endpoint, the mailbox);
	// nil serves the site alone.
	API map[string]http.Handler
}

// Server serves the last good build.
type Server struct {
	opts Options
	mu   sync.RWMutex
	site *build.Result // the last build without errors
	last *build.Result // the last build, good or not
}

// New makes a server; call Rebuild before serving.
func New(opts Options) *Server {
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	return &Server{opts: opts}
}

// Rebuild builds the site again. A build with errors keeps the last good
// site in service and is reported.
func (s *Server) Rebuild(ctx context.Context) *build.Result {
	r := build.Run(ctx, build.Options{Source: s.opts.Source, Drafts: true})
	s.mu.Lock()
	s.last = r
	if r.OK() {
		s.site = r
	}
	s.mu.Unlock()
	return r
}

// Current is the site in service, or nil before the first good build.
func (s *Server) Current() *build.Result {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.site
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for prefix, h := range s.opts.API {
		if r.URL.Path == prefix || strings.HasSuffix(prefix, "/") && strings.HasPrefix(r.URL.Path, prefix) {
			s.setHeaders(w, r.URL.Path)
			h.ServeHTTP(w, r)
			return
		}
	}
	site := s.Current()
	if site == nil {
		http.Error(w, "the site has not been built yet: see the errors in the terminal", http.StatusServiceUnavailable)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name, redirect := resolve(site.Files, r.URL.Path)
	if redirect != "" {
		http.Redirect(w, r, redirect, http.StatusMovedPermanently)
		return
	}
	s.setHeaders(w, r.URL.Path)
	status := http.StatusOK
	if name == "" {
		status = http.StatusNotFound
		name = notFoundPage(site.Files, r.URL.Path)
		if name == "" {
			http.NotFound(w, r)
			return
		}
	}
	data := site.Files[name]
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	w.Header().Set("Content-Type", ctype)
	if strings.HasPrefix(name, "assets/") {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
		_, _ = w.Write(data)
		return
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
}

func (s *Server) setHeaders(w http.ResponseWriter, urlPath string) {
	site := s.Current()
	if site == nil {
		return
	}
	for k, v := range build.HeadersFor(site.Headers, urlPath) {
		w.Header().Set(k, v)
	}
}

// resolve maps a URL path to an output file, as a static host does: a
// folder serves its index.html, and a folder without its trailing slash
// redirects to it.
func resolve(files map[string][]byte, urlPath string) (name, redirect string) {
	p := strings.TrimPrefix(path.Clean("/"+urlPath), "/")
	if strings.HasSuffix(urlPath, "/") || p == "" {
		idx := strings.TrimPrefix(p+"/index.html", "/")
		if _, ok := files[idx]; ok {
			return idx, ""
		}
		return "", ""
	}
	if _, ok := files[p]; ok {
		return p, ""
	}
	if _, ok := files[p+"/index.html"]; ok {
		return "", "/" + p + "/"
	}
	return "", ""
}

// notFoundPage is the 404 page of the language the path is in.
func notFoundPage(files map[string][]byte, urlPath string) string {
	lang, _, _ := strings.Cut(strings.TrimPrefix(urlPath, "/"), "/")
	if _, ok := files[lang+"/404.html"]; ok && lang != "" {
		return lang + "/404.html"
	}
	if _, ok := files["404.html"]; ok {
		return "404.html"
	}
	return ""
}
