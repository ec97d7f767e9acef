package checks

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// The header checkers on small inputs: each must catch the mistake it
// exists for. (The HTML checker and the whole-site check are sitecheck's,
// tested there.)

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

// deadline is a test's deadline, for Budget.
type deadline struct {
	at time.Time
	ok bool
}

func (d deadline) Deadline() (time.Time, bool) { return d.at, d.ok }

// TestBudget: a budget is at least what a quiet machine needs, and never
// runs past the test's deadline less its grace.
func TestBudget(t *testing.T) {
	if got := Budget(deadline{}, 15*time.Second); got < 15*time.Second {
		t.Errorf("with no deadline: %s, want at least 15s", got)
	}
	soon := deadline{time.Now().Add(40 * time.Second), true}
	if got := Budget(soon, 10*time.Minute); got > 35*time.Second {
		t.Errorf("40 s before the deadline, a 10 min step gets %s: past the deadline less 5 s of grace", got)
	}
	far := deadline{time.Now().Add(time.Hour), true}
	if got := Budget(far, 15*time.Second); got < 15*time.Second {
		t.Errorf("an hour before the deadline: %s, want at least 15s", got)
	}
	if s := Slowdown(); s < 1 {
		t.Errorf("Slowdown() = %v, want at least 1", s)
	}
}
