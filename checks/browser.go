package checks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// ChromePath finds Chromium: $CHROME_PATH, else chromium, chromium-browser
// or google-chrome on PATH. It returns "" when there is none.
func ChromePath() string {
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// AxeSource reads axe.min.js from the npm packages of the repository
// (npm ci installs it).
func AxeSource(root string) (string, error) {
	data, err := os.ReadFile(filepath.Join(root, "node_modules", "axe-core", "axe.min.js"))
	return string(data), err
}

// Browser is a headless Chromium with a fresh profile, shared by the
// tests of a test binary: each page opens in a tab of its own.
type Browser struct {
	ctx    context.Context
	cancel context.CancelFunc
	axe    string
}

// NewBrowser starts Chromium at execPath with its profile in dataDir.
// axe is the source of axe-core, "" when no page will be audited. The
// browser lives as long as ctx or until Close: start a shared one with a
// context that outlives every test (chromedp ties the browser to the
// context of its first command), and bound each tab by its own.
func NewBrowser(ctx context.Context, execPath, dataDir, axe string) (*Browser, error) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.UserDataDir(dataDir),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
	)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx); err != nil {
		bcancel()
		acancel()
		return nil, fmt.Errorf("start %s: %w", execPath, err)
	}
	return &Browser{ctx: bctx, cancel: func() { bcancel(); acancel() }, axe: axe}, nil
}

// NewTab opens a tab, in its own window so that it gets animation frames
// (chromedp's default). The tab closes when ctx ends or on cancel; its
// context carries ctx's deadline and values.
func (b *Browser) NewTab(ctx context.Context) (context.Context, context.CancelFunc, error) {
	tctx, cancel := chromedp.NewContext(b.ctx)
	stop := context.AfterFunc(ctx, cancel)
	if d, ok := ctx.Deadline(); ok {
		var cancelDeadline context.CancelFunc
		tctx, cancelDeadline = context.WithDeadline(tctx, d)
		inner := cancel
		cancel = func() { cancelDeadline(); inner() }
	}
	done := func() { stop(); cancel() }
	if err := chromedp.Do(tctx); err != nil {
		done()
		return nil, nil, err
	}
	return tctx, done, nil
}

// Slowdown is how many times slower than a quiet machine this one runs
// now, for timeouts to stretch with: the load average of the last minute
// per core, and at least 1. (Measured on a 2-core machine, a load average
// of 15 made axe-core runs several times slower.) It is 1 where
// /proc/loadavg does not exist.
func Slowdown() float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 1
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return 1
	}
	load, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return 1
	}
	return max(1, load/float64(goruntime.NumCPU()))
}

// Budget is the time to give a step that takes at most base on a quiet
// machine: base times Slowdown, and never past the deadline of t (a
// *testing.T) less a grace for the test to report, so that a test fails
// with its own message instead of the test binary's timeout panic.
func Budget(t interface{ Deadline() (time.Time, bool) }, base time.Duration) time.Duration {
	d := time.Duration(float64(base) * Slowdown())
	if deadline, ok := t.Deadline(); ok {
		left := time.Until(deadline)
		d = min(d, left-grace(left))
	}
	return max(d, time.Second)
}

// TestContext is a context that ends a grace before t's deadline: the
// budget of a whole test that loads pages, tolerant of any load the test
// binary's -timeout tolerates.
func TestContext(t interface {
	Deadline() (time.Time, bool)
	Cleanup(func())
}) context.Context {
	deadline, ok := t.Deadline()
	if !ok {
		return context.Background()
	}
	ctx, cancel := context.WithDeadline(context.Background(), deadline.Add(-grace(time.Until(deadline))))
	t.Cleanup(cancel)
	return ctx
}

// grace is the time kept back from a deadline this far away for the
// test's report and cleanup: a tenth, between 5 and 60 seconds.
func grace(left time.Duration) time.Duration {
	return min(max(left/10, 5*time.Second), time.Minute)
}

// Close ends the browser.
func (b *Browser) Close() { b.cancel() }

// Viewport is the size of the emulated screen.
type Viewport struct {
	Name          string
	Width, Height int64
	Scale         float64
	Mobile        bool
}

// The viewports pages are checked at: Lighthouse's mobile device (a Moto G
// Power) and a laptop screen.
var (
	Mobile  = Viewport{Name: "mobile", Width: 412, Height: 823, Scale: 1.75, Mobile: true}
	Desktop = Viewport{Name: "desktop", Width: 1350, Height: 940, Scale: 1}
)

