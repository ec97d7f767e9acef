package assess_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"kmopsite/assess"
)

var update = flag.Bool("update", false, "rewrite testdata/paths.golden from the rules")

// An option is one answer to a question in the walk: a yes/no question
// takes its revealed text field along.
type option map[assess.QuestionID]assess.Value

// options holds, for every question, the answers the walk tries: every
// choice, numbers at their boundaries, valid and invalid texts.
var options = map[assess.QuestionID][]option{
	assess.AuditBody: {{assess.AuditBody: yes()}, {assess.AuditBody: no()}},
	assess.HasEnterpriseNumber: {
		{assess.HasEnterpriseNumber: no()},
		{assess.HasEnterpriseNumber: yes()},
		{assess.HasEnterpriseNumber: yes(), assess.EnterpriseNumber: text(validEnterprise)},
		{assess.HasEnterpriseNumber: yes(), assess.EnterpriseNumber: text("0403019262")},
	},
	assess.HasSEPAAccount: {
		{assess.HasSEPAAccount: no()},
		{assess.HasSEPAAccount: yes()},
		{assess.HasSEPAAccount: yes(), assess.IBAN: text(validIBAN)},
		{assess.HasSEPAAccount: yes(), assess.IBAN: text("DE89 3704 0044 0532 0130 00")},
		{assess.HasSEPAAccount: yes(), assess.IBAN: text("BE68 5390 0754 7035")},
	},
	assess.Services: {
		{assess.Services: list()},
		{assess.Services: list("training")},
		{assess.Services: list("advice")},
		{assess.Services: list("training", "advice")},
	},
	assess.AdviceCybersecurity: {{assess.AdviceCybersecurity: yes()}, {assess.AdviceCybersecurity: no()}},
	assess.Themes: {
		{assess.Themes: list()},
		{assess.Themes: list("digitalisation")},
		{assess.Themes: list("strategy", "job_skills", "digitalisation", "sustainability", "financial_literacy", "innovation", "internationalisation", "hr_management")},
	},
	assess.AuditKind: {{assess.AuditKind: text("first")}, {assess.AuditKind: text("follow_up")}, {assess.AuditKind: text("renewal")}},
	// Registration days at the edges of docs/rules.md, none after the earliest
	// date of the walks (2022-12-31): the 2014 floor; 2017-12-31, whose
	// renewal is due on 2022-12-31; a leap day; 2021-01-31, whose renewal
	// is due on 2026-01-31 and whose follow-up reminder falls in July.
	assess.RegistrationDate: {
		{assess.RegistrationDate: text("2014-01-01")}, {assess.RegistrationDate: text("2017-12-31")},
		{assess.RegistrationDate: text("2020-02-29")}, {assess.RegistrationDate: text("2021-01-31")},
	},
	assess.YearsActive:  {{assess.YearsActive: num(0)}, {assess.YearsActive: num(2)}, {assess.YearsActive: num(3)}},
	assess.KMOPDossiers: {{assess.KMOPDossiers: num(0)}, {assess.KMOPDossiers: num(19)}, {assess.KMOPDossiers: num(20)}},
	assess.Certificates: subsets(assess.Certificates, "iso9001", "qfor", "wse"),
	assess.Memberships:  subsets(assess.Memberships, "itaa", "ibr"),
	assess.IntegrityConcerns: {
		{assess.IntegrityConcerns: no()}, {assess.IntegrityConcerns: yes()},
	},
	assess.HasUserRight:      {{assess.HasUserRight: yes()}, {assess.HasUserRight: no()}},
	assess.RegisteredOnline:  {{assess.RegisteredOnline: yes()}, {assess.RegisteredOnline: no()}},
	assess.DeclarationSigned: {{assess.DeclarationSigned: yes()}, {assess.DeclarationSigned: no()}},
	assess.LegalForm:         {{assess.LegalForm: text("company")}, {assess.LegalForm: text("natural_person")}},
	assess.SitesBelgium:      {{assess.SitesBelgium: num(1)}, {assess.SitesBelgium: num(3)}},
	assess.SitesAbroad:       {{assess.SitesAbroad: num(0)}, {assess.SitesAbroad: num(2)}},
}

