package build

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"kmopsite/settings"
)

// templates holds the parsed layouts, each a clone of base plus partials.
type templates struct {
	layouts map[string]*template.Template
}

// loadTemplates parses templates/base.html, templates/partials/*.html and
// one template per templates/layouts/*.html.
func loadTemplates(fsys fs.FS) (*templates, Diagnostics) {
	var diags Diagnostics
	common := template.New("").Funcs(templateFuncs)
	read := func(name string) string {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			diags = append(diags, Diagnostic{File: name, Msg: "cannot read template: " + err.Error(),
				Hint: "every page is built on " + name + ": restore it from the site's history"})
		}
		return string(data)
	}
	parse := func(t *template.Template, name string) {
		if _, err := t.New(name).Parse(read(name)); err != nil {
			diags = append(diags, templateDiag(fsys, err))
		}
	}
	parse(common, "templates/base.html")
	partials, _ := fs.Glob(fsys, "templates/partials/*.html")
	for _, p := range partials {
		parse(common, p)
	}
	t := &templates{layouts: map[string]*template.Template{}}
	layouts, _ := fs.Glob(fsys, "templates/layouts/*.html")
	for _, l := range layouts {
		clone, err := common.Clone()
		if err != nil {
			diags = append(diags, templateDiag(fsys, err))
			continue
		}
		parse(clone, l)
		t.layouts[strings.TrimSuffix(path.Base(l), ".html")] = clone
	}
	if len(diags) > 0 {
		return nil, diags
	}
	return t, nil
}

