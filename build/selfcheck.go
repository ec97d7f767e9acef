package build

import (
	"encoding/json"
	"net/mail"
	"slices"
	"strconv"
	"strings"

	"kmopsite/assess"
	"kmopsite/words"
)

// Texts are the words of the self-check and of the quote form in one
// language, from content/<lang>/selfcheck.yaml and quote.yaml. The build
// fails, naming the id and the language, when a code that assess can
// produce has no words.
type Texts struct {
	Selfcheck *words.Selfcheck // never nil: empty when the file is missing
	Quote     *words.Quote     // never nil: empty when the file is missing
	// Files are the two words files as read, for the links' positions
	// and the translation status; nil for a missing file.
	selfcheck, quote *WordsFile
}

// SelfcheckData is what the selfcheck and quote layouts get as .Extra.
// Besides the words as they are written, it holds them arranged the way
// the templates show them (Pages, Results, Form), so that the templates
// hold markup and no lookups.
type SelfcheckData struct {
	Words     *words.Selfcheck
	Quote     *words.Quote
	Questions []assess.Question
	// Links are the words' links resolved to URLs in the page's language,
	// by dotted key: "blockers.no_theme" → "/nl/erkend-dienstverlener/#voorwaarden".
	Links map[string]string
	// Endpoint is where the quote form posts; Privacy the privacy page's URL.
	Endpoint, Privacy string

	// Pages are the questionnaire's pages in question order: one per
	// question but the optional text ones, which are fields that "yes"
	// reveals on the page of the question before them (Reveal).
	Pages []QuestionPage
	// Total is how many questions are asked before any is answered: the
	// first page's progress, "Question 1 of {Total}", before the rules
	// have loaded in the browser.
	Total int
	// Kinds describes every question, in order, for the scripts that read
	// answers from the URL fragment, as JSON: [{"id": "services", "kind":
	// "multi_choice", "choices": ["training", "advice"]}, …].
	Kinds string
	// The words of every code of the result, in the order of assess;
	// the self-check's script copies those of a result into the page.
	Verdicts, Blockers, Warnings, Tracks, Requirements, Exemptions, Steps []ResultEntry
	// The words of the plan: each audit and each document.
	Audits, Documents []ResultEntry
	Statuses          []Choice
	// Form holds the quote form's fields in form order.
	Form []QuoteField
	// ConsentBefore and ConsentAfter are the consent's label around the
	// link to the privacy page, which stands for {privacy}.
	ConsentBefore, ConsentAfter string
	// SelfcheckURL and QuoteURL are the self-check and the quote page in
	// the page's language; MailTo the audit body's address, for the quote
	// form's mailto fallback.
	SelfcheckURL, QuoteURL, MailTo string
}

// QuestionPage is one page of the questionnaire.
type QuestionPage struct {
	ID   string
	Kind string // assess.Kind's name: yes_no, multi_choice, number, readiness
	Text string
	Help string // optional
	// Error is shown when the page is sent unanswered or with an answer
	// the rules refuse.
	Error   string
	Choices []Choice // the radios or checkboxes; yes and no for yes_no
	None    string   // multi_choice: the label of "none of these", if it is an answer
	Reveal  *TextField
	// Date is the date question that some choices reveal on this page
	// (registration_date, revealed by follow_up and renewal).
	Date *DateField
	// Plan is true for the plan questions, asked after the result.
	Plan bool
}

// DateField is a required date question shown, GOV.UK's date input (day,
// month, year), on the page of the choice question that reveals it.
type DateField struct {
	ID       string
	Question string // as the "check your answers" page names it: the legend
	Hint     string
	Error    string // missing or not a real day
	// AfterDate and BeforeFloor are the errors of a day after today and
	// of one before 2014 (assess.CodeAfterDate, assess.CodeBeforeFloor).
	AfterDate, BeforeFloor string
	Day, Month, Year       string // the three fields' labels
	// On lists the choices that reveal the field, separated by spaces.
	On string
}

