package quote

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"slices"
	"strconv"
	"strings"
	"time"

	"kmopsite/assess"
	"kmopsite/assess/codec"
	"kmopsite/endpoints"
	"kmopsite/words"
)

// Submission is an accepted quote request: what the applicant sent,
// normalised, with the server's own assessment of the answers.
type Submission struct {
	ID       string
	Received time.Time
	Lang     string
	Contact  Contact
	Answers  assess.Answers
	Result   assess.Result
	// Audit is what the applicant asks of the audit: when, in which
	// language, the registration it continues.
	Audit AuditWishes

	// judged is the result as a stored record wrote it (ParseRecord),
	// which the record carries on unchanged; nil for a new submission.
	judged json.RawMessage
}

// Message is one composed mail: the envelope and the RFC 5322 text.
type Message struct {
	// Name is the file name in the outbox: "audit-body.eml" or
	// "applicant.eml".
	Name string
	// From and To are the envelope (SMTP MAIL FROM and RCPT TO).
	From string
	To   []string
	Data []byte
}

// The names of the two messages of a submission.
const (
	AuditMessage     = "audit-body.eml"
	ApplicantMessage = "applicant.eml"
)

// Composer writes the mails of a submission. It does no input or output of
// its own, so that the server and the Worker share it.
type Composer struct {
	site, siteURL string
	from, to      mail.Address
	defaultLang   string
	selfcheck     map[string]*words.Selfcheck
	mail          map[string]*words.Quote
	privacy       map[string]string
	estimate      *endpoints.Estimate
}

