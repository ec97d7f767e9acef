package words

import "strings"

// Quote holds the words of the quote form and of the two mails in one
// language: the decoded content/<lang>/quote.yaml. The words of the
// questionnaire itself (questions, choices, verdicts, codes) are not here;
// they come from content/<lang>/selfcheck.yaml (package words).
//
// A text may hold placeholders in braces, such as {reference}; each text
// accepts the ones named in its `vars` tag (a field's tag covers the texts
// below it); the build rejects others. `optional` marks a text that may
// stay empty. The build decodes the file into this type; the keys are the
// field names in snake case (EnterpriseNumber: enterprise_number).
type Quote struct {
	Form      FormWords
	Fields    FieldsWords
	Languages map[string]string
	Months    MonthsWords
	Mail      MailWords

	// SourceHash, in a translation, is the hash of the default language's
	// words it was translated from; `check` calls it stale when they differ.
	SourceHash string
}

// FormWords are the quote form's own words, shown around its fields.
type FormWords struct {
	Title         string
	Intro         string
	Privacy       string
	Submit        string
	Sending       string
	Accepted      string `vars:"reference"`
	ErrorSummary  string
	FailedNetwork string
	FailedBusy    string `vars:"minutes"`
	FailedServer  string
	Mailto        string `vars:"email"`
	MailtoSubject string `vars:"company"`
	MailtoIntro   string
	// Asap is the preferred period "as soon as possible"; the months
	// come from Months.
	Asap string
}

// MonthsWords name the months, for the preferred period: "{month} {year}".
type MonthsWords struct {
	January, February, March, April, May, June, July, August, September, October, November, December string
	// Period is a month of a year; Date a day.
	Period string `vars:"month,year"`
	Date   string `vars:"day,month,year"`
}

// Name returns the name of month m (1 to 12); "" for another m.
func (w *MonthsWords) Name(m int) string {
	names := [...]string{w.January, w.February, w.March, w.April, w.May, w.June, w.July, w.August,
		w.September, w.October, w.November, w.December}
	if m < 1 || m > 12 {
		return ""
	}
	return names[m-1]
}

// FieldsWords hold one entry per field of the form.
type FieldsWords struct {
	Company          FieldWords
	EnterpriseNumber FieldWords
	Name             FieldWords
	Email            FieldWords
	Phone            FieldWords
	Message          FieldWords
	// The audit: the preferred period, the audit's language, and the
	// current registration's number (asked for a follow-up or renewal).
	PreferredPeriod    FieldWords
	AuditLanguage      FieldWords
	RegistrationNumber FieldWords
	Consent            FieldWords `vars:"privacy"`
}

// FieldWords are a field's label, its help text and its error messages, one
// per code the server can answer for it (see FieldCodes).
type FieldWords struct {
	Label  string
	Help   string `optional:"true"`
	Errors ErrorsWords
}

// ErrorsWords are the messages for the codes of a 400 answer.
type ErrorsWords struct {
	Required string
	TooLong  string `vars:"max"`
	Invalid  string
}

// MailWords are the words of the two mails.
type MailWords struct {
	Audit    AuditMailWords
	Confirm  ConfirmMailWords
	Headings HeadingsWords
	Labels   LabelsWords
}

// AuditMailWords are for the mail to the audit body.
type AuditMailWords struct {
	Subject    string `vars:"reference,company"`
	Intro      string `vars:"site,lang"`
	Attachment string `vars:"file"`
}

// ConfirmMailWords are for the confirmation to the applicant.
type ConfirmMailWords struct {
	Subject   string `vars:"reference,site"`
	Greeting  string `vars:"name"`
	Intro     string `vars:"reference,site"`
	Next      string
	Contact   string `vars:"email"`
	Privacy   string `vars:"url"`
	Closing   string
	Signature string `vars:"site"`
}

// HeadingsWords are the section headings of the mails.
type HeadingsWords struct {
	Contact      string
	Message      string
	Result       string
	Blockers     string
	Warnings     string
	Requirements string
	Exemptions   string
	Steps        string
	Answers      string
	// Plan opens the audit body's mail: the audit to quote, as a table;
	// Documents is the checklist in the confirmation.
	Plan      string
	Documents string
}

// LabelsWords label single values in the mails.
type LabelsWords struct {
	Reference string
	Received  string
	// The contact details in the mails, which the form's labels ("Your
	// name") would address to the wrong reader.
	Company          string
	EnterpriseNumber string
	Name             string
	Email            string
	Phone            string
	Language         string
	Verdict          string
	Track            string
	Registration     string `vars:"years"`
	FollowUp         string `vars:"years"`
	Unanswered       string
	None             string
	TrackUnknown     string
	// The rows of the plan's table.
	Audit              string
	Services           string
	SitesBelgium       string
	SitesAbroad        string
	LegalForm          string
	ExemptionsToClaim  string
	Estimate           string
	EstimateRange      string `vars:"low,high"`
	EstimateVAT        string `vars:"low,high,vat"`
	DueDate            string
	Overdue            string `vars:"date"`
	PreferredPeriod    string
	AuditLanguage      string
	RegistrationNumber string
	// EstimateNote follows the estimate in the confirmation: what it
	// leaves out and that the quote binds.
	EstimateNote string
	// Thousands separates the thousands of an amount ("2.100", "2 100",
	// "2,100"); empty: none.
	Thousands string `optional:"true"`
}

