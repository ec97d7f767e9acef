package assess_test

import (
	"strings"
	"testing"

	"kmopsite/assess"
)

// audit returns baseline(date) for audit_kind kind, with registration_date
// start for a follow-up or renewal.
func audit(date, kind, start string) assess.Answers {
	a := with(without(baseline(date), assess.YearsActive), assess.AuditKind, text(kind))
	if start != "" {
		a = with(a, assess.RegistrationDate, text(start))
	}
	return a
}

// planCase checks one result's summary (or "" to skip it) and its plan.
type planCase struct {
	name    string
	answers assess.Answers
	result  string // a substring of summary(r)
	plan    string // planSummary(r.Plan)
}

func runPlanCases(t *testing.T, cases []planCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := assess.Evaluate(c.answers)
			checkInvariants(t, c.answers, r)
			if !strings.Contains(summary(r), c.result) {
				t.Errorf("answers: %s\nresult: %s\n  want: %s", describe(c.answers), summary(r), c.result)
			}
			if got := planSummary(r.Plan); got != c.plan {
				t.Errorf("answers: %s\nplan: %s\nwant: %s", describe(c.answers), got, c.plan)
			}
		})
	}
}

// Documents by position in assess.Documents (planSummary): 0
// activity_description, 1 articles_of_association, 2 registered_offices,
// 3 legal_residence, 4 directors_statement, 5 annual_accounts, 6
// income_statements, 7 project_files, 8 project_list_24_months, 9
// dossier_list_5_years, a experience_evidence, b satisfaction_results, c
// exemption_evidence, d indicator_notes.
const (
	docsCompany      = "0124578abd"
	docsStarter      = "0124578d"
	docsRenewal      = "0124579abd"
	docsNatural      = "034678abd"
	allPlanQuestions = "legal_form,sites_belgium,sites_abroad"
)

func TestAuditKind(t *testing.T) {
	b := baseline(day)
	runPlanCases(t, []planCase{
		{"unanswered: asked, track unknown, years not asked", without(b, assess.AuditKind, assess.YearsActive),
			"incomplete next=audit_kind blockers=- warnings=- track=? years=0/0 req=ready,unknown,unknown,ready,ready",
			"open next=- audit=- docs=" + docsCompany + " due=- reminder=-"},
		{"unanswered: years given are not asked", without(b, assess.AuditKind),
			"incomplete next=audit_kind blockers=- warnings=- track=? years=0/0",
			"open next=- audit=- docs=" + docsCompany + " due=- reminder=-"},
		{"first asks years", without(b, assess.YearsActive), "incomplete next=years_active ", "open next=- audit=- docs=" + docsCompany + " due=- reminder=-"},
		{"first, standard", b, readyStandard, "open next=" + allPlanQuestions + " audit=standard docs=" + docsCompany + " due=- reminder=-"},
		{"first, starter", with(b, assess.YearsActive, num(2), assess.KMOPDossiers, num(19)),
			"ready next=- blockers=- warnings=- track=starter years=2/2 req=ready,exempt_starter,exempt_starter,ready,ready",
			"open next=" + allPlanQuestions + " audit=starter docs=" + docsStarter + " due=- reminder=-"},
		{"first: a registration_date is not asked", with(b, assess.RegistrationDate, text("2014-01-01")), readyStandard,
			"open next=" + allPlanQuestions + " audit=standard docs=" + docsCompany + " due=- reminder=-"},
		{"follow_up asks the date", audit(day, "follow_up", ""), "incomplete next=registration_date blockers=- warnings=- track=follow_up years=3/0",
			"open next=- audit=follow_up docs=" + docsCompany + " due=- reminder=-"},
		{"follow_up: years and dossiers are not asked", with(audit(day, "follow_up", "2025-01-15"), assess.YearsActive, num(0), assess.KMOPDossiers, num(0)),
			"ready next=- blockers=- warnings=- track=follow_up years=3/0 req=ready,ready,ready,ready,ready",
			"open next=" + allPlanQuestions + " audit=follow_up docs=" + docsCompany + " due=2027-01-15 reminder=2026-07-15"},
		{"follow_up tests experience and satisfaction", without(audit(day, "follow_up", "2025-01-15"), assess.ReadyExperience, assess.ReadySatisfaction),
			"incomplete next=ready_experience,ready_satisfaction blockers=- warnings=- track=follow_up years=3/0 req=ready,unknown,unknown,ready,ready",
			"open next=- audit=follow_up docs=" + docsCompany + " due=2027-01-15 reminder=2026-07-15"},
		{"renewal asks the date", audit(day, "renewal", ""), "incomplete next=registration_date blockers=- warnings=- track=standard years=5/0",
			"open next=- audit=renewal docs=" + docsRenewal + " due=- reminder=-"},
		{"renewal", audit(day, "renewal", "2022-01-10"), readyStandard,
			"open next=" + allPlanQuestions + " audit=renewal docs=" + docsRenewal + " due=2027-01-10 reminder=2026-07-10"},
		{"an unknown kind is no answer", with(b, assess.AuditKind, text("First")), "incomplete next=audit_kind ",
			"open next=- audit=- docs=" + docsCompany + " due=- reminder=-"},
	})
}

