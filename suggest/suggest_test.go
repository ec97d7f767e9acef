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
