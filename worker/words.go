package main

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"kmopsite/quote"
	"kmopsite/words"
)

// wordsJSON holds the self-check's and the quote form's words of every
// language of site.yaml, as the build loads and checks them, in JSON: a
// Worker cannot read files, and JSON costs it less than YAML. It is
// generated; TestWordsCurrent fails when it is stale.
//
//go:generate go run ./wordsjson/gen
//go:embed words.json
var wordsJSON []byte

// wordsFile is the shape of words.json (wordsjson.File, which the Worker
// cannot import: it reaches the build).
type wordsFile map[string]struct {
	Selfcheck *words.Selfcheck `json:"selfcheck"`
	Quote     *quote.Words     `json:"quote"`
}

type loaded struct {
	selfcheck map[string]*words.Selfcheck
	quote     map[string]*quote.Words
}

func loadWords() (loaded, error) {
	var f wordsFile
	if err := json.Unmarshal(wordsJSON, &f); err != nil {
		return loaded{}, fmt.Errorf("words.json: %w", err)
	}
	l := loaded{selfcheck: map[string]*words.Selfcheck{}, quote: map[string]*quote.Words{}}
	for lang, w := range f {
		l.selfcheck[lang], l.quote[lang] = w.Selfcheck, w.Quote
	}
	return l, nil
}
