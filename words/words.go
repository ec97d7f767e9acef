// Package words holds, as plain Go types, the words that marketing writes
// for the self-check (content/<lang>/selfcheck.yaml: Selfcheck) and for the
// quote form and its mails (quote.yaml: Quote), and tells which of the ids
// and codes that package assess can ask or produce have no words yet.
//
// It reads no file and knows no YAML: the build decodes the files strictly
// in its load step (package diag) and checks the ids and codes against
// Sections; the Worker reads them from JSON. None of the words are in Go
// (docs/rules.md, "Where the words live").
package words

import (
	"kmopsite/assess"
)

// Selfcheck holds the words of the self-check in one language.
type Selfcheck struct {
	// UI holds the words of the questionnaire's interface: buttons,
	// headings, hints. RequiredUI lists the keys that must be there.
	UI map[string]string
	// Questions holds, by question id, each question's words.
	Questions map[string]Question
	// Verdicts … Steps hold, by code, the words for every code of the
	// result (assess.Verdicts, assess.Blockers, …).
	Verdicts     map[string]Entry
	Blockers     map[string]Entry
	Warnings     map[string]Entry
	Tracks       map[string]Entry
	Requirements map[string]Entry
	Statuses     map[string]string
	Exemptions   map[string]Entry
	Steps        map[string]Entry
	// Audits and Documents hold the words of the plan: each audit
	// (assess.Audits) and each document to have ready (assess.Documents).
	Audits    map[string]Entry
	Documents map[string]Entry

	// SourceHash, in a translation, is the hash of the default language's
	// words it was translated from; `check` calls it stale when they differ.
	SourceHash string
}

// Question holds the words of one question.
type Question struct {
	Text  string // the question itself
	Help  string // optional: more about what is asked
	Error string // shown when it is unanswered or the answer is invalid
	// Choices maps each choice value to its label (multi-choice, choice
	// and readiness questions; readiness labels fall back to
	// ui.ready_<value>).
	Choices map[string]string
	// None labels the "none of these" answer of a multi-choice question
	// whose empty list is an answer (assess.Question.None).
	None string
}

// Entry holds the words for one code of the result.
type Entry struct {
	Title string
	Text  string
	// Link is optional: a content file, possibly with an anchor, such as
	// "erkend-dienstverlener.md#voorwaarden", where the code is explained
	// at length. The build resolves it.
	Link string
}

// Link is a link target written in the words, with where it is written, so
// that the build can check that it exists.
type Link struct {
	Section string // "blockers", "warnings", "steps", …
	ID      string // the code
	Target  string // as written
}

// Key is the dotted key of the link in the file: "blockers.no_theme.link".
func (l Link) Key() string { return l.Section + "." + l.ID + ".link" }

// RequiredUI lists the keys of ui that every language must have.
var RequiredUI = []string{
	"yes", "no", "ready_yes", "ready_partly", "ready_no",
	"start", "continue", "back", "change",
	"check_title", "check_intro", "see_result", "progress",
	"error_prefix", "error_summary",
	"result_title", "verdict_heading", "blockers_heading", "warnings_heading",
	"track_heading", "requirements_heading", "exemptions_heading",
	"exemptions_note", "steps_heading",
	"restart", "print", "quote_cta", "loading", "nojs_intro", "nojs_contact",
	"enterprise_number_label", "enterprise_number_hint", "iban_label", "iban_hint",
	"number_hint", "optional", "answer_label", "question_label",
	"not_given", "or", "load_failed", "answers_link",
	"date_day", "date_month", "date_year", "date_after_today", "date_before_2014",
	"plan_invite", "plan_invite_intro",
	"plan_heading", "plan_audited_heading", "plan_exemptions_heading", "plan_exemptions_bring",
	"plan_documents_heading", "plan_documents_hint", "plan_due_heading", "plan_due_text",
	"plan_overdue_text", "plan_reminder_link", "ics_summary", "ics_description",
	"plan_cost_heading", "plan_cost_excl", "plan_cost_vat", "plan_cost_incl", "plan_cost_basis",
	"plan_cost_abroad", "plan_cost_no_kmop", "plan_cost_quote",
}

// A Section of selfcheck.yaml, with the ids or codes it may hold (nil:
// free-form keys).
type Section struct {
	Name  string
	Codes func() []string
}

// Sections lists the sections of selfcheck.yaml in order.
func Sections() []Section { return sections }

var sections = []Section{
	{"ui", nil},
	{"questions", questionIDs},
	{"verdicts", func() []string { return assess.Verdicts }},
	{"blockers", func() []string { return assess.Blockers }},
	{"warnings", func() []string { return assess.Warnings }},
	{"tracks", func() []string { return assess.Tracks }},
	{"requirements", func() []string { return assess.RequirementIDs }},
	{"statuses", func() []string { return assess.Statuses }},
	{"exemptions", func() []string { return assess.Exemptions }},
	{"steps", func() []string { return assess.Steps }},
	{"audits", func() []string { return assess.Audits }},
	{"documents", func() []string { return assess.Documents }},
}

