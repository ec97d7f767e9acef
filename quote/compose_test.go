package quote

import (
	"bytes"
	"encoding/json"
	"html"
	"mime"
	"net/mail"
	"reflect"
	"strings"
	"testing"
	"time"

	"kmopsite/assess"
	"kmopsite/assess/codec"
	"kmopsite/words"
)

// submission decodes the sample request as the handler would.
func submission(t testing.TB, edit func(m map[string]any)) *Submission {
	t.Helper()
	req, errs, err := Decode(body(edit), "2026-03-14", testLangs)
	if err != nil || errs != nil {
		t.Fatal(errs, err)
	}
	return &Submission{ID: "KMOP-7K3MQ-9PXD2", Received: time.Date(2026, 3, 14, 9, 5, 0, 0, time.UTC),
		Lang: req.Lang, Contact: req.Contact, Answers: req.Answers, Result: assess.Evaluate(req.Answers), Audit: req.Audit}
}

func composer(t testing.TB) *Composer {
	t.Helper()
	c, err := NewComposer(testConfig(t, t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// parsedMessage is a composed message read back with the standard library,
// as a mail client would.
type parsedMessage struct {
	header mail.Header
	parts  []mailPart
	text   string
	html   string
}

func parse(t testing.TB, data []byte) parsedMessage {
	t.Helper()
	checkWireFormat(t, data)
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	pm := parsedMessage{header: m.Header}
	if err := walkParts(m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), "", m.Body, &pm.parts); err != nil {
		t.Fatal(err)
	}
	for _, p := range pm.parts {
		switch p.ctype {
		case "text/plain":
			pm.text = string(p.data)
		case "text/html":
			pm.html = string(p.data)
		}
	}
	return pm
}

// checkWireFormat checks RFC 5322's rules of the road: CRLF line ends only,
// lines of at most 998 octets, headers in ASCII and folded to 78 where
// they have spaces to fold at.
func checkWireFormat(t testing.TB, data []byte) {
	t.Helper()
	if bytes.Contains(bytes.ReplaceAll(data, []byte("\r\n"), nil), []byte("\n")) ||
		bytes.Contains(bytes.ReplaceAll(data, []byte("\r\n"), nil), []byte("\r")) {
		t.Error("a bare CR or LF in the message")
	}
	head, _, _ := bytes.Cut(data, []byte("\r\n\r\n"))
	for _, line := range strings.Split(string(data), "\r\n") {
		if len(line) > 998 {
			t.Errorf("line of %d octets", len(line))
		}
	}
	for _, line := range strings.Split(string(head), "\r\n") {
		for _, c := range []byte(line) {
			if c >= 0x80 || c < 0x20 && c != '\t' {
				t.Errorf("header line with byte %#x: %q", c, line)
				break
			}
		}
		if len(line) > 78 && strings.Contains(strings.TrimLeft(line, " "), " ") {
			t.Errorf("header line of %d characters not folded: %q", len(line), line)
		}
	}
}

func decoded(t testing.TB, h mail.Header, key string) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(h.Get(key))
	if err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	return s
}

func TestComposeAuditMail(t *testing.T) {
	s := submission(t, nil)
	msgs, err := composer(t).Compose(s)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || msgs[0].Name != AuditMessage || msgs[1].Name != ApplicantMessage {
		t.Fatalf("messages %v", msgs)
	}
	m := msgs[0]
	if m.From != "noreply@kiwa.example" || len(m.To) != 1 || m.To[0] != "be.info@kiwa.com" {
		t.Errorf("envelope %s → %v", m.From, m.To)
	}
	p := parse(t, m.Data)
	for key, want := range map[string]string{
		"From":             `"Kiwa Belgium" <noreply@kiwa.example>`,
		"To":               "<be.info@kiwa.com>",
		"Reply-To":         "Zoë Dubois-Ülker <zoe@formations.example>",
		"Subject":          "Offerteaanvraag KMOP-7K3MQ-9PXD2: Formations Économie Sàrl",
		"Message-ID":       "<KMOP-7K3MQ-9PXD2.audit@kiwa.example>",
		"Content-Language": "nl",
		"Date":             "Sat, 14 Mar 2026 09:05:00 +0000",
		"MIME-Version":     "1.0",
	} {
		if got := decoded(t, p.header, key); got != want {
			t.Errorf("%s: %q, want %q", key, got, want)
		}
	}
	if ra, err := p.header.AddressList("Reply-To"); err != nil || ra[0].Name != "Zoë Dubois-Ülker" || ra[0].Address != "zoe@formations.example" {
		t.Errorf("Reply-To does not parse back to the applicant: %v %v", ra, err)
	}
	if len(p.parts) != 3 || p.parts[0].ctype != "text/plain" || p.parts[1].ctype != "text/html" || p.parts[2].ctype != "application/json" {
		t.Fatalf("parts %v, want text, HTML and the JSON attachment", p.parts)
	}

	// In the audit body's language, every answer and code in words.
	sc, _ := loadWords(t)
	nl := sc["nl"]
	want := []string{
		"Resultaat van de zelftest", "Taal van de aanvrager: Frans",
		"Ontvangen: 2026-03-14 10:05 CET",
		"Bedrijf", "0403.019.261", "+3232590660", "Nous voudrions un audit en mars.",
		nl.Verdicts[s.Result.Verdict].Title, nl.Tracks["starter"].Title, "registratie voor 2 jaar",
		nl.Warnings["advice_not_subsidised"].Title, nl.Exemptions["iso9001"].Title,
		nl.Requirements["experience"].Title + ": " + nl.Statuses["exempt_starter"],
		nl.Requirements["knowledge"].Title + ": " + nl.Statuses["partly"],
		nl.Steps["register_online"].Title,
		nl.Questions["themes"].Choices["digitalisation"],
		KMOPjson(s),
	}
	want[3] = composerWords(t).Mail.Labels.Company
	for _, q := range assess.Questions() {
		if _, ok := s.Answers.Get(q.ID); ok && assess.Asked(s.Answers, q.ID) {
			want = append(want, nl.QuestionText(q.ID))
		}
	}
	for _, w := range want {
		if !strings.Contains(p.text, w) {
			t.Errorf("text part lacks %q", w)
		}
		for _, piece := range strings.Split(w, ": ") { // label and value in cells of their own
			if !strings.Contains(p.html, htmlEscape(piece)) {
				t.Errorf("HTML part lacks %q", htmlEscape(piece))
			}
		}
	}
	if !strings.Contains(p.text, nl.QuestionText(assess.AuditBody)+": "+nl.UI["no"]) {
		t.Error("a yes/no answer is not in words")
	}

	// The attachment: the answers and the server's result.
	var rec struct {
		Reference string          `json:"reference"`
		Lang      string          `json:"lang"`
		Contact   Contact         `json:"contact"`
		Answers   json.RawMessage `json:"answers"`
		Result    assess.Result   `json:"result"`
	}
	if err := json.Unmarshal(p.parts[2].data, &rec); err != nil {
		t.Fatal(err)
	}
	if p.parts[2].filename != "KMOP-7K3MQ-9PXD2.json" || rec.Reference != s.ID || rec.Lang != "fr" || rec.Contact != s.Contact {
		t.Errorf("attachment %q: %+v", p.parts[2].filename, rec)
	}
	a, err := codec.Decode(rec.Answers, "")
	if err != nil {
		t.Fatal(err)
	}
	if a.Date != "2026-03-14" {
		t.Errorf("answers dated %q, want the server's day", a.Date)
	}
	if rec.Result.Verdict != assess.Evaluate(a).Verdict || rec.Result.Track != "starter" {
		t.Errorf("result %+v", rec.Result)
	}
}

// KMOPjson names the attachment as the text part mentions it.
func KMOPjson(s *Submission) string { return s.ID + ".json" }

func composerWords(t testing.TB) *words.Quote {
	_, mw := loadWords(t)
	return mw["nl"]
}

func htmlEscape(s string) string { return html.EscapeString(s) }

func TestComposeConfirmation(t *testing.T) {
	s := submission(t, nil)
	msgs, err := composer(t).Compose(s)
	if err != nil {
		t.Fatal(err)
	}
	m := msgs[1]
	if len(m.To) != 1 || m.To[0] != "zoe@formations.example" {
		t.Errorf("envelope to %v", m.To)
	}
	p := parse(t, m.Data)
	for key, want := range map[string]string{
		"To":               "Zoë Dubois-Ülker <zoe@formations.example>",
		"Reply-To":         "<be.info@kiwa.com>",
		"Subject":          "Votre demande de devis chez Kiwa Belgium (KMOP-7K3MQ-9PXD2)",
		"Message-ID":       "<KMOP-7K3MQ-9PXD2.applicant@kiwa.example>",
		"Content-Language": "fr",
		"Auto-Submitted":   "auto-generated",
	} {
		if got := decoded(t, p.header, key); got != want {
			t.Errorf("%s: %q, want %q", key, got, want)
		}
	}
	if len(p.parts) != 2 {
		t.Errorf("parts %v, want text and HTML only", p.parts)
	}
	sc, _ := loadWords(t)
	fr := sc["fr"]
	for _, w := range []string{"Bonjour Zoë Dubois-Ülker,", "KMOP-7K3MQ-9PXD2", fr.Verdicts[s.Result.Verdict].Title,
		fr.Tracks["starter"].Title, fr.Steps["sign_declaration"].Title, "be.info@kiwa.com", "https://www.kiwa.example/be/fr/privacy/"} {
		if !strings.Contains(p.text, w) {
			t.Errorf("confirmation lacks %q", w)
		}
	}
	if strings.Contains(p.text, "Nous voudrions") {
		t.Error("the confirmation repeats the free message, which would let anyone mail any text to any address")
	}
}

func TestComposeHeaderInjection(t *testing.T) {
	for _, name := range []string{
		"Eve\r\nBcc: victim@example.com",
		"Eve\nBcc: victim@example.com",
		"Eve\rBcc: victim@example.com",
		"Eve\u2028Bcc: victim@example.com",
		"Eve\u0085Bcc: victim@example.com",
		`"Eve" <eve@evil.example>, victim@example.com`,
		"=?utf-8?q?Bcc:_victim@example.com?=",
		strings.Repeat("Ééé ", 50),
		strings.Repeat("Ü", 200),
		"<script>alert(1)</script> & \"Co\"",
	} {
		s := submission(t, nil)
		s.Contact.Name = name
		s.Contact.Company = name
		msgs, err := composer(t).Compose(s)
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		for _, m := range msgs {
			p := parse(t, m.Data)
			for k := range p.header {
				switch k {
				case "Date", "Message-Id", "From", "To", "Reply-To", "Subject", "Content-Language",
					"X-Quote-Reference", "Mime-Version", "Content-Type", "Auto-Submitted":
				default:
					t.Errorf("%q added header %q", name, k)
				}
			}
			for _, k := range []string{"To", "Reply-To"} {
				if list, err := p.header.AddressList(k); err != nil || len(list) != 1 {
					t.Errorf("%q: %s is %d addresses (%v)", name, k, len(list), err)
				}
			}
			if got := decoded(t, p.header, "Subject"); strings.ContainsAny(got, "\r\n") {
				t.Errorf("subject %q spans lines", got)
			}
			if strings.Contains(p.html, "<script>") {
				t.Errorf("%q reaches the HTML part unescaped", name)
			}
		}
	}
	// An address that the decoder would refuse never reaches a header.
	s := submission(t, nil)
	s.Contact.Email = "zoe@formations.example\r\nBcc: victim@example.com"
	if _, err := composer(t).Compose(s); err == nil {
		t.Error("composed a header with a line break in an address")
	}
}

func TestComposeIsDeterministic(t *testing.T) {
	a, _ := composer(t).Compose(submission(t, nil))
	b, _ := composer(t).Compose(submission(t, nil))
	for i := range a {
		if !bytes.Equal(a[i].Data, b[i].Data) {
			t.Errorf("%s differs between two compositions", a[i].Name)
		}
	}
}

func TestBrusselsTime(t *testing.T) {
	for _, tc := range []struct {
		utc  string
		want string
	}{
		{"2026-03-29T00:59:00Z", "2026-03-29 01:59 CET"},
		{"2026-03-29T01:00:00Z", "2026-03-29 03:00 CEST"},
		{"2026-10-25T00:59:00Z", "2026-10-25 02:59 CEST"},
		{"2026-10-25T01:00:00Z", "2026-10-25 02:00 CET"},
		{"2026-12-31T23:30:00Z", "2027-01-01 00:30 CET"},
	} {
		tm, _ := time.Parse(time.RFC3339, tc.utc)
		if got := brussels(tm); got != tc.want {
			t.Errorf("brussels(%s) = %s, want %s", tc.utc, got, tc.want)
		}
		if loc, err := time.LoadLocation("Europe/Brussels"); err == nil {
			if got := tm.In(loc).Format("2006-01-02 15:04 MST"); got != tc.want {
				t.Errorf("the time zone database says %s for %s", got, tc.utc)
			}
		}
	}
}

func TestParseRecordComposesTheSame(t *testing.T) {
	s := submission(t, nil)
	s.Received = s.Received.Add(123456789) // below a second: not in the record, not in the mails
	back, err := ParseRecord(Record(s))
	if err != nil {
		t.Fatal(err)
	}
	c := composer(t)
	a, _ := c.Compose(s)
	b, err := c.Compose(back)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		if !bytes.Equal(a[i].Data, b[i].Data) {
			t.Errorf("%s composed from the record differs", a[i].Name)
		}
	}
}

