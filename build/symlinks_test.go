package build

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// A symbolic link anywhere under content/ or assets/, a dot file's too
// (a save's temporary file, say), is an error that names the file.
func TestSymlinksRefused(t *testing.T) {
	base, err := txtar.ParseFile(filepath.Join("testdata", "base.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range base.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := Run(context.Background(), Options{FS: os.DirFS(dir), Source: dir, NoWasm: true})
	if n := r.Diagnostics.Errors(); n != 0 {
		t.Fatalf("the base has %d errors before any link:\n%s", n, r.Diagnostics.Format(5))
	}
	os.MkdirAll(filepath.Join(dir, ".github/workflows"), 0o755)
	os.MkdirAll(filepath.Join(dir, "assets/img"), 0o755)
	links := map[string]string{
		"content/nl/.wf.md.cms-tmp": "../../.github/workflows/deploy.yml",
		"assets/img/passwd.png":     "/etc/passwd",
	}
	for name, to := range links {
		if err := os.Symlink(to, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	r = Run(context.Background(), Options{FS: os.DirFS(dir), Source: dir, NoWasm: true})
	out := r.Diagnostics.Format(0)
	for name, to := range links {
		if !strings.Contains(out, name+": error: a symbolic link to "+to) {
			t.Errorf("no error names the link %s:\n%s", name, out)
		}
	}
}