func questionIDs() []string {
	return QuestionIDs()
}

// QuestionIDs lists the ids of assess's questions, in order.
func QuestionIDs() []string {
	var ids []string
	for _, q := range assess.Questions() {
		ids = append(ids, string(q.ID))
	}
	return ids
}

// Entries returns the map of a section that holds Entry values; nil for
// the others.
func (w *Selfcheck) Entries(section string) map[string]Entry {
	switch section {
	case "verdicts":
		return w.Verdicts
	case "blockers":
		return w.Blockers
	case "warnings":
		return w.Warnings
	case "tracks":
		return w.Tracks
	case "requirements":
		return w.Requirements
	case "exemptions":
		return w.Exemptions
	case "steps":
		return w.Steps
	case "audits":
		return w.Audits
	case "documents":
		return w.Documents
	}
	return nil
}

// ChoiceLabel returns the label of a choice of question id: the question's
// own, else, for a readiness question, ui.ready_<choice>; "" when there is
// none.
func (w *Selfcheck) ChoiceLabel(id assess.QuestionID, choice string) string {
	if l := w.Questions[string(id)].Choices[choice]; l != "" {
		return l
	}
	if q, ok := assess.Lookup(id); ok && q.Kind == assess.Readiness {
		return w.UI["ready_"+choice]
	}
	return ""
}

// QuestionText returns the text of question id: its own, else, for an
// optional text question, ui.<id>_label.
func (w *Selfcheck) QuestionText(id assess.QuestionID) string {
	if t := w.Questions[string(id)].Text; t != "" {
		return t
	}
	if q, ok := assess.Lookup(id); ok && q.Kind == assess.Text {
		return w.UI[string(id)+"_label"]
	}
	return ""
}

// Missing lists, as dotted keys, every word that the self-check needs and
// that w lacks or leaves empty: each key of RequiredUI ("ui.back"); each
// question's text and error and the label of each choice
// ("questions.services.choices.advice") and of "none of these"
// ("questions.themes.none"); the title and text of every code assess can
// produce ("blockers.no_theme", or "blockers.no_theme.text" when only that
// is missing); the label of every status. A question or code missing
// whole is listed once, without its fields. The list follows the order of
// the file's sections and of assess; it is empty when nothing is missing.
func Missing(w *Selfcheck) []string {
	missing := []string{}
	for _, k := range RequiredUI {
		if w.UI[k] == "" {
			missing = append(missing, "ui."+k)
		}
	}
	for _, q := range assess.Questions() {
		key := "questions." + string(q.ID)
		qw, ok := w.Questions[string(q.ID)]
		if q.Kind == assess.Text {
			// The field revealed by a yes/no question: its label may be
			// ui.<id>_label, and its error is the blocker's words.
			if w.QuestionText(q.ID) == "" {
				missing = append(missing, key+".text")
			}
			continue
		}
		if !ok {
			missing = append(missing, key)
			continue
		}
		if qw.Text == "" {
			missing = append(missing, key+".text")
		}
		if qw.Error == "" {
			missing = append(missing, key+".error")
		}
		if q.Kind == assess.MultiChoice || q.Kind == assess.Choice {
			for _, c := range q.Choices {
				if qw.Choices[c] == "" {
					missing = append(missing, key+".choices."+c)
				}
			}
		}
		// Readiness labels fall back to ui.ready_*, required above.
		if q.None && qw.None == "" {
			missing = append(missing, key+".none")
		}
	}
	for _, s := range sections[2:] {
		if s.Name == "statuses" {
			for _, c := range s.Codes() {
				if w.Statuses[c] == "" {
					missing = append(missing, "statuses."+c)
				}
			}
			continue
		}
		m := w.Entries(s.Name)
		for _, c := range s.Codes() {
			key := s.Name + "." + c
			e, ok := m[c]
			switch {
			case !ok:
				missing = append(missing, key)
			default:
				if e.Title == "" {
					missing = append(missing, key+".title")
				}
				if e.Text == "" {
					missing = append(missing, key+".text")
				}
			}
		}
	}
	return missing
}

// Links returns every link written in w, in the order of the file's
// sections and of assess's codes.
func Links(w *Selfcheck) []Link {
	var links []Link
	for _, s := range sections[2:] {
		m := w.Entries(s.Name)
		if m == nil {
			continue
		}
		for _, c := range s.Codes() {
			e, ok := m[c]
			if !ok || e.Link == "" {
				continue
			}
			links = append(links, Link{Section: s.Name, ID: c, Target: e.Link})
		}
	}
	return links
}
