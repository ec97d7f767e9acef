package server

import (
	"fmt"
	"net/mail"
	"net/netip"
	"strings"

	"kmopsite/diag"
	"kmopsite/settings"
)

// CheckSettings checks the sections of site.yaml that serve and host
// use: the quote endpoint (quote:), its mail (mail:) and the public
// server (host:).
func CheckSettings(s *settings.Site) diag.Diagnostics {
	var diags diag.Diagnostics
	bad := func(path, hint, format string, args ...any) {
		diags = append(diags, s.At(path, hint, format, args...))
	}
	q := s.Quote
	for _, a := range []struct{ path, addr string }{{"quote.to", q.To}, {"quote.from", q.From}} {
		if a.addr == "" {
			continue
		}
		if _, err := mail.ParseAddress(a.addr); err != nil {
			bad(a.path, "write an address such as info@example.be", "%q is not a valid e-mail address", a.addr)
		}
	}
	if q.RateLimit < 0 {
		bad("quote.rate_limit", "write 0 for no limit, or a number of requests per minute", "rate_limit must not be negative")
	}
	for _, n := range []struct {
		key string
		v   int
	}{{"confirmations_per_address", q.ConfirmationsPerAddress}, {"confirmations_per_hour", q.ConfirmationsPerHour}, {"retention_days", q.RetentionDays}} {
		if n.v < 0 {
			bad("quote."+n.key, "write a positive number", "%s must not be negative", n.key)
		}
	}
	for i, p := range s.Host.TrustedProxies {
		if _, err := netip.ParsePrefix(p); err != nil {
			bad(fmt.Sprintf("host.trusted_proxies[%d]", i), "write addresses with their prefix length, such as 10.0.0.0/8 or 127.0.0.1/32",
				"trusted proxy %q is not an address range", p)
		}
	}
	for i, n := range s.Host.Names {
		if n == "" || strings.ContainsAny(n, "/:@ ") {
			bad(fmt.Sprintf("host.names[%d]", i), "write a host name alone, such as kiwa.be", "host name %q is not a host name", n)
		}
	}
	if m := s.Mail.SMTP; m != nil {
		if m.Host == "" {
			bad("mail.smtp", "add host: smtp.example.be", "mail.smtp has no host")
		}
		switch m.TLS {
		case "", "starttls", "tls", "none":
		default:
			bad("mail.smtp.tls", "write starttls, tls or none", "mail.smtp.tls %q is not known", m.TLS)
		}
	}
	return diags
}
