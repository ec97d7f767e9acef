package build

import (
	"context"
	"crypto/sha512"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestSite builds the repository's own site (golang/website's TestAll) and
// checks what a visitor, a crawler and a browser rely on: every link,
// anchor and asset resolves, every page is well formed and has its title,
// description, canonical URL and reciprocal hreflang alternates, and
// nothing is escaped twice.
func TestSite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole site")
	}
	r := Run(context.Background(), Options{Source: "..", NoWasm: true})
	if len(r.Diagnostics) > 0 {
		t.Fatalf("the site has diagnostics:\n%s", r.Diagnostics.Format(0))
	}
	if len(r.Pages) < 10 {
		t.Fatalf("only %d pages: is this the repository's site?", len(r.Pages))
	}
	for _, p := range checkSite(r, siteRules{seo: true, descMin: 110, descMax: 170}) {
		t.Error(p)
	}
}

type siteRules struct {
	seo              bool // check titles, descriptions, canonical URLs and hreflang
	descMin, descMax int  // the length of a meta description, in characters
}

// page is what checkSite reads of one HTML file.
type page struct {
	file       string
	lang       string
	noindex    bool
	h1         int
	title      string
	desc       *string
	canonical  string
	alternates map[string]string // hreflang → absolute URL
	ids        map[string]bool
	refs       []ref
}

type ref struct {
	tag, attr, value string
	line             int
	integrity        string
	hasIntegrity     bool
}

