package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"kmopsite/build"
	"kmopsite/endpoints"
)

// Static serves a built site from memory as a static host (Cloudflare
// Pages, Netlify) does: the redirects of its _redirects (/ to the default
// language, the aliases), a folder's index.html, a folder without its
// trailing slash redirected, the language's 404 page for a path with no
// file, only GET and HEAD. serve and host both answer through it, so
// that a path gets the same answer from both; each wraps it with what is
// its own (serve: the overlay of errors, live reload, the CMS; host: the
// host names, the log, /healthz). The headers of its _headers
// (Static.Headers) go on every answer of both, their own routes' too.
type Static struct {
	files     map[string][]byte // as the build made them; never changed
	headers   map[string]map[string]string
	redirects map[string]build.Redirect
	gzip      *gzipCache
	etags     sync.Map // name → ETag, made on first use
}

// hidden are the files of a build that are for the host, not for
// visitors.
var hidden = map[string]bool{"_headers": true, "_redirects": true, endpoints.Path: true}

// NewStatic serves files, a build's output by path. gz keeps the gzipped
// files; a server that puts builds in service one after the other passes
// the same one, so that a file that did not change is not compressed
// again.
func NewStatic(files map[string][]byte, gz *gzipCache) *Static {
	return &Static{files: files, gzip: gz,
		headers: build.ReadHeaders(files["_headers"]), redirects: build.ReadRedirects(files["_redirects"])}
}

// Files is the number of files a visitor can ask for.
func (s *Static) Files() int {
	n := 0
	for name := range s.files {
		if !hidden[name] {
			n++
		}
	}
	return n
}

// Headers are the headers of _headers for a request path.
func (s *Static) Headers(urlPath string) map[string]string {
	return build.HeadersFor(s.headers, urlPath)
}

// setHeaders sets the headers of urlPath on w.
func (s *Static) setHeaders(w http.ResponseWriter, urlPath string) {
	for k, v := range s.Headers(urlPath) {
		w.Header().Set(k, v)
	}
}

// file returns a file of the site, not one of the hidden ones.
func (s *Static) file(name string) ([]byte, bool) {
	data, ok := s.files[name]
	return data, ok && !hidden[name]
}

func (s *Static) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.serve(w, r, nil) }

// serve answers a request for a file of the site; rewrite, when not nil,
// changes the HTML pages on their way out (serve's overlay of errors).
func (s *Static) serve(w http.ResponseWriter, r *http.Request, rewrite func([]byte) []byte) {
	if !readOnly(w, r) {
		return
	}
	if rd, ok := s.redirects[r.URL.Path]; ok {
		http.Redirect(w, r, rd.To, rd.Status)
		return
	}
	name, redirect := s.resolve(r.URL.Path)
	status := http.StatusOK
	switch {
	case redirect != "":
		http.Redirect(w, r, redirect, http.StatusMovedPermanently)
		return
	case name == "":
		if name = s.notFoundPage(r.URL.Path); name == "" {
			http.NotFound(w, r)
			return
		}
		status = http.StatusNotFound
	}
	data, _ := s.file(name)
	etag := s.etag(name, data)
	if rewrite != nil && strings.HasSuffix(name, ".html") {
		data, etag = rewrite(data), ""
	}
	s.write(w, r, name, data, status, etag)
}

// readOnly answers 405 to a method other than GET and HEAD, and reports
// whether the request may go on.
func readOnly(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	return false
}

// resolve maps a URL path to a file: a folder serves its index.html, and a
// folder without its trailing slash redirects to it.
func (s *Static) resolve(urlPath string) (name, redirect string) {
	p := strings.TrimPrefix(path.Clean("/"+urlPath), "/")
	if strings.HasSuffix(urlPath, "/") || p == "" {
		idx := strings.TrimPrefix(p+"/index.html", "/")
		if _, ok := s.file(idx); ok {
			return idx, ""
		}
		return "", ""
	}
	if _, ok := s.file(p); ok {
		return p, ""
	}
	if _, ok := s.file(p + "/index.html"); ok {
		return "", "/" + p + "/"
	}
	return "", ""
}

// notFoundPage is the 404 page of the language the path is in, else the
// site's.
func (s *Static) notFoundPage(urlPath string) string {
	lang, _, _ := strings.Cut(strings.TrimPrefix(urlPath, "/"), "/")
	if _, ok := s.file(lang + "/404.html"); ok && lang != "" {
		return lang + "/404.html"
	}
	if _, ok := s.file("404.html"); ok {
		return "404.html"
	}
	return ""
}

// etag is a file's entity tag, a hash of its bytes, made once.
func (s *Static) etag(name string, data []byte) string {
	if e, ok := s.etags.Load(name); ok {
		return e.(string)
	}
	sum := sha256.Sum256(data)
	e := `"` + hex.EncodeToString(sum[:12]) + `"`
	s.etags.Store(name, e)
	return e
}

// write answers with a file as a CDN would: its type, the assets cached
// for good and the rest revalidated, text gzipped once when the client
// takes it, ranges and conditional requests (etag, when given) for a 200.
func (s *Static) write(w http.ResponseWriter, r *http.Request, name string, data []byte, status int, etag string) {
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
	if etag != "" && status == http.StatusOK {
		w.Header().Set("ETag", etag)
	}
	if compressible(ctype) && len(data) > 1024 {
		w.Header().Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) && r.Header.Get("Range") == "" {
			if status == http.StatusOK && etag != "" {
				// Another body, another tag (RFC 9110, 8.8.3).
				tag := strings.TrimSuffix(etag, `"`) + `-gzip"`
				w.Header().Set("ETag", tag)
				if strings.Contains(r.Header.Get("If-None-Match"), tag) {
					w.WriteHeader(http.StatusNotModified)
					return
				}
			}
			// The same file gzipped, like a CDN sends it; whole, since a
			// range of a compressed body is of little use here.
			zipped := s.gzip.get(name, data)
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Length", strconv.Itoa(len(zipped)))
			w.WriteHeader(status)
			if r.Method != http.MethodHead {
				_, _ = w.Write(zipped)
			}
			return
		}
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
		_, _ = w.Write(data)
		return
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
}
