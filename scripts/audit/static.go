package main

import (
	"bytes"
	"compress/gzip"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"kmopsite/checks"
)

// staticHost serves a built site as a static host does: every response
// gets the headers that _headers gives its path, a folder serves its
// index.html (and a folder without its slash redirects to it), a missing
// path gets its language's 404 page, and text and wasm are sent
// compressed with gzip when the browser accepts it (and compress is on). `kmopsite serve` is
// the editors' server: it adds live reload, shows drafts and the errors
// of a build in progress, and compresses nothing, so the audit measures
// what visitors get from this one.
type staticHost struct {
	dir      string
	compress bool
	rules    []checks.HeaderRule
	mu       sync.Mutex
	gz       map[string][]byte // compressed bodies by file
}

func newStaticHost(dir string, compress bool) (*staticHost, error) {
	data, err := os.ReadFile(filepath.Join(dir, "_headers"))
	if err != nil {
		return nil, err
	}
	rules, err := checks.ParseHeadersFile(data)
	if err != nil {
		return nil, err
	}
	return &staticHost{dir: dir, compress: compress, rules: rules, gz: map[string][]byte{}}, nil
}

// listen serves on a free loopback port and returns the base URL.
func (h *staticHost) listen() (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}

// compressible are the types a static host compresses.
func compressible(ctype string) bool {
	ctype, _, _ = strings.Cut(ctype, ";")
	return strings.HasPrefix(ctype, "text/") || strings.HasSuffix(ctype, "+xml") || strings.HasSuffix(ctype, "/xml") ||
		ctype == "application/javascript" || ctype == "application/json" || ctype == "application/wasm" || ctype == "image/svg+xml"
}

func (h *staticHost) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := path.Clean("/" + r.URL.Path)
	name := strings.TrimPrefix(p, "/")
	if strings.HasSuffix(r.URL.Path, "/") {
		name = strings.TrimPrefix(name+"/index.html", "/")
	}
	if strings.HasPrefix(path.Base(name), "_") { // _headers, _redirects
		name = ""
	}
	status := http.StatusOK
	fi, err := os.Stat(filepath.Join(h.dir, filepath.FromSlash(name)))
	if name == "" || err != nil || fi.IsDir() {
		if name != "" && err == nil && fi.IsDir() {
			http.Redirect(w, r, p+"/", http.StatusMovedPermanently)
			return
		}
		status = http.StatusNotFound
		lang, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
		name = lang + "/404.html"
		if _, err := os.Stat(filepath.Join(h.dir, filepath.FromSlash(name))); err != nil {
			name = "404.html"
		}
	}
	data, err := os.ReadFile(filepath.Join(h.dir, filepath.FromSlash(name)))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	// The rules match the path as asked: path.Clean drops the final slash.
	urlPath := p
	if strings.HasSuffix(r.URL.Path, "/") && p != "/" {
		urlPath += "/"
	}
	for k, vs := range checks.HeadersAt(h.rules, urlPath) {
		w.Header()[k] = vs
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	w.Header().Set("Content-Type", ctype)
	if h.compress && compressible(ctype) {
		w.Header().Add("Vary", "Accept-Encoding")
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			data = h.gzip(name, data)
			w.Header().Set("Content-Encoding", "gzip")
		}
	}
	w.WriteHeader(status)
	if r.Method == http.MethodGet {
		_, _ = w.Write(data)
	}
}

func (h *staticHost) gzip(name string, data []byte) []byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	if z, ok := h.gz[name]; ok {
		return z
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(data)
	_ = zw.Close()
	h.gz[name] = buf.Bytes()
	return h.gz[name]
}
