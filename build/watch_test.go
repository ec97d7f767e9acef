package build

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestWatcher drives a real Watcher with an editor's operations on disk and
// checks the batches it reports: one batch per change, the temporary files
// of an atomic save included, folders created later watched, and a folder
// renamed watched under its new name.
func TestWatcher(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"content/nl", "templates", "public"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(rel, data string) { writeFile(t, root, rel, data) }
	write("content/nl/a.md", "a")
	w, err := NewWatcher(root, 30*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()

	// next waits for the next batch and returns it as "path:op" strings.
	next := func() map[string]Op {
		t.Helper()
		select {
		case b := <-w.Batches():
			m := map[string]Op{}
			for _, e := range b {
				m[e.Path] = e.Op
			}
			return m
		case <-time.After(10 * time.Second):
			t.Fatal("no batch of events")
		}
		return nil
	}
	expect := func(got map[string]Op, want map[string]Op) {
		t.Helper()
		for p, op := range want {
			if got[p]&op != op {
				t.Errorf("%s: got %v, want at least %v (batch %v)", p, got[p], op, got)
			}
		}
	}

	// An atomic save: temporary file, renamed over the page; one batch.
	write("content/nl/.a.md.tmp", "a, saved")
	if err := os.Rename(filepath.Join(root, "content/nl/.a.md.tmp"), filepath.Join(root, "content/nl/a.md")); err != nil {
		t.Fatal(err)
	}
	b := next()
	expect(b, map[string]Op{"content/nl/a.md": Create, "content/nl/.a.md.tmp": Create | Rename})
	if ch := Plan(toEvents(b), map[string]bool{"content/nl/a.md": true}); fmt.Sprint(ch.Content) != "[content/nl/a.md]" || ch.Rescan {
		t.Errorf("the atomic save plans %+v", ch)
	}

	// Files outside the sources are not reported.
	write("public/index.html", "x")
	write("site.yaml", "title: x\n")
	b = next()
	if _, ok := b["public/index.html"]; ok || b["site.yaml"] == 0 {
		t.Errorf("batch %v: want site.yaml and not public/", b)
	}

	// A new folder: its files, then a later edit inside it.
	if err := os.MkdirAll(filepath.Join(root, "content/nl/nieuws/2026"), 0o755); err != nil {
		t.Fatal(err)
	}
	write("content/nl/nieuws/2026/post.md", "p")
	b = next()
	expect(b, map[string]Op{"content/nl/nieuws": Create})
	for b["content/nl/nieuws/2026/post.md"] == 0 {
		// The file came after its folder was watched: in a next batch.
		b = next()
	}
	expect(b, map[string]Op{"content/nl/nieuws/2026/post.md": Create})
	write("content/nl/nieuws/2026/post.md", "p, edited")
	expect(next(), map[string]Op{"content/nl/nieuws/2026/post.md": Write})

	// A renamed folder is watched under its new name.
	if err := os.Rename(filepath.Join(root, "content/nl/nieuws"), filepath.Join(root, "content/nl/news")); err != nil {
		t.Fatal(err)
	}
	b = next()
	expect(b, map[string]Op{"content/nl/nieuws": Rename, "content/nl/news": Create, "content/nl/news/2026/post.md": Create})
	write("content/nl/news/2026/post.md", "p, edited again")
	b = next()
	expect(b, map[string]Op{"content/nl/news/2026/post.md": Write})
	if _, ok := b["content/nl/nieuws/2026/post.md"]; ok {
		t.Errorf("an edit in the renamed folder is reported under its old name: %v", b)
	}

	// A deleted folder.
	if err := os.RemoveAll(filepath.Join(root, "content/nl/news")); err != nil {
		t.Fatal(err)
	}
	expect(next(), map[string]Op{"content/nl/news": Remove})

	// A folder of sources created after the watcher started.
	write("assets/site.css", "body{}")
	expect(next(), map[string]Op{"assets/site.css": Create})
}

func toEvents(m map[string]Op) []Event {
	var events []Event
	for p, op := range m {
		events = append(events, Event{p, op})
	}
	return events
}

// writeFile writes a file below root, making its folders.
func writeFile(t *testing.T, root, rel, data string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
