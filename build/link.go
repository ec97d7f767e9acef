package build

import (
	"path"
	"sort"
	"strings"
)

// site is the linked content: every page, by language and by file, and
// what the link step resolved. It is made anew by every build.
type site struct {
	cfg     *Config
	pages   []*Page                     // every page, sorted by file
	byRel   map[string]map[string]*Page // lang → Rel → page
	home    map[string]*Page            // lang → home page
	menus   map[string][]MenuLink       // lang → resolved main menu
	footers map[string][]MenuLink       // lang → resolved footer links
	feeds   map[string]string           // lang → URL of the news feed (the last news section's)
	homes   []*PageView                 // each language's home page in site order; nil where there is none
	views   map[*Page]*PageView         // what templates see of each page
	dests   map[*Page]Dests             // each page's links to other pages, resolved
	linkErr map[*Page]Diagnostics       // the links of each page that do not resolve
}

// MenuLink is a resolved menu entry.
type MenuLink struct {
	Title string
	URL   string
	Page  *PageView
}

// linkSite links the pages of one build: it gives every page its URL,
// section, children, translations and layout, makes the views templates
// get of them and resolves the menus. The pages are this build's copies
// of the parsed ones; linkSite sets their linked fields. last is the
// previous build's site, or nil: a page parsed as it was there, at the same
// place, keeps its view. The links between pages are resolved after, per
// page (resolveLinks).
func linkSite(cfg *Config, pages []*Page, cfgSrc []byte, last *site) (*site, Diagnostics) {
	s := &site{cfg: cfg, pages: pages, byRel: map[string]map[string]*Page{}, home: map[string]*Page{}, menus: map[string][]MenuLink{}, footers: map[string][]MenuLink{}, feeds: map[string]string{},
		views: make(map[*Page]*PageView, len(pages)), dests: make(map[*Page]Dests, len(pages)), linkErr: map[*Page]Diagnostics{}}
	var diags Diagnostics
	for _, p := range pages {
		if s.byRel[p.Lang] == nil {
			s.byRel[p.Lang] = map[string]*Page{}
		}
		s.byRel[p.Lang][p.Rel] = p
		if p.Kind == KindHome {
			s.home[p.Lang] = p
		}
	}

	// URLs, and two pages on one URL.
	byURL := map[string]*Page{}
	for _, p := range pages {
		p.URL = s.pageURL(p)
		p.Output = strings.TrimPrefix(p.URL, "/") + "index.html"
		if other, ok := byURL[p.URL]; ok {
			at := p // report it where a slug made the clash, if one did
			if p.Front.Slug == "" && other.Front.Slug != "" {
				at = other
			}
			l, c := slugPos(at)
			diags = append(diags, at.src.at(l, c, "give one of them another slug in its front matter",
				"%s and %s both have the address %s", other.File, p.File, p.URL))
			continue
		}
		byURL[p.URL] = p
	}

	// Sections and their pages.
	for _, p := range pages {
		if p.Kind == KindHome {
			continue
		}
		p.Section = s.parentSection(p)
		if p.Section != nil {
			p.Section.Pages = append(p.Section.Pages, p)
		}
	}
	for _, p := range pages {
		sortPages(p.Pages)
		p.Layout = s.defaultLayout(p)
		if p.Layout == "news" {
			s.feeds[p.Lang] = p.URL + "index.xml"
		}
	}

	// Translations: the same file, or the same translation_key.
	groups := map[string][]*Page{}
	var keys []string
	for _, p := range pages {
		k := "file:" + p.Rel
		if p.Front.TranslationKey != "" {
			k = "key:" + p.Front.TranslationKey
		}
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], p)
	}
	for _, k := range keys {
		g := groups[k]
		sort.Slice(g, func(i, j int) bool { return s.langIndex(g[i].Lang) < s.langIndex(g[j].Lang) })
		for _, p := range g {
			for _, q := range g {
				if q != p && q.Lang != p.Lang {
					p.Translations = append(p.Translations, q)
				}
			}
		}
	}

	// What templates see of each page.
	for _, p := range pages {
		if old := last.same(p); old != nil && old.URL == p.URL && old.Layout == p.Layout {
			s.views[p] = last.views[old]
		} else {
			s.views[p] = newView(p)
		}
	}

	for _, l := range cfg.Languages {
		s.homes = append(s.homes, s.views[s.home[l.Code]])
	}

	// Menus.
	for _, lang := range cfg.Languages {
		var d Diagnostics
		s.menus[lang.Code], d = s.resolveMenu(lang.Code, "menu", lang.Menu, cfgSrc)
		diags = append(diags, d...)
		s.footers[lang.Code], d = s.resolveMenu(lang.Code, "footer", lang.Footer, cfgSrc)
		diags = append(diags, d...)
	}
	return s, diags
}

