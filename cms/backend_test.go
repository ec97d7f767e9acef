package cms

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"

	"kmopsite/build"
)

// newSite writes a small site into a temporary folder.
func newSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range map[string]string{
		"site.yaml":                   "# settings\nbase_url: https://example.be/\nlanguages:\n  - code: nl\n    name: Nederlands\n    locale: nl-BE\n    menu:\n      - page: a.md\n        title: A\n  - code: en\n    name: English\n    locale: en\ncontact:\n  email: info@example.be\n",
		"content/nl/a.md":             "---\ntitle: A\ndescription: Over A.\n---\n\nTekst.\n",
		"content/en/a.md":             "---\ntitle: A (en)\ndescription: About A.\nsource_hash: 000000000000\n---\n\nText.\n",
		"content/nl/interface.yaml":   "# words\n" + interfaceWords(t, "\n"),
		"content/nl/cms.yaml":         string(fixtureWords()),
		"templates/layouts/page.html": "<p>{{.Content}}</p>\n",
		"main.go":                     "package main\n",
		"assets/img/logo.png":         string(pngOf(t, 10, 10)),
	} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// interfaceWords is a complete interface.yaml after its first line: the
// keys of the build's fixture (its Dutch words), home first, each line
// ended by eol.
func interfaceWords(t *testing.T, eol string) string {
	t.Helper()
	a, err := txtar.ParseFile("../build/testdata/base.txtar")
	if err != nil {
		t.Fatal(err)
	}
	out := "home: Home" + eol
	for _, f := range a.Files {
		if f.Name != "content/nl/interface.yaml" {
			continue
		}
		for _, l := range strings.Split(strings.TrimSpace(string(f.Data)), "\n") {
			if !strings.HasPrefix(l, "home:") {
				out += l + eol
			}
		}
	}
	return out
}

func pngOf(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{200, 10, 10, 255})
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

func newBackend(t *testing.T, dir string) *Backend {
	t.Helper()
	b, err := NewBackend(dir)
	if err != nil {
		t.Fatal(err)
	}
	b.Logf = t.Logf
	t.Cleanup(func() { b.Close() })
	return b
}

// call posts {action, params} as Decap's proxy backend does.
func call(t *testing.T, h http.Handler, action string, params any) (int, []byte) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"action": action, "params": params})
	req := httptest.NewRequest("POST", "http://127.0.0.1:8080/api/v1", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Origin", "http://127.0.0.1:8080")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w.Code, w.Body.Bytes()
}

func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if d != nil && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if d != nil && !d.IsDir() {
			data, _ := os.ReadFile(p)
			m[p] = string(data)
		}
		return nil
	})
	return m
}

