package assess_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"kmopsite/assess"
)

// Answer values, short to write in tables.
func yes() assess.Value             { return assess.Value{Bool: true} }
func no() assess.Value              { return assess.Value{Bool: false} }
func text(s string) assess.Value    { return assess.Value{Text: s} }
func num(n int) assess.Value        { return assess.Value{Number: n} }
func list(s ...string) assess.Value { return assess.Value{List: append([]string{}, s...)} }
func ready(s string) assess.Value   { return assess.Value{Text: s} }
func set(kv ...any) map[assess.QuestionID]assess.Value {
	m := map[assess.QuestionID]assess.Value{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(assess.QuestionID)] = kv[i+1].(assess.Value)
	}
	return m
}

// Valid numbers from docs/rules.md, facts §11.
const (
	validEnterprise = "0403.019.261"
	validIBAN       = "BE68 5390 0754 7034"
)

// baseline is a complete set of answers of an established provider who is
// ready: the result is "ready" on the standard track.
func baseline(date string) assess.Answers {
	a := assess.Answers{Date: date}
	for id, v := range set(
		assess.AuditBody, no(),
		assess.HasEnterpriseNumber, yes(),
		assess.EnterpriseNumber, text(validEnterprise),
		assess.HasSEPAAccount, yes(),
		assess.IBAN, text(validIBAN),
		assess.Services, list("training"),
		assess.Themes, list("digitalisation"),
		assess.AuditKind, text("first"),
		assess.YearsActive, num(5),
		assess.Certificates, list(),
		assess.Memberships, list(),
		assess.IntegrityConcerns, no(),
		assess.ReadyActivity, ready("yes"),
		assess.ReadyExperience, ready("yes"),
		assess.ReadySatisfaction, ready("yes"),
		assess.ReadyKnowledge, ready("yes"),
		assess.ReadyIntegrity, ready("yes"),
		assess.HasUserRight, yes(),
		assess.RegisteredOnline, yes(),
		assess.DeclarationSigned, yes(),
	) {
		a.Set(id, v)
	}
	return a
}

// with returns a copy of a with the given answers set; a nil Value pointer
// is not used: use without to unset.
func with(a assess.Answers, kv ...any) assess.Answers {
	c := a.Clone()
	for id, v := range set(kv...) {
		c.Set(id, v)
	}
	return c
}

func without(a assess.Answers, ids ...assess.QuestionID) assess.Answers {
	c := a.Clone()
	for _, id := range ids {
		c.Unset(id)
	}
	return c
}

// statuses returns the five statuses, comma-separated.
func statuses(r assess.Result) string {
	s := make([]string, len(r.Requirements))
	for i, q := range r.Requirements {
		s[i] = q.Status
	}
	return strings.Join(s, ",")
}

func ids(next []assess.QuestionID) []string {
	s := make([]string, len(next))
	for i, id := range next {
		s[i] = string(id)
	}
	return s
}