// TestDueDates covers the edges of docs/rules.md: 29 February, a due date
// today, the 2014 floor, a date after the answers' date, a reminder in a
// shorter month.
func TestDueDates(t *testing.T) {
	overdue := "warnings=audit_overdue "
	none := "warnings=- "
	open := "open next=" + allPlanQuestions + " audit="
	runPlanCases(t, []planCase{
		{"follow_up from 29 February: 28 February", audit("2026-01-10", "follow_up", "2024-02-29"), none, open + "follow_up docs=" + docsCompany + " due=2026-02-28 reminder=2025-08-28"},
		{"follow_up from 29 February, a day late", audit("2026-03-01", "follow_up", "2024-02-29"), overdue, open + "follow_up docs=" + docsCompany + " due=2026-02-28 reminder=2025-08-28"},
		{"renewal from 29 February", audit("2026-01-10", "renewal", "2024-02-29"), none, open + "renewal docs=" + docsRenewal + " due=2029-02-28 reminder=2028-08-28"},
		{"due today is not overdue", audit("2026-06-01", "follow_up", "2024-06-01"), none, open + "follow_up docs=" + docsCompany + " due=2026-06-01 reminder=2025-12-01"},
		{"due yesterday is overdue", audit("2026-06-01", "follow_up", "2024-05-31"), overdue, open + "follow_up docs=" + docsCompany + " due=2026-05-31 reminder=2025-11-30"},
		{"renewal due today", audit("2026-06-01", "renewal", "2021-06-01"), none, open + "renewal docs=" + docsRenewal + " due=2026-06-01 reminder=2025-12-01"},
		{"renewal overdue", audit("2026-06-01", "renewal", "2021-05-31"), overdue, open + "renewal docs=" + docsRenewal + " due=2026-05-31 reminder=2025-11-30"},
		{"the 2014 floor", audit("2026-06-01", "renewal", "2014-01-01"), overdue, open + "renewal docs=" + docsRenewal + " due=2019-01-01 reminder=2018-07-01"},
		{"before the floor is no answer", audit("2026-06-01", "renewal", "2013-12-31"), "incomplete next=registration_date ", "open next=- audit=renewal docs=" + docsRenewal + " due=- reminder=-"},
		{"on the day of the answers", audit("2026-06-01", "follow_up", "2026-06-01"), none, open + "follow_up docs=" + docsCompany + " due=2028-06-01 reminder=2027-12-01"},
		{"after the day of the answers is no answer", audit("2026-06-01", "follow_up", "2026-06-02"), "incomplete next=registration_date ", "open next=- audit=follow_up docs=" + docsCompany + " due=- reminder=-"},
		{"not a real day is no answer", audit("2026-06-01", "follow_up", "2025-02-29"), "incomplete next=registration_date ", "open next=- audit=follow_up docs=" + docsCompany + " due=- reminder=-"},
		{"reminder in a shorter month: 31 May", audit("2026-06-01", "renewal", "2022-05-31"), none, open + "renewal docs=" + docsRenewal + " due=2027-05-31 reminder=2026-11-30"},
		{"reminder in a shorter month: 31 March", audit("2026-04-01", "follow_up", "2026-03-31"), none, open + "follow_up docs=" + docsCompany + " due=2028-03-31 reminder=2027-09-30"},
		{"reminder on a leap day", audit("2026-09-01", "follow_up", "2026-08-31"), none, open + "follow_up docs=" + docsCompany + " due=2028-08-31 reminder=2028-02-29"},
		{"reminder on 28 February", audit("2026-09-01", "follow_up", "2025-08-30"), none, open + "follow_up docs=" + docsCompany + " due=2027-08-30 reminder=2027-02-28"},
		{"reminder across the year", audit("2026-06-01", "renewal", "2022-03-15"), none, open + "renewal docs=" + docsRenewal + " due=2027-03-15 reminder=2026-09-15"},
		{"without a date the newest rules and no overdue", audit("", "renewal", "2014-01-01"), none, open + "renewal docs=" + docsRenewal + " due=2019-01-01 reminder=2018-07-01"},
	})
}

