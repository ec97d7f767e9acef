package quote

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kmopsite/endpoints"
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

// planComposer is the test composer with the estimate of site.yaml.
func planComposer(t testing.TB) *Composer {
	t.Helper()
	cfg := testConfig(t, t.TempDir())
	cfg.Estimate = &endpoints.Estimate{HourlyRate: 150, VATPercent: 21,
		Hours:        map[string][2]int{"starter": {12, 16}, "follow_up": {14, 18}, "standard": {14, 20}, "renewal": {14, 20}},
		ExtraService: [2]int{2, 4}, ExtraSite: [2]int{4, 8}}
	c, err := NewComposer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestComposeRenewalPlan: a renewal with two services, two sites in
// Belgium and one abroad: the table names the audit, the sites, the legal
// form, the exemption, the estimate of the formula and the due date, and
// the confirmation repeats the documents as a checklist and the estimate
// in the applicant's language, with and without VAT.
func TestComposeRenewalPlan(t *testing.T) {
	c := planComposer(t)
	s := submission(t, func(m map[string]any) {
		a := m["answers"].(map[string]any)
		delete(a, "years_active")
		delete(a, "kmop_dossiers")
		a["audit_kind"], a["registration_date"] = "renewal", "2022-01-10"
		a["ready_experience"], a["ready_satisfaction"] = "yes", "yes"
		a["legal_form"], a["sites_belgium"], a["sites_abroad"] = "natural_person", 2, 1
		m["preferred_period"], m["registration_number"] = "asap", "DV.O 2022/77"
	})
	if s.Result.Plan.Audit != "renewal" || s.Result.Plan.DueDate != "2027-01-10" || !s.Result.Plan.Complete {
		t.Fatalf("plan %+v", s.Result.Plan)
	}
	msgs, err := c.Compose(s)
	if err != nil {
		t.Fatal(err)
	}
	nl, mw := c.selfcheck["nl"], c.mail["nl"]
	l := mw.Mail.Labels
	text := strings.ReplaceAll(parse(t, msgs[0].Data).text, "\r\n", "\n")
	// (14 + 2×1 + 4×1) × 150 = 3000; (20 + 4 + 8) × 150 = 4800
	for _, want := range []string{
		mw.Mail.Headings.Plan + "\n",
		l.Audit + ": " + nl.Audits["renewal"].Title + "\n",
		l.SitesBelgium + ": 2\n",
		l.SitesAbroad + ": 1\n",
		l.LegalForm + ": " + nl.ChoiceLabel("legal_form", "natural_person") + "\n",
		l.ExemptionsToClaim + ": " + nl.Exemptions["iso9001"].Title + "\n",
		l.Estimate + ": " + expand(l.EstimateRange, "low", "3.000", "high", "4.800") + "\n",
		l.DueDate + ": 10 januari 2027\n",
		l.PreferredPeriod + ": " + mw.Form.Asap + "\n",
		l.RegistrationNumber + ": DV.O 2022/77\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the audit body's mail lacks %q:\n%s", want, text)
		}
	}
	var rec struct {
		Result struct {
			Plan struct {
				Audit     string   `json:"audit"`
				Documents []string `json:"documents"`
				DueDate   string   `json:"due_date"`
			} `json:"plan"`
		} `json:"result"`
		RegistrationNumber string `json:"registration_number"`
	}
	if err := json.Unmarshal(attachmentOf(t, msgs[0].Data), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Result.Plan.Audit != "renewal" || rec.Result.Plan.DueDate != "2027-01-10" || len(rec.Result.Plan.Documents) == 0 || rec.RegistrationNumber != "DV.O 2022/77" {
		t.Errorf("the attachment carries %+v", rec)
	}

	fr, fw := c.selfcheck["fr"], c.mail["fr"]
	confirm := strings.ReplaceAll(parse(t, msgs[1].Data).text, "\r\n", "\n")
	at := strings.Index(confirm, fw.Mail.Headings.Documents+"\n")
	if at < 0 {
		t.Fatalf("the confirmation has no checklist:\n%s", confirm)
	}
	last := at
	for _, d := range s.Result.Plan.Documents {
		i := strings.Index(confirm, "- ☐ "+fr.Documents[d].Title+"\n")
		if i < last {
			t.Errorf("the checklist lacks %s (%q) in its place", d, fr.Documents[d].Title)
		}
		last = i
	}
	for _, want := range []string{
		expand(fw.Mail.Labels.EstimateRange, "low", "3\u202f000", "high", "4\u202f800"),
		expand(fw.Mail.Labels.EstimateVAT, "low", "3\u202f630", "high", "5\u202f808", "vat", "21"),
		fw.Mail.Labels.EstimateNote,
	} {
		if !strings.Contains(confirm, want) {
			t.Errorf("the confirmation lacks %q:\n%s", want, confirm)
		}
	}
	if strings.Contains(confirm, "DV.O 2022/77") || strings.Contains(confirm, fw.Mail.Headings.Plan) {
		t.Error("the confirmation shows the audit body's table")
	}

	// Without estimate: settings, no amount anywhere.
	msgs, _ = composer(t).Compose(s)
	for _, m := range msgs {
		if txt := parse(t, m.Data).text; strings.Contains(txt, "4.800") || strings.Contains(txt, "4\u202f800") || strings.Contains(txt, l.Estimate) || strings.Contains(txt, fw.Mail.Labels.Estimate) {
			t.Errorf("%s names an amount without estimate: settings", m.Name)
		}
	}
}

