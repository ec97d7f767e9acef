package diag

import "bytes"

// FrontMatter finds the front matter of a Markdown file: the YAML between
// its first two "---" lines is data[start:end], and its body starts at
// body. Offsets are of data itself (a byte-order mark before the first
// "---" is skipped, not cut off), so that positions in the YAML and in
// the body stay positions in the file (golang/website's parseMeta). ok is
// false when the file does not open with "---" or the block is not
// closed. Every reader of front matter splits it here, once per file: the
// build keeps the decoded Doc with the page.
func FrontMatter(data []byte) (start, end, body int, ok bool) {
	if bytes.HasPrefix(data, []byte("\ufeff")) {
		start = len("\ufeff")
	}
	first, rest, found := bytes.Cut(data[start:], []byte("\n"))
	if !found || string(bytes.TrimRight(first, " \r")) != "---" {
		return 0, 0, 0, false
	}
	start += len(first) + 1
	off := start
	for len(rest) > 0 {
		line, next, _ := bytes.Cut(rest, []byte("\n"))
		if string(bytes.TrimRight(line, " \r")) == "---" {
			body = off + len(line)
			if body < len(data) {
				body++
			}
			return start, off, body, true
		}
		off += len(line) + 1
		rest = next
	}
	return 0, 0, 0, false
}