// NewComposer checks that cfg has what the mails need: the audit body's
// addresses and the words of every language.
func NewComposer(cfg Config) (*Composer, error) {
	cfg = cfg.withDefaults()
	c := &Composer{site: cfg.SiteName, siteURL: cfg.SiteURL, defaultLang: cfg.DefaultLang,
		selfcheck: cfg.Words, mail: cfg.Mail, privacy: cfg.PrivacyURL, estimate: cfg.Estimate}
	var errs []error
	for _, a := range []struct {
		name, value string
		dst         *mail.Address
	}{{"to", cfg.To, &c.to}, {"from", cfg.From, &c.from}} {
		addr, ok := normalizeEmail(a.value)
		if !ok {
			errs = append(errs, fmt.Errorf("quote: the %s address %q is not a mail address like name@example.be", a.name, a.value))
			continue
		}
		*a.dst = mail.Address{Address: addr}
	}
	c.from.Name = oneLine(cfg.SiteName)
	for _, l := range cfg.Langs {
		if cfg.Words[l] == nil {
			errs = append(errs, fmt.Errorf("quote: no self-check words for language %q", l))
		}
		if cfg.Mail[l] == nil {
			errs = append(errs, fmt.Errorf("quote: no quote words (quote.yaml) for language %q", l))
		}
	}
	if !slices.Contains(cfg.Langs, cfg.DefaultLang) {
		errs = append(errs, fmt.Errorf("quote: the default language %q is not one of %s", cfg.DefaultLang, strings.Join(cfg.Langs, ", ")))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// Compose writes the two messages of s: to the audit body in its language,
// and the confirmation to the applicant in theirs.
func (c *Composer) Compose(s *Submission) ([]Message, error) {
	if err := composable(s); err != nil {
		return nil, err
	}
	audit, err := c.auditMail(s)
	if err != nil {
		return nil, err
	}
	confirm, err := c.confirmMail(s)
	if err != nil {
		return nil, err
	}
	return []Message{audit, confirm}, nil
}

// ComposeOne writes one of the two messages of s, by name (AuditMessage
// or ApplicantMessage), to the same bytes as Compose: the Worker's
// consumer sends one mail per queue message.
func (c *Composer) ComposeOne(s *Submission, name string) (Message, error) {
	if err := composable(s); err != nil {
		return Message{}, err
	}
	switch name {
	case AuditMessage:
		return c.auditMail(s)
	case ApplicantMessage:
		return c.confirmMail(s)
	}
	return Message{}, fmt.Errorf("quote: no message %q", name)
}

func composable(s *Submission) error {
	if _, ok := normalizeEmail(s.Contact.Email); !ok {
		return fmt.Errorf("quote: %q is not an address to write to", s.Contact.Email)
	}
	if !validID(s.ID) {
		return fmt.Errorf("quote: %q is not a reference", s.ID)
	}
	return nil
}

// Record is the JSON of a submission: the attachment of the audit body's
// mail, for their CRM. Answers and result are written by the assess codec,
// so their keys are those of docs/rules.md.
func Record(s *Submission) []byte { return record(s, "") }

// record is Record, with the fingerprint of the request's body when given:
// the outbox's request.json, by which a retry is told from a different
// request reusing its idempotency key.
func record(s *Submission, bodySHA256 string) []byte {
	rec := recordJSON{s.ID, s.Received.UTC().Format(time.RFC3339), s.Lang, s.Contact,
		codec.EncodeAnswers(s.Answers), s.judgement(), s.Audit, bodySHA256}
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		panic(err) // strings and valid raw JSON only
	}
	return append(b, '\n')
}

// recordJSON is a record's JSON, written by record and read by
// ParseRecord.
type recordJSON struct {
	Reference string          `json:"reference"`
	Received  string          `json:"received"`
	Lang      string          `json:"lang"`
	Contact   Contact         `json:"contact"`
	Answers   json.RawMessage `json:"answers"`
	Result    json.RawMessage `json:"result"`
	AuditWishes
	BodySHA256 string `json:"body_sha256,omitempty"`
}

// judgement is the result as the record carries it: as it was stored
// when the submission was read from a record, else as the codec writes it.
func (s *Submission) judgement() json.RawMessage {
	if len(s.judged) > 0 {
		return s.judged
	}
	return codec.EncodeResult(s.Result)
}

// ParseRecord reads a submission back from its Record: the Worker's
// queue carries records, and its consumer composes the mails from them.
// The result is the one the record holds, as the request was judged when
// it was accepted (a request stored before audit_kind existed would be
// incomplete under today's rules); a record without one is assessed
// again from its answers.
func ParseRecord(data []byte) (*Submission, error) {
	var rec recordJSON
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, fmt.Errorf("quote: reading a record: %w", err)
	}
	received, err := time.Parse(time.RFC3339, rec.Received)
	if err != nil {
		return nil, fmt.Errorf("quote: record %s: %w", rec.Reference, err)
	}
	a, err := codec.Decode(rec.Answers, "")
	if err != nil {
		return nil, fmt.Errorf("quote: record %s: answers: %w", rec.Reference, err)
	}
	s := &Submission{ID: rec.Reference, Received: received, Lang: rec.Lang, Contact: rec.Contact, Answers: a,
		Audit: rec.AuditWishes}
	if len(rec.Result) > 0 && string(rec.Result) != "null" {
		if err := json.Unmarshal(rec.Result, &s.Result); err != nil {
			return nil, fmt.Errorf("quote: record %s: result: %w", rec.Reference, err)
		}
		var compact bytes.Buffer
		json.Indent(&compact, rec.Result, "", "  ")
		s.judged = compact.Bytes()
	} else {
		s.Result = assess.Evaluate(a)
	}
	return s, nil
}

// mailView is what the mail templates show, all in words of one language.
type mailView struct {
	Lang     string
	Title    string
	Intro    []string  // paragraphs before the sections
	Lead     []section // sections before the reference and contact: the plan
	Rows     []row     // reference and contact
	Message  string
	Sections []section
	Outro    []string // paragraphs after the sections
	H        words.HeadingsWords
}

type row struct{ Label, Value string }

type section struct {
	Heading string
	Rows    []row    // label: value lines
	Items   []string // a list
	Text    string   // a paragraph
}

