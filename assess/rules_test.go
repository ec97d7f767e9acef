package assess_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"kmopsite/assess"
)

// summary writes a result on one line, for tables and the golden file.
func summary(r assess.Result) string {
	l := func(s []string) string {
		if len(s) == 0 {
			return "-"
		}
		return strings.Join(s, ",")
	}
	track := r.Track
	if track == "" {
		track = "?"
	}
	return r.Verdict +
		" next=" + l(ids(r.Next)) +
		" blockers=" + l(r.Blockers) +
		" warnings=" + l(r.Warnings) +
		" track=" + track + " years=" + strconv.Itoa(r.RegistrationYears) + "/" + strconv.Itoa(r.FollowUpAuditYears) +
		" req=" + statuses(r) +
		" exemptions=" + l(r.PossibleExemptions) +
		" steps=" + l(r.Steps)
}

// full writes a result with its plan on one line.
func full(r assess.Result) string {
	return summary(r) + " plan=" + planSummary(r.Plan)
}

// planSummary writes a plan on one line, short enough for the golden
// file: the documents as their positions in assess.Documents, in hex
// (0 activity_description … d indicator_notes); audited is left out, as
// checkPlan ties it to the track.
func planSummary(p assess.Plan) string {
	audit, due, reminder := p.Audit, p.DueDate, p.ReminderDate
	for _, s := range []*string{&audit, &due, &reminder} {
		if *s == "" {
			*s = "-"
		}
	}
	complete := "open"
	if p.Complete {
		complete = "complete"
	}
	next := strings.Join(ids(p.Next), ",")
	if next == "" {
		next = "-"
	}
	docs := ""
	for _, d := range p.Documents {
		docs += strconv.FormatInt(int64(slices.Index(assess.Documents, d)), 16)
	}
	return complete + " next=" + next + " audit=" + audit + " docs=" + docs + " due=" + due + " reminder=" + reminder
}

const day = "2026-06-01"

// readyStandard is the summary of baseline(day).
const readyStandard = "ready next=- blockers=- warnings=- track=standard years=5/0 req=ready,ready,ready,ready,ready exemptions=- steps=request_audit"

type ruleCase struct {
	name    string
	answers assess.Answers
	want    string
}

func runCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := assess.Evaluate(c.answers)
			checkInvariants(t, c.answers, r)
			if got := summary(r); got != c.want {
				t.Errorf("answers: %s\n got: %s\nwant: %s", describe(c.answers), got, c.want)
			}
		})
	}
}

func TestBaseline(t *testing.T) {
	runCases(t, []ruleCase{
		{"complete and ready", baseline(day), readyStandard},
		{"nothing answered", assess.Answers{Date: day},
			"incomplete next=audit_body,has_enterprise_number,has_sepa_account,services,themes,audit_kind,certificates,memberships,integrity_concerns,ready_activity,ready_knowledge,ready_integrity,has_user_right,registered_online,declaration_signed blockers=- warnings=- track=? years=0/0 req=unknown,unknown,unknown,unknown,unknown exemptions=- steps=request_audit"},
	})
}

func TestAuditBody(t *testing.T) {
	b := baseline(day)
	runCases(t, []ruleCase{
		{"yes", with(b, assess.AuditBody, yes()),
			"not_eligible next=- blockers=audit_body warnings=- track=standard years=5/0 req=ready,ready,ready,ready,ready exemptions=- steps=-"},
		{"no", with(b, assess.AuditBody, no()), readyStandard},
		{"unanswered", without(b, assess.AuditBody), strings.Replace(readyStandard, "ready next=-", "incomplete next=audit_body", 1)},
		{"yes blocks whatever is unanswered", with(assess.Answers{Date: day}, assess.AuditBody, yes()),
			"not_eligible next=- blockers=audit_body warnings=- track=? years=0/0 req=unknown,unknown,unknown,unknown,unknown exemptions=- steps=-"},
	})
}

