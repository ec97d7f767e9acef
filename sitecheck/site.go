package sitecheck

import (
	"crypto/sha512"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"maps"
	"net/url"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Rules are what a site's pages must meet beyond their HTML.
type Rules struct {
	// BaseURL is the site's absolute URL ("https://example.org/"): every
	// canonical URL, hreflang and sitemap entry is under it, and a link to
	// it is checked as a link into the site.
	BaseURL string
	// Locales are the values <html lang> may take (site.yaml's locales);
	// none: any language tag.
	Locales []string
	// Drafts are the files of draft pages, built with drafts on: they
	// stay out of the sitemap.
	Drafts map[string]bool
	// DescMin and DescMax bound a meta description's length in
	// characters on the pages that may be indexed; 0: no bound.
	DescMin, DescMax int
}

// Page is an HTML page of a built site.
type Page struct {
	File string // nl/audit/index.html
	Path string // its URL path: /nl/audit/
	Doc  *Doc
}

// NoIndex reports whether the page asks search engines not to index it
// (the 404 pages, the language chooser, drafts under serve).
func (p *Page) NoIndex() bool {
	for _, m := range p.Doc.Find("meta", func(t *Tag) bool { return strings.EqualFold(t.Attr("name"), "robots") }) {
		if strings.Contains(strings.ToLower(m.Attr("content")), "noindex") {
			return true
		}
	}
	return false
}

// errorPage reports whether the page is a 404 page, served at any address
// that has no page: it has no canonical URL.
func (p *Page) errorPage() bool { return path.Base(p.File) == "404.html" }

// Pages are the HTML pages among a site's files but the editor's
// (admin/), parsed, sorted by URL path.
func Pages(files map[string][]byte) []*Page {
	var pages []*Page
	for name, data := range files {
		if !strings.HasSuffix(name, ".html") || strings.HasPrefix(name, "admin/") {
			continue // admin/ is the editor (Decap CMS), not a page of the site
		}
		p := "/" + name
		if strings.HasSuffix(p, "/index.html") {
			p = strings.TrimSuffix(p, "index.html")
		}
		pages = append(pages, &Page{File: name, Path: p, Doc: Parse(data)})
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].Path < pages[j].Path })
	return pages
}

// langTag is the shape of a BCP 47 language tag as sites write them.
var langTag = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// escapedTwiceXML are the signs of a second escaping in the XML and text
// files (feeds, sitemap, robots.txt), read as they are.
var escapedTwiceXML = []string{"&amp;amp;", "&amp;#", "&amp;lt;", "&amp;gt;", "&amp;quot;", "&amp;nbsp;", "&lt;p&gt;", "&lt;a ", "&lt;/", "&amp;rsquo;", "&amp;ndash;"}

// Check checks every file of a built site (by slash-separated path) and
// returns its problems, sorted:
//
//   - every page as Parse checks it;
//   - one <html lang> with a language tag (one of Locales), one <title>
//     with text, one meta description, one <h1>;
//   - every link, image, script and style sheet of the site resolves to a
//     file, with its #fragment an id of the target page, and every script
//     and style sheet carries the integrity of its file; links are
//     absolute paths (/nl/…) or URLs with a scheme;
//   - every page but the 404 pages has one canonical URL: its own address;
//   - every page that may be indexed has reciprocal hreflang alternates
//     with x-default, a description within DescMin and DescMax, and an
//     entry in sitemap.xml with the same alternates; no page marked
//     noindex is in the sitemap;
//   - no XML or text file shows signs of escaping twice.
func Check(files map[string][]byte, rules Rules) []Problem {
	c := &siteCheck{files: files, rules: rules, base: strings.TrimSuffix(rules.BaseURL, "/"), byPath: map[string]*Page{}, byFile: map[string]*Page{}}
	c.pages = Pages(files)
	if len(c.pages) == 0 {
		return []Problem{{Msg: "the site has no HTML page"}}
	}
	for _, p := range c.pages {
		c.byPath[p.Path] = p
		c.byFile[p.File] = p
	}
	for name, data := range files {
		if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".txt") {
			s := string(data)
			for _, twice := range escapedTwiceXML {
				if i := strings.Index(s, twice); i >= 0 {
					c.add(name, strings.Count(s[:i], "\n")+1, "escaped twice: %q", twice)
				}
			}
		}
	}
	sitemap := c.readSitemap()
	for _, p := range c.pages {
		for _, pr := range p.Doc.Problems {
			pr.File = p.File
			c.problems = append(c.problems, pr)
		}
		c.checkHead(p)
		c.checkLinks(p)
		c.checkCanonical(p, sitemap)
	}
	for _, e := range sitemap {
		if c.byPath[e.path] == nil {
			c.add("sitemap.xml", 0, "%s is not a page of the site", e.Loc)
		}
	}
	sort.SliceStable(c.problems, func(i, j int) bool {
		a, b := c.problems[i], c.problems[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Msg < b.Msg
	})
	return c.problems
}

