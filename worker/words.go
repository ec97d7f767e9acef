package main

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"kmopsite/quote"
	"kmopsite/words"
)

// wordsJSON holds the words of every language, from content/<lang>/
// selfcheck.yaml and quote.yaml, as JSON: a Worker cannot read files, and
// JSON costs it less than YAML. TestWordsCurrent checks it against
// content/ and rewrites it with -update.
//
//go:embed words.json
var wordsJSON []byte

// wordsFile is the shape of words.json.
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