// newView is what templates see of a page: its values, copied, and no
// pointer to the page, its parsed Markdown or another page. It is made of
// the parsed page, its URL and its layout (linkSite keeps a view while
// they are the same).
func newView(p *Page) *PageView {
	return &PageView{File: p.File, Lang: p.Lang, Kind: p.Kind, URL: p.URL, Layout: p.Layout, Front: p.Front, Headings: p.Headings}
}

// same is the page of s (a previous build's site) that was parsed from the
// same parse as p, or nil.
func (s *site) same(p *Page) *Page {
	if s == nil {
		return nil
	}
	if old := s.byRel[p.Lang][p.Rel]; old != nil && old.doc == p.doc {
		return old
	}
	return nil
}

// linkPages resolves the links of every page (resolveLinks). A page parsed
// as in last, the previous build's site, keeps the links resolved there
// when its language's pages are where they were, with the same ids
// (unchanged).
func (s *site) linkPages(last *site, unchanged func(lang string) bool) Diagnostics {
	var diags Diagnostics
	for _, p := range s.pages {
		if old := last.same(p); old != nil && unchanged(p.Lang) {
			s.dests[p], s.linkErr[p] = last.dests[old], last.linkErr[old]
		} else {
			s.dests[p], s.linkErr[p] = s.resolveLinks(p)
		}
		diags = append(diags, s.linkErr[p]...)
	}
	return diags
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
func (s *site) resolveMenu(lang, which string, items []MenuItem, cfgSrc []byte) ([]MenuLink, Diagnostics) {
	var links []MenuLink
	var diags Diagnostics
	cfgFile := source{path: "site.yaml", data: cfgSrc}
	for _, item := range items {
		p := s.byRel[lang][item.Page]
		if p == nil {
			line, col := findKey(cfgSrc, "page: "+item.Page)
			d := cfgFile.at(line, col+len("page: "), s.suggestFile(lang, item.Page),
				"%s of %q: page %s does not exist in content/%s/", which, lang, item.Page, lang)
			if line == 0 {
				d.Line = 0
			}
			diags = append(diags, d)
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
	for _, l := range p.links {
		target := s.byRel[p.Lang][l.target]
		if target == nil {
			diags = append(diags, p.src.atOffset(l.offset, s.suggestFile(p.Lang, l.target),
				"link to %s, which does not exist in content/%s/", l.target, p.Lang))
			continue
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
		dests[l.node] = dest
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

// sortPages orders a list: by weight, then newest date first, then title.
func sortPages(ps []*Page) {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
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

func (s *site) suggestFile(lang, target string) string {
	var files []string
	for rel := range s.byRel[lang] {
		files = append(files, rel)
	}
	sort.Strings(files)
	if h := didYouMean(target, files); h != "" {
		return h
	}
	return "check the file name; links are relative to the file they are in (use ../ to go up a folder); a draft counts as missing until it is published"
}

func anchorHint(target *Page, anchor string) string {
	var ids []string
	for id := range target.ids {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if h := didYouMean(anchor, ids); h != "" {
		return h
	}
	return "give the heading an explicit id, as in: ## Integriteit {#" + anchor + "}"
}

// slugPos is where a duplicate address is best reported: the slug line, or
// the top of the file.
func slugPos(p *Page) (int, int) {
	if fm, _, ok := splitFrontMatter(p.src.data); ok {
		if l, c := findKey(fm, "slug"); l > 0 {
			return l + 1, c
		}
	}
	return 1, 1
}
