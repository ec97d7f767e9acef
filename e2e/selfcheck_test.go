package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"kmopsite/assess"
	"kmopsite/assess/codec"
	"kmopsite/words"
)

// An applicant's answers: bool for yes/no, int for numbers, string for a
// readiness or a text question, []string for a multi-choice question.
type answers map[assess.QuestionID]any

// starterReady is new (one year, four dossiers), trains, and is ready.
var starterReady = answers{
	assess.AuditBody:           false,
	assess.HasEnterpriseNumber: true,
	assess.EnterpriseNumber:    "0403.019.261",
	assess.HasSEPAAccount:      true,
	assess.IBAN:                "BE68 5390 0754 7034",
	assess.Services:            []string{"training"},
	assess.Themes:              []string{"job_skills", "digitalisation"},
	assess.AuditKind:           "first",
	assess.YearsActive:         1,
	assess.KMOPDossiers:        4,
	assess.Certificates:        []string{},
	assess.Memberships:         []string{},
	assess.IntegrityConcerns:   false,
	assess.ReadyActivity:       "yes",
	assess.ReadyKnowledge:      "yes",
	assess.ReadyIntegrity:      "yes",
	assess.HasUserRight:        true,
	assess.RegisteredOnline:    true,
	assess.DeclarationSigned:   true,
}

// establishedPrepare has twelve years behind it, trains and advises
// outside cybersecurity, and has work to do on two requirements.
var establishedPrepare = answers{
	assess.AuditBody:           false,
	assess.HasEnterpriseNumber: true,
	assess.HasSEPAAccount:      true,
	assess.Services:            []string{"training", "advice"},
	assess.AdviceCybersecurity: false,
	assess.Themes:              []string{"strategy"},
	assess.AuditKind:           "first",
	assess.YearsActive:         12,
	assess.Certificates:        []string{"iso9001", "wse"},
	assess.Memberships:         []string{"itaa"},
	assess.IntegrityConcerns:   false,
	assess.ReadyActivity:       "yes",
	assess.ReadyExperience:     "partly",
	assess.ReadySatisfaction:   "no",
	assess.ReadyKnowledge:      "yes",
	assess.ReadyIntegrity:      "yes",
	assess.HasUserRight:        false,
	assess.RegisteredOnline:    false,
	assess.DeclarationSigned:   false,
}

// followUpPrepare comes back for the follow-up audit of the starters'
// track two years after a starter registration on a leap day.
var followUpPrepare = answers{
	assess.AuditBody:           false,
	assess.HasEnterpriseNumber: true,
	assess.HasSEPAAccount:      true,
	assess.Services:            []string{"training"},
	assess.Themes:              []string{"digitalisation"},
	assess.AuditKind:           "follow_up",
	assess.RegistrationDate:    "2024-02-29",
	assess.Certificates:        []string{"qfor"},
	assess.Memberships:         []string{},
	assess.IntegrityConcerns:   false,
	assess.ReadyActivity:       "yes",
	assess.ReadyExperience:     "yes",
	assess.ReadySatisfaction:   "partly",
	assess.ReadyKnowledge:      "yes",
	assess.ReadyIntegrity:      "yes",
	assess.HasUserRight:        true,
	assess.RegisteredOnline:    true,
	assess.DeclarationSigned:   true,
}

// auditBody is itself an audit body: not eligible.
var auditBody = answers{assess.AuditBody: true}

func today() string { return time.Now().Format("2006-01-02") }

// decode turns the answers into assess.Answers through the same codec as
// the command and the endpoint.
func (a answers) decode(t *testing.T) assess.Answers {
	t.Helper()
	m := map[string]any{}
	for k, v := range a {
		m[string(k)] = v
	}
	data, _ := json.Marshal(m)
	got, err := codec.Decode(data, today())
	if err != nil {
		t.Fatalf("the test's answers break the contract: %v", err)
	}
	return got
}

