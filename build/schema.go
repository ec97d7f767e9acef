package build

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"kmopsite/diag"

	"go.yaml.in/yaml/v3"
)

// What check asks of a page's required front-matter fields, shared with
// the CMS (cms/), which shows the same words next to the same fields.
const (
	TitleExample    = "Word een erkend dienstverlener"
	DescriptionHint = "One or two sentences for search results (about 150 characters)"
)

// PageHash is the hash of what a translator translates: the title, the
// description and the Markdown body. A translation records its source's
// PageHash as source_hash.
func PageHash(title, description string, body []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n", title, description)
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil)[:6])
}

// SourceHash is the PageHash of a page's file, for the CMS, which
// records it on a translation when it is saved. ok is false when the file
// has no front matter that YAML can read.
func SourceHash(data []byte) (hash string, ok bool) {
	start, end, body, found := diag.FrontMatter(data)
	if !found {
		return "", false
	}
	var front struct {
		Title       string `yaml:"title"`
		Description string `yaml:"description"`
	}
	if err := yaml.Unmarshal(data[start:end], &front); err != nil {
		return "", false
	}
	return PageHash(front.Title, front.Description, data[body:]), true
}
