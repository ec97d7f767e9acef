package build

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"kmopsite/endpoints"
	"kmopsite/testsite"
)

// TestWriteFiles: dest ends up holding exactly the files, however it
// looked before; only changed files are written.
func TestWriteFiles(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	steps := []struct {
		files            map[string]string
		written, removed int
	}{
		{map[string]string{"index.html": "a", "nl/over/index.html": "b", "assets/x.css": "c"}, 3, 0},
		{map[string]string{"index.html": "a", "nl/over/index.html": "b2", "assets/x.css": "c"}, 1, 0},
		// A folder where a file was, and a file where a folder was.
		{map[string]string{"index.html/x": "a", "nl/over": "b"}, 2, 3},
		{map[string]string{"index.html": "a", "nl/over/index.html": "b", "nl/over/img/y.svg": "d"}, 3, 2},
		{map[string]string{}, 0, 3},
	}
	for i, s := range steps {
		files := map[string][]byte{}
		for k, v := range s.files {
			files[k] = []byte(v)
		}
		written, removed, err := writeFiles(dest, files)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if written != s.written || removed != s.removed {
			t.Errorf("step %d: %d written, %d removed; want %d, %d", i, written, removed, s.written, s.removed)
		}
		var got, want []string
		_ = filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dest, p)
			if d.IsDir() {
				if entries, _ := os.ReadDir(p); len(entries) == 0 && rel != "." {
					got = append(got, rel+"/ (empty)")
				}
				return nil
			}
			data, _ := os.ReadFile(p)
			got = append(got, filepath.ToSlash(rel)+"="+string(data))
			return nil
		})
		for k, v := range s.files {
			want = append(want, k+"="+v)
		}
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("step %d: dest holds\n%v\nwant\n%v", i, got, want)
		}
	}
}

// TestReadOutputFiles: the readers of _headers and _redirects read back
// what the build wrote.
func TestReadOutputFiles(t *testing.T) {
	r := readCase(t, "testdata/golden/site.txtar").run(t)
	want := map[string]map[string]string{"/assets/*": {"Cache-Control": "public, max-age=31536000, immutable"}}
	for prefix, h := range r.Headers {
		want[prefix] = h
	}
	if got := ReadHeaders(r.Files["_headers"]); !reflect.DeepEqual(got, want) {
		t.Errorf("_headers read back:\n got %v\nwant %v", got, want)
	}
	got := ReadRedirects(r.Files["_redirects"])
	if len(got) < 2 || got["/"] != (Redirect{To: "/nl/", Status: 302}) {
		t.Errorf("_redirects read back: %v", got)
	}
	for from, rd := range got {
		if from != "/" && rd.Status != 301 {
			t.Errorf("alias %s: %v", from, rd)
		}
	}
}

// TestEndpointsFollowEdits: the endpoints' file of a Builder used again is
// the one a fresh build writes, after each edit of what it is made of (a
// page's text, the privacy page's address, the quote form's words).
func TestEndpointsFollowEdits(t *testing.T) {
	dir := t.TempDir()
	if err := testsite.Base(dir); err != nil {
		t.Fatal(err)
	}
	if err := testsite.Words(dir); err != nil {
		t.Fatal(err)
	}
	write := func(rel, data string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(rel)), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("content/nl/privacy.md", "---\ntitle: Privacy\ndescription: Wat we bewaren.\n---\nTekst.\n")
	ctx := context.Background()
	b := NewBuilder(Options{Source: dir, NoWasm: true})
	defer b.Close()
	if r := b.Build(ctx, Changes{All: true}); !r.OK() {
		t.Fatal(r.Diagnostics.Format(5))
	}
	for _, edit := range []struct {
		rel, data string
		ch        Changes
	}{
		{"content/nl/over.md", "---\ntitle: Over ons\ndescription: Wie we zijn.\n---\nAnders.\n", Changes{Content: []string{"content/nl/over.md"}}},
		{"content/nl/privacy.md", "---\ntitle: Privacy\ndescription: Wat we bewaren.\nslug: gegevens\n---\nTekst.\n", Changes{Content: []string{"content/nl/privacy.md"}}},
		{"content/fr/quote.yaml", "", Changes{Words: true}},
	} {
		data := edit.data
		if data == "" { // the words: one text changed
			old, err := os.ReadFile(filepath.Join(dir, "content", "fr", "quote.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			data = strings.Replace(string(old), `submit: "`, `submit: "Test `, 1)
		}
		write(edit.rel, data)
		got := b.Build(ctx, edit.ch)
		want := Run(ctx, Options{Source: dir, NoWasm: true})
		if !got.OK() || !want.OK() {
			t.Fatalf("%s: %s%s", edit.rel, got.Diagnostics.Format(3), want.Diagnostics.Format(3))
		}
		if !bytes.Equal(got.Files[endpoints.Path], want.Files[endpoints.Path]) {
			t.Errorf("after an edit of %s, the endpoints' file is not a fresh build's:\n%s\n%s", edit.rel, got.Files[endpoints.Path], want.Files[endpoints.Path])
		}
	}
}