func TestEnterpriseNumber(t *testing.T) {
	b := baseline(day)
	blocked := func(code string) string {
		return "not_eligible next=- blockers=" + code + " warnings=- track=standard years=5/0 req=ready,ready,ready,ready,ready exemptions=- steps=-"
	}
	cases := []ruleCase{
		{"has: no", with(b, assess.HasEnterpriseNumber, no()), blocked("no_enterprise_number")},
		{"has: no, an invalid number is not asked", with(b, assess.HasEnterpriseNumber, no(), assess.EnterpriseNumber, text("123")), blocked("no_enterprise_number")},
		{"has: unanswered", without(b, assess.HasEnterpriseNumber), strings.Replace(readyStandard, "ready next=-", "incomplete next=has_enterprise_number", 1)},
		{"has: unanswered, an invalid number is not asked", with(without(b, assess.HasEnterpriseNumber), assess.EnterpriseNumber, text("123")), strings.Replace(readyStandard, "ready next=-", "incomplete next=has_enterprise_number", 1)},
		{"number: missing", without(b, assess.EnterpriseNumber), readyStandard},
		{"number: empty", with(b, assess.EnterpriseNumber, text("")), readyStandard},
		{"number: spaces", with(b, assess.EnterpriseNumber, text("   ")), readyStandard},
		{"number: too long for Validate", with(b, assess.EnterpriseNumber, text(strings.Repeat("0", 101))), readyStandard},
	}
	for _, n := range []string{"0403019261", "0403.019.261", "BE0403019261", "be 0403 019 261", "403019261", "403.019.261", "0428-759-497", "0681/759/451", "1001686633", "BE1001.686.633"} {
		cases = append(cases, ruleCase{"valid " + n, with(b, assess.EnterpriseNumber, text(n)), readyStandard})
	}
	for _, n := range []string{"0403019262", "2403019261", "123", "04030192611", "0403O19261", "NL0403019261", "BE", "x", "0000000000", "1001686634"} {
		cases = append(cases, ruleCase{"invalid " + n, with(b, assess.EnterpriseNumber, text(n)), blocked("invalid_enterprise_number")})
	}
	runCases(t, cases)
}

func TestSEPAAccount(t *testing.T) {
	b := baseline(day)
	blocked := func(code string) string {
		return "not_eligible next=- blockers=" + code + " warnings=- track=standard years=5/0 req=ready,ready,ready,ready,ready exemptions=- steps=-"
	}
	cases := []ruleCase{
		{"has: no", with(b, assess.HasSEPAAccount, no()), blocked("no_sepa_account")},
		{"has: no, an invalid IBAN is not asked", with(b, assess.HasSEPAAccount, no(), assess.IBAN, text("XX")), blocked("no_sepa_account")},
		{"has: unanswered", without(b, assess.HasSEPAAccount), strings.Replace(readyStandard, "ready next=-", "incomplete next=has_sepa_account", 1)},
		{"iban: missing", without(b, assess.IBAN), readyStandard},
		{"iban: empty", with(b, assess.IBAN, text("")), readyStandard},
		{"iban: spaces", with(b, assess.IBAN, text("  ")), readyStandard},
	}
	for _, s := range []string{"BE68539007547034", "be68 5390 0754 7034", "BE31435411161155", "BE48320070184927", "DE89 3704 0044 0532 0130 00", "NL91ABNA0417164300", "FR1420041010050500013M02606", "GB29NWBK60161331926819", "CH9300762011623852957", "NO9386011117947"} {
		cases = append(cases, ruleCase{"valid " + s, with(b, assess.IBAN, text(s)), readyStandard})
	}
	for _, s := range []string{"BE68539007547035", "BE6853900754703", "BE685390075470344", "TR330006100519786457841326", "XX68539007547034", "BE68-5390-0754-7034", "DE89370400440532013001", "12345"} {
		cases = append(cases, ruleCase{"invalid " + s, with(b, assess.IBAN, text(s)), blocked("invalid_iban")})
	}
	cases = append(cases,
		ruleCase{"Belgian national check fails, ISO check passes", with(b, assess.IBAN, text(ibanWith("BE", "539007547035"))), blocked("invalid_iban")},
		ruleCase{"both blockers of one question never show together", with(b, assess.HasEnterpriseNumber, no(), assess.EnterpriseNumber, text("1"), assess.HasSEPAAccount, no(), assess.IBAN, text("1")), blocked("no_enterprise_number,no_sepa_account")},
		ruleCase{"invalid number and IBAN together", with(b, assess.EnterpriseNumber, text("1"), assess.IBAN, text("1")), blocked("invalid_enterprise_number,invalid_iban")},
	)
	runCases(t, cases)
}

