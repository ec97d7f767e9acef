// Package suggest finds the word someone probably meant, for the
// "did you mean …?" hints of kmopsite: every strict decoder (site.yaml,
// front matter, the words files, through package diag) and the answers
// JSON (assess/codec). It imports almost nothing, so that the browser's
// rules and the Worker can use it without growing.
package suggest

import "strings"

// Closest returns the word of known that word is probably a typo of, or ""
// when none is close enough. Close enough means at most one edit (an
// insertion, a deletion, a substitution or a swap of neighbours, letter
// case ignored) in three characters, so that "fr" does not suggest "nl"
// nor "concept.md" suggest "_index.md"; failing that, the one known word
// that word begins, when word has three characters or more ("exempt" for
// "exempt_starter"). Ties go to the first in known.
func Closest(word string, known []string) string {
	best, bestDist := "", len(word)/3+1
	lower := strings.ToLower(word)
	for _, k := range known {
		if d := Distance(lower, strings.ToLower(k)); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best != "" || len(word) < 3 {
		return best
	}
	for _, k := range known {
		if strings.HasPrefix(k, word) && k != word {
			if best != "" {
				return "" // more than one: no guess
			}
			best = k
		}
	}
	return best
}

// Distance is the edit distance of a and b: insertions, deletions and
// substitutions of bytes, and a swap of two neighbours, each count one.
func Distance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
