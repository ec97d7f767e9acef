package build

import (
	"fmt"
	"kmopsite/suggest"
	"path"
	"slices"
	"sort"
	"strings"

	"kmopsite/settings"
)

// site is the linked content: every page, by language and by file, and
// what the link step resolved. It is made anew by every build, and not
// changed once linkSite returns it.
type site struct {
	cfg      *settings.Site
	pages    []*Page                     // every page, sorted by file
	byRel    map[string]map[string]*Page // lang → Rel → page
	home     map[string]*Page            // lang → home page
	menus    map[string][]MenuLink       // lang → resolved main menu
	footers  map[string][]MenuLink       // lang → resolved footer links
	feeds    map[string]string           // lang → URL of the news feed (the last news section's)
	leftOut  map[string]leftOut          // files left out of this build → why
	homes    []*PageView                 // each language's home page in site order; nil where there is none
	search   map[string]*PageView        // lang → its search page (layout search), the header's form's action
	views    map[*Page]*PageView         // what templates see of each page
	viewKeys []sum                       // by index of pages: the key of each view (viewKey)
	dests    []Dests                     // by index of pages: its links to other pages, resolved
	content  []sum                       // by index of pages: the key of its Markdown and its links' destinations
	placed   *places                     // where each page is
}

// MenuLink is a resolved menu entry.
type MenuLink struct {
	Title string
	URL   string
	Page  *PageView
}

// linkSite links the pages of one build: it gives every page its URL,
// section, children, translations and layout (place), makes the views
// templates get of them (newView), resolves the links between pages
// (resolveLinks) and the menus. The pages are this build's copies of the
// parsed ones; linkSite sets their linked fields. Each of these steps is
// a function of its inputs alone; m keeps their results from one build to
// the next, keyed by those inputs (memo.go), and nil makes everything
// afresh.
func linkSite(cfg *settings.Site, pages []*Page, leftOut map[string]leftOut, m *linkMemo) (*site, Diagnostics) {
	s := &site{cfg: cfg, pages: pages, byRel: map[string]map[string]*Page{}, home: map[string]*Page{}, menus: map[string][]MenuLink{}, footers: map[string][]MenuLink{},
		views: make(map[*Page]*PageView, len(pages)), viewKeys: make([]sum, len(pages)), dests: make([]Dests, len(pages)),
		content: make([]sum, len(pages)), leftOut: leftOut}
	for _, p := range pages {
		if s.byRel[p.Lang] == nil {
			s.byRel[p.Lang] = make(map[string]*Page, len(pages)/max(1, len(cfg.Languages)))
		}
		s.byRel[p.Lang][p.Rel] = p
		if p.Kind == KindHome {
			s.home[p.Lang] = p
		}
	}
	m.align(pages)
	s.placed = m.place(pages, s.place)
	s.putInPlace()
	diags := slices.Clone(s.placed.diags)

	// What templates see of each page.
	for i, p := range pages {
		v := m.view(i, viewInputs{p.body, p.URL, p.Layout, p.Scheduled}, func() keyedView {
			v := newView(p)
			return keyedView{v, m.viewKey(v)}
		})
		s.views[p], s.viewKeys[i] = v.view, v.key
	}
	for _, l := range cfg.Languages {
		s.homes = append(s.homes, s.views[s.home[l.Code]])
	}
	s.search = map[string]*PageView{}
	for _, p := range pages {
		if p.Layout == "search" && s.search[p.Lang] == nil {
			s.search[p.Lang] = s.views[p]
		}
	}

	// The links between pages.
	env := m.linkEnv(s)
	var linkErr Diagnostics
	for i, p := range pages {
		l := m.link(i, linkInputs{p.body, env}, func() resolved {
			dests, diags := s.resolveLinks(p)
			return resolved{dests, diags, m.contentKey(p, dests)}
		})
		s.dests[i], s.content[i] = l.dests, l.content
		linkErr = append(linkErr, l.diags...)
	}
	diags = append(diags, linkErr...)

	// Menus.
	for i, lang := range cfg.Languages {
		var d Diagnostics
		at := fmt.Sprintf("languages[%d].", i)
		s.menus[lang.Code], d = s.resolveMenu(lang.Code, "menu", at+"menu", lang.Menu)
		diags = append(diags, d...)
		s.footers[lang.Code], d = s.resolveMenu(lang.Code, "footer", at+"footer", lang.Footer)
		diags = append(diags, d...)
	}
	return s, diags
}

// places are where the link step puts each page of one build, by index
// of the pages: made of the config and the pages' files and front matter
// alone (place), so that a build whose pages have the same takes them
// from the last.
type places struct {
	url, output, layout []string
	section             []int   // index of the page's section, -1 for none
	children            [][]int // for sections and home: the pages directly below, ordered
	translations        [][]int // in site order
	feeds               map[string]string
	diags               Diagnostics // two pages on one URL
}