// nativePath is the order in which the Go rules ask the questions of a.
func nativePath(t *testing.T, a answers) []string {
	given := answers{}
	var path []string
	for range 50 {
		r := assess.Evaluate(given.decode(t))
		if r.Complete || len(r.Next) == 0 {
			return path
		}
		id := r.Next[0]
		v, ok := a[id]
		if !ok {
			t.Fatalf("the rules ask %s, which the test's applicant does not answer", id)
		}
		given[id] = v
		for _, q := range assess.Questions() {
			if q.RevealedBy == id && a[q.ID] != nil {
				given[q.ID] = a[q.ID]
			}
		}
		path = append(path, string(id))
	}
	t.Fatal("the rules never complete")
	return nil
}

func nlWords(t *testing.T, s *site) *words.Selfcheck {
	t.Helper()
	w := s.result.Texts["nl"].Selfcheck
	if w == nil {
		t.Fatal("no Dutch words")
	}
	return w
}

// currentView is the view shown: a question id, "check" or "result".
func (tb *tab) currentView() string {
	return eval[string](tb, `(() => {
  if (!document.getElementById("sc-check").hidden) return "check";
  if (!document.getElementById("sc-result").hidden) return "result";
  const q = document.querySelector("#sc-form .sc-q:not([hidden])");
  return q && !document.getElementById("sc-form").hidden ? q.dataset.q : "";
})()`)
}

// waitFocus waits until the focus is on the element with this id.
func (tb *tab) waitFocus(id string) {
	tb.t.Helper()
	tb.wait(fmt.Sprintf(`document.activeElement && document.activeElement.id === %q`, id))
}

// answer answers the question shown with the keyboard alone, starting
// from wherever the focus is, and sends it.
func (tb *tab) answer(id assess.QuestionID, a answers) {
	tb.t.Helper()
	q, _ := assess.Lookup(id)
	tb.tabTo(fmt.Sprintf("#sc-q-%s input", id))
	switch v := a[id].(type) {
	case bool:
		if v {
			tb.press(" ")
		} else {
			tb.press(kb.ArrowDown)
		}
		for _, t := range assess.Questions() {
			if text, ok := a[t.ID].(string); ok && t.RevealedBy == id {
				tb.press("\t")
				tb.waitFocus("sc-" + string(t.ID))
				tb.press(text)
			}
		}
	case string: // readiness (yes, partly, no) or a choice
		tb.press(" ")
		for range slices.Index(q.Choices, v) {
			tb.press(kb.ArrowDown)
		}
		for _, t := range assess.Questions() {
			// A date the choice reveals: day, month, year.
			if date, ok := a[t.ID].(string); ok && t.RevealedBy == id && slices.Contains(t.RevealedOn, v) {
				y, m, d := date[0:4], strings.TrimPrefix(date[5:7], "0"), strings.TrimPrefix(date[8:10], "0")
				for _, f := range []struct{ part, value string }{{"day", d}, {"month", m}, {"year", y}} {
					tb.tabTo(fmt.Sprintf("#sc-%s-%s", t.ID, f.part))
					tb.press(f.value)
				}
			}
		}
	case int:
		tb.press(fmt.Sprint(v))
	case []string:
		if len(v) == 0 {
			tb.tabTo(fmt.Sprintf("#sc-%s-none", id))
			tb.press(" ")
		}
		for _, c := range q.Choices { // in the page's order
			if slices.Contains(v, c) {
				tb.tabTo(fmt.Sprintf("#sc-%s-%s", id, c))
				tb.press(" ")
			}
		}
	default:
		tb.t.Fatalf("no answer to %s", id)
	}
	tb.tabTo(".sc-continue")
	tb.press(kb.Enter)
}

// complete answers every question the page asks, by keyboard, checking
// each page with axe and that the focus moved to its heading, and stops on
// "check your answers". It returns the questions shown, in order.
func (tb *tab) complete(a answers) []string {
	tb.t.Helper()
	var shown []string
	for range 40 {
		view := tb.currentView()
		if view == "check" {
			tb.waitFocus("sc-check-title")
			return shown
		}
		if view == "" || view == "result" {
			tb.t.Fatalf("expected a question or the check page, got %q", view)
		}
		if len(shown) > 0 {
			tb.waitFocus("sc-h-" + view)
		}
		tb.axe("question " + view)
		shown = append(shown, view)
		tb.answer(assess.QuestionID(view), a)
		tb.wait(fmt.Sprintf(`document.activeElement && document.activeElement.id !== "sc-h-%s" && document.activeElement.matches(".sc-question, #sc-check-title, #sc-result-title, #sc-errors")`, view))
		if eval[string](tb, `document.activeElement.id`) == "sc-errors" {
			tb.t.Fatalf("the page refused the answer to %s: %s", view, eval[string](tb, `document.getElementById("sc-errors").innerText`))
		}
	}
	tb.t.Fatal("the questionnaire did not end")
	return nil
}

