package quote

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// TestPurgeAndForget: Purge deletes the requests older than the cutoff
// wherever the sender has put them; Forget deletes one applicant's, the
// address compared in any case, and leaves the others.
func TestPurgeAndForget(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)}
	h, dir := newHandler(t, func(c *Config) { c.Now = clock.now })
	send := func(email string) string {
		t.Helper()
		resp := post(t, h, body(func(m map[string]any) { contactOf(m)["email"] = email }), nil)
		if resp.status != 202 {
			t.Fatalf("got %d %v", resp.status, resp.errors)
		}
		return resp.id
	}
	old := send("zoe@formations.example")
	clock.add(40 * 24 * time.Hour)
	sent := send("zoe@formations.example")
	other := send("eve@elders.example")
	// The sender has delivered one of them.
	if err := os.Rename(filepath.Join(dir, sent), filepath.Join(dir, sentDir, sent)); err != nil {
		t.Fatal(err)
	}

	ids, err := Purge(dir, clock.now().AddDate(0, 0, -30))
	if err != nil || !reflect.DeepEqual(ids, []string{old}) {
		t.Fatalf("Purge = %v, %v; want [%s]", ids, err, old)
	}
	ids, err = Forget(dir, "Zoe@Formations.example")
	if err != nil || !reflect.DeepEqual(ids, []string{sent}) {
		t.Fatalf("Forget = %v, %v; want [%s]", ids, err, sent)
	}
	if _, ok := h.box.find(other); !ok {
		t.Error("another applicant's request was deleted")
	}
	for _, id := range []string{old, sent} {
		if _, ok := h.box.find(id); ok {
			t.Errorf("%s is still in the outbox", id)
		}
	}
}
