package sitecheck

import (
	"bytes"

	"golang.org/x/net/html"
)

// Without returns page without its elements named name (start tag,
// content, end tag), every other byte as it was. It reads the page with
// the tokenizer Parse uses, so a "</script>" inside a script's string, a
// comment or an attribute does not end the element early as it would end
// a regular expression's match.
func Without(page []byte, name string) []byte {
	z := html.NewTokenizer(bytes.NewReader(page))
	var out bytes.Buffer
	depth := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := append([]byte(nil), z.Raw()...)
		if tt == html.StartTagToken || tt == html.EndTagToken || tt == html.SelfClosingTagToken {
			if tag, _ := z.TagName(); string(tag) == name {
				switch tt {
				case html.StartTagToken:
					depth++
				case html.EndTagToken:
					depth = max(depth-1, 0)
				}
				continue
			}
		}
		if depth == 0 {
			out.Write(raw)
		}
	}
	return out.Bytes()
}