// shownResult is the result as the page shows it.
type shownResult struct {
	Verdict, Track, VerdictTitle, TrackTitle string
	Blockers, Warnings, Exemptions, Steps    []string
	Requirements                             []assess.Requirement
	StatusLabels                             []string
	Hidden                                   map[string]bool
}

func (tb *tab) readResult() shownResult {
	tb.t.Helper()
	raw := eval[[]byte](tb, `(() => {
  const r = document.getElementById("sc-result");
  const codes = (slot) => [...r.querySelectorAll('[data-slot="' + slot + '"] [data-code]')].map((e) => e.dataset.code);
  const text = (sel) => (r.querySelector(sel) || {textContent: ""}).textContent.trim();
  const hidden = {};
  for (const p of r.querySelectorAll("[data-part]")) hidden[p.dataset.part] = p.hidden;
  return {
    Verdict: r.dataset.verdict, Track: r.dataset.track,
    VerdictTitle: text(".sc-verdict-title"), TrackTitle: text(".sc-track-title"),
    Blockers: codes("blockers"), Warnings: codes("warnings"), Exemptions: codes("exemptions"), Steps: codes("steps"),
    Requirements: [...r.querySelectorAll("[data-req]")].map((e) => ({id: e.dataset.req, status: e.dataset.status})),
    StatusLabels: [...r.querySelectorAll("[data-req] .sc-tag")].map((e) => e.textContent.trim()),
    Hidden: hidden,
  };
})()`)
	var r shownResult
	if err := json.Unmarshal(raw, &r); err != nil {
		tb.t.Fatal(err)
	}
	return r
}

// checkResult compares the result shown with assess.Evaluate of the same
// answers, and its words with the Dutch words file.
func checkResult(t *testing.T, got shownResult, want assess.Result, w *words.Selfcheck) {
	t.Helper()
	eq := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the page shows %v, the rules give %v", what, got, want)
		}
	}
	nonNil := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	eq("verdict", got.Verdict, want.Verdict)
	eq("track", got.Track, want.Track)
	eq("blockers", nonNil(got.Blockers), want.Blockers)
	eq("warnings", nonNil(got.Warnings), want.Warnings)
	eq("possible exemptions", nonNil(got.Exemptions), want.PossibleExemptions)
	eq("steps", nonNil(got.Steps), want.Steps)
	eq("requirements", got.Requirements, want.Requirements)
	eq("verdict's words", got.VerdictTitle, w.Verdicts[want.Verdict].Title)
	if want.Track != "" {
		eq("track's words", got.TrackTitle, w.Tracks[want.Track].Title)
	}
	for i, r := range want.Requirements {
		if i < len(got.StatusLabels) {
			eq("status of "+r.ID, got.StatusLabels[i], w.Statuses[r.Status])
		}
	}
	for part, list := range map[string][]string{"blockers": want.Blockers, "warnings": want.Warnings,
		"exemptions": want.PossibleExemptions, "steps": want.Steps} {
		eq("section "+part+" hidden", got.Hidden[part], len(list) == 0)
	}
	unknown := true
	for _, r := range want.Requirements {
		unknown = unknown && r.Status == assess.StatusUnknown
	}
	eq("section requirements hidden", got.Hidden["requirements"], unknown)
}

