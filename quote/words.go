package quote

import "kmopsite/words"

// Words are the words of the quote form and of the two mails in one
// language (content/<lang>/quote.yaml), as package words holds them; the
// build decodes and checks the file, the Worker reads them from JSON.
type Words = words.Quote

// FieldWords are a form field's label, help and error messages.
type FieldWords = words.FieldWords

// expand replaces the placeholders of s by their values; vars holds name,
// value pairs.
func expand(s string, vars ...string) string { return words.Expand(s, vars...) }

// HeadingsWords are the section headings of the mails.
type HeadingsWords = words.HeadingsWords

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}
