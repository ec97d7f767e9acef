package cms

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// decapForm re-serialises a page as Decap does: its own key order (here
// reversed), every string double-quoted, the body as it was.
func decapForm(t *testing.T, data []byte) []byte {
	t.Helper()
	pg, ok := splitPage(data)
	if !ok {
		t.Fatal("no front matter")
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(pg.yaml, &doc); err != nil {
		t.Fatal(err)
	}
	root := doc.Content[0]
	out := &yaml.Node{Kind: yaml.MappingNode}
	for i := len(root.Content) - 2; i >= 0; i -= 2 {
		k, v := *root.Content[i], *root.Content[i+1]
		k.HeadComment, k.LineComment, v.LineComment = "", "", ""
		if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str" {
			v.Style = yaml.DoubleQuotedStyle
		}
		out.Content = append(out.Content, &k, &v)
	}
	fm, err := yaml.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return []byte("---\n" + string(fm) + "---\n" + decapMarkdown(strings.ReplaceAll(string(pg.body), "\r\n", "\n")))
}

// decapMarkdown writes a body as Decap's rich-text editor does: "*" for
// list items, tables padded, "_" escaped.
func decapMarkdown(body string) string {
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		switch {
		case strings.HasPrefix(t, "- "):
			lines[i] = l[:len(l)-len(t)] + "* " + t[2:]
		case strings.HasPrefix(t, "|"):
			cells := strings.Split(strings.Trim(t, "|"), "|")
			for j, c := range cells {
				c = strings.TrimSpace(c)
				if strings.Trim(c, "-:") == "" {
					c = strings.Replace(c, "-", "-----", 1)
				}
				cells[j] = " " + c + " "
			}
			lines[i] = "|" + strings.Join(cells, "|") + "|"
		}
		if !strings.Contains(lines[i], "](") && !strings.HasPrefix(t, "#") {
			lines[i] = strings.ReplaceAll(lines[i], "_", "\\_")
		}
	}
	return strings.Join(lines, "\n")
}

