package checks

import (
	"encoding/xml"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Page is an HTML page of the built site.
type Page struct {
	File string // nl/audit/index.html
	Path string // its URL path: /nl/audit/
	Doc  *Doc
}

// NoIndex reports whether the page asks search engines not to index it
// (the 404 pages, the language chooser).
func (p *Page) NoIndex() bool {
	for _, m := range p.Doc.Find("meta", func(t *Tag) bool { return strings.EqualFold(t.Attr("name"), "robots") }) {
		if strings.Contains(strings.ToLower(m.Attr("content")), "noindex") {
			return true
		}
	}
	return false
}

// Canonical is the page's canonical URL, "" when it has none.
func (p *Page) Canonical() string {
	for _, l := range p.Doc.Find("link", func(t *Tag) bool { return hasToken(t.Attr("rel"), "canonical") }) {
		return l.Attr("href")
	}
	return ""
}

// Alternates are the page's links to its translations, by hreflang.
func (p *Page) Alternates() map[string]string {
	alt := map[string]string{}
	for _, l := range p.Doc.Find("link", func(t *Tag) bool { return hasToken(t.Attr("rel"), "alternate") && t.Has("hreflang") }) {
		alt[l.Attr("hreflang")] = l.Attr("href")
	}
	return alt
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(strings.ToLower(list)) {
		if f == tok {
			return true
		}
	}
	return false
}

// ReadSite reads every file of a built site, by slash-separated path.
func ReadSite(dir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	return files, err
}

// Pages are the HTML pages among a site's files, sorted by URL path.
func Pages(files map[string][]byte) []*Page {
	var pages []*Page
	for name, data := range files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		p := "/" + name
		if strings.HasSuffix(p, "/index.html") {
			p = strings.TrimSuffix(p, "index.html")
		}
		pages = append(pages, &Page{File: name, Path: p, Doc: ParseHTML(data)})
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].Path < pages[j].Path })
	return pages
}

// SitemapEntry is one <url> of sitemap.xml.
type SitemapEntry struct {
	Loc        string
	Alternates map[string]string // hreflang → URL
}

