package quote

import (
	"fmt"
	"slices"
	"testing"
)

// recordStore is a RecordStore that keeps what it is given.
type recordStore struct {
	names map[string][]string
	puts  int
}

func (r *recordStore) Put(*Submission, string, []Message) error { r.puts++; return nil }
func (r *recordStore) Lookup(string) (string, bool)             { return "", false }
func (r *recordStore) PutRecord(s *Submission, _ string, names []string) error {
	r.names[s.Contact.Email] = names
	return nil
}

// TestRecordStore: a store that composes the mails later (the Worker's
// queue) gets the names of the mails to send, the confirmation left out
// when a cap withholds it, and no composed mails.
func TestRecordStore(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	cfg.ConfirmPerAddressPerDay = 1
	store := &recordStore{names: map[string][]string{}}
	ep, err := NewEndpoint(cfg, store)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		r := post(t, ep, body(nil), map[string]string{"Idempotency-Key": fmt.Sprint("record-", i)})
		if r.status != 202 {
			t.Fatalf("request %d: %d %v", i, r.status, r.errors)
		}
		want := []string{AuditMessage, ApplicantMessage}
		if i == 1 { // the address's cap of one confirmation a day is reached
			want = want[:1]
		}
		if got := store.names["zoe@formations.example"]; !slices.Equal(got, want) {
			t.Errorf("request %d: names %v, want %v", i, got, want)
		}
	}
	if store.puts != 0 {
		t.Errorf("Put called %d times: the mails were composed for a store that composes them itself", store.puts)
	}
}