// ibanWith returns the IBAN of bban in country with correct ISO check
// digits, whatever its national check says.
func ibanWith(country, bban string) string {
	digits := ""
	for _, c := range bban + country + "00" {
		if c >= 'A' && c <= 'Z' {
			digits += strconv.Itoa(int(c-'A') + 10)
		} else {
			digits += string(c)
		}
	}
	rem := 0
	for _, c := range digits {
		rem = (rem*10 + int(c-'0')) % 97
	}
	check := 98 - rem
	return country + string(rune('0'+check/10)) + string(rune('0'+check%10)) + bban
}

func TestServices(t *testing.T) {
	b := baseline("2026-02-01")
	cyberNext := strings.Replace(readyStandard, "ready next=-", "incomplete next=advice_cybersecurity", 1)
	runCases(t, []ruleCase{
		{"none", with(b, assess.Services, list()),
			"not_eligible next=- blockers=no_service warnings=- track=standard years=5/0 req=ready,ready,ready,ready,ready exemptions=- steps=-"},
		{"training", with(b, assess.Services, list("training")), readyStandard},
		{"training: cybersecurity is not asked", with(b, assess.Services, list("training"), assess.AdviceCybersecurity, no()), readyStandard},
		{"advice asks about cybersecurity", with(b, assess.Services, list("advice")), cyberNext},
		{"training and advice ask about cybersecurity", with(b, assess.Services, list("training", "advice")), cyberNext},
		{"advice and training in either order", with(b, assess.Services, list("advice", "training")), cyberNext},
		{"unanswered", without(b, assess.Services), strings.Replace(readyStandard, "ready next=-", "incomplete next=services", 1)},
		{"an unknown choice is no answer", with(b, assess.Services, list("coaching")), strings.Replace(readyStandard, "ready next=-", "incomplete next=services", 1)},
	})
}

