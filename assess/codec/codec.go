// Package codec reads and writes the JSON of docs/rules.md: the answers
// object and the result object. It is the JSON edge of package assess, for
// the command line and the quote endpoint; the browser has its own edge in
// assess/wasm, which cannot afford encoding/json.
package codec

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"kmopsite/suggest"
	"math"
	"sort"
	"strconv"
	"strings"

	"kmopsite/assess"
)

// Problem codes that only the JSON edge can see; assess has the others.
const (
	CodeInvalidJSON  = "invalid_json"  // the body is not JSON at all
	CodeNotObject    = "not_object"    // the body is JSON but not an object
	CodeWrongType    = "wrong_type"    // e.g. a string where yes/no takes true or false
	CodeNotWhole     = "not_whole"     // a number with a fraction
	CodeDuplicateKey = "duplicate_key" // the same key twice in the object
)

// DateKey is the key of the optional day the rules are applied for.
const DateKey = "date"

// Errors is what Decode returns when the answers break the contract: every
// problem found, one per key, keys in the order of docs/rules.md (the questions
// in order, then date, then unknown keys in byte order). Problems about the
// body as a whole (invalid_json, not_object) have an empty Key.
type Errors struct {
	Problems []assess.Problem
	detail   string // the JSON parser's words, for invalid_json
}

// Error lists the problems one per line, each as "key: what is wrong".
func (e *Errors) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(Message(p))
		if p.Code == CodeInvalidJSON && e.detail != "" {
			b.WriteString(" (" + e.detail + ")")
		}
	}
	return b.String()
}

// Message says in English what a problem is, for people reading the
// command's errors or a log; the questionnaire has its own words.
func Message(p assess.Problem) string {
	what := ""
	switch p.Code {
	case CodeInvalidJSON:
		return "the answers are not valid JSON"
	case CodeNotObject:
		return "the answers must be a JSON object, {...}, with the question ids as keys"
	case CodeWrongType:
		what = "wrong type: " + expected(p.Key)
	case CodeNotWhole:
		what = "must be a whole number"
	case CodeDuplicateKey:
		what = "appears more than once"
	case assess.CodeUnknownKey:
		what = "unknown key: not a question of the self-check"
		if s := closestKey(p.Key); s != "" {
			what += `; did you mean "` + s + `"?`
		}
	case assess.CodeUnknownChoice:
		what = "unknown choice: " + expected(p.Key)
	case assess.CodeDuplicateChoice:
		what = "the same choice appears twice"
	case assess.CodeNegative:
		what = "must not be negative"
	case assess.CodeTooLarge:
		what = "must be at most " + strconv.Itoa(assess.MaxNumber)
	case assess.CodeTooLong:
		what = "must be at most " + strconv.Itoa(assess.MaxText) + " bytes long"
	case assess.CodeBadDate:
		what = "must be a day written YYYY-MM-DD, such as 2026-02-01"
	case assess.CodeTooSmall:
		what = "must be at least " + strconv.Itoa(minimum(p.Key))
	case assess.CodeAfterDate:
		what = "must not be after the day the rules are applied for (the key \"date\", today when absent)"
	case assess.CodeBeforeFloor:
		what = "must not be before " + assess.RegistrationFloor + ": no registration period of the KMOP norm began earlier"
	default:
		what = p.Code
	}
	return p.Key + ": " + what
}

// minimum returns the smallest number question key takes.
func minimum(key string) int {
	q, _ := assess.Lookup(assess.QuestionID(key))
	return q.Min
}

// expected describes the values key takes.
func expected(key string) string {
	if key == DateKey {
		return "takes a string YYYY-MM-DD"
	}
	q, ok := assess.Lookup(assess.QuestionID(key))
	if !ok {
		return "not a question"
	}
	switch q.Kind {
	case assess.YesNo:
		return "takes true or false"
	case assess.Text:
		return "takes a string"
	case assess.Number:
		return "takes a whole number ≥ " + strconv.Itoa(q.Min)
	case assess.Readiness:
		return `takes "yes", "partly" or "no"`
	case assess.Choice:
		return "takes one of " + quoted(q.Choices)
	case assess.Date:
		return "takes a string YYYY-MM-DD"
	case assess.MultiChoice:
		return "takes a list of " + quoted(q.Choices)
	}
	return q.Kind.String()
}

func quoted(cs []string) string {
	qs := make([]string, len(cs))
	for i, c := range cs {
		qs[i] = strconv.Quote(c)
	}
	return strings.Join(qs, ", ")
}

// closestKey returns the question id (or the date key) closest to an
// unknown key, if close.
func closestKey(key string) string {
	known := []string{DateKey}
	for _, q := range assess.Questions() {
		known = append(known, string(q.ID))
	}
	return suggest.Closest(key, known)
}