// TextField is an optional text question shown on the page of the yes/no
// question that reveals it.
type TextField struct {
	ID       string
	Question string // as the "check your answers" page names it
	Label    string
	Hint     string
	Error    string
	// Blocker is the code the rules give when the text is invalid; the
	// script shows Error on the field when the result has it.
	Blocker string
}

// Choice is one answer to choose, or one status, with its words.
type Choice struct {
	Value, Label string
	// Controls is the id of the field this choice reveals, if any.
	Controls string
}

// ResultEntry is the words of one code of the result.
type ResultEntry struct {
	Code, Title, Text string
	Link              string // resolved URL; empty when the words give none
	// LinkName names where Link goes, for the link's accessible name:
	// the target page's title, then the heading of its anchor.
	LinkName string
}

// QuoteField is one field of the quote form.
type QuoteField struct {
	Name         string // the request's key: company … message (in contact), preferred_period …, consent
	Label, Help  string
	Type         string // text, email, tel, textarea, checkbox, select
	Autocomplete string
	Required     bool
	Max          int // characters; 0 for none
	// Errors are the messages by code of a 400 answer (required,
	// too_long, invalid), placeholders filled in.
	Errors map[string]string
	// Options are a select's choices; Selected the value chosen at first.
	Options  []Choice
	Selected string
	// ShowFor lists the audit_kind answers, separated by spaces, for
	// which the form shows the field (the registration number: follow_up
	// renewal); empty: always.
	ShowFor string
	// Months are the names of the months, January first, separated by
	// "|", and Period their format ("{month} {year}"): the script adds the
	// next twelve months to the preferred period's options, from the
	// visitor's day.
	Months, Period string
}

// invalidBlocker is the blocker that an invalid optional text gives.
var invalidBlocker = map[assess.QuestionID]string{
	assess.EnterpriseNumber: assess.BlockerInvalidEnterpriseNumber,
	assess.IBAN:             assess.BlockerInvalidIBAN,
}

// linkTexts resolves the links written in the self-check's words to URLs
// in each language, and reports those whose page or heading is missing.
func linkTexts(s *site, texts map[string]*Texts) (map[string]map[string]string, Diagnostics) {
	urls := map[string]map[string]string{}
	var diags Diagnostics
	for lang, t := range texts {
		if t.selfcheck == nil {
			continue
		}
		urls[lang] = map[string]string{}
		for _, l := range words.Links(t.Selfcheck) {
			file, anchor, _ := strings.Cut(l.Target, "#")
			target := s.byRel[lang][file]
			if target == nil {
				diags = append(diags, t.selfcheck.at(l.Key(), s.suggestFile(lang, file, ""),
					"link to %s, which does not exist in content/%s/", file, lang))
				continue
			}
			url := target.URL
			if anchor != "" {
				if !target.ids[anchor] {
					diags = append(diags, t.selfcheck.at(l.Key(), anchorHint(target, anchor),
						"link to #%s, but %s has no heading with that id", anchor, target.File))
					continue
				}
				url += "#" + anchor
			}
			urls[lang][l.Section+"."+l.ID] = url
		}
	}
	return urls, diags
}

// linkName names the target of a link written in the words
// ("kmop-norm.md#integriteit"): the page's title, and the text of the
// heading the anchor names, "KMOP-norm – Integriteit".
func linkName(s *site, lang, target string) string {
	file, anchor, _ := strings.Cut(target, "#")
	page := s.byRel[lang][file]
	if page == nil {
		return ""
	}
	name := page.Title()
	for _, h := range page.Headings {
		if anchor != "" && h.ID == anchor {
			name += " – " + h.Text
		}
	}
	return name
}

