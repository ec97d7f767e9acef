package cms

import (
	"bytes"
	"strconv"
	"strings"
)

// where names the place of a diagnostic at line (from 1) of a page as
// the editor knows it: the field whose front-matter key is written at or
// above that line ("Titel"), or the text and its paragraph ("Tekst,
// alinea 3"); an editor never sees the file's lines. "" when line is 0.
// For a file that is not a page, the line ("regel 12").
func where(w *EditorWords, file string, data []byte, line int) string {
	if line <= 0 {
		return ""
	}
	pg, ok := splitPage(data)
	if !isPage(file) || !ok {
		return fill(w.Gate.Line, "n", strconv.Itoa(line))
	}
	headLines := bytes.Count(pg.head, []byte("\n"))
	yamlLines := bytes.Count(pg.yaml, []byte("\n"))
	closeLines := bytes.Count(pg.close, []byte("\n"))
	switch {
	case line <= headLines+yamlLines:
		// The top-level key written at or above the line.
		key := ""
		for i, l := range strings.Split(string(pg.yaml), "\n") {
			if headLines+i+1 > line {
				break
			}
			if l != "" && l[0] != ' ' && l[0] != '#' && l[0] != '-' {
				if k, _, found := strings.Cut(l, ":"); found {
					key = strings.TrimSpace(k)
				}
			}
		}
		if f, ok := w.Fields[key]; ok {
			return fill(w.Preview["field"], "field", f.Label)
		}
		if key != "" {
			return fill(w.Preview["field"], "field", key)
		}
		return fill(w.Gate.Line, "n", strconv.Itoa(line))
	case line <= headLines+yamlLines+closeLines:
		return fill(w.Gate.Line, "n", strconv.Itoa(line))
	}
	// The text: paragraphs are runs of lines between blank lines.
	n, blank := 0, true
	for i, l := range strings.Split(string(pg.body), "\n") {
		if strings.TrimSpace(l) == "" {
			blank = true
		} else if blank {
			n, blank = n+1, false
		}
		if headLines+yamlLines+closeLines+i+1 >= line {
			break
		}
	}
	return fill(w.Preview["line"], "field", w.Fields["body"].Label, "n", strconv.Itoa(max(n, 1)))
}