func init() {
	for _, id := range []assess.QuestionID{assess.ReadyActivity, assess.ReadyExperience, assess.ReadySatisfaction, assess.ReadyKnowledge, assess.ReadyIntegrity} {
		options[id] = []option{{id: ready("yes")}, {id: ready("partly")}, {id: ready("no")}}
	}
}

// subsets returns every subset of choices, in choice order, as options.
func subsets(id assess.QuestionID, choices ...string) []option {
	var opts []option
	for mask := 0; mask < 1<<len(choices); mask++ {
		var l []string
		for i, c := range choices {
			if mask&(1<<i) != 0 {
				l = append(l, c)
			}
		}
		opts = append(opts, option{id: list(l...)})
	}
	return opts
}

// A segment is one walk: from each fixture (answers given beforehand), the
// questionnaire is followed as an applicant would: the first unanswered
// question that the segment varies takes each of its options in turn, and
// every state on the way is a path of its own (the applicant may stop
// there). A blocker ends a path, as it ends the questionnaire.
type segment struct {
	name     string
	vary     []assess.QuestionID
	fixtures []fixture
}

type fixture struct {
	name    string
	answers assess.Answers
}

var core = []assess.QuestionID{
	assess.AuditBody, assess.HasEnterpriseNumber, assess.HasSEPAAccount, assess.Services,
	assess.AdviceCybersecurity, assess.Themes, assess.AuditKind, assess.RegistrationDate,
	assess.YearsActive, assess.KMOPDossiers,
}

var planQuestions = []assess.QuestionID{assess.LegalForm, assess.SitesBelgium, assess.SitesAbroad}

var exemptionQuestions = []assess.QuestionID{assess.Certificates, assess.Memberships, assess.IntegrityConcerns}

var readinessAndSteps = []assess.QuestionID{
	assess.ReadyActivity, assess.ReadyExperience, assess.ReadySatisfaction, assess.ReadyKnowledge,
	assess.ReadyIntegrity, assess.HasUserRight, assess.RegisteredOnline, assess.DeclarationSigned,
}

// segments lists the walks. The questions split in three groups whose
// effects on the result are independent: the core (blockers, the advice
// warning, the track), the exemptions and integrity warning, and the
// readiness with the steps. Each walk varies one group over every
// combination of its options, the others answered beforehand; the core
// walk runs on each side of both dates of docs/rules.md, the others on both
// tracks. A full cross product of the three would be some ten million
// paths; this is some nine thousand, and a rule change in any group shows.
func segments() []segment {
	var coreFixtures []fixture
	for _, d := range []string{"2022-12-31", "2023-01-01", "2026-01-31", "2026-02-01"} {
		coreFixtures = append(coreFixtures, fixture{d, without(baseline(d), append(core, assess.EnterpriseNumber, assess.IBAN)...)})
	}
	tracks := func(vary []assess.QuestionID) []fixture {
		b := with(baseline("2026-02-01"), assess.Services, list("training", "advice"), assess.AdviceCybersecurity, no())
		return []fixture{
			{"starter", without(with(b, assess.YearsActive, num(1), assess.KMOPDossiers, num(5)), vary...)},
			{"standard", without(with(b, assess.YearsActive, num(10)), vary...)},
		}
	}
	// The plan questions, after each audit and with an exemption claimed.
	b := baseline("2026-06-01")
	planFixtures := []fixture{
		{"starter", with(b, assess.YearsActive, num(1), assess.KMOPDossiers, num(5))},
		{"standard", b},
		{"follow_up", with(without(b, assess.YearsActive), assess.AuditKind, text("follow_up"), assess.RegistrationDate, text("2024-11-30"))},
		{"renewal", with(without(b, assess.YearsActive), assess.AuditKind, text("renewal"), assess.RegistrationDate, text("2022-05-31"))},
		{"renewal_prepare_exemptions", with(without(b, assess.YearsActive), assess.AuditKind, text("renewal"), assess.RegistrationDate, text("2021-06-01"), assess.ReadyKnowledge, ready("partly"), assess.Memberships, list("itaa"))},
	}
	for i := range planFixtures {
		planFixtures[i].answers = without(planFixtures[i].answers, planQuestions...)
	}
	return []segment{
		{"core", core, coreFixtures},
		{"exemptions", exemptionQuestions, tracks(exemptionQuestions)},
		{"readiness", readinessAndSteps, tracks(readinessAndSteps)},
		{"plan", planQuestions, planFixtures},
	}
}

