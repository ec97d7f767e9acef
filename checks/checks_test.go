package checks

import (
	"net/http"
	"strings"
	"testing"
)

// The checkers on small inputs: each must catch the mistake it exists for.

func TestParseHTML(t *testing.T) {
	const head = "<!doctype html>\n<html lang=\"nl\">"
	tests := []struct {
		name, page string
		want       string // a part of the one problem expected; "" for none
	}{
		{"fine", head + `<head><title>A &amp; B</title><script src="/a.js" defer></script></head><body><p>x<br>y</p><img src=a alt=""></body></html>`, ""},
		{"script with tags inside", head + "<body><script>if (a < b) document.write('</p>')</script></body></html>", ""},
		{"svg self-closing", head + `<body><svg><path d="M0 0"/></svg></body></html>`, ""},
		{"unclosed p", head + "<body><div><p>x</div></body></html>", "</div> closes <p>"},
		{"never closed", head + "<body><main>x</body></html>", "</body> closes <main>"},
		{"stray end", "<!doctype html>\n</span>", "</span> closes nothing"},
		{"end tag out of place", head + "<body></span></body></html>", "</span> closes <body>"},
		{"void end tag", head + "<body><br></br></body></html>", "br has no end tag"},
		{"duplicate attribute", head + `<body><a href="/" href="/x">x</a></body></html>`, "attribute href written twice"},
		{"duplicate id", head + `<body><h2 id="a">x</h2><h2 id="a">y</h2></body></html>`, `id "a" is also used on line 2`},
		{"no doctype", `<html lang="nl"><body></body></html>`, "does not start with <!doctype html>"},
		{"unterminated quote", head + `<body><a href="/>x</a></body></html>`, "quoted value not closed"},
		{"unclosed comment", head + "<body><!-- x </body></html>", "comment not closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ParseHTML([]byte(tt.page))
			if tt.want == "" {
				if len(d.Problems) != 0 {
					t.Errorf("problems %q, want none", d.Problems)
				}
				return
			}
			if len(d.Problems) == 0 || !strings.Contains(d.Problems[0], tt.want) {
				t.Errorf("problems %q, want one with %q", d.Problems, tt.want)
			}
		})
	}
	d := ParseHTML([]byte(head + "<head><title> A &amp; B </title></head></html>"))
	if ti := d.Find("title", nil); len(ti) != 1 || ti[0].Text != "A & B" {
		t.Errorf("title %+v, want the text A & B", ti)
	}
}

// testPage makes a page of a two-language site: alternates are hreflang=path.
func testPage(lang, path string, alternates ...string) []byte {
	var b strings.Builder
	b.WriteString("<!doctype html>\n<html lang=\"" + lang + "\"><head><title>T</title>\n<meta name=\"description\" content=\"D\">\n")
	b.WriteString(`<link rel="canonical" href="https://example.org` + path + "\">\n")
	for _, a := range alternates {
		hl, p, _ := strings.Cut(a, "=")
		b.WriteString(`<link rel="alternate" hreflang="` + hl + `" href="https://example.org` + p + "\">\n")
	}
	b.WriteString("</head><body></body></html>")
	return []byte(b.String())
}

func sitemap(paths ...string) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">`)
	for _, p := range paths {
		loc, alts, _ := strings.Cut(p, " ")
		b.WriteString("<url><loc>https://example.org" + loc + "</loc>")
		for _, a := range strings.Fields(alts) {
			hl, ap, _ := strings.Cut(a, "=")
			b.WriteString(`<xhtml:link rel="alternate" hreflang="` + hl + `" href="https://example.org` + ap + `"/>`)
		}
		b.WriteString("</url>")
	}
	b.WriteString("</urlset>")
	return []byte(b.String())
}

func TestCheckPages(t *testing.T) {
	alts := []string{"nl=/nl/a/", "fr=/fr/a/", "x-default=/nl/a/"}
	sm := "nl=/nl/a/ fr=/fr/a/ x-default=/nl/a/"
	good := func() map[string][]byte {
		return map[string][]byte{
			"nl/a/index.html": testPage("nl", "/nl/a/", alts...),
			"fr/a/index.html": testPage("fr", "/fr/a/", alts...),
			"nl/404.html":     []byte("<!doctype html>\n<html lang=\"nl\"><head><title>404</title><meta name=\"description\" content=\"x\"><meta name=\"robots\" content=\"noindex\"></head><body></body></html>"),
			"sitemap.xml":     sitemap("/nl/a/ "+sm, "/fr/a/ "+sm),
		}
	}
	if p := CheckPages(good()); len(p) != 0 {
		t.Fatalf("a good site: %q", p)
	}
	tests := []struct {
		name   string
		change func(map[string][]byte)
		want   string
	}{
		{"no x-default", func(f map[string][]byte) {
			f["nl/a/index.html"] = testPage("nl", "/nl/a/", "nl=/nl/a/", "fr=/fr/a/")
		}, "no hreflang x-default"},
		{"not reciprocal", func(f map[string][]byte) {
			f["fr/a/index.html"] = testPage("fr", "/fr/a/", "fr=/fr/a/", "x-default=/nl/a/", "nl=/nl/b/")
		}, "does not link back"},
		{"canonical elsewhere", func(f map[string][]byte) {
			f["fr/a/index.html"] = testPage("fr", "/nl/a/", alts...)
		}, "is not the absolute URL of /fr/a/"},
		{"no description", func(f map[string][]byte) {
			f["fr/a/index.html"] = []byte(strings.Replace(string(f["fr/a/index.html"]), `<meta name="description" content="D">`, "", 1))
		}, `wants one <meta name="description">`},
		{"no lang", func(f map[string][]byte) {
			f["fr/a/index.html"] = []byte(strings.Replace(string(f["fr/a/index.html"]), `lang="fr"`, "", 1))
		}, "is not a language tag"},
		{"noindex in sitemap", func(f map[string][]byte) {
			f["sitemap.xml"] = sitemap("/nl/a/ "+sm, "/fr/a/ "+sm, "/nl/404.html")
		}, "marked noindex but listed in sitemap.xml"},
		{"missing from sitemap", func(f map[string][]byte) {
			f["sitemap.xml"] = sitemap("/nl/a/ " + sm)
		}, "not in sitemap.xml"},
		{"sitemap links differ", func(f map[string][]byte) {
			f["sitemap.xml"] = sitemap("/nl/a/ "+sm, "/fr/a/ fr=/fr/a/")
		}, "sitemap.xml lists"},
		{"not well-formed", func(f map[string][]byte) {
			f["nl/a/index.html"] = []byte(strings.Replace(string(f["nl/a/index.html"]), "<body>", "<body><div>", 1))
		}, "closes <div>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := good()
			tt.change(f)
			problems := CheckPages(f)
			for _, p := range problems {
				if strings.Contains(p, tt.want) {
					return
				}
			}
			t.Errorf("problems %q, want one with %q", problems, tt.want)
		})
	}
}

