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

	"kmopsite/build"
)

// previewImage reports whether the preview pane's page shows an image
// whose address ends in name, loaded (not broken).
func previewImage(name string) string {
	return `(() => { const d = document.querySelector('#preview-pane')?.contentDocument; const f = d?.querySelector('iframe'); const i = f?.contentDocument?.querySelector('img[src$=` + strconv.Quote(name) + `]'); return !!(i && i.complete && i.naturalWidth > 0); })()`
}

// TestBrowserDutchEditor walks a Dutch editor through the editorial
// workflow, in Chromium: a news post with an image, which the preview
// shows before anything is published, then its French translation, tied
// to it by the "translation of" field; both published, the translation
// is up to date; and nothing of what the editor reads is English.
func TestBrowserDutchEditor(t *testing.T) {
	root, base, tab := startCMS(t, gitInit(t))
	w := siteWords(t)
	step, cancel := context.WithTimeout(tab, scaled(4*time.Minute))
	defer cancel()
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(step, actions...); err != nil {
			shot(t, tab, "dutch-"+strings.ReplaceAll(what, " ", "-"))
			t.Fatalf("%s: %v", what, err)
		}
	}
	poll := func(js string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](js, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(scaled(30*time.Second)))
	}
	shown := func(text string) chromedp.Action[chromedp.Void] {
		return poll(`document.body.innerText.includes(` + strconv.Quote(text) + `)`)
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
	img := filepath.Join(t.TempDir(), "audit-foto.png")
	os.WriteFile(img, pngOf(t, 640, 360), 0o644)

	// The Dutch post, with an image uploaded into the draft.
	title := `input[id^="title-field"]`
	do("open a new post", chromedp.Navigate(base+"/admin/#/collections/nieuws_nl/new"), chromedp.WaitVisible(chromedp.CSS(title)),
		chromedp.SendKeys(chromedp.CSS(title), "Nieuwe ronde voor erkende dienstverleners"),
		chromedp.SendKeys(chromedp.CSS(`textarea[id^="description-field"]`), "Vanaf maart opent een nieuwe ronde voor erkenning als dienstverlener in de kmo-portefeuille. Wat u moet weten en wat u nu al kunt doen."),
		chromedp.Click(chromedp.CSS(`[data-slate-editor]`)),
		chromedp.KeyEvent("Een nieuwe ronde opent in maart."+kb.Enter),
		chromedp.Click(chromedp.CSS(`[title="Voeg component toe"]`)), clickText(w.Editor["image"]))
	english("the new post")
	do("add the image", clickText("Kies een afbeelding"),
		chromedp.SetUploadFiles(chromedp.CSS(`input[type="file"]`), []string{img}),
		shown("audit-foto.png"), clickText("Gebruik selectie"),
		chromedp.SendKeys(chromedp.Search(`//label[contains(., `+strconv.Quote(w.Editor["alt"])+`)]/following::input[1]`), "De auditor bij een klant"))
	do("the image in the preview, before any save", poll(previewImage("audit-foto.png")))
	do("save the draft", clickText("Opslaan"), shown("Wijzigingen opgeslagen"))
	do("the image in the preview of the saved draft", poll(previewImage("audit-foto.png")))
	g := &gitRepo{dir: root, branch: "main"}
	out, _ := g.run(nil, "for-each-ref", "--format=%(refname)", "refs/heads/cms/")
	if !strings.Contains(out, "refs/heads/cms/nieuws_nl/") {
		t.Fatalf("no draft of the post: %q", out)
	}
	english("the saved draft")
	do("ready and publish", clickText("Status: Concept"), clickText("Klaar"), shown("Status: Klaar"),
		clickText("Publiceer"), clickText("Publiceer nu"))
	var nl string
	for deadline := time.Now().Add(scaled(30 * time.Second)); time.Now().Before(deadline) && nl == ""; time.Sleep(200 * time.Millisecond) {
		files, _ := filepath.Glob(filepath.Join(root, "content/nl/nieuws/*-nieuwe-ronde-*.md"))
		if len(files) == 1 {
			nl = files[0]
		}
	}
	if nl == "" {
		t.Fatal("the Dutch post was not published")
	}
	if _, err := os.Stat(filepath.Join(root, "assets/img/audit-foto.png")); err != nil {
		t.Errorf("the post's image was not published: %v", err)
	}

	// Its French translation, tied by "Vertaling van".
	do("open a new French post", chromedp.Navigate(base+"/admin/#/collections/nieuws_fr/new"), chromedp.WaitVisible(chromedp.CSS(title)),
		chromedp.SendKeys(chromedp.CSS(title), "Nouvelle session pour les prestataires agréés"),
		chromedp.SendKeys(chromedp.CSS(`textarea[id^="description-field"]`), "Dès mars, une nouvelle session d'agrément s'ouvre pour les prestataires du portefeuille PME. Ce qu'il faut savoir et ce que vous pouvez déjà faire."),
		chromedp.Click(chromedp.CSS(`[data-slate-editor]`)),
		chromedp.KeyEvent("Une nouvelle session s'ouvre en mars."),
		chromedp.Click(chromedp.Search(`//label[contains(., `+strconv.Quote(w.Fields["translation_of"].Label)+`)]/following::input[1]`)),
		chromedp.KeyEvent("Nieuwe ronde"),
		clickText("Nieuwe ronde voor erkende dienstverleners"))
	english("the French post")
	do("save and publish the translation", clickText("Opslaan"), shown("Wijzigingen opgeslagen"),
		clickText("Status: Concept"), clickText("Klaar"), shown("Status: Klaar"),
		clickText("Publiceer"), clickText("Publiceer nu"))
	var fr string
	for deadline := time.Now().Add(scaled(30 * time.Second)); time.Now().Before(deadline) && fr == ""; time.Sleep(200 * time.Millisecond) {
		files, _ := filepath.Glob(filepath.Join(root, "content/fr/nieuws/*.md"))
		for _, f := range files {
			if data, _ := os.ReadFile(f); strings.Contains(string(data), "Nouvelle session") {
				fr = f
			}
		}
	}
	if fr == "" {
		t.Fatal("the French post was not published")
	}
	r := build.Run(t.Context(), build.Options{FS: os.DirFS(root), Source: root, NoWasm: true})
	rel, _ := filepath.Rel(root, fr)
	found := false
	for _, s := range build.TranslationStatuses(r) {
		if s.File == filepath.ToSlash(rel) {
			found = true
			if s.State != build.UpToDate {
				t.Errorf("the French post's status is %v, not up to date (source %s)", s.State, s.Source)
			}
		}
	}
	if !found {
		t.Errorf("the French post is no translation of the Dutch one")
	}
	do("the translations page", chromedp.Navigate(base+"/admin/translations"), shown(w.Translations.States["up to date"]))
	english("the translations page")
}
