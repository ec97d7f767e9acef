//go:build !js

package main

import (
	"bytes"
	"os"
	"testing"

	"kmopsite/worker/wordsjson"
)

// TestWordsCurrent fails when words.json, which the Worker embeds, is not
// what the generator writes from the site's words now. It only compares:
// `go generate ./worker` rewrites the file.
func TestWordsCurrent(t *testing.T) {
	want, err := wordsjson.Generate(os.DirFS(".."))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("words.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("worker/words.json is stale: the site's words changed. Run `go generate ./worker` and commit worker/words.json")
	}
	// The Worker reads back what was written, in every language.
	l, err := loadWords()
	if err != nil {
		t.Fatal(err)
	}
	if len(l.quote) == 0 || len(l.quote) != len(l.selfcheck) {
		t.Fatalf("words.json holds %d quote and %d self-check languages", len(l.quote), len(l.selfcheck))
	}
	for lang := range l.quote {
		if l.quote[lang].Form.Submit == "" || l.selfcheck[lang].UI["start"] == "" {
			t.Errorf("%s: words.json read back without its words", lang)
		}
	}
}