// seen gathers what the walk met, to show that every question is asked
// and every code produced somewhere.
type seen map[string]bool

func (s seen) add(r assess.Result) {
	s["verdicts."+r.Verdict] = true
	if r.Track != "" {
		s["tracks."+r.Track] = true
	}
	for _, c := range r.Blockers {
		s["blockers."+c] = true
	}
	for _, c := range r.Warnings {
		s["warnings."+c] = true
	}
	for _, c := range r.PossibleExemptions {
		s["exemptions."+c] = true
	}
	for _, c := range r.Steps {
		s["steps."+c] = true
	}
	for _, c := range r.Plan.Documents {
		s["documents."+c] = true
	}
	s["audits."+r.Plan.Audit] = true
	for _, id := range r.Plan.Next {
		s["next."+string(id)] = true
	}
	for _, q := range r.Requirements {
		s["statuses."+q.Status] = true
	}
	for _, id := range r.Next {
		s["next."+string(id)] = true
	}
}

func walk(t *testing.T, seg segment, fx fixture, a assess.Answers, out *bytes.Buffer, s seen) int {
	r := assess.Evaluate(a)
	checkInvariants(t, a, r)
	s.add(r)
	out.WriteString(seg.name + " " + fx.name + " |" + describeOnly(a, seg.vary) + " => " + full(r) + "\n")
	n := 1
	next := r.Next
	if r.Complete {
		next = r.Plan.Next
	}
	for _, id := range next {
		if !slices.Contains(seg.vary, id) {
			continue
		}
		for _, opt := range options[id] {
			b := a.Clone()
			for qid, v := range opt {
				b.Set(qid, v)
			}
			n += walk(t, seg, fx, b, out, s)
		}
		break
	}
	return n
}

// describeOnly writes the answers to the varied questions and the text
// fields they reveal, in question order.
func describeOnly(a assess.Answers, vary []assess.QuestionID) string {
	var b strings.Builder
	for _, q := range assess.Questions() {
		v, ok := a.Get(q.ID)
		if !ok || !slices.Contains(vary, q.ID) && !slices.Contains(vary, q.RevealedBy) {
			continue
		}
		b.WriteString(" " + string(q.ID) + "=" + valueString(q, v))
	}
	return b.String()
}

// TestPaths walks the questionnaire as described at segments, checks the
// invariants of docs/rules.md on every path, checks that every question is
// asked and every code produced somewhere, and compares the outcome of
// every path with testdata/paths.golden. After a deliberate rule change,
// run go test ./assess -run TestPaths -update and review the diff.
func TestPaths(t *testing.T) {
	var out bytes.Buffer
	s := seen{}
	total := 0
	for _, seg := range segments() {
		for _, fx := range seg.fixtures {
			total += walk(t, seg, fx, fx.answers, &out, s)
		}
	}
	t.Logf("%d paths, %d bytes", total, out.Len())

	for _, q := range assess.Questions() {
		if q.Kind != assess.Text && !s["next."+string(q.ID)] {
			t.Errorf("question %s is never asked on any path", q.ID)
		}
	}
	for _, l := range []struct {
		name  string
		codes []string
	}{
		{"verdicts", assess.Verdicts}, {"blockers", assess.Blockers}, {"warnings", assess.Warnings},
		{"tracks", assess.Tracks}, {"statuses", assess.Statuses}, {"exemptions", assess.Exemptions},
		{"steps", assess.Steps}, {"audits", assess.Audits}, {"documents", assess.Documents},
	} {
		for _, c := range l.codes {
			if !s[l.name+"."+c] {
				t.Errorf("%s.%s is never produced on any path", l.name, c)
			}
		}
	}

	golden := filepath.Join("testdata", "paths.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./assess -run TestPaths -update to write it)", err)
	}
	if !bytes.Equal(want, out.Bytes()) {
		t.Errorf("the outcomes differ from %s; if the rules changed on purpose, run\n\tgo test ./assess -run TestPaths -update\nand review the diff. Lines changed (- golden, + now), at most 20 of each:\n%s",
			golden, lineDiff(string(want), out.String(), 20))
	}
}

