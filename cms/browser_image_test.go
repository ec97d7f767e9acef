package cms

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserImageAlt: in the real CMS under serve, the image component
// is editor.js's, whose description (alt text) is a required field, and a
// text with an image without a description is refused at the save, with
// the reason, and nothing written.
func TestBrowserImageAlt(t *testing.T) {
	root, base, tab := startCMS(t, nil)
	ctx, cancel := context.WithTimeout(tab, scaled(90*time.Second))
	defer cancel()

	alt, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](`(() => {
		const c = CMS.getEditorComponents().get('image');
		const f = c && c.fields.find(f => f.get('name') === 'alt');
		return f ? f.toJS() : {};
	})()`))
	if err != nil || alt["required"] != true || alt["widget"] != "string" {
		t.Errorf("the image component's alt field = %v (%v), want a required string", alt, err)
	}

	const post = "content/nl/nieuws/2026-01-26-hervorming-advies.md"
	before, _ := os.ReadFile(filepath.Join(root, post))
	refused := chromedp.Poll[chromedp.Void](`document.body.innerText.includes(`+strconv.Quote(siteWords(t).Editor["no_alt"])+`)`,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(scaled(20*time.Second)))
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/admin/#/collections/nieuws_nl/entries/2026-01-26-hervorming-advies"),
		chromedp.WaitVisible(chromedp.CSS(`[data-slate-editor] p`)),
		// The Markdown, as an editor who types an image there.
		chromedp.Click(chromedp.Search(`//span[text()='Markdown']/preceding-sibling::*[1]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-slate-editor] span[data-slate-string]`)),
		chromedp.Click(chromedp.CSS(`[data-slate-editor] span[data-slate-string]`)),
		chromedp.KeyEvent(kb.Home, chromedp.KeyModifiers(kb.ModifierCtrl)),
		chromedp.KeyEvent("![](/img/logo.png) "),
		clickText("Publiceer"), clickText("Publiceer nu"), refused)
	if err != nil {
		shot(t, tab, "image-alt")
		t.Fatalf("an image without alt text was not refused at the save: %v", err)
	}
	shot(t, tab, "image-alt")
	if after, _ := os.ReadFile(filepath.Join(root, post)); string(after) != string(before) {
		t.Errorf("the refused save wrote %s", post)
	}
}
