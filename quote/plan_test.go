package quote

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestComposePlan: the audit body's mail opens with the audit to quote,
// a table of what prices it, before the contact details; the attachment
// carries the applicant's wishes for the audit.
func TestComposePlan(t *testing.T) {
	c := composer(t)
	s := submission(t, func(m map[string]any) {
		m["preferred_period"], m["audit_language"], m["registration_number"] = "2026-09", "en", "DV.O 2023/1234"
	})
	msgs, err := c.Compose(s)
	if err != nil {
		t.Fatal(err)
	}
	audit := parse(t, msgs[0].Data)
	audit.text = strings.ReplaceAll(audit.text, "\r\n", "\n")
	nl, mw := c.selfcheck["nl"], c.mail["nl"]
	plan := mw.Mail.Headings.Plan
	at := strings.Index(audit.text, plan+"\n")
	if at < 0 || at > strings.Index(audit.text, mw.Mail.Labels.Reference+":") {
		t.Fatalf("the mail does not open with %q before the reference:\n%s", plan, audit.text)
	}
	l := mw.Mail.Labels
	for _, want := range []string{
		l.PreferredPeriod + ": september 2026",
		l.AuditLanguage + ": " + mw.Languages["en"],
		l.RegistrationNumber + ": DV.O 2023/1234",
		l.Services + ": " + nl.ChoiceLabel("services", "training") + "; " + nl.ChoiceLabel("services", "advice"),
		l.ExemptionsToClaim + ": " + nl.Exemptions["iso9001"].Title,
	} {
		if !strings.Contains(audit.text, want+"\n") {
			t.Errorf("the plan lacks %q:\n%s", want, audit.text)
		}
	}
	if !strings.Contains(audit.html, "<th scope=\"row\" style=\"text-align: left; font-weight: normal; padding: 2px 12px 2px 0; vertical-align: top\">"+l.PreferredPeriod) {
		t.Errorf("the HTML part has no row %q", l.PreferredPeriod)
	}
	var rec map[string]any
	if err := json.Unmarshal(attachmentOf(t, msgs[0].Data), &rec); err != nil {
		t.Fatal(err)
	}
	if rec["preferred_period"] != "2026-09" || rec["audit_language"] != "en" || rec["registration_number"] != "DV.O 2023/1234" {
		t.Errorf("the attachment carries %v, %v, %v", rec["preferred_period"], rec["audit_language"], rec["registration_number"])
	}
	// asap, and the record read back gives the same mails.
	s = submission(t, func(m map[string]any) { m["preferred_period"] = "asap" })
	msgs, _ = c.Compose(s)
	if text := strings.ReplaceAll(parse(t, msgs[0].Data).text, "\r\n", "\n"); !strings.Contains(text, l.PreferredPeriod+": "+mw.Form.Asap+"\n") ||
		!strings.Contains(text, l.AuditLanguage+": "+mw.Languages["fr"]+"\n") {
		t.Errorf("asap in the page's language:\n%s", text)
	}
	back, err := ParseRecord(Record(s))
	if err != nil {
		t.Fatal(err)
	}
	again, _ := c.Compose(back)
	if string(again[0].Data) != string(msgs[0].Data) || string(again[1].Data) != string(msgs[1].Data) {
		t.Error("the mails composed from the record differ")
	}
}

// attachmentOf returns the JSON attachment of a composed message.
func attachmentOf(t testing.TB, data []byte) []byte {
	t.Helper()
	for _, p := range parse(t, data).parts {
		if p.filename != "" {
			return p.data
		}
	}
	t.Fatal("no attachment")
	return nil
}
