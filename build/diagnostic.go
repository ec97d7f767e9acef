package build

import (
	"bytes"
	"fmt"
	"kmopsite/suggest"
	"sort"
	"strings"
)

// Severity tells whether a diagnostic stops the build.
type Severity uint8

const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// A Diagnostic is one mistake in the site's sources, at a place an editor
// can jump to. Line and Col count from 1; Col counts characters, not bytes.
type Diagnostic struct {
	File     string // relative to the site root, with forward slashes
	Line     int    // 0 when the mistake is about the whole file
	Col      int
	Severity Severity
	Msg      string
	Hint     string // what to do; optional
	Source   string // the source line, for the caret; optional
}

// String formats the diagnostic as editors and compilers do:
//
//	content/nl/starters.md:12:9: error: unknown layout "pagee"
//	   12 | layout: pagee
//	      |         ^
//	hint: did you mean "page"?
func (d Diagnostic) String() string {
	var b strings.Builder
	b.WriteString(d.File)
	if d.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", d.Line, max(d.Col, 1))
	}
	fmt.Fprintf(&b, ": %s: %s\n", d.Severity, d.Msg)
	if d.Source != "" && d.Line > 0 {
		num := fmt.Sprint(d.Line)
		src, col := window(d.Source, d.Col)
		pad := strings.Repeat(" ", len(num))
		fmt.Fprintf(&b, " %s | %s\n", num, strings.ReplaceAll(src, "\t", "    "))
		caret := caretColumn(src, col)
		fmt.Fprintf(&b, " %s | %s^\n", pad, strings.Repeat(" ", caret))
	}
	if d.Hint != "" {
		fmt.Fprintf(&b, "hint: %s\n", d.Hint)
	}
	return b.String()
}

// window cuts a long source line to about 80 characters around column
// col, marking the cuts with "…", and returns the column in the cut line.
func window(line string, col int) (string, int) {
	const width = 80
	r := []rune(line)
	if len(r) <= width+10 {
		return line, col
	}
	start := max(0, min(col-1-width/2, len(r)-width))
	end := min(len(r), start+width)
	out := string(r[start:end])
	if end < len(r) {
		out += "…"
	}
	if start > 0 {
		return "…" + out, col - start + 1
	}
	return out, col
}

// caretColumn is the display offset of 1-based character column col,
// counting a tab as four spaces as String prints it.
func caretColumn(line string, col int) int {
	n := 0
	for i, r := range []rune(line) {
		if i >= col-1 {
			break
		}
		if r == '\t' {
			n += 4
		} else {
			n++
		}
	}
	return n
}

// Diagnostics is a sortable list.
type Diagnostics []Diagnostic

// Sort orders by file, line, column, then message, so output is stable.
func (ds Diagnostics) Sort() {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Msg < b.Msg
	})
}

// Errors counts the diagnostics that stop a build.
func (ds Diagnostics) Errors() int {
	n := 0
	for _, d := range ds {
		if d.Severity == Error {
			n++
		}
	}
	return n
}

// String prints every diagnostic, at most limit of them (0: all), then a
// count line.
func (ds Diagnostics) Format(limit int) string {
	var b strings.Builder
	for i, d := range ds {
		if limit > 0 && i == limit {
			fmt.Fprintf(&b, "… and %d more\n", len(ds)-limit)
			break
		}
		b.WriteString(d.String())
	}
	return b.String()
}

// source holds a file's bytes to turn byte offsets into positions.
type source struct {
	path string
	data []byte
}

// pos returns the 1-based line and character column of byte offset off.
func (s source) pos(off int) (line, col int) {
	off = min(max(off, 0), len(s.data))
	before := s.data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	col = len([]rune(string(before[start:]))) + 1
	return line, col
}

// lineText returns line n (1-based) without its newline.
func (s source) lineText(n int) string {
	data := s.data
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(data, '\n')
		if j < 0 {
			return ""
		}
		data = data[j+1:]
	}
	if j := bytes.IndexByte(data, '\n'); j >= 0 {
		data = data[:j]
	}
	return strings.TrimSuffix(string(data), "\r")
}

// at makes an error diagnostic at a line and column of this file.
func (s source) at(line, col int, hint, format string, args ...any) Diagnostic {
	return Diagnostic{File: s.path, Line: line, Col: col, Msg: fmt.Sprintf(format, args...),
		Hint: hint, Source: s.lineText(line)}
}

// atOffset makes an error diagnostic at a byte offset of this file.
func (s source) atOffset(off int, hint, format string, args ...any) Diagnostic {
	line, col := s.pos(off)
	return s.at(line, col, hint, format, args...)
}

// didYouMean suggests the known word closest to word, if one is close:
// at most one edit in three characters, so that "fr" does not suggest
// "nl" nor "concept.md" suggest "_index.md".
func didYouMean(word string, known []string) string {
	best, bestDist := "", len(word)/3+1
	for _, k := range known {
		if d := suggest.Distance(strings.ToLower(word), strings.ToLower(k)); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("did you mean %q?", best)
}

// renderingSuffix ends the message of a template error met while rendering
// a page: the same error in a layout repeats for every page that uses it.
const renderingSuffix = " (rendering "

// mergeRendering keeps one diagnostic of each template error met while
// rendering many pages, naming the first page and counting the others.
// The list must be sorted.
func (ds Diagnostics) mergeRendering() Diagnostics {
	out := ds[:0:0]
	count := 0
	flush := func() {
		if count > 0 {
			last := &out[len(out)-1]
			last.Msg = strings.TrimSuffix(last.Msg, ")") + fmt.Sprintf(" and %d other page%s)", count, plural(count))
		}
		count = 0
	}
	for _, d := range ds {
		if n := len(out); n > 0 {
			prev := out[n-1]
			p, _, ok1 := strings.Cut(prev.Msg, renderingSuffix)
			q, _, ok2 := strings.Cut(d.Msg, renderingSuffix)
			if ok1 && ok2 && p == q && prev.File == d.File && prev.Line == d.Line && prev.Col == d.Col {
				count++
				continue
			}
		}
		flush()
		out = append(out, d)
	}
	flush()
	return out
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