// selfcheckData is the .Extra of the selfcheck and quote layouts.
func selfcheckData(s *site, p *Page, texts map[string]*Texts, links map[string]map[string]string) *SelfcheckData {
	t := texts[p.Lang]
	if t == nil {
		return nil
	}
	d := &SelfcheckData{Words: t.Selfcheck, Quote: t.Quote, Questions: assess.Questions(),
		Links: links[p.Lang], Endpoint: s.cfg.Quote.Endpoint}
	if priv := s.byRel[p.Lang]["privacy.md"]; priv != nil {
		d.Privacy = priv.URL
	}
	for _, q := range s.pages {
		switch {
		case q.Lang != p.Lang:
		case q.Layout == "selfcheck" && d.SelfcheckURL == "":
			d.SelfcheckURL = q.URL
		case q.Layout == "quote" && d.QuoteURL == "":
			d.QuoteURL = q.URL
		}
	}
	d.MailTo = s.cfg.Contact.Email
	if a, err := mail.ParseAddress(s.cfg.Quote.To); err == nil {
		d.MailTo = a.Address
	}
	d.Kinds = kindsJSON(d.Questions)
	if w := t.Selfcheck; w != nil {
		d.Pages = questionPages(w, d.Questions)
		d.Total = len(assess.Evaluate(assess.Answers{}).Next)
		entries := func(section string, codes []string, m map[string]words.Entry) []ResultEntry {
			es := make([]ResultEntry, len(codes))
			for i, c := range codes {
				es[i] = ResultEntry{Code: c, Title: m[c].Title, Text: m[c].Text, Link: d.Links[section+"."+c]}
				if es[i].Link != "" {
					es[i].LinkName = linkName(s, p.Lang, m[c].Link)
				}
			}
			return es
		}
		d.Verdicts = entries("verdicts", assess.Verdicts, w.Verdicts)
		d.Blockers = entries("blockers", assess.Blockers, w.Blockers)
		d.Warnings = entries("warnings", assess.Warnings, w.Warnings)
		d.Tracks = entries("tracks", assess.Tracks, w.Tracks)
		d.Requirements = entries("requirements", assess.RequirementIDs, w.Requirements)
		d.Exemptions = entries("exemptions", assess.Exemptions, w.Exemptions)
		d.Steps = entries("steps", assess.Steps, w.Steps)
		d.Audits = entries("audits", assess.Audits, w.Audits)
		d.Documents = entries("documents", assess.Documents, w.Documents)
		for _, c := range assess.Statuses {
			d.Statuses = append(d.Statuses, Choice{Value: c, Label: w.Statuses[c]})
		}
	}
	if t.Quote != nil {
		var langs []string
		for _, l := range s.cfg.Languages {
			langs = append(langs, l.Code)
		}
		d.Form = quoteFields(t.Quote, langs, p.Lang)
		d.ConsentBefore, d.ConsentAfter, _ = strings.Cut(t.Quote.Fields.Consent.Label, "{privacy}")
	}
	return d
}

// questionPages arranges the questions into the questionnaire's pages.
func questionPages(w *words.Selfcheck, qs []assess.Question) []QuestionPage {
	var pages []QuestionPage
	byID := map[assess.QuestionID]int{}
	for _, q := range qs {
		qw := w.Questions[string(q.ID)]
		if q.Kind == assess.Date {
			i, ok := byID[q.RevealedBy]
			if !ok {
				continue
			}
			pages[i].Date = &DateField{ID: string(q.ID), Question: qw.Text, Hint: qw.Help, Error: qw.Error,
				AfterDate: w.UI["date_after_today"], BeforeFloor: w.UI["date_before_2014"],
				Day: w.UI["date_day"], Month: w.UI["date_month"], Year: w.UI["date_year"],
				On: strings.Join(q.RevealedOn, " ")}
			for j, c := range pages[i].Choices {
				if slices.Contains(q.RevealedOn, c.Value) {
					pages[i].Choices[j].Controls = "sc-reveal-" + string(q.ID)
				}
			}
			continue
		}
		if q.Kind == assess.Text {
			i, ok := byID[q.RevealedBy]
			if !ok {
				continue
			}
			id := string(q.ID)
			pages[i].Reveal = &TextField{ID: id, Question: w.QuestionText(q.ID),
				Label: w.UI[id+"_label"], Hint: w.UI[id+"_hint"], Error: qw.Error, Blocker: invalidBlocker[q.ID]}
			if pages[i].Reveal.Label == "" {
				pages[i].Reveal.Label = w.QuestionText(q.ID)
			}
			continue
		}
		pg := QuestionPage{ID: string(q.ID), Kind: q.Kind.String(), Text: qw.Text, Help: qw.Help, Error: qw.Error, Plan: q.Plan}
		switch q.Kind {
		case assess.YesNo:
			pg.Choices = []Choice{{Value: "yes", Label: w.UI["yes"]}, {Value: "no", Label: w.UI["no"]}}
		case assess.MultiChoice, assess.Readiness, assess.Choice:
			for _, c := range q.Choices {
				pg.Choices = append(pg.Choices, Choice{Value: c, Label: w.ChoiceLabel(q.ID, c)})
			}
			if q.None {
				pg.None = qw.None
			}
		}
		byID[q.ID] = len(pages)
		pages = append(pages, pg)
	}
	return pages
}