// checkInvariants checks what docs/rules.md promises of every result.
// It calls t.Helper only on failure: it runs millions of times.
func checkInvariants(t testing.TB, a assess.Answers, r assess.Result) {
	fail := func(msg string) {
		t.Helper()
		t.Fatalf("%s\nanswers: %s\nresult: %+v", msg, describe(a), r)
	}
	if r.Next == nil || r.Blockers == nil || r.Warnings == nil || r.Requirements == nil ||
		r.PossibleExemptions == nil || r.Steps == nil {
		fail("a list is nil")
	}
	if !slices.Contains(assess.Verdicts, r.Verdict) {
		fail("unknown verdict")
	}
	if r.Complete != (r.Verdict != assess.VerdictIncomplete) {
		fail("complete does not match the verdict")
	}
	if r.Complete && len(r.Next) > 0 {
		fail("complete but next is not empty")
	}
	if !r.Complete && len(r.Next) == 0 {
		fail("incomplete but next is empty")
	}
	if (r.Verdict == assess.VerdictNotEligible) != (len(r.Blockers) > 0) {
		fail("not_eligible must go with a blocker and a blocker with not_eligible")
	}
	inOrder := func(what string, got, all []string) {
		last := -1
		for _, c := range got {
			i := slices.Index(all, c)
			if i <= last {
				fail(what + ": " + c + " unknown, repeated or out of order")
			}
			last = i
		}
	}
	inOrder("blockers", r.Blockers, assess.Blockers)
	inOrder("warnings", r.Warnings, assess.Warnings)
	inOrder("possible_exemptions", r.PossibleExemptions, assess.Exemptions)
	inOrder("steps", r.Steps, assess.Steps)
	inOrder("next", ids(r.Next), questionOrder)
	// The February 2026 reform: at most one verdict on the advice, and
	// only for an offer with advice, answered about cybersecurity.
	reform := 0
	for _, c := range []string{assess.BlockerNoSubsidisedService, assess.WarningAdviceNotSubsidised, assess.WarningAdviceCybersecurityOnly} {
		if slices.Contains(r.Blockers, c) || slices.Contains(r.Warnings, c) {
			reform++
			if !assess.Asked(a, assess.AdviceCybersecurity) {
				fail(c + " without advice among the services")
			}
			v, ok := a.Get(assess.AdviceCybersecurity)
			if !ok || v.Bool != (c == assess.WarningAdviceCybersecurityOnly) {
				fail(c + " does not match the answer about cybersecurity")
			}
		}
	}
	if reform > 1 {
		fail("more than one code of the February 2026 reform")
	}
	for _, id := range r.Next {
		q, _ := assess.Lookup(id)
		if q.Kind == assess.Text {
			fail("next holds optional text question " + string(id))
		}
		if !assess.Asked(a, id) {
			fail("next holds " + string(id) + ", which is not asked")
		}
		if v, ok := a.Get(id); ok && !slices.ContainsFunc(assess.Validate(only(a.Date, id, v)), func(p assess.Problem) bool { return p.Key == string(id) }) {
			fail("next holds " + string(id) + ", which is answered")
		}
	}
	if len(r.Requirements) != 5 {
		fail("not five requirements")
	}
	for i, q := range r.Requirements {
		if q.ID != assess.RequirementIDs[i] {
			fail("requirements out of order")
		}
		if !slices.Contains(assess.Statuses, q.Status) {
			fail("unknown status " + q.Status)
		}
		if q.Status == assess.StatusExemptStarter && (r.Track != assess.TrackStarter || (i != 1 && i != 2)) {
			fail("exempt_starter off the starter track or on the wrong requirement")
		}
		if r.Verdict == assess.VerdictReady && q.Status != assess.StatusReady && q.Status != assess.StatusExemptStarter {
			fail("ready while a requirement is " + q.Status)
		}
	}
	switch r.Track {
	case "":
		if r.RegistrationYears != 0 || r.FollowUpAuditYears != 0 {
			fail("years while the track is unknown")
		}
	case assess.TrackStarter:
		if r.RegistrationYears != 2 || r.FollowUpAuditYears != 2 {
			fail("starter: want 2 and 2 years")
		}
	case assess.TrackFollowUp:
		if r.RegistrationYears != 3 || r.FollowUpAuditYears != 0 {
			fail("follow_up: want 3 and 0 years")
		}
	case assess.TrackStandard:
		if r.RegistrationYears != 5 || r.FollowUpAuditYears != 0 {
			fail("standard: want 5 and 0 years")
		}
	default:
		fail("unknown track")
	}
	if (len(r.Steps) == 0) != (len(r.Blockers) > 0) {
		fail("steps must be empty exactly when there is a blocker")
	}
	if len(r.Steps) > 0 && r.Steps[len(r.Steps)-1] != assess.StepRequestAudit {
		fail("request_audit must come last")
	}
	toPrepare := false
	for _, q := range r.Requirements {
		toPrepare = toPrepare || q.Status == assess.StatusPartly || q.Status == assess.StatusNotReady
	}
	if len(r.Blockers) == 0 && toPrepare != slices.Contains(r.Steps, assess.StepPrepareRequirements) {
		fail("prepare_requirements must be a step exactly when a requirement is partly or not ready")
	}
	if r.Verdict == assess.VerdictPrepare && !toPrepare {
		fail("prepare while no requirement is partly or not ready")
	}
	checkPlan(fail, inOrder, a, r)
}