// Resource is one response the page loaded.
type Resource struct {
	URL    string
	Type   string // Document, Stylesheet, Script, Font, Image, Fetch…
	MIME   string
	Status int64
	Bytes  int64 // the body as transferred (before any content decoding)
}

// Visit is what a page did when it loaded.
type Visit struct {
	URL        string
	Status     int64
	Header     map[string]string // the document's response headers
	Resources  []Resource
	Errors     []string        // console errors, uncaught exceptions, CSP violations, failed loads
	Violations []AxeViolation  // when axe ran
	AxeRules   int             // rules that axe ran (passed + violated + incomplete + inapplicable)
	Incomplete []AxeViolation  // checks axe could not decide (for information)
	Elapsed    time.Duration   // from navigation to the end of the checks
	raw        json.RawMessage // axe's result, for debugging
}

// AxeViolation is one rule that failed, with the elements that fail it.
type AxeViolation struct {
	ID     string    `json:"id"`
	Impact string    `json:"impact"`
	Help   string    `json:"help"`
	URL    string    `json:"helpUrl"`
	Nodes  []AxeNode `json:"nodes"`
}

// AxeNode is an element that fails a rule.
type AxeNode struct {
	Target  []any  `json:"target"` // CSS selectors (nested arrays in shadow DOM)
	HTML    string `json:"html"`
	Summary string `json:"failureSummary"`
}