func (c *Composer) auditMail(s *Submission) (Message, error) {
	lang := c.defaultLang
	w, sc := c.mail[lang], c.selfcheck[lang]
	file := s.ID + ".json"
	v := mailView{
		Lang:  lang,
		Title: expand(w.Mail.Audit.Subject, "reference", s.ID, "company", s.Contact.Company),
		Intro: []string{expand(w.Mail.Audit.Intro, "site", c.site, "lang", w.Languages[s.Lang])},
		H:     w.Mail.Headings,
	}
	v.Rows = c.contactRows(s, w, true)
	v.Message = s.Contact.Message
	if p, ok := c.planSection(s, w, sc); ok {
		v.Lead = []section{p}
	}
	v.Sections = append(c.resultSections(s.Result, w, sc, true),
		section{Heading: w.Mail.Headings.Answers, Rows: answerRows(s.Answers, w, sc)})
	v.Outro = []string{expand(w.Mail.Audit.Attachment, "file", file)}
	reply := mail.Address{Name: oneLine(s.Contact.Name), Address: s.Contact.Email}
	h := []hdr{
		{"From", c.from.String()},
		{"To", c.to.String()},
		{"Reply-To", reply.String()},
		{"Subject", encodeText(v.Title)},
	}
	data, err := c.write(s, "audit", lang, h, v, &attachment{file, Record(s)})
	return Message{Name: AuditMessage, From: c.from.Address, To: []string{c.to.Address}, Data: data}, err
}

func (c *Composer) confirmMail(s *Submission) (Message, error) {
	lang := s.Lang
	w, sc := c.mail[lang], c.selfcheck[lang]
	cw := w.Mail.Confirm
	v := mailView{
		Lang:  lang,
		Title: expand(cw.Subject, "reference", s.ID, "site", c.site),
		Intro: []string{
			expand(cw.Greeting, "name", s.Contact.Name),
			expand(cw.Intro, "reference", s.ID, "site", c.site),
			cw.Next,
		},
		H: w.Mail.Headings,
	}
	v.Rows = c.contactRows(s, w, false)
	v.Sections = append(c.resultSections(s.Result, w, sc, false), c.confirmSections(s, w, sc)...)
	v.Outro = []string{expand(cw.Contact, "email", c.to.Address)}
	if u := c.privacy[lang]; u != "" {
		v.Outro = append(v.Outro, expand(cw.Privacy, "url", u))
	}
	sign := cw.Closing + "\n" + expand(cw.Signature, "site", c.site)
	if c.siteURL != "" {
		sign += "\n" + c.siteURL
	}
	v.Outro = append(v.Outro, sign)
	to := mail.Address{Name: oneLine(s.Contact.Name), Address: s.Contact.Email}
	h := []hdr{
		{"From", c.from.String()},
		{"To", to.String()},
		{"Reply-To", c.to.String()},
		{"Subject", encodeText(v.Title)},
		{"Auto-Submitted", "auto-generated"},
	}
	data, err := c.write(s, "applicant", lang, h, v, nil)
	return Message{Name: ApplicantMessage, From: c.from.Address, To: []string{s.Contact.Email}, Data: data}, err
}

// contactRows are the reference, the time and the contact details. The
// applicant's own confirmation leaves out what only the audit body needs.
func (c *Composer) contactRows(s *Submission, w *words.Quote, audit bool) []row {
	l := w.Mail.Labels
	rows := []row{{l.Reference, s.ID}}
	if audit {
		rows = append(rows, row{l.Received, brussels(s.Received)}, row{l.Language, w.Languages[s.Lang]})
	}
	ct := s.Contact
	for _, r := range []row{
		{l.Company, ct.Company},
		{l.EnterpriseNumber, ct.EnterpriseNumber},
		{l.Name, ct.Name},
		{l.Email, ct.Email},
		{l.Phone, ct.Phone},
	} {
		if r.Value != "" {
			rows = append(rows, r)
		}
	}
	return rows
}

