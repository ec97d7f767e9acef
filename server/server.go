// Package server is kmopsite serve: it builds the site into memory, serves
// it with the same headers as the static host's _headers file, rebuilds
// what an edit touches, and tells the browsers over Server-Sent Events
// (/_reload) which pages changed, or what is wrong.
package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"kmopsite/build"
	"kmopsite/settings"
)

// Options configures the server.
type Options struct {
	Source string // the site's folder
	// Logf logs what an operator must know (the quote endpoint's
	// deliveries, the watcher's errors).
	Logf func(format string, args ...any)
	// Log receives one line per build, and the diagnostics of a build
	// that failed; nil logs nothing.
	Log io.Writer
	// API handles the dynamic paths, by http.ServeMux pattern ("/admin/"
	// and what is under it, "/api/v1" alone); nil serves the site alone.
	API map[string]http.Handler
	// Quiet is the watcher's quiet period; build.DefaultQuiet when 0.
	Quiet time.Duration
	// NoWasm skips compiling assess.wasm (tests of the site alone).
	NoWasm bool
	// Checks are build.Options.Checks: the checks of site.yaml's sections
	// beyond build's.
	Checks []settings.Check
}

// Server serves the last good build, rebuilds on changes and tells the
// browsers.
type Server struct {
	opts   Options
	hub    *hub
	quotes *Quotes
	search *search // the search index, made lazily (search.go)

	buildMu sync.Mutex // one build at a time
	builder *build.Builder

	mux *http.ServeMux

	mu      sync.RWMutex
	site    *build.Result // the last build without errors
	static  *Static       // serves site
	last    *build.Result // the last build, good or not
	overlay []byte        // the errors of last, as HTML; nil when last is good
	gzip    gzipCache     // the gzipped output files
	id      string        // of this server, to tell a restart from a reconnection
	gen     int           // builds published
}

// New makes a server; call Rebuild before serving.
func New(opts Options) *Server {
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	s := &Server{opts: opts, id: fmt.Sprintf("%x", time.Now().UnixNano())}
	s.builder = build.NewBuilder(build.Options{Source: opts.Source, Drafts: true, NoWasm: opts.NoWasm, Checks: opts.Checks})
	s.hub = newHub()
	s.mux = http.NewServeMux()
	s.mux.Handle("/_reload", s.hub)
	s.mux.HandleFunc(overlayCSSPath, serveOverlayCSS)
	s.mux.HandleFunc(reloadJSPath, serveReloadJS)
	for pattern, h := range opts.API {
		s.mux.Handle(pattern, h)
	}
	s.mux.HandleFunc("/", s.serveSite)
	s.search = newSearch(opts.Source, opts.Logf, &s.gzip)
	s.mux.HandleFunc("/"+build.SearchDir, s.serveSearch)
	return s
}

// Rebuild builds the whole site again and publishes it. A build with
// errors keeps the last good site in service and is reported.
func (s *Server) Rebuild(ctx context.Context) *build.Result {
	s.buildMu.Lock()
	defer s.buildMu.Unlock()
	s.search.pause()
	start := time.Now()
	r := s.builder.Build(ctx, build.Changes{All: true})
	s.publish(r, build.Changes{All: true}, start)
	return r
}

// Apply rebuilds what a batch of file events touches and publishes the
// result; nil when the events touch no source.
func (s *Server) Apply(ctx context.Context, events []build.Event) *build.Result {
	s.buildMu.Lock()
	defer s.buildMu.Unlock()
	start := time.Now()
	ch := build.Plan(events, s.builder.Known())
	if ch.Empty() {
		return nil
	}
	s.search.pause()
	r := s.builder.Build(ctx, ch)
	if ctx.Err() != nil {
		return r // interrupted: keep what is in service
	}
	s.publish(r, ch, start)
	return r
}

// Watch watches the sources and applies every batch of changes until ctx
// is done.
func (s *Server) Watch(ctx context.Context) error {
	w, err := build.NewWatcher(s.opts.Source, s.opts.Quiet)
	if err != nil {
		return err
	}
	defer w.Close()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-w.Errors():
			s.opts.Logf("watching the sources: %v", err)
		case events, ok := <-w.Batches():
			if !ok {
				return nil
			}
			s.Apply(ctx, events)
		}
	}
}

// MountQuotes serves the quote endpoint of site.yaml and, when mail stays
// in the outbox, the mailbox at /_mail/, with the configuration of r and
// then of each good build. An error says why the endpoint answers 503 for
// now; the Quotes are mounted all the same.
func (s *Server) MountQuotes(r *build.Result, opts QuoteOptions) (*Quotes, error) {
	f, err := builtEndpoints(r)
	q, qerr := NewQuotes(f, r.Config, opts, s.opts.Logf)
	if err == nil {
		err = qerr
	}
	s.mu.Lock()
	s.quotes = q
	s.mu.Unlock()
	return q, err
}

// Handle serves the requests that match pattern (http.ServeMux's) with
// h, before the site, as Options.API does; for a handler made after the
// first build.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// Preview renders a page from source that is not saved, over the last
// build (build.Builder.Preview), for the CMS's preview pane. It holds the
// build lock: it runs between the watcher's builds, never during one.
func (s *Server) Preview(ctx context.Context, file string, src []byte, assets map[string][]byte) (*build.Preview, error) {
	s.buildMu.Lock()
	defer s.buildMu.Unlock()
	return s.builder.PreviewWith(ctx, file, src, assets)
}

