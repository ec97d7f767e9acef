package assess

// Plan is the audit plan of a result (docs/rules.md, "The audit plan"): which
// audit, what it tests, what to have ready on the day, and by when a
// follow-up or renewal is due. Its slices are never nil.
type Plan struct {
	// Complete is true when the verdict is prepare or ready and every plan
	// question is answered.
	Complete bool `json:"complete"`
	// Next holds the plan questions still unanswered, in order; asked only
	// after a prepare or ready verdict, so empty otherwise.
	Next []QuestionID `json:"next"`
	// Audit is AuditStarter, AuditFollowUp, AuditStandard or AuditRenewal;
	// "" while the track is unknown.
	Audit string `json:"audit"`
	// Audited holds the requirements the audit tests, in the norm's order.
	Audited []string `json:"audited"`
	// Documents holds what to have ready on the day, in the order of
	// Documents (the package variable).
	Documents []string `json:"documents"`
	// DueDate is the last day of a follow-up or renewal audit, YYYY-MM-DD;
	// "" for another audit or while registration_date is unanswered.
	DueDate string `json:"due_date"`
	// ReminderDate is DueDate less six months; "" without a DueDate.
	ReminderDate string `json:"reminder_date"`
}

// Years after the start of a registration period by which the next audit
// is due (docs/rules.md, facts §7): the starters' follow-up within 2 years, a new
// audit after a 5-year registration.
const (
	followUpDueYears = 2
	renewalDueYears  = 5
	// reminderMonths is how long before the due date the calendar
	// reminder falls: time to plan and prepare an audit of one or two
	// days with an audit body.
	reminderMonths = 6
)

// audit returns the plan's audit, or "" while the track is unknown.
func (a *view) audit() string {
	switch a.track() {
	case TrackStarter:
		return AuditStarter
	case TrackFollowUp:
		return AuditFollowUp
	case TrackStandard:
		if v, _ := a.answer(AuditKind); v.Text == AuditRenewal {
			return AuditRenewal
		}
		return AuditStandard
	}
	return ""
}

// dueDate returns the day a follow-up or renewal audit is due, or "".
func (a *view) dueDate() string {
	if !a.asked(RegistrationDate) {
		return ""
	}
	start, ok := a.answer(RegistrationDate)
	if !ok {
		return ""
	}
	kind, _ := a.answer(AuditKind)
	switch kind.Text {
	case AuditFollowUp:
		return AddYears(start.Text, followUpDueYears)
	case AuditRenewal:
		return AddYears(start.Text, renewalDueYears)
	}
	return ""
}

// plan builds the plan of result r, whose verdict is known.
func (a *view) plan(r *Result) Plan {
	p := Plan{
		Next:      []QuestionID{},
		Audit:     a.audit(),
		Audited:   make([]string, 0, len(RequirementIDs)),
		Documents: make([]string, 0, len(Documents)),
		DueDate:   a.dueDate(),
	}
	if p.DueDate != "" {
		p.ReminderDate = AddMonths(p.DueDate, -reminderMonths)
	}
	for _, req := range requirements {
		if req.starterExempt && r.Track == TrackStarter {
			continue
		}
		p.Audited = append(p.Audited, req.id)
	}

	asking := r.Verdict == VerdictPrepare || r.Verdict == VerdictReady
	if asking {
		for i := range questions {
			q := &questions[i]
			if _, ok := a.answer(q.ID); q.Plan && !ok {
				p.Next = append(p.Next, q.ID)
			}
		}
	}
	p.Complete = asking && len(p.Next) == 0

	// legal_form counts as company while unanswered or not asked.
	natural := false
	if asking {
		v, _ := a.answer(LegalForm)
		natural = v.Text == LegalFormNaturalPerson
	}
	audited := func(id string) bool {
		for _, x := range p.Audited {
			if x == id {
				return true
			}
		}
		return false
	}
	exemptions := false
	for _, id := range [...]QuestionID{Certificates, Memberships} {
		v, _ := a.answer(id)
		exemptions = exemptions || len(v.List) > 0
	}
	for _, d := range [...]struct {
		code string
		when bool
	}{
		{DocActivityDescription, true},
		{DocArticlesOfAssociation, !natural},
		{DocRegisteredOffices, !natural},
		{DocLegalResidence, natural},
		{DocDirectorsStatement, true},
		{DocAnnualAccounts, !natural},
		{DocIncomeStatements, natural},
		{DocProjectFiles, true},
		{DocProjectList24Months, p.Audit != AuditRenewal},
		{DocDossierList5Years, p.Audit == AuditRenewal},
		{DocExperienceEvidence, audited(RequirementExperience)},
		{DocSatisfactionResults, audited(RequirementSatisfaction)},
		{DocExemptionEvidence, exemptions},
		{DocIndicatorNotes, true},
	} {
		if d.when {
			p.Documents = append(p.Documents, d.code)
		}
	}
	return p
}
