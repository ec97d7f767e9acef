package build

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/mail"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"kmopsite/endpoints"
	"kmopsite/settings"
	"kmopsite/words"
)

// headerRules are the response headers per URL prefix: the security
// headers for every path, and the CSP that allows WebAssembly for the pages
// that run it. Written to _headers and used by serve.
func headerRules(s *site) map[string]map[string]string {
	if s == nil {
		return nil
	}
	base := ResponseHeaders(s.cfg)
	rules := map[string]map[string]string{"/*": base}
	for _, p := range s.pages {
		if p.Layout == "selfcheck" || p.Layout == "quote" || p.Layout == "search" {
			h := map[string]string{"Content-Security-Policy": WasmCSP(base["Content-Security-Policy"])}
			rules[p.URL+"*"] = h
		}
		if p.Layout == "search" {
			// Pagefind's worker compiles the index's WebAssembly under the
			// policy of its own response.
			rules["/"+SearchWorker] = map[string]string{"Content-Security-Policy": WasmCSP(base["Content-Security-Policy"])}
		}
	}
	return rules
}

// HeadersFor returns the headers of a request path from the rules: the
// rules for "/*" with the most specific other matching rule applied.
func HeadersFor(rules map[string]map[string]string, urlPath string) map[string]string {
	h := map[string]string{}
	for k, v := range rules["/*"] {
		h[k] = v
	}
	best := ""
	for prefix := range rules {
		p := strings.TrimSuffix(prefix, "*")
		if prefix != "/*" && strings.HasPrefix(urlPath, p) && len(p) > len(best) {
			best = prefix
		}
	}
	for k, v := range rules[best] {
		h[k] = v
	}
	return h
}

// siteFiles are the files about the site as a whole: sitemap, robots,
// _headers, _redirects and the news feeds.
func siteFiles(s *site, rules map[string]map[string]string, notes map[string]string) map[string][]byte {
	return siteFilesWith(s, rules, notes, sitemap, atomFeed)
}

// siteFilesWith is siteFiles with the functions that make the sitemap and
// a news section's feed, which the incremental builder memoizes.
func siteFilesWith(s *site, rules map[string]map[string]string, notes map[string]string,
	sitemap func(*site) []byte, feed func(*site, *Page) []byte) map[string][]byte {
	if s == nil {
		return nil
	}
	files := map[string][]byte{
		"sitemap.xml": sitemap(s),
		"robots.txt":  []byte("User-agent: *\nAllow: /\nDisallow: /admin/\n\nSitemap: " + s.cfg.AbsURL("/sitemap.xml") + "\n"),
		"_headers":    headersFile(rules, notes),
		"_redirects":  redirects(s),
	}
	for _, p := range s.pages {
		if p.Layout == "news" {
			files[strings.TrimPrefix(p.URL, "/")+"index.xml"] = feed(s, p)
		}
	}
	return files
}

// endpointsFile is the file the endpoints read (package endpoints): what
// the quote endpoint needs of the built site, so that no server builds
// the site again and the Worker keeps no copy of it.
func endpointsFile(s *site, texts map[string]*Texts, iw map[string]InterfaceWords, rules map[string]map[string]string) []byte {
	cfg := s.cfg
	f := &endpoints.File{
		SiteName:    cmp.Or(cfg.Contact.Organisation, cfg.Title),
		SiteURL:     cfg.BaseURL,
		DefaultLang: cfg.DefaultLang().Code,
		Quote: endpoints.Quote{Endpoint: cfg.Quote.Endpoint, To: bareAddress(cfg.Quote.To), From: bareAddress(cfg.Quote.From),
			RateLimit: cfg.Quote.RateLimit, ConfirmationsPerAddress: cfg.Quote.ConfirmationsPerAddress,
			ConfirmationsPerHour: cfg.Quote.ConfirmationsPerHour, RetentionDays: cfg.Quote.RetentionDays},
		PrivacyURL: map[string]string{},
		Headers:    rules["/*"],
		Words:      map[string]endpoints.Words{},
		Estimate:   EstimateOf(cfg),
	}
	for _, l := range cfg.Languages {
		f.Langs = append(f.Langs, l.Code)
		w := endpoints.Words{SignIn: signInWords(cfg, iw[l.Code])}
		if t := texts[l.Code]; t != nil {
			w.Selfcheck, w.Quote = t.Selfcheck, t.Quote
		}
		if w.Selfcheck != nil || w.SignIn != nil {
			f.Words[l.Code] = w
		}
		if p := s.byRel[l.Code]["privacy.md"]; p != nil {
			f.PrivacyURL[l.Code] = cfg.AbsURL(p.URL)
		}
	}
	return f.Marshal()
}