// place finds every page's URL, section, children, layout and
// translations, and reports two pages on one URL.
func (s *site) place() *places {
	pages := s.pages
	n := len(pages)
	pl := &places{url: make([]string, n), output: make([]string, n), layout: make([]string, n), section: make([]int, n),
		children: make([][]int, n), translations: make([][]int, n), feeds: map[string]string{}}
	index := make(map[*Page]int, n)
	for i, p := range pages {
		index[p] = i
	}
	// URLs, and two pages on one URL.
	byURL := map[string]*Page{}
	for i, p := range pages {
		pl.url[i] = s.pageURL(p)
		pl.output[i] = strings.TrimPrefix(pl.url[i], "/") + "index.html"
		if other, ok := byURL[pl.url[i]]; ok {
			at := p // report it where a slug made the clash, if one did
			if p.Front.Slug == "" && other.Front.Slug != "" {
				at = other
			}
			l, c := slugPos(at)
			pl.diags = append(pl.diags, at.src.at(l, c, "give one of them another slug in its front matter",
				"%s and %s both have the address %s", other.File, p.File, pl.url[i]))
			continue
		}
		byURL[pl.url[i]] = p
	}

	// Sections and their pages.
	for i, p := range pages {
		pl.section[i] = -1
		if p.Kind == KindHome {
			continue
		}
		if sec := s.parentSection(p); sec != nil {
			j := index[sec]
			pl.section[i] = j
			pl.children[j] = append(pl.children[j], i)
		}
	}
	for i, p := range pages {
		sortPages(pages, pl.children[i])
		pl.layout[i] = s.defaultLayout(p)
		if pl.layout[i] == "news" {
			pl.feeds[p.Lang] = pl.url[i] + "index.xml"
		}
	}

	// Translations: the same file, or the same translation_key.
	groups := map[string][]int{}
	var keys []string
	for i, p := range pages {
		k := PairKey(p.Rel, p.Front.TranslationKey)
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], i)
	}
	for _, k := range keys {
		g := groups[k]
		sort.Slice(g, func(a, b int) bool { return s.langIndex(pages[g[a]].Lang) < s.langIndex(pages[g[b]].Lang) })
		for _, i := range g {
			for _, j := range g {
				if j != i && pages[j].Lang != pages[i].Lang {
					pl.translations[i] = append(pl.translations[i], j)
				}
			}
		}
	}
	return pl
}

// PairKey is what pairs a page with its translations, the pages of the
// other languages with the same key: its translation_key, or without one
// its file in the language's folder (rel, such as nieuws/x.md).
func PairKey(rel, translationKey string) string {
	if translationKey != "" {
		return "key:" + translationKey
	}
	return "file:" + rel
}

// putInPlace sets the linked fields of this build's pages from their
// places.
func (s *site) putInPlace() {
	pl := s.placed
	n := 0
	for i := range s.pages {
		n += len(pl.children[i]) + len(pl.translations[i])
	}
	all := make([]*Page, 0, n) // the lists of every page, in one allocation
	list := func(indices []int) []*Page {
		if len(indices) == 0 {
			return nil
		}
		start := len(all)
		for _, j := range indices {
			all = append(all, s.pages[j])
		}
		return all[start:len(all):len(all)]
	}
	for i, p := range s.pages {
		p.URL, p.Output, p.Layout, p.Section = pl.url[i], pl.output[i], pl.layout[i], nil
		if j := pl.section[i]; j >= 0 {
			p.Section = s.pages[j]
		}
		p.Pages, p.Translations = list(pl.children[i]), list(pl.translations[i])
	}
	s.feeds = pl.feeds
}

// page is the page of a file, or nil.
func (s *site) page(file string) *Page {
	if s == nil {
		return nil
	}
	lang, rel, _ := strings.Cut(strings.TrimPrefix(file, "content/"), "/")
	return s.byRel[lang][rel]
}

// newView is what templates see of a page: its values, copied, and no
// pointer to the page, its parsed Markdown or another page. It is made of
// the parsed page, its URL, its layout and whether it is scheduled
// (viewInputs).
func newView(p *Page) *PageView {
	return &PageView{File: p.File, Lang: p.Lang, Kind: p.Kind, URL: p.URL, Layout: p.Layout, Front: p.Front, Headings: p.Headings, Scheduled: p.Scheduled}
}

// view is a page's view: the link step's for a page of the site, a new
// one for a page made for the occasion (a 404 page).
func (s *site) view(p *Page) *PageView {
	if v := s.views[p]; v != nil {
		return v
	}
	return newView(p)
}

