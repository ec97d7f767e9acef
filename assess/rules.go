package assess

// Requirement is one of the five requirements of the KMOP norm with its
// status (docs/rules.md, "The five requirements").
type Requirement struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

// Result is the outcome of the rules for a set of answers: the object of
// docs/rules.md, "Output: the result", with its fields in the same order. Its
// slices are never nil, so that JSON writes [] rather than null.
type Result struct {
	Verdict            string        `json:"verdict"`
	Complete           bool          `json:"complete"`
	Next               []QuestionID  `json:"next"`
	Blockers           []string      `json:"blockers"`
	Warnings           []string      `json:"warnings"`
	Track              string        `json:"track"`
	RegistrationYears  int           `json:"registration_years"`
	FollowUpAuditYears int           `json:"follow_up_audit_years"`
	Requirements       []Requirement `json:"requirements"`
	PossibleExemptions []string      `json:"possible_exemptions"`
	Steps              []string      `json:"steps"`
	Plan               Plan          `json:"plan"`
}

// The days from which a rule applies (docs/rules.md, facts §1).
const (
	themesFrom      = "2023-01-01" // support only within the eight themes
	adviceCyberFrom = "2026-02-01" // advice subsidised only for cybersecurity
)

// Starter thresholds (docs/rules.md, facts §7): fewer than 3 years active and fewer
// than 20 dossiers.
const (
	starterYears    = 3
	starterDossiers = 20
)

// applies reports whether a rule in force from day from applies on the
// answers' date. Dates written YYYY-MM-DD order as strings; an empty or
// malformed date applies the newest rules.
func (w *view) applies(from string) bool {
	if !ValidDate(w.date) {
		return true
	}
	return w.date >= from
}

// Asked reports whether question id is asked under answers a (docs/rules.md,
// column "asked when"). An id that is no question is never asked.
func Asked(a Answers, id QuestionID) bool {
	return newView(a).asked(id)
}

func (a *view) asked(id QuestionID) bool {
	switch id {
	case RegistrationDate:
		v, ok := a.answer(AuditKind)
		return ok && (v.Text == AuditFollowUp || v.Text == AuditRenewal)
	case YearsActive:
		v, ok := a.answer(AuditKind)
		return ok && v.Text == AuditFirst
	case LegalForm, SitesBelgium, SitesAbroad:
		v := a.verdictOnly()
		return v == VerdictPrepare || v == VerdictReady
	case EnterpriseNumber:
		yes, _ := a.yes(HasEnterpriseNumber)
		return yes
	case IBAN:
		yes, _ := a.yes(HasSEPAAccount)
		return yes
	case AdviceCybersecurity:
		return a.has(Services, ServiceAdvice)
	case KMOPDossiers:
		v, ok := a.answer(YearsActive)
		return ok && v.Number < starterYears && a.asked(YearsActive)
	case ReadyExperience, ReadySatisfaction:
		t := a.track()
		return t == TrackStandard || t == TrackFollowUp
	}
	return index(id) >= 0
}

// verdictOnly returns the verdict, which no plan question can change,
// computing it once.
func (a *view) verdictOnly() string {
	if a.verdict == "" {
		a.verdict = a.evaluate().Verdict
	}
	return a.verdict
}

// track returns the track (docs/rules.md, "The track"), or "" while unknown.
func (a *view) track() string {
	kind, ok := a.answer(AuditKind)
	if !ok {
		return ""
	}
	switch kind.Text {
	case AuditFollowUp:
		return TrackFollowUp
	case AuditRenewal:
		return TrackStandard
	}
	years, ok := a.answer(YearsActive)
	if !ok {
		return ""
	}
	if years.Number >= starterYears {
		return TrackStandard
	}
	dossiers, ok := a.answer(KMOPDossiers)
	if !ok {
		return ""
	}
	if dossiers.Number < starterDossiers {
		return TrackStarter
	}
	return TrackStandard
}

// given returns the text of optional question id when it is asked and
// holds more than spaces.
func (a *view) given(id QuestionID) (string, bool) {
	if !a.asked(id) {
		return "", false
	}
	v, ok := a.answer(id)
	if !ok {
		return "", false
	}
	for i := 0; i < len(v.Text); i++ {
		if v.Text[i] != ' ' {
			return v.Text, true
		}
	}
	return "", false
}

// Evaluate applies the rules of docs/rules.md to the answers. Unanswered
// questions, questions not asked and answers that Validate would reject all
// count as not answered; Evaluate never fails.
func Evaluate(answers Answers) Result {
	a := newView(answers)
	r := a.evaluate()
	a.verdict = r.Verdict
	r.Plan = a.plan(&r)
	return r
}

