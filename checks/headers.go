package checks

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// SecurityHeaders are the response headers that the policy is about: the
// ones compared between _headers and serve.
var SecurityHeaders = []string{
	"Content-Security-Policy",
	"Strict-Transport-Security",
	"X-Content-Type-Options",
	"Referrer-Policy",
	"Permissions-Policy",
	"Cross-Origin-Opener-Policy",
	"X-Frame-Options",
}

// CheckSecurityHeaders returns what is wrong with a response's headers:
// every response needs a strict Content-Security-Policy (no
// 'unsafe-inline', no 'unsafe-eval', no wildcard or scheme source for
// scripts, object-src and base-uri locked, frame-ancestors 'none'), HSTS
// of at least a year with subdomains, nosniff, a referrer policy that
// sends no full URL to other sites, and a permissions policy that turns
// off at least the camera, the microphone and geolocation.
// 'wasm-unsafe-eval' must be in script-src when wasm is true and nowhere
// otherwise.
func CheckSecurityHeaders(h http.Header, wasm bool) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	csp := h.Values("Content-Security-Policy")
	switch len(csp) {
	case 0:
		add("no Content-Security-Policy")
	case 1:
		problems = append(problems, checkCSP(csp[0], wasm)...)
	default:
		add("%d Content-Security-Policy headers (each applies: send one)", len(csp))
	}

	if v := h.Get("Strict-Transport-Security"); v == "" {
		add("no Strict-Transport-Security")
	} else {
		age := -1
		sub := false
		for _, part := range strings.Split(v, ";") {
			k, val, _ := strings.Cut(strings.TrimSpace(part), "=")
			switch strings.ToLower(k) {
			case "max-age":
				age, _ = strconv.Atoi(strings.Trim(val, `"`))
			case "includesubdomains":
				sub = true
			}
		}
		if age < 31536000 {
			add("Strict-Transport-Security %q: max-age under a year", v)
		}
		if !sub {
			add("Strict-Transport-Security %q: no includeSubDomains", v)
		}
	}
	if v := h.Get("X-Content-Type-Options"); !strings.EqualFold(v, "nosniff") {
		add("X-Content-Type-Options is %q, want nosniff", v)
	}
	switch v := strings.ToLower(h.Get("Referrer-Policy")); v {
	case "no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin":
	default:
		add("Referrer-Policy is %q: it must not send full URLs to other sites", v)
	}
	pp := h.Get("Permissions-Policy")
	for _, feature := range []string{"camera", "microphone", "geolocation"} {
		if !regexp.MustCompile(`(^|[,\s])` + feature + `=\(\)`).MatchString(pp) {
			add("Permissions-Policy %q does not turn off %s", pp, feature)
		}
	}
	return problems
}

// checkCSP checks one Content-Security-Policy value.
func checkCSP(v string, wasm bool) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	dirs := map[string][]string{}
	for _, d := range strings.Split(v, ";") {
		f := strings.Fields(d)
		if len(f) == 0 {
			continue
		}
		name := strings.ToLower(f[0])
		if _, dup := dirs[name]; dup {
			add("CSP: %s written twice (the browser ignores the second)", name)
			continue
		}
		dirs[name] = f[1:]
	}
	for name, srcs := range dirs {
		for _, s := range srcs {
			switch strings.ToLower(s) {
			case "'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'":
				add("CSP: %s allows %s", name, s)
			case "'wasm-unsafe-eval'":
				if name != "script-src" {
					add("CSP: 'wasm-unsafe-eval' in %s", name)
				}
			}
		}
	}
	for _, name := range []string{"default-src", "script-src", "style-src", "object-src", "base-uri", "frame-ancestors", "form-action"} {
		if _, ok := dirs[name]; !ok {
			add("CSP: no %s", name)
		}
	}
	if fa := dirs["frame-ancestors"]; fa != nil && (len(fa) != 1 || fa[0] != "'none'") {
		add("CSP: frame-ancestors %s, want 'none'", strings.Join(fa, " "))
	}
	if o := dirs["object-src"]; o != nil && (len(o) != 1 || o[0] != "'none'") {
		add("CSP: object-src %s, want 'none'", strings.Join(o, " "))
	}
	if b := dirs["base-uri"]; b != nil && (len(b) != 1 || b[0] != "'none'" && b[0] != "'self'") {
		add("CSP: base-uri %s, want 'none' or 'self'", strings.Join(b, " "))
	}
	for _, name := range []string{"default-src", "script-src"} {
		for _, s := range dirs[name] {
			ls := strings.ToLower(s)
			if ls == "*" || strings.HasSuffix(ls, ":") || strings.Contains(ls, "*") {
				add("CSP: %s allows %s: scripts from anywhere", name, s)
			}
		}
	}
	hasWasm := false
	for _, s := range dirs["script-src"] {
		if s == "'wasm-unsafe-eval'" {
			hasWasm = true
		}
	}
	switch {
	case wasm && !hasWasm:
		add("CSP: script-src lacks 'wasm-unsafe-eval' on a page that runs WebAssembly")
	case !wasm && hasWasm:
		add("CSP: script-src has 'wasm-unsafe-eval' on a response that runs no WebAssembly")
	}
	return problems
}

