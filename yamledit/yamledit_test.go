package yamledit

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// decapForm writes a mapping as another tool would: keys in reverse
// order, every string double-quoted, no comments.
func decapForm(t testing.TB, root *yaml.Node) []byte {
	t.Helper()
	out, err := yaml.Marshal(reform(root))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func reform(n *yaml.Node) *yaml.Node {
	c := clean(n)
	if c.Kind == yaml.MappingNode {
		var rev []*yaml.Node
		for i := len(c.Content) - 2; i >= 0; i -= 2 {
			rev = append(rev, reform(n.Content[i]), reform(n.Content[i+1]))
		}
		c.Content = rev
	} else {
		for i, k := range n.Content {
			c.Content[i] = reform(k)
		}
	}
	c.Style &^= yaml.LiteralStyle | yaml.FoldedStyle | yaml.SingleQuotedStyle | yaml.FlowStyle
	if c.Kind == yaml.ScalarNode && c.ShortTag() == "!!str" {
		c.Style = yaml.DoubleQuotedStyle
	}
	return c
}

func parse(t testing.TB, text []byte) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		t.Fatal(err)
	}
	return docRoot(&doc)
}

// A line separator (U+2028) or another break YAML counts but an editor
// does not, before the edited key: the key is edited where it is, no key
// is written twice, none is lost.
func TestLineBreaksOnlyYAMLCounts(t *testing.T) {
	for _, brk := range []string{"\u2028", "\u2029", "\u0085", "\r"} {
		for _, old := range []string{
			"# words\nintro: \"Eerste" + brk + "tweede\"\nhome: Home\nnext: Volgende\n",
			"intro: 'Eerste" + brk + "tweede'\r\nhome: Home\r\nnext: Volgende\r\n",
		} {
			raw := "next: Volgende\nhome: Thuis\nintro: \"Eerste" + brk + "tweede\"\n"
			got, err := Merge([]byte(old), []byte(raw), Policy{})
			if err != nil {
				t.Fatalf("%q: %v", old, err)
			}
			want := strings.Replace(old, "home: Home", "home: Thuis", 1)
			if string(got) != want {
				t.Errorf("break %q in\n%q\nmerged as\n%q\nwant\n%q", brk, old, got, want)
			}
		}
	}
}

// What is kept and what changes, case by case.
func TestMerge(t *testing.T) {
	for _, c := range []struct{ name, old, raw, want string }{
		{"unchanged", "# c\na: 1   # one\nb: 'x'\nlist:\n  - x\n  - y\n", "list: [x, y]\nb: x\na: 1\n", "# c\na: 1   # one\nb: 'x'\nlist:\n  - x\n  - y\n"},
		{"quoting kept", "a: 'x'\nb: \"y\"\n", "a: z\nb: w\n", "a: 'z'\nb: \"w\"\n"},
		{"nested", "m:\n  # k\n  a: 1\n  b: 2\nz: 3\n", "m: {a: 1, b: 5}\nz: 3\n", "m:\n  # k\n  a: 1\n  b: 5\nz: 3\n"},
		{"added at the end of its mapping", "m:\n  a: 1\n\n# end\nz: 3\n", "m: {a: 1, c: 4}\nz: 3\n", "m:\n  a: 1\n  c: 4\n\n# end\nz: 3\n"},
		{"unknown key kept", "a: 1\nsource_hash: abc\n", "a: 2\n", "a: 2\nsource_hash: abc\n"},
		{"CRLF kept", "a: 1\r\nb: 2\r\n", "a: 1\nb: 2\nc: [x]\n", "a: 1\r\nb: 2\r\nc: [x]\r\n"},
		{"block text to one line", "a: |\n  one\n  two\nb: 2\n", "a: three\nb: 2\n", "a: three\nb: 2\n"},
		{"only comments", "# nothing yet\n", "a: 1\n", "# nothing yet\na: 1\n"},
		{"list item's key", "menu:\n  - page: a.md\n    title: A\n  - page: b.md\n", "menu: [{page: a.md, title: B}, {page: b.md}]\n", "menu:\n  - page: a.md\n    title: B\n  - page: b.md\n"},
	} {
		got, err := Merge([]byte(c.old), []byte(c.raw), Policy{})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if string(got) != c.want {
			t.Errorf("%s:\n%q\nwant\n%q", c.name, got, c.want)
		}
	}
}

