package build

import (
	"io/fs"
	"net/mail"
	"slices"
	"strings"

	"kmopsite/assess"
	"kmopsite/diag"
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
	diags = append(diags, checkEstimate(cfg)...)
	for _, check := range checks {
		diags = append(diags, check(cfg)...)
	}
	return cfg, diags
}

// checkEstimate checks site.yaml's estimate: section: a rate, a VAT
// percentage, [low, high] hours for every audit of the plan and for
// each extra service and site.
func checkEstimate(cfg *settings.Site) Diagnostics {
	e := cfg.Estimate
	if e == nil {
		return nil
	}
	var diags Diagnostics
	if e.HourlyRate < 1 {
		diags = append(diags, cfg.At("estimate.hourly_rate", "write the audit body's hourly rate in whole euro, excluding VAT, such as 150", "the hourly rate must be 1 or more"))
	}
	if e.VATPercent < 0 || e.VATPercent > 100 {
		diags = append(diags, cfg.At("estimate.vat_percent", "write the VAT rate as a whole percentage, such as 21", "the VAT percentage must be between 0 and 100"))
	}
	pair := func(path string, v []int) {
		if len(v) != 2 || v[0] < 0 || v[1] < v[0] {
			diags = append(diags, cfg.At(path, "write two whole numbers of hours, the least and the most, such as [14, 20]", "%s must be [low, high] hours, low ≤ high", path))
		}
	}
	for _, audit := range assess.Audits {
		if h, ok := e.Hours[audit]; ok {
			pair("estimate.hours."+audit, h)
		} else {
			diags = append(diags, cfg.At("estimate.hours", "add "+audit+": [low, high] under hours (the audits are "+strings.Join(assess.Audits, ", ")+")", "no hours for the %s audit", audit))
		}
	}
	for _, k := range sortedKeys(e.Hours) {
		if !slices.Contains(assess.Audits, k) {
			hint := diag.DidYouMean(k, assess.Audits)
			if hint == "" {
				hint = "the audits are " + strings.Join(assess.Audits, ", ")
			}
			diags = append(diags, cfg.At("estimate.hours."+k, hint, "unknown audit %q", k))
		}
	}
	pair("estimate.extra_service", e.ExtraService)
	pair("estimate.extra_site", e.ExtraSite)
	return diags
}
