package quote

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// storedV1 is a request stored by the code before the audit plan
// (testdata/stored-v1/README): its outbox folder and the Worker's two queue
// messages.
const (
	storedV1   = "testdata/stored-v1"
	storedV1ID = "KMOP-RVG6T-3S6T2"
)

// TestStoredOutbox: a request that older code put in the outbox is listed
// and shown by the mailbox, delivered byte for byte through a real SMTP
// server, still found by its Idempotency-Key, and forgotten on request.
func TestStoredOutbox(t *testing.T) {
	src := filepath.Join(storedV1, "outbox", storedV1ID)
	dir := filepath.Join(t.TempDir(), "outbox")
	want := map[string][]byte{}
	for _, name := range []string{recordName, AuditMessage, ApplicantMessage} {
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		want[name] = data
		if err := os.MkdirAll(filepath.Join(dir, storedV1ID), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, storedV1ID, name), data, 0o640); err != nil {
			t.Fatal(err)
		}
	}

	// Shown: the mailbox of serve (no SMTP) lists it and shows each mail.
	cfg := testConfig(t, dir)
	h, err := NewHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) string {
		w := httptest.NewRecorder()
		h.Mailbox().ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, w.Code, w.Body)
		}
		return w.Body.String()
	}
	if idx := get("/_mail/"); !strings.Contains(idx, storedV1ID) {
		t.Errorf("the mailbox does not list %s:\n%s", storedV1ID, idx)
	}
	if page := get("/_mail/" + storedV1ID + "/" + AuditMessage); !strings.Contains(page, "Formations Économie Sàrl") {
		t.Errorf("the mailbox does not show the stored mail to the audit body:\n%s", page)
	}
	if raw := get("/_mail/" + storedV1ID + "/" + ApplicantMessage + "?raw"); raw != string(want[ApplicantMessage]) {
		t.Error("the mailbox's raw confirmation differs from the stored one")
	}

	// Found again: a retry with its Idempotency-Key gets its id, and
	// nothing new is stored.
	b, err := os.ReadFile(filepath.Join(storedV1, "body.json"))
	if err != nil {
		t.Fatal(err)
	}
	if resp := post(t, h, b, map[string]string{"Idempotency-Key": "stored-v1-fixture"}); resp.status != http.StatusAccepted || resp.id != storedV1ID {
		t.Errorf("retry of the stored request: %d %q %v, want 202 %s", resp.status, resp.id, resp.errors, storedV1ID)
	}
	if ids := stored(t, dir); len(ids) != 1 {
		t.Errorf("outbox holds %v after the retry, want only %s", ids, storedV1ID)
	}

	// Resent as it was: the sender delivers the stored bytes.
	ms := startMailServer(t)
	cfg.SMTP = &SMTPConfig{Host: "127.0.0.1", Port: ms.port(), TLS: "none"}
	hs, err := NewHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hs.Start(ctx)
	got := ms.waitFor(t, 2, 10*time.Second)
	for _, m := range got {
		name := ApplicantMessage
		if m.to[0] == "be.info@kiwa.com" {
			name = AuditMessage
		} else if m.to[0] != "zoe@formations.example" {
			t.Errorf("a mail to %v", m.to)
		}
		if !bytes.Equal(normalizeCRLF(m.data), normalizeCRLF(want[name])) {
			t.Errorf("%s was delivered other than stored:\n%s", name, m.data)
		}
	}
	waitMoved(t, dir, sentDir, storedV1ID)

	// Forgotten on request: erasure reads its record.
	if ids, err := Forget(dir, "zoe@formations.example"); err != nil || len(ids) != 1 || ids[0] != storedV1ID {
		t.Errorf("Forget = %v, %v; want [%s]", ids, err, storedV1ID)
	}
}

// normalizeCRLF makes line ends "\r\n": SMTP's DATA carries them so,
// whatever a stored file holds.
func normalizeCRLF(b []byte) []byte {
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
}

// TestStoredQueueMessages: the Worker's queue messages of a request that
// older code accepted are composed into the mails they stood for, judged
// as the request was judged then, with the same headers as the outbox's
// copy of them.
func TestStoredQueueMessages(t *testing.T) {
	comp := composer(t)
	for _, name := range []string{AuditMessage, ApplicantMessage} {
		data, err := os.ReadFile(filepath.Join(storedV1, "queue", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var job struct {
			Message string          `json:"message"`
			Record  json.RawMessage `json:"record"`
		}
		if err := json.Unmarshal(data, &job); err != nil {
			t.Fatal(err)
		}
		var rec struct {
			Result json.RawMessage `json:"result"`
		}
		json.Unmarshal(job.Record, &rec)
		s, err := ParseRecord(job.Record)
		if err != nil {
			t.Fatal(err)
		}
		if s.Result.Verdict != "prepare" || s.Result.Track != "starter" {
			t.Errorf("%s: judged %s/%s, want prepare/starter as when it was stored", name, s.Result.Verdict, s.Result.Track)
		}
		m, err := comp.ComposeOne(s, job.Message)
		if err != nil {
			t.Fatal(err)
		}
		got := parse(t, m.Data)
		stored, err := os.ReadFile(filepath.Join(storedV1, "outbox", storedV1ID, name))
		if err != nil {
			t.Fatal(err)
		}
		was := parse(t, stored)
		for _, k := range []string{"Message-ID", "Date", "From", "To", "Reply-To", "Subject", "Content-Language"} {
			if got.header.Get(k) != was.header.Get(k) {
				t.Errorf("%s: %s is %q, was %q", name, k, got.header.Get(k), was.header.Get(k))
			}
		}
		sc := comp.selfcheck[was.header.Get("Content-Language")]
		for _, w := range []string{sc.Verdicts["prepare"].Title, sc.Tracks["starter"].Title} {
			if !strings.Contains(got.text, w) {
				t.Errorf("%s does not say %q, as it was judged:\n%s", name, w, got.text)
			}
		}
		if name == AuditMessage {
			var att struct {
				Result json.RawMessage `json:"result"`
			}
			for _, p := range got.parts {
				if p.filename != "" {
					json.Unmarshal(p.data, &att)
				}
			}
			if !jsonEqual(att.Result, rec.Result) {
				t.Errorf("the attachment's result is\n%s\nwas\n%s", att.Result, rec.Result)
			}
		}
	}
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return bytes.Equal(xb, yb)
}
