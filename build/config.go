package build

import (
	"io/fs"
	"net/mail"
	"strings"

	"kmopsite/settings"
)

// DefaultHeaders are the security headers of every response: written to
// _headers by build, and so sent by serve, host and the Worker.
func DefaultHeaders() map[string]string {
	return map[string]string{
		"Content-Security-Policy":    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self' mailto:; base-uri 'none'; object-src 'none'; frame-ancestors 'none'",
		"Strict-Transport-Security":  "max-age=63072000; includeSubDomains; preload",
		"X-Content-Type-Options":     "nosniff",
		"Referrer-Policy":            "strict-origin-when-cross-origin",
		"Permissions-Policy":         "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
		"Cross-Origin-Opener-Policy": "same-origin",
		"X-Frame-Options":            "DENY",
	}
}

// WasmCSP is the Content-Security-Policy of the pages that run
// WebAssembly: the default one, with 'wasm-unsafe-eval' added to
// script-src.
func WasmCSP(csp string) string {
	return strings.Replace(csp, "script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", 1)
}

// ResponseHeaders are DefaultHeaders with site.yaml's headers applied.
func ResponseHeaders(cfg *settings.Site) map[string]string {
	h := DefaultHeaders()
	for k, v := range cfg.Headers {
		h[k] = v
	}
	return h
}

// loadConfig reads site.yaml (settings.Read) and checks what build uses
// of it beyond the languages (the contact details; the menus are checked
// when they are linked), then runs the checks of the packages above build
// (Options.Checks) for their sections.
func loadConfig(fsys fs.FS, checks []settings.Check) (*settings.Site, Diagnostics) {
	cfg, diags := settings.Read(fsys)
	if a := cfg.Contact.Email; a != "" {
		if _, err := mail.ParseAddress(a); err != nil {
			diags = append(diags, cfg.At("contact.email", "write an address such as info@example.be", "%q is not a valid e-mail address", a))
		}
	}
	for _, check := range checks {
		diags = append(diags, check(cfg)...)
	}
	return cfg, diags
}
