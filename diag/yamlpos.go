package diag

import (
	"sort"
	"unicode/utf8"
)

// YAMLPositions turns the positions the YAML library gives a node (line
// and character column, from 1) into byte offsets of the text it read.
// YAML ends a line where an editor does not: at a lone CR, NEL, LS
// (U+2028) and PS (U+2029) besides "\n" and "\r\n"; an offset computed by
// counting "\n" alone lands lines after the node once pasted text holds
// one. One pass over the text, then each position in logarithmic time.
type YAMLPositions struct {
	text   []byte
	starts []int // the offset where each of YAML's lines starts
}

// NewYAMLPositions reads where text's lines start, as YAML counts them.
func NewYAMLPositions(text []byte) *YAMLPositions {
	p := &YAMLPositions{text: text, starts: []int{0}}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		if r == '\r' && i+1 < len(text) && text[i+1] == '\n' {
			size = 2
		}
		i += size
		if r == '\n' || r == '\r' || r == '\u0085' || r == '\u2028' || r == '\u2029' {
			p.starts = append(p.starts, i)
		}
	}
	return p
}

// Offset is the byte offset of line and character column col (from 1).
// A position past the text is its end.
func (p *YAMLPositions) Offset(line, col int) int {
	if line < 1 {
		return 0
	}
	if line > len(p.starts) {
		return len(p.text)
	}
	i := p.starts[line-1]
	for c := 1; c < col && i < len(p.text); c++ {
		r, size := utf8.DecodeRune(p.text[i:])
		if r == '\n' || r == '\r' {
			break
		}
		i += size
	}
	return i
}

// Line is the line (from 1, as YAML counts) that holds byte offset off.
func (p *YAMLPositions) Line(off int) int {
	return sort.Search(len(p.starts), func(i int) bool { return p.starts[i] > off })
}