// Close stops the event streams and releases the builder.
func (s *Server) Close() {
	s.hub.close()
	s.search.pause()
	s.buildMu.Lock()
	s.builder.Close()
	s.buildMu.Unlock()
}

// Current is the site in service, or nil before the first good build.
func (s *Server) Current() *build.Result {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.site
}

// Last is the last build, good or not.
func (s *Server) Last() *build.Result {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.last
}

// publish puts a build in service when it has no error, tells the
// browsers what changed or what is wrong, and logs one line.
func (s *Server) publish(r *build.Result, ch build.Changes, start time.Time) {
	// What changed, found before the swap: requests are not held while
	// every file of a big site is compared (publish runs under buildMu, so
	// the site in service cannot change meanwhile).
	prev := s.Current()
	var changed []string
	if r.OK() {
		changed = changedFiles(prev, r)
	}
	s.mu.Lock()
	wasBroken := s.last != nil && !s.last.OK()
	s.last = r
	s.gen++
	id := fmt.Sprintf("%s-%d", s.id, s.gen)
	var overlay []byte
	if r.OK() {
		s.site = r
		s.static = NewStatic(r.Files, &s.gzip)
		s.search.idle(r)
	} else {
		overlay = overlayHTML(r.Diagnostics)
	}
	s.overlay = overlay
	quotes := s.quotes
	s.mu.Unlock()

	what := describe(ch)
	took := time.Since(start)
	if took < time.Second {
		took = took.Round(100 * time.Microsecond)
	} else {
		took = took.Round(time.Millisecond)
	}
	if !r.OK() {
		s.hub.publish(id, &event{name: "error", data: errorEvent{Build: id, Errors: r.Diagnostics.Errors(), HTML: string(overlay)}})
		fmt.Fprintf(s.opts.Log, "%s %s: %s; the last good site stays in service (%s)\n%s",
			time.Now().Format("15:04:05"), what, plural(r.Diagnostics.Errors(), "error"), took, r.Diagnostics.Format(20))
		return
	}
	var events []*event
	if wasBroken {
		events = append(events, &event{name: "clear", data: buildEvent{Build: id}})
	}
	if prev != nil && len(changed) > 0 {
		events = append(events, &event{name: "reload", data: reloadFor(prev, r, changed, ch, id)})
	}
	s.hub.publish(id, events...)
	if quotes != nil {
		f, err := builtEndpoints(r)
		if err == nil {
			err = quotes.Update(f, r.Config)
		}
		if err != nil {
			s.opts.Logf("the quote endpoint keeps its words: %v", err)
		}
	}
	if prev == nil {
		// No count here: `serve` says next how many pages it serves, as
		// check counts them (the 404 pages and the language chooser
		// rendered with them would make another number).
		fmt.Fprintf(s.opts.Log, "%s %s: done in %s\n", time.Now().Format("15:04:05"), what, took)
		return
	}
	fmt.Fprintf(s.opts.Log, "%s %s: %s rendered, %s changed in %s\n", time.Now().Format("15:04:05"),
		what, plural(r.Rendered, "page"), plural(len(changed), "file"), took)
}

// describe names what changed, for the log line.
func describe(ch build.Changes) string {
	switch {
	case len(ch.Paths) == 1:
		return ch.Paths[0]
	case len(ch.Paths) > 1:
		return fmt.Sprintf("%s and %s", ch.Paths[0], plural(len(ch.Paths)-1, "other"))
	case ch.All:
		return "the site"
	}
	return "sources"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// ServeHTTP sets the site's headers on every answer (the API's, the
// event stream's, redirects and 405s too) and routes the request: the
// live reload stream, the overlay's style, the API (the CMS), the quote
// endpoint and the mailbox, else the site, through Static as host serves
// it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	st := s.static
	s.mu.RUnlock()
	if st != nil {
		st.setHeaders(w, r.URL.Path)
	} else {
		for k, v := range build.DefaultHeaders() {
			w.Header().Set(k, v)
		}
	}
	s.mux.ServeHTTP(w, r)
}

// serveSite answers the paths of the site: the quote endpoint and the
// mailbox, else the files of the last good build, with the errors of a
// failed one over every page.
func (s *Server) serveSite(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	st, overlay, quotes := s.static, s.overlay, s.quotes
	s.mu.RUnlock()
	if h := quotes.route(r.URL.Path); h != nil {
		h.ServeHTTP(w, r)
		return
	}
	if st == nil {
		s.serveErrors(w, r, overlay)
		return
	}
	var rewrite func([]byte) []byte
	if overlay != nil {
		rewrite = func(page []byte) []byte { return injectOverlay(page, overlay) } // the last build failed: say so on every page
	}
	st.serve(w, r, rewrite)
}

// serveSearch answers /pagefind/ from the search index of the site in
// service, made when asked for (search.go).
func (s *Server) serveSearch(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	site := s.site
	s.mu.RUnlock()
	st := s.search.staticOf(r.Context(), site)
	if st == nil {
		http.NotFound(w, r)
		return
	}
	st.ServeHTTP(w, r)
}

// NoSearch says why search does not work under this server (Pagefind is
// not installed), or "" when it does.
func (s *Server) NoSearch() string { return s.search.why }

// serveReloadJS is the live reload's client, which only the pages serve
// renders load.
func serveReloadJS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, "reload.js", time.Time{}, bytes.NewReader(reloadJS))
}

func serveOverlayCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, "overlay.css", time.Time{}, bytes.NewReader(overlayCSS))
}