// checkPlan checks what docs/rules.md promises of the plan.
func checkPlan(fail func(string), inOrder func(string, []string, []string), a assess.Answers, r assess.Result) {
	p := r.Plan
	if p.Next == nil || p.Audited == nil || p.Documents == nil {
		fail("a list of the plan is nil")
	}
	for _, id := range r.Next {
		if q, _ := assess.Lookup(id); q.Plan {
			fail("the result's next holds plan question " + string(id))
		}
	}
	asking := r.Verdict == assess.VerdictPrepare || r.Verdict == assess.VerdictReady
	if !asking && len(p.Next) > 0 {
		fail("plan questions asked after a verdict other than prepare or ready")
	}
	if p.Complete != (asking && len(p.Next) == 0) {
		fail("plan.complete does not match the verdict and plan.next")
	}
	inOrder("plan.next", ids(p.Next), questionOrder)
	for _, id := range p.Next {
		if q, _ := assess.Lookup(id); !q.Plan {
			fail("plan.next holds " + string(id) + ", not a plan question")
		}
		if !assess.Asked(a, id) {
			fail("plan.next holds " + string(id) + ", which is not asked")
		}
	}
	if (p.Audit == "") != (r.Track == "") || p.Audit != "" && !slices.Contains(assess.Audits, p.Audit) {
		fail("plan.audit " + p.Audit + " does not go with track " + r.Track)
	}
	// audited ⊆ the five, in order, without experience and satisfaction
	// exactly on the starter track.
	inOrder("plan.audited", p.Audited, assess.RequirementIDs)
	starter := r.Track == assess.TrackStarter
	if slices.Contains(p.Audited, assess.RequirementExperience) == starter ||
		slices.Contains(p.Audited, assess.RequirementSatisfaction) == starter ||
		len(p.Audited) != 5 && !starter || len(p.Audited) != 3 && starter {
		fail("plan.audited does not match the track")
	}
	// No document twice, each known, in order; the variants exclusive.
	inOrder("plan.documents", p.Documents, assess.Documents)
	for _, pair := range [][2]string{
		{assess.DocArticlesOfAssociation, assess.DocLegalResidence},
		{assess.DocAnnualAccounts, assess.DocIncomeStatements},
		{assess.DocProjectList24Months, assess.DocDossierList5Years},
	} {
		if slices.Contains(p.Documents, pair[0]) == slices.Contains(p.Documents, pair[1]) {
			fail("plan.documents: exactly one of " + pair[0] + " and " + pair[1])
		}
	}
	// Dates: real days, the reminder six months before the due date, a
	// due date only for a follow-up or a renewal.
	if p.DueDate != "" && !assess.ValidDate(p.DueDate) || p.ReminderDate != "" && !assess.ValidDate(p.ReminderDate) {
		fail("plan: a date that is not a real day")
	}
	if (p.DueDate == "") != (p.ReminderDate == "") {
		fail("plan: a reminder without a due date or a due date without a reminder")
	}
	if p.DueDate != "" && (p.ReminderDate >= p.DueDate || p.Audit != assess.AuditFollowUp && p.Audit != assess.AuditRenewal) {
		fail("plan: the reminder must come before the due date of a follow-up or renewal")
	}
	overdue := p.DueDate != "" && assess.ValidDate(a.Date) && p.DueDate < a.Date
	if overdue != slices.Contains(r.Warnings, assess.WarningAuditOverdue) {
		fail("audit_overdue does not match the due date")
	}
}

var questionOrder = func() []string {
	var order []string
	for _, q := range assess.Questions() {
		order = append(order, string(q.ID))
	}
	return order
}()

// only returns answers on date holding just id = v, to ask Validate about
// v.
func only(date string, id assess.QuestionID, v assess.Value) assess.Answers {
	a := assess.Answers{Date: date}
	a.Set(id, v)
	return a
}

// describe writes answers as id=value pairs in question order.
func describe(a assess.Answers) string {
	var b strings.Builder
	b.WriteString(a.Date)
	for _, q := range assess.Questions() {
		v, ok := a.Get(q.ID)
		if !ok {
			continue
		}
		b.WriteString(" " + string(q.ID) + "=" + valueString(q, v))
	}
	return b.String()
}

func valueString(q assess.Question, v assess.Value) string {
	switch q.Kind {
	case assess.YesNo:
		if v.Bool {
			return "yes"
		}
		return "no"
	case assess.Number:
		return strconv.Itoa(v.Number)
	case assess.MultiChoice:
		return "[" + strings.Join(v.List, ",") + "]"
	}
	return strconv.Quote(v.Text)
}