// signInWords are the live editor's sign-in texts among a language's
// interface words; nil without the editor (site.yaml's cms: section).
func signInWords(cfg *settings.Site, iw InterfaceWords) words.SignIn {
	if cfg.CMS == nil || iw == nil {
		return nil
	}
	out := words.SignIn{}
	for k := range words.SignInKeys {
		if v, ok := iw[words.SignInPrefix+k]; ok {
			out[k] = v
		}
	}
	return out
}

// bareAddress turns "Name <a@b.be>" into "a@b.be".
func bareAddress(s string) string {
	if a, err := mail.ParseAddress(s); err == nil {
		return a.Address
	}
	return s
}

// headersFile writes the rules in Cloudflare Pages' _headers format, a
// rule's note above it as comment lines.
func headersFile(rules map[string]map[string]string, notes map[string]string) []byte {
	var b bytes.Buffer
	prefixes := sortedKeys(rules)
	sort.Slice(prefixes, func(i, j int) bool {
		// "/*" first, then the more specific rules that override it.
		if (prefixes[i] == "/*") != (prefixes[j] == "/*") {
			return prefixes[i] == "/*"
		}
		return prefixes[i] < prefixes[j]
	})
	for _, prefix := range prefixes {
		if note := notes[prefix]; note != "" {
			for _, l := range strings.Split(strings.TrimSpace(note), "\n") {
				fmt.Fprintf(&b, "# %s\n", l)
			}
		}
		fmt.Fprintf(&b, "%s\n", prefix)
		names := sortedKeys(rules[prefix])
		sort.Strings(names)
		for _, n := range names {
			if prefix != "/*" {
				// Replace, not add to, the header of the "/*" rule.
				fmt.Fprintf(&b, "  ! %s\n", n)
			}
			fmt.Fprintf(&b, "  %s: %s\n", n, rules[prefix][n])
		}
	}
	b.WriteString("/assets/*\n  Cache-Control: public, max-age=31536000, immutable\n")
	return b.Bytes()
}

// ReadHeaders reads a _headers file as headersFile writes it: a path
// pattern at the start of a line, then its indented "Name: value" lines.
// ("! Name" lines say that the rule replaces the header of "/*", which
// HeadersFor does anyway.)
func ReadHeaders(data []byte) map[string]map[string]string {
	rules := map[string]map[string]string{}
	var cur map[string]string
	for _, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "!"):
		case line[0] != ' ' && line[0] != '\t':
			cur = map[string]string{}
			rules[t] = cur
		case cur != nil:
			if k, v, ok := strings.Cut(t, ":"); ok {
				cur[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
		}
	}
	return rules
}

// A Redirect is a line of _redirects: a request for its path is sent to
// To with Status.
type Redirect struct {
	To     string
	Status int
}

// redirects is the _redirects file: / to the default language (302),
// every alias to its page (301).
func redirects(s *site) []byte {
	var lines []string
	for _, p := range s.pages {
		for _, a := range p.Front.Aliases {
			if !strings.HasPrefix(a, "/") {
				a = "/" + a
			}
			lines = append(lines, fmt.Sprintf("%s %s %d", a, p.URL, http.StatusMovedPermanently))
		}
	}
	sort.Strings(lines)
	lines = append([]string{fmt.Sprintf("/ /%s/ %d", s.cfg.DefaultLang().Code, http.StatusFound)}, lines...)
	return []byte(strings.Join(lines, "\n") + "\n")
}

