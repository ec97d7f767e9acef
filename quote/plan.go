package quote

import (
	"slices"
	"strconv"
	"strings"

	"kmopsite/assess"
	"kmopsite/words"
)

// The audit plan in the mails (docs/rules.md, "The audit plan"): the
// audit body's mail opens with it as a table to price from; the
// applicant's confirmation repeats the documents to have ready and the
// estimate.

// hasPlan reports whether r carries a plan: every result judged since
// the plan exists lists at least one document; a result stored before it
// lists none, and is shown as it was judged, without a plan.
func hasPlan(r assess.Result) bool { return len(r.Plan.Documents) > 0 }

// planSection is the audit to quote, as a table an account manager can
// price from: the audit, the services, the sites, the legal form, the
// exemptions to claim, the estimate, the due date, and what the applicant
// asks of the audit (period, language, registration number). A request
// stored before the plan shows only what it asked; ok is false when
// there is nothing to show.
func (c *Composer) planSection(s *Submission, w *words.Quote, sc *words.Selfcheck) (section, bool) {
	l := w.Mail.Labels
	sec := section{Heading: w.Mail.Headings.Plan}
	add := func(label, value string) {
		if value != "" {
			sec.Rows = append(sec.Rows, row{label, value})
		}
	}
	if r := s.Result; hasPlan(r) {
		if r.Plan.Audit != "" {
			add(l.Audit, title(sc.Audits, r.Plan.Audit))
		}
		for _, id := range []assess.QuestionID{assess.Services, assess.SitesBelgium, assess.SitesAbroad, assess.LegalForm} {
			label := map[assess.QuestionID]string{assess.Services: l.Services, assess.SitesBelgium: l.SitesBelgium,
				assess.SitesAbroad: l.SitesAbroad, assess.LegalForm: l.LegalForm}[id]
			if v, ok := s.Answers.Get(id); ok {
				add(label, answerWords(questionOf(id), v, sc.Questions[string(id)], w, sc))
			} else {
				add(label, l.Unanswered)
			}
		}
		if len(r.PossibleExemptions) > 0 {
			names := make([]string, len(r.PossibleExemptions))
			for i, e := range r.PossibleExemptions {
				names[i] = title(sc.Exemptions, e)
			}
			add(l.ExemptionsToClaim, strings.Join(names, "; "))
		}
		if low, high, ok := c.estimateOf(s); ok {
			add(l.Estimate, expand(l.EstimateRange, "low", amount(low, l.Thousands), "high", amount(high, l.Thousands)))
		}
		if d := r.Plan.DueDate; d != "" {
			due := day(d, w)
			if slices.Contains(r.Warnings, assess.WarningAuditOverdue) {
				due = expand(l.Overdue, "date", due)
			}
			add(l.DueDate, due)
		}
	}
	add(l.PreferredPeriod, period(s.Audit.PreferredPeriod, w))
	if s.Audit.Language != "" {
		add(l.AuditLanguage, orCode(w.Languages[s.Audit.Language], s.Audit.Language))
	}
	add(l.RegistrationNumber, s.Audit.RegistrationNumber)
	return sec, len(sec.Rows) > 0
}

// confirmSections are the plan's part of the applicant's confirmation,
// in their language: the documents to have ready, as a checklist, and the
// estimate with what it leaves out. Only a verdict that lets them apply
// (prepare, ready) gets them.
func (c *Composer) confirmSections(s *Submission, w *words.Quote, sc *words.Selfcheck) []section {
	r := s.Result
	if !hasPlan(r) || r.Verdict != assess.VerdictPrepare && r.Verdict != assess.VerdictReady {
		return nil
	}
	l := w.Mail.Labels
	docs := section{Heading: w.Mail.Headings.Documents}
	for _, d := range r.Plan.Documents {
		docs.Items = append(docs.Items, "☐ "+title(sc.Documents, d))
	}
	secs := []section{docs}
	if low, high, ok := c.estimateOf(s); ok {
		vat := strconv.Itoa(c.estimate.VATPercent)
		secs = append(secs, section{Heading: l.Estimate, Items: []string{
			expand(l.EstimateRange, "low", amount(low, l.Thousands), "high", amount(high, l.Thousands)),
			expand(l.EstimateVAT, "low", amount(c.estimate.WithVAT(low), l.Thousands),
				"high", amount(c.estimate.WithVAT(high), l.Thousands), "vat", vat),
		}, Text: l.EstimateNote})
	}
	return secs
}

// estimateOf is the estimate of s's audit, from the site's settings: the
// services it asks for and its sites in Belgium (one of each while not
// answered). ok is false without settings or while the audit is unknown.
func (c *Composer) estimateOf(s *Submission) (low, high int, ok bool) {
	services, sites := 1, 1
	if v, found := s.Answers.Get(assess.Services); found {
		services = len(v.List)
	}
	if v, found := s.Answers.Get(assess.SitesBelgium); found {
		sites = v.Number
	}
	return c.estimate.Range(s.Result.Plan.Audit, services, sites)
}

// amount writes whole euro with the language's thousands separator.
func amount(n int, sep string) string {
	s := strconv.Itoa(n)
	if n < 0 || sep == "" {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// period is a preferred period in words: "as soon as possible", or a
// month of a year ("maart 2027"); "" for none.
func period(p string, w *words.Quote) string {
	switch {
	case p == "":
		return ""
	case p == PeriodASAP:
		return orCode(w.Form.Asap, p)
	}
	m, err := strconv.Atoi(p[min(5, len(p)):])
	if len(p) != 7 || err != nil || w.Months.Name(m) == "" {
		return p
	}
	return expand(w.Months.Period, "month", w.Months.Name(m), "year", p[:4])
}

// day is a date YYYY-MM-DD in words ("15 maart 2027").
func day(d string, w *words.Quote) string {
	if !assess.ValidDate(d) {
		return d
	}
	m, _ := strconv.Atoi(d[5:7])
	dd, _ := strconv.Atoi(d[8:])
	return expand(w.Months.Date, "day", strconv.Itoa(dd), "month", w.Months.Name(m), "year", d[:4])
}

// questionOf returns the question of assess with id.
func questionOf(id assess.QuestionID) assess.Question {
	for _, q := range assess.Questions() {
		if q.ID == id {
			return q
		}
	}
	return assess.Question{ID: id}
}
