package checks

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"kmopsite/build"
	"kmopsite/sitecheck"
)

// The tests build the real site with the kmopsite command, serve it with
// `kmopsite serve` on loopback, and check every page: its HTML, its
// headers, and in Chromium its accessibility (axe-core) and its console.

type siteEnv struct {
	root   string
	dir    string // temporary: the command, the built site, the outbox, the browser profile
	bin    string
	public string
	files  map[string][]byte // the built site
	rules  sitecheck.Rules   // what its pages must meet
	srv    *Server
	wasm   map[string]bool // URL paths of the pages that run WebAssembly (self-check, quote)

	browserOnce sync.Once
	browser     *Browser // one Chromium for every test of the binary
	browserErr  error
}

var (
	envOnce sync.Once
	env     *siteEnv
	envErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if env != nil {
		if env.browser != nil {
			env.browser.Close()
		}
		env.srv.Stop()
		_ = os.RemoveAll(env.dir)
	}
	os.Exit(code)
}

// site builds and serves the site once for all the tests.
func site(t *testing.T) *siteEnv {
	t.Helper()
	envOnce.Do(func() { env, envErr = setup() })
	if envErr != nil {
		t.Fatal(envErr)
	}
	return env
}

func setup() (*siteEnv, error) {
	ctx := context.Background()
	root, err := Root(".")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "kmopsite-checks-")
	if err != nil {
		return nil, err
	}
	e := &siteEnv{root: root, dir: dir, public: filepath.Join(dir, "public"), wasm: map[string]bool{}}
	fail := func(err error) (*siteEnv, error) {
		e.srv.Stop()
		_ = os.RemoveAll(dir)
		return nil, err
	}
	if e.bin, err = BuildCommand(ctx, root, dir); err != nil {
		return fail(err)
	}
	if err := BuildSite(ctx, e.bin, root, e.public); err != nil {
		return fail(err)
	}
	if e.files, err = ReadSite(e.public); err != nil {
		return fail(err)
	}
	// Which pages run WebAssembly is the layout's business: ask the build.
	r := build.Run(ctx, build.Options{Source: root, NoWasm: true})
	if !r.OK() {
		return fail(fmt.Errorf("the site does not build:\n%s", r.Diagnostics.Format(20)))
	}
	for _, p := range r.Pages {
		if p.Layout == "selfcheck" || p.Layout == "quote" || p.Layout == "search" {
			e.wasm[p.URL] = true
		}
	}
	e.wasm["/"+build.SearchWorker] = true // Pagefind's worker runs the search's WebAssembly
	// Descriptions as search engines show them (build.DescriptionMin, Max).
	e.rules = sitecheck.Rules{BaseURL: r.Config.BaseURL, DescMin: build.DescriptionMin, DescMax: build.DescriptionMax}
	for _, l := range r.Config.Languages {
		e.rules.Locales = append(e.rules.Locales, l.Locale)
	}
	if e.srv, err = Serve(ctx, e.bin, root, filepath.Join(dir, "outbox")); err != nil {
		return fail(err)
	}
	return e, nil
}

// TestPages checks every built page and the site as a whole with
// sitecheck (the checker the build's golden tests use): well-formed HTML,
// ARIA, ids and links, lang, title, description, canonical URL, reciprocal
// hreflang with x-default, and the sitemap agreeing with the pages.
func TestPages(t *testing.T) {
	e := site(t)
	pages := sitecheck.Pages(e.files)
	if len(pages) < 10 {
		t.Fatalf("only %d pages built", len(pages))
	}
	for _, p := range sitecheck.Check(e.files, e.rules) {
		t.Error(p)
	}
	t.Logf("%d pages checked", len(pages))
}

