package codec_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"kmopsite/assess"
	"kmopsite/assess/codec"
)

const full = `{
  "date": "2026-02-01",
  "audit_body": false,
  "has_enterprise_number": true,
  "enterprise_number": "0403.019.261",
  "has_sepa_account": true,
  "iban": "BE68 5390 0754 7034",
  "services": ["training", "advice"],
  "advice_cybersecurity": false,
  "themes": ["digitalisation"],
  "audit_kind": "first",
  "years_active": 1,
  "kmop_dossiers": 4,
  "certificates": ["iso9001"],
  "memberships": [],
  "integrity_concerns": false,
  "ready_activity": "yes",
  "ready_knowledge": "partly",
  "ready_integrity": "yes",
  "has_user_right": true,
  "registered_online": true,
  "declaration_signed": false,
  "legal_form": "natural_person",
  "sites_belgium": 2,
  "sites_abroad": 0
}`

func TestDecodeAndEvaluate(t *testing.T) {
	a, err := codec.Decode([]byte(full), "2000-01-01")
	if err != nil {
		t.Fatal(err)
	}
	got := string(codec.EncodeResult(assess.Evaluate(a)))
	want := `{
  "verdict": "prepare",
  "complete": true,
  "next": [],
  "blockers": [],
  "warnings": [
    "advice_not_subsidised"
  ],
  "track": "starter",
  "registration_years": 2,
  "follow_up_audit_years": 2,
  "requirements": [
    {
      "id": "activity",
      "status": "ready"
    },
    {
      "id": "experience",
      "status": "exempt_starter"
    },
    {
      "id": "satisfaction",
      "status": "exempt_starter"
    },
    {
      "id": "knowledge",
      "status": "partly"
    },
    {
      "id": "integrity",
      "status": "ready"
    }
  ],
  "possible_exemptions": [
    "iso9001"
  ],
  "steps": [
    "sign_declaration",
    "prepare_requirements",
    "request_audit"
  ],
  "plan": {
    "complete": true,
    "next": [],
    "audit": "starter",
    "audited": [
      "activity",
      "knowledge",
      "integrity"
    ],
    "documents": [
      "activity_description",
      "legal_residence",
      "directors_statement",
      "income_statements",
      "project_files",
      "project_list_24_months",
      "exemption_evidence",
      "indicator_notes"
    ],
    "due_date": "",
    "reminder_date": ""
  }
}`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestRoundTrip(t *testing.T) {
	a, err := codec.Decode([]byte(full), "")
	if err != nil {
		t.Fatal(err)
	}
	enc := codec.EncodeAnswers(a)
	var x, y any
	if err := json.Unmarshal(enc, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(full), &y); err != nil {
		t.Fatal(err)
	}
	xs, _ := json.Marshal(x)
	ys, _ := json.Marshal(y)
	if !bytes.Equal(xs, ys) {
		t.Errorf("EncodeAnswers lost something:\n%s\nwant the same as\n%s", enc, full)
	}
	if !strings.HasPrefix(string(enc), "{\n  \"date\": \"2026-02-01\",\n  \"audit_body\": false,") {
		t.Errorf("EncodeAnswers does not start with the date, then the questions in order:\n%s", enc)
	}
	b, err := codec.Decode(enc, "")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(codec.EncodeAnswers(b), enc) {
		t.Error("decoding what EncodeAnswers wrote does not give the same answers")
	}
}

func TestDecodeDefaults(t *testing.T) {
	a, err := codec.Decode([]byte(`{"audit_body": null, "date": null, "themes": []}`), "2025-05-05")
	if err != nil {
		t.Fatal(err)
	}
	if a.Date != "2025-05-05" {
		t.Errorf("date %q, want today's", a.Date)
	}
	if _, ok := a.Get(assess.AuditBody); ok {
		t.Error("null counts as an answer")
	}
	if v, ok := a.Get(assess.Themes); !ok || len(v.List) != 0 {
		t.Error("an empty list is an answer: none of these")
	}
	if a, err := codec.Decode([]byte(" {} \n"), "2025-05-05"); err != nil || a.Len() != 0 {
		t.Errorf("empty object: %v, %d answers", err, a.Len())
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, c := range []struct {
		in, want string
	}{
		{``, ":invalid_json"},
		{`{`, ":invalid_json"},
		{`{"audit_body": tru}`, ":invalid_json"},
		{`{} {}`, ":invalid_json"},
		{`{}x`, ":invalid_json"},
		{`[]`, ":not_object"},
		{`"answers"`, ":not_object"},
		{`null`, ":not_object"},
		{`[1,`, ":invalid_json"},
		{`{"audit_bdy": true}`, "audit_bdy:unknown_key"},
		{`{"audit_bdy": null}`, "audit_bdy:unknown_key"},
		{`{"audit_body": "yes"}`, "audit_body:wrong_type"},
		{`{"audit_body": 1}`, "audit_body:wrong_type"},
		{`{"enterprise_number": 403019261}`, "enterprise_number:wrong_type"},
		{`{"enterprise_number": "` + strings.Repeat("1", 101) + `"}`, "enterprise_number:too_long"},
		{`{"services": "training"}`, "services:wrong_type"},
		{`{"services": ["training", 1]}`, "services:wrong_type"},
		{`{"services": {"training": true}}`, "services:wrong_type"},
		{`{"services": ["coaching"]}`, "services:unknown_choice"},
		{`{"services": ["advice", "advice"]}`, "services:duplicate_choice"},
		{`{"years_active": 2.5}`, "years_active:not_whole"},
		{`{"years_active": 2.0}`, ""},
		{`{"years_active": 2e1}`, ""},
		{`{"years_active": -1}`, "years_active:negative"},
		{`{"years_active": -0.5}`, "years_active:not_whole"},
		{`{"years_active": 1000001}`, "years_active:too_large"},
		{`{"years_active": 1e400}`, "years_active:too_large"},
		{`{"years_active": "3"}`, "years_active:wrong_type"},
		{`{"years_active": true}`, "years_active:wrong_type"},
		{`{"ready_activity": "Yes"}`, "ready_activity:unknown_choice"},
		{`{"ready_activity": true}`, "ready_activity:wrong_type"},
		{`{"date": "2026-2-1"}`, "date:bad_date"},
		{`{"date": "2026-02-29"}`, "date:bad_date"},
		{`{"date": 20260201}`, "date:wrong_type"},
		{`{"audit_body": true, "audit_body": false}`, "audit_body:duplicate_key"},
		{`{"audit_kind": "follow_up"}`, ""},
		{`{"audit_kind": "Renewal"}`, "audit_kind:unknown_choice"},
		{`{"audit_kind": ["first"]}`, "audit_kind:wrong_type"},
		{`{"registration_date": "2026-01-01"}`, ""},
		{`{"registration_date": "2014-01-01"}`, ""},
		{`{"registration_date": "2026-01-02"}`, "registration_date:after_date"},
		{`{"registration_date": "2026-01-02", "date": "2026-01-02"}`, ""},
		{`{"date": "2026-01-02", "registration_date": "2026-01-03"}`, "registration_date:after_date"},
		{`{"registration_date": "2013-12-31"}`, "registration_date:before_2014"},
		{`{"registration_date": "2024-02-30"}`, "registration_date:bad_date"},
		{`{"registration_date": "2024-2-1"}`, "registration_date:bad_date"},
		{`{"registration_date": 20240201}`, "registration_date:wrong_type"},
		{`{"legal_form": "sole_trader"}`, "legal_form:unknown_choice"},
		{`{"legal_form": "natural_person", "sites_belgium": 1, "sites_abroad": 0}`, ""},
		{`{"sites_belgium": 0}`, "sites_belgium:too_small"},
		{`{"sites_belgium": -1}`, "sites_belgium:negative"},
		{`{"sites_belgium": 0.5}`, "sites_belgium:not_whole"},
		{`{"sites_abroad": "1"}`, "sites_abroad:wrong_type"},
		{`{"zzz": 1, "date": "x", "themes": ["x"], "audit_body": 0, "aaa": 2}`,
			"audit_body:wrong_type themes:unknown_choice date:bad_date aaa:unknown_key zzz:unknown_key"},
	} {
		_, err := codec.Decode([]byte(c.in), "2026-01-01")
		if c.want == "" {
			if err != nil {
				t.Errorf("Decode(%s): %v", c.in, err)
			}
			continue
		}
		var es *codec.Errors
		if !errors.As(err, &es) {
			t.Errorf("Decode(%s) = %v, want *codec.Errors", c.in, err)
			continue
		}
		var got []string
		for _, p := range es.Problems {
			got = append(got, p.Key+":"+p.Code)
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("Decode(%s): got %q, want %q", c.in, strings.Join(got, " "), c.want)
		}
		if lines := strings.Split(err.Error(), "\n"); len(lines) != len(es.Problems) {
			t.Errorf("Decode(%s): %d problems on %d lines:\n%s", c.in, len(es.Problems), len(lines), err)
		}
	}
}

func TestMessages(t *testing.T) {
	_, err := codec.Decode([]byte(`{"audit_bodi": true, "services": ["x"], "years_active": 1.5, "date": "tomorrow"}`), "")
	want := `services: unknown choice: takes a list of "training", "advice"
years_active: must be a whole number
date: must be a day written YYYY-MM-DD, such as 2026-02-01
audit_bodi: unknown key: not a question of the self-check; did you mean "audit_body"?`
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	_, err = codec.Decode([]byte(`{"a":`), "")
	if err == nil || !strings.HasPrefix(err.Error(), "the answers are not valid JSON (") {
		t.Errorf("invalid JSON: %v", err)
	}
}

func TestMessagesOfTheNewKeys(t *testing.T) {
	_, err := codec.Decode([]byte(`{"audit_kind": "again", "registration_date": "2013-05-01", "sites_belgium": 0, "legal_form": 1}`), "2026-01-01")
	want := `audit_kind: unknown choice: takes one of "first", "follow_up", "renewal"
registration_date: must not be before 2014-01-01: no registration period of the KMOP norm began earlier
legal_form: wrong type: takes one of "company", "natural_person"
sites_belgium: must be at least 1`
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	_, err = codec.Decode([]byte(`{"registration_date": "2026-03-01", "date": "2026-02-01"}`), "")
	if err == nil || !strings.HasPrefix(err.Error(), "registration_date: must not be after the day the rules are applied for") {
		t.Errorf("after date: %v", err)
	}
}

func TestEncodeResultNeverNull(t *testing.T) {
	got := string(codec.EncodeResult(assess.Result{}))
	if strings.Contains(got, "null") {
		t.Errorf("a zero result encodes with null:\n%s", got)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(full))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"date": "2024-02-29", "years_active": 2.0, "services": []}`))
	f.Add([]byte(`{"audit_body": true, "audit_body": false, "x": [1, {"y": null}]}`))
	f.Add([]byte(`[{"years_active": -1e999}]`))
	f.Add([]byte(`{"iban": "BE68\u00a05390", "themes": ["strategy", "strategy"]}`))
	f.Add([]byte(`{"audit_kind": "renewal", "registration_date": "2020-02-29", "legal_form": "company", "sites_belgium": 1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := codec.Decode(data, "2026-01-01")
		if err != nil {
			var es *codec.Errors
			if !errors.As(err, &es) || len(es.Problems) == 0 {
				t.Fatalf("Decode(%q) = %v, want *codec.Errors with problems", data, err)
			}
			seen := map[string]bool{}
			for _, p := range es.Problems {
				if seen[p.Key] {
					t.Fatalf("Decode(%q): key %q reported twice", data, p.Key)
				}
				seen[p.Key] = true
			}
			return
		}
		if ps := assess.Validate(a); len(ps) > 0 {
			t.Fatalf("Decode(%q) accepted answers that Validate rejects: %v", data, ps)
		}
		enc := codec.EncodeAnswers(a)
		b, err := codec.Decode(enc, "1999-01-01")
		if err != nil {
			t.Fatalf("Decode cannot read what EncodeAnswers wrote: %v\n%s", err, enc)
		}
		if !bytes.Equal(codec.EncodeAnswers(b), enc) {
			t.Fatalf("round trip changed the answers:\n%s\n%s", enc, codec.EncodeAnswers(b))
		}
		var x any
		if err := json.Unmarshal(codec.EncodeResult(assess.Evaluate(a)), &x); err != nil {
			t.Fatalf("EncodeResult wrote invalid JSON: %v", err)
		}
	})
}
