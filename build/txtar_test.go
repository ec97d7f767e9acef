package build

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/diff"
	"github.com/rogpeppe/go-internal/txtar"
)

// The golden and diagnostics tests read txtar archives (esbuild's bundler
// tests, golang/website's site tests). In an archive:
//
//   - "out/PATH" is an expected output file, compared byte for byte;
//   - "files" is the expected list of every output path, one a line;
//   - "diagnostics" is the expected diagnostics text, exactly as the
//     command line prints it (no section: no diagnostic at all);
//   - every other file is an input of the site, at its path.
//
// The archive's comment may hold option lines: "drafts" builds with
// Options.Drafts, "base" lays the archive over testdata/base.txtar (so a
// diagnostics case holds only what it breaks), "check" adds the
// translation status as `kmopsite check` prints it, "warnings" says the
// case expects warnings and no error, "words" lays the fixture's words
// of the self-check and the quote form under the case (testdata/words.txtar).
//
// go test ./build -run 'Golden|Diagnostics' -update rewrites the expected
// sections from what the build produces.

var update = flag.Bool("update", false, "rewrite the expected outputs of the txtar tests")

// siteCase is one archive: the site's inputs and what it must produce.
type siteCase struct {
	path    string
	archive *txtar.Archive
	inputs  fstest.MapFS
	opts    Options
	want    map[string][]byte // expected outputs by output path
	files   *string           // expected list of output paths; nil: not checked
	diags   string
	// withCheck adds Translations to the diagnostics; warnings: the case
	// expects warnings only.
	withCheck, warnings bool
}

func readCase(t *testing.T, file string) *siteCase {
	t.Helper()
	a, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	c := &siteCase{path: file, archive: a, inputs: fstest.MapFS{}, want: map[string][]byte{}}
	for _, line := range strings.Split(string(a.Comment), "\n") {
		switch strings.TrimSpace(line) {
		case "drafts":
			c.opts.Drafts = true
		case "check":
			c.withCheck = true
		case "words":
			for name, data := range siteWords(t) {
				c.inputs[name] = &fstest.MapFile{Data: data}
			}
		case "warnings":
			c.warnings = true
		case "base":
			base, err := txtar.ParseFile(filepath.Join("testdata", "base.txtar"))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range base.Files {
				c.inputs[f.Name] = &fstest.MapFile{Data: f.Data}
			}
		}
	}
	for _, f := range a.Files {
		switch {
		case f.Name == "diagnostics":
			c.diags = string(f.Data)
		case f.Name == "files":
			s := string(f.Data)
			c.files = &s
		case strings.HasPrefix(f.Name, "out/"):
			c.want[strings.TrimPrefix(f.Name, "out/")] = f.Data
		default:
			c.inputs[f.Name] = &fstest.MapFile{Data: f.Data}
		}
	}
	c.opts.FS = c.inputs
	c.opts.NoWasm = true
	return c
}

// siteWords returns the fixture's self-check and quote form words
// (testdata/words.txtar: nl and fr, without links, and assess/ so that
// the build reads them): a case then holds only the words file it breaks.
func siteWords(t *testing.T) map[string][]byte {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("testdata", "words.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range a.Files {
		files[f.Name] = f.Data
	}
	return files
}

// run builds the case's site in memory.
func (c *siteCase) run(t *testing.T) *Result {
	t.Helper()
	r := Run(context.Background(), c.opts)
	if c.withCheck {
		r.Diagnostics = append(r.Diagnostics, Translations(r)...)
		r.Diagnostics.Sort()
	}
	return r
}

// withNewline is how txtar stores a file: ending in a newline.
func withNewline(b []byte) []byte {
	if len(b) > 0 && !bytes.HasSuffix(b, []byte("\n")) {
		return append(append([]byte{}, b...), '\n')
	}
	return b
}

func fileList(r *Result) string {
	paths := sortedKeys(r.Files)
	sort.Strings(paths)
	if len(paths) == 0 {
		return ""
	}
	return strings.Join(paths, "\n") + "\n"
}

// checker is what check needs of a *testing.T.
type checker interface {
	Helper()
	Errorf(format string, args ...any)
}

// check compares a result with the case's expectations, or, with -update,
// rewrites them.
func (c *siteCase) check(t *testing.T, r *Result) {
	t.Helper()
	if *update {
		c.rewrite(t, r, r.Diagnostics.Format(0))
		return
	}
	c.compare(t, r)
}

func (c *siteCase) compare(t checker, r *Result) {
	t.Helper()
	if got := r.Diagnostics.Format(0); got != c.diags {
		t.Errorf("diagnostics differ (-want +got):\n%s", diff.Diff("want", []byte(c.diags), "got", []byte(got)))
	}
	if c.files != nil {
		if got := fileList(r); got != *c.files {
			t.Errorf("output files differ (-want +got):\n%s", diff.Diff("want", []byte(*c.files), "got", []byte(got)))
		}
	}
	for _, name := range sortedKeys(c.want) {
		got, ok := r.Files[name]
		if !ok {
			t.Errorf("%s was not written", name)
			continue
		}
		if want := c.want[name]; !bytes.Equal(withNewline(got), want) {
			t.Errorf("%s differs (-want +got):\n%s", name, diff.Diff("want", want, "got", withNewline(got)))
		}
	}
}

func (c *siteCase) rewrite(t *testing.T, r *Result, gotDiags string) {
	t.Helper()
	a := c.archive
	var files []txtar.File
	for _, f := range a.Files {
		switch {
		case f.Name == "diagnostics":
			continue // written again below, when there are any
		case f.Name == "files":
			f.Data = []byte(fileList(r))
		case strings.HasPrefix(f.Name, "out/"):
			got, ok := r.Files[strings.TrimPrefix(f.Name, "out/")]
			if !ok {
				t.Errorf("%s was not written; keeping the expectation", f.Name)
			} else {
				f.Data = withNewline(got)
			}
		}
		files = append(files, f)
	}
	if gotDiags != "" {
		files = append(files, txtar.File{Name: "diagnostics", Data: []byte(gotDiags)})
	}
	a.Files = files
	if err := os.WriteFile(c.path, txtar.Format(a), 0o644); err != nil {
		t.Fatal(err)
	}
}

// cases lists the archives of a folder of testdata.
func cases(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test cases in testdata/%s: %v", dir, err)
	}
	return files
}

func caseName(file string) string {
	return strings.TrimSuffix(filepath.Base(file), ".txtar")
}

func TestTxtarHarness(t *testing.T) {
	// The harness itself must be able to fail: each wrong expectation is
	// reported, not passed over.
	files := "robots.txt\n"
	c := &siteCase{want: map[string][]byte{"robots.txt": []byte("nothing like it\n"), "sitemap.xml": nil},
		diags: "x", files: &files}
	r := &Result{Files: map[string][]byte{"robots.txt": []byte("User-agent: *\n"), "_headers": nil}}
	ft := &countingT{}
	c.compare(ft, r)
	if ft.errors != 4 {
		t.Fatalf("the harness reported %d mismatches, want 4 (diagnostics, files, robots.txt, sitemap.xml)", ft.errors)
	}
}

// countingT counts errors instead of failing.
type countingT struct{ errors int }

func (*countingT) Helper()                 {}
func (f *countingT) Errorf(string, ...any) { f.errors++ }
