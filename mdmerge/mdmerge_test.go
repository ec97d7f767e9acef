package mdmerge

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// rewrite writes Markdown as Decap's rich-text editor does: "*" for list
// items, tables padded, "_" escaped.
func rewrite(body string) string {
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		switch {
		case strings.HasPrefix(t, "- "):
			lines[i] = l[:len(l)-len(t)] + "* " + t[2:]
		case strings.HasPrefix(t, "|"):
			cells := strings.Split(strings.Trim(t, "|"), "|")
			for j, c := range cells {
				cells[j] = " " + strings.TrimSpace(c) + " "
			}
			lines[i] = "|" + strings.Join(cells, "|") + "|"
		}
	}
	return strings.Join(lines, "\n")
}

// keys is what each line of text says, without the blank lines at its
// start and end (they say nothing in Markdown).
func keys(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		out = append(out, Key(l))
	}
	for len(out) > 0 && out[0] == "" {
		out = out[1:]
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

func TestMerge(t *testing.T) {
	old := "\nIntro met een_woord.\n\n- een\n- twee\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
	edited := strings.Replace(rewrite(strings.TrimLeft(old, "\n")), "twee", "drie", 1)
	got, err := Merge([]byte(old), []byte(edited))
	if err != nil {
		t.Fatal(err)
	}
	// The new item is written as the file writes items: "- ".
	if want := strings.Replace(old, "- twee", "- drie", 1); string(got) != want {
		t.Errorf("one item changed:\n%q\nwant\n%q", got, want)
	}
	if got, _ := Merge([]byte(old), []byte(rewrite(old))); string(got) != old {
		t.Errorf("rewritten unchanged:\n%q", got)
	}
	_, err = Merge([]byte("x\n"), []byte(strings.Repeat("y\n", MaxLines)))
	var long *TooLongError
	if !errors.As(err, &long) || long.Lines != MaxLines+1 {
		t.Errorf("a text over the budget: %v", err)
	}
}

// FuzzMerge: any two texts within the budget merge into one that says
// what the new one says, line by line; a text merged with itself, or
// with its rewriting, stays byte for byte as it was.
func FuzzMerge(f *testing.F) {
	f.Add("# Titel\n\nTekst met een_woord.\n\n- een\n- twee\n", "# Titel\n\nTekst.\n\n* een\n* drie\n")
	f.Add("\n\n| a | b |\n|---|:-:|\n| 1 | 2 |\n", "| a | b |\n| --- | :---: |\n| 1 | 3 |")
	f.Add("1. x\n2. y\n", "1. x\n1. y\n1. z\n")
	f.Fuzz(func(t *testing.T, old, new string) {
		if !utf8.ValidString(old) || !utf8.ValidString(new) {
			return
		}
		got, err := Merge([]byte(old), []byte(new))
		if err != nil {
			if Lines([]byte(old)) <= MaxLines && Lines([]byte(new)) <= MaxLines {
				t.Fatalf("within the budget, refused: %v", err)
			}
			return
		}
		if a, b := keys(string(got)), keys(new); strings.Join(a, "\n") != strings.Join(b, "\n") && strings.TrimSpace(new) != "" {
			t.Fatalf("the merge says\n%q\nwhere the new text says\n%q\n(old %q, new %q, got %q)", a, b, old, new, got)
		}
		for _, same := range []string{old, rewrite(old)} {
			if got, _ := Merge([]byte(old), []byte(same)); string(got) != old && strings.Join(keys(same), "\n") == strings.Join(keys(old), "\n") {
				t.Fatalf("an unchanged text changed:\n%q\nbecame\n%q", old, got)
			}
		}
	})
}