// TestComposeNoPlanForOldResults: a record judged before the plan existed
// is composed without the plan's table or checklist, as it was.
func TestComposeNoPlanForOldResults(t *testing.T) {
	c := planComposer(t)
	data, err := os.ReadFile(filepath.Join(storedV1, "outbox", storedV1ID, recordName))
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseRecord(data)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := c.Compose(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		txt := parse(t, m.Data).text
		for _, h := range []string{c.mail["nl"].Mail.Headings.Plan, c.mail["fr"].Mail.Headings.Documents, c.mail["fr"].Mail.Labels.Estimate} {
			if strings.Contains(txt, h) {
				t.Errorf("%s of a request judged before the plan shows %q", m.Name, h)
			}
		}
	}
}

// TestAmount: whole euro with each language's separator.
func TestAmount(t *testing.T) {
	for _, tc := range []struct {
		n        int
		sep, out string
	}{{0, ".", "0"}, {999, ".", "999"}, {1000, ".", "1.000"}, {21000, ",", "21,000"}, {1234567, "\u202f", "1\u202f234\u202f567"}, {4800, "", "4800"}} {
		if got := amount(tc.n, tc.sep); got != tc.out {
			t.Errorf("amount(%d, %q) = %q, want %q", tc.n, tc.sep, got, tc.out)
		}
	}
}

// TestEstimateThroughTheEndpointsFile: the estimate the build writes into
// the endpoints' file reaches the mails of serve, host and the Worker,
// which all make their configuration with ConfigFrom.
func TestEstimateThroughTheEndpointsFile(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	f := &endpoints.File{SiteName: cfg.SiteName, DefaultLang: "nl", Langs: testLangs,
		Quote:    endpoints.Quote{Endpoint: "/api/quote", To: cfg.To, From: cfg.From},
		Estimate: planComposer(t).estimate, Words: map[string]endpoints.Words{}}
	for _, l := range testLangs {
		f.Words[l] = endpoints.Words{Selfcheck: cfg.Words[l], Quote: cfg.Mail[l]}
	}
	read, err := endpoints.Parse(f.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewComposer(ConfigFrom(read))
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := c.Compose(submission(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	// the sample: a starter with two services, one site: (12 + 2) × 150, (16 + 4) × 150
	l := c.mail["fr"].Mail.Labels
	if text := parse(t, msgs[1].Data).text; !strings.Contains(text, expand(l.EstimateRange, "low", "2\u202f100", "high", "3\u202f000")) {
		t.Errorf("the confirmation does not name the estimate of the file:\n%s", text)
	}
}

// TestSMTPDeliversThePlan: a renewal with the audit's questions, posted
// to the handler of serve and host, is stored as two .eml in the outbox
// and delivered through a real SMTP server: the audit body's mail opens
// with the plan's table, the confirmation carries the checklist, each as
// stored, byte for byte.
func TestSMTPDeliversThePlan(t *testing.T) {
	ms := startMailServer(t)
	h, dir := smtpHandler(t, ms, nil)
	resp := post(t, h, body(func(m map[string]any) {
		a := m["answers"].(map[string]any)
		delete(a, "years_active")
		delete(a, "kmop_dossiers")
		a["audit_kind"], a["registration_date"] = "renewal", "2022-05-02"
		a["ready_experience"], a["ready_satisfaction"] = "yes", "yes"
		a["legal_form"], a["sites_belgium"], a["sites_abroad"] = "company", 1, 0
		m["preferred_period"], m["audit_language"], m["registration_number"] = "asap", "en", "DV.O 2022/0815"
	}), nil)
	if resp.status != 202 {
		t.Fatalf("%d %v", resp.status, resp.errors)
	}
	got := ms.waitFor(t, 2, 10*time.Second)
	// The outbox keeps both, marked sent, once the request is done.
	waitMoved(t, dir, sentDir, resp.id)
	outbox := map[string][]byte{}
	for _, name := range []string{AuditMessage, ApplicantMessage} {
		data, err := os.ReadFile(filepath.Join(dir, sentDir, resp.id, strings.TrimSuffix(name, ".eml")+sentExt))
		if err != nil {
			t.Fatalf("the outbox has no %s: %v", name, err)
		}
		outbox[name] = data
	}
	mw, fw := h.comp.mail["nl"], h.comp.mail["fr"]
	for _, m := range got {
		name, want := ApplicantMessage, "- ☐ "+h.comp.selfcheck["fr"].Documents["dossier_list_5_years"].Title+"\n"
		if m.to[0] == "be.info@kiwa.com" {
			name, want = AuditMessage, mw.Mail.Headings.Plan+"\n"
		}
		if !bytes.Equal(normalizeCRLF(m.data), normalizeCRLF(outbox[name])) {
			t.Errorf("%s was delivered other than the outbox holds it", name)
		}
		text := strings.ReplaceAll(parse(t, m.data).text, "\r\n", "\n")
		if !strings.Contains(text, want) {
			t.Errorf("%s lacks %q:\n%s", name, want, text)
		}
		if name == AuditMessage && !strings.Contains(text, mw.Mail.Labels.RegistrationNumber+": DV.O 2022/0815\n") {
			t.Errorf("the audit body's mail lacks the registration number:\n%s", text)
		}
		if name == ApplicantMessage && strings.Contains(text, fw.Mail.Headings.Plan) {
			t.Error("the confirmation shows the audit body's table")
		}
	}
}