// TestAdviceCybersecurity covers the February 2026 reform (docs/rules.md:
// no_subsidised_service, advice_not_subsidised, advice_cybersecurity_only)
// for every kind of offer that asks the question, on each side of the
// boundary, with no date and with a malformed one (both apply the newest
// rules).
func TestAdviceCybersecurity(t *testing.T) {
	warned := func(code string) string { return strings.Replace(readyStandard, "warnings=-", "warnings="+code, 1) }
	blocked := "not_eligible next=- blockers=no_subsidised_service warnings=- track=standard years=5/0 req=ready,ready,ready,ready,ready exemptions=- steps=-"
	type when struct {
		date  string
		cyber bool
	}
	withTraining := map[when]string{
		{"2026-02-01", false}: warned("advice_not_subsidised"),
		{"2030-01-01", false}: warned("advice_not_subsidised"),
		{"", false}:           warned("advice_not_subsidised"),
		{"2026-02-30", false}: warned("advice_not_subsidised"),
		{"2026-02-01", true}:  warned("advice_cybersecurity_only"),
		{"2030-01-01", true}:  warned("advice_cybersecurity_only"),
		{"", true}:            warned("advice_cybersecurity_only"),
		{"2026-02-30", true}:  warned("advice_cybersecurity_only"),
	}
	offers := []struct {
		services []string
		want     map[when]string // by date and answer; readyStandard when absent
	}{
		{[]string{"advice"}, map[when]string{
			{"2026-02-01", false}: blocked,
			{"2030-01-01", false}: blocked,
			{"", false}:           blocked,
			{"2026-02-30", false}: blocked,
			{"2026-02-01", true}:  warned("advice_cybersecurity_only"),
			{"2030-01-01", true}:  warned("advice_cybersecurity_only"),
			{"", true}:            warned("advice_cybersecurity_only"),
			{"2026-02-30", true}:  warned("advice_cybersecurity_only"),
		}},
		{[]string{"training", "advice"}, withTraining},
		{[]string{"advice", "training"}, withTraining},
	}
	var cases []ruleCase
	for _, o := range offers {
		for _, date := range []string{"2023-01-01", "2026-01-31", "2026-02-01", "2030-01-01", "", "2026-02-30"} {
			for _, cyber := range []bool{false, true} {
				want, ok := o.want[when{date, cyber}]
				if !ok {
					want = readyStandard
				}
				cases = append(cases, ruleCase{
					strings.Join(o.services, "+") + " date " + date + " cyber " + strconv.FormatBool(cyber),
					with(baseline(date), assess.Services, list(o.services...), assess.AdviceCybersecurity, assess.Value{Bool: cyber}),
					want,
				})
			}
		}
	}
	b := baseline("2026-02-01")
	cases = append(cases,
		ruleCase{"training alone: an answer to the question not asked changes nothing", with(b, assess.Services, list("training"), assess.AdviceCybersecurity, no()), readyStandard},
		ruleCase{"advice alone, unanswered: no blocker yet", with(b, assess.Services, list("advice")),
			strings.Replace(readyStandard, "ready next=-", "incomplete next=advice_cybersecurity", 1)},
		ruleCase{"advice alone, no cybersecurity, blocks whatever is unanswered", with(assess.Answers{Date: "2026-02-01"}, assess.Services, list("advice"), assess.AdviceCybersecurity, no()),
			"not_eligible next=- blockers=no_subsidised_service warnings=- track=? years=0/0 req=unknown,unknown,unknown,unknown,unknown exemptions=- steps=-"},
		ruleCase{"no_subsidised_service comes between no_service's place and no_theme", with(b, assess.AuditBody, yes(), assess.Services, list("advice"), assess.AdviceCybersecurity, no(), assess.Themes, list()),
			"not_eligible next=- blockers=audit_body,no_subsidised_service,no_theme warnings=- track=standard years=5/0 req=ready,ready,ready,ready,ready exemptions=- steps=-"},
		ruleCase{"a blocked provider gets no advice warning", with(b, assess.Services, list("advice"), assess.AdviceCybersecurity, no(), assess.IntegrityConcerns, yes()),
			"not_eligible next=- blockers=no_subsidised_service warnings=integrity_review track=standard years=5/0 req=ready,ready,ready,ready,ready exemptions=- steps=-"},
		ruleCase{"starter with cybersecurity advice (the example of docs/rules.md)", with(b, assess.Services, list("advice"), assess.AdviceCybersecurity, yes(),
			assess.YearsActive, num(1), assess.KMOPDossiers, num(4), assess.Certificates, list("iso9001"), assess.ReadyKnowledge, ready("partly"), assess.DeclarationSigned, no()),
			"prepare next=- blockers=- warnings=advice_cybersecurity_only track=starter years=2/2 req=ready,exempt_starter,exempt_starter,partly,ready exemptions=iso9001 steps=sign_declaration,prepare_requirements,request_audit"},
	)
	runCases(t, cases)
}

func TestThemes(t *testing.T) {
	noTheme := "not_eligible next=- blockers=no_theme warnings=- track=standard years=5/0 req=ready,ready,ready,ready,ready exemptions=- steps=-"
	cases := []ruleCase{
		{"none on 2023-01-01", with(baseline("2023-01-01"), assess.Themes, list()), noTheme},
		{"none later", with(baseline(day), assess.Themes, list()), noTheme},
		{"none without a date applies the newest rules", with(baseline(""), assess.Themes, list()), noTheme},
		{"none on 2022-12-31", with(baseline("2022-12-31"), assess.Themes, list()), readyStandard},
		{"unanswered", without(baseline(day), assess.Themes), strings.Replace(readyStandard, "ready next=-", "incomplete next=themes", 1)},
		{"all", with(baseline(day), assess.Themes, list("strategy", "job_skills", "digitalisation", "sustainability", "financial_literacy", "innovation", "internationalisation", "hr_management")), readyStandard},
		{"a repeated theme is no answer", with(baseline(day), assess.Themes, list("strategy", "strategy")), strings.Replace(readyStandard, "ready next=-", "incomplete next=themes", 1)},
	}
	q, _ := assess.Lookup(assess.Themes)
	for _, c := range q.Choices {
		cases = append(cases, ruleCase{c, with(baseline(day), assess.Themes, list(c)), readyStandard})
	}
	runCases(t, cases)
}