// HeaderRule is one block of a _headers file: a URL pattern and its
// lines, in order ("! Name" detaches a header set by an earlier rule).
type HeaderRule struct {
	Pattern string
	Lines   []HeaderLine
}

// HeaderLine is "Name: value", or "! Name" when Detach.
type HeaderLine struct {
	Name, Value string
	Detach      bool
}

// ParseHeadersFile reads a _headers file as Cloudflare Pages and Netlify
// do: a line that does not start with white space is a URL pattern, the
// indented lines under it are its headers.
func ParseHeadersFile(data []byte) ([]HeaderRule, error) {
	var rules []HeaderRule
	sc := bufio.NewScanner(bytes.NewReader(data))
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' {
			rules = append(rules, HeaderRule{Pattern: trimmed})
			continue
		}
		if len(rules) == 0 {
			return nil, fmt.Errorf("_headers:%d: a header before any URL pattern", n)
		}
		r := &rules[len(rules)-1]
		if name, ok := strings.CutPrefix(trimmed, "!"); ok {
			r.Lines = append(r.Lines, HeaderLine{Name: http.CanonicalHeaderKey(strings.TrimSpace(name)), Detach: true})
			continue
		}
		name, value, ok := strings.Cut(trimmed, ":")
		if !ok {
			return nil, fmt.Errorf("_headers:%d: %q is not \"Name: value\"", n, trimmed)
		}
		r.Lines = append(r.Lines, HeaderLine{Name: http.CanonicalHeaderKey(strings.TrimSpace(name)), Value: strings.TrimSpace(value)})
	}
	return rules, sc.Err()
}

// HeadersAt are the headers a static host sends for a URL path under the
// rules: every matching rule applies, in file order; a header that a
// later rule sets again is joined to the first with ", " unless the later
// rule detached it first.
func HeadersAt(rules []HeaderRule, urlPath string) http.Header {
	h := http.Header{}
	for _, r := range rules {
		if !matchPattern(r.Pattern, urlPath) {
			continue
		}
		for _, l := range r.Lines {
			switch {
			case l.Detach:
				h.Del(l.Name)
			case h.Get(l.Name) != "":
				h.Set(l.Name, h.Get(l.Name)+", "+l.Value)
			default:
				h.Set(l.Name, l.Value)
			}
		}
	}
	return h
}

// matchPattern matches a URL path against a _headers pattern, where "*"
// matches any run of characters, slashes included.
func matchPattern(pattern, p string) bool {
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(p, parts[0]) {
		return false
	}
	p = p[len(parts[0]):]
	for i, part := range parts[1:] {
		if i == len(parts)-2 {
			return strings.HasSuffix(p, part)
		}
		k := strings.Index(p, part)
		if k < 0 {
			return false
		}
		p = p[k+len(part):]
	}
	return p == ""
}