// Policies: keys that may not change, keys removed when left out.
func TestPolicy(t *testing.T) {
	pol := Policy{Editable: func(p []string) bool { return p[0] == "contact" }}
	if _, err := Merge([]byte("base: x\ncontact: y\n"), []byte("base: z\ncontact: y\n"), pol); err == nil || err.(*Error).Kind != NotEditable {
		t.Errorf("a key the policy forbids: %v", err)
	}
	got, err := Merge([]byte("base: x\ncontact: y\n"), []byte("base: x\ncontact: w\n"), pol)
	if err != nil || string(got) != "base: x\ncontact: w\n" {
		t.Errorf("an editable key: %q %v", got, err)
	}
	del := Policy{Deletes: func(p []string) bool { return p[0] == "draft" }}
	got, err = Merge([]byte("title: T\ndraft: true\nkeep: k\n"), []byte("title: T\n"), del)
	if err != nil || string(got) != "title: T\nkeep: k\n" {
		t.Errorf("a field left out: %q %v", got, err)
	}
}

// Anchors, aliases and too many values are refused before any work.
func TestCheck(t *testing.T) {
	bomb := "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
	if _, err := Merge([]byte("a: 1\n"), []byte(bomb), Policy{}); err == nil || err.(*Error).Kind != Alias || err.(*Error).Line != 1 {
		t.Errorf("aliases: %v", err)
	}
	if _, err := Check([]byte("l: [" + strings.Repeat("x,", MaxNodes) + "x]\n")); err == nil || err.(*Error).Kind != TooLarge {
		t.Errorf("too many values: %v", err)
	}
}

// Set edits one line or adds one.
func TestSet(t *testing.T) {
	got, err := Set([]byte("# w\r\nhome: Home\r\nsource_hash: old\r\n"), "source_hash", "new")
	if err != nil || string(got) != "# w\r\nhome: Home\r\nsource_hash: new\r\n" {
		t.Errorf("Set an existing key: %q %v", got, err)
	}
	got, err = Set([]byte("home: Home"), "source_hash", "abc")
	if err != nil || string(got) != "home: Home\nsource_hash: abc\n" {
		t.Errorf("Set a new key: %q %v", got, err)
	}
}

// sameKeys reports the first mapping whose keys differ between a and b
// (a key lost, added or doubled), "" when none.
func sameKeys(a, b *yaml.Node, path string) string {
	if a == nil || b == nil || a.Kind != b.Kind {
		return ""
	}
	if a.Kind == yaml.MappingNode {
		count := map[string]int{}
		for i := 0; i+1 < len(a.Content); i += 2 {
			count[a.Content[i].Value]++
		}
		for i := 0; i+1 < len(b.Content); i += 2 {
			count[b.Content[i].Value]--
		}
		for k, n := range count {
			if n != 0 {
				return path + "." + k
			}
		}
		bv := map[string]*yaml.Node{}
		for i := 0; i+1 < len(b.Content); i += 2 {
			bv[b.Content[i].Value] = b.Content[i+1]
		}
		for i := 0; i+1 < len(a.Content); i += 2 {
			if d := sameKeys(a.Content[i+1], bv[a.Content[i].Value], path+"."+a.Content[i].Value); d != "" {
				return d
			}
		}
		return ""
	}
	if a.Kind == yaml.SequenceNode && len(a.Content) == len(b.Content) {
		for i := range a.Content {
			if d := sameKeys(a.Content[i], b.Content[i], path+"[]"); d != "" {
				return d
			}
		}
	}
	return ""
}

// firstScalar finds the first key of a block mapping whose value is a
// one-line scalar, depth first, with the mapping it is in.
func firstScalar(m *yaml.Node) (parent *yaml.Node, i int) {
	if m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 {
		return nil, 0
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		v := m.Content[i+1]
		if v.Kind == yaml.ScalarNode && m.Content[i].Kind == yaml.ScalarNode {
			return m, i
		}
		if p, j := firstScalar(v); p != nil {
			return p, j
		}
	}
	return nil, 0
}

// hasDuplicates reports a mapping that has a key twice (the YAML library
// reads such a file; the editor keeps what it finds).
func hasDuplicates(n *yaml.Node) bool {
	if n.Kind == yaml.MappingNode {
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if seen[n.Content[i].Value] || n.Content[i].Kind != yaml.ScalarNode {
				return true
			}
			seen[n.Content[i].Value] = true
		}
	}
	for _, c := range n.Content {
		if hasDuplicates(c) {
			return true
		}
	}
	return false
}

