package cms

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kmopsite/checks"
)

// TestBrowserLiveAdmin builds the live site with the real Decap CMS and
// serves public/ as Cloudflare Pages would, with the headers of its
// _headers file: Chromium opens /admin/, Decap reads the GitHub
// configuration and shows its sign-in, with no violation of /admin/'s
// Content-Security-Policy (newTab fails the test on one).
func TestBrowserLiveAdmin(t *testing.T) {
	needBrowser(t)
	root := liveSite(t, liveCMS, false)
	nm, _ := filepath.Abs("../node_modules")
	if err := os.Symlink(nm, filepath.Join(root, "node_modules")); err != nil {
		t.Fatal(err)
	}
	r := buildLive(t, root)
	if r.Files["admin/index.html"] == nil {
		t.Fatalf("no /admin/: %q", r.Info)
	}
	rules, err := checks.ParseHeadersFile(r.Files["_headers"])
	if err != nil {
		t.Fatal(err)
	}
	files := http.FileServer(http.Dir(filepath.Join(root, "public")))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		for k, v := range checks.HeadersAt(rules, req.URL.Path) {
			w.Header()[k] = v
		}
		files.ServeHTTP(w, req)
	})}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	base := "http://" + ln.Addr().String()

	res, err := http.Get(base + "/admin/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := res.Header.Get("Cross-Origin-Opener-Policy"); got != "same-origin-allow-popups" {
		t.Errorf("/admin/ Cross-Origin-Opener-Policy = %q", got)
	}
	if got := res.Header.Get("Content-Security-Policy"); got != LiveCSP {
		t.Errorf("/admin/ Content-Security-Policy = %q, want LiveCSP", got)
	}

	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	tab := newTab(t, ctx)
	if err := chromedp.Do(tab,
		chromedp.Navigate(base+"/admin/"),
		chromedp.WaitVisible(`//button[contains(., "Inloggen met GitHub")]`),
	); err != nil {
		shot(t, tab, "live-admin")
		t.Fatalf("Decap did not show the GitHub sign-in: %v", err)
	}
}