// ReadRedirects reads a _redirects file as redirects writes it, "from to
// status" a line, by path. A line without a status is a 301, as on
// Cloudflare Pages and Netlify.
func ReadRedirects(data []byte) map[string]Redirect {
	rs := map[string]Redirect{}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || strings.HasPrefix(f[0], "#") {
			continue
		}
		status := http.StatusMovedPermanently
		if len(f) > 2 {
			if n, err := strconv.Atoi(f[2]); err == nil && n >= 300 && n < 400 {
				status = n
			}
		}
		rs[f[0]] = Redirect{To: f[1], Status: status}
	}
	return rs
}

// alternates are a page's hreflang links: itself and its translations,
// plus x-default (the default language's version, else the page itself).
func alternates(cfg *settings.Site, p *PageView, translations []*PageView) []Alternate {
	var out []Alternate
	all := append([]*PageView{p}, translations...)
	index := func(lang string) int {
		if i := slices.IndexFunc(cfg.Languages, func(l settings.Language) bool { return l.Code == lang }); i >= 0 {
			return i
		}
		return len(cfg.Languages)
	}
	sort.SliceStable(all, func(i, j int) bool { return index(all[i].Lang) < index(all[j].Lang) })
	def := p
	for _, q := range all {
		l := cfg.Lang(q.Lang)
		out = append(out, Alternate{Lang: q.Lang, HrefLang: l.Locale, Name: l.Name, URL: cfg.AbsURL(q.URL), Path: q.URL, Current: q == p})
		if q.Lang == cfg.DefaultLang().Code {
			def = q
		}
	}
	out = append(out, Alternate{Lang: "x-default", HrefLang: "x-default", URL: cfg.AbsURL(def.URL), Path: def.URL})
	return out
}

// Alternate is one language version of a page.
type Alternate struct {
	Lang     string // nl, or x-default
	HrefLang string // nl-BE
	Name     string // Nederlands
	URL      string // absolute
	Path     string // /nl/kmop-norm/
	Current  bool
}

func sitemap(s *site) []byte {
	var entries []sitemapEntry
	for _, p := range s.pages {
		if e, ok := sitemapURL(s, p); ok {
			entries = append(entries, e)
		}
	}
	return sitemapFile(entries)
}

// sitemapEntry is one page's <url> element, with its address to sort by.
type sitemapEntry struct {
	loc string
	xml []byte
}

// sitemapURL is a page's entry in the sitemap; drafts have none.
func sitemapURL(s *site, p *Page) (sitemapEntry, bool) {
	type link struct {
		Rel      string `xml:"rel,attr"`
		HrefLang string `xml:"hreflang,attr"`
		Href     string `xml:"href,attr"`
	}
	type url struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod,omitempty"`
		Links   []link `xml:"xhtml:link"`
	}
	if p.Front.Draft || noIndex(p.Layout) {
		return sitemapEntry{}, false
	}
	u := url{Loc: s.cfg.AbsURL(p.URL), LastMod: p.Front.Reviewed}
	if u.LastMod == "" {
		u.LastMod = p.Front.Date
	}
	for _, a := range alternates(s.cfg, s.view(p), s.viewsOf(p.Translations)) {
		u.Links = append(u.Links, link{Rel: "alternate", HrefLang: a.HrefLang, Href: a.URL})
	}
	out, _ := xml.MarshalIndent(u, "  ", "  ")
	return sitemapEntry{loc: u.Loc, xml: out}, true
}