// TestApplicants: three applicants complete the self-check with the keyboard
// alone; every page passes axe, and the result is the rules' result.
func TestApplicants(t *testing.T) {
	s := start(t)
	w := nlWords(t, s)
	for _, c := range []struct {
		name    string
		a       answers
		verdict string
	}{
		{"starter ready", starterReady, assess.VerdictReady},
		{"established, must prepare", establishedPrepare, assess.VerdictPrepare},
		{"follow-up audit, must prepare", followUpPrepare, assess.VerdictPrepare},
		{"audit body, not eligible", auditBody, assess.VerdictNotEligible},
	} {
		t.Run(c.name, func(t *testing.T) {
			tb := s.newTab(t)
			tb.open("/nl/zelftest/")
			shown := tb.complete(c.a)
			if want := nativePath(t, c.a); !slices.Equal(shown, want) {
				t.Errorf("the page asked\n  %v\nthe rules ask\n  %v", shown, want)
			}
			tb.axe("check your answers")
			rows := eval[int](tb, `document.querySelectorAll("#sc-summary .sc-summary-row").length`)
			reveals := 0
			for _, q := range assess.Questions() {
				if yes, _ := c.a[q.RevealedBy].(bool); q.Kind == assess.Text && yes && slices.Contains(shown, string(q.RevealedBy)) {
					reveals++
				}
				if v, _ := c.a[q.RevealedBy].(string); q.Kind == assess.Date && slices.Contains(q.RevealedOn, v) && slices.Contains(shown, string(q.RevealedBy)) {
					reveals++
				}
			}
			if rows != len(shown)+reveals {
				t.Errorf("check your answers has %d rows, want %d", rows, len(shown)+reveals)
			}

			if c.a[assess.Themes] != nil {
				// Change an answer from the check page: it comes back there.
				tb.tabTo(`#sc-summary a[href*="view=themes"]`)
				tb.press(kb.Enter)
				tb.waitFocus("sc-h-themes")
				tb.axe("changing themes")
				tb.tabTo("#sc-themes-innovation")
				tb.press(" ")
				tb.tabTo(".sc-continue")
				tb.press(kb.Enter)
				tb.waitFocus("sc-check-title")
				if row := eval[string](tb, `[...document.querySelectorAll(".sc-summary-row")].find((r) => r.querySelector("a").href.includes("view=themes")).innerText`); !strings.Contains(row, w.Questions["themes"].Choices["innovation"]) {
					t.Errorf("after the change, the themes row reads %q", row)
				}
				c.a = maps(c.a, assess.Themes, append(slices.Clone(c.a[assess.Themes].([]string)), "innovation"))
			}

			tb.tabTo("#sc-see-result")
			tb.press(kb.Enter)
			tb.waitFocus("sc-result-title")
			tb.axe("result")
			want := assess.Evaluate(c.a.decode(t))
			if want.Verdict != c.verdict {
				t.Fatalf("the test's applicant gets %s from the rules, want %s", want.Verdict, c.verdict)
			}
			checkResult(t, tb.readResult(), want, w)
			if title := eval[string](tb, "document.title"); strings.HasPrefix(title, w.UI["error_prefix"]) {
				t.Errorf("title %q after no error", title)
			}

			// A reload shows the same result, from the fragment alone.
			tb.do(chromedp.Reload())
			tb.waitReady()
			tb.wait(`!document.getElementById("sc-result").hidden`)
			checkResult(t, tb.readResult(), want, w)
			tb.clean()
		})
	}
}

func maps(a answers, id assess.QuestionID, v any) answers {
	b := answers{}
	for k, x := range a {
		b[k] = x
	}
	b[id] = v
	return b
}

