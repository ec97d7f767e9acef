package quote

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"kmopsite/assess"
	"kmopsite/assess/codec"
	"kmopsite/words"
)

// The codes of a 400 answer, one per field in error (package words holds
// them, with the fields' bounds, for the form the build writes).
const (
	CodeRequired = words.CodeRequired
	CodeTooLong  = words.CodeTooLong
	CodeInvalid  = words.CodeInvalid
	CodeUnknown  = words.CodeUnknown
)

// MaxLength returns the most characters a contact field ("company",
// "contact.message") may hold, for the form's {max}; 0 for other fields.
func MaxLength(field string) int { return words.MaxLength(field) }

// FieldError names a field of the request and what is wrong with it. Field
// is the JSON path: "lang", "consent", "contact.email", "answers.years_active".
type FieldError struct {
	Field string `json:"field"`
	Code  string `json:"code"`
}

// Contact holds the applicant's details. After Decode they are normalised:
// single-line fields trimmed with inner white space collapsed, the
// enterprise number in its dotted form, the phone number in E.164, the
// message with "\n" line ends.
type Contact struct {
	Company          string `json:"company"`
	EnterpriseNumber string `json:"enterprise_number"`
	Name             string `json:"name"`
	Email            string `json:"email"`
	Phone            string `json:"phone"`
	Message          string `json:"message"`
}

// Request is a decoded, validated quote request. Answers have their date
// set to the server's day: the rules are applied as they stand today,
// whatever the client says.
type Request struct {
	Lang    string
	Answers assess.Answers
	Contact Contact
	Consent bool
	// Website is the honeypot: people never see the field, so anything in
	// it was typed by a program.
	Website string
	// Audit holds what the applicant asks of the audit itself.
	Audit AuditWishes
}

// AuditWishes are the quote request's questions about the audit itself
// (docs/endpoints.md): when it would suit, in which language, and the
// registration a follow-up or renewal continues. All are optional in a
// request; after Decode, Language is the request's language when the
// applicant chose none.
type AuditWishes struct {
	// PreferredPeriod is a month, "YYYY-MM", from the current one to
	// twelve months after it, or PeriodASAP; "" when not given.
	PreferredPeriod string `json:"preferred_period,omitempty"`
	// Language is the language the audit is to be held in: one of the
	// site's languages.
	Language string `json:"audit_language,omitempty"`
	// RegistrationNumber is the current registration's number, as the
	// applicant writes it (one line, at most MaxLength("registration_number")).
	RegistrationNumber string `json:"registration_number,omitempty"`
}

// PeriodASAP is the preferred period "as soon as possible".
const PeriodASAP = "asap"

// ErrNotJSON is returned by Decode for a body that is not JSON at all;
// the handler answers 415.
var ErrNotJSON = errors.New("quote: request body is not JSON")

// wire is the request as it travels; json.RawMessage keeps the answers for
// the assess codec, which names their keys in its errors.
type wire struct {
	Lang    *string         `json:"lang"`
	Answers json.RawMessage `json:"answers"`
	Contact *struct {
		Company          *string `json:"company"`
		EnterpriseNumber *string `json:"enterprise_number"`
		Name             *string `json:"name"`
		Email            *string `json:"email"`
		Phone            *string `json:"phone"`
		Message          *string `json:"message"`
	} `json:"contact"`
	Consent *bool   `json:"consent"`
	Website *string `json:"website"`

	PreferredPeriod    *string `json:"preferred_period"`
	AuditLanguage      *string `json:"audit_language"`
	RegistrationNumber *string `json:"registration_number"`
}