// TestComposeOne: each message alone is the same bytes as in Compose.
func TestComposeOne(t *testing.T) {
	c, s := composer(t), submission(t, nil)
	msgs, err := c.Compose(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		one, err := c.ComposeOne(s, m.Name)
		if err != nil || !bytes.Equal(one.Data, m.Data) || !reflect.DeepEqual(one.To, m.To) {
			t.Errorf("%s alone differs from Compose's (%v)", m.Name, err)
		}
	}
	if _, err := c.ComposeOne(s, "other.eml"); err == nil {
		t.Error("an unknown message was composed")
	}
}

// A request stored before the February 2026 reform reached the rules
// (advice alone, outside cybersecurity, then only a warning) is read back
// and composed as it was judged: the result its record holds. A record
// without a result is assessed again from its answers, which carry the
// day it came in, so by the rules of that day: the same answers a day
// after the reform by the reform's.
func TestParseRecordStoredBeforeTheReform(t *testing.T) {
	const judged = `,
  "result": {"verdict": "ready", "complete": true, "next": [], "blockers": [], "warnings": ["advice_not_subsidised"],
    "track": "standard", "registration_years": 5, "follow_up_audit_years": 0,
    "requirements": [{"id": "activity", "status": "ready"}, {"id": "experience", "status": "ready"}, {"id": "satisfaction", "status": "ready"}, {"id": "knowledge", "status": "ready"}, {"id": "integrity", "status": "ready"}],
    "possible_exemptions": [], "steps": ["request_audit"]}`
	stored := func(date, result string) []byte {
		return []byte(`{
  "reference": "KMOP-7K3MQ-9PXD2",
  "received": "` + date + `T09:05:00Z",
  "lang": "en",
  "contact": {"company": "Advice Ltd", "enterprise_number": "", "name": "Ann Lee", "email": "ann@advice.example", "phone": "", "message": ""},
  "answers": {
    "date": "` + date + `", "audit_body": false, "has_enterprise_number": true, "has_sepa_account": true,
    "services": ["advice"], "advice_cybersecurity": false, "themes": ["strategy"], "audit_kind": "first", "years_active": 6,
    "certificates": [], "memberships": [], "integrity_concerns": false,
    "ready_activity": "yes", "ready_experience": "yes", "ready_satisfaction": "yes", "ready_knowledge": "yes", "ready_integrity": "yes",
    "has_user_right": true, "registered_online": true, "declaration_signed": true
  }` + result + `,
  "body_sha256": "00"
}`)
	}
	c := composer(t)
	for _, tc := range []struct{ date, result, verdict, blockers string }{
		{"2026-01-31", "", assess.VerdictReady, ""},
		{"2026-02-01", "", assess.VerdictNotEligible, assess.BlockerNoSubsidisedService},
		{"2026-02-01", judged, assess.VerdictReady, ""},
	} {
		s, err := ParseRecord(stored(tc.date, tc.result))
		if err != nil {
			t.Fatalf("%s: %v", tc.date, err)
		}
		if s.Result.Verdict != tc.verdict || strings.Join(s.Result.Blockers, ",") != tc.blockers {
			t.Errorf("%s (stored result: %v): %s %v, want %s %s", tc.date, tc.result != "", s.Result.Verdict, s.Result.Blockers, tc.verdict, tc.blockers)
		}
		if _, err := c.Compose(s); err != nil {
			t.Errorf("%s: %v", tc.date, err)
		}
	}
}
