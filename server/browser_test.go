package server

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"kmopsite/testsite"
)

const chromium = "/usr/bin/chromium"

// TestBrowser runs reload.js in Chromium against a watching server: a CSS
// change is swapped in without a reload (and passes Subresource
// Integrity), a mistake shows the overlay over the page without a reload,
// the fix brings the page back by itself, an edit of another page leaves
// this one alone, and the Content-Security-Policy is never violated.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Chromium")
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Skip("Chromium is not installed at " + chromium + " (make deps-debian)")
	}
	root := t.TempDir()
	write := func(rel, data string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, src := range []string{"templates", "assets", "content/nl/interface.yaml", "content/en/interface.yaml"} {
		if err := testsite.CopyTree(filepath.Join("..", src), filepath.Join(root, src)); err != nil {
			t.Fatal(err)
		}
	}
	write("site.yaml", "base_url: https://example.be/\ntitle: Testsite\nlanguages:\n"+
		"  - code: nl\n    name: Nederlands\n    locale: nl-BE\n  - code: en\n    name: English\n    locale: en\n")
	write("content/nl/_index.md", "---\ntitle: Welkom\ndescription: Start.\n---\n\nWelkom.\n")
	write("content/en/_index.md", "---\ntitle: Welcome\ndescription: Home.\n---\n\nWelcome.\n")
	write("content/nl/over.md", "---\ntitle: Over ons\ndescription: Wie we zijn.\n---\n\nWij zijn een testbureau.\n")
	write("content/en/over.md", "---\ntitle: About us\ndescription: Who we are.\n---\n\nWe are a test body.\n")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := New(Options{Source: root, NoWasm: true, Logf: t.Logf})
	defer srv.Close()
	if r := srv.Rebuild(ctx); !r.OK() {
		t.Fatalf("the test site does not build:\n%s", r.Diagnostics.Format(10))
	}
	go srv.Watch(ctx)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	hs.RegisterOnShutdown(srv.Close)
	go hs.Serve(ln)
	defer hs.Close()
	base := "http://" + ln.Addr().String()

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-background-networking", true))
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	tab, cancelTab := chromedp.NewContext(alloc)
	defer cancelTab()
	tab, cancelTimeout := context.WithTimeout(tab, 2*time.Minute)
	defer cancelTimeout()
	// Record every CSP violation of every document in window.__csp.
	if err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		_, err := cdp.Call(ctx, target, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
			Source: `window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline")));`,
		})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	eval := func(expr string) bool {
		t.Helper()
		v, err := chromedp.Run(tab, chromedp.Evaluate[bool](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return v
	}
	// waitFor polls a condition, across reloads of the page.
	waitFor := func(what, cond string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			ok, err := chromedp.Run(tab, chromedp.Evaluate[bool](cond))
			if err == nil && ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: waiting for %s: %v", what, cond, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	// listening waits until the page's event stream is connected.
	listening := func() {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			srv.hub.mu.Lock()
			n := len(srv.hub.clients)
			srv.hub.mu.Unlock()
			if n > 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatal("the page did not connect to /_reload")
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	// built waits until the server has published a build whose file
	// holds text.
	built := func(file, text string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			if r := srv.Current(); r != nil && bytes.Contains(r.Files[file], []byte(text)) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("no build with %q in %s", text, file)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	if err := chromedp.Do(tab, chromedp.Navigate(base+"/nl/over/")); err != nil {
		t.Fatal(err)
	}
	waitFor("the page", `document.readyState === "complete"`)
	listening()
	mark := `window.__kept = true` // gone when the page reloads
	eval(mark)

	// A stylesheet change is swapped in place, with its integrity.
	css, err := os.ReadFile(filepath.Join(root, "assets/css/layout.css"))
	if err != nil {
		t.Fatal(err)
	}
	write("assets/css/layout.css", string(css)+"\nbody { outline: 3px solid rgb(1, 2, 3); }\n")
	waitFor("the new stylesheet", `getComputedStyle(document.body).outlineColor === "rgb(1, 2, 3)"`)
	waitFor("one stylesheet of the site", `document.querySelectorAll('link[rel="stylesheet"][href^="/assets/site."]').length === 1`)
	if !eval(`window.__kept === true`) {
		t.Error("the page reloaded for a CSS change")
	}

	// A mistake: the overlay, over the page, without a reload.
	write("content/nl/over.md", "---\ntitle: [Over ons\ndescription: Wie we zijn.\n---\n\nWij zijn een testbureau.\n")
	waitFor("the overlay", `!!document.getElementById("kmopsite-errors")`)
	if !eval(`document.getElementById("kmopsite-errors").textContent.includes("content/nl/over.md, line 2")`) {
		t.Error("the overlay does not name the file and line")
	}
	waitFor("the overlay's style", `getComputedStyle(document.getElementById("kmopsite-errors")).position === "fixed"`)
	if !eval(`window.__kept === true`) {
		t.Error("the page reloaded to show the mistake")
	}

	// Fixed: the page comes back by itself, without the overlay.
	write("content/nl/over.md", "---\ntitle: Over ons\ndescription: Wie we zijn.\n---\n\nWij zijn een testbureau, hersteld.\n")
	waitFor("the fixed page", `document.readyState === "complete" && document.body.textContent.includes("hersteld") && !document.getElementById("kmopsite-errors")`)
	listening()
	eval(mark)

	// Another page's edit leaves this one alone.
	write("content/en/over.md", "---\ntitle: About us\ndescription: Who we are.\n---\n\nWe are a test body, edited.\n")
	built("en/over/index.html", "edited")
	time.Sleep(500 * time.Millisecond)
	if !eval(`window.__kept === true`) {
		t.Error("the page reloaded for another page's edit")
	}

	v, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`window.__csp`))
	if err != nil {
		t.Fatal(err)
	}
	if len(v) > 0 {
		t.Errorf("Content-Security-Policy violations: %v", v)
	}
}