// String is the rule and every failing element, one per line.
func (v AxeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s — %s", v.ID, v.Impact, v.Help, v.URL)
	seen := map[string]bool{}
	for _, n := range v.Nodes {
		t, _ := json.Marshal(n.Target)
		fmt.Fprintf(&b, "\n    at %s: %s", t, n.HTML)
		if !seen[n.Summary] { // the same advice for every element is said once
			seen[n.Summary] = true
			fmt.Fprintf(&b, "\n      %s", strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
	}
	return b.String()
}

// cspRecorder runs before the page's scripts and keeps the CSP violations
// the page reports, for Visit to read.
const cspRecorder = `window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});`

// axeRun runs axe-core with its default rules (WCAG 2.x A and AA and best
// practices) and target-size (WCAG 2.2 AA: tap targets of 24 by 24 CSS
// pixels, or spaced as much), and returns what the report needs.
const axeRun = `axe.run(document, {resultTypes: ["violations", "incomplete"], rules: {"target-size": {enabled: true}}}).then((r) => {
  const slim = (list) => list.map((v) => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target, html: n.html, failureSummary: n.failureSummary || ""}))}));
  return {violations: slim(r.violations), incomplete: slim(r.incomplete),
    rules: r.passes.length + r.violations.length + r.incomplete.length + r.inapplicable.length};
})`

// Visit loads url in a new tab at the viewport with the cache off, waits
// until the network is quiet (the self-check's wasm included), records
// every response and every error, and runs axe-core when axe is true.
func (b *Browser) Visit(ctx context.Context, url string, vp Viewport, axe bool) (*Visit, error) {
	start := time.Now()
	tctx, cancel, err := b.NewTab(ctx)
	if err != nil {
		return nil, err
	}
	defer cancel()

	v := &Visit{URL: url}
	var mu sync.Mutex
	inflight := map[network.RequestID]bool{}
	res := map[network.RequestID]*Resource{}
	var order []network.RequestID
	quietSince := time.Now()
	err = chromedp.Listen(tctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			if ev.Type == network.ResourceTypeEventSource || strings.HasPrefix(ev.Request.URL, "data:") {
				return // a live-reload stream never ends; data: URLs are not loaded
			}
			if _, seen := res[ev.RequestID]; !seen {
				order = append(order, ev.RequestID)
			}
			inflight[ev.RequestID] = true
			res[ev.RequestID] = &Resource{URL: ev.Request.URL, Type: string(ev.Type)}
		case *network.EventResponseReceived:
			if r := res[ev.RequestID]; r != nil {
				r.MIME, r.Status, r.Type = ev.Response.MimeType, ev.Response.Status, string(ev.Type)
				if ev.Type == network.ResourceTypeDocument && v.Status == 0 {
					v.Status = ev.Response.Status
					v.Header = map[string]string{}
					for k, val := range ev.Response.Headers {
						v.Header[k] = fmt.Sprint(val)
					}
				}
			}
		case *network.EventLoadingFinished:
			if r := res[ev.RequestID]; r != nil {
				r.Bytes = int64(ev.EncodedBodyLength)
				if r.Bytes == 0 {
					r.Bytes = int64(ev.EncodedDataLength)
				}
			}
			if inflight[ev.RequestID] {
				delete(inflight, ev.RequestID)
				quietSince = time.Now()
			}
		case *network.EventLoadingFailed:
			if r := res[ev.RequestID]; r != nil && !ev.Canceled {
				v.Errors = append(v.Errors, fmt.Sprintf("failed to load %s: %s %s", r.URL, ev.ErrorText, ev.BlockedReason))
			}
			if inflight[ev.RequestID] {
				delete(inflight, ev.RequestID)
				quietSince = time.Now()
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var parts []string
				for _, a := range ev.Args {
					if len(a.Value) > 0 {
						parts = append(parts, strings.Trim(string(a.Value), `"`))
					} else {
						parts = append(parts, a.Description)
					}
				}
				v.Errors = append(v.Errors, "console."+string(ev.Type)+": "+strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			text := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				text += " " + d.Exception.Description
			}
			v.Errors = append(v.Errors, fmt.Sprintf("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, text))
		case *cdplog.EventEntryAdded:
			// The document's own status is Visit.Status, for the caller to judge
			// (a 404 page is meant to be a 404).
			docStatus := ev.Entry.Source == cdplog.EntrySourceNetwork && ev.Entry.URL == url
			if ev.Entry.Level == cdplog.EntryLevelError && !docStatus {
				v.Errors = append(v.Errors, fmt.Sprintf("%s error: %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
			}
		}
	})
	if err != nil {
		return nil, err
	}
	err = chromedp.Do(tctx,
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			if _, err := cdp.Call(ctx, t, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
				return err
			}
			_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspRecorder})
			return err
		}),
		chromedp.EmulateViewport(vp.Width, vp.Height, chromedp.EmulateScale(vp.Scale), func(p1 *emulation.SetDeviceMetricsOverrideParams, p2 *emulation.SetTouchEmulationEnabledParams) {
			p1.Mobile = vp.Mobile
			p2.Enabled = vp.Mobile
		}),
		chromedp.Navigate(url),
	)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", url, err)
	}
	// Wait for the network to be quiet for half a second. A request still
	// open after 30 seconds on a quiet machine (longer under load) is a
	// page that never finishes loading.
	wait := time.Duration(float64(30*time.Second) * Slowdown())
	if d, ok := ctx.Deadline(); ok {
		wait = min(wait, time.Until(d)/2)
	}
	deadline := time.Now().Add(wait)
	for {
		mu.Lock()
		quiet := len(inflight) == 0 && time.Since(quietSince) > 500*time.Millisecond
		mu.Unlock()
		if quiet {
			break
		}
		if time.Now().After(deadline) {
			mu.Lock()
			for id := range inflight {
				v.Errors = append(v.Errors, fmt.Sprintf("still loading after %s: %s", wait.Round(time.Second), res[id].URL))
			}
			mu.Unlock()
			break
		}
		select {
		case <-tctx.Done():
			return nil, tctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	csp, err := chromedp.Run(tctx, chromedp.Evaluate[[]string](`window.__cspViolations || []`))
	if err != nil {
		return nil, fmt.Errorf("%s: read CSP violations: %w", url, err)
	}
	for _, c := range csp {
		v.Errors = append(v.Errors, "CSP violation: "+c)
	}
	if axe {
		if b.axe == "" {
			return nil, errors.New("no axe-core source")
		}
		if err := chromedp.Do(tctx, chromedp.Evaluate[chromedp.Void](b.axe)); err != nil {
			return nil, fmt.Errorf("%s: load axe-core: %w", url, err)
		}
		raw, err := chromedp.Run(tctx, chromedp.Evaluate[[]byte](axeRun, chromedp.EvalAwaitPromise))
		if err != nil {
			return nil, fmt.Errorf("%s: run axe-core: %w", url, err)
		}
		var out struct {
			Violations []AxeViolation `json:"violations"`
			Incomplete []AxeViolation `json:"incomplete"`
			Rules      int            `json:"rules"`
		}
		if err := json.Unmarshal(raw, &out); err != nil {
			return nil, fmt.Errorf("%s: axe-core's result: %w", url, err)
		}
		v.Violations, v.Incomplete, v.AxeRules, v.raw = out.Violations, out.Incomplete, out.Rules, raw
	}
	mu.Lock()
	for _, id := range order {
		v.Resources = append(v.Resources, *res[id])
	}
	sort.Strings(v.Errors)
	mu.Unlock()
	v.Elapsed = time.Since(start)
	return v, nil
}
