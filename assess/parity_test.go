package assess_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kmopsite/assess"
	"kmopsite/assess/codec"
)

// parityHarness loads Go's wasm_exec.js and the module in Node, then calls
// kmopAssess on each case of a JSON array read from a file and writes the
// results as a JSON array of strings, each JSON.stringify of one result.
const parityHarness = `"use strict";
const fs = require("fs");
require(process.argv[2]);
const go = new Go();
WebAssembly.instantiate(fs.readFileSync(process.argv[3]), go.importObject).then(({ instance }) => {
  go.run(instance);
  if (typeof globalThis.kmopAssess !== "function") {
    throw new Error("the module did not set globalThis.kmopAssess");
  }
  const cases = JSON.parse(fs.readFileSync(process.argv[4], "utf8"));
  const out = cases.map((c) => JSON.stringify(globalThis.kmopAssess(c)));
  fs.writeFileSync(process.argv[5], JSON.stringify(out));
  process.exit(0);
}).catch((e) => { console.error(e); process.exit(1); });
`

// parityCases returns answers objects as JSON: hand-written ones that hit
// every blocker, warning, track and error code, and a few hundred drawn
// at random (fixed seed) from the fuzz reader, valid or not. JS objects
// cannot hold a key twice, so duplicate_key is left to the codec's tests.
func parityCases() []string {
	cases := []string{
		`{}`,
		`[]`, `null`, `"answers"`, `42`, `true`,
		`{"date": "2026-02-01", "audit_body": true}`,
		`{"date": "2026-02-01", "has_enterprise_number": false}`,
		`{"date": "2026-02-01", "has_enterprise_number": true, "enterprise_number": "0403019262"}`,
		`{"date": "2026-02-01", "has_enterprise_number": true, "enterprise_number": "BE 0403.019.261"}`,
		`{"date": "2026-02-01", "has_sepa_account": false}`,
		`{"date": "2026-02-01", "has_sepa_account": true, "iban": "BE68 5390 0754 7035"}`,
		`{"date": "2026-02-01", "has_sepa_account": true, "iban": "DE89 3704 0044 0532 0130 00"}`,
		`{"date": "2026-02-01", "services": []}`,
		`{"date": "2023-01-01", "themes": []}`,
		`{"date": "2022-12-31", "themes": []}`,
		`{"date": "2026-02-01", "services": ["advice"], "advice_cybersecurity": false}`,
		`{"date": "2026-01-31", "services": ["advice"], "advice_cybersecurity": false}`,
		`{"date": "2026-02-01", "services": ["training", "advice"], "advice_cybersecurity": false}`,
		`{"date": "2026-01-31", "services": ["training", "advice"], "advice_cybersecurity": false}`,
		`{"date": "2026-02-01", "services": ["advice"], "advice_cybersecurity": true}`,
		`{"date": "2026-01-31", "services": ["advice"], "advice_cybersecurity": true}`,
		`{"services": ["advice", "training"], "advice_cybersecurity": true}`,
		`{"date": "2026-02-01", "integrity_concerns": true, "certificates": ["wse", "iso9001"], "memberships": ["ibr", "itaa"]}`,
		`{"date": "2026-02-01", "years_active": 2, "kmop_dossiers": 19}`,
		`{"date": "2026-02-01", "years_active": 2, "kmop_dossiers": 20}`,
		`{"date": "2026-02-01", "years_active": 3, "ready_experience": "partly", "ready_satisfaction": "no"}`,
		`{"date": "2026-02-01", "years_active": 2.0, "kmop_dossiers": 1e1}`,
		`{"audit_body": "yes"}`,
		`{"services": ["coaching"], "themes": ["strategy", "strategy"]}`,
		`{"years_active": 2.5, "kmop_dossiers": -1}`,
		`{"years_active": 1e400}`,
		`{"years_active": -1e400}`,
		`{"years_active": 1000001}`,
		`{"years_active": "3"}`,
		`{"ready_activity": "Yes", "ready_knowledge": true}`,
		`{"services": ["training", 1]}`,
		`{"services": {"training": true}}`,
		`{"enterprise_number": 403019261}`,
		`{"iban": "` + strings.Repeat("B", 101) + `"}`,
		`{"date": "2026-2-1"}`,
		`{"date": ""}`,
		`{"date": 20260201}`,
		`{"date": null, "audit_body": null}`,
		`{"zzz": 1, "aaa": null, "date": "x", "themes": ["x"], "audit_body": 0}`,
		`{"audit_bdy": true}`,
		`{"date": "2026-06-01", "audit_kind": "follow_up", "registration_date": "2024-02-29"}`,
		`{"date": "2026-06-01", "audit_kind": "renewal", "registration_date": "2021-06-01"}`,
		`{"date": "2026-06-01", "audit_kind": "renewal", "registration_date": "2021-06-02"}`,
		`{"date": "2026-06-01", "audit_kind": "follow_up", "registration_date": "2026-06-02"}`,
		`{"date": "2026-06-01", "audit_kind": "follow_up", "registration_date": "2013-12-31"}`,
		`{"date": "2026-06-01", "audit_kind": "follow_up", "registration_date": "2023-02-29"}`,
		`{"date": "2026-06-01", "audit_kind": "First", "registration_date": 20240101}`,
		`{"audit_kind": ["first"], "legal_form": "sole_trader", "sites_belgium": 0, "sites_abroad": -1}`,
		`{"sites_belgium": 1.5, "sites_abroad": "2", "legal_form": true}`,
	}
	full := codec.EncodeAnswers(baseline("2026-02-01"))
	cases = append(cases, string(full))
	for _, c := range []string{"2022-12-31", "2023-01-01", "2026-01-31", "2026-02-01"} {
		cases = append(cases, string(codec.EncodeAnswers(with(baseline(c), assess.YearsActive, num(1), assess.KMOPDossiers, num(5), assess.ReadyKnowledge, ready("partly"), assess.HasUserRight, no()))))
	}
	for _, kind := range []string{"follow_up", "renewal"} {
		cases = append(cases, string(codec.EncodeAnswers(with(without(baseline("2026-06-01"), assess.YearsActive),
			assess.AuditKind, text(kind), assess.RegistrationDate, text("2021-05-31"), assess.Certificates, list("qfor"),
			assess.LegalForm, text("natural_person"), assess.SitesBelgium, num(2), assess.SitesAbroad, num(1)))))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		data := make([]byte, 60)
		for i := range data {
			data[i] = byte(rng.UintN(256))
		}
		cases = append(cases, string(codec.EncodeAnswers(answersFrom(data))))
	}
	return cases
}

