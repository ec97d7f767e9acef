package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// pinned is an action named by the full commit it runs, so that a moved tag
// cannot change what runs with the repository's secrets. The version the
// commit stands for follows as a comment, for the reader and for updates.
var pinned = regexp.MustCompile(`^[\w.-]+/[\w./-]+@[0-9a-f]{40}$`)

// TestWorkflowActionsPinned checks that every `uses:` of .github/workflows
// names a commit, not a tag or a branch, and says which version it is.
func TestWorkflowActionsPinned(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(".github", "workflows", "*.y*ml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no workflows in .github/workflows")
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(src, &doc); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		n := 0
		eachUses(&doc, func(v *yaml.Node) {
			n++
			switch {
			case strings.HasPrefix(v.Value, "./"):
				// An action of this repository: pinned by the checkout.
			case !pinned.MatchString(v.Value):
				t.Errorf("%s:%d: %q is not pinned to a commit: write owner/repo@<40-hex commit> # vX.Y.Z", file, v.Line, v.Value)
			case !strings.HasPrefix(strings.TrimSpace(v.LineComment), "# v"):
				t.Errorf("%s:%d: %q has no version comment: add # vX.Y.Z after it", file, v.Line, v.Value)
			}
		})
		if n == 0 {
			t.Errorf("%s: no uses: found (the test would prove nothing)", file)
		}
	}
}

// eachUses calls f with the value of every `uses:` key in the document.
func eachUses(n *yaml.Node, f func(*yaml.Node)) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "uses" && n.Content[i+1].Kind == yaml.ScalarNode {
				f(n.Content[i+1])
			}
		}
	}
	for _, c := range n.Content {
		eachUses(c, f)
	}
}
