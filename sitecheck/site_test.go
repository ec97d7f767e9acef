package sitecheck

import (
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
)

// A two-language site with a language chooser, a 404 page, a style sheet
// and a sitemap, that Check must pass; each test breaks one thing.

var rules = Rules{BaseURL: "https://example.org/", Locales: []string{"nl-BE", "fr-BE"}, DescMin: 10, DescMax: 100}

func testPage(lang, path, body string, alternates ...string) string {
	var b strings.Builder
	b.WriteString("<!doctype html>\n<html lang=\"" + lang + "\">\n<head><title>T</title>\n<meta name=\"description\" content=\"A description.\">\n")
	b.WriteString(`<link rel="canonical" href="https://example.org` + path + "\">\n")
	for _, a := range alternates {
		hl, p, _ := strings.Cut(a, "=")
		b.WriteString(`<link rel="alternate" hreflang="` + hl + `" href="https://example.org` + p + "\">\n")
	}
	b.WriteString(`<link rel="stylesheet" href="/assets/s.css" integrity="` + integrity("body{}") + "\">\n")
	b.WriteString("</head>\n<body><h1 id=\"top\">T</h1>\n" + body + "\n</body>\n</html>\n")
	return b.String()
}

func integrity(data string) string {
	sum := sha512.Sum384([]byte(data))
	return "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
}

func sitemap(entries ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">`)
	for _, e := range entries {
		loc, alts, _ := strings.Cut(e, " ")
		b.WriteString("<url><loc>https://example.org" + loc + "</loc>")
		for _, a := range strings.Fields(alts) {
			hl, ap, _ := strings.Cut(a, "=")
			b.WriteString(`<xhtml:link rel="alternate" hreflang="` + hl + `" href="https://example.org` + ap + `"/>`)
		}
		b.WriteString("</url>")
	}
	b.WriteString("</urlset>")
	return b.String()
}

var alts = []string{"nl-BE=/nl/a/", "fr-BE=/fr/a/", "x-default=/nl/a/"}

const sm = "nl-BE=/nl/a/ fr-BE=/fr/a/ x-default=/nl/a/"

func goodSite() map[string]string {
	return map[string]string{
		"nl/a/index.html": testPage("nl-BE", "/nl/a/", `<p><a href="/fr/a/#top">fr</a> <a href="https://example.org/nl/a/">zelf</a> <a href="mailto:a@example.org">mail</a></p>`, alts...),
		"fr/a/index.html": testPage("fr-BE", "/fr/a/", `<p><a href="#top">haut</a></p>`, alts...),
		"index.html": strings.Replace(testPage("nl-BE", "/", `<ul><li><a href="/nl/a/">nl</a></li></ul>`),
			"<link rel=\"canonical\"", "<meta name=\"robots\" content=\"noindex\">\n<link rel=\"canonical\"", 1),
		"404.html":     "<!doctype html>\n<html lang=\"nl-BE\"><head><title>404</title><meta name=\"description\" content=\"x\"><meta name=\"robots\" content=\"noindex\"></head><body><h1>404</h1></body></html>",
		"assets/s.css": "body{}",
		"sitemap.xml":  sitemap("/nl/a/ "+sm, "/fr/a/ "+sm),
		"robots.txt":   "Sitemap: https://example.org/sitemap.xml\n",
	}
}

func check(site map[string]string, r Rules) []Problem {
	files := map[string][]byte{}
	for k, v := range site {
		files[k] = []byte(v)
	}
	return Check(files, r)
}

func TestCheckGoodSite(t *testing.T) {
	if p := check(goodSite(), rules); len(p) != 0 {
		t.Fatalf("a good site: %v", p)
	}
}