// TestStateInFragment: reload and the back button bring the answers back;
// a shared link opens on its page.
func TestStateInFragment(t *testing.T) {
	s := start(t)
	tb := s.newTab(t)
	tb.open("/nl/zelftest/")
	for _, id := range []assess.QuestionID{assess.AuditBody, assess.HasEnterpriseNumber} {
		tb.answer(id, starterReady)
		tb.wait(fmt.Sprintf(`document.activeElement.id !== "sc-h-%s" && document.activeElement.matches(".sc-question")`, id))
	}
	if v := tb.currentView(); v != "has_sepa_account" {
		t.Fatalf("after two answers the page shows %q", v)
	}
	hash := eval[string](tb, "location.hash")
	for _, part := range []string{"audit_body=no", "has_enterprise_number=yes", "enterprise_number=0403.019.261", "view=has_sepa_account"} {
		if !strings.Contains(hash, part) {
			t.Errorf("fragment %q lacks %s", hash, part)
		}
	}
	if progress := eval[string](tb, `document.querySelector("#sc-q-has_sepa_account .sc-progress").textContent`); !strings.HasPrefix(progress, "Vraag 3 van ") {
		t.Errorf("progress %q, want Vraag 3 van …", progress)
	}

	tb.do(chromedp.Reload())
	tb.waitReady()
	tb.wait(`!document.getElementById("sc-q-has_sepa_account").hidden`)

	tb.do(chromedp.NavigateBack())
	tb.wait(`!document.getElementById("sc-q-has_enterprise_number").hidden`)
	if !eval[bool](tb, `document.getElementById("sc-has_enterprise_number-yes").checked && document.getElementById("sc-enterprise_number").value === "0403.019.261" && !document.getElementById("sc-reveal-enterprise_number").hidden`) {
		t.Error("back: the enterprise number page lost its answer")
	}
	tb.waitFocus("sc-h-has_enterprise_number")
	tb.do(chromedp.NavigateBack())
	tb.wait(`!document.getElementById("sc-q-audit_body").hidden`)
	if !eval[bool](tb, `document.getElementById("sc-audit_body-no").checked`) {
		t.Error("back: the first page lost its answer")
	}

	// The Back link goes back too, and the language switch keeps the answers.
	tb.do(chromedp.NavigateForward())
	tb.wait(`!document.getElementById("sc-q-has_enterprise_number").hidden`)
	if !eval[bool](tb, `document.getElementById("sc-back").hash.includes("view=audit_body")`) {
		t.Errorf("the Back link points to %s", eval[string](tb, `document.getElementById("sc-back").href`))
	}
	if href := eval[string](tb, `document.querySelector('.lang-switch a[hreflang="fr-BE"]').href`); !strings.Contains(href, "/fr/autotest/#") || !strings.Contains(href, "audit_body=no") {
		t.Errorf("the French link %s does not carry the answers", href)
	}

	// A shared link to the check page opens there.
	tb.open("/nl/zelftest/#view=check&audit_body=yes")
	tb.waitReady()
	tb.wait(`!document.getElementById("sc-check").hidden`)
	tb.clean()
}

// TestErrors: an unanswered question and an invalid enterprise number
// show the error summary, which takes the focus, with the title prefixed.
func TestErrors(t *testing.T) {
	s := start(t)
	w := nlWords(t, s)
	tb := s.newTab(t)
	tb.open("/nl/zelftest/")
	title := eval[string](tb, "document.title")

	tb.tabTo(".sc-continue")
	tb.press(kb.Enter)
	tb.waitFocus("sc-errors")
	tb.axe("error summary")
	if got := eval[string](tb, "document.title"); got != w.UI["error_prefix"]+": "+title {
		t.Errorf("title %q, want %q", got, w.UI["error_prefix"]+": "+title)
	}
	if got := eval[string](tb, `document.querySelector("#sc-errors li").innerText`); got != w.Questions["audit_body"].Error {
		t.Errorf("summary %q, want %q", got, w.Questions["audit_body"].Error)
	}
	if !eval[bool](tb, `document.getElementById("sc-q-audit_body").classList.contains("has-error") && document.getElementById("sc-q-audit_body").getAttribute("aria-describedby").includes("sc-err-audit_body")`) {
		t.Error("the question is not marked in error")
	}
	// The summary's link leads to the field.
	tb.press("\t", kb.Enter)
	tb.waitFocus("sc-audit_body-yes")

	tb.answer(assess.AuditBody, starterReady)
	tb.waitFocus("sc-h-has_enterprise_number")
	if got := eval[string](tb, "document.title"); got != title {
		t.Errorf("title %q after the error was fixed", got)
	}
	tb.answer(assess.HasEnterpriseNumber, answers{assess.HasEnterpriseNumber: true, assess.EnterpriseNumber: "0403.019.262"})
	tb.waitFocus("sc-errors")
	if got := eval[string](tb, `document.querySelector("#sc-errors li").innerText`); got != w.Questions["enterprise_number"].Error {
		t.Errorf("summary %q, want the enterprise number's error", got)
	}
	tb.axe("enterprise number error")
	tb.clean()
}