func TestTrack(t *testing.T) {
	b := baseline(day)
	starter := "ready next=- blockers=- warnings=- track=starter years=2/2 req=ready,exempt_starter,exempt_starter,ready,ready exemptions=- steps=request_audit"
	dossiersNext := "incomplete next=kmop_dossiers blockers=- warnings=- track=? years=0/0 req=ready,unknown,unknown,ready,ready exemptions=- steps=request_audit"
	runCases(t, []ruleCase{
		{"years 0 asks dossiers", with(b, assess.YearsActive, num(0)), dossiersNext},
		{"years 2 asks dossiers", with(b, assess.YearsActive, num(2)), dossiersNext},
		{"years 3 is standard", with(b, assess.YearsActive, num(3)), readyStandard},
		{"years 3: dossiers are not asked", with(b, assess.YearsActive, num(3), assess.KMOPDossiers, num(0)), readyStandard},
		{"years 1000000", with(b, assess.YearsActive, num(1000000)), readyStandard},
		{"years unanswered", without(b, assess.YearsActive),
			"incomplete next=years_active blockers=- warnings=- track=? years=0/0 req=ready,unknown,unknown,ready,ready exemptions=- steps=request_audit"},
		{"years negative is no answer", with(b, assess.YearsActive, num(-1)),
			"incomplete next=years_active blockers=- warnings=- track=? years=0/0 req=ready,unknown,unknown,ready,ready exemptions=- steps=request_audit"},
		{"years 0, dossiers 0", with(b, assess.YearsActive, num(0), assess.KMOPDossiers, num(0)), starter},
		{"years 2, dossiers 19", with(b, assess.YearsActive, num(2), assess.KMOPDossiers, num(19)), starter},
		{"years 2, dossiers 20", with(b, assess.YearsActive, num(2), assess.KMOPDossiers, num(20)), readyStandard},
		{"years 0, dossiers 500", with(b, assess.YearsActive, num(0), assess.KMOPDossiers, num(500)), readyStandard},
		{"starter: experience and satisfaction are not asked", with(b, assess.YearsActive, num(1), assess.KMOPDossiers, num(3), assess.ReadyExperience, ready("no"), assess.ReadySatisfaction, ready("partly")), starter},
		{"starter without experience answers", without(with(b, assess.YearsActive, num(1), assess.KMOPDossiers, num(3)), assess.ReadyExperience, assess.ReadySatisfaction), starter},
		{"standard asks experience and satisfaction", without(b, assess.ReadyExperience, assess.ReadySatisfaction),
			"incomplete next=ready_experience,ready_satisfaction blockers=- warnings=- track=standard years=5/0 req=ready,unknown,unknown,ready,ready exemptions=- steps=request_audit"},
	})
}

func TestCertificatesAndMemberships(t *testing.T) {
	b := baseline(day)
	w := func(warnings, exemptions string) string {
		s := strings.Replace(readyStandard, "warnings=-", "warnings="+warnings, 1)
		return strings.Replace(s, "exemptions=-", "exemptions="+exemptions, 1)
	}
	runCases(t, []ruleCase{
		{"certificates none", with(b, assess.Certificates, list()), readyStandard},
		{"iso9001", with(b, assess.Certificates, list("iso9001")), w("-", "iso9001")},
		{"qfor", with(b, assess.Certificates, list("qfor")), w("-", "qfor")},
		{"wse warns", with(b, assess.Certificates, list("wse")), w("wse_unconfirmed", "wse")},
		{"all certificates, in the order of docs/rules.md", with(b, assess.Certificates, list("wse", "qfor", "iso9001")), w("wse_unconfirmed", "iso9001,qfor,wse")},
		{"certificates unanswered", without(b, assess.Certificates), strings.Replace(readyStandard, "ready next=-", "incomplete next=certificates", 1)},
		{"memberships none", with(b, assess.Memberships, list()), readyStandard},
		{"itaa", with(b, assess.Memberships, list("itaa")), w("-", "itaa")},
		{"ibr", with(b, assess.Memberships, list("ibr")), w("-", "ibr")},
		{"both", with(b, assess.Memberships, list("ibr", "itaa")), w("-", "itaa,ibr")},
		{"memberships unanswered", without(b, assess.Memberships), strings.Replace(readyStandard, "ready next=-", "incomplete next=memberships", 1)},
		{"everything", with(b, assess.Memberships, list("ibr", "itaa"), assess.Certificates, list("qfor", "wse", "iso9001")), w("wse_unconfirmed", "iso9001,qfor,wse,itaa,ibr")},
		{"exemptions never make a requirement exempt", with(b, assess.Certificates, list("iso9001"), assess.ReadyExperience, ready("no")),
			"prepare next=- blockers=- warnings=- track=standard years=5/0 req=ready,not_ready,ready,ready,ready exemptions=iso9001 steps=prepare_requirements,request_audit"},
	})
}

