package build

import (
	"bytes"
	"fmt"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"

	"kmopsite/settings"
)

// site is the linked content: every page, by language and by file, and
// what the link step resolved. It is made anew by every build.
type site struct {
	cfg     *settings.Site
	pages   []*Page                     // every page, sorted by file
	byRel   map[string]map[string]*Page // lang → Rel → page
	home    map[string]*Page            // lang → home page
	menus   map[string][]MenuLink       // lang → resolved main menu
	footers map[string][]MenuLink       // lang → resolved footer links
	feeds   map[string]string           // lang → URL of the news feed (the last news section's)
	leftOut map[string]string           // files left out of this build → why: "a draft", "scheduled for 2026-12-05"
	homes   []*PageView                 // each language's home page in site order; nil where there is none
	search  map[string]*PageView        // lang → its search page (layout search), the header's form's action
	views   map[*Page]*PageView         // what templates see of each page
	dests   map[string]Dests            // by page file: its links to other pages, resolved
	linkErr map[string]Diagnostics      // by page file: its links that do not resolve
	same    []*Page                     // by index of pages: the last build's page parsed from the same parse, or nil

	placeDiags Diagnostics // two pages on one URL
	placedAs   *site       // the last build's site, when every page took its place from it
}

// MenuLink is a resolved menu entry.
type MenuLink struct {
	Title string
	URL   string
	Page  *PageView
}

