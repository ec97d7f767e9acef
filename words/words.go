// Package words reads the words of the self-check that marketing writes, one
// file per language (content/<lang>/selfcheck.yaml), and tells which of the
// ids and codes that package assess can ask or produce have no words yet.
//
// The file is read strictly: an unknown section, field, question, choice or
// code is an error with its line and column and, where one is close, a
// suggestion; so is a value of the wrong shape. None of the words are in Go
// (domain/rules.md, "Where the words live").
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

	pos map[string]position // dotted key → where it is written
}

// Question holds the words of one question.
type Question struct {
	Text  string // the question itself
	Help  string // optional: more about what is asked
	Error string // shown when it is unanswered or the answer is invalid
	// Choices maps each choice value to its label (multi-choice and
	// readiness questions; readiness labels fall back to ui.ready_<value>).
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
	Line    int
	Col     int
}

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
}

// sections lists the sections of the file in order, with the codes each
// may hold (nil: free-form keys).
var sections = []struct {
	name  string
	codes func() []string
}{
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
}

func questionIDs() []string {
	var ids []string
	for _, q := range assess.Questions() {
		ids = append(ids, string(q.ID))
	}
	return ids
}

// entries returns the map of a section that holds Entry values.
func (w *Selfcheck) entries(section string) map[string]Entry {
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
	}
	return nil
}

// Pos returns the line and column where key (dotted, as Missing writes
// them, such as "blockers.no_theme.title") is written, or where its nearest
// written parent is; 1, 1 when none of it is written.
func (w *Selfcheck) Pos(key string) (line, col int) {
	for {
		if p, ok := w.pos[key]; ok {
			return p.line, p.col
		}
		i := lastDot(key)
		if i < 0 {
			return 1, 1
		}
		key = key[:i]
	}
}

func lastDot(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '.' {
			return i
		}
	}
	return -1
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
		if q.Kind == assess.MultiChoice {
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
		if s.name == "statuses" {
			for _, c := range s.codes() {
				if w.Statuses[c] == "" {
					missing = append(missing, "statuses."+c)
				}
			}
			continue
		}
		m := w.entries(s.name)
		for _, c := range s.codes() {
			key := s.name + "." + c
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
		m := w.entries(s.name)
		if m == nil {
			continue
		}
		for _, c := range s.codes() {
			e, ok := m[c]
			if !ok || e.Link == "" {
				continue
			}
			line, col := w.Pos(s.name + "." + c + ".link")
			links = append(links, Link{Section: s.name, ID: c, Target: e.Link, Line: line, Col: col})
		}
	}
	return links
}
