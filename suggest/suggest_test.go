package suggest

import "testing"

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"title", "title", 0}, {"titel", "title", 1}, {"tile", "title", 1},
		{"titles", "title", 1}, {"layout", "lay0ut", 1}, {"abc", "", 3}, {"", "abc", 3},
		{"nl", "fr", 2}, {"audit_bodi", "audit_body", 1}, {"descripton", "description", 1},
	} {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := Distance(c.b, c.a); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (not symmetric)", c.b, c.a, got, c.want)
		}
	}
}

func TestClosest(t *testing.T) {
	known := []string{"title", "description", "draft", "exempt_starter", "exempt_iso", "nl", "page", "_index.md"}
	for _, c := range []struct{ word, want string }{
		{"titel", "title"}, {"Title", "title"}, {"descripton", "description"},
		{"fr", ""},         // two edits in two letters is another word
		{"concept.md", ""}, // not near "_index.md"
		{"exempt", ""},     // begins two known words: no guess
		{"exempt_strater", "exempt_starter"}, {"exempt_start", "exempt_starter"},
		{"pag", "page"}, {"xyz", ""},
	} {
		if got := Closest(c.word, known); got != c.want {
			t.Errorf("Closest(%q) = %q, want %q", c.word, got, c.want)
		}
	}
}
