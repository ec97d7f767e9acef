package quote

import "kmopsite/words"

// expand replaces the placeholders of s by their values; vars holds name,
// value pairs.
func expand(s string, vars ...string) string { return words.Expand(s, vars...) }