func TestActions(t *testing.T) {
	dir := newSite(t)
	b := newBackend(t, dir)

	code, out := call(t, b, "info", map[string]any{"branch": "main"})
	if code != 200 || !strings.Contains(string(out), `"type":"local_fs"`) || !strings.Contains(string(out), `"publish_modes":["simple"]`) {
		t.Errorf("info: %d %s", code, out)
	}

	code, out = call(t, b, "entriesByFolder", map[string]any{"branch": "main", "folder": "content", "extension": "md", "depth": 2})
	var entries []struct {
		Data *string `json:"data"`
		File struct {
			Path string `json:"path"`
			ID   string `json:"id"`
		} `json:"file"`
	}
	json.Unmarshal(out, &entries)
	if code != 200 || len(entries) != 2 || entries[0].File.Path != "content/en/a.md" || entries[0].Data == nil || len(entries[0].File.ID) != 64 {
		t.Errorf("entriesByFolder: %d %s", code, out)
	}

	code, out = call(t, b, "entriesByFiles", map[string]any{"files": []map[string]string{{"path": "content/nl/interface.yaml", "label": "Interface"}, {"path": "content/fr/interface.yaml"}}})
	if code != 200 || !strings.Contains(string(out), `"label":"Interface"`) || !strings.Contains(string(out), `{"data":null,"file":{"path":"content/fr/interface.yaml","id":null}}`) {
		t.Errorf("entriesByFiles: %d %s", code, out)
	}

	code, out = call(t, b, "getEntry", map[string]any{"path": "content/nl/a.md"})
	if code != 200 || !strings.Contains(string(out), `"data":"---\ntitle: A\n`) {
		t.Errorf("getEntry: %d %s", code, out)
	}

	// persistEntry: a Decap-serialised save with a new title.
	code, out = call(t, b, "persistEntry", map[string]any{
		"dataFiles": []map[string]string{{"slug": "a", "path": "content/nl/a.md", "raw": "---\ndescription: Over A.\ntitle: \"A, nieuw\"\n---\n\nTekst.\n"}},
		"assets":    []any{},
		"options":   map[string]any{"collectionName": "pages", "commitMessage": "Update a", "useWorkflow": false, "status": "draft"},
	})
	if code != 200 || string(out) != "{\"message\":\"entry persisted\"}\n" {
		t.Errorf("persistEntry: %d %s", code, out)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "content/nl/a.md")); string(got) != "---\ntitle: A, nieuw\ndescription: Over A.\n---\n\nTekst.\n" {
		t.Errorf("content/nl/a.md after the save:\n%s", got)
	}

	code, out = call(t, b, "getMedia", map[string]any{"mediaFolder": "assets/img"})
	if code != 200 || !strings.Contains(string(out), `"name":"logo.png"`) || !strings.Contains(string(out), `"encoding":"base64"`) {
		t.Errorf("getMedia: %d %.200s", code, out)
	}
	code, out = call(t, b, "getMediaFile", map[string]any{"path": "assets/img/logo.png"})
	if code != 200 || !strings.Contains(string(out), `"path":"assets/img/logo.png"`) {
		t.Errorf("getMediaFile: %d %.200s", code, out)
	}

	// persistMedia: a wide PNG with an unsafe name is scaled and renamed.
	wide := pngOf(t, 3200, 100)
	code, out = call(t, b, "persistMedia", map[string]any{"asset": map[string]string{"path": "assets/img/Audit Foto (1).PNG", "content": base64.StdEncoding.EncodeToString(wide), "encoding": "base64"}, "options": map[string]string{"commitMessage": "Upload"}})
	if code != 200 || !strings.Contains(string(out), `"path":"assets/img/audit-foto-1.png"`) {
		t.Fatalf("persistMedia: %d %.300s", code, out)
	}
	f, _ := os.Open(filepath.Join(dir, "assets/img/audit-foto-1.png"))
	cfg, _, err := image.DecodeConfig(f)
	f.Close()
	if err != nil || cfg.Width != 1600 || cfg.Height != 50 {
		t.Errorf("uploaded image is %dx%d (%v), want 1600x50", cfg.Width, cfg.Height, err)
	}

	code, out = call(t, b, "deleteFile", map[string]any{"path": "assets/img/audit-foto-1.png", "options": map[string]string{"commitMessage": "x"}})
	if code != 200 || !strings.Contains(string(out), "deleted file assets/img/audit-foto-1.png") {
		t.Errorf("deleteFile: %d %s", code, out)
	}
	os.WriteFile(filepath.Join(dir, "content/nl/b.md"), []byte("---\ntitle: B\n---\n"), 0o644)
	code, out = call(t, b, "deleteFiles", map[string]any{"paths": []string{"content/nl/b.md"}, "options": map[string]string{"commitMessage": "x"}})
	if _, err := os.Stat(filepath.Join(dir, "content/nl/b.md")); code != 200 || err == nil {
		t.Errorf("deleteFiles: %d %s", code, out)
	}

	code, out = call(t, b, "getDeployPreview", map[string]any{"collection": "pages", "slug": "a"})
	if code != 200 || string(out) != "null\n" {
		t.Errorf("getDeployPreview: %d %s", code, out)
	}
	code, out = call(t, b, "nonsense", map[string]any{})
	if code != 422 || !strings.Contains(string(out), "Unknown action nonsense") {
		t.Errorf("unknown action: %d %s", code, out)
	}
}

