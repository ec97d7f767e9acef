// Package assess holds the eligibility rules of the self-check: the
// questions, when each is asked, and what the answers mean for becoming a
// registered kmo-portefeuille provider. The specification is
// docs/rules.md; every rule below names the section of it that it
// implements.
//
// The package is pure Go on the standard library and imports none of fmt,
// encoding/json, reflect, time or os: it is compiled to WebAssembly for the
// browser, where each of those costs hundreds of kilobytes. JSON lives at the
// edges (package assess/codec, the wasm entry in assess/wasm).
package assess

// QuestionID names a question. The values are a public contract (docs/rules.md,
// "Questions"): stored quote requests and the questionnaire use them, so
// they are never renamed or reused.
type QuestionID string

// The questions, in the order docs/rules.md asks them.
const (
	AuditBody           QuestionID = "audit_body"
	HasEnterpriseNumber QuestionID = "has_enterprise_number"
	EnterpriseNumber    QuestionID = "enterprise_number"
	HasSEPAAccount      QuestionID = "has_sepa_account"
	IBAN                QuestionID = "iban"
	Services            QuestionID = "services"
	AdviceCybersecurity QuestionID = "advice_cybersecurity"
	Themes              QuestionID = "themes"
	AuditKind           QuestionID = "audit_kind"
	RegistrationDate    QuestionID = "registration_date"
	YearsActive         QuestionID = "years_active"
	KMOPDossiers        QuestionID = "kmop_dossiers"
	Certificates        QuestionID = "certificates"
	Memberships         QuestionID = "memberships"
	IntegrityConcerns   QuestionID = "integrity_concerns"
	ReadyActivity       QuestionID = "ready_activity"
	ReadyExperience     QuestionID = "ready_experience"
	ReadySatisfaction   QuestionID = "ready_satisfaction"
	ReadyKnowledge      QuestionID = "ready_knowledge"
	ReadyIntegrity      QuestionID = "ready_integrity"
	HasUserRight        QuestionID = "has_user_right"
	RegisteredOnline    QuestionID = "registered_online"
	DeclarationSigned   QuestionID = "declaration_signed"

	// The plan questions (docs/rules.md, "Plan questions"): asked after a
	// prepare or ready verdict, they feed the plan and never change the
	// verdict.
	LegalForm    QuestionID = "legal_form"
	SitesBelgium QuestionID = "sites_belgium"
	SitesAbroad  QuestionID = "sites_abroad"
)

// Kind is the shape of a question's answer.
type Kind uint8

// The kinds of question. The zero Kind is no kind, so that a forgotten
// field shows.
const (
	YesNo       Kind = iota + 1 // Value.Bool
	Text                        // Value.Text; optional, revealed by a yes/no question
	MultiChoice                 // Value.List, each element one of Question.Choices
	Number                      // Value.Number, a whole number ≥ 0
	Readiness                   // Value.Text, one of "yes", "partly", "no"
	Choice                      // Value.Text, one of Question.Choices
	Date                        // Value.Text, a day written YYYY-MM-DD
)

// String returns the kind's name as the JSON contract would write it.
func (k Kind) String() string {
	switch k {
	case YesNo:
		return "yes_no"
	case Text:
		return "text"
	case MultiChoice:
		return "multi_choice"
	case Number:
		return "number"
	case Readiness:
		return "readiness"
	case Choice:
		return "choice"
	case Date:
		return "date"
	}
	return "unknown_kind"
}

// Question describes one question of the questionnaire.
type Question struct {
	ID   QuestionID
	Kind Kind
	// Choices are the allowed values of a MultiChoice or Choice question,
	// in order, and "yes", "partly", "no" for a Readiness question.
	Choices []string
	// RevealedBy is, for a Text question, the yes/no question whose "yes"
	// reveals it as a field on the same page; for registration_date,
	// audit_kind, whose follow_up and renewal reveal it (RevealedOn).
	RevealedBy QuestionID
	// RevealedOn are the answers of RevealedBy that reveal a Date
	// question; nil for a Text question ("yes" reveals it).
	RevealedOn []string
	// None is true for a MultiChoice question whose empty list is a
	// meaningful answer, "none of these" (themes, certificates,
	// memberships); the questionnaire offers it as a choice of its own.
	None bool
	// Min is the smallest answer of a Number question (0 for most).
	Min int
	// Plan is true for the plan questions: asked only after a prepare or
	// ready verdict, never in Result.Next, only in Plan.Next.
	Plan bool
}