// checkSite returns every problem of a built site, as "file: line N: …".
func checkSite(r *Result, rules siteRules) []string {
	var problems []string
	report := func(file string, format string, args ...any) {
		problems = append(problems, file+": "+fmt.Sprintf(format, args...))
	}
	base := strings.TrimSuffix(r.Config.BaseURL, "/")

	// Nothing escaped twice, in any text file.
	for _, name := range sortedKeys(r.Files) {
		if !strings.HasSuffix(name, ".html") && !strings.HasSuffix(name, ".xml") && !strings.HasSuffix(name, ".txt") {
			continue
		}
		s := string(r.Files[name])
		for _, twice := range []string{"&amp;amp;", "&amp;#", "&amp;lt;", "&amp;gt;", "&amp;quot;", "&amp;nbsp;", "&lt;p&gt;", "&lt;a ", "&lt;/", "&amp;rsquo;", "&amp;ndash;"} {
			if i := strings.Index(s, twice); i >= 0 {
				report(name, "line %d: escaped twice: %q", strings.Count(s[:i], "\n")+1, twice)
			}
		}
	}

	// Read every page.
	pages := map[string]*page{}
	for _, name := range sortedKeys(r.Files) {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		tags, bad := parseHTML(r.Files[name])
		for _, b := range bad {
			report(name, "%s", b)
		}
		p := &page{file: name, alternates: map[string]string{}, ids: map[string]bool{}}
		pages[name] = p
		for _, tag := range tags {
			if tag.end {
				continue
			}
			a := tag.attrs
			if id, ok := a["id"]; ok {
				if p.ids[id] {
					report(name, "line %d: id %q used twice", tag.line, id)
				}
				p.ids[id] = true
			}
			for attr := range a {
				if strings.HasPrefix(attr, "on") || attr == "style" {
					report(name, "line %d: inline %s= on <%s>: the Content-Security-Policy forbids it", tag.line, attr, tag.name)
				}
			}
			switch tag.name {
			case "html":
				p.lang = a["lang"]
			case "h1":
				p.h1++
			case "title":
				p.title = strings.TrimSpace(tag.text)
			case "meta":
				switch a["name"] {
				case "description":
					d := a["content"]
					p.desc = &d
				case "robots":
					p.noindex = strings.Contains(a["content"], "noindex")
				}
			case "script":
				if _, ok := a["src"]; !ok {
					report(name, "line %d: inline <script>: the Content-Security-Policy forbids it", tag.line)
				}
			case "style":
				report(name, "line %d: inline <style>: the Content-Security-Policy forbids it", tag.line)
			case "img":
				if _, ok := a["alt"]; !ok {
					report(name, "line %d: <img> without alt", tag.line)
				}
			case "link":
				switch {
				case a["rel"] == "canonical":
					p.canonical = a["href"]
				case a["rel"] == "alternate" && a["hreflang"] != "":
					if _, ok := p.alternates[a["hreflang"]]; ok {
						report(name, "line %d: hreflang %q twice", tag.line, a["hreflang"])
					}
					p.alternates[a["hreflang"]] = a["href"]
				}
			}
			for _, attr := range []string{"href", "src"} {
				if v, ok := a[attr]; ok {
					integrity, has := a["integrity"]
					p.refs = append(p.refs, ref{tag: tag.name, attr: attr, value: v, line: tag.line, integrity: integrity, hasIntegrity: has})
				}
			}
		}
	}

	// Links, anchors and assets.
	for _, name := range sortedKeys(pages) {
		p := pages[name]
		for _, l := range p.refs {
			v := l.value
			if strings.HasPrefix(v, base+"/") && l.tag != "link" && l.tag != "meta" {
				v = strings.TrimPrefix(v, base) // an absolute link into the site is checked as a site path
			}
			switch {
			case v == "":
				report(name, "line %d: <%s> with an empty %s", l.line, l.tag, l.attr)
				continue
			case v == "#":
				continue // the top of the page; the self-check's script gives these links their use
			case strings.HasPrefix(v, "#"):
				if !p.ids[v[1:]] {
					report(name, "line %d: link to #%s, which is not on the page", l.line, v[1:])
				}
				continue
			case strings.HasPrefix(v, "//"):
				report(name, "line %d: protocol-relative %s=%q", l.line, l.attr, v)
				continue
			case !strings.HasPrefix(v, "/"):
				if i := strings.Index(v, ":"); i > 0 && !strings.ContainsAny(v[:i], "/?#") {
					continue // https:, mailto:, tel: …
				}
				report(name, "line %d: relative %s=%q: every link of the site starts with /", l.line, l.attr, v)
				continue
			}
			pathPart, frag, _ := strings.Cut(v, "#")
			pathPart, _, _ = strings.Cut(pathPart, "?")
			file := strings.TrimPrefix(pathPart, "/")
			if file == "" || strings.HasSuffix(file, "/") {
				file += "index.html"
			}
			data, ok := r.Files[file]
			if !ok {
				hint := ""
				if _, dir := r.Files[file+"/index.html"]; dir {
					hint = " (the address lacks its final /)"
				}
				report(name, "line %d: %s=%q: no file %s%s", l.line, l.attr, l.value, file, hint)
				continue
			}
			if frag != "" {
				if target := pages[file]; target == nil || !target.ids[frag] {
					report(name, "line %d: %s=%q: %s has no id %q", l.line, l.attr, l.value, file, frag)
				}
			}
			asset := strings.HasPrefix(file, "assets/") && (l.tag == "script" || l.tag == "link" && strings.HasSuffix(file, ".css"))
			if asset {
				sum := sha512.Sum384(data)
				want := "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
				switch {
				case !l.hasIntegrity:
					report(name, "line %d: %s without integrity", l.line, l.value)
				case l.integrity != want:
					report(name, "line %d: %s: integrity %s does not match the file (%s)", l.line, l.value, l.integrity, want)
				}
			}
		}
	}

	if !rules.seo {
		return problems
	}

	// Titles, descriptions, canonical URLs, hreflang.
	urlToFile := func(u string) string {
		f := strings.TrimPrefix(strings.TrimPrefix(u, base), "/")
		if f == "" || strings.HasSuffix(f, "/") {
			f += "index.html"
		}
		return f
	}
	locales := map[string]bool{}
	for _, l := range r.Config.Languages {
		locales[l.Locale] = true
	}
	for _, name := range sortedKeys(pages) {
		p := pages[name]
		if p.lang == "" || !locales[p.lang] {
			report(name, "<html lang=%q> is not a locale of site.yaml", p.lang)
		}
		if p.h1 != 1 {
			report(name, "%d <h1> elements, want 1", p.h1)
		}
		if p.title == "" {
			report(name, "no <title>")
		}
		if p.desc == nil || strings.TrimSpace(*p.desc) == "" {
			report(name, "no meta description")
		}
		if p.noindex {
			continue
		}
		if n := utf8.RuneCountInString(*p.desc); n < rules.descMin || n > rules.descMax {
			report(name, "meta description of %d characters, want %d to %d: %q", n, rules.descMin, rules.descMax, *p.desc)
		}
		if want := base + "/" + strings.TrimSuffix(name, "index.html"); p.canonical != want {
			report(name, "canonical %q, want %q", p.canonical, want)
		}
		if p.alternates[p.lang] != p.canonical {
			report(name, "hreflang %q (its own language) is %q, want the canonical %q", p.lang, p.alternates[p.lang], p.canonical)
		}
		if p.alternates["x-default"] == "" {
			report(name, "no hreflang x-default")
		}
		for hl, u := range p.alternates {
			if hl == "x-default" || hl == p.lang {
				continue
			}
			other := pages[urlToFile(u)]
			if other == nil {
				report(name, "hreflang %q points at %s, which is not a page", hl, u)
				continue
			}
			if other.lang != hl {
				report(name, "hreflang %q points at %s, whose language is %q", hl, u, other.lang)
			}
			if back := other.alternates[p.lang]; back != p.canonical {
				report(name, "hreflang %q → %s, which does not point back (its %q is %q)", hl, u, p.lang, back)
			}
			if other.alternates["x-default"] != p.alternates["x-default"] {
				report(name, "x-default %q, but its translation %s has %q", p.alternates["x-default"], other.file, other.alternates["x-default"])
			}
		}
	}

	// The sitemap lists every indexable page with the same alternates.
	var sm struct {
		URLs []struct {
			Loc   string `xml:"loc"`
			Links []struct {
				HrefLang string `xml:"hreflang,attr"`
				Href     string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(r.Files["sitemap.xml"], &sm); err != nil {
		report("sitemap.xml", "%v", err)
		return problems
	}
	listed := map[string]bool{}
	for _, u := range sm.URLs {
		file := urlToFile(u.Loc)
		listed[file] = true
		p := pages[file]
		if p == nil {
			report("sitemap.xml", "%s is not a page", u.Loc)
			continue
		}
		got := map[string]string{}
		for _, l := range u.Links {
			got[l.HrefLang] = l.Href
		}
		if fmt.Sprint(got) != fmt.Sprint(p.alternates) {
			report("sitemap.xml", "%s: alternates %v, but the page has %v", u.Loc, got, p.alternates)
		}
	}
	drafts := map[string]bool{} // rendered when Options.Drafts, never in the sitemap
	for _, p := range r.Pages {
		drafts[p.Output] = p.Front.Draft
	}
	var missing []string
	for name, p := range pages {
		if !p.noindex && !listed[name] && !drafts[name] {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		report("sitemap.xml", "does not list %s", m)
	}
	return problems
}

// TestCheckSiteFinds proves checkSite is able to fail: a site with one
// mistake of each kind gives one problem of each kind.
func TestCheckSiteFinds(t *testing.T) {
	page := func(lang, self, other, body string) []byte {
		return []byte(`<!doctype html><html lang="` + lang + `"><head><title>T</title>
<meta name="description" content="` + strings.Repeat("d", 120) + `">
<link rel="canonical" href="https://x.be` + self + `">
<link rel="alternate" hreflang="` + lang + `" href="https://x.be` + self + `">
<link rel="alternate" hreflang="other" href="https://x.be` + other + `">
<link rel="alternate" hreflang="x-default" href="https://x.be` + self + `">
</head><body><h1 id="top">T</h1>` + body + `</body></html>`)
	}
	css := []byte("body{}")
	r := &Result{Config: &Config{BaseURL: "https://x.be/", Languages: []Language{{Code: "a", Locale: "a"}, {Code: "b", Locale: "other"}}},
		Files: map[string][]byte{
			"a/index.html": page("a", "/a/", "/b/", `<a href="/b/#nope">x</a><a href="/c/">y</a><p>&amp;amp;</p>
<link rel="stylesheet" href="/assets/s.css" integrity="sha384-wrong"><script>inline()</script><div><p></div>`),
			"b/index.html":  page("other", "/b/", "/elsewhere/", `<a href="#top">up</a><img src="/assets/s.css">`),
			"assets/s.css":  css,
			"sitemap.xml":   []byte(`<urlset><url><loc>https://x.be/a/</loc></url></urlset>`),
			"elsewhere.txt": nil,
		}}
	got := strings.Join(checkSite(r, siteRules{seo: true, descMin: 110, descMax: 170}), "\n")
	for _, want := range []string{
		"escaped twice", "has no id \"nope\"", "no file c/index.html", "integrity sha384-wrong does not match",
		"inline <script>", "closes <p>", "does not point back", "<img> without alt", "alternates map[]", "does not list b/index.html",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no problem %q found in:\n%s", want, got)
		}
	}
}