func (t *templates) names() []string {
	var n []string
	for k := range t.layouts {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// execute renders a layout; template errors become diagnostics at the
// template's line.
func (t *templates) execute(fsys fs.FS, layout string, data any) ([]byte, *Diagnostic) {
	tmpl := t.layouts[layout]
	buf := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(buf)
	buf.Reset()
	if err := tmpl.ExecuteTemplate(buf, "templates/base.html", data); err != nil {
		d := templateDiag(fsys, err)
		return nil, &d
	}
	return bytes.Clone(buf.Bytes()), nil // the pool's buffer, grown once, is used again
}

// templateErr matches "template: NAME:LINE:COL: msg" and "template: NAME:LINE: msg".
var templateErr = regexp.MustCompile(`template: ([^:]+):(\d+)(?::(\d+))?: (.*)`)

// templateDiag turns an html/template error into a position in the
// template file.
func templateDiag(fsys fs.FS, err error) Diagnostic {
	m := templateErr.FindStringSubmatch(err.Error())
	if m == nil {
		return Diagnostic{File: "templates", Msg: err.Error()}
	}
	file := m[1]
	line, _ := strconv.Atoi(m[2])
	col, _ := strconv.Atoi(m[3])
	msg := m[4]
	// Execution errors name the template again: keep the message only.
	if i := strings.Index(msg, ": "); strings.HasPrefix(msg, "executing ") && i >= 0 {
		msg = msg[i+2:]
	}
	data, _ := fs.ReadFile(fsys, file)
	d := source{path: file, data: data}.at(line, max(col, 1), "", "template: %s", msg)
	d.Hint = templateHint(msg)
	return d
}

func templateHint(msg string) string {
	switch {
	case strings.Contains(msg, "can't evaluate field"):
		return "the field does not exist on this value; see docs/architecture.md for what templates receive"
	case strings.Contains(msg, "function") && strings.Contains(msg, "not defined"):
		return "the function does not exist; see templateFuncs in build/render.go"
	case strings.Contains(msg, "unexpected EOF"), strings.Contains(msg, "unexpected {{end}}"):
		return "check that every {{if}}, {{range}}, {{with}} and {{define}} has its {{end}}"
	case strings.Contains(msg, "no such template"):
		return "check the template's name; partials are named by their path, such as templates/partials/header.html"
	}
	return ""
}

var templateFuncs = template.FuncMap{
	"datefmt": func(date string, months string) string {
		// "2026-02-01" → "1 februari 2026", with the language's month names.
		var y, m, d int
		if _, err := fmt.Sscanf(date, "%d-%d-%d", &y, &m, &d); err != nil {
			return date
		}
		names := strings.Fields(months)
		if m < 1 || m > len(names) {
			return date
		}
		return fmt.Sprintf("%d %s %d", d, names[m-1], y)
	},
	"replace":      func(s, old, new string) string { return strings.ReplaceAll(s, old, new) },
	"estimate":     standardEstimate,
	"estimateJSON": estimateJSON,
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
}

// PageView is what a template sees of a page, its own (.Page) or another
// (.Pages, .Crumbs, .Menu): values made by the link step, with no pointer
// to the Page, its parsed Markdown or other pages, so that the key of a
// rendering (keys.view) covers everything a template can reach.
type PageView struct {
	File     string // content/nl/kmop-norm.md
	Lang     string // nl
	Kind     Kind
	URL      string // /nl/kmop-norm/
	Layout   string
	Front    FrontMatter
	Headings []Heading // level 2 and 3
	// Scheduled: dated after the day of the build; only a preview
	// (serve) renders such a page, with a banner.
	Scheduled bool
}

// Title is the page's title.
func (v *PageView) Title() string { return v.Front.Title }

// IsNews reports whether the page is a dated post.
func (v *PageView) IsNews() bool { return v.Front.Date != "" && v.Kind == KindPage }

// PageData is what every layout receives. docs/architecture.md lists it
// for template authors. Other pages are in it as views (PageView) only.
type PageData struct {
	Page       *PageView
	Lang       *settings.Language
	Site       *settings.Site
	SiteTitle  string         // the site's title in the page's language
	Content    template.HTML  // the rendered Markdown
	W          InterfaceWords // the interface words of the page's language
	Menu       []MenuLink
	Footer     []MenuLink  // the footer's links
	Alternates []Alternate // hreflang links, x-default last
	Languages  []Alternate // the language switch: the translation, else that language's home
	Crumbs     []*PageView // from home down to the page's section
	Canonical  string
	Assets     map[string]Asset // "site.css", "site.js", "selfcheck.js", "assess.wasm", "wasm_exec.js", …
	Pages      []*PageView      // a section's pages; the site map's: every page of its language
	Search     *PageView        // the language's search page (layout search), nil when there is none
	Feed       string           // the news feed of the page's language, if any
	NoIndex    bool             // 404, the language chooser and the search pages
	Dev        bool             // rendered by serve: drafts shown, live reload
	Extra      any              // per-layout data, such as the self-check's words
}

// noIndex reports whether pages of a layout are kept out of search
// engines and the sitemap: a page of search results is a tool, not content.
func noIndex(layout string) bool { return layout == "search" }

// IsCurrent reports whether a menu link is the page or one of its sections.
func (d *PageData) IsCurrent(url string) bool {
	if url == d.Page.URL {
		return true
	}
	home := "/" + d.Page.Lang + "/"
	return url != home && strings.HasPrefix(d.Page.URL, url)
}

// checkLayouts reports pages whose layout has no template.
func checkLayouts(s *site, t *templates) Diagnostics {
	var diags Diagnostics
	for _, p := range s.pages {
		if _, ok := t.layouts[p.Layout]; ok {
			continue
		}
		line, col := p.frontValue("layout")
		hint := didYouMean(p.Layout, t.names())
		if hint == "" {
			hint = "use one of: " + strings.Join(t.names(), ", ")
		}
		diags = append(diags, p.src.at(line, col, hint, "unknown layout %q", p.Layout))
	}
	return diags
}

// renderPage renders one page: its Markdown with its resolved links, then
// its layout with data (whose Content it sets).
func renderPage(fsys fs.FS, t *templates, p *Page, dests Dests, data *PageData) ([]byte, *Diagnostic) {
	data.Content = template.HTML(p.body.fill(p.links, dests))
	page, d := t.execute(fsys, p.Layout, data)
	if d != nil {
		d.Rendering = p.File
		return nil, d
	}
	return page, nil
}

// specialPage is a page without a Markdown file: its layout, its data and
// the files it is written to.
type specialPage struct {
	layout string
	in     *pageInputs
	data   *PageData
	files  []string
}

// specialPages are the 404 page of each language (the default language's
// at the root too) and the language chooser at the root.
func specialPages(s *site, t *templates, b *bundle, words map[string]InterfaceWords, dev bool) []specialPage {
	var out []specialPage
	// 404 pages: one per language, the default language's at the root too.
	for _, l := range s.cfg.Languages {
		home := s.home[l.Code]
		if home == nil {
			continue
		}
		if _, ok := t.layouts["404"]; !ok {
			break
		}
		w := words[l.Code]
		np := &Page{Lang: l.Code, Rel: "404.md", URL: "/" + l.Code + "/404.html", Layout: "404", Section: home,
			Front: FrontMatter{Title: w.T("not_found_title"), Description: w.T("not_found_text")}}
		for _, o := range s.cfg.Languages {
			if h := s.home[o.Code]; h != nil && o.Code != l.Code {
				np.Translations = append(np.Translations, &Page{Lang: o.Code, URL: h.URL})
			}
		}
		in := s.inputs(np)
		data := pageData(s.cfg, in, b.assets, w, dev)
		data.NoIndex = true
		files := []string{l.Code + "/404.html"}
		if l.Code == s.cfg.DefaultLang().Code {
			files = append(files, "404.html")
		}
		out = append(out, specialPage{layout: "404", in: in, data: data, files: files})
	}
	// The root: a language chooser, for visitors and crawlers that come
	// without a language.
	if def := s.home[s.cfg.DefaultLang().Code]; def != nil {
		if _, ok := t.layouts["languages"]; ok {
			in := s.inputs(def)
			data := pageData(s.cfg, in, b.assets, words[def.Lang], dev)
			data.NoIndex = true
			data.Canonical = s.cfg.AbsURL("/")
			out = append(out, specialPage{layout: "languages", in: in, data: data, files: []string{"index.html"}})
		}
	}
	return out
}

// pageInputs is all pageData reads of the site for one page: the page and
// the pages it shows, as views, and its language's menus and feed. The
// key of a page's rendering is computed from them (keys.layout), without
// making the page's data.
type pageInputs struct {
	Page         *PageView
	Translations []*PageView // in site order
	Homes        []*PageView // each language's home page in site order, nil where there is none
	Crumbs       []*PageView // from home down to the page's section
	Pages        []*PageView // a section's pages; the site map's (layout sitemap): every page of its language
	Search       *PageView   // the language's search page, nil when there is none
	Menu, Footer []MenuLink
	Feed         string
	Alternates   bool // the page is written to a file of its own, with hreflang links
}

// inputs are what pageData reads of the site for p.
func (s *site) inputs(p *Page) *pageInputs {
	in := &pageInputs{Page: s.view(p), Homes: s.homes, Menu: s.menus[p.Lang], Footer: s.footers[p.Lang],
		Feed: s.feeds[p.Lang], Alternates: p.Output != "", Translations: s.viewsOf(p.Translations), Pages: s.viewsOf(p.Pages),
		Search: s.search[p.Lang]}
	if p.Layout == "sitemap" {
		in.Pages = nil
		for _, o := range s.pages {
			if o.Lang == p.Lang {
				in.Pages = append(in.Pages, s.view(o))
			}
		}
	}
	n := 0
	for sec := p.Section; sec != nil; sec = sec.Section {
		n++
	}
	if n > 0 {
		in.Crumbs = make([]*PageView, n)
		for sec := p.Section; sec != nil; sec = sec.Section {
			n--
			in.Crumbs[n] = s.view(sec)
		}
	}
	return in
}

func (s *site) viewsOf(pages []*Page) []*PageView {
	if len(pages) == 0 {
		return nil
	}
	vs := make([]*PageView, len(pages))
	for i, p := range pages {
		vs[i] = s.view(p)
	}
	return vs
}

// pageData is the data of a page's layout but its Content and Extra. It
// reads the site only through in, so that what a layout receives is keyed
// by in, the config, the words and the assets.
func pageData(cfg *settings.Site, in *pageInputs, assets map[string]Asset, w InterfaceWords, dev bool) *PageData {
	p := in.Page
	lang := cfg.Lang(p.Lang)
	d := &PageData{Page: p, Lang: lang, Site: cfg, SiteTitle: lang.Title, W: w, Menu: in.Menu, Footer: in.Footer,
		Canonical: cfg.AbsURL(p.URL), Assets: assets, Crumbs: in.Crumbs, Pages: in.Pages, Feed: in.Feed, Dev: dev,
		Search: in.Search, NoIndex: noIndex(p.Layout)}
	if d.SiteTitle == "" {
		d.SiteTitle = cfg.Title
	}
	if in.Alternates {
		d.Alternates = alternates(cfg, p, in.Translations)
	}
	for i, l := range cfg.Languages {
		a := Alternate{Lang: l.Code, HrefLang: l.Locale, Name: l.Name, Current: l.Code == p.Lang}
		if a.Current {
			a.Path = p.URL
		} else if i < len(in.Homes) && in.Homes[i] != nil {
			a.Path = in.Homes[i].URL
		}
		for _, t := range in.Translations {
			if t.Lang == l.Code {
				a.Path = t.URL
			}
		}
		if a.Path != "" {
			a.URL = cfg.AbsURL(a.Path)
			d.Languages = append(d.Languages, a)
		}
	}
	return d
}