// Decode reads the answers object of docs/rules.md strictly: unknown keys,
// duplicate keys, wrong types, fractional, negative or too large numbers,
// unknown or repeated choices, overlong texts and a malformed date are
// errors naming the key, returned together as *Errors. A question or date
// whose value is null counts as absent (an unknown key is an error
// whatever its value). When the object has no date, today (YYYY-MM-DD) is
// used.
func Decode(data []byte, today string) (assess.Answers, error) {
	if !json.Valid(data) {
		var x any
		err := json.Unmarshal(data, &x)
		if err == nil { // cannot be: Valid said no
			err = errors.New("invalid JSON")
		}
		return assess.Answers{}, syntaxError(err)
	}
	a := assess.Answers{Date: today}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()

	tok, err := dec.Token()
	if err != nil {
		return assess.Answers{}, syntaxError(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return assess.Answers{}, &Errors{Problems: []assess.Problem{{Code: CodeNotObject}}}
	}

	problems := map[string]string{} // key → first problem code
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return assess.Answers{}, syntaxError(err)
		}
		key := tok.(string) // inside an object the decoder yields string keys
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return assess.Answers{}, syntaxError(err)
		}
		if seen[key] {
			problems[key] = CodeDuplicateKey
			continue
		}
		seen[key] = true
		if code := decodeValue(&a, key, raw); code != "" {
			problems[key] = code
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return assess.Answers{}, syntaxError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			err = errors.New("more data after the answers object")
		}
		return assess.Answers{}, syntaxError(err)
	}

	for _, p := range assess.Validate(a) {
		if _, ok := problems[p.Key]; !ok {
			problems[p.Key] = p.Code
		}
	}
	if len(problems) > 0 {
		return assess.Answers{}, &Errors{Problems: ordered(problems)}
	}
	return a, nil
}

func syntaxError(err error) error {
	if err == io.EOF || err.Error() == "unexpected end of JSON input" {
		err = errors.New("the input ends too early")
	}
	return &Errors{Problems: []assess.Problem{{Code: CodeInvalidJSON}}, detail: err.Error()}
}

// decodeValue records the value of key in a and returns a problem code, or
// "".
func decodeValue(a *assess.Answers, key string, raw json.RawMessage) string {
	if key == DateKey {
		if string(raw) == "null" {
			return ""
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return CodeWrongType
		}
		if !assess.ValidDate(s) {
			return assess.CodeBadDate
		}
		a.Date = s
		return ""
	}
	id := assess.QuestionID(key)
	q, ok := assess.Lookup(id)
	if !ok {
		return assess.CodeUnknownKey
	}
	if string(raw) == "null" {
		return ""
	}
	var v assess.Value
	switch q.Kind {
	case assess.YesNo:
		if json.Unmarshal(raw, &v.Bool) != nil {
			return CodeWrongType
		}
	case assess.Text, assess.Readiness, assess.Choice, assess.Date:
		if json.Unmarshal(raw, &v.Text) != nil {
			return CodeWrongType
		}
	case assess.MultiChoice:
		if json.Unmarshal(raw, &v.List) != nil || v.List == nil {
			return CodeWrongType
		}
	case assess.Number:
		var n json.Number
		if raw[0] == '"' || json.Unmarshal(raw, &n) != nil {
			return CodeWrongType
		}
		f, err := strconv.ParseFloat(string(n), 64)
		switch {
		case err != nil && !math.IsInf(f, 0):
			return CodeWrongType
		case f != math.Trunc(f):
			return CodeNotWhole
		case f < 0:
			return assess.CodeNegative
		case f < float64(q.Min):
			return assess.CodeTooSmall
		case f > assess.MaxNumber:
			return assess.CodeTooLarge
		}
		v.Number = int(f)
	}
	a.Set(id, v)
	return ""
}

// ordered turns key → code into problems in the order of docs/rules.md.
func ordered(problems map[string]string) []assess.Problem {
	var ps []assess.Problem
	take := func(key string) {
		if code, ok := problems[key]; ok {
			ps = append(ps, assess.Problem{Key: key, Code: code})
			delete(problems, key)
		}
	}
	for _, q := range assess.Questions() {
		take(string(q.ID))
	}
	take(DateKey)
	rest := make([]string, 0, len(problems))
	for k := range problems {
		rest = append(rest, k)
	}
	sort.Strings(rest)
	for _, k := range rest {
		take(k)
	}
	return ps
}

// EncodeResult writes the result object of docs/rules.md, its keys in the order
// of the contract, indented by two spaces, lists never null.
func EncodeResult(r assess.Result) []byte {
	r.Next = orEmpty(r.Next)
	r.Blockers = orEmpty(r.Blockers)
	r.Warnings = orEmpty(r.Warnings)
	r.Requirements = orEmpty(r.Requirements)
	r.PossibleExemptions = orEmpty(r.PossibleExemptions)
	r.Steps = orEmpty(r.Steps)
	r.Plan.Next = orEmpty(r.Plan.Next)
	r.Plan.Audited = orEmpty(r.Plan.Audited)
	r.Plan.Documents = orEmpty(r.Plan.Documents)
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil { // a Result holds only strings, numbers and bools
		panic("codec: encoding a result: " + err.Error())
	}
	return b
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// EncodeAnswers writes the answers object of docs/rules.md: date first, then
// each answered question in question order, indented by two spaces. Ids
// that are no question are left out. Decode reads it back to the same
// answers.
func EncodeAnswers(a assess.Answers) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	field := func(key string, v any) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		k, _ := json.Marshal(key)
		val, err := json.Marshal(v)
		if err != nil { // strings, bools, ints and string lists only
			panic("codec: encoding answers: " + err.Error())
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(val)
	}
	if a.Date != "" {
		field(DateKey, a.Date)
	}
	for _, q := range assess.Questions() {
		v, ok := a.Get(q.ID)
		if !ok {
			continue
		}
		switch q.Kind {
		case assess.YesNo:
			field(string(q.ID), v.Bool)
		case assess.Text, assess.Readiness, assess.Choice, assess.Date:
			field(string(q.ID), v.Text)
		case assess.Number:
			field(string(q.ID), v.Number)
		case assess.MultiChoice:
			field(string(q.ID), orEmpty(v.List))
		}
	}
	b.WriteByte('}')
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
		panic("codec: indenting answers: " + err.Error())
	}
	return out.Bytes()
}
