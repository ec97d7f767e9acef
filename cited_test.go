package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// citedDoc is a document named in a comment: a file of docs/ or domain/,
// a name in capitals (README.md, DESIGN.md), or one of the domain's notes
// (rules.md, kmop-facts.md). Other Markdown names in comments are
// examples of pages (content/nl/audit.md), not documents.
var citedDoc = regexp.MustCompile(`(?:[A-Za-z0-9_.-]+/)*(?:docs/|domain/)[A-Za-z0-9_./-]+\.md\b|(?:[A-Za-z0-9_.-]+/)*[A-Z][A-Z0-9_-]*\.md\b|(?:^|[^A-Za-z0-9_/.-])(?:rules|kmop-facts)\.md\b`)

// TestCitedDocumentsExist reads the comments of the repository's code
// (Go, JavaScript, shell, the Makefile and the workflows) and fails for a
// Markdown file that a comment names and the repository does not hold: a
// newcomer who clones it must find every document the code points to. A
// name is looked for from the root and from the commenting file's folder.
func TestCitedDocumentsExist(t *testing.T) {
	out, err := exec.Command("git", "ls-files", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Skipf("git ls-files: %v", err)
	}
	for _, file := range strings.Fields(string(out)) {
		if strings.Contains(file, "testdata/") || file == "cited_test.go" || !commented(file) {
			continue
		}
		data, err := os.ReadFile(file)
		if err != nil {
			continue // listed by git, removed from the work tree
		}
		for i, line := range strings.Split(string(data), "\n") {
			c := comment(file, line)
			for _, doc := range citedDoc.FindAllString(c, -1) {
				doc = strings.TrimLeft(doc, " \t(\"'`,;:")
				if strings.Contains(doc, "://") || strings.HasPrefix(doc, "/") {
					continue
				}
				if exists(doc) || exists(filepath.Join(filepath.Dir(file), doc)) {
					continue
				}
				t.Errorf("%s:%d: cites %s, which the repository does not hold", file, i+1, doc)
			}
		}
	}
}

// commented tells the files whose comments are read.
func commented(file string) bool {
	switch filepath.Ext(file) {
	case ".go", ".js", ".sh", ".yml", ".yaml":
		return !strings.Contains(file, "node_modules/")
	}
	return filepath.Base(file) == "Makefile"
}

// comment is the comment on a line of file, or "": after // in Go and
// JavaScript, after # elsewhere.
func comment(file, line string) string {
	mark := "#"
	if ext := filepath.Ext(file); ext == ".go" || ext == ".js" {
		mark = "//"
	}
	t := strings.TrimSpace(line)
	if strings.HasPrefix(t, mark) || strings.HasPrefix(t, "*") {
		return t
	}
	if i := strings.Index(line, " "+mark+" "); i >= 0 {
		return line[i:]
	}
	return ""
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