func TestCheckFinds(t *testing.T) {
	replace := func(file, from, to string) func(map[string]string) {
		return func(s map[string]string) {
			if !strings.Contains(s[file], from) {
				panic(fmt.Sprintf("%s has no %q", file, from))
			}
			s[file] = strings.Replace(s[file], from, to, 1)
		}
	}
	tests := []struct {
		name   string
		change func(map[string]string)
		want   string // a part of one of the problems, with its file
	}{
		{"not well-formed", replace("nl/a/index.html", "<h1 ", "<div><h1 "), "nl/a/index.html:13: </body> closes <div> opened on line 11"},
		{"ARIA", replace("nl/a/index.html", "<p>", `<p aria-label="x">`), "nl/a/index.html:12: <p aria-label>"},
		{"link to a missing anchor", replace("nl/a/index.html", "/fr/a/#top", "/fr/a/#nope"), `nl/a/index.html:12: href="/fr/a/#nope": fr/a/index.html has no id "nope"`},
		{"link to a missing page", replace("nl/a/index.html", "/fr/a/#top", "/fr/b/"), "no file fr/b/index.html"},
		{"link without its slash", replace("nl/a/index.html", "/fr/a/#top", "/fr/a"), "(the address lacks its final /)"},
		{"relative link", replace("nl/a/index.html", "/fr/a/#top", "../fr/a/"), "every link of the site starts with /"},
		{"integrity", replace("nl/a/index.html", integrity("body{}"), "sha384-wrong"), "integrity sha384-wrong does not match"},
		{"escaped twice in a feed", func(s map[string]string) { s["nl/index.xml"] = "<feed>&amp;amp;</feed>" }, `nl/index.xml:1: escaped twice: "&amp;amp;"`},
		{"no x-default", func(s map[string]string) {
			s["nl/a/index.html"] = testPage("nl-BE", "/nl/a/", "", "nl-BE=/nl/a/", "fr-BE=/fr/a/")
		}, "has no hreflang x-default"},
		{"not reciprocal", func(s map[string]string) {
			s["fr/a/index.html"] = testPage("fr-BE", "/fr/a/", "", "fr-BE=/fr/a/", "x-default=/nl/a/", "nl-BE=/nl/b/")
		}, "does not link back"},
		{"hreflang to a page in another language", replace("fr/a/index.html", `lang="fr-BE"`, `lang="nl-BE"`), `hreflang fr-BE: https://example.org/fr/a/ is in "nl-BE"`},
		{"canonical elsewhere", replace("fr/a/index.html", `rel="canonical" href="https://example.org/fr/a/"`, `rel="canonical" href="https://example.org/nl/a/"`), "want the page's own address"},
		{"language chooser without canonical", replace("index.html", `<link rel="canonical" href="https://example.org/">`, ""), `index.html: wants one <link rel="canonical">, has 0`},
		{"no description", replace("fr/a/index.html", `<meta name="description" content="A description.">`, ""), `wants one <meta name="description">`},
		{"short description", replace("fr/a/index.html", `content="A description."`, `content="Short."`), "meta description of 6 characters, want 10 to 100"},
		{"no title", replace("fr/a/index.html", "<title>T</title>", "<title></title>"), "wants one <title> with text"},
		{"two h1", replace("fr/a/index.html", "<p>", "<h1>again</h1><p>"), "2 <h1> elements"},
		{"lang not a tag", replace("fr/a/index.html", `lang="fr-BE"`, `lang="French"`), "is not a language tag"},
		{"lang not a locale", replace("fr/a/index.html", `lang="fr-BE"`, `lang="de-BE"`), "is not a locale of the site"},
		{"noindex in sitemap", func(s map[string]string) { s["sitemap.xml"] = sitemap("/nl/a/ "+sm, "/fr/a/ "+sm, "/") }, "index.html: is marked noindex but listed in sitemap.xml"},
		{"missing from sitemap", func(s map[string]string) { s["sitemap.xml"] = sitemap("/nl/a/ " + sm) }, "fr/a/index.html: may be indexed but is not in sitemap.xml"},
		{"sitemap links differ", func(s map[string]string) { s["sitemap.xml"] = sitemap("/nl/a/ "+sm, "/fr/a/ fr-BE=/fr/a/") }, "sitemap.xml lists"},
		{"sitemap lists no page", func(s map[string]string) { s["sitemap.xml"] = sitemap("/nl/a/ "+sm, "/fr/a/ "+sm, "/nl/gone/") }, "sitemap.xml: https://example.org/nl/gone/ is not a page of the site"},
		{"sitemap elsewhere", func(s map[string]string) {
			s["sitemap.xml"] = strings.Replace(sitemap("/nl/a/ "+sm, "/fr/a/ "+sm), "<loc>https://example.org", "<loc>https://example.com", 1)
		}, "is not an absolute address of the site"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := goodSite()
			tt.change(s)
			problems := check(s, rules)
			for _, p := range problems {
				if strings.Contains(p.String(), tt.want) {
					return
				}
			}
			t.Errorf("problems %v, want one with %q", problems, tt.want)
		})
	}
}

// TestCheckDrafts: a draft built with drafts on stays out of the sitemap.
func TestCheckDrafts(t *testing.T) {
	s := goodSite()
	s["nl/b/index.html"] = testPage("nl-BE", "/nl/b/", "", "nl-BE=/nl/b/", "x-default=/nl/b/")
	if p := check(s, rules); len(p) != 1 || !strings.Contains(p[0].String(), "nl/b/index.html: may be indexed but is not in sitemap.xml") {
		t.Errorf("an unlisted page: %v", p)
	}
	r := rules
	r.Drafts = map[string]bool{"nl/b/index.html": true}
	if p := check(s, r); len(p) != 0 {
		t.Errorf("an unlisted draft: %v", p)
	}
}
