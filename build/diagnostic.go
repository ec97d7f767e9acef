package build

import "kmopsite/diag"

// The diagnostics of a build are package diag's; these names keep
// build.Diagnostic, build.Error … for the build's callers.
type (
	Diagnostic  = diag.Diagnostic
	Diagnostics = diag.Diagnostics
	Severity    = diag.Severity
)

const (
	Error   = diag.Error
	Warning = diag.Warning
)

// source is a file of the site, to turn byte offsets into positions: a
// diag.Source under the short names the steps use.
type source struct {
	path string
	data []byte
}

func (s source) diag() diag.Source { return diag.Source{Path: s.path, Data: s.data} }

// pos returns the 1-based line and character column of byte offset off.
func (s source) pos(off int) (line, col int) { return s.diag().Position(off) }

// at makes an error diagnostic at a line and column of this file.
func (s source) at(line, col int, hint, format string, args ...any) Diagnostic {
	return s.diag().At(line, col, hint, format, args...)
}

// atOffset makes an error diagnostic at a byte offset of this file.
func (s source) atOffset(off int, hint, format string, args ...any) Diagnostic {
	return s.diag().AtOffset(off, hint, format, args...)
}

// didYouMean is diag.DidYouMean: the hint for a word that is none of known.
func didYouMean(word string, known []string) string { return diag.DidYouMean(word, known) }

// mergeRendering keeps one diagnostic of each template error met while
// rendering many pages, naming the first page and counting the others.
// The list must be sorted.
func mergeRendering(ds Diagnostics) Diagnostics {
	out := ds[:0:0]
	for _, d := range ds {
		if n := len(out); n > 0 && d.Rendering != "" {
			prev := &out[n-1]
			if prev.Rendering != "" && prev.Msg == d.Msg && prev.File == d.File && prev.Line == d.Line && prev.Col == d.Col {
				prev.Others += 1 + d.Others
				continue
			}
		}
		out = append(out, d)
	}
	return out
}
