package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"kmopsite/settings"
)

// runNew starts a page in every language that does not have it yet, as a
// draft with the front matter filled in.
func runNew(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("new", stderr)
	source := fs.String("source", ".", "the site's folder")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 || !strings.HasSuffix(fs.Arg(0), ".md") || strings.Contains(fs.Arg(0), "..") || filepath.IsAbs(fs.Arg(0)) {
		fmt.Fprintln(stderr, "usage: kmopsite new PATH.md   (a path inside the language folders, such as nieuws/2026-03-01-nieuwe-regels.md)")
		return 2
	}
	rel := filepath.ToSlash(fs.Arg(0))
	cfg, _ := settings.Read(os.DirFS(*source)) // the languages; a mistake in site.yaml is build's to report
	today := time.Now().Format(time.DateOnly)
	created := 0
	for _, l := range cfg.Languages {
		p := filepath.Join(*source, "content", l.Code, filepath.FromSlash(rel))
		if _, err := os.Stat(p); err == nil {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			fmt.Fprintln(stderr, "kmopsite new:", err)
			return 1
		}
		front := fmt.Sprintf("---\ntitle: \"\"\ndescription: \"\"\nreviewed: %s\ndraft: true\n", today)
		if cfg.NewsSection != "" && strings.HasPrefix(rel, cfg.NewsSection+"/") {
			front += "date: " + today + "\n"
		}
		front += "---\n\n"
		if err := os.WriteFile(p, []byte(front), 0o644); err != nil {
			fmt.Fprintln(stderr, "kmopsite new:", err)
			return 1
		}
		fmt.Fprintf(stdout, "created content/%s/%s (a draft: fill in title and description, and remove draft: true to publish)\n", l.Code, rel)
		created++
	}
	if created == 0 {
		fmt.Fprintf(stderr, "kmopsite new: %s exists in every language already\n", rel)
		return 1
	}
	return 0
}
