package cms

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserDutchEditor opens a new news post as a Dutch editor in the
// editorial workflow, in Chromium: the form, its labels and hints, and
// the preview's messages are Dutch, the preview shows the post as typed,
// and nothing of what the editor reads is English. (Not yet walked here:
// saving and publishing the post, an image uploaded into the draft, its
// French translation; TestTranslationOf and TestPreviewEndpoint cover
// the backend's side of those.)
func TestBrowserDutchEditor(t *testing.T) {
	_, base, tab := startCMS(t, gitInit(t))
	w := siteWords(t)
	step, cancel := context.WithTimeout(tab, scaled(4*time.Minute))
	defer cancel()
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		t.Logf("step: %s", what)
		if err := chromedp.Do(step, actions...); err != nil {
			shot(t, tab, "dutch-"+strings.ReplaceAll(what, " ", "-"))
			panel, _ := chromedp.Run(tab, chromedp.Evaluate[string](panelText))
			body, _ := chromedp.Run(tab, chromedp.Evaluate[string](`document.body.innerText`))
			t.Fatalf("%s: %v\nthe preview's panel: %s\nthe page: %.1500s", what, err, panel, body)
		}
	}
	poll := func(js string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](js, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(min(scaled(30*time.Second), 3*time.Minute)))
	}
	english := func(where string) {
		t.Helper()
		text, _ := chromedp.Run(step, chromedp.Evaluate[string](`document.body.innerText`))
		for _, word := range []string{"Save", "Publish", "Title", "Description", "Preview", "Translation of", "Choose an image", "Writing in", "No problems", "Rendering", "Status: Draft", "Body"} {
			if strings.Contains(text, word) {
				t.Errorf("%s: the editor reads English: %q", where, word)
			}
		}
	}

	// The Dutch post, as a draft.
	title := `input[id^="title-field"]`
	do("open a new post", chromedp.Navigate(base+"/admin/#/collections/nieuws_nl/new"), chromedp.WaitVisible(chromedp.CSS(title)),
		chromedp.SendKeys(chromedp.CSS(title), "Nieuwe ronde voor erkende dienstverleners"),
		chromedp.SendKeys(chromedp.CSS(`textarea[id^="description-field"]`), "Vanaf maart opent een nieuwe ronde voor erkenning als dienstverlener in de kmo-portefeuille. Wat u moet weten en wat u nu al kunt doen."),
		chromedp.Click(chromedp.CSS(`[data-slate-editor]`)),
		chromedp.KeyEvent("Een nieuwe ronde opent in maart."))
	english("the new post")
	do("the preview of the post", poll(panelText+`.includes(`+strconv.Quote(strings.Split(w.Preview["ok"], "{page}")[0]+"/nl/nieuws/")+`)`),
		poll(previewText+`.includes('Een nieuwe ronde opent in maart.')`))
	english("the preview")
}
