// Package e2e drives the self-check and the quote form in Debian's Chromium
// against the real site: built from this repository's sources with the
// compiled assess.wasm, served by the same server as `kmopsite serve`, with
// the real quote endpoint writing to a temporary outbox.
//
// The tests need Chromium (make deps-debian; checks.ChromePath finds it)
// and axe-core from node_modules (make deps-npm); without either they
// skip, saying which. One Chromium serves every test of the binary, each
// test in tabs of its own, with timeouts from checks.Budget: they stretch
// with the machine's load, so that the tests hold on a busy machine.
// Screenshots are written to e2e/testdata/screens/ (ignored by git) to be
// looked at.
package e2e

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"kmopsite/build"
	"kmopsite/checks"
	"kmopsite/endpoints"
	"kmopsite/quote"
	"kmopsite/server"
)

// root is the repository, whose site the tests build.
const root = ".."

// endpoint modes: how the quote endpoint answers.
const (
	modeReal    = iota // the real handler
	modeFail503        // 503, as when the outbox cannot be written
	modeDrop           // the connection is closed: a network failure
	modeBusy           // 429, too many requests, again in two minutes
)

// How assess.wasm is served.
const (
	rulesReal   = iota
	rulesHeld   // not before the test lets go of site.rulesGate: a slow connection
	rulesBroken // 500
)

// site is the running site and browser, shared by the tests.
type site struct {
	url    string
	outbox string
	mode   atomic.Int32 // of the quote endpoint
	rules  atomic.Int32 // of assess.wasm
	// rulesGate is closed when a held assess.wasm may go (rulesHeld); set
	// it before storing rulesHeld.
	rulesGate chan struct{}
	result    *build.Result
	axe       string // axe.min.js

	browser *checks.Browser // each test opens its own tabs
	stop    func()
}

var (
	setupOnce sync.Once
	shared    *site
	setupErr  error
	skipWhy   string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		shared.stop()
	}
	os.Exit(code)
}

// start builds and serves the site and starts Chromium, once.
func start(t *testing.T) *site {
	t.Helper()
	setupOnce.Do(func() { shared, skipWhy, setupErr = setup() })
	if skipWhy != "" {
		t.Skip(skipWhy)
	}
	if setupErr != nil {
		t.Fatal(setupErr)
	}
	return shared
}

func setup() (*site, string, error) {
	chrome := checks.ChromePath()
	if chrome == "" {
		return nil, "Chromium is not installed: run make deps-debian (apt-get install chromium), or set CHROME_PATH, to run the browser tests", nil
	}
	axe, err := checks.AxeSource(root)
	if err != nil {
		return nil, "axe-core is not installed (node_modules/axe-core/axe.min.js): run `npm ci` at the repository root (make deps-npm) to run the browser tests", nil
	}
	s := &site{axe: axe}
	var stops []func()
	s.stop = func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	fail := func(err error) (*site, string, error) { s.stop(); return nil, "", err }

	outbox, err := os.MkdirTemp("", "kmopsite-e2e-outbox-")
	if err != nil {
		return fail(err)
	}
	stops = append(stops, func() { os.RemoveAll(outbox) })
	s.outbox = outbox

	ctx := context.Background()
	srv := server.New(server.Options{Source: root})
	stops = append(stops, srv.Close)
	r := srv.Rebuild(ctx)
	if !r.OK() {
		return fail(fmt.Errorf("the site does not build:\n%s", r.Diagnostics.Format(20)))
	}
	if r.Wasm == nil || len(r.Wasm.Module) == 0 {
		return fail(errors.New("the build compiled no assess.wasm"))
	}
	s.result = r
	ep, err := endpoints.Parse(r.Files[endpoints.Path])
	if err != nil {
		return fail(err)
	}
	qc := server.QuoteConfig(ep, r.Config, outbox, 0)
	qc.Logf = func(string, ...any) {}
	quotes, err := quote.NewHandler(qc)
	if err != nil {
		return fail(err)
	}
	srv.Handle(r.Config.Quote.Endpoint, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		switch s.mode.Load() {
		case modeFail503:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"errors":[{"field":"body","code":"unavailable"}]}`))
		case modeBusy:
			w.Header().Set("Retry-After", "120")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"errors":[{"field":"body","code":"rate_limited"}]}`))
		case modeDrop:
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		default:
			quotes.ServeHTTP(w, req)
		}
	}))
	srv.Handle("/_mail/", quotes.Mailbox())
	for name, data := range r.Files {
		if strings.HasPrefix(name, "assets/assess.") && strings.HasSuffix(name, ".wasm") {
			srv.Handle("/"+name, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
				switch s.rules.Load() {
				case rulesHeld:
					select {
					case <-s.rulesGate:
					case <-req.Context().Done():
						return
					}
				case rulesBroken:
					// The site's _headers give /assets/* a year's
					// freshness, and the browser would keep this answer
					// for the tests after this one.
					w.Header().Set("Cache-Control", "no-store")
					http.Error(w, "broken on purpose", http.StatusInternalServerError)
					return
				}
				w.Header().Set("Content-Type", "application/wasm")
				w.Header().Set("Cache-Control", "no-store")
				w.Write(data)
			}))
		}
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fail(err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	stops = append(stops, func() { hs.Close() })
	s.url = "http://" + ln.Addr().String()

	profile, err := os.MkdirTemp("", "kmopsite-e2e-chromium-")
	if err != nil {
		return fail(err)
	}
	stops = append(stops, func() { os.RemoveAll(profile) })
	b, err := checks.NewBrowser(ctx, chrome, profile, "")
	if err != nil {
		return fail(fmt.Errorf("starting Chromium: %w", err))
	}
	stops = append(stops, b.Close)
	s.browser = b
	return s, "", nil
}