// linkSite links the pages of one build: it gives every page its URL,
// section, children, translations and layout (place), makes the views
// templates get of them and resolves the menus. The pages are this build's
// copies of the parsed ones; linkSite sets their linked fields. last is
// the previous build's site, or nil: when the pages are its pages with the
// same front matter, every page is where it was and takes its place from
// there (placeAs); a page parsed as it was there, at the same place, keeps
// its view. The links between pages are resolved after (linkPages).
func linkSite(cfg *settings.Site, pages []*Page, leftOut map[string]string, last *site) (*site, Diagnostics) {
	s := &site{cfg: cfg, pages: pages, byRel: map[string]map[string]*Page{}, home: map[string]*Page{}, menus: map[string][]MenuLink{}, footers: map[string][]MenuLink{}, feeds: map[string]string{},
		views: make(map[*Page]*PageView, len(pages)), dests: make(map[string]Dests, len(pages)), linkErr: map[string]Diagnostics{},
		same: counterparts(last, pages), leftOut: leftOut}
	for _, p := range pages {
		if s.byRel[p.Lang] == nil {
			s.byRel[p.Lang] = map[string]*Page{}
		}
		s.byRel[p.Lang][p.Rel] = p
		if p.Kind == KindHome {
			s.home[p.Lang] = p
		}
	}
	if last.samePlaces(cfg, pages, s.same) {
		s.placeAs(last)
	} else {
		s.place()
	}
	diags := slices.Clone(s.placeDiags)

	// What templates see of each page.
	for i, p := range pages {
		if old := s.same[i]; old != nil && old.URL == p.URL && old.Layout == p.Layout && old.Scheduled == p.Scheduled {
			s.views[p] = last.views[old]
		} else {
			s.views[p] = newView(p)
		}
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

// place gives every page its URL, section, children, layout and
// translations, and reports two pages on one URL.
func (s *site) place() {
	pages := s.pages
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
			s.placeDiags = append(s.placeDiags, at.src.at(l, c, "give one of them another slug in its front matter",
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
}

// samePlaces reports whether pages are last's with the same front matter
// (same is counterparts'), so that every page is where it was.
func (last *site) samePlaces(cfg *settings.Site, pages, same []*Page) bool {
	if last == nil || last.cfg != cfg || len(last.pages) != len(pages) {
		return false
	}
	for i, p := range pages {
		o := last.pages[i]
		if same[i] == nil && (o.File != p.File || !bytes.Equal(o.src.data[:o.bodyOffset], p.src.data[:p.bodyOffset])) {
			return false
		}
	}
	return true
}

// placeAs gives the pages the places of last's pages, which are at the same
// index (samePlaces).
func (s *site) placeAs(last *site) {
	at := make(map[*Page]*Page, len(s.pages)) // last's page → this build's
	n := 0
	for i, p := range s.pages {
		o := last.pages[i]
		at[o] = p
		n += len(o.Pages) + len(o.Translations)
	}
	all := make([]*Page, 0, n) // the lists of every page, in one allocation
	list := func(old []*Page) []*Page {
		if len(old) == 0 {
			return nil
		}
		start := len(all)
		for _, o := range old {
			all = append(all, at[o])
		}
		return all[start:len(all):len(all)]
	}
	for i, p := range s.pages {
		o := last.pages[i]
		p.URL, p.Output, p.Layout, p.Section = o.URL, o.Output, o.Layout, at[o.Section]
		p.Pages, p.Translations = list(o.Pages), list(o.Translations)
	}
	s.feeds, s.placeDiags, s.placedAs = last.feeds, last.placeDiags, last
}

// page is the page of a file, or nil.
func (s *site) page(file string) *Page {
	if s == nil {
		return nil
	}
	lang, rel, _ := strings.Cut(strings.TrimPrefix(file, "content/"), "/")
	return s.byRel[lang][rel]
}

// counterparts are, for each page, the page of last parsed from the same
// parse, or nil.
func counterparts(last *site, pages []*Page) []*Page {
	same := make([]*Page, len(pages))
	if last == nil {
		return same
	}
	j := 0 // both lists are sorted by file: walk them side by side
	for i, p := range pages {
		for j < len(last.pages) && last.pages[j].File < p.File {
			j++
		}
		if j < len(last.pages) && last.pages[j].body == p.body {
			same[i] = last.pages[j]
		}
	}
	return same
}

// newView is what templates see of a page: its values, copied, and no
// pointer to the page, its parsed Markdown or another page. It is made of
// the parsed page, its URL and its layout (linkSite keeps a view while
// they are the same).
func newView(p *Page) *PageView {
	return &PageView{File: p.File, Lang: p.Lang, Kind: p.Kind, URL: p.URL, Layout: p.Layout, Front: p.Front, Headings: p.Headings, Scheduled: p.Scheduled}
}

// linkPages resolves the links of every page (resolveLinks). When every
// page is where it was in last, the previous build's site (placeAs), and
// the pages parsed again have the same heading ids, nothing a link
// resolves against has changed: the pages parsed as before keep their
// links as resolved there, and only the pages parsed again are resolved.
func (s *site) linkPages(last *site) Diagnostics {
	keep := s.placedAs != nil
	for i, p := range s.pages {
		if !keep {
			break
		}
		keep = s.same[i] != nil || maps.Equal(last.pages[i].ids, p.ids)
	}
	if keep {
		s.dests, s.linkErr = maps.Clone(last.dests), maps.Clone(last.linkErr)
	}
	for i, p := range s.pages {
		if keep && s.same[i] != nil {
			continue
		}
		dests, diags := s.resolveLinks(p)
		s.dests[p.File] = dests
		if diags != nil {
			s.linkErr[p.File] = diags
		} else {
			delete(s.linkErr, p.File)
		}
	}
	var diags Diagnostics
	for _, p := range s.pages {
		if len(s.linkErr) == 0 {
			break
		}
		diags = append(diags, s.linkErr[p.File]...)
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
			if why != "a draft" {
				hint = "it appears in the menu from the first build on its date"
			}
			d := s.cfg.AtValue(at, hint, "%s of %q: content/%s/%s is %s, left out of the menu", which, lang, lang, item.Page, why)
			d.Severity = Warning
			diags = append(diags, d)
			continue
		}
		if p == nil {
			diags = append(diags, s.cfg.AtValue(at, s.suggestFile(lang, item.Page),
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
		if why, ok := s.leftOut["content/"+p.Lang+"/"+l.target]; target == nil && ok && why != "a draft" {
			diags = append(diags, p.src.atOffset(l.offset, scheduledHint(why),
				"link to %s, which is %s", l.target, why))
			continue
		}
		if target == nil {
			diags = append(diags, p.src.atOffset(l.offset, s.suggestFile(p.Lang, l.target),
				"link to %s, which does not exist in content/%s/", l.target, p.Lang))
			continue
		}
		if target.Scheduled && p.Front.Date < target.Front.Date {
			why := "scheduled for " + target.Front.Date
			diags = append(diags, p.src.atOffset(l.offset, scheduledHint(why),
				"link to %s, which is %s", target.File, why))
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

// scheduledHint says how to mend a link to a page not published yet.
func scheduledHint(why string) string {
	date := strings.TrimPrefix(why, "scheduled for ")
	return "remove the link for now and add it back on " + date + ", when that page is published"
}