// sitemapFile is the sitemap of these entries, sorted by address.
func sitemapFile(entries []sitemapEntry) []byte {
	sort.Slice(entries, func(i, j int) bool { return entries[i].loc < entries[j].loc })
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">` + "\n")
	for _, e := range entries {
		b.Write(e.xml)
		b.WriteByte('\n')
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

// atomFeed is the Atom feed of a news section.
func atomFeed(s *site, section *Page) []byte {
	type link struct {
		Rel  string `xml:"rel,attr,omitempty"`
		Href string `xml:"href,attr"`
	}
	type entry struct {
		Title   string `xml:"title"`
		Link    link   `xml:"link"`
		ID      string `xml:"id"`
		Updated string `xml:"updated"`
		Summary string `xml:"summary"`
	}
	type feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Lang    string   `xml:"xml:lang,attr"`
		Title   string   `xml:"title"`
		Links   []link   `xml:"link"`
		ID      string   `xml:"id"`
		Updated string   `xml:"updated"`
		Author  struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Entries []entry `xml:"entry"`
	}
	f := feed{Lang: s.cfg.Lang(section.Lang).Locale, Title: section.Front.Title, ID: s.cfg.AbsURL(section.URL),
		Links: []link{{Rel: "self", Href: s.cfg.AbsURL(section.URL + "index.xml")}, {Href: s.cfg.AbsURL(section.URL)}}}
	f.Author.Name = s.cfg.Contact.Organisation
	if f.Author.Name == "" {
		f.Author.Name = s.cfg.Title // Atom requires an author
	}
	for _, p := range section.Pages {
		if !p.IsNews() {
			continue
		}
		updated := p.Front.Date + "T00:00:00Z"
		if updated > f.Updated {
			f.Updated = updated
		}
		f.Entries = append(f.Entries, entry{Title: p.Front.Title, Link: link{Href: s.cfg.AbsURL(p.URL)},
			ID: s.cfg.AbsURL(p.URL), Updated: updated, Summary: p.Front.Description})
	}
	if f.Updated == "" {
		f.Updated = "2000-01-01T00:00:00Z"
	}
	out, _ := xml.MarshalIndent(f, "", "  ")
	return append([]byte(xml.Header), append(out, '\n')...)
}

// writeFiles makes dest hold exactly files: it writes the files whose
// contents changed and removes every other file and emptied folder. It
// lists dest once, so that a new file is not read first and a folder is
// made once, and it writes in parallel: on a big site the build is mostly
// system calls.
func writeFiles(dest string, files map[string][]byte) (written, removed int, err error) {
	existing := map[string]bool{} // files in dest, by slash path
	var dirs []string             // folders in dest, by slash path
	err = filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			if p == dest && errors.Is(err, fs.ErrNotExist) {
				return nil // nothing there yet
			}
			return err
		}
		rel, _ := filepath.Rel(dest, p)
		rel = filepath.ToSlash(rel)
		switch {
		case rel == ".":
		case d.IsDir():
			dirs = append(dirs, rel)
		default:
			existing[rel] = true
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	need := map[string]bool{} // the folders of the files
	for name := range files {
		for d := path.Dir(name); d != "." && !need[d]; d = path.Dir(d) {
			need[d] = true
		}
	}

	// Remove what is no longer part of the site first: an old file may
	// stand where a folder goes now, or an old folder where a file goes.
	for rel := range existing {
		if _, ok := files[rel]; !ok {
			if err := os.Remove(filepath.Join(dest, filepath.FromSlash(rel))); err != nil {
				return 0, removed, err
			}
			removed++
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(dirs))) // deepest first
	have := map[string]bool{}
	for _, d := range dirs {
		if need[d] {
			have[d] = true
		} else {
			_ = os.RemoveAll(filepath.Join(dest, filepath.FromSlash(d))) // empty now
		}
	}

	// Make the missing folders, parents first (a level at a time, each
	// level in parallel), then write.
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return 0, removed, err
	}
	var levels [][]string // missing folders by depth
	for _, d := range sortedKeys(need) {
		if !have[d] {
			depth := strings.Count(d, "/")
			for len(levels) <= depth {
				levels = append(levels, nil)
			}
			levels[depth] = append(levels[depth], d)
		}
	}
	var mu sync.Mutex
	for _, level := range levels {
		parallelIO(len(level), func(i int) {
			if merr := os.Mkdir(filepath.Join(dest, filepath.FromSlash(level[i])), 0o755); merr != nil && !errors.Is(merr, fs.ErrExist) {
				mu.Lock()
				err = cmp.Or(err, merr)
				mu.Unlock()
			}
		})
		if err != nil {
			return 0, removed, err
		}
	}
	names := sortedKeys(files)
	var n atomic.Int64
	parallelIO(len(names), func(i int) {
		name, data := names[i], files[names[i]]
		p := filepath.Join(dest, filepath.FromSlash(name))
		if existing[name] {
			if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, data) {
				return
			}
		}
		if werr := os.WriteFile(p, data, 0o644); werr != nil {
			mu.Lock()
			if err == nil {
				err = werr
			}
			mu.Unlock()
			return
		}
		n.Add(1)
	})
	return int(n.Load()), removed, err
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys) // output and hints must not depend on map order
	return keys
}