// kindsJSON describes the questions for the scripts, in question order:
// id, kind, and the choices where there are.
func kindsJSON(qs []assess.Question) string {
	type kind struct {
		ID      string   `json:"id"`
		Kind    string   `json:"kind"`
		Choices []string `json:"choices,omitempty"`
	}
	ks := make([]kind, len(qs))
	for i, q := range qs {
		ks[i] = kind{ID: string(q.ID), Kind: q.Kind.String()}
		if q.Kind == assess.MultiChoice || q.Kind == assess.Readiness || q.Kind == assess.Choice {
			ks[i].Choices = q.Choices
		}
	}
	b, _ := json.Marshal(ks)
	return string(b)
}

// quoteFields are the quote form's fields in form order, with their
// words and bounds.
// langs are the site's languages, offered for the audit; lang, the page's,
// is chosen at first.
func quoteFields(w *words.Quote, langs []string, lang string) []QuoteField {
	f := &w.Fields
	var months []string
	for m := 1; m <= 12; m++ {
		months = append(months, w.Months.Name(m))
	}
	var languages []Choice
	for _, l := range langs {
		languages = append(languages, Choice{Value: l, Label: w.Languages[l]})
	}
	fields := []QuoteField{
		{Name: "company", Type: "text", Autocomplete: "organization", Required: true},
		{Name: "enterprise_number", Type: "text", Autocomplete: "off"},
		{Name: "name", Type: "text", Autocomplete: "name", Required: true},
		{Name: "email", Type: "email", Autocomplete: "email", Required: true},
		{Name: "phone", Type: "tel", Autocomplete: "tel"},
		{Name: "preferred_period", Type: "select", Options: []Choice{{Value: "asap", Label: w.Form.Asap}},
			Selected: "asap", Months: strings.Join(months, "|"), Period: w.Months.Period},
		{Name: "audit_language", Type: "select", Options: languages, Selected: lang},
		{Name: "registration_number", Type: "text", Autocomplete: "off", ShowFor: "follow_up renewal"},
		{Name: "message", Type: "textarea"},
		{Name: "consent", Type: "checkbox", Required: true},
	}
	byName := map[string]words.FieldWords{
		"company": f.Company, "enterprise_number": f.EnterpriseNumber, "name": f.Name,
		"email": f.Email, "phone": f.Phone, "message": f.Message, "consent": f.Consent,
		"preferred_period": f.PreferredPeriod, "audit_language": f.AuditLanguage,
		"registration_number": f.RegistrationNumber,
	}
	for i := range fields {
		qf := &fields[i]
		fw := byName[qf.Name]
		qf.Label, qf.Help = fw.Label, fw.Help
		qf.Max = words.MaxLength(qf.Name)
		qf.Errors = map[string]string{}
		for code, text := range map[string]string{words.CodeRequired: fw.Errors.Required,
			words.CodeTooLong: fw.Errors.TooLong, words.CodeInvalid: fw.Errors.Invalid} {
			if text != "" {
				qf.Errors[code] = strings.ReplaceAll(text, "{max}", strconv.Itoa(qf.Max))
			}
		}
	}
	return fields
}