// Decode reads and validates a request body. today ("YYYY-MM-DD") is the
// day the answers are assessed for; langs are the site's languages. It
// returns ErrNotJSON when body is not JSON, or the field errors, sorted in
// form order, when it is JSON but not a valid request. The honeypot is
// not judged here: the caller decides what to do with req.Website.
func Decode(body []byte, today string, langs []string) (Request, []FieldError, error) {
	var req Request
	if !json.Valid(body) {
		return req, nil, ErrNotJSON
	}
	var w wire
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return req, []FieldError{jsonFieldError(err)}, nil
	}
	var errs []FieldError
	add := func(field, code string) { errs = append(errs, FieldError{field, code}) }

	// lang
	switch {
	case w.Lang == nil || *w.Lang == "":
		add("lang", CodeRequired)
	case !slices.Contains(langs, *w.Lang):
		add("lang", CodeUnknown)
	default:
		req.Lang = *w.Lang
	}

	// answers: the same decoder as the assess command, on today's date:
	// the client's date is not read, so that what is checked against it
	// (registration_date not after it) is checked against the server's day.
	if len(w.Answers) > 0 && string(w.Answers) != "null" {
		a, err := codec.Decode(withoutDate(w.Answers), today)
		if err != nil {
			errs = append(errs, answersErrors(err)...)
		}
		req.Answers = a
	}
	req.Answers.Date = today

	// contact
	if w.Contact == nil {
		add("contact.company", CodeRequired)
		add("contact.name", CodeRequired)
		add("contact.email", CodeRequired)
	} else {
		c := w.Contact
		req.Contact.Company, _ = line(c.Company, "company", true, add)
		if n, ok := line(c.EnterpriseNumber, "enterprise_number", false, add); ok && n != "" {
			if norm, valid := assess.NormalizeEnterpriseNumber(n); valid {
				req.Contact.EnterpriseNumber = norm[:4] + "." + norm[4:7] + "." + norm[7:] // as the KBO writes it
			} else {
				add("contact.enterprise_number", CodeInvalid)
			}
		}
		req.Contact.Name, _ = line(c.Name, "name", true, add)
		if e, ok := line(c.Email, "email", true, add); ok && e != "" {
			if norm, valid := normalizeEmail(e); valid {
				req.Contact.Email = norm
			} else {
				add("contact.email", CodeInvalid)
			}
		}
		if p, ok := line(c.Phone, "phone", false, add); ok && p != "" {
			if norm, valid := NormalizePhone(p); valid {
				req.Contact.Phone = norm
			} else {
				add("contact.phone", CodeInvalid)
			}
		}
	}

	// the audit: when, in which language, the registration it continues
	req.Audit = auditWishes(&w, today, langs, req.Lang, add)

	if w.Contact != nil {
		req.Contact.Message = text(w.Contact.Message, add)
	}

	// consent
	if w.Consent == nil || !*w.Consent {
		add("consent", CodeRequired)
	} else {
		req.Consent = true
	}

	if w.Website != nil {
		req.Website = *w.Website
	}
	if len(errs) > 0 {
		return Request{}, errs, nil
	}
	return req, nil, nil
}

// withoutDate returns the answers object without its "date" key; anything
// else, as it is (the codec names what is wrong with it).
func withoutDate(answers json.RawMessage) json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal(answers, &m) != nil || m["date"] == nil {
		return answers
	}
	delete(m, "date")
	b, err := json.Marshal(m)
	if err != nil {
		return answers
	}
	return b
}

// auditWishes checks the three optional fields about the audit. The
// language defaults to lang, the request's.
func auditWishes(w *wire, today string, langs []string, lang string, add func(field, code string)) AuditWishes {
	var a AuditWishes
	if p := w.PreferredPeriod; p != nil && *p != "" {
		if validPeriod(*p, today) {
			a.PreferredPeriod = *p
		} else {
			add("preferred_period", CodeInvalid)
		}
	}
	switch p := w.AuditLanguage; {
	case p == nil || *p == "":
		a.Language = lang
	case !slices.Contains(langs, *p):
		add("audit_language", CodeUnknown)
	default:
		a.Language = *p
	}
	a.RegistrationNumber, _ = singleLine(w.RegistrationNumber, "registration_number", false, add)
	return a
}

// validPeriod reports whether p is PeriodASAP or a month "YYYY-MM" from
// today's (a form opened late in a month may still offer it) to twelve
// months after it.
func validPeriod(p, today string) bool {
	if p == PeriodASAP {
		return true
	}
	if len(p) != 7 || p[4] != '-' || len(today) < 7 {
		return false
	}
	month := func(s string) (int, bool) {
		y, err1 := strconv.Atoi(s[:4])
		m, err2 := strconv.Atoi(s[5:7])
		if err1 != nil || err2 != nil || s[0] == '+' || s[5] == '+' || m < 1 || m > 12 {
			return 0, false
		}
		return y*12 + m - 1, true
	}
	n, ok := month(p)
	now, ok2 := month(today[:7])
	return ok && ok2 && n >= now && n <= now+12
}

