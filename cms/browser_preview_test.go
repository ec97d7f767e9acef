package cms

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// previewText is the text of the page in the CMS's preview pane, and
// panelText the diagnostics above it (preview.js).
const (
	previewText = `(() => { const d = document.querySelector('#preview-pane')?.contentDocument; const f = d?.querySelector('iframe'); return f?.contentDocument?.body?.innerText || ''; })()`
	panelText   = `(() => document.querySelector('#preview-pane')?.contentDocument?.querySelector('.kmop-diagnostics')?.innerText || '')()`
)

// TestBrowserPreview opens the Dutch home page in the real CMS under
// serve: the preview pane shows it as the site renders it; letters typed
// in its lead show up there, one by one (BenchmarkBrowserKeystroke times
// them); a broken link typed in the Markdown
// shows its error with its line, before any save; nothing is written.
func TestBrowserPreview(t *testing.T) {
	root, base, tab := startCMS(t, nil)
	pw := siteWords(t).Preview
	file := filepath.Join(root, "content/nl/_index.md")
	before, _ := os.ReadFile(file)
	ctx, cancel := context.WithTimeout(tab, scaled(90*time.Second))
	defer cancel()
	poll := func(js string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](js, chromedp.WithPollingInterval(5*time.Millisecond), chromedp.WithPollingTimeout(scaled(20*time.Second)))
	}
	// A news post, in its own collection (one language: the preview is
	// open from the start).
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/admin/#/collections/nieuws_nl/entries/2026-01-26-hervorming-advies"),
		poll(panelText+`.includes(`+strconv.Quote(strings.Split(pw["ok"], "{page}")[0]+"/nl/nieuws/")+`)`)); err != nil {
		shot(t, tab, "preview-news")
		t.Errorf("the preview of a news post: %v", err)
	}
	shot(t, tab, "preview-news")

	// The home page (a fresh load: Decap keeps the last entry when only
	// the hash changes).
	err := chromedp.Do(ctx, chromedp.Navigate(base+"/admin/?home#/collections/pages/entries/_index"),
		chromedp.WaitVisible(chromedp.CSS(`[data-slate-editor] p`)),
		// A page in several languages opens beside its translation: the
		// eye button shows the preview instead.
		chromedp.Click(chromedp.CSS(`[title="Wissel voorvertoning"]`)),
		poll(previewText+`.includes('Wilt u dat uw klanten')`),
		poll(panelText+`.includes(`+strconv.Quote(fill(pw["ok"], "page", "/nl/"))+`)`))
	if err != nil {
		shot(t, tab, "preview-open")
		panel, _ := chromedp.Run(tab, chromedp.Evaluate[string](panelText))
		t.Fatalf("the preview of the home page: %v; the pane says: %s", err, panel)
	}
	shot(t, tab, "preview")

	// The lead, letter by letter at its start.
	const marker = "VOORBEELD"
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-slate-editor] p`)),
		chromedp.KeyEvent(kb.Home, chromedp.KeyModifiers(kb.ModifierCtrl))); err != nil {
		t.Fatal(err)
	}
	for i := range marker {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(marker[i:i+1]),
			poll(previewText+`.includes(`+strconv.Quote(marker[:i+1]+"Wilt u dat")+`)`)); err != nil {
			shot(t, tab, "preview-typed")
			t.Fatalf("typed %q in the lead: the preview does not show it: %v", marker[:i+1], err)
		}
	}
	if err := chromedp.Do(ctx, poll(panelText+`.includes(`+strconv.Quote(fill(pw["stale_many"], "files", "FR, EN"))+`)`)); err != nil {
		t.Errorf("the pane does not say which translations the new lead makes stale: %v", err)
	}
	shot(t, tab, "preview-typed")

	// A broken link, typed in the Markdown: its error, with its line.
	err = chromedp.Do(ctx, chromedp.Click(chromedp.Search(`//span[text()='Markdown']/preceding-sibling::*[1]`)),
		chromedp.WaitVisible(chromedp.Search(`//*[@data-slate-editor]//span[@data-slate-string][contains(., 'VOORBEELDWilt u dat')]`)),
		chromedp.Click(chromedp.Search(`//*[@data-slate-editor]//span[@data-slate-string][contains(., 'VOORBEELDWilt u dat')]`)),
		chromedp.KeyEvent(kb.Home, chromedp.KeyModifiers(kb.ModifierCtrl)),
		chromedp.KeyEvent("Zie [de norm](kmop-nrom.md). "),
		poll(panelText+`.includes(`+strconv.Quote(fill(pw["line"], "field", siteWords(t).Fields["body"].Label, "n", "1")+": "+pw["error"]+": link to kmop-nrom.md")+`)`))
	if err != nil {
		shot(t, tab, "preview-broken")
		panel, _ := chromedp.Run(ctx, chromedp.Evaluate[string](panelText))
		t.Fatalf("a broken link typed in the Markdown: %v; the pane says:\n%s", err, panel)
	}
	if panel, err := chromedp.Run(ctx, chromedp.Evaluate[string](panelText)); err != nil || !strings.Contains(panel, "kmop-nrom.md") || !strings.Contains(panel, "kmop-norm.md") {
		t.Errorf("the broken link's error does not name the link and the page it meant: %v\n%s", err, panel)
	}
	shot(t, tab, "preview-broken")

	// The pane follows the language written in: the French home page.
	if err := chromedp.Do(ctx, clickText("NL aan het bewerken"), clickText("fr"),
		poll(previewText+`.includes('Devenir prestataire')`), poll(panelText+`.includes(`+strconv.Quote(fill(pw["ok"], "page", "/fr/"))+`)`)); err != nil {
		shot(t, tab, "preview-fr")
		t.Errorf("the French home page in the preview: %v", err)
	}
	shot(t, tab, "preview-fr")
	if now, _ := os.ReadFile(file); string(now) != string(before) {
		t.Error("the preview wrote the file")
	}
	axeReport(t, tab, "preview")
}
