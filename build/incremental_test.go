package build

import (
	"bytes"
	"context"
	"fmt"
	"hash/maphash"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"kmopsite/testsite"
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
		if err := testsite.CopyTree(filepath.Join("..", src), filepath.Join(root, src)); err != nil {
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
	}{
		{"nothing", func() []Event { return nil }, always},
		{"edit a page's text", func() []Event {
			return e.replace("content/nl/faq.md", "\n\n", "\n\nEen nieuwe alinea voor de test.\n\n")
		}, 1}, // the page alone: no other page shows its text
		{"atomic save of a page", func() []Event {
			s := e.read("content/nl/audit.md")
			return e.atomicSave("content/nl/audit.md", strings.Replace(s, "\n\n", "\n\nNog een alinea.\n\n", 1))
		}, 1},
		{"edit a news post's title", func() []Event {
			return e.replace(news, "title: ", "title: Nieuw: ")
		}, always + 10}, // the post, its news list, its translations, the feed's section, the self-check, whose "read more" links name the post, and the site map, which lists every page
		{"edit a menu page's title", func() []Event {
			return e.replace("content/fr/kmop-norm.md", "title: ", "title: La ")
		}, 0},
		{"add a page", func() []Event {
			return e.write("content/nl/nieuw.md", "---\ntitle: Nieuw\ndescription: Een nieuwe pagina.\n---\n\nZie de [audit](audit.md#"+firstAnchor(t, e.read("content/nl/audit.md"))+").\n")
		}, always + 4},
		{"link to the new page", func() []Event {
			return e.replace("content/nl/faq.md", "Een nieuwe alinea", "Een [nieuwe](nieuw.md) alinea")
		}, 1},
		{"rename the new page", func() []Event {
			ev := e.rename("content/nl/nieuw.md", "content/nl/nieuwer.md")
			return append(ev, e.replace("content/nl/faq.md", "(nieuw.md)", "(nieuwer.md)")...)
		}, always + 6},
		{"break a page", func() []Event {
			return e.replace("content/nl/nieuwer.md", "title: Nieuw", "title: [Nieuw")
		}, always + 4},
		{"fix it", func() []Event {
			return e.replace("content/nl/nieuwer.md", "title: [Nieuw", "title: Nieuw")
		}, always + 4},
		{"delete a linked page", func() []Event { return e.remove("content/nl/nieuwer.md") }, always + 4},
		{"restore the link", func() []Event {
			return e.replace("content/nl/faq.md", "Een [nieuwe](nieuwer.md) alinea", "Een nieuwe alinea")
		}, 1},
		{"a page with a heading others link to", func() []Event {
			return e.write("content/nl/doel.md", "---\ntitle: Doel\ndescription: Het doel.\n---\n\n## Het doel\n\nTekst.\n")
		}, always + 4},
		{"link to its heading", func() []Event {
			return e.replace("content/nl/faq.md", "Een nieuwe alinea", "Een [doel](doel.md#het-doel) alinea")
		}, 1},
		// The page, the page with the link, and the pages that list it (its
		// home, the language chooser, the site map): their views of it hold
		// its headings.
		{"rename the heading: the link breaks", func() []Event {
			return e.replace("content/nl/doel.md", "## Het doel", "## Een ander doel")
		}, 5},
		{"restore the heading", func() []Event {
			return e.replace("content/nl/doel.md", "## Een ander doel", "## Het doel")
		}, 5},
		// A preview that was stale: a home that shows its pages' headings
		// showed the old heading after it was renamed.
		{"a home layout that shows its pages' headings", func() []Event {
			return e.replace("templates/layouts/home.html", "{{.Content}}",
				`{{.Content}}{{range .Pages}}<ul>{{range .Headings}}<li>{{.Text}}</li>{{end}}</ul>{{end}}`)
		}, 0},
		{"rename a heading the home shows, keeping its id", func() []Event {
			return e.replace("content/nl/doel.md", "## Het doel", "## Het doel van de audit {#het-doel}")
		}, 4}, // the page, the home, the language chooser, the site map
		{"a mistake in a page's text", func() []Event {
			return e.replace("content/nl/doel.md", "Tekst.", "Tekst met <b>HTML</b>.")
		}, 1},
		{"mended", func() []Event {
			return e.replace("content/nl/doel.md", "Tekst met <b>HTML</b>.", "Tekst.")
		}, 1},
		{"edit a home page's text", func() []Event {
			return e.replace("content/en/_index.md", "\n\n", "\n\nA new paragraph.\n\n")
		}, 1},
		{"a new folder with pages", func() []Event {
			ev := []Event{{"content/en/team", Create}}
			ev = append(ev, e.write("content/en/team/_index.md", "---\ntitle: Team\ndescription: Who we are.\n---\n\nThe team.\n")...)
			return append(ev, e.write("content/en/team/anna.md", "---\ntitle: Anna\ndescription: Auditor.\nweight: 1\n---\n\nAnna audits.\n")...)
		}, always + 6},
		{"rename the folder", func() []Event { return e.rename("content/en/team", "content/en/people") }, always + 6},
		{"delete the folder", func() []Event { return e.remove("content/en/people") }, always + 6},
		// A page in no menu: a menu page made a draft changes the menu of
		// every page of its language, and the menus list most pages.
		{"make a page a draft", func() []Event {
			return e.replace("content/nl/nieuws/2020-02-07-erkend-dienstverlener-worden.md", "title: ", "draft: true\ntitle: ")
		}, always + 6},
		{"change a slug", func() []Event {
			return e.replace("content/en/vrijstellingen.md", "---\n", "---\nslug: exemptions-test\n")
		}, 0},
		{"edit a layout", func() []Event {
			return e.replace("templates/layouts/post.html", "<article", "<article data-test")
		}, always + 12},
		{"break a layout", func() []Event {
			return e.replace("templates/layouts/post.html", "{{define", "{{definee")
		}, always},
		{"mend it", func() []Event {
			return e.replace("templates/layouts/post.html", "{{definee", "{{define")
		}, 0},
		{"edit a page's text after the mended layout", func() []Event {
			return e.replace("content/nl/faq.md", "alinea voor de test", "alinea voor de proef")
		}, 1},
		{"edit a partial", func() []Event {
			return e.replace("templates/partials/footer.html", "<footer", "<footer data-test")
		}, 0},
		{"edit the CSS", func() []Event {
			return e.write("assets/css/print.css", e.read("assets/css/print.css")+"\n.test-rule { color: #123456; }\n")
		}, 0},
		{"edit a script", func() []Event {
			return e.write("assets/js/quote/form.js", e.read("assets/js/quote/form.js")+"\nconsole.debug(\"test\");\n")
		}, 0},
		{"an editor's backup file", func() []Event {
			return append(e.write("content/nl/faq.md~", "backup"), e.write("templates/layouts/.page.html.swp", "swap")...)
		}, always},
		{"edit the interface words", func() []Event {
			return e.replace("content/fr/interface.yaml", "not_found_title: ", "not_found_title: Hélas, ")
		}, 0},
		{"edit the self-check words", func() []Event {
			return e.replace("content/en/selfcheck.yaml", "result_title: \"", "result_title: \"Test: ")
		}, 0},
		{"edit site.yaml", func() []Event {
			return e.replace("site.yaml", "\ntitle: ", "\ntitle: Test ")
		}, 0},
	}
	for _, step := range steps {
		ok := t.Run(step.name, func(t *testing.T) {
			e.t = t
			events := step.edit()
			ch := Plan(events, b.Known())
			r := b.Build(context.Background(), ch)
			sameBuild(t, r, opts)
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

// TestIncrementalCombinations builds every combination of a template that
// reads something of other pages (or of the site) with an edit an editor
// makes, in serve's mode and in build's: a Builder builds the site, the
// edit is made, the Builder builds again with the changes Plan makes of
// the edit's events, and the result must be a fresh build's, byte for
// byte. The site is in memory and small, so that the few hundred builds
// take seconds.
func TestIncrementalCombinations(t *testing.T) {
	base, err := txtar.ParseFile(filepath.Join("testdata", "base.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	site := map[string]string{}
	for _, f := range base.Files {
		site[f.Name] = string(f.Data)
	}
	for name, data := range map[string]string{
		"content/nl/diensten/_index.md":  "---\ntitle: Diensten\ndescription: Wat we doen.\nweight: 2\n---\nOnze diensten.\n",
		"content/nl/diensten/audit.md":   "---\ntitle: Audit\ndescription: De audit.\nweight: 1\ntoc: true\n---\n## Kosten\n\nZie [wie](../over.md#wie).\n\n## Duur {#duur}\n",
		"content/nl/diensten/advies.md":  "---\ntitle: Advies\ndescription: Het advies.\nweight: 2\n---\n## Aanpak\n\nTekst.\n",
		"content/nl/nieuws/_index.md":    "---\ntitle: Nieuws\ndescription: Het nieuws.\n---\n",
		"content/nl/nieuws/eerste.md":    "---\ntitle: Eerste\ndescription: Het eerste bericht.\ndate: 2026-01-02\n---\nNieuws.\n",
		"content/nl/concept.md":          "---\ntitle: Concept\ndescription: Nog niet klaar.\ndraft: true\n---\n## Schets\n",
		"content/fr/diensten/_index.md":  "---\ntitle: Services\ndescription: Ce que nous faisons.\n---\nNos services.\n",
		"content/fr/diensten/audit.md":   "---\ntitle: Audit\ndescription: L’audit.\n---\n## Coût\n",
		"templates/layouts/section.html": "{{define \"main\"}}<h1>{{.Page.Title}}</h1>\n{{.Content}}{{end}}\n",
	} {
		site[name] = data
	}

	// What the templates read, one variant at a time, on every page.
	reads := []struct{ name, tmpl string }{
		{"pages' headings", `{{range .Pages}}<li>{{.Title}} {{.URL}}{{range .Headings}} {{.Level}}:{{.ID}}:{{.Text}}{{end}}</li>{{end}}`},
		{"pages' views", `{{range .Pages}}{{printf "%+v" .}}{{end}}`},
		{"pages' front matter", `{{range .Pages}}{{.Front.Description}} {{.Front.Date}} {{.IsNews}} {{.Front.Weight}} {{.Layout}} {{.Kind}}{{end}}`},
		{"menu's pages", `{{range .Menu}}{{.Title}} {{.URL}} {{printf "%+v" .Page}}{{end}}{{range .Footer}}{{.Title}}{{end}}`},
		{"crumbs", `{{range .Crumbs}}{{printf "%+v" .}}{{end}}`},
		{"languages and alternates", `{{range .Languages}}{{printf "%+v" .}}{{end}}{{range .Alternates}}{{printf "%+v" .}}{{end}}`},
		{"the page and the site", `{{printf "%+v" .Page}} {{.Feed}} {{.Canonical}} {{.SiteTitle}} {{.W.T "home"}} {{.Dev}} {{.NoIndex}}`},
	}
	edits := []struct {
		name string
		edit func(fsys fstest.MapFS) []Event
	}{
		{"rename a heading", replaceIn("content/nl/over.md", "## Wat we doen", "## Wat we nu doen")},
		{"rename a heading, keeping its id", replaceIn("content/nl/over.md", "## Wie we zijn {#wie}", "## Wie we echt zijn {#wie}")},
		{"change a heading's id: a link breaks", replaceIn("content/nl/over.md", "{#wie}", "{#wij}")},
		{"change the text alone", replaceIn("content/nl/diensten/advies.md", "Tekst.", "Andere tekst.")},
		{"change the text of a page with a link", replaceIn("content/nl/diensten/audit.md", "Zie [wie]", "Lees [wie]")},
		{"save a page unchanged", replaceIn("content/nl/over.md", "Over ons", "Over ons")},
		{"change a title", replaceIn("content/nl/diensten/audit.md", "title: Audit", "title: De audit")},
		{"change a description", replaceIn("content/nl/diensten/advies.md", "description: Het advies.", "description: Ons advies.")},
		{"change a section's title", replaceIn("content/nl/diensten/_index.md", "title: Diensten", "title: Onze diensten")},
		{"change a weight", replaceIn("content/nl/diensten/advies.md", "weight: 2", "weight: 0")},
		{"change a slug", replaceIn("content/nl/diensten/audit.md", "weight: 1\n", "weight: 1\nslug: keuring\n")},
		{"change a section's slug", replaceIn("content/nl/diensten/_index.md", "weight: 2\n", "weight: 2\nslug: aanbod\n")},
		{"change a post's date", replaceIn("content/nl/nieuws/eerste.md", "2026-01-02", "2026-01-03")},
		{"make a page a draft", replaceIn("content/nl/diensten/advies.md", "weight: 2\n", "weight: 2\ndraft: true\n")},
		{"publish a draft", replaceIn("content/nl/concept.md", "draft: true\n", "")},
		{"add a page", writeIn("content/nl/diensten/nieuw.md", "---\ntitle: Nieuw\ndescription: Een nieuwe dienst.\n---\n## Inhoud\n")},
		{"add a translation", writeIn("content/fr/diensten/advies.md", "---\ntitle: Conseil\ndescription: Le conseil.\n---\n## Approche\n")},
		{"delete a page", func(fsys fstest.MapFS) []Event {
			delete(fsys, "content/nl/diensten/advies.md")
			return []Event{{"content/nl/diensten/advies.md", Remove}}
		}},
		{"rename a page", func(fsys fstest.MapFS) []Event {
			fsys["content/nl/diensten/raad.md"] = fsys["content/nl/diensten/advies.md"]
			delete(fsys, "content/nl/diensten/advies.md")
			return []Event{{"content/nl/diensten/advies.md", Rename}, {"content/nl/diensten/raad.md", Create}}
		}},
		{"change the menu", replaceIn("site.yaml", "      - page: over.md\n  - code: fr", "      - page: over.md\n      - page: diensten/audit.md\n        title: Audit\n  - code: fr")},
		{"change a menu page's title", replaceIn("content/nl/over.md", "title: Over ons", "title: Over ons bureau")},
		{"change a word", replaceIn("content/nl/interface.yaml", `home: "Home"`, `home: "Start"`)},
	}
	for _, drafts := range []bool{true, false} {
		for _, rd := range reads {
			for _, ed := range edits {
				name := fmt.Sprintf("%s/%s/drafts=%v", rd.name, ed.name, drafts)
				t.Run(name, func(t *testing.T) {
					fsys := fstest.MapFS{}
					for name, data := range site {
						fsys[name] = &fstest.MapFile{Data: []byte(data)}
					}
					fsys["templates/base.html"].Data = bytes.Replace(fsys["templates/base.html"].Data,
						[]byte("</body>"), []byte(`<div class="reads">`+rd.tmpl+"</div>\n</body>"), 1)
					opts := Options{FS: fsys, Drafts: drafts, NoWasm: true}
					b := NewBuilder(opts)
					defer b.Close()
					if r := b.Build(context.Background(), Changes{}); !r.OK() {
						t.Fatalf("the site has errors:\n%s", r.Diagnostics.Format(10))
					}
					ch := Plan(ed.edit(fsys), b.Known())
					sameBuild(t, b.Build(context.Background(), ch), opts)
				})
			}
		}
	}
}

// replaceIn is an edit that replaces old by new once in a file.
func replaceIn(file, old, new string) func(fstest.MapFS) []Event {
	return func(fsys fstest.MapFS) []Event {
		f := fsys[file]
		if f == nil || !bytes.Contains(f.Data, []byte(old)) {
			panic(file + " does not contain " + old)
		}
		fsys[file] = &fstest.MapFile{Data: bytes.Replace(f.Data, []byte(old), []byte(new), 1)}
		return []Event{{file, Write}}
	}
}

// writeIn is an edit that makes a new file.
func writeIn(file, data string) func(fstest.MapFS) []Event {
	return func(fsys fstest.MapFS) []Event {
		fsys[file] = &fstest.MapFile{Data: []byte(data)}
		return []Event{{file, Create | Write}}
	}
}

// TestKeys proves that the key of a rendering covers everything a
// template can reach: pageData makes a layout's data of the config, the
// words, the assets and the page's inputs (pageInputs) alone, and changing
// any value in the inputs, the views of other pages included, changes the
// key. A field added to pageInputs, PageView, FrontMatter, Heading or
// MenuLink that the key does not cover fails here.
func TestKeys(t *testing.T) {
	k := &keys{seed: maphash.MakeSeed(), src: &sources{}, views: map[*PageView]sum{}}
	view := func() *PageView {
		return &PageView{File: "content/nl/a.md", Lang: "nl", Kind: KindSection, URL: "/nl/a/", Layout: "section",
			Front:    FrontMatter{Title: "A", Description: "D", Weight: 1, Date: "2026-01-02", Aliases: []string{"/a"}},
			Headings: []Heading{{Level: 2, ID: "x", Text: "X"}}}
	}
	inputs := func() *pageInputs {
		return &pageInputs{Page: view(), Translations: []*PageView{view()}, Homes: []*PageView{view()},
			Crumbs: []*PageView{view()}, Pages: []*PageView{view()}, Search: view(), Menu: []MenuLink{{"M", "/m/", view()}},
			Footer: []MenuLink{{"F", "/f/", view()}}, Feed: "/nl/a/index.xml"}
	}
	key := func(in *pageInputs) sum { return k.layout(in, "page").sum }

	base := key(inputs())
	var paths [][]int
	var names []string
	var walk func(v reflect.Value, path []int, name string)
	walk = func(v reflect.Value, path []int, name string) {
		switch v.Kind() {
		case reflect.Pointer:
			walk(v.Elem(), path, name)
		case reflect.Struct:
			for i := range v.NumField() {
				f := v.Type().Field(i)
				if !f.IsExported() {
					t.Fatalf("%s.%s: a template cannot read it, so it has no place here", name, f.Name)
				}
				walk(v.Field(i), append(slices.Clone(path), i), name+"."+f.Name)
			}
		case reflect.Slice:
			if v.Len() == 0 {
				t.Fatalf("%s is empty in the test's data: give it an element", name)
			}
			walk(v.Index(0), append(slices.Clone(path), 0), name+"[0]")
		case reflect.String, reflect.Bool, reflect.Int, reflect.Uint8:
			paths = append(paths, path)
			names = append(names, name)
		default:
			t.Fatalf("%s: a %s, which the test cannot change", name, v.Kind())
		}
	}
	walk(reflect.ValueOf(inputs()), nil, "pageInputs")
	for i, path := range paths {
		in := inputs()
		v := reflect.ValueOf(in)
		for _, step := range path {
			v = reflect.Indirect(v)
			if v.Kind() == reflect.Slice {
				v = v.Index(step)
			} else {
				v = v.Field(step)
			}
		}
		switch v.Kind() {
		case reflect.String:
			v.SetString(v.String() + "x")
		case reflect.Bool:
			v.SetBool(!v.Bool())
		case reflect.Int:
			v.SetInt(v.Int() + 1)
		default:
			v.SetUint(v.Uint() + 1)
		}
		if key(in) == base {
			t.Errorf("%s is not in the key of a rendering (keys.layout, viewKey)", names[i])
		}
	}
	if len(paths) < 40 {
		t.Fatalf("only %d values reached: the walk is broken", len(paths))
	}

	// The self-check's data: each field is made of the words files (keyed
	// by them) or written into the key.
	ofWords := map[string]bool{"Words": true, "Quote": true, "Questions": true, "Pages": true, "Total": true, "Kinds": true,
		"Verdicts": true, "Blockers": true, "Warnings": true, "Tracks": true, "Requirements": true, "Exemptions": true,
		"Steps": true, "Statuses": true, "Form": true, "Audits": true, "Documents": true, "ConsentBefore": true, "ConsentAfter": true}
	sc := func() *SelfcheckData {
		return &SelfcheckData{Links: map[string]string{"steps.a": "/nl/a/"}, Endpoint: "/api/quote", Privacy: "/nl/privacy/",
			SelfcheckURL: "/nl/zelftest/", QuoteURL: "/nl/offerte/", MailTo: "a@b.be"}
	}
	scBase := k.selfcheck("nl", sc())
	for f := range reflect.TypeFor[SelfcheckData]().Fields() {
		if ofWords[f.Name] {
			continue
		}
		d := sc()
		v := reflect.ValueOf(d).Elem().FieldByIndex(f.Index)
		switch v.Kind() {
		case reflect.String:
			v.SetString(v.String() + "x")
		case reflect.Map:
			v.SetMapIndex(reflect.ValueOf("steps.a"), reflect.ValueOf("/nl/b/"))
		default:
			t.Fatalf("SelfcheckData.%s: a %s; say whether it is made of the words or key it in keys.selfcheck", f.Name, v.Kind())
		}
		if k.selfcheck("nl", d) == scBase {
			t.Errorf("SelfcheckData.%s is not in its key (keys.selfcheck)", f.Name)
		}
	}
}

// TestIncrementalLeftOut proves that the links to a page left out of the
// build (scheduled) are resolved again when that page changes: its new
// date is the one the link's error names, as in a fresh build. (The link
// step once kept the links of the last build whenever the pages it built
// kept their front matter, and a left-out page is not among them.)
func TestIncrementalLeftOut(t *testing.T) {
	base, err := txtar.ParseFile(filepath.Join("testdata", "base.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range base.Files {
		fsys[f.Name] = &fstest.MapFile{Data: bytes.Clone(f.Data)}
	}
	fsys["content/nl/gepland.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Gepland\ndescription: Later.\ndate: 2026-12-05\n---\nTekst.\n")}
	fsys["content/nl/over.md"].Data = append(fsys["content/nl/over.md"].Data, "\nZie [gepland](gepland.md).\n"...)
	opts := Options{FS: fsys, NoWasm: true, Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	b := NewBuilder(opts)
	defer b.Close()
	if got := b.Build(context.Background(), Changes{}).Diagnostics.Format(0); !strings.Contains(got, "scheduled for 2026-12-05") {
		t.Fatalf("the link to the scheduled page is not reported:\n%s", got)
	}
	ch := Plan(replaceIn("content/nl/gepland.md", "2026-12-05", "2026-12-09")(fsys), b.Known())
	got, want := b.Build(context.Background(), ch).Diagnostics.Format(0), Run(context.Background(), opts).Diagnostics.Format(0)
	if got != want || !strings.Contains(got, "scheduled for 2026-12-09") {
		t.Errorf("after the scheduled page's date changed:\n%s\na fresh build:\n%s", got, want)
	}
}