// lineDiff lists lines only in want (-) and only in got (+). Every line of
// the golden file names a distinct path, so a set difference is a diff.
func lineDiff(want, got string, max int) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	w, g := in(want), in(got)
	var b strings.Builder
	for _, c := range []struct {
		sign  string
		lines string
		notIn map[string]bool
	}{{"- ", want, g}, {"+ ", got, w}} {
		n := 0
		for _, l := range strings.Split(c.lines, "\n") {
			if !c.notIn[l] && n < max {
				b.WriteString(c.sign + l + "\n")
				n++
			}
		}
	}
	return b.String()
}

// grouped holds fewer options than options, one per class of answers that
// the rules treat alike (a valid number and no number; one theme and all
// eight; 0 and 2 years; one certificate and three), so that every combination of every question can
// be walked.
func grouped() map[assess.QuestionID][]option {
	g := map[assess.QuestionID][]option{}
	for id, opts := range options {
		g[id] = opts
	}
	g[assess.HasEnterpriseNumber] = []option{options[assess.HasEnterpriseNumber][1], options[assess.HasEnterpriseNumber][3]}
	g[assess.HasSEPAAccount] = []option{options[assess.HasSEPAAccount][0], options[assess.HasSEPAAccount][1], options[assess.HasSEPAAccount][4]}
	g[assess.Themes] = options[assess.Themes][:2]
	g[assess.AuditKind] = []option{{assess.AuditKind: text("first")}, {assess.AuditKind: text("follow_up")}}
	g[assess.RegistrationDate] = []option{{assess.RegistrationDate: text("2021-01-31")}}
	g[assess.YearsActive] = []option{{assess.YearsActive: num(2)}, {assess.YearsActive: num(3)}}
	g[assess.KMOPDossiers] = []option{{assess.KMOPDossiers: num(19)}, {assess.KMOPDossiers: num(20)}}
	g[assess.Certificates] = []option{{assess.Certificates: list()}, {assess.Certificates: list("iso9001", "qfor", "wse")}}
	g[assess.Memberships] = []option{{assess.Memberships: list()}, {assess.Memberships: list("itaa", "ibr")}}
	return g
}

// TestAllCombinations walks every combination of the grouped answers to
// every question, on each side of both dates of docs/rules.md, stopping only
// where the questionnaire stops (a blocker, or a question left
// unanswered), and checks the invariants of docs/rules.md on each path. It
// writes nothing: TestPaths keeps the outcomes.
func TestAllCombinations(t *testing.T) {
	g := grouped()
	total := 0
	var step func(a *assess.Answers)
	step = func(a *assess.Answers) {
		r := assess.Evaluate(*a)
		checkInvariants(t, *a, r)
		total++
		if r.Complete {
			return
		}
		id := r.Next[0]
		for _, opt := range g[id] {
			for qid, v := range opt {
				a.Set(qid, v)
			}
			step(a)
			for qid := range opt {
				a.Unset(qid)
			}
		}
	}
	for _, d := range []string{"2022-12-31", "2023-01-01", "2026-01-31", "2026-02-01"} {
		a := assess.Answers{Date: d}
		step(&a)
	}
	t.Logf("%d paths", total)
	if total < 100000 {
		t.Errorf("only %d paths: the walk lost its way", total)
	}
}