// Every refusal writes nothing.
func TestRefusals(t *testing.T) {
	dir := newSite(t)
	os.Symlink(filepath.Join(dir, "templates/layouts/page.html"), filepath.Join(dir, "content/nl/link.md"))
	os.Symlink(filepath.Join(dir, "templates"), filepath.Join(dir, "content/en/tpl"))
	b := newBackend(t, dir)
	b.MaxBody = 1 << 20
	b.MaxMedia = 1 << 16
	before := snapshot(t, dir)
	save := func(p, raw string) map[string]any {
		return map[string]any{"dataFiles": []map[string]string{{"slug": "x", "path": p, "raw": raw}}, "assets": []any{}, "options": map[string]any{}}
	}
	for _, c := range []struct {
		name, action string
		params       any
		code         int
	}{
		{"traversal", "persistEntry", save("content/nl/../../main.go", "x"), 403},
		{"absolute", "persistEntry", save("/etc/passwd.md", "x"), 403},
		{"code file", "persistEntry", save("main.go", "package main // owned\n"), 403},
		{"template", "persistEntry", save("templates/layouts/page.html", "<script>"), 403},
		{"symlink to a template", "persistEntry", save("content/nl/link.md", "---\ntitle: x\n---\n"), 403},
		{"symlinked folder", "persistEntry", save("content/en/tpl/page.md", "---\ntitle: x\n---\n"), 403},
		{"hidden file", "persistEntry", save("content/nl/.git.md", "x"), 403},
		{"site.yaml base_url", "persistEntry", save("site.yaml", "base_url: https://evil.example/\n"), 403},
		{"read a code file", "getEntry", map[string]any{"path": "main.go"}, 403},
		{"list templates", "entriesByFolder", map[string]any{"folder": "templates", "extension": "html", "depth": 2}, 403},
		{"media elsewhere", "persistMedia", map[string]any{"asset": map[string]string{"path": "templates/x.png", "content": "", "encoding": "base64"}}, 403},
		{"script as media", "persistMedia", map[string]any{"asset": map[string]string{"path": "assets/img/x.js", "content": "YWxlcnQoMSk=", "encoding": "base64"}}, 403},
		{"HTML named png", "persistMedia", map[string]any{"asset": map[string]string{"path": "assets/img/x.png", "content": base64.StdEncoding.EncodeToString([]byte("<html><script>alert(1)</script>")), "encoding": "base64"}}, 415},
		{"media too large", "persistMedia", map[string]any{"asset": map[string]string{"path": "assets/img/big.png", "content": base64.StdEncoding.EncodeToString(make([]byte, 1<<17)), "encoding": "base64"}}, 413},
		{"asset with unsafe name in an entry", "persistEntry", map[string]any{"dataFiles": []map[string]string{{"path": "content/nl/a.md", "raw": "---\ntitle: A\n---\n"}}, "assets": []map[string]string{{"path": "assets/img/A B.png", "content": base64.StdEncoding.EncodeToString(pngOf(t, 2, 2)), "encoding": "base64"}}}, 400},
		{"delete words", "deleteFile", map[string]any{"path": "content/nl/interface.yaml"}, 403},
		{"delete site.yaml", "deleteFiles", map[string]any{"paths": []string{"content/nl/a.md", "site.yaml"}}, 403},
		{"workflow without git", "persistEntry", map[string]any{"dataFiles": []map[string]string{{"slug": "a", "path": "content/nl/a.md", "raw": "---\ntitle: Z\n---\n"}}, "options": map[string]any{"useWorkflow": true, "collectionName": "pages"}}, 422},
	} {
		code, out := call(t, b, c.action, c.params)
		if code != c.code {
			t.Errorf("%s: %d %s, want %d", c.name, code, out, c.code)
		}
	}

	post := func(mod func(r *http.Request), body []byte) int {
		if body == nil {
			body = []byte(`{"action":"persistEntry","params":{"dataFiles":[{"path":"content/nl/a.md","raw":"---\ntitle: owned\n---\n"}]}}`)
		}
		req := httptest.NewRequest("POST", "http://127.0.0.1:8080/api/v1", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", "http://127.0.0.1:8080")
		mod(req)
		w := httptest.NewRecorder()
		b.ServeHTTP(w, req)
		return w.Code
	}
	for name, c := range map[string]struct {
		mod  func(r *http.Request)
		body []byte
		code int
	}{
		"another origin": {func(r *http.Request) { r.Header.Set("Origin", "https://evil.example") }, nil, 403},
		"no origin":      {func(r *http.Request) { r.Header.Del("Origin") }, nil, 403},
		"null origin":    {func(r *http.Request) { r.Header.Set("Origin", "null") }, nil, 403},
		"DNS rebinding host": {func(r *http.Request) {
			r.Host = "evil.example:8080"
			r.Header.Set("Origin", "http://evil.example:8080")
		}, nil, 403},
		"cross-site fetch": {func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") }, nil, 403},
		"text/plain":       {func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }, nil, 415},
		"form":             {func(r *http.Request) { r.Header.Set("Content-Type", "application/x-www-form-urlencoded") }, nil, 415},
		"GET":              {func(r *http.Request) { r.Method = "GET" }, nil, 405},
		"oversize":         {func(*http.Request) {}, append(append([]byte(`{"action":"persistEntry","params":{"x":"`), bytes.Repeat([]byte("a"), 2<<20)...), `"}}`...), 413},
	} {
		if code := post(c.mod, c.body); code != c.code {
			t.Errorf("%s: %d, want %d", name, code, c.code)
		}
	}
	if after := snapshot(t, dir); !maps.Equal(before, after) {
		for k, v := range after {
			if before[k] != v {
				t.Errorf("%s was written by a refused request", k)
			}
		}
		for k := range before {
			if _, ok := after[k]; !ok {
				t.Errorf("%s was removed by a refused request", k)
			}
		}
	}
}

// A translation saved with changed text records its source's hash; a save
// of the Dutch page alone, sent with every language's file, does not.
func TestSourceHash(t *testing.T) {
	dir := newSite(t)
	b := newBackend(t, dir)
	nl, _ := os.ReadFile(filepath.Join(dir, "content/nl/a.md"))
	en, _ := os.ReadFile(filepath.Join(dir, "content/en/a.md"))
	persist := func(files ...map[string]string) {
		t.Helper()
		if code, out := call(t, b, "persistEntry", map[string]any{"dataFiles": files, "assets": []any{}, "options": map[string]any{}}); code != 200 {
			t.Fatalf("persistEntry: %d %s", code, out)
		}
	}
	// The Dutch page changes; the English file comes along unchanged.
	persist(map[string]string{"path": "content/nl/a.md", "raw": strings.Replace(string(nl), "Tekst.", "Nieuwe tekst.", 1)},
		map[string]string{"path": "content/en/a.md", "raw": string(en)})
	if got, _ := os.ReadFile(filepath.Join(dir, "content/en/a.md")); string(got) != string(en) {
		t.Errorf("a save of the Dutch page changed the translation:\n%s", got)
	}
	// The translation is brought up to date.
	persist(map[string]string{"path": "content/en/a.md", "raw": strings.Replace(string(en), "Text.", "New text.", 1)})
	got, _ := os.ReadFile(filepath.Join(dir, "content/en/a.md"))
	nlNow, _ := os.ReadFile(filepath.Join(dir, "content/nl/a.md"))
	h, _ := build.SourceHash(nlNow)
	if want := "---\ntitle: A (en)\ndescription: About A.\nsource_hash: " + h + "\n---\n\nNew text.\n"; string(got) != want {
		t.Errorf("translation after its save:\n%s\nwant\n%s", got, want)
	}
	code, out := call(t, b, "translationStatus", map[string]any{})
	if code != 200 || !strings.Contains(string(out), `"langs":{"en":"up to date","nl":"source"}`) {
		t.Errorf("translationStatus: %d %s", code, out)
	}
}

// A translation paired by translation_key, under another file name,
// records the hash of the Dutch page with that key, as check pairs them;
// a Dutch page of the same file name with another key is not its source.
func TestSourceHashTranslationKey(t *testing.T) {
	dir := newSite(t)
	for name, data := range map[string]string{
		"content/nl/audit.md":  "---\ntitle: Audit\ndescription: Over de audit.\ntranslation_key: audit\n---\n\nTekst.\n",
		"content/en/review.md": "---\ntitle: Review\ndescription: About the review.\ntranslation_key: audit\n---\n\nText.\n",
		"content/nl/review.md": "---\ntitle: Herziening\ndescription: Over de herziening.\ntranslation_key: herziening\n---\n\nAndere tekst.\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b := newBackend(t, dir)
	en, _ := os.ReadFile(filepath.Join(dir, "content/en/review.md"))
	files := []map[string]string{{"path": "content/en/review.md", "raw": strings.Replace(string(en), "Text.", "New text.", 1)}}
	if code, out := call(t, b, "persistEntry", map[string]any{"dataFiles": files, "assets": []any{}, "options": map[string]any{}}); code != 200 {
		t.Fatalf("persistEntry: %d %s", code, out)
	}
	nl, _ := os.ReadFile(filepath.Join(dir, "content/nl/audit.md"))
	h, _ := build.SourceHash(nl)
	got, _ := os.ReadFile(filepath.Join(dir, "content/en/review.md"))
	if want := "---\ntitle: Review\ndescription: About the review.\ntranslation_key: audit\nsource_hash: " + h + "\n---\n\nNew text.\n"; string(got) != want {
		t.Errorf("translation after its save:\n%s\nwant\n%s", got, want)
	}
	r := build.Run(context.Background(), build.Options{FS: os.DirFS(dir), Source: dir, Drafts: true, NoWasm: true})
	for _, d := range build.Translations(r) {
		if d.File == "content/en/review.md" {
			t.Errorf("check still says of the saved translation: %s", d.Msg)
		}
	}
}

// A words file's translation saved with changed words records the hash
// of the Dutch file's words, the one check compares; a save of the Dutch
// file, or of a translation whose words did not change, marks nothing.
func TestWordsSourceHash(t *testing.T) {
	dir := newSite(t)
	en := "# words in English\r\n" + interfaceWords(t, "\r\n")
	if err := os.WriteFile(filepath.Join(dir, "content/en/interface.yaml"), []byte(en), 0o644); err != nil {
		t.Fatal(err)
	}
	b := newBackend(t, dir)
	persist := func(path, raw string) {
		t.Helper()
		files := []map[string]string{{"path": path, "raw": raw}}
		if code, out := call(t, b, "persistEntry", map[string]any{"dataFiles": files, "assets": []any{}, "options": map[string]any{}}); code != 200 {
			t.Fatalf("persistEntry %s: %d %s", path, code, out)
		}
	}
	read := func(path string) string {
		data, _ := os.ReadFile(filepath.Join(dir, path))
		return string(data)
	}
	// The Dutch file alone: the translation is not marked.
	persist("content/nl/interface.yaml", "home: Thuis\n")
	if got := read("content/en/interface.yaml"); got != en {
		t.Errorf("a save of the Dutch words changed the translation:\n%q", got)
	}
	// The translation saved as Decap sends it (without source_hash), its
	// words unchanged: not marked current.
	persist("content/en/interface.yaml", "home: Home\n")
	if got := read("content/en/interface.yaml"); got != en {
		t.Errorf("a save of unchanged words marked the translation:\n%q", got)
	}
	// Translated: the Dutch words' hash is recorded, in the file's own
	// form (its comment, its line endings).
	persist("content/en/interface.yaml", "home: Home page\n")
	h, ok := build.WordsHash("interface.yaml", []byte(read("content/nl/interface.yaml")))
	if want := strings.Replace(en, "home: Home\r\n", "home: Home page\r\n", 1) + "source_hash: " + h + "\r\n"; !ok || read("content/en/interface.yaml") != want {
		t.Errorf("translation after its save:\n%q\nwant\n%q", read("content/en/interface.yaml"), want)
	}
	// The Dutch words change again: the recorded hash stays (stale) until
	// the translation's words change with it.
	persist("content/nl/interface.yaml", "home: Begin\n")
	persist("content/en/interface.yaml", "home: Home page\n")
	if !strings.Contains(read("content/en/interface.yaml"), "source_hash: "+h+"\r\n") {
		t.Errorf("an unchanged translation was marked current:\n%q", read("content/en/interface.yaml"))
	}
	persist("content/en/interface.yaml", "home: Start\n")
	h2, _ := build.WordsHash("interface.yaml", []byte(read("content/nl/interface.yaml")))
	if h2 == h || !strings.Contains(read("content/en/interface.yaml"), "source_hash: "+h2+"\r\n") {
		t.Errorf("the translation of the new words does not record their hash %s:\n%q", h2, read("content/en/interface.yaml"))
	}
}

// The editorial workflow: a draft is a branch with a commit (the checkout
// untouched), its status the branch's description; publish merges it.
func TestEditorialWorkflow(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := newSite(t)
	g := &gitRepo{dir: dir}
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "."}, {"-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "site"}} {
		if _, err := g.run(nil, args...); err != nil {
			t.Fatal(err)
		}
	}
	b := newBackend(t, dir)
	if b.Branch() != "main" {
		t.Fatalf("branch %q, want main", b.Branch())
	}
	code, out := call(t, b, "info", map[string]any{})
	if !strings.Contains(string(out), `"type":"local_git"`) || !strings.Contains(string(out), "editorial_workflow") {
		t.Errorf("info: %d %s", code, out)
	}
	before := snapshot(t, dir)
	code, out = call(t, b, "persistEntry", map[string]any{
		"dataFiles": []map[string]string{{"slug": "a", "path": "content/nl/a.md", "raw": "---\ntitle: A in review\ndescription: Over A.\n---\n\nTekst.\n"}},
		"assets":    []any{},
		"options":   map[string]any{"collectionName": "pages", "commitMessage": "Update a", "useWorkflow": true, "status": "draft"},
	})
	if code != 200 {
		t.Fatalf("persistEntry (workflow): %d %s", code, out)
	}
	if !maps.Equal(before, snapshot(t, dir)) {
		t.Error("saving a draft changed the checkout")
	}
	code, out = call(t, b, "unpublishedEntries", map[string]any{})
	if code != 200 || string(out) != "[\"pages/a\"]\n" {
		t.Errorf("unpublishedEntries: %d %s", code, out)
	}
	code, out = call(t, b, "unpublishedEntry", map[string]any{"id": "pages/a"})
	if code != 200 || !strings.Contains(string(out), `"status":"draft"`) || !strings.Contains(string(out), `"path":"content/nl/a.md"`) {
		t.Errorf("unpublishedEntry: %d %s", code, out)
	}
	code, out = call(t, b, "unpublishedEntryDataFile", map[string]any{"collection": "pages", "slug": "a", "path": "content/nl/a.md", "id": "x"})
	if code != 200 || !strings.Contains(string(out), "A in review") {
		t.Errorf("unpublishedEntryDataFile: %d %s", code, out)
	}
	code, out = call(t, b, "updateUnpublishedEntryStatus", map[string]any{"collection": "pages", "slug": "a", "newStatus": "pending_publish"})
	if code != 200 {
		t.Errorf("updateUnpublishedEntryStatus: %d %s", code, out)
	}
	if _, out = call(t, b, "unpublishedEntry", map[string]any{"collection": "pages", "slug": "a"}); !strings.Contains(string(out), `"status":"pending_publish"`) {
		t.Errorf("status after update: %s", out)
	}
	code, out = call(t, b, "publishUnpublishedEntry", map[string]any{"collection": "pages", "slug": "a"})
	if code != 200 {
		t.Fatalf("publishUnpublishedEntry: %d %s", code, out)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "content/nl/a.md")); !strings.Contains(string(got), "title: A in review") {
		t.Errorf("published page:\n%s", got)
	}
	if _, out = call(t, b, "unpublishedEntries", map[string]any{}); string(out) != "[]\n" {
		t.Errorf("drafts after publishing: %s", out)
	}
	// A second draft, deleted.
	call(t, b, "persistEntry", map[string]any{"dataFiles": []map[string]string{{"slug": "a", "path": "content/nl/a.md", "raw": "---\ntitle: Z\n---\n"}}, "options": map[string]any{"collectionName": "pages", "useWorkflow": true}})
	if code, out = call(t, b, "deleteUnpublishedEntry", map[string]any{"collection": "pages", "slug": "a"}); code != 200 || g.exists("cms/pages/a") {
		t.Errorf("deleteUnpublishedEntry: %d %s", code, out)
	}
	if code, _ = call(t, b, "unpublishedEntry", map[string]any{"collection": "pages", "slug": "a"}); code != 404 {
		t.Errorf("a deleted draft: %d, want 404", code)
	}
}

