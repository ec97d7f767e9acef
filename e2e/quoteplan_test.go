package e2e

import (
	"io"
	"mime/quotedprintable"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kmopsite/assess"
	"kmopsite/words"
)

// renewalReady is starterReady five years on: a renewal of the
// registration that began on 2 May 2022, at two sites in Belgium.
var renewalReady = func() answers {
	a := answers{}
	for k, v := range starterReady {
		a[k] = v
	}
	delete(a, assess.YearsActive)
	delete(a, assess.KMOPDossiers)
	a[assess.AuditKind] = "renewal"
	a[assess.RegistrationDate] = "2022-05-02"
	a[assess.ReadyExperience] = "yes"
	a[assess.ReadySatisfaction] = "yes"
	a[assess.LegalForm] = "company"
	a[assess.SitesBelgium] = 2
	a[assess.SitesAbroad] = 0
	return a
}()

// TestQuoteAuditQuestions: the quote form on the result asks when and in
// which language the audit is wanted (the next twelve months from the
// visitor's day, the page's language chosen), and the current
// registration number for a renewal only; what is chosen reaches the
// stored request and the audit body's mail.
func TestQuoteAuditQuestions(t *testing.T) {
	s := start(t)
	qw := nlQuoteWords(t, s)

	// A first audit: no registration number to ask.
	tb := s.newTab(t)
	tb.open("/nl/zelftest/#" + fragment(starterReady, "result"))
	tb.wait(`!document.getElementById("quote").hidden`)
	if eval[bool](tb, `!document.querySelector('[data-field="registration_number"]').hidden`) {
		t.Error("the registration number is asked for a first audit")
	}

	// A renewal.
	tb = s.newTab(t)
	tb.open("/nl/zelftest/#" + fragment(renewalReady, "result"))
	tb.wait(`!document.getElementById("quote").hidden`)
	if eval[bool](tb, `document.querySelector('[data-field="registration_number"]').hidden`) {
		t.Fatal("the registration number is not asked for a renewal")
	}
	months := eval[[]string](tb, `[...document.getElementById("quote-preferred_period").options].map((o) => o.value + "=" + o.textContent)`)
	now := time.Now()
	next := time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, time.Local)
	last := time.Date(now.Year(), now.Month()+12, 1, 0, 0, 0, 0, time.Local)
	if len(months) != 13 || months[0] != "asap="+qw.Form.Asap ||
		months[1] != next.Format("2006-01")+"="+qw.Months.Name(int(next.Month()))+" "+next.Format("2006") ||
		!strings.HasPrefix(months[12], last.Format("2006-01")+"=") {
		t.Errorf("the preferred period offers %q", months)
	}
	if got := eval[string](tb, `document.getElementById("quote-audit_language").value`); got != "nl" {
		t.Errorf("the audit language is %q at first, want the page's, nl", got)
	}
	tb.axe("quote form of a renewal")
	low := eval[string](tb, `document.querySelector("[data-plan] [data-estimate-low]").dataset.estimateLow`)
	high := eval[string](tb, `document.querySelector("[data-plan] [data-estimate-high]").dataset.estimateHigh`)
	chosen := months[3][:7]
	tb.do(
		chromedp.SendKeys(chromedp.ID("quote-company"), "Opleidingen Peeters BV"),
		chromedp.SendKeys(chromedp.ID("quote-name"), "Anna Peeters"),
		chromedp.SendKeys(chromedp.ID("quote-email"), "anna@peeters.be"),
		chromedp.SetValue(chromedp.ID("quote-preferred_period"), chosen),
		chromedp.SetValue(chromedp.ID("quote-audit_language"), "fr"),
		chromedp.SendKeys(chromedp.ID("quote-registration_number"), "DV.O 2022/0815"),
		chromedp.Click(chromedp.ID("quote-consent")),
		chromedp.Click(chromedp.CSS(`#quote-form button[type="submit"]`)),
	)
	ref := tb.accepted()
	record, mails := stored(t, s, ref)
	if record["preferred_period"] != chosen || record["audit_language"] != "fr" || record["registration_number"] != "DV.O 2022/0815" {
		t.Errorf("stored %v, %v, %v; want %s, fr, DV.O 2022/0815", record["preferred_period"], record["audit_language"], record["registration_number"], chosen)
	}
	plan, _ := record["result"].(map[string]any)["plan"].(map[string]any)
	if plan["audit"] != "renewal" || plan["due_date"] != "2027-05-02" {
		t.Errorf("the stored result's plan: %v", plan)
	}
	if m := mails["audit-body.eml"]; !strings.Contains(m, "DV.O 2022/0815") || !strings.Contains(m, qw.Mail.Headings.Plan) {
		t.Error("the audit body's mail does not open with the plan and the registration number")
	}
	// The confirmation repeats the estimate the page showed.
	confirm, _ := io.ReadAll(quotedprintable.NewReader(strings.NewReader(mails["applicant.eml"])))
	l := qw.Mail.Labels
	if want := expand(l.EstimateRange, "low", thousands(low, l.Thousands), "high", thousands(high, l.Thousands)); low == "" || !strings.Contains(string(confirm), want) {
		t.Errorf("the confirmation does not repeat the page's estimate %s to %s (%q):\n%s", low, high, want, confirm)
	}
	tb.clean()
}

func expand(s string, vars ...string) string { return words.Expand(s, vars...) }

// thousands writes whole euro as the mails do.
func thousands(n, sep string) string {
	var b strings.Builder
	for i, r := range n {
		if i > 0 && (len(n)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}
