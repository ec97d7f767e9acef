package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"kmopsite/assess"
	"kmopsite/build"
)

// withAnswers returns a copy of a with more answers.
func withAnswers(a answers, kv ...any) answers {
	b := answers{}
	for k, v := range a {
		b[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		b[kv[i].(assess.QuestionID)] = kv[i+1]
	}
	return b
}

// without returns a copy of a without ids.
func withoutAnswers(a answers, ids ...assess.QuestionID) answers {
	b := withAnswers(a)
	for _, id := range ids {
		delete(b, id)
	}
	return b
}

// plans are the applicants of the plan's tests: every audit kind, both
// legal forms, up to three exemptions, a due date in the future and one
// past.
func plans() map[string]answers {
	plan := func(a answers, form string, be, abroad int) answers {
		return withAnswers(a, assess.LegalForm, form, assess.SitesBelgium, be, assess.SitesAbroad, abroad)
	}
	followUp := withAnswers(withoutAnswers(starterReady, assess.YearsActive, assess.KMOPDossiers),
		assess.AuditKind, "follow_up", assess.RegistrationDate, "2025-11-30",
		assess.ReadyExperience, "yes", assess.ReadySatisfaction, "partly")
	renewal := withAnswers(withoutAnswers(establishedPrepare, assess.YearsActive),
		assess.AuditKind, "renewal", assess.RegistrationDate, "2021-05-31",
		assess.Certificates, []string{"iso9001", "qfor", "wse"})
	return map[string]answers{
		"starter, company":                     plan(starterReady, "company", 1, 0),
		"standard, sole trader, 3 exemptions":  plan(withAnswers(establishedPrepare, assess.Certificates, []string{"iso9001", "qfor"}), "natural_person", 2, 1),
		"follow-up, sole trader":               plan(followUp, "natural_person", 1, 0),
		"follow-up, company, one exemption":    plan(withAnswers(followUp, assess.Memberships, []string{"ibr"}), "company", 3, 2),
		"renewal overdue, company, exemptions": plan(renewal, "company", 2, 0),
		"renewal overdue, sole trader":         plan(renewal, "natural_person", 1, 1),
	}
}

// TestPlan: a shared link to the result shows the plan in every language:
// one data-plan element in the live page, the documents as checkboxes in
// the rules' order, and for a follow-up or renewal a reminder whose
// calendar parses (github.com/arran4/golang-ical) with an all-day event on
// the reminder day.
func TestPlan(t *testing.T) {
	s := start(t)
	for _, lang := range []string{"nl", "fr", "en"} {
		for name, a := range plans() {
			t.Run(lang+" "+name, func(t *testing.T) {
				want := assess.Evaluate(a.decode(t))
				if !want.Plan.Complete {
					t.Fatalf("the test's plan is not complete: %+v", want.Plan)
				}
				tb := s.newTab(t)
				tb.open(selfcheckURL(t, s, lang) + "#" + fragment(a, "result"))
				tb.wait(`!document.getElementById("sc-result").hidden && document.getElementById("sc-result").dataset.verdict`)
				if n := eval[int](tb, `document.querySelectorAll("[data-plan]").length`); n != 1 {
					t.Fatalf("%d elements with data-plan", n)
				}
				if eval[bool](tb, `document.querySelector("[data-plan]").closest("[hidden]") !== null`) {
					t.Fatal("the plan is hidden")
				}
				docs := eval[[]string](tb, `[...document.querySelectorAll("[data-plan] [data-document]")].filter((e) => !e.closest("template")).map((e) => e.dataset.document)`)
				if !slices.Equal(docs, want.Plan.Documents) {
					t.Errorf("documents %v, want %v", docs, want.Plan.Documents)
				}
				if n := eval[int](tb, `document.querySelectorAll('[data-plan] [data-document] input[type="checkbox"]').length`); n != len(want.Plan.Documents) {
					t.Errorf("%d checkboxes for %d documents", n, len(want.Plan.Documents))
				}
				// The estimate: one element in the plan, whole euro excluding
				// VAT, as site.yaml's estimate: gives it.
				if e := build.EstimateOf(s.result.Config); e != nil {
					services, _ := a[assess.Services].([]string)
					sites, _ := a[assess.SitesBelgium].(int)
					low, high, _ := e.Range(want.Plan.Audit, len(services), sites)
					got := eval[[]string](tb, `[...document.querySelectorAll("[data-plan] [data-estimate-low][data-estimate-high]")].map((e) => e.dataset.estimateLow + "-" + e.dataset.estimateHigh)`)
					if len(got) != 1 || got[0] != fmt.Sprintf("%d-%d", low, high) {
						t.Errorf("the estimate reads %v, want one %d-%d", got, low, high)
					}
				}
				href := eval[string](tb, `(document.querySelector('[data-plan] a[download$=".ics"][href^="data:"]') || {}).href || ""`)
				if want.Plan.ReminderDate == "" {
					if href != "" {
						t.Errorf("a reminder without a reminder date")
					}
				} else {
					checkICS(t, href, want.Plan.ReminderDate, lang)
				}
				tb.axe("plan " + lang + " " + name)
				tb.clean()
			})
		}
	}
}

// checkICS parses the data: URL of a reminder.
func checkICS(t *testing.T, href, day, lang string) {
	t.Helper()
	data, ok := strings.CutPrefix(href, "data:text/calendar;charset=utf-8,")
	if !ok {
		t.Fatalf("the reminder's href is not a data:text/calendar URL: %.60s", href)
	}
	text, err := url.PathUnescape(data)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(text, "\n") != strings.Count(text, "\r\n") {
		t.Error("the calendar's lines do not end in CRLF")
	}
	cal, err := ics.ParseCalendar(strings.NewReader(text))
	if err != nil {
		t.Fatalf("the calendar does not parse: %v\n%s", err, text)
	}
	events := cal.Events()
	if len(events) != 1 {
		t.Fatalf("%d events", len(events))
	}
	start, err := events[0].GetAllDayStartAt()
	if err != nil || start.Format("2006-01-02") != day {
		t.Errorf("the event starts %v (%v), want all day on %s", start, err, day)
	}
	if !strings.Contains(text, "DTSTART;VALUE=DATE:"+strings.ReplaceAll(day, "-", "")+"\r\n") {
		t.Errorf("no all-day DTSTART on %s", day)
	}
	if events[0].Id() == "" || !strings.Contains(text, "\r\nDTSTAMP:") || !strings.Contains(text, "\r\nPRODID:") {
		t.Error("UID, DTSTAMP or PRODID missing")
	}
	if !strings.Contains(text, "SUMMARY;LANGUAGE="+lang) {
		t.Errorf("the summary is not in %s", lang)
	}
}

// TestPlanPrint: printing the result view (Chromium's print to PDF, A4)
// gives at most two pages for every audit kind, both legal forms and up
// to three exemptions, without the page's buttons.
func TestPlanPrint(t *testing.T) {
	s := start(t)
	pageCount := regexp.MustCompile(`/Type\s*/Page[^s]`)
	for _, lang := range []string{"nl", "fr"} {
		for name, a := range plans() {
			t.Run(lang+" "+name, func(t *testing.T) {
				tb := s.newTab(t)
				tb.open(selfcheckURL(t, s, lang) + "#" + fragment(a, "result"))
				tb.wait(`!document.getElementById("sc-result").hidden && document.getElementById("sc-result").dataset.verdict`)
				var pdf []byte
				prefer := true
				tb.do(chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
					res, err := cdp.Call(ctx, target, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69, PreferCSSPageSize: &prefer})
					pdf = res.Data
					return err
				}))
				if !bytes.HasPrefix(pdf, []byte("%PDF")) {
					t.Fatal("not a PDF")
				}
				if dir := os.Getenv("KMOPSITE_PDF_DIR"); dir != "" {
					os.WriteFile(filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+".pdf"), pdf, 0o644)
				}
				if n := len(pageCount.FindAll(pdf, -1)); n < 1 || n > 2 {
					t.Errorf("the printed result has %d pages, want 1 or 2", n)
				}
				hidden := eval[bool](tb, `(() => {
  const sheets = [...document.styleSheets];
  let text = "";
  for (const s of sheets) { try { for (const r of s.cssRules) text += r.cssText; } catch (e) {} }
  return /@media print/.test(text) && /\.sc-actions/.test(text) && /\.lang-switch/.test(text);
})()`)
				if !hidden {
					t.Error("the print style does not hide the buttons and the language switch")
				}
			})
		}
	}
}