// ReadSitemap parses sitemap.xml.
func ReadSitemap(data []byte) ([]SitemapEntry, error) {
	var doc struct {
		URLs []struct {
			Loc   string `xml:"loc"`
			Links []struct {
				Rel      string `xml:"rel,attr"`
				HrefLang string `xml:"hreflang,attr"`
				Href     string `xml:"href,attr"`
			} `xml:"http://www.w3.org/1999/xhtml link"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("sitemap.xml: %v", err)
	}
	var out []SitemapEntry
	for _, u := range doc.URLs {
		e := SitemapEntry{Loc: strings.TrimSpace(u.Loc), Alternates: map[string]string{}}
		for _, l := range u.Links {
			if l.Rel == "alternate" {
				e.Alternates[l.HrefLang] = l.Href
			}
		}
		out = append(out, e)
	}
	return out, nil
}

var langTag = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// CheckPages checks every page of a built site: well-formed HTML, a lang,
// one title, one description; and for every page that may be indexed, a
// canonical URL to itself, reciprocal hreflang links with x-default, and
// an entry in sitemap.xml with the same links. Pages marked noindex must
// stay out of the sitemap. Each problem starts with the page's file.
func CheckPages(files map[string][]byte) []string {
	var problems []string
	add := func(p *Page, format string, args ...any) {
		problems = append(problems, p.File+": "+fmt.Sprintf(format, args...))
	}
	pages := Pages(files)
	if len(pages) == 0 {
		return []string{"the site has no HTML page"}
	}
	sitemap, err := ReadSitemap(files["sitemap.xml"])
	if err != nil {
		problems = append(problems, err.Error())
	}
	inSitemap := map[string]SitemapEntry{} // by URL path
	origin := ""
	for _, e := range sitemap {
		u, err := url.Parse(e.Loc)
		if err != nil || !u.IsAbs() {
			problems = append(problems, fmt.Sprintf("sitemap.xml: %q is not an absolute URL", e.Loc))
			continue
		}
		if origin == "" {
			origin = u.Scheme + "://" + u.Host
		} else if o := u.Scheme + "://" + u.Host; o != origin {
			problems = append(problems, fmt.Sprintf("sitemap.xml: %s is on %s, the other pages on %s", e.Loc, o, origin))
		}
		inSitemap[u.Path] = e
	}

	byPath := map[string]*Page{}
	for _, p := range pages {
		byPath[p.Path] = p
	}
	for _, p := range pages {
		for _, msg := range p.Doc.Problems {
			add(p, "%s", msg)
		}
		htmls := p.Doc.Find("html", nil)
		switch {
		case len(htmls) != 1:
			add(p, "%d <html> elements", len(htmls))
		case !langTag.MatchString(htmls[0].Attr("lang")):
			add(p, "<html lang=%q> is not a language tag", htmls[0].Attr("lang"))
		}
		titles := p.Doc.Find("title", nil)
		if len(titles) != 1 || titles[0].Text == "" {
			add(p, "wants one <title> with text, has %d", len(titles))
		}
		descs := p.Doc.Find("meta", func(t *Tag) bool { return strings.EqualFold(t.Attr("name"), "description") })
		if len(descs) != 1 || strings.TrimSpace(descs[0].Attr("content")) == "" {
			add(p, "wants one <meta name=\"description\"> with content, has %d", len(descs))
		}
		if p.NoIndex() {
			if _, ok := inSitemap[p.Path]; ok {
				add(p, "is marked noindex but listed in sitemap.xml")
			}
			continue
		}
		canon := p.Doc.Find("link", func(t *Tag) bool { return hasToken(t.Attr("rel"), "canonical") })
		if len(canon) != 1 {
			add(p, "wants one <link rel=\"canonical\">, has %d", len(canon))
			continue
		}
		c, err := url.Parse(canon[0].Attr("href"))
		if err != nil || !c.IsAbs() || c.Path != p.Path || c.RawQuery != "" || c.Fragment != "" {
			add(p, "canonical %q is not the absolute URL of %s", canon[0].Attr("href"), p.Path)
			continue
		}
		if origin != "" && c.Scheme+"://"+c.Host != origin {
			add(p, "canonical %s is not on the sitemap's origin %s", c, origin)
		}
		entry, listed := inSitemap[p.Path]
		if !listed {
			add(p, "may be indexed but is not in sitemap.xml")
		}
		lang := ""
		if len(htmls) == 1 {
			lang = htmls[0].Attr("lang")
		}
		alt := p.Alternates()
		links := p.Doc.Find("link", func(t *Tag) bool { return hasToken(t.Attr("rel"), "alternate") && t.Has("hreflang") })
		if len(links) != len(alt) {
			add(p, "an hreflang is written twice")
		}
		if alt[lang] != c.String() {
			add(p, "hreflang %q (its own language) is %q, want its canonical %s", lang, alt[lang], c)
		}
		if alt["x-default"] == "" {
			add(p, "has no hreflang x-default")
		}
		for hl, href := range alt {
			if hl != "x-default" && !langTag.MatchString(hl) {
				add(p, "hreflang %q is not a language tag", hl)
			}
			u, err := url.Parse(href)
			if err != nil || !u.IsAbs() {
				add(p, "hreflang %s: %q is not an absolute URL", hl, href)
				continue
			}
			other := byPath[u.Path]
			if other == nil || other.NoIndex() {
				add(p, "hreflang %s: %s is not a page that may be indexed", hl, href)
				continue
			}
			if !sameLinks(other.Alternates(), alt) {
				add(p, "hreflang %s: %s does not link back with the same set (%s there, %s here)", hl, other.File, linkList(other.Alternates()), linkList(alt))
			}
		}
		if listed && !sameLinks(entry.Alternates, alt) {
			add(p, "sitemap.xml lists %s for it, the page %s", linkList(entry.Alternates), linkList(alt))
		}
	}
	for path := range inSitemap {
		if byPath[path] == nil {
			problems = append(problems, fmt.Sprintf("sitemap.xml: %s is not a page of the site", path))
		}
	}
	sort.Strings(problems)
	return problems
}

func sameLinks(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func linkList(m map[string]string) string {
	var s []string
	for k, v := range m {
		s = append(s, k+"="+v)
	}
	sort.Strings(s)
	return "[" + strings.Join(s, " ") + "]"
}