// The codes of a 400 answer of the quote endpoint, one per field in error.
const (
	CodeRequired = "required" // missing or empty; for consent: not true
	CodeTooLong  = "too_long" // longer than the field's bound (MaxLength)
	CodeInvalid  = "invalid"  // present but malformed (wrong type, syntax, check digits, control characters)
	CodeUnknown  = "unknown"  // a key or language the endpoint does not know
)

// maxLen bounds the single fields of the quote form, in characters.
var maxLen = map[string]int{
	"company":           200,
	"enterprise_number": 40,
	"name":              200,
	"email":             254,
	"phone":             40,
	"message":           5000,
	// the current registration's number, asked for a follow-up or renewal
	"registration_number": 40,
}

// MaxLength returns the most characters a contact field of the quote form
// ("company", "contact.message") may hold: the endpoint's bound, and the
// form's {max}; 0 for other fields.
func MaxLength(field string) int { return maxLen[strings.TrimPrefix(field, "contact.")] }

// FieldCode is a field of a quote request and a code it can be answered
// with.
type FieldCode struct{ Field, Code string }

// FieldCodes lists the field and code pairs that the quote form shows to
// a person, in form order; each needs a message in quote.yaml
// (fields.<field>.errors.<code>). The other errors (lang, answers, unknown
// keys) are the page's mistakes, not the person's.
func FieldCodes() []FieldCode {
	return []FieldCode{
		{"contact.company", CodeRequired}, {"contact.company", CodeTooLong}, {"contact.company", CodeInvalid},
		{"contact.enterprise_number", CodeInvalid},
		{"contact.name", CodeRequired}, {"contact.name", CodeTooLong}, {"contact.name", CodeInvalid},
		{"contact.email", CodeRequired}, {"contact.email", CodeTooLong}, {"contact.email", CodeInvalid},
		{"contact.phone", CodeInvalid},
		{"preferred_period", CodeInvalid},
		{"registration_number", CodeTooLong}, {"registration_number", CodeInvalid},
		{"contact.message", CodeTooLong},
		{"consent", CodeRequired},
	}
}

// Field returns the words of a form field by its name in a 400 answer
// ("contact.email", "consent"); nil for another name.
func (f *FieldsWords) Field(name string) *FieldWords {
	switch strings.TrimPrefix(name, "contact.") {
	case "company":
		return &f.Company
	case "enterprise_number":
		return &f.EnterpriseNumber
	case "name":
		return &f.Name
	case "email":
		return &f.Email
	case "phone":
		return &f.Phone
	case "message":
		return &f.Message
	case "preferred_period":
		return &f.PreferredPeriod
	case "audit_language":
		return &f.AuditLanguage
	case "registration_number":
		return &f.RegistrationNumber
	case "consent":
		return &f.Consent
	}
	return nil
}

// ErrorText returns the message of a field for a code, trimmed; "" when
// there is none.
func (f *FieldsWords) ErrorText(field, code string) string {
	fw := f.Field(field)
	if fw == nil {
		return ""
	}
	switch code {
	case CodeRequired:
		return strings.TrimSpace(fw.Errors.Required)
	case CodeTooLong:
		return strings.TrimSpace(fw.Errors.TooLong)
	case CodeInvalid:
		return strings.TrimSpace(fw.Errors.Invalid)
	}
	return ""
}

// Placeholders returns the names in braces in s ("{reference}" gives
// "reference"), in order.
func Placeholders(s string) []string {
	var names []string
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			return names
		}
		j := strings.IndexAny(s[i+1:], "{}")
		if j < 0 {
			return names
		}
		if s[i+1+j] == '}' {
			names = append(names, s[i+1:i+1+j])
		}
		s = s[i+1+j:]
	}
}

// Expand replaces the placeholders of s by their values; vars holds name,
// value pairs. A placeholder without a value stays as it is.
func Expand(s string, vars ...string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		j := -1
		if i >= 0 {
			j = strings.IndexAny(s[i+1:], "{}")
		}
		if i < 0 || j < 0 {
			b.WriteString(s)
			return b.String()
		}
		if s[i+1+j] == '{' { // "{a {b}": the first brace is text
			b.WriteString(s[:i+1+j])
			s = s[i+1+j:]
			continue
		}
		name, value := s[i+1:i+1+j], ""
		found := false
		for k := 0; k+1 < len(vars); k += 2 {
			if vars[k] == name {
				value, found = vars[k+1], true
				break
			}
		}
		b.WriteString(s[:i])
		if found {
			b.WriteString(value)
		} else {
			b.WriteString(s[i : i+2+j])
		}
		s = s[i+2+j:]
	}
}