// TestPlanQuestions: after the result, the invitation leads through the
// three plan questions, one page each, by keyboard, and back to the
// result, whose plan now lists the sole trader's documents; an impossible
// registration date is refused with its error.
func TestPlanQuestions(t *testing.T) {
	s := start(t)
	tb := s.newTab(t)
	a := withAnswers(establishedPrepare, assess.LegalForm, "natural_person", assess.SitesBelgium, 2, assess.SitesAbroad, 0)
	tb.open("/nl/zelftest/#" + fragment(establishedPrepare, "result"))
	tb.wait(`!document.getElementById("sc-result").hidden && document.getElementById("sc-result").dataset.verdict`)
	if eval[bool](tb, `document.querySelector("[data-plan-invite]").hidden`) {
		t.Fatal("no invitation to complete the plan")
	}
	tb.tabTo("[data-plan-invite] a")
	tb.press(kb.Enter)
	for _, id := range []assess.QuestionID{assess.LegalForm, assess.SitesBelgium, assess.SitesAbroad} {
		tb.waitFocus("sc-h-" + string(id))
		tb.axe("plan question " + string(id))
		tb.answer(id, a)
	}
	tb.waitFocus("sc-result-title")
	want := assess.Evaluate(a.decode(t))
	docs := eval[[]string](tb, `[...document.querySelectorAll("[data-plan] [data-document]")].map((e) => e.dataset.document)`)
	if !slices.Equal(docs, want.Plan.Documents) || !slices.Contains(docs, assess.DocIncomeStatements) {
		t.Errorf("documents %v, want %v", docs, want.Plan.Documents)
	}
	if !eval[bool](tb, `document.querySelector("[data-plan-invite]").hidden`) {
		t.Error("the invitation stays after the plan is complete")
	}
	if !strings.Contains(eval[string](tb, `location.hash`), "legal_form=natural_person") {
		t.Error("the fragment does not keep the plan's answers")
	}

	// An impossible date on the audit kind's page.
	tb.open("/nl/zelftest/#" + fragment(withoutAnswers(followUpPrepare, assess.RegistrationDate), "audit_kind"))
	tb.wait(`!document.getElementById("sc-q-audit_kind").hidden`)
	w := nlWords(t, s)
	for _, c := range []struct{ d, m, y, want string }{
		{"31", "4", "2025", w.Questions["registration_date"].Error},
		{"", "", "", w.Questions["registration_date"].Error},
		{"1", "1", "2013", w.UI["date_before_2014"]},
		{"1", "1", "2099", w.UI["date_after_today"]},
	} {
		tb.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
  document.getElementById("sc-registration_date-day").value = %q;
  document.getElementById("sc-registration_date-month").value = %q;
  document.getElementById("sc-registration_date-year").value = %q;
})()`, c.d, c.m, c.y)))
		tb.tabTo(".sc-continue")
		tb.press(kb.Enter)
		tb.waitFocus("sc-errors")
		if got := eval[string](tb, `document.getElementById("sc-err-registration_date").textContent`); !strings.Contains(got, c.want) {
			t.Errorf("%s-%s-%s: the error reads %q, want %q", c.y, c.m, c.d, got, c.want)
		}
	}
	tb.clean()
}
