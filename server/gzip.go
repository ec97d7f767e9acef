package server

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strings"
	"sync"
)

// gzipCache keeps the gzipped form of each output file, so that a file is
// compressed once per build, not once per request. An entry is valid while
// it was made from the very same bytes (the same backing array), which a
// new build replaces.
type gzipCache struct {
	mu sync.Mutex
	m  map[string]gzipEntry
}

type gzipEntry struct {
	src, gz []byte
}

// get returns data gzipped.
func (c *gzipCache) get(name string, data []byte) []byte {
	c.mu.Lock()
	e, ok := c.m[name]
	c.mu.Unlock()
	if ok && len(e.src) == len(data) && &e.src[0] == &data[0] {
		return e.gz
	}
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.DefaultCompression)
	_, _ = zw.Write(data)
	_ = zw.Close()
	gz := b.Bytes()
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]gzipEntry{}
	}
	c.m[name] = gzipEntry{src: data, gz: gz}
	c.mu.Unlock()
	return gz
}

// compressible tells the types worth gzipping: text, scripts, data, wasm.
func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "javascript") ||
		strings.Contains(ctype, "json") || strings.Contains(ctype, "xml") ||
		strings.HasPrefix(ctype, "application/wasm") || strings.HasPrefix(ctype, "image/svg")
}

// acceptsGzip reports whether the client takes gzip.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(enc) == "gzip" && strings.TrimSpace(q) != "q=0" {
			return true
		}
	}
	return false
}
