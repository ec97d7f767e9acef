// Package diag is the one house of kmopsite's diagnostics, as esbuild's
// internal/logger is for esbuild: the Diagnostic every step reports,
// positions kept as byte offsets into a Source and turned into line and
// column only to be printed, the one strict YAML decoder every file an
// editor writes goes through (DecodeYAML), and the "did you mean" hint.
// It is a leaf: it imports no other package of kmopsite but suggest.
package diag

import (
	"fmt"
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

	// What the diagnostic is about besides its place, as data for the
	// code that groups or filters diagnostics (which never reads Msg).
	// Rendering is, for an error met in a template while rendering a
	// page, that page (File is the template); Others counts the other
	// pages that met the same error. Message names them.
	Rendering string
	Others    int
	// Unreadable tells that the file's YAML could not be read at all:
	// what else would be said of it (a missing key) would be noise.
	Unreadable bool
}

// Message is Msg with the pages it was met while rendering, if any:
// `undefined function "x" (rendering content/nl/audit.md and 2 other pages)`.
func (d Diagnostic) Message() string {
	switch {
	case d.Rendering == "":
		return d.Msg
	case d.Others > 0:
		return fmt.Sprintf("%s (rendering %s and %d other page%s)", d.Msg, d.Rendering, d.Others, plural(d.Others))
	}
	return d.Msg + " (rendering " + d.Rendering + ")"
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
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
	fmt.Fprintf(&b, ": %s: %s\n", d.Severity, d.Message())
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

// Sort orders by file, line, column, then message and the page being
// rendered, so output is stable.
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
		if a.Msg != b.Msg {
			return a.Msg < b.Msg
		}
		return a.Rendering < b.Rendering
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

// Warnings counts the diagnostics that do not stop a build.
func (ds Diagnostics) Warnings() int { return len(ds) - ds.Errors() }

// Format prints every diagnostic, at most limit of them (0: all), then a
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
