package cms

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"html"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"kmopsite/build"
	"kmopsite/sitecheck"
)

// Renderer renders a page from source that is not saved, over the site's
// last build: server.Server.Preview under serve.
// assets are files under assets/ the page may use that the site does not
// have yet (images uploaded in a draft).
type Renderer func(ctx context.Context, file string, src []byte, assets map[string][]byte) (*build.Preview, error)

// previewJS is the CMS's preview template for pages and news posts: it
// posts the entry to /admin/preview as the editor types and shows the
// page it gets back, with the entry's diagnostics above it. A file, not
// inline, for /admin/'s CSP.
//
//go:embed preview.js
var previewJS []byte

var previewSRI = scriptSRI(previewJS)

// PreviewCSP is the CSP of a rendered preview: the site's own, but framed
// by /admin/ (frame-ancestors 'self', where every other page of the site
// says 'none') and with the <base> that makes the page's relative
// addresses its own (base-uri 'self', where the site says 'none').
var PreviewCSP = strings.NewReplacer("frame-ancestors 'none'", "frame-ancestors 'self'", "base-uri 'none'", "base-uri 'self'").
	Replace(build.DefaultHeaders()["Content-Security-Policy"])

// previews keeps the last renderings for the preview pane's frame to get.
type previews struct {
	mu    sync.Mutex
	next  int
	html  map[int][]byte
	media map[int]map[string][]byte // the draft's images of each, by path
}

const keptPreviews = 16

// put keeps a rendering with the draft's images it shows; their
// addresses in it lead to /admin/preview/<id>/<path>.
func (p *previews) put(html []byte, media map[string][]byte) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.html == nil {
		p.html, p.media = map[int][]byte{}, map[int]map[string][]byte{}
	}
	p.next++
	for name := range media {
		html = bytes.ReplaceAll(html, []byte(`="/`+name+`"`), []byte(`="/admin/preview/`+strconv.Itoa(p.next)+`/`+name+`"`))
	}
	p.html[p.next], p.media[p.next] = html, media
	delete(p.html, p.next-keptPreviews)
	delete(p.media, p.next-keptPreviews)
	return p.next
}

func (p *previews) get(id int) []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.html[id]
}

func (p *previews) file(id int, name string) []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.media[id][name]
}

// previewRequest is what preview.js posts: the file the entry is saved to
// and its text as the CMS would save it (front matter as JSON, which is
// YAML, then the body).
type previewRequest struct {
	Path string `json:"path"`
	Raw  string `json:"raw"`
	// Media are the entry's images the site does not have yet: uploaded
	// in the editor, not saved, or saved in a draft. They show in the
	// preview at once, checked as an upload is.
	Media []asset `json:"media"`
}

// previewDiag is a diagnostic of the entry as the pane shows it.
type previewDiag struct {
	Where    string `json:"where"` // the field, or the text and its paragraph
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Hint     string `json:"hint,omitempty"`
	Source   string `json:"source,omitempty"`
}

type previewResponse struct {
	URL         string        `json:"url,omitempty"` // of the rendering, for the pane's frame
	Page        string        `json:"page"`          // the page's address on the site
	Diagnostics []previewDiag `json:"diagnostics"`
	Stale       []string      `json:"stale"` // translations that saving makes stale
	Millis      float64       `json:"ms"`
}

// preview answers POST /admin/preview: the entry is merged into its file
// as a save would (mergeFile: the lines of the diagnostics are the lines
// of the file as it would be saved), rendered with the Builder, and kept
// for GET /admin/preview/<id>. Nothing is written.
func (a *Admin) preview(w http.ResponseWriter, r *http.Request) {
	b := a.backend
	if b == nil || a.Render == nil {
		http.Error(w, "the preview needs kmopsite serve", http.StatusServiceUnavailable)
		return
	}
	if err := checkRequest(r); err != nil {
		b.fail(w, r, "preview", err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, b.MaxBody)
	var req previewRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		b.fail(w, r, "preview", refuse(http.StatusBadRequest, "the request is not JSON: %v", err))
		return
	}
	if err := cleanPath(req.Path); err != nil {
		b.fail(w, r, "preview", err)
		return
	}
	if _, _, ok := pagePath(req.Path); !ok {
		b.fail(w, r, "preview", refuse(http.StatusBadRequest, "%s is not a page: only pages are previewed", req.Path))
		return
	}
	if err := allowed(req.Path, writeFile); err != nil {
		b.fail(w, r, "preview", err)
		return
	}
	b.mu.Lock()
	old, err := b.readConfined(req.Path)
	b.mu.Unlock()
	if err != nil {
		b.fail(w, r, "preview", err)
		return
	}
	src, err := mergeFile(req.Path, old, []byte(req.Raw))
	if err != nil {
		b.fail(w, r, "preview", err)
		return
	}
	media := map[string][]byte{}
	for _, m := range req.Media {
		name, data, err := b.prepareMedia(m, false)
		if err != nil {
			continue // the save says why; the preview shows the page without it
		}
		if _, err := b.root.Lstat(name); err == nil {
			continue // the site's own file
		}
		media[name] = data
	}
	pv, err := a.Render(r.Context(), req.Path, src, media)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return // the pane asked again before this one was done
		}
		b.fail(w, r, "preview", refuse(http.StatusServiceUnavailable, "%v", err))
		return
	}
	out := previewResponse{Page: pv.URL, Diagnostics: []previewDiag{}, Stale: append([]string{}, pv.Stale...),
		Millis: float64(pv.Duration.Microseconds()) / 1000}
	words, _ := editorWords(b.root.FS())
	for _, d := range pv.Diagnostics {
		place := ""
		if words != nil {
			place = where(words, req.Path, src, d.Line)
		}
		out.Diagnostics = append(out.Diagnostics, previewDiag{Where: place, Line: d.Line, Col: d.Col, Severity: d.Severity.String(),
			Message: d.Message(), Hint: d.Hint, Source: d.Source})
	}
	if pv.HTML != nil {
		out.URL = "/admin/preview/" + strconv.Itoa(a.previews.put(withBase(pv.HTML, pv.URL), media))
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(out)
}

// withBase puts <base href="page"> first in the head, so that the page's
// relative addresses are read from its own address, not /admin/preview/,
// and leaves its scripts out.
func withBase(page []byte, url string) []byte {
	// The preview shows the page as it reads, without running it (the
	// live reload, the self-check): its scripts are taken out, as the
	// site's HTML checker's tokenizer reads them.
	page = sitecheck.Without(page, "script")
	tag := []byte(`<base href="` + html.EscapeString(url) + `">`)
	i := bytes.Index(page, []byte("<head>"))
	if i < 0 {
		return page
	}
	i += len("<head>")
	return append(append(append(make([]byte, 0, len(page)+len(tag)), page[:i]...), tag...), page[i:]...)
}

// servePreview answers GET /admin/preview/<id> with a rendering.
func (a *Admin) servePreview(w http.ResponseWriter, r *http.Request, id string) {
	if id, name, ok := strings.Cut(id, "/"); ok { // a draft's image the rendering shows
		n, _ := strconv.Atoi(id)
		data := a.previews.file(n, name)
		if data == nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", mediaTypes[strings.ToLower(path.Ext(name))])
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
		return
	}
	n, err := strconv.Atoi(id)
	page := a.previews.get(n)
	if err != nil || page == nil {
		http.Error(w, "this preview is gone: type in the editor to make another", http.StatusNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", PreviewCSP)
	h.Set("Content-Type", "text/html; charset=utf-8")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(page))
}