// resolveMenu turns a menu of site.yaml into links, and reports the
// entries whose page does not exist.
// path is where the menu is written in site.yaml ("languages[0].menu").
func (s *site) resolveMenu(lang, which, path string, items []settings.MenuItem) ([]MenuLink, Diagnostics) {
	var links []MenuLink
	var diags Diagnostics
	for i, item := range items {
		at := fmt.Sprintf("%s[%d].page", path, i)
		p := s.byRel[lang][item.Page]
		if why, ok := s.leftOut["content/"+lang+"/"+item.Page]; p == nil && ok {
			// A translation kept as a draft, as editors are told to, or a
			// page not yet published: shown under serve, left out of this
			// language's menu here.
			hint := "it appears in the menu once its draft: true is removed"
			if !why.draft {
				hint = "it appears in the menu from the first build on its date"
			}
			d := s.cfg.AtValue(at, hint, "%s of %q: content/%s/%s is %s, left out of the menu", which, lang, lang, item.Page, why)
			d.Severity = Warning
			diags = append(diags, d)
			continue
		}
		if p == nil {
			diags = append(diags, s.cfg.AtValue(at, s.suggestFile(lang, item.Page, ""),
				"%s of %q: page %s does not exist in content/%s/", which, lang, item.Page, lang))
			continue
		}
		title := item.Title
		if title == "" {
			title = p.Front.Title
		}
		links = append(links, MenuLink{Title: title, URL: p.URL, Page: s.views[p]})
	}
	return links, diags
}

// resolveLinks returns the destinations of a page's links to other pages
// and reports those that do not resolve (they keep the destination as
// written). Of the targets it reads their URL, draft status and heading
// ids.
func (s *site) resolveLinks(p *Page) (Dests, Diagnostics) {
	var diags Diagnostics
	var dests Dests
	if len(p.links) > 0 {
		dests = make(Dests, len(p.links))
	}
	for i, l := range p.links {
		target := s.byRel[p.Lang][l.target]
		if why, ok := s.leftOut["content/"+p.Lang+"/"+l.target]; target == nil && ok && !why.draft {
			diags = append(diags, p.src.atOffset(l.offset, scheduledHint(why.date),
				"link to %s, which is %s", l.target, why))
			continue
		}
		if target == nil {
			diags = append(diags, p.src.atOffset(l.offset, s.suggestFile(p.Lang, l.target, path.Dir(p.Rel)),
				"link to %s, which does not exist in content/%s/", l.target, p.Lang))
			continue
		}
		if target.Scheduled && p.Front.Date < target.Front.Date {
			diags = append(diags, p.src.atOffset(l.offset, scheduledHint(target.Front.Date),
				"link to %s, which is %s", target.File, leftOut{date: target.Front.Date}))
		}
		if target.Front.Draft && !p.Front.Draft {
			diags = append(diags, p.src.atOffset(l.offset, "publish "+target.File+" (remove draft: true) or remove the link",
				"link to %s, which is a draft", target.File))
		}
		dest := target.URL
		if target == p {
			dest = ""
		}
		if l.anchor != "" {
			if !target.ids[l.anchor] {
				diags = append(diags, p.src.atOffset(l.offset, anchorHint(target, l.anchor),
					"link to #%s, but %s has no heading with that id", l.anchor, target.File))
				continue
			}
			dest += "#" + l.anchor
		}
		dests[i] = dest
	}
	return dests, diags
}

// pageURL builds /lang/section-slugs/slug/ from the file's path.
func (s *site) pageURL(p *Page) string {
	segs := []string{p.Lang}
	dir := p.Dir()
	if dir != "" {
		parts := strings.Split(dir, "/")
		for i := range parts {
			folder := strings.Join(parts[:i+1], "/")
			seg := parts[i]
			if idx := s.byRel[p.Lang][folder+"/_index.md"]; idx != nil && idx.Front.Slug != "" {
				seg = idx.Front.Slug
			}
			segs = append(segs, seg)
		}
	}
	if p.Kind == KindPage {
		seg := p.Front.Slug
		if seg == "" {
			seg = strings.TrimSuffix(path.Base(p.Rel), ".md")
		}
		segs = append(segs, seg)
	}
	return "/" + strings.Join(segs, "/") + "/"
}

// parentSection is the nearest _index.md above the page (home at the top).
func (s *site) parentSection(p *Page) *Page {
	dir := p.Dir()
	if p.Kind == KindSection {
		dir = path.Dir(dir)
		if dir == "." {
			dir = ""
		}
	}
	for {
		if dir == "" {
			return s.home[p.Lang]
		}
		if idx := s.byRel[p.Lang][dir+"/_index.md"]; idx != nil {
			return idx
		}
		dir = path.Dir(dir)
		if dir == "." {
			dir = ""
		}
	}
}