func TestIntegrityConcerns(t *testing.T) {
	b := baseline(day)
	runCases(t, []ruleCase{
		{"yes warns and does not block", with(b, assess.IntegrityConcerns, yes()), strings.Replace(readyStandard, "warnings=-", "warnings=integrity_review", 1)},
		{"no", with(b, assess.IntegrityConcerns, no()), readyStandard},
		{"unanswered", without(b, assess.IntegrityConcerns), strings.Replace(readyStandard, "ready next=-", "incomplete next=integrity_concerns", 1)},
		{"all warnings in order, advice outside cybersecurity", with(baseline("2026-02-01"), assess.IntegrityConcerns, yes(), assess.Certificates, list("wse"), assess.Services, list("training", "advice"), assess.AdviceCybersecurity, no()),
			"ready next=- blockers=- warnings=advice_not_subsidised,integrity_review,wse_unconfirmed track=standard years=5/0 req=ready,ready,ready,ready,ready exemptions=wse steps=request_audit"},
		{"all warnings in order, cybersecurity advice", with(baseline("2026-02-01"), assess.IntegrityConcerns, yes(), assess.Certificates, list("wse"), assess.Services, list("training", "advice"), assess.AdviceCybersecurity, yes()),
			"ready next=- blockers=- warnings=advice_cybersecurity_only,integrity_review,wse_unconfirmed track=standard years=5/0 req=ready,ready,ready,ready,ready exemptions=wse steps=request_audit"},
	})
}

func TestReadiness(t *testing.T) {
	b := baseline(day)
	questions := []assess.QuestionID{assess.ReadyActivity, assess.ReadyExperience, assess.ReadySatisfaction, assess.ReadyKnowledge, assess.ReadyIntegrity}
	var cases []ruleCase
	for i, id := range questions {
		for _, c := range []struct{ value, status, verdict, steps string }{
			{"yes", "ready", "ready", "request_audit"},
			{"partly", "partly", "prepare", "prepare_requirements,request_audit"},
			{"no", "not_ready", "prepare", "prepare_requirements,request_audit"},
		} {
			st := []string{"ready", "ready", "ready", "ready", "ready"}
			st[i] = c.status
			cases = append(cases, ruleCase{string(id) + " " + c.value, with(b, id, ready(c.value)),
				c.verdict + " next=- blockers=- warnings=- track=standard years=5/0 req=" + strings.Join(st, ",") + " exemptions=- steps=" + c.steps})
		}
		st := []string{"ready", "ready", "ready", "ready", "ready"}
		st[i] = "unknown"
		cases = append(cases,
			ruleCase{string(id) + " unanswered", without(b, id),
				"incomplete next=" + string(id) + " blockers=- warnings=- track=standard years=5/0 req=" + strings.Join(st, ",") + " exemptions=- steps=request_audit"},
			ruleCase{string(id) + " unknown value is no answer", with(b, id, ready("maybe")),
				"incomplete next=" + string(id) + " blockers=- warnings=- track=standard years=5/0 req=" + strings.Join(st, ",") + " exemptions=- steps=request_audit"},
		)
	}
	cases = append(cases, ruleCase{"prepare shows while incomplete", without(with(b, assess.ReadyActivity, ready("no")), assess.ReadyIntegrity),
		"incomplete next=ready_integrity blockers=- warnings=- track=standard years=5/0 req=not_ready,ready,ready,ready,unknown exemptions=- steps=prepare_requirements,request_audit"})
	runCases(t, cases)
}