// evaluate returns the result without its plan. It never asks whether a
// plan question is asked: that depends on the verdict it computes.
func (a *view) evaluate() Result {
	r := Result{
		Next:               []QuestionID{},
		Blockers:           []string{},
		Warnings:           []string{},
		Requirements:       make([]Requirement, 0, 5),
		PossibleExemptions: []string{},
		Steps:              []string{},
	}

	// Blockers, in the order of docs/rules.md.
	if yes, _ := a.yes(AuditBody); yes {
		r.Blockers = append(r.Blockers, BlockerAuditBody)
	}
	if yes, ok := a.yes(HasEnterpriseNumber); ok && !yes {
		r.Blockers = append(r.Blockers, BlockerNoEnterpriseNumber)
	}
	if s, ok := a.given(EnterpriseNumber); ok {
		if _, valid := NormalizeEnterpriseNumber(s); !valid {
			r.Blockers = append(r.Blockers, BlockerInvalidEnterpriseNumber)
		}
	}
	if yes, ok := a.yes(HasSEPAAccount); ok && !yes {
		r.Blockers = append(r.Blockers, BlockerNoSEPAAccount)
	}
	if s, ok := a.given(IBAN); ok && !ValidIBAN(s) {
		r.Blockers = append(r.Blockers, BlockerInvalidIBAN)
	}
	if v, ok := a.answer(Services); ok && len(v.List) == 0 {
		r.Blockers = append(r.Blockers, BlockerNoService)
	}
	// From February 2026 advice is subsidised only for cybersecurity
	// (docs/rules.md, facts §1). cyberRule holds when that rule applies to an
	// answered advice_cybersecurity, which is asked only when the services
	// include advice; without training, advice is then all there is.
	cyber, answered := a.yes(AdviceCybersecurity)
	cyberRule := answered && a.asked(AdviceCybersecurity) && a.applies(adviceCyberFrom)
	training := a.has(Services, ServiceTraining)
	if cyberRule && !cyber && !training {
		r.Blockers = append(r.Blockers, BlockerNoSubsidisedService)
	}
	if v, ok := a.answer(Themes); ok && len(v.List) == 0 && a.applies(themesFrom) {
		r.Blockers = append(r.Blockers, BlockerNoTheme)
	}

	// Warnings.
	if cyberRule && !cyber && training {
		r.Warnings = append(r.Warnings, WarningAdviceNotSubsidised)
	}
	if cyberRule && cyber {
		r.Warnings = append(r.Warnings, WarningAdviceCybersecurityOnly)
	}
	if yes, _ := a.yes(IntegrityConcerns); yes {
		r.Warnings = append(r.Warnings, WarningIntegrityReview)
	}
	if a.has(Certificates, ExemptionWSE) {
		r.Warnings = append(r.Warnings, WarningWSEUnconfirmed)
	}
	// A follow-up or renewal whose due day has passed (docs/rules.md, facts §7):
	// dates written YYYY-MM-DD order as strings.
	if due := a.dueDate(); due != "" && ValidDate(a.date) && due < a.date {
		r.Warnings = append(r.Warnings, WarningAuditOverdue)
	}

	// The track.
	r.Track = a.track()
	switch r.Track {
	case TrackStarter:
		r.RegistrationYears, r.FollowUpAuditYears = 2, 2
	case TrackFollowUp:
		r.RegistrationYears = 3
	case TrackStandard:
		r.RegistrationYears = 5
	}

	// The five requirements.
	toPrepare := false
	for _, req := range requirements {
		status := StatusUnknown
		if req.starterExempt && r.Track == TrackStarter {
			status = StatusExemptStarter
		} else if v, ok := a.answer(req.question); ok && a.asked(req.question) {
			switch v.Text {
			case ReadyYes:
				status = StatusReady
			case ReadyPartly:
				status = StatusPartly
			case ReadyNo:
				status = StatusNotReady
			}
		}
		if status == StatusPartly || status == StatusNotReady {
			toPrepare = true
		}
		r.Requirements = append(r.Requirements, Requirement{ID: req.id, Status: status})
	}

	// Possible exemptions, in the order iso9001, qfor, wse, itaa, ibr:
	// the order of the choices of certificates, then of memberships.
	for _, id := range [...]QuestionID{Certificates, Memberships} {
		for _, c := range questions[index(id)].Choices {
			if a.has(id, c) {
				r.PossibleExemptions = append(r.PossibleExemptions, c)
			}
		}
	}

	// Unanswered asked questions, in order; the optional text questions
	// and the plan questions never keep a result incomplete.
	for i := range questions {
		q := &questions[i]
		if q.Kind == Text || q.Plan || !a.asked(q.ID) {
			continue
		}
		if _, ok := a.answer(q.ID); !ok {
			r.Next = append(r.Next, q.ID)
		}
	}

	// The verdict.
	switch {
	case len(r.Blockers) > 0:
		r.Verdict = VerdictNotEligible
	case len(r.Next) > 0:
		r.Verdict = VerdictIncomplete
	case toPrepare:
		r.Verdict = VerdictPrepare
	default:
		r.Verdict = VerdictReady
	}
	r.Complete = r.Verdict != VerdictIncomplete
	if r.Complete {
		r.Next = r.Next[:0]
	}

	// Next steps, only when nothing blocks.
	if len(r.Blockers) == 0 {
		for _, s := range [...]struct {
			question QuestionID
			step     string
		}{
			{HasUserRight, StepGetUserRight},
			{RegisteredOnline, StepRegisterOnline},
			{DeclarationSigned, StepSignDeclaration},
		} {
			if yes, ok := a.yes(s.question); ok && !yes {
				r.Steps = append(r.Steps, s.step)
			}
		}
		if toPrepare {
			r.Steps = append(r.Steps, StepPrepareRequirements)
		}
		r.Steps = append(r.Steps, StepRequestAudit)
	}
	return r
}

// requirements ties each requirement to the question about it.
var requirements = [...]struct {
	id            string
	question      QuestionID
	starterExempt bool
}{
	{RequirementActivity, ReadyActivity, false},
	{RequirementExperience, ReadyExperience, true},
	{RequirementSatisfaction, ReadySatisfaction, true},
	{RequirementKnowledge, ReadyKnowledge, false},
	{RequirementIntegrity, ReadyIntegrity, false},
}