// resultSections are the verdict and track, then the blockers, warnings,
// requirements, exemptions and steps, each in the words of the self-check.
func (c *Composer) resultSections(r assess.Result, w *words.Quote, sc *words.Selfcheck, audit bool) []section {
	l, h := w.Mail.Labels, w.Mail.Headings
	res := section{Heading: h.Result}
	res.Rows = append(res.Rows, row{l.Verdict, title(sc.Verdicts, r.Verdict)})
	track := l.TrackUnknown
	if r.Track != "" {
		track = title(sc.Tracks, r.Track)
		if r.RegistrationYears > 0 {
			track += " — " + expand(l.Registration, "years", strconv.Itoa(r.RegistrationYears))
		}
		if r.FollowUpAuditYears > 0 {
			track += "; " + expand(l.FollowUp, "years", strconv.Itoa(r.FollowUpAuditYears))
		}
	}
	res.Rows = append(res.Rows, row{l.Track, track})
	secs := []section{res}
	list := func(heading string, codes []string, m map[string]words.Entry, withText bool) {
		if len(codes) == 0 {
			return
		}
		s := section{Heading: heading}
		for _, code := range codes {
			item := title(m, code)
			if withText {
				if e, ok := m[code]; ok && e.Text != "" {
					item += ": " + e.Text
				}
			}
			s.Items = append(s.Items, item)
		}
		secs = append(secs, s)
	}
	list(h.Blockers, r.Blockers, sc.Blockers, true)
	list(h.Warnings, r.Warnings, sc.Warnings, audit)
	req := section{Heading: h.Requirements}
	for _, q := range r.Requirements {
		req.Rows = append(req.Rows, row{title(sc.Requirements, q.ID), orCode(sc.Statuses[q.Status], q.Status)})
	}
	secs = append(secs, req)
	list(h.Exemptions, r.PossibleExemptions, sc.Exemptions, false)
	list(h.Steps, r.Steps, sc.Steps, !audit)
	return secs
}

// answerRows are every asked question with its answer in words, in
// question order; an asked question without an answer says so.
func answerRows(a assess.Answers, w *words.Quote, sc *words.Selfcheck) []row {
	var rows []row
	for _, q := range assess.Questions() {
		if !assess.Asked(a, q.ID) {
			continue
		}
		qw := sc.Questions[string(q.ID)]
		label := orCode(sc.QuestionText(q.ID), string(q.ID))
		v, ok := a.Get(q.ID)
		if !ok {
			if q.Kind != assess.Text { // optional texts left empty are not news
				rows = append(rows, row{label, w.Mail.Labels.Unanswered})
			}
			continue
		}
		rows = append(rows, row{label, answerWords(q, v, qw, w, sc)})
	}
	return rows
}

func answerWords(q assess.Question, v assess.Value, qw words.Question, w *words.Quote, sc *words.Selfcheck) string {
	switch q.Kind {
	case assess.YesNo:
		if v.Bool {
			return orCode(sc.UI["yes"], "yes")
		}
		return orCode(sc.UI["no"], "no")
	case assess.Number:
		return strconv.Itoa(v.Number)
	case assess.Choice:
		return orCode(sc.ChoiceLabel(q.ID, v.Text), v.Text)
	case assess.Date:
		return day(v.Text, w)
	case assess.Readiness:
		return orCode(sc.ChoiceLabel(q.ID, v.Text), v.Text)
	case assess.MultiChoice:
		if len(v.List) == 0 {
			return orCode(qw.None, w.Mail.Labels.None)
		}
		labels := make([]string, len(v.List))
		for i, c := range v.List {
			labels[i] = orCode(sc.ChoiceLabel(q.ID, c), c)
		}
		return strings.Join(labels, "; ")
	}
	return v.Text
}

func title(m map[string]words.Entry, code string) string { return orCode(m[code].Title, code) }

// orCode returns s, or the code itself when the words are missing: the
// build refuses such content, and a mail must still go out.
func orCode(s, code string) string {
	if strings.TrimSpace(s) == "" {
		return code
	}
	return s
}

type hdr struct{ name, value string }

type attachment struct {
	name string
	data []byte
}

