package quote

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// TestGroupCommit shows the outbox's promise with requests that arrive
// together: the endpoint answers 202 only after the sync that covers the
// request's files has returned, and requests that arrive while a sync runs
// share the next one.
func TestGroupCommit(t *testing.T) {
	h, dir := newHandler(t, nil)
	g := &h.box.group

	// The flush is the real one, watched: it checks that every file of
	// its batch is whole when it starts, and marks the batch's
	// requests synced once it has returned. The first one waits until
	// the test lets it go.
	var mu sync.Mutex
	synced := map[string]bool{}
	var sizes []int
	entered := make(chan struct{})
	release := make(chan struct{})
	g.flush = func(batch []*pending) error {
		mu.Lock()
		first := len(sizes) == 0
		sizes = append(sizes, len(batch))
		mu.Unlock()
		for _, p := range batch {
			for _, f := range p.files {
				if b, err := os.ReadFile(f); err != nil || len(b) == 0 {
					t.Errorf("%s is not whole when its sync starts: %d bytes, %v", f, len(b), err)
				}
			}
		}
		if first {
			close(entered)
			<-release
		}
		err := flushBatch(batch)
		mu.Lock()
		for _, p := range batch {
			synced[p.id] = true
		}
		mu.Unlock()
		return err
	}

	// send posts a request and, as soon as its answer is there, checks
	// that the sync covering it has returned.
	// Keys whose ids take different locks of the endpoint (one lock per
	// id's hash), so that none waits for another before it is written.
	var keys []string
	taken := map[int]bool{}
	for i := 0; len(keys) < 6; i++ {
		k := fmt.Sprint("group-", i)
		if l := lockIndex(keyID(k)); !taken[l] {
			taken[l] = true
			keys = append(keys, k)
		}
	}
	var wg sync.WaitGroup
	answered := make(chan string, 16)
	send := func(i int) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := post(t, h, body(nil), map[string]string{"Idempotency-Key": keys[i]})
			mu.Lock()
			ok := synced[r.id]
			mu.Unlock()
			if r.status != 202 || !ok {
				t.Errorf("request %d: %d %s, its sync returned: %v", i, r.status, r.id, ok)
			}
			answered <- r.id
		}()
	}
	send(0)
	<-entered // request 0's sync has started and waits
	for i := 1; i <= 5; i++ {
		send(i)
	}
	// The five wait behind the running sync, written, none answered.
	for {
		g.mu.Lock()
		n := len(g.queue)
		g.mu.Unlock()
		if n == 5 {
			break
		}
		select {
		case id := <-answered:
			t.Fatalf("request %s answered while the sync that covers it had not returned", id)
		default:
		}
		runtime.Gosched()
	}
	select {
	case id := <-answered:
		t.Fatalf("request %s answered before its sync", id)
	default:
	}
	close(release)
	wg.Wait()

	if g.batches.Load() != 2 || len(sizes) != 2 || sizes[0] != 1 || sizes[1] != 5 {
		t.Errorf("6 requests committed in batches of %v (%d commits), want [1 5]", sizes, g.batches.Load())
	}
	if ids := stored(t, dir); len(ids) != 6 {
		t.Errorf("%d requests in the outbox, want 6", len(ids))
	}
	if left, _ := os.ReadDir(filepath.Join(dir, tmpDir)); len(left) != 0 {
		t.Errorf("%d unfinished writes left in tmp", len(left))
	}
}

// TestGroupCommitFailures: a batch whose sync fails stores none of its
// requests (and leaves nothing behind), and an id already taken is
// refused in a batch with others that are stored.
func TestGroupCommitFailures(t *testing.T) {
	box, _, err := openOutbox(filepath.Join(t.TempDir(), "outbox"))
	if err != nil {
		t.Fatal(err)
	}
	data := []file{{recordName, []byte(`{}`)}, {"audit-body.eml", []byte("Subject: x\r\n\r\nx\r\n")}}
	broken := errors.New("the disk is full")
	box.group.flush = func([]*pending) error { return broken }
	if err := box.put("KMOP-00000-00001", data); !errors.Is(err, broken) {
		t.Errorf("a failed sync: %v", err)
	}
	if _, ok := box.find("KMOP-00000-00001"); ok {
		t.Error("a request whose sync failed is in the outbox")
	}
	if left, _ := os.ReadDir(filepath.Join(box.dir, tmpDir)); len(left) != 0 {
		t.Errorf("%d unfinished writes left in tmp", len(left))
	}

	box.group.flush = flushBatch
	if err := box.put("KMOP-00000-00002", data); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, id := range []string{"KMOP-00000-00002", "KMOP-00000-00003"} {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = box.put(id, data) }()
	}
	wg.Wait()
	if !errors.Is(errs[0], fs.ErrExist) || errs[1] != nil {
		t.Errorf("a taken id and a new one: %v, %v", errs[0], errs[1])
	}
	b, err := os.ReadFile(filepath.Join(box.dir, "KMOP-00000-00003", "audit-body.eml"))
	if err != nil || !bytes.Equal(b, data[1].data) {
		t.Errorf("the stored mail: %q %v", b, err)
	}
}

// TestGroupCommitMany: sixty requests at once, each led in turn or
// committed in another's batch, each returning only after the sync that
// covers its files, all of them stored.
func TestGroupCommitMany(t *testing.T) {
	box, _, err := openOutbox(filepath.Join(t.TempDir(), "outbox"))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	synced := map[string]bool{}
	box.group.flush = func(batch []*pending) error {
		err := flushBatch(batch)
		mu.Lock()
		for _, p := range batch {
			synced[p.id] = true
		}
		mu.Unlock()
		return err
	}
	data := []file{{recordName, []byte(`{}`)}}
	var wg sync.WaitGroup
	for i := range 60 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := formatID([]byte{byte(i), 1, 2, 3, 4, 5, 6})
			if err := box.put(id, data); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if !synced[id] {
				t.Errorf("%s returned before the sync that covers it", id)
			}
		}()
	}
	wg.Wait()
	es, _ := os.ReadDir(box.dir)
	if got := len(es) - 3; got != 60 { // tmp, sent, failed
		t.Errorf("%d requests stored, want 60", got)
	}
}