// TestWithoutJavaScript: the page shows the questions as a checklist and
// how to reach the audit body.
func TestWithoutJavaScript(t *testing.T) {
	s := start(t)
	tb := s.newTab(t)
	if _, err := chromedp.Run(tb.ctx, chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		_, err := cdp.Call(ctx, target, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	tb.do(chromedp.EmulateViewport(360, 800), chromedp.Navigate(s.url+"/nl/zelftest/"))
	if png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100)); err == nil {
		os.MkdirAll(screensDir, 0o755)
		os.WriteFile(filepath.Join(screensDir, "no-javascript-360.png"), png, 0o644)
	}
	visible := func(sel string) bool {
		return eval[bool](tb, fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.getClientRects().length > 0; })()`, sel))
	}
	if !visible(".sc-nojs .sc-checklist") || !visible(".sc-nojs .sc-contact a[href^='mailto:']") {
		t.Error("without JavaScript the checklist and the contact are not shown")
	}
	if visible("#sc-form") {
		t.Error("without JavaScript the questionnaire's form is shown")
	}
	pages := 0 // the questions with a page of their own
	for _, q := range assess.Questions() {
		if q.RevealedBy == "" {
			pages++
		}
	}
	if n := eval[int](tb, `document.querySelectorAll(".sc-checklist > li").length`); n != pages {
		t.Errorf("the checklist has %d questions", n)
	}
	tb.do(chromedp.Navigate(s.url + "/nl/offerte/"))
	if visible("#quote-form") || !visible(".quote .sc-contact") {
		t.Error("without JavaScript the quote page shows its form, or not the contact")
	}
}

// TestRulesLoading: the first question shows before the rules have loaded,
// and an answer sent meanwhile waits for them; when they cannot load, the
// page shows the checklist and the contact instead.
func TestRulesLoading(t *testing.T) {
	s := start(t)
	w := nlWords(t, s)
	defer s.rules.Store(rulesReal)

	// The rules are held until the page has shown its first question and
	// its loading status: no race with the network, however slow the
	// machine.
	s.rulesGate = make(chan struct{})
	s.rules.Store(rulesHeld)
	tb := s.newTab(t)
	tb.do(chromedp.Navigate(s.url + "/nl/zelftest/"))
	if !eval[bool](tb, `typeof window.kmopAssess !== "function" && !document.getElementById("sc-q-audit_body").hidden`) {
		t.Error("the first question is not shown before the rules have loaded")
	}
	tb.answer(assess.AuditBody, starterReady)
	if got := eval[string](tb, `document.getElementById("sc-status").textContent`); got != w.UI["loading"] {
		t.Errorf("while the rules load, the status says %q", got)
	}
	close(s.rulesGate)
	tb.waitFocus("sc-h-has_enterprise_number")
	if got := eval[string](tb, `document.getElementById("sc-status").textContent`); got != "" {
		t.Errorf("once loaded, the status still says %q", got)
	}
	tb.clean()
	tb.close()

	// Nothing is fetched before the visitor reaches for the form; a broken
	// module shows when they do.
	s.rules.Store(rulesBroken)
	tb = s.newTab(t)
	tb.do(chromedp.Navigate(s.url + "/nl/zelftest/"))
	tb.waitReady()
	if n := eval[int](tb, `performance.getEntriesByType("resource").filter((e) => e.name.endsWith(".wasm")).length`); n != 0 {
		t.Errorf("the page fetched assess.wasm %d times before anyone touched the form", n)
	}
	tb.tabTo("#sc-q-audit_body input")
	tb.wait(fmt.Sprintf(`document.getElementById("sc-status").textContent === %q`, w.UI["load_failed"]))
	shown := func(sel string) bool {
		return eval[bool](tb, fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.getClientRects().length > 0; })()`, sel))
	}
	if !shown("#sc .sc-nojs .sc-checklist") || !shown("#sc .sc-contact a[href^='tel:']") || !shown("#sc-status") || shown("#sc-form") {
		t.Error("without the rules, the page does not show the checklist and the contact instead of the questions")
	}
	tb.axe("rules unavailable")
	tb.clean("status of 500", "integrity")
}

