package assess

// Value is one answer. Which field holds it depends on the question's Kind:
// YesNo uses Bool, Text and Readiness use Text, Number uses Number and
// MultiChoice uses List; Choice and Date use Text. The other fields are
// ignored.
type Value struct {
	Bool   bool
	Text   string
	Number int
	List   []string
}

// Answers are the answers given so far, and the day the rules are applied
// for.
//
// The zero Answers has nothing answered. Answers holds a map: copies of an
// Answers value share it, so use Clone before changing a copy.
type Answers struct {
	// Date is the day the rules are applied for, YYYY-MM-DD. The edges
	// (the command, the browser, the quote endpoint) set today when the
	// answers carry none. An empty or malformed Date applies the newest
	// rules.
	Date string

	m map[QuestionID]Value
}

// Set records the answer to question id. Setting an id that is no question
// is recorded too, so that Validate reports it.
func (a *Answers) Set(id QuestionID, v Value) {
	if a.m == nil {
		a.m = make(map[QuestionID]Value)
	}
	v.List = append([]string(nil), v.List...)
	a.m[id] = v
}

// Unset removes the answer to question id: it is unanswered again.
func (a *Answers) Unset(id QuestionID) {
	delete(a.m, id)
}

// Get returns the answer to question id and whether there is one. It says
// nothing of whether the answer is valid (see Validate) or whether the
// question is asked (see Asked).
func (a Answers) Get(id QuestionID) (Value, bool) {
	v, ok := a.m[id]
	if ok {
		v.List = append([]string(nil), v.List...)
	}
	return v, ok
}

// Len returns how many answers are recorded.
func (a Answers) Len() int { return len(a.m) }

// Clone returns a copy that shares nothing with a.
func (a Answers) Clone() Answers {
	c := Answers{Date: a.Date}
	if a.m != nil {
		c.m = make(map[QuestionID]Value, len(a.m))
		for id, v := range a.m {
			v.List = append([]string(nil), v.List...)
			c.m[id] = v
		}
	}
	return c
}

// Problem is an answer that breaks the contract of docs/rules.md, "Input": Key
// names the question (or "date"), Code says what is wrong.
type Problem struct {
	Key  string
	Code string
}

// Problem codes. The edges add their own for what only they can see
// (wrong_type, unknown_key, not_whole, invalid_json).
const (
	CodeUnknownKey      = "unknown_key"      // no question has this id
	CodeUnknownChoice   = "unknown_choice"   // a value that is not one of the question's choices
	CodeDuplicateChoice = "duplicate_choice" // the same choice twice in one list
	CodeNegative        = "negative"         // a number below 0
	CodeTooLarge        = "too_large"        // a number above 1,000,000
	CodeTooLong         = "too_long"         // a text longer than 100 bytes
	CodeBadDate         = "bad_date"         // a date that is not a real day written YYYY-MM-DD
	CodeTooSmall        = "too_small"        // a number below the question's minimum (sites_belgium ≥ 1)
	CodeAfterDate       = "after_date"       // a registration_date after the date the rules are applied for
	CodeBeforeFloor     = "before_2014"      // a registration_date before 2014-01-01
)

// RegistrationFloor is the earliest registration_date (docs/rules.md,
// "Questions"): registration through an audit against the KMOP norm began
// in 2013-2014 (docs/rules.md, facts §1), so no current period starts earlier.
const RegistrationFloor = "2014-01-01"

// MaxNumber is the largest Number answer Validate accepts.
const MaxNumber = maxNumber

// MaxText is the longest Text answer, in bytes, that Validate accepts.
const MaxText = maxText

// Validate checks the answers against the contract of docs/rules.md, "Input":
// choice values, number ranges, text length and the date's format. It checks
// every answer present, asked or not. It returns nil when all is well, else
// the problems in question order, then the date, then unknown ids in the
// order of their bytes.
func Validate(a Answers) []Problem {
	var ps []Problem
	for i := range questions {
		q := &questions[i]
		v, ok := a.m[q.ID]
		if !ok {
			continue
		}
		if code := check(q, v, a.Date); code != "" {
			ps = append(ps, Problem{Key: string(q.ID), Code: code})
		}
	}
	if a.Date != "" && !ValidDate(a.Date) {
		ps = append(ps, Problem{Key: "date", Code: CodeBadDate})
	}
	var unknown []string
	for id := range a.m {
		if index(id) < 0 {
			unknown = append(unknown, string(id))
		}
	}
	sortStrings(unknown)
	for _, k := range unknown {
		ps = append(ps, Problem{Key: k, Code: CodeUnknownKey})
	}
	return ps
}

// check returns the problem code of v as an answer to q, or "", on the
// day date (the answers' date; a date that is not a valid day leaves out
// the check of a registration_date against it).
func check(q *Question, v Value, date string) string {
	switch q.Kind {
	case Text:
		if len(v.Text) > maxText {
			return CodeTooLong
		}
	case Readiness, Choice:
		if !hasChoice(q, v.Text) {
			return CodeUnknownChoice
		}
	case Date:
		switch {
		case !ValidDate(v.Text):
			return CodeBadDate
		case v.Text < RegistrationFloor:
			return CodeBeforeFloor
		case ValidDate(date) && v.Text > date:
			return CodeAfterDate
		}
	case Number:
		if v.Number < 0 {
			return CodeNegative
		}
		if v.Number < q.Min {
			return CodeTooSmall
		}
		if v.Number > maxNumber {
			return CodeTooLarge
		}
	case MultiChoice:
		for i, s := range v.List {
			if !hasChoice(q, s) {
				return CodeUnknownChoice
			}
			for _, t := range v.List[:i] {
				if s == t {
					return CodeDuplicateChoice
				}
			}
		}
	}
	return ""
}

// view holds the valid answers by question position, resolved once for a
// run of the rules. An invalid answer counts as no answer: the rules never
// read a value that breaks the contract.
type view struct {
	date string
	val  [len(questions)]Value
	ok   [len(questions)]bool
	// verdict caches the verdict once known (it decides whether the plan
	// questions are asked); "" until then.
	verdict string
}

func newView(a Answers) *view {
	w := &view{date: a.Date}
	for i := range questions {
		if v, ok := a.m[questions[i].ID]; ok && check(&questions[i], v, a.Date) == "" {
			w.val[i], w.ok[i] = v, true
		}
	}
	return w
}

// answer returns the valid answer to question id, if there is one.
func (w *view) answer(id QuestionID) (Value, bool) {
	i := index(id)
	if i < 0 {
		return Value{}, false
	}
	return w.val[i], w.ok[i]
}

// yes reports whether yes/no question id is answered yes; answered reports
// whether it is answered at all.
func (w *view) yes(id QuestionID) (yes, answered bool) {
	v, ok := w.answer(id)
	return ok && v.Bool, ok
}

// has reports whether multi-choice question id is answered and its list
// holds choice.
func (w *view) has(id QuestionID, choice string) bool {
	v, ok := w.answer(id)
	if !ok {
		return false
	}
	for _, s := range v.List {
		if s == choice {
			return true
		}
	}
	return false
}

// ValidDate reports whether s is a real day of the Gregorian calendar
// written YYYY-MM-DD.
func ValidDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i != 4 && i != 7 && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	y := digits(s[0:4])
	m := digits(s[5:7])
	d := digits(s[8:10])
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

// digits returns the value of a string of ASCII digits.
func digits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// sortStrings sorts in place; the package keeps clear of sort's and
// slices' generic code, which the browser would pay for.
func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
