//go:build !js

package main

import (
	"bytes"
	"maps"
	"os"
	"testing"

	"kmopsite/worker/endpointsjson"
)

// TestEndpointsCurrent fails when endpoints.json, which the Worker
// embeds, is not the file a build of the site writes now. It only
// compares: `go generate ./worker` rewrites the file.
func TestEndpointsCurrent(t *testing.T) {
	want, err := endpointsjson.Generate("..")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("endpoints.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("worker/endpoints.json is stale: the site changed. Run `go generate ./worker` and commit worker/endpoints.json")
	}
	// The Worker reads back what was written, in every language.
	f, err := site()
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Langs) == 0 || len(f.Words) != len(f.Langs) || len(f.Headers) == 0 {
		t.Fatalf("endpoints.json holds %d languages, words in %d, %d headers", len(f.Langs), len(f.Words), len(f.Headers))
	}
	if !maps.Equal(siteHeaders(), f.Headers) {
		t.Errorf("the headers read alone differ: %v", siteHeaders())
	}
	for _, lang := range f.Langs {
		if w := f.Words[lang]; w.Quote == nil || w.Quote.Form.Submit == "" || w.Selfcheck == nil || w.Selfcheck.UI["start"] == "" {
			t.Errorf("%s: endpoints.json read back without its words", lang)
		}
	}
}