// tab is one browser tab of a test, with what the page reported.
type tab struct {
	t     *testing.T
	ctx   context.Context
	s     *site
	close func() // closes the tab; the end of the test does too

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
}

// newTab opens a tab whose documents record Content-Security-Policy
// violations in window.__csp, and whose console messages are kept. A tab
// lives 90 seconds on a quiet machine, longer under load (checks.Budget).
// Close tabs when done: each page of serve holds a live-reload stream, and
// Chromium opens at most six connections to one server.
func (s *site) newTab(t *testing.T) *tab {
	t.Helper()
	budget, cancelBudget := context.WithTimeout(context.Background(), checks.Budget(t, 90*time.Second))
	ctx, cancel, err := s.browser.NewTab(budget)
	if err != nil {
		cancelBudget()
		t.Fatal(err)
	}
	closeTab := func() { cancel(); cancelBudget() }
	t.Cleanup(closeTab)
	tb := &tab{t: t, ctx: ctx, s: s, close: closeTab}
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		_, err := cdp.Call(ctx, target, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
			Source: `window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " in " + e.sourceFile + ":" + e.lineNumber));`,
		})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			tb.mu.Lock()
			tb.console = append(tb.console, m)
			tb.mu.Unlock()
		}
	}()
	return tb
}

// do runs actions and fails the test on an error.
func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatal(err)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// wait polls a JavaScript condition until it is true: 15 seconds on a
// quiet machine, longer under load.
func (tb *tab) wait(cond string) {
	tb.t.Helper()
	if _, err := chromedp.Run(tb.ctx, chromedp.Poll[chromedp.Void](cond,
		chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(checks.Budget(tb.t, 15*time.Second)))); err != nil {
		tb.t.Fatalf("waiting for %s: %v (focus on %s)", cond, err, tb.focused())
	}
}

// open loads a page of the site and waits for its scripts: the
// self-check's rules when the page has them.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(tb.s.url + path))
	tb.waitReady()
}

func (tb *tab) waitReady() {
	tb.t.Helper()
	tb.wait(`document.readyState === "complete" && (!document.getElementById("sc") || !!document.getElementById("sc").dataset.rules)`)
}

// press sends keys to the focused element, as a person at the keyboard.
func (tb *tab) press(keys ...string) {
	tb.t.Helper()
	for _, k := range keys {
		tb.do(chromedp.KeyEvent(k))
	}
}

// tabTo presses Tab until the focus is on an element matching css.
func (tb *tab) tabTo(css string) {
	tb.t.Helper()
	for range 80 {
		if eval[bool](tb, fmt.Sprintf(`!!document.activeElement && document.activeElement.matches(%q)`, css)) {
			return
		}
		tb.press("\t")
	}
	tb.t.Fatalf("80 presses of Tab did not reach %s (focus on %s)", css, tb.focused())
}

// focused describes the focused element.
func (tb *tab) focused() string {
	v, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`(() => { const e = document.activeElement;
  return e ? e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + String(e.className).replace(/ /g, ".") : "") : "nothing"; })()`))
	return v
}

// axe runs axe-core on the page as it is and fails on any violation.
func (tb *tab) axe(step string) {
	tb.t.Helper()
	if !eval[bool](tb, `typeof window.axe === "object"`) {
		tb.do(chromedp.Evaluate[chromedp.Void](tb.s.axe))
	}
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`axe.run(document, {resultTypes: ["violations"]}).then((r) =>
  r.violations.map((v) => v.id + " (" + v.impact + "): " + v.help + " at " + v.nodes.map((n) => n.target.join(" ")).join(", ")))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("axe on %s: %v", step, err)
	}
	for _, line := range v {
		tb.t.Errorf("axe, %s: %s", step, line)
	}
}

// clean fails the test on a CSP violation or a console error, but for
// console messages containing one of allowed.
func (tb *tab) clean(allowed ...string) {
	tb.t.Helper()
	for _, v := range eval[[]string](tb, `window.__csp || []`) {
		tb.t.Errorf("Content-Security-Policy violation: %s", v)
	}
	time.Sleep(50 * time.Millisecond) // let the last console events arrive
	tb.mu.Lock()
	defer tb.mu.Unlock()
next:
	for _, m := range tb.console {
		if m.Type != chromedp.ConsoleError && !m.IsException() && m.Type != chromedp.ConsoleWarning {
			continue
		}
		for _, a := range allowed {
			if strings.Contains(m.String(), a) {
				continue next
			}
		}
		tb.t.Errorf("console %s at %s:%d: %s", m.Type, m.URL, m.Line+1, m)
	}
	tb.console = nil
}