type siteCheck struct {
	files    map[string][]byte
	rules    Rules
	base     string // BaseURL without its final /
	pages    []*Page
	byPath   map[string]*Page
	byFile   map[string]*Page
	problems []Problem
}

func (c *siteCheck) add(file string, line int, format string, args ...any) {
	c.problems = append(c.problems, Problem{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// checkHead checks what every page needs: a language, a title, a
// description, one first-level heading.
func (c *siteCheck) checkHead(p *Page) {
	htmls := p.Doc.Find("html", nil)
	if len(htmls) != 1 {
		c.add(p.File, 0, "%d <html> elements, want 1", len(htmls))
	} else if lang := htmls[0].Attr("lang"); lang != "" {
		switch {
		case !langTag.MatchString(lang):
			c.add(p.File, htmls[0].Line, "<html lang=%q> is not a language tag", lang)
		case len(c.rules.Locales) > 0 && !slices.Contains(c.rules.Locales, lang):
			c.add(p.File, htmls[0].Line, "<html lang=%q> is not a locale of the site (%s)", lang, strings.Join(c.rules.Locales, ", "))
		}
	}
	if titles := p.Doc.Find("title", nil); len(titles) != 1 || titles[0].Text == "" {
		c.add(p.File, 0, "wants one <title> with text, has %d", len(titles))
	}
	descs := p.Doc.Find("meta", func(t *Tag) bool { return strings.EqualFold(t.Attr("name"), "description") })
	if len(descs) != 1 || strings.TrimSpace(descs[0].Attr("content")) == "" {
		c.add(p.File, 0, "wants one <meta name=\"description\"> with content, has %d", len(descs))
	} else if !p.NoIndex() {
		d := descs[0].Attr("content")
		if n := utf8.RuneCountInString(d); c.rules.DescMin > 0 && n < c.rules.DescMin || c.rules.DescMax > 0 && n > c.rules.DescMax {
			c.add(p.File, descs[0].Line, "meta description of %d characters, want %d to %d: %q", n, c.rules.DescMin, c.rules.DescMax, d)
		}
	}
	if h1 := p.Doc.Find("h1", nil); len(h1) != 1 {
		c.add(p.File, 0, "%d <h1> elements, want 1", len(h1))
	}
}

// checkLinks checks that every address the page names in the site is a
// file, with the fragment an id of the target page and the integrity of
// scripts and style sheets matching their files.
func (c *siteCheck) checkLinks(p *Page) {
	for _, t := range p.Doc.Tags {
		for _, attr := range []string{"href", "src"} {
			v, ok := t.Attrs[attr]
			if !ok {
				continue
			}
			if t.Name == "link" && (hasToken(t.Attr("rel"), "canonical") || hasToken(t.Attr("rel"), "alternate") && t.Has("hreflang")) {
				continue // checked with the canonical URL
			}
			if c.base != "" && strings.HasPrefix(v, c.base+"/") {
				v = strings.TrimPrefix(v, c.base) // an absolute link into the site is a site path
			}
			switch {
			case v == "":
				c.add(p.File, t.Line, "<%s> with an empty %s", t.Name, attr)
				continue
			case strings.HasPrefix(v, "#"):
				continue // Parse checks the ids of the page
			case strings.HasPrefix(v, "//"):
				c.add(p.File, t.Line, "protocol-relative %s=%q", attr, v)
				continue
			case !strings.HasPrefix(v, "/"):
				if i := strings.Index(v, ":"); i > 0 && !strings.ContainsAny(v[:i], "/?#") {
					continue // https:, mailto:, tel: …
				}
				c.add(p.File, t.Line, "relative %s=%q: every link of the site starts with /", attr, v)
				continue
			}
			pathPart, frag, _ := strings.Cut(v, "#")
			pathPart, _, _ = strings.Cut(pathPart, "?")
			file := fileOf(pathPart)
			data, ok := c.files[file]
			if !ok {
				hint := ""
				if _, dir := c.files[file+"/index.html"]; dir {
					hint = " (the address lacks its final /)"
				}
				c.add(p.File, t.Line, "%s=%q: no file %s%s", attr, t.Attrs[attr], file, hint)
				continue
			}
			if frag != "" {
				if target := c.byFile[file]; target == nil {
					c.add(p.File, t.Line, "%s=%q: %s is not a page, it has no id %q", attr, t.Attrs[attr], file, frag)
				} else if _, ok := target.Doc.IDs[frag]; !ok {
					c.add(p.File, t.Line, "%s=%q: %s has no id %q", attr, t.Attrs[attr], file, frag)
				}
			}
			if t.Name == "script" || t.Name == "link" && hasToken(t.Attr("rel"), "stylesheet") {
				sum := sha512.Sum384(data)
				want := "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
				switch got, has := t.Attrs["integrity"]; {
				case !has:
					c.add(p.File, t.Line, "%s without integrity", v)
				case got != want:
					c.add(p.File, t.Line, "%s: integrity %s does not match the file (%s)", v, got, want)
				}
			}
		}
	}
}

// checkCanonical checks the page's canonical URL and, for a page that may
// be indexed, its hreflang alternates and its sitemap entry.
func (c *siteCheck) checkCanonical(p *Page, sitemap map[string]sitemapEntry) {
	entry, listed := sitemap[p.Path]
	noindex := p.NoIndex()
	if noindex && listed {
		c.add(p.File, 0, "is marked noindex but listed in sitemap.xml")
	}
	if p.errorPage() {
		return
	}
	canon := p.Doc.Find("link", func(t *Tag) bool { return hasToken(t.Attr("rel"), "canonical") })
	if len(canon) != 1 {
		c.add(p.File, 0, "wants one <link rel=\"canonical\">, has %d", len(canon))
		return
	}
	own := c.base + p.Path
	if href := canon[0].Attr("href"); href != own {
		c.add(p.File, canon[0].Line, "canonical %q, want the page's own address %q", href, own)
		return
	}
	if noindex {
		return
	}
	if !listed && !c.rules.Drafts[p.File] {
		c.add(p.File, 0, "may be indexed but is not in sitemap.xml")
	}
	lang := ""
	if h := p.Doc.Find("html", nil); len(h) == 1 {
		lang = h[0].Attr("lang")
	}
	alt := alternates(p)
	if alt[lang] != own {
		c.add(p.File, 0, "hreflang %q (its own language) is %q, want its canonical %s", lang, alt[lang], own)
	}
	if alt["x-default"] == "" {
		c.add(p.File, 0, "has no hreflang x-default")
	}
	for _, hl := range slices.Sorted(maps.Keys(alt)) {
		href := alt[hl]
		if hl != "x-default" && !langTag.MatchString(hl) {
			c.add(p.File, 0, "hreflang %q is not a language tag", hl)
		}
		if !strings.HasPrefix(href, c.base+"/") {
			c.add(p.File, 0, "hreflang %s: %q is not an address of the site (%s)", hl, href, c.base)
			continue
		}
		other := c.byPath[strings.TrimPrefix(href, c.base)]
		if other == nil || other.NoIndex() {
			c.add(p.File, 0, "hreflang %s: %s is not a page that may be indexed", hl, href)
			continue
		}
		if hl != "x-default" {
			if h := other.Doc.Find("html", nil); len(h) == 1 && h[0].Attr("lang") != hl {
				c.add(p.File, 0, "hreflang %s: %s is in %q", hl, href, h[0].Attr("lang"))
			}
		}
		if back := alternates(other); !maps.Equal(back, alt) {
			c.add(p.File, 0, "hreflang %s: %s does not link back with the same set (%s there, %s here)", hl, other.File, linkList(back), linkList(alt))
		}
	}
	if listed && !maps.Equal(entry.Alternates, alt) {
		c.add(p.File, 0, "sitemap.xml lists %s for it, the page %s", linkList(entry.Alternates), linkList(alt))
	}
}

// alternates are the page's links to its translations, by hreflang.
func alternates(p *Page) map[string]string {
	alt := map[string]string{}
	for _, l := range p.Doc.Find("link", func(t *Tag) bool { return hasToken(t.Attr("rel"), "alternate") && t.Has("hreflang") }) {
		alt[l.Attr("hreflang")] = l.Attr("href")
	}
	return alt
}

// sitemapEntry is one <url> of sitemap.xml.
type sitemapEntry struct {
	Loc        string
	path       string
	Alternates map[string]string // hreflang → URL
}

// readSitemap parses sitemap.xml, by URL path; its entries must be
// absolute addresses of the site.
func (c *siteCheck) readSitemap() map[string]sitemapEntry {
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
	out := map[string]sitemapEntry{}
	data, ok := c.files["sitemap.xml"]
	if !ok {
		c.add("sitemap.xml", 0, "no sitemap.xml")
		return out
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		c.add("sitemap.xml", 0, "%v", err)
		return out
	}
	for _, u := range doc.URLs {
		e := sitemapEntry{Loc: strings.TrimSpace(u.Loc), Alternates: map[string]string{}}
		for _, l := range u.Links {
			if l.Rel == "alternate" {
				e.Alternates[l.HrefLang] = l.Href
			}
		}
		loc, err := url.Parse(e.Loc)
		if err != nil || !loc.IsAbs() || !strings.HasPrefix(e.Loc, c.base+"/") {
			c.add("sitemap.xml", 0, "%q is not an absolute address of the site (%s)", e.Loc, c.base)
			continue
		}
		e.path = strings.TrimPrefix(e.Loc, c.base)
		out[e.path] = e
	}
	return out
}

// fileOf is the file a site path is served from.
func fileOf(p string) string {
	f := strings.TrimPrefix(p, "/")
	if f == "" || strings.HasSuffix(f, "/") {
		f += "index.html"
	}
	return f
}

func hasToken(list, tok string) bool {
	return slices.Contains(strings.Fields(strings.ToLower(list)), tok)
}

func linkList(m map[string]string) string {
	var s []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		s = append(s, k+"="+m[k])
	}
	return "[" + strings.Join(s, " ") + "]"
}
