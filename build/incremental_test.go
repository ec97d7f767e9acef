package build

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// editor changes a copy of the site on disk the way editors and their
// tools do, and returns the file events a watcher would report.
type editor struct {
	t    *testing.T
	root string
}

func (e editor) path(p string) string { return filepath.Join(e.root, filepath.FromSlash(p)) }

func (e editor) read(p string) string {
	data, err := os.ReadFile(e.path(p))
	if err != nil {
		e.t.Fatal(err)
	}
	return string(data)
}

// write saves in place: truncate and write.
func (e editor) write(p, data string) []Event {
	op := Write
	if _, err := os.Stat(e.path(p)); err != nil {
		op = Create | Write
	}
	if err := os.MkdirAll(filepath.Dir(e.path(p)), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(e.path(p), []byte(data), 0o644); err != nil {
		e.t.Fatal(err)
	}
	return []Event{{p, op}}
}

// replace edits a file in place, replacing old by new once.
func (e editor) replace(p, old, new string) []Event {
	s := e.read(p)
	if !strings.Contains(s, old) {
		e.t.Fatalf("%s does not contain %q", p, old)
	}
	return e.write(p, strings.Replace(s, old, new, 1))
}

// atomicSave writes a temporary file beside the file and renames it over
// the file, as most editors save.
func (e editor) atomicSave(p, data string) []Event {
	dir, base := filepath.Dir(p), filepath.Base(p)
	tmp := filepath.ToSlash(filepath.Join(dir, "."+base+".tmp1234"))
	if err := os.WriteFile(e.path(tmp), []byte(data), 0o644); err != nil {
		e.t.Fatal(err)
	}
	if err := os.Rename(e.path(tmp), e.path(p)); err != nil {
		e.t.Fatal(err)
	}
	return []Event{{tmp, Create}, {tmp, Write}, {tmp, Rename}, {p, Create}}
}

func (e editor) remove(p string) []Event {
	if err := os.RemoveAll(e.path(p)); err != nil {
		e.t.Fatal(err)
	}
	return []Event{{p, Remove}} // for a folder, the watcher may report the folder alone
}

func (e editor) rename(from, to string) []Event {
	if err := os.Rename(e.path(from), e.path(to)); err != nil {
		e.t.Fatal(err)
	}
	return []Event{{from, Rename}, {to, Create}}
}

// copySite copies the repository's site (site.yaml, content, templates,
// assets) into a temporary folder; assess/ is there, empty, so that the
// self-check's words are read.
func copySite(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, src := range []string{"site.yaml", "content", "templates", "assets"} {
		err := filepath.WalkDir(filepath.Join("..", src), func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel("..", p)
			if d.IsDir() {
				return os.MkdirAll(filepath.Join(root, rel), 0o755)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(root, rel), data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(root, "assess"), 0o755); err != nil {
		t.Fatal(err)
	}
	return root
}

// sameBuild fails unless the incremental result equals a fresh full build
// of the same sources: the same files, byte for byte, the same headers and
// the same diagnostics.
func sameBuild(t *testing.T, got *Result, opts Options) {
	t.Helper()
	want := Run(context.Background(), opts)
	if g, w := got.Diagnostics.Format(0), want.Diagnostics.Format(0); g != w {
		t.Errorf("diagnostics differ from a full build\nincremental:\n%s\nfull:\n%s", g, w)
	}
	var names []string
	for name := range want.Files {
		names = append(names, name)
	}
	for name := range got.Files {
		if _, ok := want.Files[name]; !ok {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	diffs := 0
	for _, name := range names {
		g, gok := got.Files[name]
		w, wok := want.Files[name]
		switch {
		case !gok:
			t.Errorf("%s: missing from the incremental build", name)
		case !wok:
			t.Errorf("%s: in the incremental build, not in a full one", name)
		case !bytes.Equal(g, w):
			t.Errorf("%s differs from a full build:\n%s", name, firstDiff(string(g), string(w)))
		default:
			continue
		}
		if diffs++; diffs == 5 {
			t.Fatal("… and more")
		}
	}
	if fmt.Sprint(got.Headers) != fmt.Sprint(want.Headers) {
		t.Errorf("headers differ:\n%v\n%v", got.Headers, want.Headers)
	}
	if len(got.Pages) != len(want.Pages) {
		t.Errorf("%d pages, a full build has %d", len(got.Pages), len(want.Pages))
	}
}

// firstDiff shows the first line where two texts differ.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n  incremental: %.300s\n  full:        %.300s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(al), len(bl))
}

// TestIncremental replays editors' changes, one after the other, on a copy
// of the site, and after each compares the incremental build with a full
// build. It also bounds how many pages each change renders again.
func TestIncremental(t *testing.T) {
	root := copySite(t)
	e := editor{t, root}
	opts := Options{Source: root, Drafts: true, NoWasm: true}
	b := NewBuilder(opts)
	defer b.Close()
	first := b.Build(context.Background(), Changes{})
	if !first.OK() {
		t.Logf("the site has errors; the builds must still agree:\n%s", first.Diagnostics.Format(10))
	}
	total := first.Rendered
	if total < len(first.Pages) {
		t.Fatalf("the first build rendered %d pages of %d", total, len(first.Pages))
	}
	// Nothing is rendered again when nothing changed.
	const always = 0

	news := "content/nl/nieuws/2026-01-26-hervorming-advies.md"
	steps := []struct {
		name string
		edit func() []Event
		// most pages the change may render; 0: no bound (it touches all)
		most int
		// the change is to the text of pages alone: the build patches
		// the last one
		patch bool
	}{
		{"nothing", func() []Event { return nil }, always, false},
		{"edit a page's text", func() []Event {
			return e.replace("content/nl/faq.md", "\n\n", "\n\nEen nieuwe alinea voor de test.\n\n")
		}, 1, true}, // the page alone: no other page shows its text
		{"atomic save of a page", func() []Event {
			s := e.read("content/nl/audit.md")
			return e.atomicSave("content/nl/audit.md", strings.Replace(s, "\n\n", "\n\nNog een alinea.\n\n", 1))
		}, 1, true},
		{"edit a news post's title", func() []Event {
			return e.replace(news, "title: ", "title: Nieuw: ")
		}, always + 9, false}, // the post, its news list, its translations, the feed's section, and the self-check, whose "read more" links name the post
		{"edit a menu page's title", func() []Event {
			return e.replace("content/fr/kmop-norm.md", "title: ", "title: La ")
		}, 0, false},
		{"add a page", func() []Event {
			return e.write("content/nl/nieuw.md", "---\ntitle: Nieuw\ndescription: Een nieuwe pagina.\n---\n\nZie de [audit](audit.md#"+firstAnchor(t, e.read("content/nl/audit.md"))+").\n")
		}, always + 4, false},
		{"link to the new page", func() []Event {
			return e.replace("content/nl/faq.md", "Een nieuwe alinea", "Een [nieuwe](nieuw.md) alinea")
		}, 1, true},
		{"rename the new page", func() []Event {
			ev := e.rename("content/nl/nieuw.md", "content/nl/nieuwer.md")
			return append(ev, e.replace("content/nl/faq.md", "(nieuw.md)", "(nieuwer.md)")...)
		}, always + 6, false},
		{"break a page", func() []Event {
			return e.replace("content/nl/nieuwer.md", "title: Nieuw", "title: [Nieuw")
		}, always + 4, false},
		{"fix it", func() []Event {
			return e.replace("content/nl/nieuwer.md", "title: [Nieuw", "title: Nieuw")
		}, always + 4, false},
		{"delete a linked page", func() []Event { return e.remove("content/nl/nieuwer.md") }, always + 4, false},
		{"restore the link", func() []Event {
			return e.replace("content/nl/faq.md", "Een [nieuwe](nieuwer.md) alinea", "Een nieuwe alinea")
		}, 1, true},
		{"a page with a heading others link to", func() []Event {
			return e.write("content/nl/doel.md", "---\ntitle: Doel\ndescription: Het doel.\n---\n\n## Het doel\n\nTekst.\n")
		}, always + 4, false},
		{"link to its heading", func() []Event {
			return e.replace("content/nl/faq.md", "Een nieuwe alinea", "Een [doel](doel.md#het-doel) alinea")
		}, 1, true},
		{"rename the heading: the link breaks", func() []Event {
			return e.replace("content/nl/doel.md", "## Het doel", "## Een ander doel")
		}, 2, true},
		{"restore the heading", func() []Event {
			return e.replace("content/nl/doel.md", "## Een ander doel", "## Het doel")
		}, 2, true},
		{"a mistake in a page's text", func() []Event {
			return e.replace("content/nl/doel.md", "Tekst.", "Tekst met <b>HTML</b>.")
		}, 1, true},
		{"mended", func() []Event {
			return e.replace("content/nl/doel.md", "Tekst met <b>HTML</b>.", "Tekst.")
		}, 1, true},
		{"edit a home page's text", func() []Event {
			return e.replace("content/en/_index.md", "\n\n", "\n\nA new paragraph.\n\n")
		}, 1, true},
		{"a new folder with pages", func() []Event {
			ev := []Event{{"content/en/team", Create}}
			ev = append(ev, e.write("content/en/team/_index.md", "---\ntitle: Team\ndescription: Who we are.\n---\n\nThe team.\n")...)
			return append(ev, e.write("content/en/team/anna.md", "---\ntitle: Anna\ndescription: Auditor.\nweight: 1\n---\n\nAnna audits.\n")...)
		}, always + 6, false},
		{"rename the folder", func() []Event { return e.rename("content/en/team", "content/en/people") }, always + 6, false},
		{"delete the folder", func() []Event { return e.remove("content/en/people") }, always + 6, false},
		{"make a page a draft", func() []Event {
			return e.replace("content/nl/starters.md", "title: ", "draft: true\ntitle: ")
		}, always + 6, false},
		{"change a slug", func() []Event {
			return e.replace("content/en/vrijstellingen.md", "---\n", "---\nslug: exemptions-test\n")
		}, 0, false},
		{"edit a layout", func() []Event {
			return e.replace("templates/layouts/post.html", "<article", "<article data-test")
		}, always + 12, false},
		{"edit a partial", func() []Event {
			return e.replace("templates/partials/footer.html", "<footer", "<footer data-test")
		}, 0, false},
		{"edit the CSS", func() []Event {
			return e.write("assets/css/print.css", e.read("assets/css/print.css")+"\n.test-rule { color: #123456; }\n")
		}, 0, false},
		{"edit a script", func() []Event {
			return e.write("assets/js/reload.js", e.read("assets/js/reload.js")+"\nconsole.debug(\"test\");\n")
		}, 0, false},
		{"an editor's backup file", func() []Event {
			return append(e.write("content/nl/faq.md~", "backup"), e.write("templates/layouts/.page.html.swp", "swap")...)
		}, always, false},
		{"edit the interface words", func() []Event {
			return e.replace("content/fr/interface.yaml", "not_found_title: ", "not_found_title: Hélas, ")
		}, 0, false},
		{"edit the self-check words", func() []Event {
			return e.replace("content/en/selfcheck.yaml", "result_title: \"", "result_title: \"Test: ")
		}, 0, false},
		{"edit site.yaml", func() []Event {
			return e.replace("site.yaml", "title: Kiwa KMOP-audit", "title: Kiwa KMOP-audit test")
		}, 0, false},
	}
	for _, step := range steps {
		ok := t.Run(step.name, func(t *testing.T) {
			e.t = t
			events := step.edit()
			ch := Plan(events, b.Known())
			patches := b.patches
			r := b.Build(context.Background(), ch)
			sameBuild(t, r, opts)
			if patched := b.patches > patches; patched != step.patch {
				t.Errorf("patched the last build: %v, want %v", patched, step.patch)
			}
			if step.most > 0 && r.Rendered > step.most {
				t.Errorf("rendered %d pages, expected at most %d (changes %+v)", r.Rendered, step.most, ch)
			}
		})
		if !ok {
			break
		}
	}
}

// firstAnchor is the id of the first level-2 heading of a page with toc,
// so that a test link to it resolves.
func firstAnchor(t *testing.T, md string) string {
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "## ") {
			return slugify(strings.TrimPrefix(line, "## "))
		}
	}
	t.Fatal("no level-2 heading")
	return ""
}

// TestDraftsNotBuilt proves that a draft is shown by serve and never
// written by build.
func TestDraftsNotBuilt(t *testing.T) {
	root := copySite(t)
	e := editor{t, root}
	e.replace("content/nl/starters.md", "title: ", "draft: true\ntitle: ")
	dest := filepath.Join(t.TempDir(), "public")
	built := Run(context.Background(), Options{Source: root, Dest: dest, NoWasm: true})
	for name := range built.Files {
		if strings.Contains(name, "starters") && strings.HasPrefix(name, "nl/") {
			t.Errorf("build wrote the draft as %s", name)
		}
	}
	if bytes.Contains(built.Files["sitemap.xml"], []byte("/nl/starters/")) {
		t.Error("the sitemap lists the draft")
	}
	served := Run(context.Background(), Options{Source: root, Drafts: true, NoWasm: true})
	var draft []byte
	for name, data := range served.Files {
		if strings.HasPrefix(name, "nl/") && strings.Contains(name, "starters") {
			draft = data
		}
	}
	if draft == nil {
		t.Fatal("serve left the draft out")
	}
	if !bytes.Contains(draft, []byte(`class="draft-banner"`)) {
		t.Error("the draft has no draft banner")
	}
}
