package build

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
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