// native runs a case through the codec and the rules, as the command
// does, and writes what kmopAssess would return, compact.
func native(c, today string) string {
	a, err := codec.Decode([]byte(c), today)
	if err != nil {
		type problem struct {
			Key  string `json:"key"`
			Code string `json:"code"`
		}
		var ps []problem
		for _, p := range err.(*codec.Errors).Problems {
			ps = append(ps, problem{p.Key, p.Code})
		}
		b, _ := json.Marshal(map[string][]problem{"error": ps})
		return string(b)
	}
	var buf bytes.Buffer
	json.Compact(&buf, codec.EncodeResult(assess.Evaluate(a)))
	return buf.String()
}

// TestWasmParity compiles assess/wasm, runs it in Node with Go's
// wasm_exec.js, and checks that kmopAssess answers every case exactly as
// the codec and the rules do natively, keys in the same order.
func TestWasmParity(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not on PATH: the wasm module's parity with native Go is not checked")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH to compile the wasm module")
	}
	dir := t.TempDir()
	module := filepath.Join(dir, "assess.wasm")
	build := exec.Command(gobin, "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", module, "./wasm")
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("compiling assess/wasm: %v\n%s", err, out)
	}
	goroot, err := exec.Command(gobin, "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	support := filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js")

	cases := parityCases()
	var raw []json.RawMessage
	for _, c := range cases {
		raw = append(raw, json.RawMessage(c))
	}
	in, _ := json.Marshal(raw)
	harness := filepath.Join(dir, "harness.js")
	casesFile := filepath.Join(dir, "cases.json")
	outFile := filepath.Join(dir, "out.json")
	os.WriteFile(harness, []byte(parityHarness), 0o644)
	os.WriteFile(casesFile, in, 0o644)
	today := time.Now().Format(time.DateOnly)
	cmd := exec.Command(node, harness, support, module, casesFile, outFile)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	if time.Now().Format(time.DateOnly) != today {
		t.Skip("midnight passed during the run; the cases without a date would differ")
	}
	data, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(cases) {
		t.Fatalf("%d results for %d cases", len(got), len(cases))
	}

	seen := map[string]bool{}
	for i, c := range cases {
		want := native(c, today)
		if got[i] != want {
			t.Errorf("case %d: %s\nwasm:   %s\nnative: %s", i, c, got[i], want)
		}
		var r assess.Result
		if json.Unmarshal([]byte(want), &r) == nil && r.Verdict != "" {
			for _, code := range r.Blockers {
				seen["blocker "+code] = true
			}
			for _, code := range r.Warnings {
				seen["warning "+code] = true
			}
			for _, code := range r.Plan.Documents {
				seen["document "+code] = true
			}
			seen["audit "+r.Plan.Audit] = true
			seen["track "+r.Track] = true
			seen["verdict "+r.Verdict] = true
		} else {
			seen["error"] = true
		}
	}
	want := []string{"error", "track ", "track starter", "track standard", "track follow_up"}
	for _, c := range assess.Audits {
		want = append(want, "audit "+c)
	}
	for _, c := range assess.Documents {
		want = append(want, "document "+c)
	}
	for _, c := range assess.Blockers {
		want = append(want, "blocker "+c)
	}
	for _, c := range assess.Warnings {
		want = append(want, "warning "+c)
	}
	for _, c := range assess.Verdicts {
		want = append(want, "verdict "+c)
	}
	for _, w := range want {
		if !seen[w] {
			t.Errorf("no parity case gives %s", w)
		}
	}
	t.Logf("%d cases agree", len(cases))
}
