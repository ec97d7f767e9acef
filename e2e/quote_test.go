package e2e

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"kmopsite/assess"
	"kmopsite/words"
)

// fragment writes answers as the page keeps them in the URL fragment:
// view first, then the answers in question order.
func fragment(a answers, view string) string {
	var parts []string
	if view != "" {
		parts = append(parts, "view="+view)
	}
	for _, q := range assess.Questions() {
		v, ok := a[q.ID]
		if !ok {
			continue
		}
		var s string
		switch v := v.(type) {
		case bool:
			s = map[bool]string{true: "yes", false: "no"}[v]
		case []string:
			s = strings.Join(v, ",")
		default:
			s = fmt.Sprint(v)
		}
		parts = append(parts, string(q.ID)+"="+strings.ReplaceAll(url.QueryEscape(s), "%2C", ","))
	}
	return strings.Join(parts, "&")
}

func nlQuoteWords(t *testing.T, s *site) *words.Quote {
	t.Helper()
	return s.result.Texts["nl"].Quote
}

// stored reads the request stored under a reference and its mails.
func stored(t *testing.T, s *site, ref string) (record map[string]any, mails map[string]string) {
	t.Helper()
	dir := filepath.Join(s.outbox, ref)
	data, err := os.ReadFile(filepath.Join(dir, "request.json"))
	if err != nil {
		t.Fatalf("the accepted request %s is not in the outbox: %v", ref, err)
	}
	if err := json.Unmarshal(data, &record); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	mails = map[string]string{}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		mails[filepath.Base(f)] = string(b)
	}
	return record, mails
}

// accepted waits for the request to be accepted and returns its reference.
func (tb *tab) accepted() string {
	tb.t.Helper()
	tb.wait(`document.getElementById("quote-outcome").classList.contains("is-accepted") || document.getElementById("quote-outcome").classList.contains("is-failed")`)
	if eval[bool](tb, `document.getElementById("quote-outcome").classList.contains("is-failed")`) {
		tb.t.Fatalf("the request failed: %s", eval[string](tb, `document.getElementById("quote-outcome").innerText`))
	}
	tb.waitFocus("quote-outcome")
	ref := eval[string](tb, `document.querySelector("#quote-outcome .quote-reference").textContent`)
	if !regexp.MustCompile(`^KMOP-[0-9A-Z]{5}-[0-9A-Z]{5}$`).MatchString(ref) {
		tb.t.Fatalf("reference %q", ref)
	}
	return ref
}

// TestQuoteFromResult: a quote asked from the result page, by keyboard,
// first with an email address the server refuses.
func TestQuoteFromResult(t *testing.T) {
	s := start(t)
	w := nlWords(t, s)
	qw := nlQuoteWords(t, s)
	tb := s.newTab(t)
	tb.open("/nl/zelftest/#" + fragment(starterReady, "result"))
	tb.wait(`!document.getElementById("quote").hidden && !document.getElementById("sc-result").hidden`)
	title := eval[string](tb, "document.title")

	// The call to action leads to the form.
	tb.tabTo(`.sc-actions a[href="#quote"]`)
	tb.press(kb.Enter)
	tb.waitFocus("quote-title")
	for _, f := range []struct{ id, text string }{
		{"quote-company", "Opleidingen Peeters BV"},
		{"quote-enterprise_number", "0403.019.261"},
		{"quote-name", "Anna Peeters"},
		{"quote-email", "anna@peeters"},
		{"quote-phone", "03 259 06 60"},
		{"quote-message", "Liefst een audit in maart."},
	} {
		tb.tabTo("#" + f.id)
		tb.press(f.text)
	}
	tb.tabTo("#quote-consent")
	tb.press(" ")
	tb.tabTo(`#quote-form button[type="submit"]`)
	tb.press(kb.Enter)

	tb.waitFocus("quote-errors")
	if got := eval[string](tb, `document.querySelector("#quote-errors li").innerText`); got != qw.Fields.Email.Errors.Invalid {
		t.Errorf("the error summary says %q, want %q", got, qw.Fields.Email.Errors.Invalid)
	}
	if got := eval[string](tb, "document.title"); got != w.UI["error_prefix"]+": "+title {
		t.Errorf("title %q", got)
	}
	tb.axe("quote form with an error")
	tb.screenshot("quote-error-1280", "quote-errors")
	tb.press("\t", kb.Enter)
	tb.waitFocus("quote-email")
	tb.press(kb.End, ".be")
	tb.tabTo(`#quote-form button[type="submit"]`)
	tb.press(kb.Enter)
	ref := tb.accepted()
	tb.axe("quote accepted")
	tb.screenshot("quote-accepted-1280", "quote-title")
	if got := eval[string](tb, "document.title"); got != title {
		t.Errorf("title %q after sending", got)
	}

	record, mails := stored(t, s, ref)
	if len(mails) != 2 {
		t.Errorf("the outbox holds %d mails for %s, want 2 (to the audit body and to the applicant)", len(mails), ref)
	}
	for name, m := range mails {
		if !strings.Contains(m, "anna@peeters.be") {
			t.Errorf("%s does not name the applicant's address", name)
		}
	}
	want := assess.Evaluate(starterReady.decode(t))
	if got := record["result"].(map[string]any)["verdict"]; got != want.Verdict {
		t.Errorf("the server assessed %v, the page showed %s", got, want.Verdict)
	}
	if got := record["answers"].(map[string]any)["years_active"]; got != float64(1) {
		t.Errorf("the answers sent hold years_active %v", got)
	}
	tb.clean("status of 400")
}