// write assembles the message: headers, a multipart/alternative of text
// and HTML, and the attachment if any. Boundaries and the Message-ID derive
// from the submission, so the same submission gives the same bytes.
func (c *Composer) write(s *Submission, kind, lang string, headers []hdr, v mailView, att *attachment) ([]byte, error) {
	textBody := renderText(v)
	htmlBody := renderHTML(v)

	var b bytes.Buffer
	domain := c.from.Address[strings.LastIndexByte(c.from.Address, '@')+1:]
	headers = append([]hdr{
		{"Date", s.Received.Format(time.RFC1123Z)},
		{"Message-ID", "<" + s.ID + "." + kind + "@" + domain + ">"},
	}, headers...)
	headers = append(headers,
		hdr{"Content-Language", lang},
		hdr{"X-Quote-Reference", s.ID},
		hdr{"MIME-Version", "1.0"},
	)
	outer := "=_" + s.ID + "_mixed"
	inner := "=_" + s.ID + "_alt"
	top := outer
	if att == nil {
		top = inner
		headers = append(headers, hdr{"Content-Type", `multipart/alternative; boundary="` + inner + `"`})
	} else {
		headers = append(headers, hdr{"Content-Type", `multipart/mixed; boundary="` + outer + `"`})
	}
	for _, h := range headers {
		if err := writeHeader(&b, h.name, h.value); err != nil {
			return nil, err
		}
	}
	b.WriteString("\r\n")

	mw := multipart.NewWriter(&b)
	if err := mw.SetBoundary(top); err != nil {
		return nil, err
	}
	alt := mw
	if att != nil {
		pw, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {`multipart/alternative; boundary="` + inner + `"`}})
		if err != nil {
			return nil, err
		}
		alt = multipart.NewWriter(pw)
		if err := alt.SetBoundary(inner); err != nil {
			return nil, err
		}
	}
	for _, p := range []struct{ ctype, body string }{
		{"text/plain; charset=utf-8", textBody},
		{"text/html; charset=utf-8", htmlBody},
	} {
		pw, err := alt.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {p.ctype},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(pw)
		if _, err := qp.Write([]byte(p.body)); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if att != nil {
		if err := alt.Close(); err != nil {
			return nil, err
		}
		pw, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {`application/json; name="` + att.name + `"`},
			"Content-Disposition":       {`attachment; filename="` + att.name + `"`},
			"Content-Transfer-Encoding": {"base64"},
		})
		if err != nil {
			return nil, err
		}
		enc := base64.StdEncoding.EncodeToString(att.data)
		for len(enc) > 76 {
			pw.Write([]byte(enc[:76] + "\r\n"))
			enc = enc[76:]
		}
		pw.Write([]byte(enc + "\r\n"))
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeHeader writes one header field, folded at spaces to lines of at most
// 78 characters where it can be. The value must already be encoded for a
// header (ASCII); a CR, LF or other control character in it is refused, so
// that nothing can end the header early or add one.
func writeHeader(b *bytes.Buffer, name, value string) error {
	for i := 0; i < len(value); i++ {
		if c := value[i]; c < 0x20 && c != '\t' || c >= 0x7f {
			return fmt.Errorf("quote: header %s: character %q is not allowed in a header", name, c)
		}
	}
	n := len(name) + 2
	b.WriteString(name + ":")
	for i, word := range strings.Split(value, " ") {
		if i == 0 {
			if n+len(word) > 78 {
				b.WriteString("\r\n") // fold before a long first word
				n = 1
			}
			b.WriteByte(' ')
		} else {
			if n+1+len(word) > 78 {
				b.WriteString("\r\n ")
				n = 1
			} else {
				b.WriteByte(' ')
				n++
			}
		}
		b.WriteString(word)
		n += len(word)
	}
	b.WriteString("\r\n")
	return nil
}

// encodeText encodes an unstructured header (Subject) as RFC 2047
// encoded-words where it is not plain ASCII.
func encodeText(s string) string { return mime.QEncoding.Encode("utf-8", oneLine(s)) }

// oneLine makes s one line: white space runs of any kind become a space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// brussels formats t in Belgian time, with its zone.
func brussels(t time.Time) string {
	bt, zone := brusselsTime(t)
	return bt.Format("2006-01-02 15:04") + " " + zone
}

// brusselsTime returns t in Belgian time: CET, and CEST from the last
// Sunday of March to the last Sunday of October at 01:00 UTC, as in all
// the EU. It needs no time zone database, which the Worker does not have.
func brusselsTime(t time.Time) (time.Time, string) {
	t = t.UTC()
	y := t.Year()
	start := lastSunday(y, time.March).Add(time.Hour)
	end := lastSunday(y, time.October).Add(time.Hour)
	if !t.Before(start) && t.Before(end) {
		return t.Add(2 * time.Hour), "CEST"
	}
	return t.Add(time.Hour), "CET"
}