// Choice values.
const (
	ServiceTraining = "training"
	ServiceAdvice   = "advice"

	AuditFirst    = "first"
	AuditFollowUp = "follow_up"
	AuditRenewal  = "renewal"

	LegalFormCompany       = "company"
	LegalFormNaturalPerson = "natural_person"

	ReadyYes    = "yes"
	ReadyPartly = "partly"
	ReadyNo     = "no"
)

// maxNumber bounds Number answers: no provider has been active or handled
// dossiers beyond it, and JavaScript numbers hold it exactly.
const maxNumber = 1000000

// maxText bounds Text answers: an enterprise number or an IBAN, even
// written with spaces, is far shorter.
const maxText = 100

// questions is the table of docs/rules.md, "Questions, in the order they are
// asked". When each is asked is in Asked.
var questions = [...]Question{
	{ID: AuditBody, Kind: YesNo},
	{ID: HasEnterpriseNumber, Kind: YesNo},
	{ID: EnterpriseNumber, Kind: Text, RevealedBy: HasEnterpriseNumber},
	{ID: HasSEPAAccount, Kind: YesNo},
	{ID: IBAN, Kind: Text, RevealedBy: HasSEPAAccount},
	{ID: Services, Kind: MultiChoice, Choices: []string{ServiceTraining, ServiceAdvice}},
	{ID: AdviceCybersecurity, Kind: YesNo},
	{ID: Themes, Kind: MultiChoice, None: true, Choices: []string{
		"strategy", "job_skills", "digitalisation", "sustainability",
		"financial_literacy", "innovation", "internationalisation", "hr_management",
	}},
	{ID: AuditKind, Kind: Choice, Choices: []string{AuditFirst, AuditFollowUp, AuditRenewal}},
	{ID: RegistrationDate, Kind: Date, RevealedBy: AuditKind, RevealedOn: []string{AuditFollowUp, AuditRenewal}},
	{ID: YearsActive, Kind: Number},
	{ID: KMOPDossiers, Kind: Number},
	{ID: Certificates, Kind: MultiChoice, None: true, Choices: []string{ExemptionISO9001, ExemptionQfor, ExemptionWSE}},
	{ID: Memberships, Kind: MultiChoice, None: true, Choices: []string{ExemptionITAA, ExemptionIBR}},
	{ID: IntegrityConcerns, Kind: YesNo},
	{ID: ReadyActivity, Kind: Readiness, Choices: readinessChoices},
	{ID: ReadyExperience, Kind: Readiness, Choices: readinessChoices},
	{ID: ReadySatisfaction, Kind: Readiness, Choices: readinessChoices},
	{ID: ReadyKnowledge, Kind: Readiness, Choices: readinessChoices},
	{ID: ReadyIntegrity, Kind: Readiness, Choices: readinessChoices},
	{ID: HasUserRight, Kind: YesNo},
	{ID: RegisteredOnline, Kind: YesNo},
	{ID: DeclarationSigned, Kind: YesNo},
	{ID: LegalForm, Kind: Choice, Plan: true, Choices: []string{LegalFormCompany, LegalFormNaturalPerson}},
	{ID: SitesBelgium, Kind: Number, Plan: true, Min: 1},
	{ID: SitesAbroad, Kind: Number, Plan: true},
}

var readinessChoices = []string{ReadyYes, ReadyPartly, ReadyNo}

// Questions returns every question in the order of docs/rules.md. The slice and
// its Choices are fresh copies: changing them changes nothing here.
func Questions() []Question {
	qs := make([]Question, len(questions))
	for i, q := range questions {
		q.Choices = append([]string(nil), q.Choices...)
		q.RevealedOn = append([]string(nil), q.RevealedOn...)
		qs[i] = q
	}
	return qs
}

// Lookup returns the question with the given id.
func Lookup(id QuestionID) (Question, bool) {
	i := index(id)
	if i < 0 {
		return Question{}, false
	}
	q := questions[i]
	q.Choices = append([]string(nil), q.Choices...)
	q.RevealedOn = append([]string(nil), q.RevealedOn...)
	return q, true
}

// index returns the position of id in questions, or -1.
func index(id QuestionID) int {
	for i := range questions {
		if questions[i].ID == id {
			return i
		}
	}
	return -1
}

func hasChoice(q *Question, s string) bool {
	for _, c := range q.Choices {
		if c == s {
			return true
		}
	}
	return false
}
