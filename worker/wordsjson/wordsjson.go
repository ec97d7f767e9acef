// Package wordsjson writes the Worker's copy of the site's words
// (worker/words.json): the self-check's and the quote form's words of every
// language of site.yaml, as the build loads and checks them. A Worker
// cannot read files, and JSON costs it less than YAML. `go generate
// ./worker` runs it (gen/); a test in ./worker fails when the committed
// copy is stale.
package wordsjson

import (
	"encoding/json"
	"fmt"
	"io/fs"

	"kmopsite/build"
	"kmopsite/words"
)

// File is the shape of words.json: the words by language code.
type File map[string]Lang

// Lang holds one language's words.
type Lang struct {
	Selfcheck *words.Selfcheck `json:"selfcheck"`
	Quote     *words.Quote     `json:"quote"`
}

// Generate returns words.json for the site in site. It fails when the
// words have errors: the Worker must not get words the build refuses.
func Generate(site fs.FS) ([]byte, error) {
	cfg, texts, diags := build.LoadTexts(site)
	if diags.Errors() > 0 {
		return nil, fmt.Errorf("the site's words have errors:\n%s", diags.Format(0))
	}
	f := File{}
	for _, l := range cfg.Languages {
		t := texts[l.Code]
		if t == nil {
			return nil, fmt.Errorf("no words for %s (is assess/ in the site?)", l.Code)
		}
		f[l.Code] = Lang{Selfcheck: t.Selfcheck, Quote: t.Quote}
	}
	b, err := json.Marshal(f)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