// adviceOnly gives advice alone, none of it about cybersecurity: since
// February 2026 nothing it offers can be subsidised (no_subsidised_service).
var adviceOnly = answers{
	assess.AuditBody:           false,
	assess.HasEnterpriseNumber: true,
	assess.HasSEPAAccount:      true,
	assess.Services:            []string{"advice"},
	assess.AdviceCybersecurity: false,
}

// selfcheckURL is the self-check page in lang.
func selfcheckURL(t *testing.T, s *site, lang string) string {
	t.Helper()
	for _, p := range s.result.Pages {
		if p.Lang == lang && p.Layout == "selfcheck" {
			return p.URL
		}
	}
	t.Fatalf("no self-check page in %s", lang)
	return ""
}

// TestAdviceReform: in each language, an advice-only provider outside
// cybersecurity reaches "not eligible" with the reason, and a provider of
// training and such advice a result with the warning to register for
// training; both by keyboard, each item's words and its link to the
// February 2026 news post as that language writes them.
func TestAdviceReform(t *testing.T) {
	if today() < "2026-02-01" {
		t.Skip("the reform applies from 2026-02-01")
	}
	s := start(t)
	for _, lang := range []string{"nl", "fr", "en"} {
		w := s.result.Texts[lang].Selfcheck
		var post string
		for _, p := range s.result.Pages {
			if p.Lang == lang && strings.HasSuffix(p.File, "nieuws/2026-01-26-hervorming-advies.md") {
				post = p.URL
			}
		}
		if post == "" {
			t.Fatalf("no February 2026 post in %s", lang)
		}
		for _, c := range []struct {
			name    string
			a       answers
			verdict string
			section string // blockers or warnings
			code    string
		}{
			{"advice only, not cybersecurity", adviceOnly, assess.VerdictNotEligible, "blockers", assess.BlockerNoSubsidisedService},
			{"training and advice, not cybersecurity", establishedPrepare, assess.VerdictPrepare, "warnings", assess.WarningAdviceNotSubsidised},
		} {
			t.Run(lang+"/"+c.name, func(t *testing.T) {
				tb := s.newTab(t)
				tb.open(selfcheckURL(t, s, lang))
				shown := tb.complete(c.a)
				if want := nativePath(t, c.a); !slices.Equal(shown, want) {
					t.Errorf("the page asked\n  %v\nthe rules ask\n  %v", shown, want)
				}
				tb.tabTo("#sc-see-result")
				tb.press(kb.Enter)
				tb.waitFocus("sc-result-title")
				tb.axe("result")
				want := assess.Evaluate(c.a.decode(t))
				if want.Verdict != c.verdict || !slices.Contains(append(want.Blockers, want.Warnings...), c.code) {
					t.Fatalf("the rules give %s %v %v, want %s with %s", want.Verdict, want.Blockers, want.Warnings, c.verdict, c.code)
				}
				checkResult(t, tb.readResult(), want, w)

				// The item says why, in the page's language, and links to
				// the post by a name that says where the link goes.
				entry := w.Blockers[c.code]
				if c.section == "warnings" {
					entry = w.Warnings[c.code]
				}
				item := eval[map[string]string](tb, fmt.Sprintf(`(() => {
  const li = document.querySelector('#sc-result [data-slot=%q] [data-code=%q]');
  if (!li) return {};
  const a = li.querySelector("a");
  return {title: li.querySelector("h4").textContent, text: li.querySelector("p").textContent,
    href: a ? a.getAttribute("href") : "", name: a ? a.textContent : ""};
})()`, c.section, c.code))
				if item["title"] != entry.Title || item["text"] != entry.Text {
					t.Errorf("%s shows\n  %q: %q\nwant\n  %q: %q", c.code, item["title"], item["text"], entry.Title, entry.Text)
				}
				if !strings.HasPrefix(item["href"], post+"#") {
					t.Errorf("%s links to %q, want the post %s", c.code, item["href"], post)
				}
				postTitle := ""
				for _, p := range s.result.Pages {
					if p.URL == post {
						postTitle = p.Title()
					}
				}
				if !strings.Contains(item["name"], postTitle) {
					t.Errorf("%s's link is named %q, which does not name the post %q", c.code, item["name"], postTitle)
				}
				tb.clean()
			})
		}
	}
}
