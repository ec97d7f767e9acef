package cms

import (
	"context"
	"image"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"kmopsite/build"
	"kmopsite/checks"
	"kmopsite/server"
	"kmopsite/testsite"
)

const chromium = "/usr/bin/chromium"

// scaled stretches a browser step's timeout with the machine's load, as
// the other browser tests do (checks.Slowdown): on a loaded machine Decap's
// 5 MB bundle takes its time, and a fixed timeout fails a working CMS.
func scaled(d time.Duration) time.Duration { return time.Duration(float64(d) * checks.Slowdown()) }

// startCMS serves a copy of the real site (prepared further by prepare,
// when not nil) with the CMS, opens Chromium at /admin/ and signs in.
func startCMS(t testing.TB, prepare func(root string)) (root, base string, tab context.Context) {
	t.Helper()
	needBrowser(t)
	root = t.TempDir()
	for _, src := range []string{"templates", "assets", "content", "site.yaml"} {
		if err := testsite.CopyTree(filepath.Join("..", src), filepath.Join(root, src)); err != nil {
			t.Fatal(err)
		}
	}
	nm, _ := filepath.Abs("../node_modules")
	if err := os.Symlink(nm, filepath.Join(root, "node_modules")); err != nil {
		t.Fatal(err)
	}

	if prepare != nil {
		prepare(root)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	backend, err := NewBackend(root)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { backend.Close() })
	backend.Logf = t.Logf
	admin := NewAdmin(root, backend)
	srv := server.New(server.Options{Source: root, NoWasm: true, Logf: t.Logf,
		API: map[string]http.Handler{"/admin/": admin, "/api/v1": backend}})
	admin.Render = srv.Preview
	t.Cleanup(srv.Close)
	if r := srv.Rebuild(ctx); !r.OK() {
		t.Fatalf("the site does not build:\n%s", r.Diagnostics.Format(10))
	}
	go srv.Watch(ctx)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	hs.RegisterOnShutdown(srv.Close)
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	base = "http://" + ln.Addr().String()

	tab = newTab(t, ctx)
	// Sign in (the local backend needs no password).
	if err := chromedp.Do(tab,
		chromedp.Navigate(base+"/admin/"),
		chromedp.WaitVisible(`//button[contains(., "Inloggen")]`),
		chromedp.Click(`//button[contains(., "Inloggen")]`),
		chromedp.WaitVisible(`//a[contains(., "Pagina")]`),
	); err != nil {
		t.Fatalf("the CMS did not show its collections: %v", err)
	}
	return root, base, tab
}

// needBrowser skips the test under -short, or without Chromium or
// Decap CMS.
func needBrowser(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs Chromium")
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Skip("Chromium is not installed at " + chromium)
	}
	if _, err := os.Stat("../node_modules/decap-cms/dist/decap-cms.js"); err != nil {
		t.Skip("Decap CMS is not installed: run npm ci")
	}
}

