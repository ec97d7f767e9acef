//go:build js && wasm

// Command wasm is the browser's entry to the rules: compiled to assess.wasm,
// it sets globalThis.kmopAssess(answers), which takes the answers object of
// docs/rules.md and returns its result object, or {error: [{key, code}]}
// when the answers break the contract.
//
// It is the only importer of syscall/js. It converts between JavaScript
// values and package assess by walking assess.Questions(), without
// encoding/json, fmt or reflect, which would triple the module's size.
package main

import (
	"math"
	"syscall/js"

	"kmopsite/assess"
)

func main() {
	js.Global().Set("kmopAssess", js.FuncOf(func(this js.Value, args []js.Value) any {
		arg := js.Undefined()
		if len(args) > 0 {
			arg = args[0]
		}
		a, problems := decode(arg)
		if len(problems) > 0 {
			return errors(problems)
		}
		return encode(assess.Evaluate(a))
	}))
	select {} // keep the function alive
}

// Problem codes only this edge can see, as in package assess/codec.
const (
	codeNotObject = "not_object"
	codeWrongType = "wrong_type"
	codeNotWhole  = "not_whole"
)

// decode reads the answers object. A key that is undefined or null counts
// as absent. Without a date it takes today's, in the browser's time zone.
func decode(v js.Value) (assess.Answers, []assess.Problem) {
	var a assess.Answers
	if v.Type() != js.TypeObject || js.Global().Get("Array").Call("isArray", v).Bool() {
		return a, []assess.Problem{{Code: codeNotObject}}
	}
	var typeProblems []assess.Problem
	keys := js.Global().Get("Object").Call("keys", v)
	for i, n := 0, keys.Length(); i < n; i++ {
		key := keys.Index(i).String()
		x := v.Get(key)
		q, known := assess.Lookup(assess.QuestionID(key))
		if !known && key != "date" {
			a.Set(assess.QuestionID(key), assess.Value{}) // Validate names it
			continue
		}
		if x.IsUndefined() || x.IsNull() {
			continue
		}
		if key == "date" {
			if x.Type() != js.TypeString {
				typeProblems = append(typeProblems, assess.Problem{Key: key, Code: codeWrongType})
				continue
			}
			a.Date = x.String()
			if !assess.ValidDate(a.Date) {
				typeProblems = append(typeProblems, assess.Problem{Key: key, Code: assess.CodeBadDate})
			}
			continue
		}
		val, code := value(q, x)
		if code != "" {
			typeProblems = append(typeProblems, assess.Problem{Key: key, Code: code})
			continue
		}
		a.Set(q.ID, val)
	}
	if d := v.Get("date"); d.IsUndefined() || d.IsNull() {
		a.Date = today()
	}
	return a, merge(typeProblems, assess.Validate(a))
}

// value converts x to an answer to q, or returns a problem code.
func value(q assess.Question, x js.Value) (assess.Value, string) {
	var val assess.Value
	switch q.Kind {
	case assess.YesNo:
		if x.Type() != js.TypeBoolean {
			return val, codeWrongType
		}
		val.Bool = x.Bool()
	case assess.Text, assess.Readiness, assess.Choice, assess.Date:
		if x.Type() != js.TypeString {
			return val, codeWrongType
		}
		val.Text = x.String()
	case assess.Number:
		if x.Type() != js.TypeNumber {
			return val, codeWrongType
		}
		f := x.Float()
		switch { // in the order of assess/codec
		case f != f: // NaN
			return val, codeWrongType
		case f != math.Trunc(f):
			return val, codeNotWhole
		case f < 0:
			return val, assess.CodeNegative
		case f < float64(q.Min):
			return val, assess.CodeTooSmall
		case f > assess.MaxNumber:
			return val, assess.CodeTooLarge
		}
		val.Number = int(f)
	case assess.MultiChoice:
		if !js.Global().Get("Array").Call("isArray", x).Bool() {
			return val, codeWrongType
		}
		n := x.Length()
		val.List = make([]string, n)
		for i := 0; i < n; i++ {
			e := x.Index(i)
			if e.Type() != js.TypeString {
				return val, codeWrongType
			}
			val.List[i] = e.String()
		}
	}
	return val, ""
}

// merge orders the problems as assess.Validate does (questions in order,
// then date, then unknown keys), one per key, type problems first.
func merge(typed, validated []assess.Problem) []assess.Problem {
	if len(typed) == 0 {
		return validated
	}
	var all []assess.Problem
	has := func(key string) bool {
		for _, p := range all {
			if p.Key == key {
				return true
			}
		}
		return false
	}
	keys := make([]string, 0, 32)
	for _, q := range assess.Questions() {
		keys = append(keys, string(q.ID))
	}
	keys = append(keys, "date")
	for _, k := range keys {
		for _, ps := range [2][]assess.Problem{typed, validated} {
			for _, p := range ps {
				if p.Key == k && !has(k) {
					all = append(all, p)
				}
			}
		}
	}
	for _, p := range validated {
		if !has(p.Key) {
			all = append(all, p)
		}
	}
	return all
}

// today returns the browser's date, YYYY-MM-DD.
func today() string {
	d := js.Global().Get("Date").New()
	y := d.Call("getFullYear").Int()
	m := d.Call("getMonth").Int() + 1
	day := d.Call("getDate").Int()
	return assess.FormatDate(y, m, day)
}

func errors(ps []assess.Problem) js.Value {
	list := newArray()
	for _, p := range ps {
		o := newObject()
		o.Set("key", p.Key)
		o.Set("code", p.Code)
		list.Call("push", o)
	}
	o := newObject()
	o.Set("error", list)
	return o
}

// encode builds the result object with its keys in the order of docs/rules.md.
func encode(r assess.Result) js.Value {
	o := newObject()
	o.Set("verdict", r.Verdict)
	o.Set("complete", r.Complete)
	next := newArray()
	for _, id := range r.Next {
		next.Call("push", string(id))
	}
	o.Set("next", next)
	o.Set("blockers", strings(r.Blockers))
	o.Set("warnings", strings(r.Warnings))
	o.Set("track", r.Track)
	o.Set("registration_years", r.RegistrationYears)
	o.Set("follow_up_audit_years", r.FollowUpAuditYears)
	reqs := newArray()
	for _, req := range r.Requirements {
		ro := newObject()
		ro.Set("id", req.ID)
		ro.Set("status", req.Status)
		reqs.Call("push", ro)
	}
	o.Set("requirements", reqs)
	o.Set("possible_exemptions", strings(r.PossibleExemptions))
	o.Set("steps", strings(r.Steps))
	p := newObject()
	p.Set("complete", r.Plan.Complete)
	pnext := newArray()
	for _, id := range r.Plan.Next {
		pnext.Call("push", string(id))
	}
	p.Set("next", pnext)
	p.Set("audit", r.Plan.Audit)
	p.Set("audited", strings(r.Plan.Audited))
	p.Set("documents", strings(r.Plan.Documents))
	p.Set("due_date", r.Plan.DueDate)
	p.Set("reminder_date", r.Plan.ReminderDate)
	o.Set("plan", p)
	return o
}

func strings(s []string) js.Value {
	a := newArray()
	for _, x := range s {
		a.Call("push", x)
	}
	return a
}

func newObject() js.Value { return js.Global().Get("Object").New() }
func newArray() js.Value  { return js.Global().Get("Array").New() }