func lastSunday(y int, m time.Month) time.Time {
	d := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC) // the last day of m
	return d.AddDate(0, 0, -int(d.Weekday()))
}

// renderText is the plain text part: headings underlined, label: value
// lines, lists with dashes.
func renderText(v mailView) string {
	var b strings.Builder
	para := func(s string) {
		if strings.TrimSpace(s) != "" {
			b.WriteString(s)
			b.WriteString("\n\n")
		}
	}
	heading := func(s string) {
		b.WriteString(s + "\n" + strings.Repeat("=", len([]rune(s))) + "\n")
	}
	rows := func(rs []row) {
		for _, r := range rs {
			b.WriteString(r.Label + ": " + indentLines(r.Value) + "\n")
		}
	}
	sec := func(s section) {
		heading(s.Heading)
		rows(s.Rows)
		for _, it := range s.Items {
			b.WriteString("- " + indentLines(it) + "\n")
		}
		if s.Text != "" {
			b.WriteString(s.Text + "\n")
		}
		b.WriteString("\n")
	}
	for _, p := range v.Intro {
		para(p)
	}
	for _, s := range v.Lead {
		sec(s)
	}
	rows(v.Rows)
	b.WriteString("\n")
	if v.Message != "" {
		heading(v.H.Message)
		para(v.Message)
	}
	for _, s := range v.Sections {
		sec(s)
	}
	for _, p := range v.Outro {
		para(p)
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

func indentLines(s string) string { return strings.ReplaceAll(s, "\n", "\n  ") }

// renderHTML is the HTML part: the same content as renderText, every
// text escaped. It is written by hand rather than with html/template,
// whose reflection would double the Worker's size.
func renderHTML(v mailView) string {
	var b strings.Builder
	e := html.EscapeString
	b.WriteString("<!DOCTYPE html>\n<html lang=\"" + e(v.Lang) + "\">\n<head><meta charset=\"utf-8\"><title>" + e(v.Title) + "</title></head>\n")
	b.WriteString(`<body style="font-family: Arial, sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 42em">` + "\n")
	paras := func(ps []string, style string) {
		for _, p := range ps {
			if strings.TrimSpace(p) != "" {
				b.WriteString("<p" + style + ">" + e(p) + "</p>\n")
			}
		}
	}
	table := func(rows []row, th, td string) {
		b.WriteString(`<table role="presentation" style="border-collapse: collapse">` + "\n")
		for _, r := range rows {
			b.WriteString(`<tr><th scope="row" style="` + th + `">` + e(r.Label) + `</th><td style="` + td + `">` + e(r.Value) + "</td></tr>\n")
		}
		b.WriteString("</table>\n")
	}
	sec := func(s section) {
		b.WriteString("<h2>" + e(s.Heading) + "</h2>\n")
		if len(s.Rows) > 0 {
			table(s.Rows, "text-align: left; font-weight: normal; padding: 2px 12px 2px 0; vertical-align: top", "font-weight: bold; vertical-align: top")
		}
		if len(s.Items) > 0 {
			b.WriteString("<ul>\n")
			for _, it := range s.Items {
				b.WriteString("<li>" + e(it) + "</li>\n")
			}
			b.WriteString("</ul>\n")
		}
		paras([]string{s.Text}, "")
	}
	paras(v.Intro, "")
	for _, s := range v.Lead {
		sec(s)
	}
	table(v.Rows, "text-align: left; padding: 2px 12px 2px 0; vertical-align: top", "vertical-align: top")
	if v.Message != "" {
		b.WriteString("<h2>" + e(v.H.Message) + "</h2>\n")
		paras([]string{v.Message}, ` style="white-space: pre-wrap"`)
	}
	for _, s := range v.Sections {
		sec(s)
	}
	paras(v.Outro, ` style="white-space: pre-line"`)
	b.WriteString("</body>\n</html>\n")
	return b.String()
}
