// Package mdmerge merges a Markdown text an editor's tool wrote anew into
// the text on disk, line by line: the lines that say the same thing keep
// their old form, the lines the editor changed or added take the new
// text. Decap's rich-text editor writes the whole body again in its own
// Markdown (lists with "*", tables padded, characters escaped); without
// this, every save would rewrite every line.
//
// Lines end at "\n", as editors and diag.Source count them; a text with
// "\r\n" line ends is turned to "\n" by the caller and back. It is a
// leaf: it imports the diff library only.
package mdmerge

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"github.com/aymanbagabas/go-udiff/lcs"
)

// MaxLines is the most lines a text may have, old or new: the merge then
// ends in bounded time and memory whatever it is given.
const MaxLines = 20_000

// TooLongError is a text of more than MaxLines lines.
type TooLongError struct{ Lines int }

func (e *TooLongError) Error() string {
	return "the text has " + strconv.Itoa(e.Lines) + " lines, more than the " + strconv.Itoa(MaxLines) + " a page may have"
}

// Lines counts the lines of text as Merge does, to check the budget
// before any work.
func Lines(text []byte) int { return bytes.Count(text, []byte("\n")) + 1 }

// Merge returns new with each line that says what a line of old says
// (Key) in its old form. The lines are aligned by Myers' algorithm in
// linear space with a bounded search (go-udiff's lcs, the diff of
// x/tools): what it cannot align in that bound takes the new text, which
// loses nothing. Blank lines at the start of old (between front matter
// and text) are kept when new has none, and those at its end.
func Merge(old, new []byte) ([]byte, error) {
	for _, t := range [][]byte{old, new} {
		if n := Lines(t); n > MaxLines {
			return nil, &TooLongError{n}
		}
	}
	if bytes.Equal(bytes.TrimRight(old, "\n"), bytes.TrimRight(new, "\n")) {
		return old, nil
	}
	// The blank lines between the front matter and the text say nothing
	// in Markdown, and Decap drops them when its editor writes the body:
	// the file's are kept.
	var lead []byte
	if n := len(old) - len(bytes.TrimLeft(old, "\n")); n > 0 && len(bytes.TrimLeft(new, "\n")) == len(new) {
		lead, old = old[:n], old[n:]
	}
	o := strings.Split(strings.TrimRight(string(old), "\n"), "\n")
	n := strings.Split(strings.TrimRight(string(new), "\n"), "\n")
	ko, kn := make([]string, len(o)), make([]string, len(n))
	for i, l := range o {
		ko[i] = Key(l)
	}
	for i, l := range n {
		kn[i] = Key(l)
	}
	dashes(n)
	out := make([]string, 0, len(n))
	i := 0
	for _, d := range lcs.DiffLines(ko, kn) {
		out = append(out, o[i:d.Start]...)
		out = append(out, n[d.ReplStart:d.ReplEnd]...)
		i = d.End
	}
	out = append(out, o[i:]...)
	// The text ends as old ended (its blank lines at the end say nothing
	// either), or with a line end when only new has one.
	body := strings.Join(out, "\n")
	if trail := old[len(bytes.TrimRight(old, "\n")):]; len(trail) > 0 {
		body += string(trail)
	} else if bytes.HasSuffix(new, []byte("\n")) {
		body += "\n"
	}
	return append(append([]byte(nil), lead...), body...), nil
}

// dashes writes the list items of lines as the site writes them, "- "
// where Decap's editor writes "* ", outside fenced code.
func dashes(lines []string) {
	fence := ""
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		switch {
		case fence != "":
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
		case strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~"):
			fence = t[:3]
		case strings.HasPrefix(t, "* "):
			lines[i] = l[:len(l)-len(t)] + "- " + t[2:]
		}
	}
}

var (
	mdBullet  = regexp.MustCompile(`^\s*[-*+]\s+`)
	mdOrdered = regexp.MustCompile(`^\s*\d+[.)]\s+`)
	mdEscape  = regexp.MustCompile(`\\([\\` + "`" + `*_{}\[\]()#+\-.!|<>~&])`)
	mdRule    = regexp.MustCompile(`^:?-+:?$`)
)

// Key is what a Markdown line says, without the choices of how to write
// it: the list marker, indentation, escapes, emphasis with _ or *, a
// table's padding and the length of its rule.
func Key(line string) string {
	l := strings.TrimSpace(line)
	if mdBullet.MatchString(line) && !strings.HasPrefix(l, "**") && !strings.HasPrefix(l, "---") {
		l = "- " + mdBullet.ReplaceAllString(line, "")
	}
	l = mdOrdered.ReplaceAllString(l, "1. ")
	l = mdEscape.ReplaceAllString(l, "$1")
	l = strings.ReplaceAll(l, "__", "**")
	if strings.HasPrefix(l, "|") {
		cells := strings.Split(strings.Trim(l, "|"), "|")
		for i, c := range cells {
			c = strings.TrimSpace(c)
			if mdRule.MatchString(c) {
				c = strings.Trim(c, "-") + "-"
			}
			cells[i] = c
		}
		l = "|" + strings.Join(cells, "|") + "|"
	}
	return l
}
