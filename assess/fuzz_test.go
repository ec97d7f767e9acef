package assess_test

import (
	"slices"
	"testing"

	"kmopsite/assess"
)

// answersFrom reads answers from fuzz bytes: for each question in order a
// byte says whether it is answered, the next ones what the answer is;
// values stray outside the contract now and then (unknown choices,
// negative numbers, odd texts), as a careless client would send them.
func answersFrom(data []byte) assess.Answers {
	next := func() byte {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return b
	}
	dates := []string{"2022-12-31", "2023-01-01", "2026-01-31", "2026-02-01", "", "2026-02-30", "garbage"}
	a := assess.Answers{Date: dates[int(next())%len(dates)]}
	texts := []string{"", "  ", validEnterprise, "0403019262", "1001686633", validIBAN, "DE89370400440532013000", "BE68539007547035"}
	for _, q := range assess.Questions() {
		if next()%4 == 0 {
			continue // unanswered
		}
		b := next()
		var v assess.Value
		switch q.Kind {
		case assess.YesNo:
			v.Bool = b&1 == 1
		case assess.Text:
			if b < 200 {
				v.Text = texts[int(b)%len(texts)]
			} else {
				n := int(b-200) % 40
				for i := 0; i < n; i++ {
					v.Text += string(rune(next()))
				}
			}
		case assess.Number:
			v.Number = int(b)<<8 | int(next())
			if b >= 250 {
				v.Number = -v.Number
			}
		case assess.Readiness:
			v.Text = []string{"yes", "partly", "no", "", "YES"}[int(b)%5]
		case assess.Choice:
			v.Text = append(q.Choices, "", "First")[int(b)%(len(q.Choices)+2)]
		case assess.Date:
			v.Text = []string{"2014-01-01", "2013-12-31", "2020-02-29", "2021-01-31", "2021-02-01",
				"2024-02-29", "2024-08-31", "2026-02-01", "2026-02-02", "2023-02-29", "2024-2-1", ""}[int(b)%12]
		case assess.MultiChoice:
			v.List = []string{}
			for i, c := range q.Choices {
				if b&(1<<i) != 0 {
					v.List = append(v.List, c)
				}
			}
			if b&0x80 != 0 && len(v.List) > 0 {
				v.List = append(v.List, v.List[0]) // a repeated choice
			}
			if next() == 0xff {
				v.List = append(v.List, "unknown")
			}
		}
		a.Set(q.ID, v)
	}
	return a
}

func FuzzEvaluate(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{3, 1, 0, 1, 1, 1, 2, 1, 1, 1, 5, 0, 1, 1, 1, 3, 1, 3, 0, 0, 0, 0, 0, 1, 7, 0, 1, 3, 0})
	f.Add([]byte{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1})
	f.Add([]byte{6, 2, 250, 9, 9, 201, 0x41, 0x42, 3, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255})
	f.Fuzz(func(t *testing.T, data []byte) {
		a := answersFrom(data)
		r := assess.Evaluate(a)
		checkInvariants(t, a, r)
		if full(assess.Evaluate(a)) != full(r) {
			t.Fatal("Evaluate is not deterministic")
		}
		// An answer that Validate rejects counts as no answer.
		clean := a.Clone()
		for _, p := range assess.Validate(a) {
			if p.Key != "date" {
				clean.Unset(assess.QuestionID(p.Key))
			}
		}
		if got := full(assess.Evaluate(clean)); got != full(r) {
			t.Fatalf("dropping the invalid answers changes the result\nanswers: %s\nwith:    %s\nwithout: %s", describe(a), full(r), got)
		}
		// A complete result stays as it is whatever else is answered.
		if r.Complete && r.Verdict != assess.VerdictNotEligible {
			for _, q := range assess.Questions() {
				if _, ok := a.Get(q.ID); !ok && assess.Asked(a, q.ID) && q.Kind != assess.Text && !q.Plan {
					t.Fatalf("complete, yet %s is asked and unanswered", q.ID)
				}
			}
		}
		if r.Verdict == assess.VerdictNotEligible && slices.Contains(r.Steps, assess.StepRequestAudit) {
			t.Fatal("not eligible, yet asked to request an audit")
		}
		// The plan questions never change the verdict or keep it open.
		noPlan := a.Clone()
		for _, q := range assess.Questions() {
			if q.Plan {
				noPlan.Unset(q.ID)
			}
		}
		if got := summary(assess.Evaluate(noPlan)); got != summary(r) {
			t.Fatalf("the plan questions change the result\nanswers: %s\nwith:    %s\nwithout: %s", describe(a), summary(r), got)
		}
	})
}