var explicitKey = regexp.MustCompile(`(?m)^[ \t-]*\?`)

// FuzzMerge: for any YAML mapping on disk, (1) the same data sent in
// another form gives the same bytes; (2) one value changed gives the new
// data, changes nothing before that key's line nor after its block, and
// loses or doubles no key; (3) any new version ends in an answer.
func FuzzMerge(f *testing.F) {
	for _, s := range []string{
		"# words\nintro: \"Eerste\u2028tweede\"\nhome: Home\nnext: Volgende\n",
		"intro: 'Eerste\u2028tweede'\nhome: Home\nnext: Volgende\n",
		"title: \"A\"\ndescription: 'B'\ndate: 2026-01-26\ndraft: true\nweight: 3\n",
		"languages:\n  - code: nl\n    menu:\n      - page: a.md\n        title: A\n  - code: fr\n",
		"a: |\n  block\n  text\nb: >\n  folded\nc: [1, 2]\nd: {x: 1}\n",
		"ui:\r\n  skip_link: Naar de inhoud\r\n  # comment\r\n  menu: Menu\r\nsource_hash: abc\r\n",
		"k: v # comment\n\n\n# trailing\n",
	} {
		f.Add([]byte(s), "nieuwe waarde", []byte("x: 1\n"))
	}
	f.Fuzz(func(t *testing.T, old []byte, value string, other []byte) {
		// (3) Anything at all ends, refused or merged.
		Merge(old, other, Policy{})
		Merge(other, old, Policy{Deletes: func([]string) bool { return true }})

		var doc yaml.Node
		if yaml.Unmarshal(old, &doc) != nil {
			return
		}
		root := docRoot(&doc)
		if root == nil || root.Kind != yaml.MappingNode || root.Style&yaml.FlowStyle != 0 || hasDuplicates(root) {
			return
		}
		if _, err := Check(old); err != nil {
			return // aliases: a form without them is not the same text
		}
		// (1) The same data in another form.
		got, err := Merge(old, decapForm(t, root), Policy{})
		if err != nil {
			t.Fatalf("unchanged data refused: %v\n%q", err, old)
		}
		if !bytes.Equal(got, old) {
			t.Fatalf("unchanged data changed the text:\n%q\nbecame\n%q", old, got)
		}
		// (2) One value changed.
		parent, i := firstScalar(root)
		if parent == nil || !utf8.ValidString(value) {
			return
		}
		k := parent.Content[i]
		before := parent.Content[i+1]
		parent.Content[i+1] = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value}
		raw := decapForm(t, root)
		want := parse(t, raw)
		parent.Content[i+1] = before
		got, err = Merge(old, raw, Policy{})
		if err != nil {
			t.Fatalf("one value changed, refused: %v\n%q\n%q", err, old, raw)
		}
		var gdoc yaml.Node
		if err := yaml.Unmarshal(got, &gdoc); err != nil {
			t.Fatalf("the merged text is not YAML: %v\n%q\nfrom\n%q", err, got, old)
		}
		groot := docRoot(&gdoc)
		if groot == nil || !equal(groot, want) {
			t.Fatalf("the merged text does not hold the new data:\n%q\nfrom\n%q\nand\n%q", got, old, raw)
		}
		if d := sameKeys(want, groot, ""); d != "" {
			t.Fatalf("key %s lost or doubled:\n%q\nfrom\n%q", d, got, old)
		}
		// Lines as an editor counts them: a file whose keys a lone CR
		// parts is one line. An explicit key ("? key") may be written
		// out anew as "key: value".
		if explicitKey.Match(old) {
			return
		}
		e := newEditor(old, Policy{})
		ls := e.lineOf(e.offset(k))
		if !bytes.HasPrefix(got, old[:ls]) {
			t.Fatalf("lines before the changed key changed:\n%q\nfrom\n%q", got, old)
		}
		if i+2 < len(parent.Content) {
			next := e.lineOf(e.offset(parent.Content[i+2]))
			if next > ls && !bytes.HasSuffix(got, old[next:]) {
				t.Fatalf("lines after the changed key changed:\n%q\nfrom\n%q", got, old)
			}
		}
	})
}