// TestQuoteFails: when sending fails, the page says so and offers a
// mailto: link with a short summary; a later try goes through once.
func TestQuoteFails(t *testing.T) {
	s := start(t)
	w := nlWords(t, s)
	qw := nlQuoteWords(t, s)
	tb := s.newTab(t)
	tb.open("/nl/zelftest/#" + fragment(establishedPrepare, "result"))
	tb.wait(`!document.getElementById("quote").hidden`)
	long := strings.Repeat("Wij geven opleidingen over strategie en cyberveiligheid, ook in het Frans: « é ». ", 55)
	tb.do(
		chromedp.SendKeys(chromedp.ID("quote-company"), "Advies & Co"),
		chromedp.SendKeys(chromedp.ID("quote-name"), "Jan Janssens"),
		chromedp.SendKeys(chromedp.ID("quote-email"), "jan@advies.be"),
		chromedp.SetValue(chromedp.ID("quote-message"), long),
		chromedp.Click(chromedp.ID("quote-consent")),
	)
	defer s.mode.Store(modeReal)
	send := func() {
		tb.do(chromedp.Evaluate[chromedp.Void](`document.getElementById("quote-outcome").className = "quote-outcome"`))
		tb.do(chromedp.Click(chromedp.CSS(`#quote-form button[type="submit"]`)))
		tb.wait(`/is-(accepted|failed)/.test(document.getElementById("quote-outcome").className)`)
	}

	for _, c := range []struct {
		mode int
		want string
	}{
		{modeFail503, qw.Form.FailedServer},
		{modeDrop, qw.Form.FailedNetwork},
		{modeBusy, strings.ReplaceAll(qw.Form.FailedBusy, "{minutes}", "2")},
	} {
		s.mode.Store(int32(c.mode))
		send()
		tb.waitFocus("quote-outcome")
		if got := eval[string](tb, `document.querySelector("#quote-outcome p").innerText`); got != c.want {
			t.Errorf("mode %d: the page says %q, want %q", c.mode, got, c.want)
		}
		href := eval[string](tb, `document.querySelector("#quote-outcome a.quote-mailto").href`)
		u, err := url.Parse(href)
		if err != nil || u.Scheme != "mailto" || u.Opaque != s.result.Config.Quote.To {
			t.Fatalf("mailto link %q", href)
		}
		body := u.Query().Get("body")
		if n := len([]rune(body)); n >= 1800 {
			t.Errorf("the mailto summary has %d characters, want under 1,800", n)
		}
		for _, part := range []string{qw.Form.MailtoIntro, "Advies & Co", "jan@advies.be",
			w.Verdicts[assess.VerdictPrepare].Title, "/nl/zelftest/#view=result&", "Wij geven opleidingen"} {
			if !strings.Contains(body, part) {
				t.Errorf("the mailto summary lacks %q:\n%s", part, body)
			}
		}
		if subject := u.Query().Get("subject"); !strings.Contains(subject, "Advies & Co") {
			t.Errorf("mailto subject %q", subject)
		}
		tb.axe(fmt.Sprintf("quote failed (mode %d)", c.mode))
		if c.mode == modeFail503 {
			tb.do(chromedp.EmulateViewport(360, 800))
			tb.screenshot("quote-failed-360", "quote-outcome")
		}
	}

	// The endpoint is back: the same request goes through, once.
	s.mode.Store(modeReal)
	send()
	ref := tb.accepted()
	record, mails := stored(t, s, ref)
	if len(mails) != 2 {
		t.Errorf("%d mails for %s", len(mails), ref)
	}
	if got := record["contact"].(map[string]any)["company"]; got != "Advies & Co" {
		t.Errorf("company %v", got)
	}
	tb.clean("Failed to load resource")
}

// TestQuotePage: the quote page sends the self-check's answers when its
// fragment carries them, and none when it does not.
func TestQuotePage(t *testing.T) {
	s := start(t)
	for _, c := range []struct {
		name string
		a    answers
	}{
		{"with answers", establishedPrepare},
		{"without answers", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			tb := s.newTab(t)
			path := "/nl/offerte/"
			if c.a != nil {
				path += "#" + fragment(c.a, "")
			}
			tb.open(path)
			if got := eval[bool](tb, `!document.querySelector(".quote-intro").hidden`); got != (c.a != nil) {
				t.Errorf("the intro about the answers sent along is shown: %v", got)
			}
			tb.axe("quote page " + c.name)
			tb.do(
				chromedp.SendKeys(chromedp.ID("quote-company"), "Vormingen Maes"),
				chromedp.SendKeys(chromedp.ID("quote-name"), "Els Maes"),
				chromedp.SendKeys(chromedp.ID("quote-email"), "els@maes.be"),
				chromedp.Click(chromedp.ID("quote-consent")),
				chromedp.Click(chromedp.CSS(`#quote-form button[type="submit"]`)),
			)
			ref := tb.accepted()
			record, _ := stored(t, s, ref)
			got := record["answers"].(map[string]any)
			delete(got, "date")
			if c.a == nil && len(got) != 0 {
				t.Errorf("answers sent without a self-check: %v", got)
			}
			if c.a != nil && (got["years_active"] != float64(12) || len(got) != len(c.a)) {
				t.Errorf("answers sent: %v", got)
			}
			tb.clean()
		})
	}
}