// The translations page lists the pages with their status in every
// language, from build's translation statuses: a translation up to date,
// a stale one, a page with none.
func TestTranslationsPage(t *testing.T) {
	dir := newSite(t)
	page := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	nl, _ := os.ReadFile(filepath.Join(dir, "content/nl/a.md"))
	h, _ := build.SourceHash(nl)
	page("content/en/a.md", "---\ntitle: A (en)\ndescription: About A.\nsource_hash: "+h+"\n---\n\nText.\n")
	page("content/nl/b.md", "---\ntitle: B\ndescription: Over B.\n---\n\nTekst.\n")
	page("content/nl/c.md", "---\ntitle: C\ndescription: Over C.\n---\n\nTekst.\n")
	page("content/en/c.md", "---\ntitle: C (en)\ndescription: About C.\nsource_hash: 000000000000\n---\n\nText.\n")
	page("content/en/interface.yaml", interfaceWords(t, "\n"))
	b := newBackend(t, dir)
	a := NewAdmin(dir, b)
	w := httptest.NewRecorder()
	a.ServeHTTP(w, httptest.NewRequest("GET", "http://127.0.0.1:8080/admin/translations", nil))
	body := w.Body.String()
	if w.Code != 200 || !strings.Contains(body, "noindex") {
		t.Errorf("translations page: %d\n%.2000s", w.Code, body)
	}
	st := func(s string) string {
		return `<td class="` + s + `">` + strings.ReplaceAll(fixtureStates(t)[s], "'", "&#39;") + `</td>`
	}
	for _, want := range []string{
		`content/nl/a.md</small></th>` + st("source") + st("up to date"),
		`content/nl/b.md</small></th>` + st("source") + st("missing"),
		`content/nl/c.md</small></th>` + st("source") + st("stale"),
		// The words files, by their path.
		`interface.yaml<br><small>content/nl/interface.yaml</small></th>` + st("source") + st("unknown"),
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the translations page has no %s:\n%s", want, body)
		}
	}
	if csp := w.Header().Get("Content-Security-Policy"); csp != AdminCSP {
		t.Errorf("CSP %q", csp)
	}
}

