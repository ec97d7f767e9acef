package build

import (
	"fmt"
	"strings"
	"testing"
)

// TestPlan replays batches of events as editors and their tools make
// them, and checks what Plan asks to do again.
func TestPlan(t *testing.T) {
	known := map[string]bool{
		"content/nl/_index.md": true, "content/nl/audit.md": true,
		"content/nl/nieuws/_index.md": true, "content/nl/nieuws/post.md": true,
		"content/fr/audit.md": true,
	}
	ev := func(spec string) []Event {
		// "path:op path:op …" with op one of c w r m (create, write, remove, rename)
		var events []Event
		for _, f := range strings.Fields(spec) {
			p, ops, _ := strings.Cut(f, ":")
			var op Op
			for _, o := range ops {
				op |= map[rune]Op{'c': Create, 'w': Write, 'r': Remove, 'm': Rename, 'a': Chmod}[o]
			}
			events = append(events, Event{p, op})
		}
		return events
	}
	for _, c := range []struct {
		name, events string
		want         string // fields of Changes that are set, as Plan's result prints them
	}{
		{"save in place", "content/nl/audit.md:w",
			"Content=[content/nl/audit.md] Paths=[content/nl/audit.md]"},
		{"atomic save (temporary file renamed over the page)", "content/nl/.audit.md.swp:cw content/nl/.audit.md.swp:m content/nl/audit.md:c",
			"Content=[content/nl/audit.md] Paths=[content/nl/audit.md]"},
		{"vim's save with a backup", "content/nl/4913:cr content/nl/audit.md:mc content/nl/audit.md~:cr",
			"Rescan Content=[content/nl/audit.md] Paths=[content/nl/audit.md]"},
		{"new page", "content/nl/nieuw.md:cw",
			"Rescan Content=[content/nl/nieuw.md] Paths=[content/nl/nieuw.md]"},
		{"deleted page", "content/nl/audit.md:r",
			"Rescan Content=[content/nl/audit.md] Paths=[content/nl/audit.md]"},
		{"renamed page", "content/nl/audit.md:m content/nl/de-audit.md:c",
			"Rescan Content=[content/nl/audit.md content/nl/de-audit.md] Paths=[content/nl/audit.md content/nl/de-audit.md]"},
		{"new folder with its files", "content/nl/team:c content/nl/team/_index.md:c content/nl/team/anna.md:c",
			"Rescan Content=[content/nl/team/_index.md content/nl/team/anna.md] Paths=[content/nl/team/_index.md content/nl/team/anna.md]"},
		{"deleted folder, reported alone", "content/nl/nieuws:r",
			"Rescan Content=[content/nl/nieuws/_index.md content/nl/nieuws/post.md] Paths=[content/nl/nieuws]"},
		{"renamed folder", "content/nl/nieuws:m content/nl/news:c content/nl/news/_index.md:c content/nl/news/post.md:c",
			"Rescan Content=[content/nl/news/_index.md content/nl/news/post.md content/nl/nieuws/_index.md content/nl/nieuws/post.md] Paths=[content/nl/news/_index.md content/nl/news/post.md content/nl/nieuws]"},
		{"a file outside a language folder", "content/notes.txt:c",
			"Rescan Paths=[content/notes.txt]"},
		{"a file in a folder that is not a language", "content/de/x.txt:c",
			"Rescan"},
		{"a page in a hidden folder", "content/nl/.drafts/x.md:cw", ""},
		{"a change of mode only", "content/nl/audit.md:a",
			"Content=[content/nl/audit.md] Paths=[content/nl/audit.md]"},
		{"interface words", "content/fr/interface.yaml:w", "Words Paths=[content/fr/interface.yaml]"},
		{"self-check words", "content/en/selfcheck.yaml:w", "Words Paths=[content/en/selfcheck.yaml]"},
		{"site.yaml", "site.yaml:w", "All Paths=[site.yaml]"},
		{"site.yaml, atomic save", "site.yaml~:c .site.yaml.tmp:cm site.yaml:c", "All Paths=[site.yaml]"},
		{"a layout", "templates/layouts/page.html:w", "Templates Paths=[templates/layouts/page.html]"},
		{"a template's swap file", "templates/layouts/.page.html.swp:cw", ""},
		{"a stylesheet", "assets/css/base.css:w", "Assets Paths=[assets/css/base.css]"},
		{"a new image", "assets/img/team.jpg:cw", "Assets Paths=[assets/img/team.jpg]"},
		{"an asset's hidden file", "assets/css/.base.css.swp:cw", ""},
		{"the rules", "assess/rules.go:w", "Wasm Paths=[assess/rules.go]"},
		{"the rules' tests", "assess/rules_test.go:w", ""},
		{"events were lost", ".:w",
			"All Rescan Content=[content/fr/audit.md content/nl/_index.md content/nl/audit.md content/nl/nieuws/_index.md content/nl/nieuws/post.md] Words Templates Assets Wasm Paths=[.]"},
		{"not a source", "public/index.html:w outbox/x.eml:c README.md:w", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := describeChanges(Plan(ev(c.events), known))
			if got != c.want {
				t.Errorf("Plan(%s)\n got: %s\nwant: %s", c.events, got, c.want)
			}
		})
	}
}

func describeChanges(c Changes) string {
	var parts []string
	flag := func(set bool, name string) {
		if set {
			parts = append(parts, name)
		}
	}
	flag(c.All, "All")
	flag(c.Rescan, "Rescan")
	if len(c.Content) > 0 {
		parts = append(parts, fmt.Sprintf("Content=%v", c.Content))
	}
	flag(c.Words, "Words")
	flag(c.Templates, "Templates")
	flag(c.Assets, "Assets")
	flag(c.Wasm, "Wasm")
	if len(c.Paths) > 0 {
		parts = append(parts, fmt.Sprintf("Paths=%v", c.Paths))
	}
	return strings.Join(parts, " ")
}