// TestNoLiveReload checks that the built site ships nothing of serve's live
// reload: no EventSource client in its scripts, no page that loads
// /_reload.js or listens to /_reload. (The editor of the live site, admin/,
// is Decap's own code.)
func TestNoLiveReload(t *testing.T) {
	e := site(t)
	for name, data := range e.files {
		if strings.HasPrefix(name, "admin/") {
			continue
		}
		for _, s := range []string{"EventSource", "/_reload"} {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s holds %q: the live reload is serve's alone", name, s)
			}
		}
	}
}

// served is a URL path to request and what to expect of it.
type served struct {
	path   string
	status int
	wasm   bool // its CSP must allow WebAssembly
}

// urlsToRequest are every file of the built site but the editor's and the
// host's at its URL (a page at its folder; a path of _redirects, such as
// /, answers with its redirect), a missing page in each language and at
// the root (the 404 pages), and the quote endpoint.
func (e *siteEnv) urlsToRequest() []served {
	var out []served
	redirects := build.ReadRedirects(e.files["_redirects"])
	for name := range e.files {
		if strings.HasPrefix(name, "_") { // _headers, _redirects, _endpoints.json: for the host
			continue
		}
		if strings.HasPrefix(name, "admin/") {
			// The editor of the live site (cms.Live): its wider headers
			// are its own, tested in cms (TestLiveAdmin,
			// TestBrowserLiveAdmin); serve has its local editor there.
			continue
		}
		p := "/" + name
		if strings.HasSuffix(p, "/index.html") {
			p = strings.TrimSuffix(p, "index.html")
		}
		status := http.StatusOK
		if rd, ok := redirects[p]; ok {
			status = rd.Status
		}
		out = append(out, served{path: p, status: status, wasm: e.wasm[p]})
	}
	for _, p := range sitecheck.Pages(e.files) {
		if lang, rest, ok := strings.Cut(strings.TrimPrefix(p.Path, "/"), "/"); ok && rest == "404.html" {
			out = append(out, served{path: "/" + lang + "/no-such-page/", status: 404})
		}
	}
	out = append(out, served{path: "/no-such-file.txt", status: 404}, served{path: "/api/quote", status: 405})
	return out
}