// line checks and normalises a single-line field: trimmed, inner runs of
// white space (line breaks included) made one space, no other control or
// formatting characters, at most MaxLength(name) characters. ok is false when
// an error was added.
func line(p *string, name string, required bool, add func(field, code string)) (string, bool) {
	return singleLine(p, "contact."+name, required, add)
}

// singleLine is line for a field named by its whole path.
func singleLine(p *string, field string, required bool, add func(field, code string)) (string, bool) {
	if p == nil {
		if required {
			add(field, CodeRequired)
			return "", false
		}
		return "", true
	}
	s := strings.Join(strings.Fields(*p), " ")
	switch {
	case s == "" && required:
		add(field, CodeRequired)
		return "", false
	case utf8.RuneCountInString(s) > MaxLength(field):
		add(field, CodeTooLong)
		return "", false
	case !printable(s, false) || encodedWord(s):
		add(field, CodeInvalid)
		return "", false
	}
	return s, true
}

// text checks and normalises the message: line ends made "\n", trailing
// white space of the whole removed, no control characters but line
// breaks and tabs.
func text(p *string, add func(field, code string)) string {
	if p == nil {
		return ""
	}
	s := strings.ReplaceAll(*p, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.TrimSpace(s)
	switch {
	case utf8.RuneCountInString(s) > MaxLength("message"):
		add("contact.message", CodeTooLong)
		return ""
	case !printable(s, true):
		add("contact.message", CodeInvalid)
		return ""
	}
	return s
}

// printable reports whether s is valid UTF-8 without control characters
// (C0, DEL, C1), format characters such as bidirectional overrides, or
// unassigned code points. multiline is the free message: it allows "\n"
// and "\t", and the three format characters that written text needs
// (softText).
func printable(s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\t' || softText(r)) {
			continue
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError ||
			unicode.Is(unicode.Co, r) || !unicode.IsGraphic(r) && !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// softText reports the format characters that ordinary text holds and
// that cannot reorder or hide it: the zero-width joiner (emoji sequences
// such as 👩‍💻, Indic scripts), the zero-width non-joiner (Persian, German
// ligature breaks) and the soft hyphen (a hyphenation hint). They are
// allowed in the free message only, which never reaches a header.
func softText(r rune) bool {
	return r == '\u200d' || r == '\u200c' || r == '\u00ad'
}

// encodedWord reports whether s holds something a mail client would read
// as an RFC 2047 encoded word ("=?charset?q?…?="). The single-line fields
// reach mail headers, where a client decodes such a word into whatever it
// encodes (a line break, a right-to-left override), past the checks on
// the characters typed; so they are refused, whatever the charset or
// encoding named between the question marks.
func encodedWord(s string) bool {
	i := strings.Index(s, "=?")
	return i >= 0 && strings.Contains(s[i+2:], "?=")
}

// normalizeEmail accepts a bare address, local@domain, in ASCII, with a
// domain of at least two labels; the domain is lowercased.
func normalizeEmail(s string) (string, bool) {
	if len(s) > MaxLength("email") || strings.ContainsAny(s, " <>\"(),;:\\[]") {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return "", false
		}
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", false
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], strings.ToLower(s[at+1:])
	if len(local) > 64 || !validDomain(domain) {
		return "", false
	}
	return local + "@" + domain, true
}

func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(labels) < 2 || len(d) > 253 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	return tld[0] < '0' || tld[0] > '9' // no dotted IP addresses
}

// jsonFieldError turns a decoding error of valid JSON into a field error.
func jsonFieldError(err error) FieldError {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field == "" {
			return FieldError{"body", CodeInvalid}
		}
		return FieldError{te.Field, CodeInvalid}
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return FieldError{strings.Trim(f, `"`), CodeUnknown}
	}
	return FieldError{"body", CodeInvalid}
}

// answersErrors turns the assess codec's problems into field errors:
// "answers.<key>" with the codec's code (unknown_choice, wrong_type, …).
func answersErrors(err error) []FieldError {
	var ce *codec.Errors
	if !errors.As(err, &ce) || len(ce.Problems) == 0 {
		return []FieldError{{"answers", CodeInvalid}}
	}
	fes := make([]FieldError, len(ce.Problems))
	for i, p := range ce.Problems {
		fes[i] = FieldError{"answers", p.Code}
		if p.Key != "" {
			fes[i].Field += "." + p.Key
		}
	}
	return fes
}