// Without npm ci, /admin/ says how to get the editor, and serve goes on.
func TestAdminWithoutDecap(t *testing.T) {
	dir := newSite(t)
	a := NewAdmin(dir, newBackend(t, dir))
	w := httptest.NewRecorder()
	a.ServeHTTP(w, httptest.NewRequest("GET", "http://127.0.0.1:8080/admin/", nil))
	if w.Code != 503 || !strings.Contains(w.Body.String(), "<pre>npm ci</pre>") || strings.Contains(w.Body.String(), "<script") {
		t.Errorf("/admin/ without Decap: %d\n%s", w.Code, w.Body.String())
	}
	w = httptest.NewRecorder()
	a.ServeHTTP(w, httptest.NewRequest("GET", "http://127.0.0.1:8080/admin/config.yml", nil))
	if w.Code != 200 || !strings.Contains(w.Body.String(), "proxy_url: /api/v1") {
		t.Errorf("config.yml: %d %s", w.Code, w.Body.String())
	}
	for _, p := range []string{"/admin/../site.yaml", "/admin/decap-cms.js.map", "/admin/.env", "/admin/x/y.js"} {
		w = httptest.NewRecorder()
		a.ServeHTTP(w, httptest.NewRequest("GET", "http://127.0.0.1:8080"+p, nil))
		if w.Code == 200 {
			t.Errorf("%s: 200", p)
		}
	}
}

