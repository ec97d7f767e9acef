package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"kmopsite/assess"
)

func TestRunAssess(t *testing.T) {
	ready := `{"date": "2026-02-01", "audit_body": false, "has_enterprise_number": true, "enterprise_number": "0403.019.261",
		"has_sepa_account": true, "services": ["training"], "themes": ["innovation"], "audit_kind": "first", "years_active": 0, "kmop_dossiers": 0,
		"certificates": [], "memberships": ["itaa"], "integrity_concerns": false, "ready_activity": "yes",
		"ready_knowledge": "yes", "ready_integrity": "yes", "has_user_right": true, "registered_online": false,
		"declaration_signed": true}`
	for _, c := range []struct {
		name   string
		args   []string
		stdin  string
		code   int
		stdout string // a substring, or the whole when it starts with {
		stderr string // a substring
	}{
		{name: "ready starter", stdin: ready, code: 0,
			stdout: `"verdict": "ready"`},
		{name: "steps", stdin: ready, code: 0,
			stdout: "\"steps\": [\n    \"register_online\",\n    \"request_audit\"\n  ],\n  \"plan\": {\n    \"complete\": false,\n    \"next\": [\n      \"legal_form\","},
		{name: "follow-up overdue", stdin: `{"date": "2026-06-01", "audit_kind": "follow_up", "registration_date": "2024-02-29"}`, code: 0,
			stdout: "\"due_date\": \"2026-02-28\",\n    \"reminder_date\": \"2025-08-28\"\n  }\n}\n"},
		{name: "registration after the date", stdin: `{"date": "2026-06-01", "audit_kind": "renewal", "registration_date": "2026-06-02"}`, code: 1,
			stderr: "kmopsite assess: registration_date: must not be after the day"},
		{name: "registration before 2014", stdin: `{"audit_kind": "renewal", "registration_date": "2013-12-31"}`, code: 1,
			stderr: "kmopsite assess: registration_date: must not be before 2014-01-01"},
		{name: "no sites in Belgium", stdin: `{"sites_belgium": 0}`, code: 1, stderr: "kmopsite assess: sites_belgium: must be at least 1\n"},
		{name: "empty object", stdin: `{}`, code: 0, stdout: `"verdict": "incomplete"`},
		{name: "not eligible", stdin: `{"audit_body": true}`, code: 0, stdout: `"blockers": [
    "audit_body"
  ]`},
		{name: "unknown key", stdin: `{"audit_bdy": true}`, code: 1,
			stderr: "kmopsite assess: audit_bdy: unknown key: not a question of the self-check; did you mean \"audit_body\"?\n"},
		{name: "several problems", stdin: `{"services": "training", "years_active": -1}`, code: 1,
			stderr: "kmopsite assess: 2 problems in the answers:\nkmopsite assess: services: wrong type: takes a list of \"training\", \"advice\"\nkmopsite assess: years_active: must not be negative\n"},
		{name: "invalid JSON", stdin: `{"audit_body": true`, code: 1, stderr: "kmopsite assess: the answers are not valid JSON"},
		{name: "empty input", stdin: ``, code: 1, stderr: "not valid JSON"},
		{name: "too large", stdin: `{"x": "` + strings.Repeat("a", 1<<20) + `"}`, code: 1, stderr: "over 1048576 bytes"},
		{name: "stray argument", args: []string{"answers.json"}, stdin: `{}`, code: 2, stderr: `unexpected argument "answers.json"`},
		{name: "unknown flag", args: []string{"--pretty"}, stdin: `{}`, code: 2, stderr: "flag provided but not defined: -pretty"},
		{name: "bad --date", args: []string{"--date", "2026-02-30"}, stdin: `{}`, code: 2, stderr: `--date "2026-02-30" is not a day`},
		{name: "--date applies without a date", args: []string{"--date", "2022-12-31"}, stdin: `{"themes": []}`, code: 0, stdout: `"blockers": []`},
		{name: "--date does not override the answers' date", args: []string{"--date", "2022-12-31"}, stdin: `{"themes": [], "date": "2023-01-01"}`, code: 0, stdout: `"no_theme"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := runAssess(c.args, strings.NewReader(c.stdin), &stdout, &stderr)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), c.stdout) {
				t.Errorf("stdout does not hold %q:\n%s", c.stdout, stdout.String())
			}
			if !strings.Contains(stderr.String(), c.stderr) {
				t.Errorf("stderr does not hold %q:\n%s", c.stderr, stderr.String())
			}
			if c.code == 0 {
				var r assess.Result
				dec := json.NewDecoder(&stdout)
				dec.DisallowUnknownFields()
				if err := dec.Decode(&r); err != nil {
					t.Errorf("stdout is not a result: %v", err)
				}
				if stderr.Len() > 0 {
					t.Errorf("stderr on success: %s", stderr.String())
				}
			}
		})
	}
}

func TestRunAssessToday(t *testing.T) {
	// Without a date the rules of today apply: themes=[] blocks today
	// (after 2023-01-01).
	var stdout, stderr bytes.Buffer
	if code := runAssess(nil, strings.NewReader(`{"themes": []}`), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if time.Now().Format(time.DateOnly) >= "2023-01-01" && !strings.Contains(stdout.String(), `"no_theme"`) {
		t.Errorf("today's rules not applied:\n%s", stdout.String())
	}
}