// TestHeaders requests every page, asset, feed, the sitemap, the 404 pages
// and the quote endpoint from `kmopsite serve` and checks the security
// headers of each response, then checks that _headers in the built site
// gives each path the same headers.
func TestHeaders(t *testing.T) {
	e := site(t)
	rules, err := ParseHeadersFile(e.files["_headers"])
	if err != nil {
		t.Fatal(err)
	}
	if len(e.wasm) == 0 {
		t.Fatal("no page with the selfcheck or quote layout: nothing tests 'wasm-unsafe-eval'")
	}
	client := &http.Client{
		Timeout:       Budget(t, 30*time.Second),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	urls := e.urlsToRequest()
	for _, u := range urls {
		resp, err := client.Get(e.srv.URL + u.path)
		if err != nil {
			t.Errorf("GET %s: %v", u.path, err)
			continue
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != u.status {
			t.Errorf("GET %s: status %d, want %d", u.path, resp.StatusCode, u.status)
		}
		for _, p := range CheckSecurityHeaders(resp.Header, u.wasm) {
			t.Errorf("GET %s: %s", u.path, p)
		}
		// With nosniff, a wrong type blocks a script or a style sheet, and
		// the wasm streams only as application/wasm.
		if want := wantType(u.path, u.status); want != "" && !strings.HasPrefix(resp.Header.Get("Content-Type"), want) {
			t.Errorf("GET %s: Content-Type %q, want %s", u.path, resp.Header.Get("Content-Type"), want)
		}
		if u.status != 200 {
			continue // a static host's 404 is its own business
		}
		static := HeadersAt(rules, u.path)
		for _, name := range SecurityHeaders {
			if got, want := resp.Header.Get(name), static.Get(name); got != want {
				t.Errorf("%s %s: serve sends %q, _headers gives %q", u.path, name, got, want)
			}
		}
		for name := range static {
			if got, want := resp.Header.Get(name), static.Get(name); got != want {
				t.Errorf("%s %s: serve sends %q, _headers gives %q", u.path, name, got, want)
			}
		}
		// _headers alone, as a static host reads it, must pass too.
		for _, p := range CheckSecurityHeaders(static, u.wasm) {
			t.Errorf("_headers for %s: %s", u.path, p)
		}
	}
	t.Logf("%d responses checked", len(urls))
}

// wantType is the Content-Type a path must be served with, "" when any.
func wantType(p string, status int) string {
	if status == 404 || strings.HasSuffix(p, "/") {
		return "text/html"
	}
	switch path.Ext(p) {
	case ".html":
		return "text/html"
	case ".css":
		return "text/css"
	case ".js":
		return "text/javascript"
	case ".wasm":
		return "application/wasm"
	case ".svg":
		return "image/svg+xml"
	case ".xml":
		return "" // text/xml or application/xml, both fine
	case ".txt":
		return "text/plain"
	}
	return ""
}

// startBrowser starts Chromium once for the test binary; it skips the test
// when there is no Chromium.
func (e *siteEnv) startBrowser(t *testing.T, axe string) *Browser {
	t.Helper()
	chrome := ChromePath()
	if chrome == "" {
		t.Skip("no Chromium (set CHROME_PATH, or run make test, which installs it)")
	}
	e.browserOnce.Do(func() {
		e.browser, e.browserErr = NewBrowser(context.Background(), chrome, filepath.Join(e.dir, "chrome"), axe)
	})
	if e.browserErr != nil {
		t.Fatal(e.browserErr)
	}
	return e.browser
}

// TestBrowser loads every built page in Chromium from `kmopsite serve`, at
// a phone's and a laptop's size: axe-core must report no violation, and
// the page must log no error, throw no exception and break no CSP rule.
//
// Its time is the test binary's (-timeout; make test gives 20 minutes):
// under load, page loads and axe-core runs take many times longer than on
// a quiet machine, so no step has a fixed short timeout; each visit gets
// Budget(2 minutes), which grows with the load average.
func TestBrowser(t *testing.T) {
	e := site(t)
	axe, err := AxeSource(e.root)
	if err != nil {
		t.Skipf("no axe-core (run npm ci, or make test): %v", err)
	}
	b := e.startBrowser(t, axe)
	ctx := TestContext(t)

	type job struct {
		page *sitecheck.Page
		vp   Viewport
	}
	jobs := make(chan job)
	var mu sync.Mutex
	var wg sync.WaitGroup
	visited := 0
	for range 2 {
		wg.Go(func() {
			for j := range jobs {
				vctx, cancel := context.WithTimeout(ctx, Budget(t, 2*time.Minute))
				start := time.Now()
				v, err := b.Visit(vctx, e.srv.URL+j.page.Path, j.vp, true)
				cancel()
				mu.Lock()
				visited++
				where := fmt.Sprintf("%s (%s)", j.page.Path, j.vp.Name)
				switch {
				case err != nil:
					t.Errorf("%s: after %s (load average per core %.1f): %v", where, time.Since(start).Round(time.Second), Slowdown(), err)
				default:
					if v.Status != 200 {
						t.Errorf("%s: status %d", where, v.Status)
					}
					if v.AxeRules == 0 {
						t.Errorf("%s: axe-core ran no rule", where)
					}
					for _, viol := range v.Violations {
						t.Errorf("%s: axe: %s", where, viol)
					}
					for _, inc := range v.Incomplete {
						t.Logf("%s: axe could not decide (see it by hand): %s", where, inc)
					}
					for _, msg := range v.Errors {
						t.Errorf("%s: %s", where, msg)
					}
				}
				mu.Unlock()
			}
		})
	}
	for _, vp := range []Viewport{Mobile, Desktop} {
		for _, p := range sitecheck.Pages(e.files) {
			jobs <- job{p, vp}
		}
	}
	close(jobs)
	wg.Wait()
	t.Logf("%d page loads checked with axe-core", visited)
}
