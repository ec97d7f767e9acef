// Package testsite lays out sites in folders of their own for the tests
// and benchmarks of every package: the fixture site of build/testdata
// (base.txtar, and words.txtar with the self-check's and quote form's
// words), so that what a test checks does not move when an editor edits
// content/ or site.yaml, and copies of folders (CopyTree).
package testsite

import (
	"os"
	"path/filepath"
	"runtime"

	"github.com/rogpeppe/go-internal/txtar"
)

// Root is the repository's root folder, found from this file's place in
// it (the tests of every package run in their own folder).
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// Base writes the fixture site, build/testdata/base.txtar, into dir: two
// languages (nl, fr), the templates, the interface words, a style sheet
// and a script.
func Base(dir string) error { return Archive(dir, "base.txtar") }

// Words writes the self-check's and the quote form's words of the fixture
// site (build/testdata/words.txtar) into dir, and assess/ so that the
// build reads them: with Base, a site with the self-check and the quote
// endpoint.
func Words(dir string) error { return Archive(dir, "words.txtar") }

// Archive writes the files of build/testdata/<name>, a txtar archive,
// into dir.
func Archive(dir, name string) error {
	a, err := txtar.ParseFile(filepath.Join(Root(), "build", "testdata", name))
	if err != nil {
		return err
	}
	for _, f := range a.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// CopyTree copies the folder src, with everything in it, to dst: files
// with their bytes (mode 0644), folders created as needed.
func CopyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}
