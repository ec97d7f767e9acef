package cms

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A save whose page check finds an error in (a broken link) is refused
// with the error and writes nothing; an error in another page does not
// stop an unrelated save.
func TestGateSimpleMode(t *testing.T) {
	dir := newSite(t)
	os.WriteFile(filepath.Join(dir, "content/nl/kapot.md"), []byte("---\ntitle: Kapot\ndescription: Een pagina met een fout.\n---\n\nZie [dit](bestaat-niet.md).\n"), 0o644)
	b := newBackend(t, dir)
	before := snapshot(t, dir)
	save := func(raw string) (int, string) {
		code, out := call(t, b, "persistEntry", map[string]any{"dataFiles": []map[string]string{{"slug": "a", "path": "content/nl/a.md", "raw": raw}}, "options": map[string]any{}})
		return code, string(out)
	}
	code, out := save("---\ntitle: A\ndescription: Over A.\n---\n\nZie [de audit](audti.md).\n")
	w, _ := LoadWords(os.DirFS(dir), "nl")
	if code != 422 || !strings.HasPrefix(out, `{"error":"`+w.Gate.NotSaved+" "+fill(w.Gate.Errors, "n", "1")+" "+w.Fields["body"].Label) || !strings.Contains(out, "audti.md") || !strings.Contains(out, w.Gate.Live) {
		t.Errorf("a broken link saved: %d %s", code, out)
	}
	if !maps.Equal(before, snapshot(t, dir)) {
		t.Error("a refused save wrote")
	}
	// kapot.md's own broken link does not stop a save of a.md.
	if code, out := save("---\ntitle: A\ndescription: Over A.\n---\n\nNieuwe tekst.\n"); code != 200 {
		t.Errorf("an unrelated save refused: %d %s", code, out)
	}
}

// In the editorial workflow a draft with an error is saved and says so;
// its publication is refused until the error is mended.
func TestGateWorkflow(t *testing.T) {
	dir := newSite(t)
	initGit(t, dir)
	b := newBackend(t, dir)
	draft := func(raw string) (int, string) {
		code, out := call(t, b, "persistEntry", map[string]any{"dataFiles": []map[string]string{{"slug": "a", "path": "content/nl/a.md", "raw": raw}},
			"options": map[string]any{"collectionName": "pages", "useWorkflow": true, "status": "draft"}})
		return code, string(out)
	}
	publish := func() (int, string) {
		code, out := call(t, b, "publishUnpublishedEntry", map[string]any{"collection": "pages", "slug": "a"})
		return code, string(out)
	}
	w, _ := LoadWords(os.DirFS(dir), "nl")
	code, out := draft("---\ntitle: A\ndescription: Over A.\n---\n\nZie [de audit](audti.md).\n")
	if code != 200 || !strings.Contains(out, w.Gate.Draft+" "+fill(w.Gate.Errors, "n", "1")) {
		t.Errorf("a draft with an error: %d %s", code, out)
	}
	before := snapshot(t, dir)
	if code, out := publish(); code != 422 || !strings.Contains(out, w.Gate.NotPublished+" "+fill(w.Gate.Errors, "n", "1")) || !strings.Contains(out, "audti.md") {
		t.Errorf("publishing a draft with an error: %d %s", code, out)
	}
	if !maps.Equal(before, snapshot(t, dir)) {
		t.Error("a refused publication changed the site")
	}
	if code, out := draft("---\ntitle: A\ndescription: Over A.\n---\n\nZie [de pagina](a.md).\n"); code != 200 || out != "{\"message\":\"entry persisted\"}\n" {
		t.Errorf("the draft mended: %d %s", code, out)
	}
	if code, out := publish(); code != 200 {
		t.Errorf("publishing the mended draft: %d %s", code, out)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "content/nl/a.md")); !strings.Contains(string(got), "[de pagina](a.md)") {
		t.Errorf("published page:\n%s", got)
	}
}