// With Decap installed, /admin/ loads it from its own origin with SRI.
func TestAdminPage(t *testing.T) {
	dir, _ := filepath.Abs("..")
	if _, err := os.Stat(filepath.Join(dir, "node_modules/decap-cms/dist/decap-cms.js")); err != nil {
		t.Skip("Decap CMS is not installed: run npm ci")
	}
	a := NewAdmin(dir, nil)
	w := httptest.NewRecorder()
	a.ServeHTTP(w, httptest.NewRequest("GET", "http://127.0.0.1:8080/admin/", nil))
	body := w.Body.String()
	if w.Code != 200 || !strings.Contains(body, `<script src="/admin/decap-cms.js" integrity="sha384-`) || !strings.Contains(body, `<meta name="robots" content="noindex, nofollow">`) {
		t.Errorf("/admin/: %d\n%s", w.Code, body)
	}

	// editor.js, the required alt text, is loaded with its integrity, and
	// what is served is what the integrity is of.
	if want := `<script src="/admin/editor.js" integrity="` + strings.ReplaceAll(editorSRI, "+", "&#43;") + `"`; !strings.Contains(body, want) {
		t.Errorf("/admin/ does not load editor.js with its integrity:\n%s", body)
	}
	w = httptest.NewRecorder()
	a.ServeHTTP(w, httptest.NewRequest("GET", "http://127.0.0.1:8080/admin/editor.js", nil))
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/javascript") || scriptSRI(w.Body.Bytes()) != editorSRI {
		t.Errorf("/admin/editor.js: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	for _, want := range []string{`registerEditorComponent`, `id: 'image'`, `name: 'alt'`, `required: true`, `name: 'preSave'`} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("editor.js lacks %s", want)
		}
	}
}

// fixtureStates are the names of the translation states in the fixtures'
// words.
func fixtureStates(t *testing.T) map[string]string {
	t.Helper()
	w, diags := LoadWords(fstest.MapFS{"content/nl/cms.yaml": {Data: fixtureWords()}}, "nl")
	if diags.Errors() > 0 {
		t.Fatal(diags.Format(5))
	}
	return w.Translations.States
}
