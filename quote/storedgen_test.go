package quote

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var writeStored = flag.Bool("write-stored", false, "write testdata/stored-v1 from this code (run once, before the plan fields)")

// TestWriteStoredFixture writes testdata/stored-v1: a quote request as the
// code before the audit plan stored it, for TestStoredRequests. It runs
// the real handler with its outbox, and writes the Worker's two queue
// messages as its queueStore.Put marshals them ({"message", "record"},
// worker/main_wasm.go's job). Run once with
//
//	go test ./quote -run TestWriteStoredFixture -write-stored
func TestWriteStoredFixture(t *testing.T) {
	if !*writeStored {
		t.Skip("writes the fixture only with -write-stored")
	}
	const out = "testdata/stored-v1"
	if _, err := os.Stat(out); err == nil {
		t.Fatalf("%s exists: it is the output of older code, keep it", out)
	}
	at := time.Date(2026, 12, 7, 10, 30, 0, 0, time.UTC)
	h, dir := newHandler(t, func(c *Config) { c.Now = func() time.Time { return at } })
	b := body(nil)
	resp := post(t, h, b, map[string]string{"Idempotency-Key": "stored-v1-fixture"})
	if resp.status != 202 {
		t.Fatalf("%d %v", resp.status, resp.errors)
	}
	write := func(name string, data []byte) {
		p := filepath.Join(out, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("body.json", b)
	rec, err := os.ReadFile(filepath.Join(dir, resp.id, recordName))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{recordName, AuditMessage, ApplicantMessage} {
		data, err := os.ReadFile(filepath.Join(dir, resp.id, name))
		if err != nil {
			t.Fatal(err)
		}
		write(filepath.Join("outbox", resp.id, name), data)
	}
	s, err := ParseRecord(rec)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{AuditMessage, ApplicantMessage} {
		job, err := json.Marshal(struct {
			Message string          `json:"message"`
			Record  json.RawMessage `json:"record"`
		}{name, Record(s)})
		if err != nil {
			t.Fatal(err)
		}
		write(filepath.Join("queue", name+".json"), job)
	}
}