func TestPlanQuestions(t *testing.T) {
	b := baseline(day)
	withPlan := func(a assess.Answers, form string, be, abroad int) assess.Answers {
		return with(a, assess.LegalForm, text(form), assess.SitesBelgium, num(be), assess.SitesAbroad, num(abroad))
	}
	prepare := with(b, assess.ReadyKnowledge, ready("partly"))
	runPlanCases(t, []planCase{
		{"ready asks them", b, readyStandard, "open next=" + allPlanQuestions + " audit=standard docs=" + docsCompany + " due=- reminder=-"},
		{"prepare asks them", prepare, "prepare next=- ", "open next=" + allPlanQuestions + " audit=standard docs=" + docsCompany + " due=- reminder=-"},
		{"company, complete", withPlan(b, "company", 1, 0), readyStandard, "complete next=- audit=standard docs=" + docsCompany + " due=- reminder=-"},
		{"natural person", withPlan(b, "natural_person", 2, 1), readyStandard, "complete next=- audit=standard docs=" + docsNatural + " due=- reminder=-"},
		{"natural person on the starter track", withPlan(with(b, assess.YearsActive, num(0), assess.KMOPDossiers, num(0)), "natural_person", 1, 0), "track=starter", "complete next=- audit=starter docs=034678d due=- reminder=-"},
		{"natural person renewing with exemptions", withPlan(with(audit(day, "renewal", "2022-01-10"), assess.Certificates, list("qfor"), assess.Memberships, list("ibr")), "natural_person", 1, 0),
			"exemptions=qfor,ibr", "complete next=- audit=renewal docs=034679abcd due=2027-01-10 reminder=2026-07-10"},
		{"the order of the plan questions", with(b, assess.SitesAbroad, num(0)), readyStandard, "open next=legal_form,sites_belgium audit=standard docs=" + docsCompany + " due=- reminder=-"},
		{"no sites in Belgium is no answer", withPlan(b, "company", 0, 0), readyStandard, "open next=sites_belgium audit=standard docs=" + docsCompany + " due=- reminder=-"},
		{"an unknown legal form is no answer and counts as company", withPlan(b, "sole_trader", 1, 0), readyStandard, "open next=legal_form audit=standard docs=" + docsCompany + " due=- reminder=-"},
		{"they never keep the result incomplete", without(withPlan(b, "company", 1, 0), assess.LegalForm), readyStandard, "open next=legal_form audit=standard docs=" + docsCompany + " due=- reminder=-"},
		{"not asked while incomplete: legal_form is ignored", without(withPlan(b, "natural_person", 1, 0), assess.Themes), "incomplete next=themes ", "open next=- audit=standard docs=" + docsCompany + " due=- reminder=-"},
		{"not eligible: the plan from what is known, nothing asked", withPlan(with(audit(day, "renewal", "2021-01-10"), assess.AuditBody, yes()), "natural_person", 1, 0),
			"not_eligible next=- blockers=audit_body warnings=audit_overdue ", "open next=- audit=renewal docs=" + docsRenewal + " due=2026-01-10 reminder=2025-07-10"},
	})
}

func TestDateArithmetic(t *testing.T) {
	for _, c := range []struct {
		from   string
		months int
		want   string
	}{
		{"2024-02-29", 12, "2025-02-28"},
		{"2024-02-29", 48, "2028-02-29"},
		{"2027-05-31", -6, "2026-11-30"},
		{"2028-03-31", -6, "2027-09-30"},
		{"2028-08-31", -6, "2028-02-29"},
		{"2027-08-31", -6, "2027-02-28"},
		{"2026-01-15", -1, "2025-12-15"},
		{"2026-12-31", 1, "2027-01-31"},
		{"2100-08-29", -6, "2100-02-28"},
		{"2000-08-29", -6, "2000-02-29"},
		{"0001-01-01", -1, ""},
		{"9999-12-31", 1, ""},
		{"2026-02-30", 1, ""},
	} {
		if got := assess.AddMonths(c.from, c.months); got != c.want {
			t.Errorf("AddMonths(%s, %d) = %q, want %q", c.from, c.months, got, c.want)
		}
	}
	if got := assess.AddYears("2020-02-29", 5); got != "2025-02-28" {
		t.Errorf("AddYears(2020-02-29, 5) = %q", got)
	}
}

func TestValidatePlanAndDates(t *testing.T) {
	for _, c := range []struct {
		name string
		a    assess.Answers
		want string
	}{
		{"registration on the floor", with(baseline(day), assess.RegistrationDate, text("2014-01-01")), ""},
		{"registration before the floor", with(baseline(day), assess.RegistrationDate, text("2013-12-31")), "registration_date:before_2014"},
		{"registration on the date", with(baseline(day), assess.RegistrationDate, text(day)), ""},
		{"registration after the date, even when not asked", with(baseline(day), assess.RegistrationDate, text("2026-06-02")), "registration_date:after_date"},
		{"registration not a day", with(baseline(day), assess.RegistrationDate, text("2025-02-29")), "registration_date:bad_date"},
		{"registration without a date: only the floor", with(baseline(""), assess.RegistrationDate, text("2099-01-01")), ""},
		{"audit kind", with(baseline(day), assess.AuditKind, text("new")), "audit_kind:unknown_choice"},
		{"legal form", with(baseline(day), assess.LegalForm, text("")), "legal_form:unknown_choice"},
		{"sites in Belgium at least 1", with(baseline(day), assess.SitesBelgium, num(0)), "sites_belgium:too_small"},
		{"sites in Belgium negative", with(baseline(day), assess.SitesBelgium, num(-1)), "sites_belgium:negative"},
		{"sites abroad 0", with(baseline(day), assess.SitesAbroad, num(0)), ""},
		{"sites abroad too many", with(baseline(day), assess.SitesAbroad, num(1000001)), "sites_abroad:too_large"},
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