func TestSteps(t *testing.T) {
	b := baseline(day)
	steps := func(s string) string { return strings.Replace(readyStandard, "steps=request_audit", "steps="+s, 1) }
	runCases(t, []ruleCase{
		{"no user right", with(b, assess.HasUserRight, no()), steps("get_user_right,request_audit")},
		{"not registered online", with(b, assess.RegisteredOnline, no()), steps("register_online,request_audit")},
		{"declaration not signed", with(b, assess.DeclarationSigned, no()), steps("sign_declaration,request_audit")},
		{"all to do", with(b, assess.HasUserRight, no(), assess.RegisteredOnline, no(), assess.DeclarationSigned, no(), assess.ReadyKnowledge, ready("partly")),
			"prepare next=- blockers=- warnings=- track=standard years=5/0 req=ready,ready,ready,partly,ready exemptions=- steps=get_user_right,register_online,sign_declaration,prepare_requirements,request_audit"},
		{"user right unanswered", without(b, assess.HasUserRight), strings.Replace(readyStandard, "ready next=-", "incomplete next=has_user_right", 1)},
		{"registered unanswered", without(b, assess.RegisteredOnline), strings.Replace(readyStandard, "ready next=-", "incomplete next=registered_online", 1)},
		{"declaration unanswered", without(b, assess.DeclarationSigned), strings.Replace(readyStandard, "ready next=-", "incomplete next=declaration_signed", 1)},
		{"a blocker leaves no steps", with(b, assess.HasUserRight, no(), assess.AuditBody, yes()),
			"not_eligible next=- blockers=audit_body warnings=- track=standard years=5/0 req=ready,ready,ready,ready,ready exemptions=- steps=-"},
	})
}

func TestAllBlockers(t *testing.T) {
	a := with(baseline("2023-01-01"),
		assess.AuditBody, yes(),
		assess.EnterpriseNumber, text("0403019262"),
		assess.IBAN, text("BE68539007547035"),
		assess.Services, list(),
		assess.Themes, list(),
	)
	runCases(t, []ruleCase{
		{"every blocker but the two hidden ones", a,
			"not_eligible next=- blockers=audit_body,invalid_enterprise_number,invalid_iban,no_service,no_theme warnings=- track=standard years=5/0 req=ready,ready,ready,ready,ready exemptions=- steps=-"},
	})
}

func TestAsked(t *testing.T) {
	var a assess.Answers
	for _, q := range assess.Questions() {
		conditional := map[assess.QuestionID]bool{
			assess.EnterpriseNumber: true, assess.IBAN: true, assess.AdviceCybersecurity: true,
			assess.KMOPDossiers: true, assess.ReadyExperience: true, assess.ReadySatisfaction: true,
			assess.RegistrationDate: true, assess.YearsActive: true,
			assess.LegalForm: true, assess.SitesBelgium: true, assess.SitesAbroad: true,
		}[q.ID]
		if assess.Asked(a, q.ID) == conditional {
			t.Errorf("with nothing answered, Asked(%s) = %v", q.ID, !conditional)
		}
	}
	if assess.Asked(a, "nope") {
		t.Error("an unknown id is asked")
	}
}

