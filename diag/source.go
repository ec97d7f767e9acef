package diag

import (
	"bytes"
	"fmt"
	"strings"

	"kmopsite/suggest"
)

// A Source is a file an editor writes, by its path relative to the site
// root. Steps keep byte offsets into Data and ask the Source for a line
// and column only when they make a Diagnostic.
type Source struct {
	Path string
	Data []byte
}

// Position returns the 1-based line and character column of byte offset
// off, counting lines as editors do: a line ends at "\n" (so "\r\n" too),
// and nothing else ends it.
func (s Source) Position(off int) (line, col int) {
	off = min(max(off, 0), len(s.Data))
	before := s.Data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	col = len([]rune(string(before[start:]))) + 1
	return line, col
}

// LineText returns line n (1-based) without its line end.
func (s Source) LineText(n int) string {
	data := s.Data
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

// At makes an error at a line and column of this file, with the source
// line for the caret.
func (s Source) At(line, col int, hint, format string, args ...any) Diagnostic {
	return Diagnostic{File: s.Path, Line: line, Col: col, Msg: fmt.Sprintf(format, args...),
		Hint: hint, Source: s.LineText(line)}
}

// AtOffset makes an error at byte offset off of this file.
func (s Source) AtOffset(off int, hint, format string, args ...any) Diagnostic {
	line, col := s.Position(off)
	return s.At(line, col, hint, format, args...)
}

// DidYouMean is the hint for word, which is none of known: `did you mean
// "x"?` when word is close to x (suggest.Closest), else "".
func DidYouMean(word string, known []string) string {
	if best := suggest.Closest(word, known); best != "" {
		return fmt.Sprintf("did you mean %q?", best)
	}
	return ""
}
