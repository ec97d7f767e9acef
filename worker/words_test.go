package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"kmopsite/quote"
	"kmopsite/words"
)

var update = flag.Bool("update", false, "rewrite words.json from content/")

// generateWords reads the words of every language that has both files in
// content/ and writes them as words.json.
func generateWords(t *testing.T) []byte {
	t.Helper()
	dirs, err := os.ReadDir(filepath.Join("..", "content"))
	if err != nil {
		t.Fatal(err)
	}
	f := wordsFile{}
	for _, d := range dirs {
		lang := d.Name()
		sc, err1 := os.ReadFile(filepath.Join("..", "content", lang, "selfcheck.yaml"))
		qw, err2 := os.ReadFile(filepath.Join("..", "content", lang, "quote.yaml"))
		if !d.IsDir() || err1 != nil || err2 != nil {
			continue
		}
		s, err := words.Parse(sc)
		if err != nil {
			t.Fatalf("content/%s/selfcheck.yaml: %v", lang, err)
		}
		q, err := quote.DecodeWords(qw)
		if err != nil {
			t.Fatalf("content/%s/quote.yaml: %v", lang, err)
		}
		f[lang] = struct {
			Selfcheck *words.Selfcheck `json:"selfcheck"`
			Quote     *quote.Words     `json:"quote"`
		}{s, q}
	}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// TestWordsCurrent fails when words.json, which the Worker embeds, no
// longer matches content/. `go test ./worker -run TestWordsCurrent
// -update` rewrites it.
func TestWordsCurrent(t *testing.T) {
	want := generateWords(t)
	if *update {
		if err := os.WriteFile("words.json", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile("words.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("worker/words.json is older than content/: run `go test ./worker -run TestWordsCurrent -update` and commit it")
	}
	l, err := loadWords()
	if err != nil {
		t.Fatal(err)
	}
	for lang, w := range l.quote {
		if m := quote.MissingWords(w, []string{lang}); len(m) > 0 {
			t.Errorf("%s: words.json lacks %v", lang, m)
		}
		if len(words.Missing(l.selfcheck[lang])) > 0 {
			t.Errorf("%s: words.json lacks self-check words %v", lang, words.Missing(l.selfcheck[lang]))
		}
	}
}
