package quote

import (
	"strconv"
	"strings"

	"kmopsite/assess"
	"kmopsite/words"
)

// planSection is the audit to quote, as a table an account manager can
// price from: what the audit covers, the estimate, the due date and what
// the applicant asks of it. A request stored before the plan (judged
// then, without one) and without the audit's questions has none: ok is
// false.
func (c *Composer) planSection(s *Submission, w *words.Quote, sc *words.Selfcheck) (section, bool) {
	l := w.Mail.Labels
	sec := section{Heading: w.Mail.Headings.Plan}
	add := func(label, value string) {
		if value != "" {
			sec.Rows = append(sec.Rows, row{label, value})
		}
	}
	{
		if v, ok := s.Answers.Get(assess.Services); ok {
			add(l.Services, answerWords(questionOf(assess.Services), v, sc.Questions[string(assess.Services)], w, sc))
		}
		if len(s.Result.PossibleExemptions) > 0 {
			names := make([]string, len(s.Result.PossibleExemptions))
			for i, e := range s.Result.PossibleExemptions {
				names[i] = title(sc.Exemptions, e)
			}
			add(l.ExemptionsToClaim, strings.Join(names, "; "))
		}
	}
	add(l.PreferredPeriod, period(s.Audit.PreferredPeriod, w))
	if s.Audit.Language != "" {
		add(l.AuditLanguage, orCode(w.Languages[s.Audit.Language], s.Audit.Language))
	}
	add(l.RegistrationNumber, s.Audit.RegistrationNumber)
	return sec, len(sec.Rows) > 0
}

// period is a preferred period in words: "as soon as possible", or a
// month of a year ("maart 2027").
func period(p string, w *words.Quote) string {
	if p == "" || p == PeriodASAP {
		if p == "" {
			return ""
		}
		return orCode(w.Form.Asap, p)
	}
	m, err := strconv.Atoi(p[5:])
	if len(p) != 7 || err != nil || w.Months.Name(m) == "" {
		return p
	}
	return expand(w.Months.Period, "month", w.Months.Name(m), "year", p[:4])
}

// questionOf returns the question id of assess.
func questionOf(id assess.QuestionID) assess.Question {
	for _, q := range assess.Questions() {
		if q.ID == id {
			return q
		}
	}
	return assess.Question{ID: id}
}