func TestQuestions(t *testing.T) {
	qs := assess.Questions()
	want := []assess.QuestionID{
		"audit_body", "has_enterprise_number", "enterprise_number", "has_sepa_account", "iban",
		"services", "advice_cybersecurity", "themes", "audit_kind", "registration_date",
		"years_active", "kmop_dossiers",
		"certificates", "memberships", "integrity_concerns", "ready_activity", "ready_experience",
		"ready_satisfaction", "ready_knowledge", "ready_integrity", "has_user_right",
		"registered_online", "declaration_signed", "legal_form", "sites_belgium", "sites_abroad",
	}
	if len(qs) != len(want) {
		t.Fatalf("%d questions, want %d", len(qs), len(want))
	}
	for i, q := range qs {
		if q.ID != want[i] {
			t.Errorf("question %d is %s, want %s", i, q.ID, want[i])
		}
		if q.Kind == 0 || q.Kind.String() == "unknown_kind" {
			t.Errorf("%s has no kind", q.ID)
		}
		if (q.Kind == assess.Text || q.Kind == assess.Date) != (q.RevealedBy != "") {
			t.Errorf("%s: text and date questions and only they are revealed by another", q.ID)
		}
		if (q.Kind == assess.MultiChoice || q.Kind == assess.Readiness || q.Kind == assess.Choice) != (len(q.Choices) > 0) {
			t.Errorf("%s: choices and kind disagree", q.ID)
		}
	}
	qs[0].Choices = append(qs[0].Choices, "mutated")
	qs[5].Choices[0] = "mutated"
	if q := assess.Questions(); len(q[0].Choices) != 0 || q[5].Choices[0] != "training" {
		t.Error("Questions shares its slices with the caller")
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		a    assess.Answers
		want string
	}{
		{"fine", baseline(day), ""},
		{"fine without date", baseline(""), ""},
		{"leap day", baseline("2024-02-29"), ""},
		{"no leap day", baseline("2023-02-29"), "date:bad_date"},
		{"1900 is no leap year", baseline("1900-02-29"), "date:bad_date"},
		{"2000 is a leap year", baseline("2000-02-29"), ""},
		{"month 13", baseline("2026-13-01"), "date:bad_date"},
		{"day 0", baseline("2026-01-00"), "date:bad_date"},
		{"short", baseline("2026-2-1"), "date:bad_date"},
		{"slashes", baseline("2026/02/01"), "date:bad_date"},
		{"time", baseline("2026-02-01T00:00"), "date:bad_date"},
		{"unknown choice", with(baseline(day), assess.Themes, list("cooking")), "themes:unknown_choice"},
		{"duplicate choice", with(baseline(day), assess.Services, list("advice", "advice")), "services:duplicate_choice"},
		{"readiness", with(baseline(day), assess.ReadyKnowledge, ready("Yes")), "ready_knowledge:unknown_choice"},
		{"negative", with(baseline(day), assess.KMOPDossiers, num(-1)), "kmop_dossiers:negative"},
		{"too large", with(baseline(day), assess.YearsActive, num(1000001)), "years_active:too_large"},
		{"too long", with(baseline(day), assess.IBAN, text(strings.Repeat("B", 101))), "iban:too_long"},
		{"not asked is checked too", with(baseline(day), assess.AdviceCybersecurity, yes(), assess.KMOPDossiers, num(-5)), "kmop_dossiers:negative"},
		{"unknown key", with(baseline(day), assess.QuestionID("zz"), yes(), assess.QuestionID("aa"), no()), "aa:unknown_key zz:unknown_key"},
		{"order", with(baseline("x"), assess.ReadyIntegrity, ready(""), assess.AuditBody, yes(), assess.Themes, list("x"), assess.QuestionID("b"), no()),
			"themes:unknown_choice ready_integrity:unknown_choice date:bad_date b:unknown_key"},
	} {
		var got []string
		for _, p := range assess.Validate(c.a) {
			got = append(got, p.Key+":"+p.Code)
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%s: got %q, want %q", c.name, strings.Join(got, " "), c.want)
		}
	}
}

func TestAnswersAreValues(t *testing.T) {
	a := baseline(day)
	v, _ := a.Get(assess.Themes)
	v.List[0] = "mutated"
	if w, _ := a.Get(assess.Themes); w.List[0] != "digitalisation" {
		t.Error("Get shares its list")
	}
	l := []string{"training"}
	a.Set(assess.Services, assess.Value{List: l})
	l[0] = "mutated"
	if w, _ := a.Get(assess.Services); w.List[0] != "training" {
		t.Error("Set keeps the caller's list")
	}
	c := a.Clone()
	c.Unset(assess.AuditBody)
	if _, ok := a.Get(assess.AuditBody); !ok {
		t.Error("Clone shares its answers")
	}
	before := describe(a)
	assess.Evaluate(a)
	if describe(a) != before {
		t.Error("Evaluate changed the answers")
	}
}