func strict() http.Header {
	h := http.Header{}
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	return h
}

func TestCheckSecurityHeaders(t *testing.T) {
	if p := CheckSecurityHeaders(strict(), false); len(p) != 0 {
		t.Fatalf("strict headers: %q", p)
	}
	wasm := strict()
	wasm.Set("Content-Security-Policy", strings.Replace(wasm.Get("Content-Security-Policy"), "script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", 1))
	if p := CheckSecurityHeaders(wasm, true); len(p) != 0 {
		t.Fatalf("wasm page: %q", p)
	}
	csp := func(from, to string) func(h http.Header) {
		return func(h http.Header) {
			h.Set("Content-Security-Policy", strings.Replace(h.Get("Content-Security-Policy"), from, to, 1))
		}
	}
	tests := []struct {
		name   string
		change func(http.Header)
		wasm   bool
		want   string
	}{
		{"unsafe-inline style", csp("style-src 'self'", "style-src 'self' 'unsafe-inline'"), false, "style-src allows 'unsafe-inline'"},
		{"unsafe-eval", csp("script-src 'self'", "script-src 'self' 'unsafe-eval'"), false, "allows 'unsafe-eval'"},
		{"wasm where none runs", csp("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'"), false, "runs no WebAssembly"},
		{"no wasm where it runs", func(http.Header) {}, true, "lacks 'wasm-unsafe-eval'"},
		{"framing allowed", csp("frame-ancestors 'none'", "frame-ancestors 'self'"), false, "frame-ancestors 'self', want 'none'"},
		{"scripts from anywhere", csp("script-src 'self'", "script-src 'self' https:"), false, "scripts from anywhere"},
		{"no CSP", func(h http.Header) { h.Del("Content-Security-Policy") }, false, "no Content-Security-Policy"},
		{"short HSTS", func(h http.Header) { h.Set("Strict-Transport-Security", "max-age=300; includeSubDomains") }, false, "under a year"},
		{"no nosniff", func(h http.Header) { h.Del("X-Content-Type-Options") }, false, "want nosniff"},
		{"leaky referrer", func(h http.Header) { h.Set("Referrer-Policy", "unsafe-url") }, false, "Referrer-Policy"},
		{"camera allowed", func(h http.Header) { h.Set("Permissions-Policy", "microphone=(), geolocation=()") }, false, "does not turn off camera"},
		{"two CSPs", func(h http.Header) { h.Add("Content-Security-Policy", "default-src *") }, false, "2 Content-Security-Policy headers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := strict()
			tt.change(h)
			problems := CheckSecurityHeaders(h, tt.wasm)
			for _, p := range problems {
				if strings.Contains(p, tt.want) {
					return
				}
			}
			t.Errorf("problems %q, want one with %q", problems, tt.want)
		})
	}
}

func TestHeadersAt(t *testing.T) {
	rules, err := ParseHeadersFile([]byte(`/*
  Content-Security-Policy: default-src 'self'; script-src 'self'
  X-Content-Type-Options: nosniff
/nl/zelftest/*
  ! Content-Security-Policy
  Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'
/nl/*
  Link: </a.css>; rel=preload
/assets/*
  Cache-Control: immutable
/assets/*.wasm
  Cache-Control: no-transform
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ path, name, want string }{
		{"/", "Content-Security-Policy", "default-src 'self'; script-src 'self'"},
		{"/nl/zelftest/", "Content-Security-Policy", "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'"},
		{"/nl/zelftest/", "X-Content-Type-Options", "nosniff"},
		{"/nl/zelftest", "Content-Security-Policy", "default-src 'self'; script-src 'self'"},
		{"/nl/zelftest/", "Link", "</a.css>; rel=preload"},
		{"/fr/", "Link", ""},
		{"/assets/a.wasm", "Cache-Control", "immutable, no-transform"},
		{"/assets/a.js", "Cache-Control", "immutable"},
	}
	for _, tt := range tests {
		if got := HeadersAt(rules, tt.path).Get(tt.name); got != tt.want {
			t.Errorf("%s %s: %q, want %q", tt.path, tt.name, got, tt.want)
		}
	}
	if _, err := ParseHeadersFile([]byte("  X: y\n")); err == nil {
		t.Error("a header before any pattern: no error")
	}
}