// A word changed in a body that Decap wrote again changes that line only.
func TestBodyEditChangesItsLineOnly(t *testing.T) {
	old, err := os.ReadFile("../content/nl/nieuws/2026-01-26-hervorming-advies.md")
	if err != nil {
		t.Fatal(err)
	}
	raw := strings.Replace(string(decapForm(t, old)), "Voor opleiding verandert er niets.", "Voor opleiding verandert er helemaal niets.", 1)
	got, err := mergeFile("content/nl/nieuws/x.md", old, []byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if d, e := changedLines(string(old), string(got)), changedLines(string(got), string(old)); len(d) != 1 || len(e) != 1 || !strings.Contains(d[0], "helemaal") {
		t.Errorf("changed lines:\n+ %q\n- %q", d, e)
	}
}

// Decap's editor writes the body without the blank line after the front
// matter: an edit of the first paragraph changes that line only, and the
// blank line stays.
func TestFirstParagraphEditKeepsBlankLine(t *testing.T) {
	old, err := os.ReadFile("../content/nl/_index.md")
	if err != nil {
		t.Fatal(err)
	}
	pg, _ := splitPage(old)
	raw := "---\n" + string(pg.yaml) + "---\n" + strings.Replace(strings.TrimLeft(string(pg.body), "\n"), "Wilt u dat", "Wilt u echt dat", 1)
	got, err := mergeFile("content/nl/_index.md", old, []byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(string(old), "Wilt u dat", "Wilt u echt dat", 1)
	if string(got) != want {
		t.Errorf("after an edit of the first paragraph:\n%s", lineDiffs(want, string(got)))
	}
}

// Every page of the real site, saved unchanged in Decap's form, stays
// byte for byte as it is; so do the words files.
func TestUnchangedSaveKeepsEveryRealFile(t *testing.T) {
	site := os.DirFS("..")
	var pages, words []string
	fs.WalkDir(site, "content", func(p string, d fs.DirEntry, err error) error {
		switch {
		case strings.HasSuffix(p, ".md"):
			pages = append(pages, p)
		case strings.HasSuffix(p, ".yaml"):
			words = append(words, p)
		}
		return nil
	})
	if len(pages) < 30 || len(words) < 9 {
		t.Fatalf("found %d pages and %d words files: is the real content there?", len(pages), len(words))
	}
	for _, p := range pages {
		old, _ := fs.ReadFile(site, p)
		raw := decapForm(t, old)
		if bytes.Equal(raw, old) {
			t.Fatalf("%s: Decap's form is the file itself; the test would prove nothing", p)
		}
		got, err := mergeFile(p, old, raw)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if !bytes.Equal(got, old) {
			t.Errorf("%s changed by an unchanged save:\n%s", p, lineDiff(string(old), string(got)))
		}
	}
	for _, p := range append(words, "site.yaml") {
		old, _ := fs.ReadFile(site, p)
		var v any
		yaml.Unmarshal(old, &v)
		raw, _ := yaml.Marshal(v) // sorted keys, no comments
		got, err := mergeFile(p, old, raw)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if !bytes.Equal(got, old) {
			t.Errorf("%s changed by an unchanged save:\n%s", p, lineDiff(string(old), string(got)))
		}
	}
}

// An edited field changes its own line only, in the file's own quoting;
// a field emptied in the CMS goes; a new one is added at the end.
func TestEditedFieldChangesItsLineOnly(t *testing.T) {
	old := []byte("---\r\n# the page\r\ntitle: \"Oud\"   # kept\r\ndescription: Een zin.\r\ntoc: true\r\nsource_hash: abc\r\n---\r\n\r\nTekst.\r\n")
	raw := []byte("---\nsource_hash: abc\ndescription: Een zin.\ntitle: 'Nieuw: beter'\nweight: 20\n---\n\nTekst.\n")
	got, err := mergeFile("content/nl/a.md", old, raw)
	if err != nil {
		t.Fatal(err)
	}
	want := "---\r\n# the page\r\ntitle: \"Nieuw: beter\"   # kept\r\ndescription: Een zin.\r\nsource_hash: abc\r\nweight: 20\r\n---\r\n\r\nTekst.\r\n"
	if string(got) != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

func TestBodyEditKeepsFrontMatter(t *testing.T) {
	old := []byte("---\ntitle: A   # c\ndescription: d\n---\n\nOld text.\n")
	got, err := mergeFile("content/nl/a.md", old, []byte("---\ndescription: d\ntitle: A\n---\n\nNew text.\n\n\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "---\ntitle: A   # c\ndescription: d\n---\n\nNew text.\n"; string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// Only the menus, footer links and contact of site.yaml may change.
func TestSiteYAMLEditableParts(t *testing.T) {
	old, err := os.ReadFile("../site.yaml")
	if err != nil {
		t.Fatal(err)
	}
	edit := func(f func(m map[string]any)) ([]byte, error) {
		var m map[string]any
		yaml.Unmarshal(old, &m)
		f(m)
		raw, _ := yaml.Marshal(m)
		return mergeFile("site.yaml", old, raw)
	}
	got, err := edit(func(m map[string]any) {
		m["contact"].(map[string]any)["phone"] = "+32 3 000 00 00"
		lang := m["languages"].([]any)[1].(map[string]any)
		lang["footer"].([]any)[0].(map[string]any)["title"] = "À propos"
	})
	if err != nil {
		t.Fatal(err)
	}
	d := changedLines(string(old), string(got))
	sort.Strings(d)
	if want := []string{"        title: À propos", "  phone: +32 3 000 00 00"}; strings.Join(d, "|") != strings.Join(want, "|") {
		t.Errorf("changed lines %q, want %q", d, want)
	}
	for name, f := range map[string]func(m map[string]any){
		"base_url":    func(m map[string]any) { m["base_url"] = "https://evil.example/" },
		"quote.to":    func(m map[string]any) { m["quote"].(map[string]any)["to"] = "x@evil.example" },
		"locale":      func(m map[string]any) { m["languages"].([]any)[0].(map[string]any)["locale"] = "xx" },
		"new headers": func(m map[string]any) { m["headers"] = map[string]any{"X": "y"} },
	} {
		if _, err := edit(f); err == nil || !strings.Contains(err.Error(), "cannot be changed") {
			t.Errorf("%s: got %v, want a refusal", name, err)
		}
	}
}

// changedLines lists the lines of got that are not in old.
func changedLines(old, got string) []string {
	have := map[string]bool{}
	for _, l := range strings.Split(old, "\n") {
		have[l] = true
	}
	var out []string
	for _, l := range strings.Split(got, "\n") {
		if !have[l] {
			out = append(out, l)
		}
	}
	return out
}

// A words file whose text holds a line separator (U+2028) before the
// edited key, saved through the backend, keeps every key once and
// changes the edited one only.
func TestWordsLineSeparator(t *testing.T) {
	dir := newSite(t)
	p := filepath.Join(dir, "content/nl/interface.yaml")
	old, _ := os.ReadFile(p)
	withLS := strings.Replace(string(old), "home: Home\n", "home: \"Home\u2028page\"\n", 1)
	os.WriteFile(p, []byte(withLS), 0o644)
	b := newBackend(t, dir)
	// Decap sends the words in its own order, without comments.
	raw := strings.Replace(strings.TrimPrefix(withLS, "# words\n"), "nav_label: \"Hoofdmenu\"", "nav_label: \"Het menu\"", 1)
	if code, out := call(t, b, "persistEntry", map[string]any{"dataFiles": []map[string]string{{"path": "content/nl/interface.yaml", "raw": raw}}, "options": map[string]any{}}); code != 200 {
		t.Fatalf("persistEntry: %d %s", code, out)
	}
	got, _ := os.ReadFile(p)
	if want := strings.Replace(withLS, "nav_label: \"Hoofdmenu\"", "nav_label: \"Het menu\"", 1); string(got) != want {
		t.Errorf("after the save:\n%q\nwant\n%q", got, want)
	}
}
