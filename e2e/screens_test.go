package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// screensDir is where the screenshots go, to be looked at (ignored by git).
const screensDir = "testdata/screens"

// TestScreens takes screenshots of the self-check's pages at 360 and 1280
// pixels wide, and checks at 320 that no page scrolls sideways.
func TestScreens(t *testing.T) {
	s := start(t)
	if err := os.MkdirAll(screensDir, 0o755); err != nil {
		t.Fatal(err)
	}
	views := []struct {
		name, path, ready string
		errors            bool // press Continue unanswered first
		print             bool // as printed
	}{
		{name: "first-question", path: "/nl/zelftest/", ready: `!document.getElementById("sc-q-audit_body").hidden`},
		{name: "error", path: "/nl/zelftest/", ready: `!document.getElementById("sc-q-audit_body").hidden`, errors: true},
		{name: "reveal", path: "/nl/zelftest/#view=has_enterprise_number&audit_body=no&has_enterprise_number=yes&enterprise_number=0403.019.261",
			ready: `!document.getElementById("sc-reveal-enterprise_number").hidden`},
		{name: "themes", path: "/nl/zelftest/#view=themes&audit_body=no&has_enterprise_number=yes&has_sepa_account=yes&services=training",
			ready: `!document.getElementById("sc-q-themes").hidden`},
		{name: "check", path: "/nl/zelftest/#" + fragment(starterReady, "check"), ready: `!document.getElementById("sc-check").hidden`},
		{name: "result-ready", path: "/nl/zelftest/#" + fragment(starterReady, "result"), ready: `!document.getElementById("sc-result").hidden`},
		{name: "result-prepare", path: "/nl/zelftest/#" + fragment(establishedPrepare, "result"), ready: `!document.getElementById("sc-result").hidden`},
		{name: "result-not-eligible", path: "/fr/autotest/#" + fragment(auditBody, "result"), ready: `!document.getElementById("sc-result").hidden`},
		{name: "result-print", path: "/en/self-check/#" + fragment(establishedPrepare, "result"), ready: `!document.getElementById("sc-result").hidden`, print: true},
		{name: "quote-page", path: "/nl/offerte/", ready: `true`},
	}
	for _, width := range []int64{320, 360, 1280} {
		for _, v := range views {
			tb := s.newTab(t)
			tb.do(chromedp.EmulateViewport(width, 800))
			tb.open(v.path)
			tb.wait(v.ready)
			if v.errors {
				tb.tabTo(".sc-continue")
				tb.press(kb.Enter)
				tb.waitFocus("sc-errors")
			}
			if width == 1280 && !v.print {
				tb.axe(v.name) // the French and English pages too
			}
			if v.print {
				tb.media("print")
			}
			if width == 320 {
				if sw := eval[int64](tb, "document.documentElement.scrollWidth"); sw > width {
					t.Errorf("%s at %d px: the page is %d px wide and scrolls sideways", v.name, width, sw)
				}
			} else {
				png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatal(err)
				}
				name := filepath.Join(screensDir, fmt.Sprintf("%s-%d.png", v.name, width))
				if err := os.WriteFile(name, png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			tb.clean()
			tb.close()
		}
	}
	abs, _ := filepath.Abs(screensDir)
	t.Logf("screenshots in %s", abs)
}

// media emulates a CSS media type, such as "print"; "" for none.
func (tb *tab) media(m string) {
	tb.t.Helper()
	tb.do(chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		_, err := cdp.Call(ctx, target, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
		return err
	}))
}

// screenshot saves the page as it is, scrolled to the element of id, at
// the tab's width (for the states a test reaches by acting on the page).
func (tb *tab) screenshot(name, id string) {
	tb.t.Helper()
	os.MkdirAll(screensDir, 0o755)
	tb.do(chromedp.ScrollIntoView(chromedp.ID(id)))
	png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(screensDir, name+".png"), png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}