// newTab opens a tab of a Chromium of its own that logs exceptions and
// errors, says OK to confirm() and fails the test on a violation of the
// Content-Security-Policy.
func newTab(t testing.TB, ctx context.Context) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-background-networking", true))
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	tab, cancelTab := chromedp.NewContext(alloc)
	t.Cleanup(cancelTab)
	tab, cancelTimeout := context.WithTimeout(tab, scaled(3*time.Minute))
	t.Cleanup(cancelTimeout)
	var problems []string
	chromedp.Listen(tab, func(ev any) {
		switch e := ev.(type) {
		case *cdppage.EventJavascriptDialogOpening:
			// "Leave the page with unsaved changes?" (beforeunload), which
			// window.confirm below does not reach: while it is open every
			// later step of the tab waits. The editor's answer is OK.
			go chromedp.Do(tab, chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
				_, err := cdp.Call(ctx, target, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: true})
				return err
			}))
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				d += " " + e.ExceptionDetails.Exception.Description
			}
			problems = append(problems, "exception: "+d)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				problems = append(problems, "log: "+e.Entry.Text)
			}
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				var b strings.Builder
				for _, a := range e.Args {
					b.WriteString(string(a.Value) + a.Description + " ")
				}
				problems = append(problems, "console: "+b.String())
			}
		}
	})
	t.Cleanup(func() {
		for _, p := range problems {
			t.Log(p)
		}
	})

	// The editor's "OK" to Decap's confirm() dialogs (publish, leave with
	// unsaved changes), and a record of CSP violations.
	if err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		_, err := cdp.Call(ctx, target, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{
			Source: `window.confirm = () => true; window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline")));`,
		})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(tab, scaled(5*time.Second))
		defer cancel()
		if v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__csp || []`)); err == nil && len(v) > 0 {
			t.Errorf("Content-Security-Policy violations on /admin/: %q", v)
		}
	})
	return tab
}

// TestBrowserEdit runs the real Decap CMS in Chromium under serve: it opens
// /admin/, changes the Dutch home page's title, saves, and sees the file
// change on that line only and /nl/ show the new title.
func TestBrowserEdit(t *testing.T) {
	root, base, tab := startCMS(t, nil)
	if err := chromedp.Do(tab,
		chromedp.Navigate(base+"/admin/#/collections/pages/entries/_index"),
		chromedp.WaitVisible(chromedp.CSS(`input[id^="title-field"]`)),
	); err != nil {
		t.Fatalf("the home page did not open in the editor: %v", err)
	}
	axeReport(t, tab, "editor")
	old, _ := os.ReadFile(filepath.Join(root, "content/nl/_index.md"))
	const title = "KMOP-audit bij Kiwa: getest in de browser"
	if err := chromedp.Do(tab,
		chromedp.Evaluate[chromedp.Void](`document.querySelector('input[id^="title-field"]').select()`),
		chromedp.SendKeys(chromedp.CSS(`input[id^="title-field"]`), title),
	); err != nil {
		t.Fatalf("typing the title: %v", err)
	}
	shot(t, tab, "typed")
	step, cancelStep := context.WithTimeout(tab, scaled(20*time.Second))
	defer cancelStep()
	var saved time.Time
	if err := chromedp.Do(step, clickText("Publiceer"), chromedp.Func(func(context.Context, *chromedp.Target) error {
		saved = time.Now()
		return nil
	}), clickText("Publiceer nu")); err != nil {
		shot(t, tab, "publish")
		t.Fatalf("saving: %v", err)
	}
	var got []byte
	for deadline := time.Now().Add(scaled(30 * time.Second)); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		got, _ = os.ReadFile(filepath.Join(root, "content/nl/_index.md"))
		if string(got) != string(old) {
			break
		}
	}
	want := strings.Replace(string(old), `title: "Erkend dienstverlener worden? Uw KMOP-audit bij Kiwa Belgium"`, `title: "`+title+`"`, 1)
	if string(got) != want {
		t.Fatalf("content/nl/_index.md after the save:\n%s\nwant only the title line changed:\n%s", got, want)
	}
	// The other languages' home pages came along in the save, unchanged.
	for _, l := range []string{"fr", "en"} {
		a, _ := os.ReadFile(filepath.Join("..", "content", l, "_index.md"))
		b, _ := os.ReadFile(filepath.Join(root, "content", l, "_index.md"))
		if string(a) != string(b) {
			t.Errorf("content/%s/_index.md changed by a save of the Dutch page", l)
		}
	}
	var html string
	for deadline := time.Now().Add(scaled(30 * time.Second)); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if resp, err := http.Get(base + "/nl/"); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			html = string(b)
		}
		if strings.Contains(html, title) {
			// What the editor waits for: from the click on "Publish now"
			// (its poll adds up to 100 ms) to the page served anew.
			t.Logf("save to reloaded page: %d ms", time.Since(saved).Milliseconds())
			break
		}
	}
	if !strings.Contains(html, title) {
		t.Errorf("/nl/ does not show the new title after the save")
	}

	// Saves in Decap's own serialisation: one character added to a field
	// changes that line only; removed again, the file is byte for byte as
	// it was. A news post, a words file, site.yaml.
	for _, c := range []struct{ hash, field, file string }{
		{"collections/nieuws_nl/entries/2026-01-26-hervorming-advies", "title", "content/nl/nieuws/2026-01-26-hervorming-advies.md"},
		{"collections/words/entries/interface_nl", "skip_link", "content/nl/interface.yaml"},
		{"collections/site/entries/site", "phone", "site.yaml"},
	} {
		before, _ := os.ReadFile(filepath.Join(root, c.file))
		sel := `input[id^="` + c.field + `-field"]`
		caret := chromedp.Evaluate[chromedp.Void](`(() => { const e = document.querySelector('` + sel + `'); e.focus(); e.setSelectionRange(0, 0); })()`)
		saved := chromedp.Poll[chromedp.Void](`/wijzigingen opgeslagen/i.test(document.body.innerText)`, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(scaled(20*time.Second)))
		step, cancel := context.WithTimeout(tab, scaled(40*time.Second))
		err := chromedp.Do(step,
			// A fresh load for each: Decap's editor keeps the last entry's
			// widgets when only the hash changes between collections.
			chromedp.Navigate(base+"/admin/?"+c.field+"#/"+c.hash),
			chromedp.WaitVisible(chromedp.CSS(sel)),
			caret, chromedp.KeyEvent("Z"),
			clickText("Publiceer"), clickText("Publiceer nu"), saved,
		)
		if err != nil {
			cancel()
			shot(t, tab, "edit-"+c.field)
			t.Errorf("%s: saving an edit: %v", c.file, err)
			continue
		}
		mid, _ := os.ReadFile(filepath.Join(root, c.file))
		if d := changedLines(string(before), string(mid)); len(d) != 1 || !strings.Contains(d[0], "Z") {
			t.Errorf("%s: adding one letter to %s changed the lines %q", c.file, c.field, d)
		}
		err = chromedp.Do(step, chromedp.Navigate(base+"/admin/?undo-"+c.field+"#/"+c.hash), chromedp.WaitVisible(chromedp.CSS(sel)),
			caret, chromedp.KeyEvent(kb.Home+kb.Delete),
			clickText("Publiceer"), clickText("Publiceer nu"), saved)
		cancel()
		if err != nil {
			shot(t, tab, "revert-"+c.field)
			t.Errorf("%s: saving the revert: %v", c.file, err)
			continue
		}
		after, _ := os.ReadFile(filepath.Join(root, c.file))
		if string(after) != string(before) {
			t.Errorf("%s is not as it was after its edit was undone in the CMS:\n%s", c.file, lineDiffs(string(before), string(after)))
		}
	}
}

// shot saves a screenshot of the tab in $CMS_SHOTS, when set, to look at.
func shot(t testing.TB, tab context.Context, name string) {
	dir := os.Getenv("CMS_SHOTS")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(tab, scaled(10*time.Second))
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
}

// clickText clicks the innermost visible element whose whole text is
// text (in any case), once there is one: Decap's buttons and menu items have no ids.
func clickText(text string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](`(() => {
		const els = [...document.querySelectorAll("button, [role=button], [role=menuitem], li, span, div")]
			.filter(e => e.textContent.trim().toLowerCase() === `+strconv.Quote(strings.ToLower(text))+` && e.offsetParent !== null);
		if (!els.length) return false;
		els[els.length - 1].click();
		return true;
	})()`, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(scaled(15*time.Second)))
}

// lineDiffs shows the lines that differ, both ways.
func lineDiffs(a, b string) string {
	return "+ " + strings.Join(changedLines(a, b), "\n+ ") + "\n- " + strings.Join(changedLines(b, a), "\n- ")
}

// TestBrowserWorkflow runs the editorial workflow in the real CMS when the
// site's folder is a git repository: a saved change is a draft branch and
// leaves the file alone; "In review" and "Ready" are its statuses; publish
// merges it and the file changes.
func TestBrowserWorkflow(t *testing.T) {
	root, base, tab := startCMS(t, gitInit(t))
	g := &gitRepo{dir: root, branch: "main"}
	file := filepath.Join(root, "content/nl/audit.md")
	before, _ := os.ReadFile(file)
	sel := `input[id^="title-field"]`
	step, cancel := context.WithTimeout(tab, scaled(60*time.Second))
	defer cancel()
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(step, actions...); err != nil {
			shot(t, tab, "workflow-"+strings.ReplaceAll(what, " ", "-"))
			t.Fatalf("%s: %v", what, err)
		}
	}
	do("open the page", chromedp.Navigate(base+"/admin/#/collections/pages/entries/audit"), chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('`+sel+`').focus()`), chromedp.KeyEvent(kb.Home+"Nieuw: "))
	do("save a draft", clickText("Opslaan"), chromedp.Poll[chromedp.Void](`/wijzigingen opgeslagen/i.test(document.body.innerText)`,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(scaled(20*time.Second))))
	if !g.exists("cms/pages/audit") {
		t.Fatal("no draft branch cms/pages/audit after saving")
	}
	if now, _ := os.ReadFile(file); string(now) != string(before) {
		t.Fatal("saving a draft changed the file in the folder")
	}
	if data := g.show("cms/pages/audit", "content/nl/audit.md"); !strings.Contains(string(data), "Nieuw: ") {
		t.Errorf("the draft's commit does not hold the change:\n%s", data)
	}
	shown := func(text string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](`document.body.innerText.includes(`+strconv.Quote(text)+`)`,
			chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(scaled(15*time.Second)))
	}
	do("mark in review", clickText("Status: Concept"), clickText("Wordt beoordeeld"), shown("Status: Wordt beoordeeld"))
	do("mark ready", clickText("Status: Wordt beoordeeld"), clickText("Klaar"), shown("Status: Klaar"))
	label, _ := g.run(nil, "config", "branch.cms/pages/audit.description")
	if strings.TrimSpace(label) != "decap-cms/pending_publish" {
		t.Errorf("draft status %q, want decap-cms/pending_publish", label)
	}
	do("publish", clickText("Publiceer"), clickText("Publiceer nu"))
	var now []byte
	for deadline := time.Now().Add(scaled(20 * time.Second)); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		// Publishing merges, then deletes the branch: wait for both.
		if now, _ = os.ReadFile(file); string(now) != string(before) && !g.exists("cms/pages/audit") {
			break
		}
	}
	if d := changedLines(string(before), string(now)); len(d) != 1 || !strings.Contains(d[0], "title: ") || !strings.Contains(d[0], "Nieuw: ") {
		t.Errorf("after publishing, the changed lines are %q", d)
	}
	if g.exists("cms/pages/audit") {
		t.Error("the draft branch is still there after publishing")
	}
}