// defaultLayout picks the layout from the front matter or the page's place.
func (s *site) defaultLayout(p *Page) string {
	if p.Front.Layout != "" {
		return p.Front.Layout
	}
	news := s.cfg.NewsSection != "" && (p.Dir() == s.cfg.NewsSection || strings.HasPrefix(p.Dir(), s.cfg.NewsSection+"/"))
	switch {
	case p.Kind == KindHome:
		return "home"
	case p.Kind == KindSection && news:
		return "news"
	case p.Kind == KindSection:
		return "section"
	case news:
		return "post"
	}
	return "page"
}

func (s *site) langIndex(code string) int {
	for i, l := range s.cfg.Languages {
		if l.Code == code {
			return i
		}
	}
	return len(s.cfg.Languages)
}

// sortPages orders a list of pages (indices of pages): by weight, then
// newest date first, then title.
func sortPages(pages []*Page, list []int) {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := pages[list[i]], pages[list[j]]
		if a.Front.Weight != b.Front.Weight {
			return a.Front.Weight < b.Front.Weight
		}
		if a.Front.Date != b.Front.Date {
			return a.Front.Date > b.Front.Date
		}
		if a.Front.Title != b.Front.Title {
			return a.Front.Title < b.Front.Title
		}
		return a.File < b.File
	})
}

// suggestFile is the hint for a link to target, a file relative to the
// language's folder that is no page: the page whose name is closest to
// target's, looked for across the whole language (a post in nieuws/ that
// links to audit.md means the audit page one folder up), written as the
// link from the folder from ("" for the language's folder, as menus and
// the self-check's words write them); else how links are written.
func (s *site) suggestFile(lang, target, from string) string {
	byName := map[string]string{} // a page's name → its file; the first file when two share it
	add := func(n, rel string) {
		if n != "" && (byName[n] == "" || rel < byName[n]) {
			byName[n] = rel
		}
	}
	for rel := range s.byRel[lang] {
		add(strings.TrimSuffix(path.Base(rel), ".md"), rel) // _index: the language's home first
		add(pageName(rel), rel)
	}
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)
	name := strings.TrimSuffix(path.Base(target), ".md")
	if best := suggest.Closest(name, names); best != "" {
		return fmt.Sprintf("did you mean %q?", relativeLink(from, byName[best]))
	}
	if from != "" && from != "." {
		return "check the file name; links are relative to the file they are in (from " + from + "/, ../page.md is a page of the language's folder); a draft counts as missing until it is published"
	}
	return "check the file name; links are relative to the file they are in (use ../ to go up a folder); a draft counts as missing until it is published"
}

// pageName is what a page is called in a link: its file's name without
// .md, or for a section's _index.md the section's folder.
func pageName(rel string) string {
	base := strings.TrimSuffix(path.Base(rel), ".md")
	if base == "_index" {
		if dir := path.Dir(rel); dir != "." {
			return path.Base(dir)
		}
		return ""
	}
	return base
}

// relativeLink writes the link from folder from to file to, both relative
// to the language's folder: from nieuws, audit.md is ../audit.md.
func relativeLink(from, to string) string {
	var f []string
	if from != "" && from != "." {
		f = strings.Split(from, "/")
	}
	t := strings.Split(to, "/")
	common := 0
	for common < len(f) && common < len(t)-1 && f[common] == t[common] {
		common++
	}
	return strings.Repeat("../", len(f)-common) + strings.Join(t[common:], "/")
}

func anchorHint(target *Page, anchor string) string {
	var ids []string
	for id := range target.ids {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if len(ids) == 0 {
		return target.File + " has no headings: link to the page without #" + anchor
	}
	const most = 12
	list := strings.Join(ids[:min(len(ids), most)], ", ")
	if len(ids) > most {
		list += fmt.Sprintf(" and %d more", len(ids)-most)
	}
	if h := didYouMean(anchor, ids); h != "" {
		return h + " The ids of " + target.File + ": " + list
	}
	return "link to one of the ids of " + target.File + ": " + list
}

// slugPos is where a duplicate address is best reported: the slug line, or
// the top of the file.
func slugPos(p *Page) (int, int) { return p.frontKey("slug") }

// leftOut is why a page is left out of a build: it is a draft, or it is
// scheduled for a later day.
type leftOut struct {
	draft bool
	date  string // YYYY-MM-DD, when scheduled
}

// String is the reason as a diagnostic says it: "a draft", "scheduled for
// 2026-12-05".
func (l leftOut) String() string {
	if l.draft {
		return "a draft"
	}
	return "scheduled for " + l.date
}

// scheduledHint says how to mend a link to a page published on date.
func scheduledHint(date string) string {
	return "remove the link for now and add it back on " + date + ", when that page is published"
}