// axeReport runs axe-core on the page and logs what it finds: Decap CMS is
// third-party, so its violations are recorded (in the test log, and in
// $CMS_SHOTS/axe-<name>.json), not failed on.
func axeReport(t testing.TB, tab context.Context, name string) {
	src, err := os.ReadFile("../node_modules/axe-core/axe.min.js")
	if err != nil {
		t.Logf("axe-core is not installed (npm ci): /admin/ not audited")
		return
	}
	ctx, cancel := context.WithTimeout(tab, scaled(60*time.Second))
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](string(src))); err != nil {
		t.Logf("load axe-core: %v", err)
		return
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](`axe.run(document, {resultTypes: ["violations"]}).then((r) =>
  r.violations.map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.length, example: v.nodes[0].html.slice(0, 120)})))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Logf("run axe-core: %v", err)
		return
	}
	t.Logf("axe-core on /admin/ (%s): %s", name, raw)
	if dir := os.Getenv("CMS_SHOTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, "axe-"+name+".json"), raw, 0o644)
	}
}

// TestBrowserRichText types one letter in the rich-text editor, which
// writes the whole body again in its own Markdown: only the line with the
// letter changes.
func TestBrowserRichText(t *testing.T) {
	root, base, tab := startCMS(t, nil)
	file := filepath.Join(root, "content/nl/nieuws/2026-01-26-hervorming-advies.md")
	before, _ := os.ReadFile(file)
	ctx, cancel := context.WithTimeout(tab, scaled(60*time.Second))
	defer cancel()
	err := chromedp.Do(ctx, chromedp.Navigate(base+"/admin/#/collections/nieuws_nl/entries/2026-01-26-hervorming-advies"),
		chromedp.WaitVisible(chromedp.CSS(`[data-slate-editor]`)),
		chromedp.Click(chromedp.CSS(`[data-slate-editor] p`)), chromedp.KeyEvent("Q"),
		clickText("Publiceer"), clickText("Publiceer nu"),
		chromedp.Poll[chromedp.Void](`/wijzigingen opgeslagen/i.test(document.body.innerText)`, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(scaled(20*time.Second))))
	if err != nil {
		shot(t, tab, "richtext")
		t.Fatal(err)
	}
	after, _ := os.ReadFile(file)
	if d := changedLines(string(before), string(after)); len(d) != 1 || !strings.Contains(d[0], "Q") || len(changedLines(string(after), string(before))) != 1 {
		t.Errorf("one letter typed in the rich-text editor changed:\n%s", lineDiffs(string(before), string(after)))
	}
}

// TestBrowserNewPageAndImage creates a page in three languages in the real
// CMS and uploads an image wider than 1600 pixels with an unsafe name.
func TestBrowserNewPageAndImage(t *testing.T) {
	root, base, tab := startCMS(t, nil)
	ctx, cancel := context.WithTimeout(tab, scaled(90*time.Second))
	defer cancel()
	typeInto := func(js string, text string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`(`+js+`).focus()`)); err != nil {
				return err
			}
			return chromedp.Do(ctx, chromedp.KeyEvent(text))
		})
	}
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(base + "/admin/#/collections/pages/new"),
		chromedp.WaitVisible(chromedp.CSS(`input[id^="title-field"]`)),
		typeInto(`document.querySelectorAll('input[id^="title-field"]')[0]`, "Nieuwe pagina"),
		typeInto(`document.querySelectorAll('textarea[id^="description-field"]')[0]`, "Een nieuwe pagina, gemaakt in de browser."),
		typeInto(`document.querySelectorAll('[data-slate-editor]')[0]`, "Dit is de tekst."),
		typeInto(`document.querySelectorAll('input[id^="title-field"]')[1]`, "Nouvelle page"),
		typeInto(`document.querySelectorAll('textarea[id^="description-field"]')[1]`, "Une nouvelle page, faite dans le navigateur."),
		typeInto(`document.querySelectorAll('[data-slate-editor]')[1]`, "Voici le texte."),
	}
	steps = append(steps,
		clickText("FR aan het bewerken"), clickText("EN"),
		chromedp.WaitVisible(`//*[contains(text(), "EN aan het bewerken")]`),
		typeInto(`document.querySelectorAll('input[id^="title-field"]')[1]`, "New page"),
		typeInto(`document.querySelectorAll('textarea[id^="description-field"]')[1]`, "A new page, made in the browser."),
		typeInto(`document.querySelectorAll('[data-slate-editor]')[1]`, "This is the text."),
		clickText("Publiceer"), clickText("Publiceer nu"),
		chromedp.Poll[chromedp.Void](`/wijzigingen opgeslagen/i.test(document.body.innerText)`, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(scaled(20*time.Second))),
	)
	for i, s := range steps {
		if err := chromedp.Do(ctx, s); err != nil {
			shot(t, tab, "newpage")
			t.Fatalf("step %d: %v", i, err)
		}
	}
	nl, _ := os.ReadFile(filepath.Join(root, "content/nl/nieuwe-pagina.md"))
	hash, _ := build.SourceHash(nl)
	for lang, want := range map[string]string{"nl": "Dit is de tekst.", "fr": "Voici le texte.", "en": "This is the text."} {
		data, err := os.ReadFile(filepath.Join(root, "content", lang, "nieuwe-pagina.md"))
		if err != nil || !strings.Contains(string(data), want) {
			t.Errorf("content/%s/nieuwe-pagina.md: %v\n%s", lang, err, data)
		}
		if lang != "nl" && !strings.Contains(string(data), "source_hash: "+hash) {
			t.Errorf("content/%s/nieuwe-pagina.md has no source_hash %s:\n%s", lang, hash, data)
		}
	}
	var status int
	for deadline := time.Now().Add(scaled(20 * time.Second)); time.Now().Before(deadline) && status != 200; time.Sleep(200 * time.Millisecond) {
		if resp, err := http.Get(base + "/nl/nieuwe-pagina/"); err == nil {
			status = resp.StatusCode
			resp.Body.Close()
		}
	}
	if status != 200 {
		t.Errorf("/nl/nieuwe-pagina/: %d", status)
	}

	// Upload an image through the media library.
	img := filepath.Join(t.TempDir(), "Foto Audit (1).png")
	os.WriteFile(img, pngOf(t, 2400, 300), 0o644)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/admin/?media#/collections/pages"),
		clickText("Media"),
		chromedp.SetUploadFiles(chromedp.CSS(`input[type="file"]`), []string{img}),
		chromedp.Poll[chromedp.Void](`document.body.innerText.includes("foto-audit-1.png")`, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(scaled(20*time.Second))),
	); err != nil {
		shot(t, tab, "upload")
		t.Fatalf("uploading: %v", err)
	}
	f, err := os.Open(filepath.Join(root, "assets/img/foto-audit-1.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if cfg, _, err := image.DecodeConfig(f); err != nil || cfg.Width != 1600 || cfg.Height != 200 {
		t.Errorf("uploaded image: %dx%d %v, want 1600x200", cfg.Width, cfg.Height, err)
	}
	shot(t, tab, "media")
}

// siteWords are the editor's words of the real site, in its first
// language: the browser tests read the interface as an editor does.
func siteWords(t testing.TB) *EditorWords {
	t.Helper()
	w, diags := LoadWords(os.DirFS(".."), "nl")
	if diags.Errors() > 0 {
		t.Fatal(diags.Format(5))
	}
	return w
}

// gitInit makes the copy of the site a git repository with one commit on
// main: the editorial workflow is on.
func gitInit(t testing.TB) func(root string) {
	return func(root string) {
		g := &gitRepo{dir: root}
		for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "content", "site.yaml", "templates", "assets"},
			{"-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "site"}} {
			if _, err := g.run(nil, args...); err != nil {
				t.Fatal(err)
			}
		}
	}
}
