package build

import (
	"fmt"
	"io/fs"
	"kmopsite/diag"
	"net/mail"
	"net/netip"
	"net/url"
	"strings"
)

// Config is site.yaml. Every default is in DefaultConfig.
type Config struct {
	BaseURL     string     `yaml:"base_url"`
	Title       string     `yaml:"title"`
	Languages   []Language `yaml:"languages"`
	NewsSection string     `yaml:"news_section"` // content folder of the dated posts, e.g. "nieuws"
	Contact     Contact    `yaml:"contact"`
	Quote       Quote      `yaml:"quote"`
	Mail        Mail       `yaml:"mail"`
	Host        Host       `yaml:"host"`
	// CMS is where the editor on the live site (/admin/) saves; without
	// it build writes no /admin/.
	CMS *CMS `yaml:"cms"`
	// Headers are added to every response, after the security headers of
	// DefaultHeaders (a header named here replaces the default one).
	Headers map[string]string `yaml:"headers"`

	unread bool // site.yaml is not YAML: its languages are not known
}

// Language is one language of the site; the first is the default.
type Language struct {
	Code   string     `yaml:"code"`   // nl
	Name   string     `yaml:"name"`   // Nederlands
	Locale string     `yaml:"locale"` // nl-BE
	Title  string     `yaml:"title"`  // the site's title in this language
	Menu   []MenuItem `yaml:"menu"`   // the main menu, at the top of every page
	Footer []MenuItem `yaml:"footer"` // links in the footer: privacy, FAQ, news…
}

// MenuItem links to a content page by file, as in Markdown links.
type MenuItem struct {
	Page  string `yaml:"page"`  // file relative to content/<lang>/, e.g. kmop-norm.md
	Title string `yaml:"title"` // optional; the page's title by default
}

// Contact is the audit body's contact details, shown in the footer.
type Contact struct {
	Organisation string `yaml:"organisation"`
	Phone        string `yaml:"phone"`
	Email        string `yaml:"email"`
	Address      string `yaml:"address"`
}

// Quote configures the quote endpoint.
type Quote struct {
	Endpoint  string `yaml:"endpoint"`   // where the form posts; /api/quote
	To        string `yaml:"to"`         // the audit body's address that receives requests
	From      string `yaml:"from"`       // the sender of both mails
	RateLimit int    `yaml:"rate_limit"` // requests per minute per address; 0: no limit
	// The confirmation mail goes to the address typed into the form: at
	// most this many per address per day, and this many per hour for the
	// whole site. Beyond them a request is stored and mailed to the audit
	// body, without a confirmation.
	ConfirmationsPerAddress int `yaml:"confirmations_per_address"`
	ConfirmationsPerHour    int `yaml:"confirmations_per_hour"`
	// RetentionDays: kmopsite host deletes requests and their mails older
	// than this, once a day.
	RetentionDays int `yaml:"retention_days"`
}

// Host configures kmopsite host, the public server.
type Host struct {
	// Names are host names the site answers to besides base_url's (say
	// the bare domain when base_url has www.); other names get 421.
	Names []string `yaml:"names"`
	// TrustedProxies are the addresses (CIDRs, 10.0.0.0/8 or 127.0.0.1/32)
	// of the proxies in front of host; their ClientIPHeader is believed,
	// nobody else's.
	TrustedProxies []string `yaml:"trusted_proxies"`
	ClientIPHeader string   `yaml:"client_ip_header"` // X-Forwarded-For by default
}

// CMS says where the editor on the live site saves: every change is a
// pull request on Repository against Branch, and editors sign in to
// GitHub through the Worker at AuthURL (its /api/auth route).
type CMS struct {
	Repository string `yaml:"repository"` // owner/name on GitHub
	Branch     string `yaml:"branch"`     // the branch the site is built from; main by default
	AuthURL    string `yaml:"auth_url"`   // the origin of the sign-in routes, such as https://www.example.be
}

// Mail configures delivery. Without SMTP, mail stays in the outbox.
type Mail struct {
	SMTP *SMTP `yaml:"smtp"`
}

// SMTP is a mail server. The password comes from the environment variable
// named by PasswordEnv, never from site.yaml.
type SMTP struct {
	Host        string `yaml:"host"`
	Port        int    `yaml:"port"`
	User        string `yaml:"user"`
	TLS         string `yaml:"tls"` // starttls, tls or none
	PasswordEnv string `yaml:"password_env"`
}

// DefaultConfig holds every default of site.yaml in one place.
func DefaultConfig() Config {
	return Config{
		BaseURL: "http://localhost:8080/",
		Title:   "kmopsite",
		Languages: []Language{
			{Code: "nl", Name: "Nederlands", Locale: "nl-BE"},
		},
		Quote: Quote{Endpoint: "/api/quote", RateLimit: 10,
			ConfirmationsPerAddress: 3, ConfirmationsPerHour: 60, RetentionDays: 365},
		Host: Host{ClientIPHeader: "X-Forwarded-For"},
	}
}

// DefaultHeaders are the security headers of every response: written to
// _headers by build and sent by serve.
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
func (c *Config) ResponseHeaders() map[string]string {
	h := DefaultHeaders()
	for k, v := range c.Headers {
		h[k] = v
	}
	return h
}

// Lang returns the language with this code, or nil.
func (c *Config) Lang(code string) *Language {
	for i := range c.Languages {
		if c.Languages[i].Code == code {
			return &c.Languages[i]
		}
	}
	return nil
}

// DefaultLang is the first language.
func (c *Config) DefaultLang() *Language { return &c.Languages[0] }

// AbsURL joins the base URL and a site path starting with "/".
func (c *Config) AbsURL(path string) string {
	return strings.TrimSuffix(c.BaseURL, "/") + path
}

// loadConfig reads site.yaml strictly. A missing site.yaml gives the
// defaults, so that a new folder builds.
func loadConfig(fsys fs.FS) (*Config, Diagnostics) {
	return LoadConfig(fsys)
}

// LoadConfig reads site.yaml from fsys, strictly, with every default of
// DefaultConfig; for commands that need the settings without a build.
func LoadConfig(fsys fs.FS) (*Config, Diagnostics) {
	cfg := DefaultConfig()
	data, err := fs.ReadFile(fsys, "site.yaml")
	if err != nil {
		return &cfg, nil
	}
	src := source{path: "site.yaml", data: data}
	var file Config
	_, diags := diag.DecodeYAML(src.diag(), 0, len(data), &file)
	merge(&cfg, file)
	cfg.unread = diag.SyntaxError(diags)
	diags = append(diags, validateConfig(src, &cfg)...)
	return &cfg, diags
}

// merge copies the non-zero fields of file over the defaults.
func merge(cfg *Config, file Config) {
	if file.BaseURL != "" {
		cfg.BaseURL = file.BaseURL
	}
	if file.Title != "" {
		cfg.Title = file.Title
	}
	if len(file.Languages) > 0 {
		cfg.Languages = file.Languages
	}
	cfg.NewsSection = file.NewsSection
	cfg.Contact = file.Contact
	if file.Quote.Endpoint != "" {
		cfg.Quote.Endpoint = file.Quote.Endpoint
	}
	cfg.Quote.To, cfg.Quote.From = file.Quote.To, file.Quote.From
	if file.Quote.RateLimit != 0 {
		cfg.Quote.RateLimit = file.Quote.RateLimit
	}
	for dst, v := range map[*int]int{&cfg.Quote.ConfirmationsPerAddress: file.Quote.ConfirmationsPerAddress,
		&cfg.Quote.ConfirmationsPerHour: file.Quote.ConfirmationsPerHour, &cfg.Quote.RetentionDays: file.Quote.RetentionDays} {
		if v != 0 {
			*dst = v
		}
	}
	cfg.Host.Names, cfg.Host.TrustedProxies = file.Host.Names, file.Host.TrustedProxies
	if file.Host.ClientIPHeader != "" {
		cfg.Host.ClientIPHeader = file.Host.ClientIPHeader
	}
	cfg.Mail = file.Mail
	cfg.CMS = file.CMS
	if cfg.CMS != nil && cfg.CMS.Branch == "" {
		cfg.CMS.Branch = "main"
	}
	cfg.Headers = file.Headers
}

func validateConfig(src source, c *Config) Diagnostics {
	var diags Diagnostics
	find := func(key string) (int, int) { return findKey(src.data, key) }
	bad := func(key, hint, format string, args ...any) {
		line, col := find(key)
		if line == 0 {
			diags = append(diags, Diagnostic{File: src.path, Msg: fmt.Sprintf(format, args...), Hint: hint})
			return
		}
		diags = append(diags, src.at(line, col, hint, format, args...))
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("base_url", "write the full address, such as https://www.example.be/", "base_url %q is not an absolute http(s) address", c.BaseURL)
	} else if !strings.HasSuffix(c.BaseURL, "/") {
		c.BaseURL += "/"
	}
	seen := map[string]bool{}
	for _, l := range c.Languages {
		if l.Code == "" || strings.ContainsAny(l.Code, "/ .") {
			bad("code", "use a short language code such as nl, fr or en", "language code %q is not valid", l.Code)
		}
		if seen[l.Code] {
			bad("code: "+l.Code, "list each language once", "language %q is listed twice", l.Code)
		}
		seen[l.Code] = true
		if l.Locale == "" {
			bad("code: "+l.Code, "add a locale such as nl-BE", "language %q has no locale", l.Code)
		}
	}
	for key, addr := range map[string]string{"to": c.Quote.To, "from": c.Quote.From, "email": c.Contact.Email} {
		if addr == "" {
			continue
		}
		if _, err := mail.ParseAddress(addr); err != nil {
			bad(key, "write an address such as info@example.be", "%q is not a valid e-mail address", addr)
		}
	}
	if c.Quote.RateLimit < 0 {
		bad("rate_limit", "write 0 for no limit, or a number of requests per minute", "rate_limit must not be negative")
	}
	for key, v := range map[string]int{"confirmations_per_address": c.Quote.ConfirmationsPerAddress,
		"confirmations_per_hour": c.Quote.ConfirmationsPerHour, "retention_days": c.Quote.RetentionDays} {
		if v < 0 {
			bad(key, "write a positive number", "%s must not be negative", key)
		}
	}
	for _, p := range c.Host.TrustedProxies {
		if _, err := netip.ParsePrefix(p); err != nil {
			bad("trusted_proxies", "write addresses with their prefix length, such as 10.0.0.0/8 or 127.0.0.1/32", "trusted proxy %q is not an address range", p)
		}
	}
	for _, n := range c.Host.Names {
		if n == "" || strings.ContainsAny(n, "/:@ ") {
			bad("names", "write a host name alone, such as kiwa.be", "host name %q is not a host name", n)
		}
	}
	if s := c.Mail.SMTP; s != nil {
		if s.Host == "" {
			bad("smtp", "add host: smtp.example.be", "mail.smtp has no host")
		}
		switch s.TLS {
		case "", "starttls", "tls", "none":
		default:
			bad("tls", "write starttls, tls or none", "mail.smtp.tls %q is not known", s.TLS)
		}
	}
	if m := c.CMS; m != nil {
		if owner, name, ok := strings.Cut(m.Repository, "/"); !ok || owner == "" || name == "" || strings.ContainsAny(name, "/ ") || strings.ContainsAny(owner, " ") {
			bad("repository", "write the GitHub repository as owner/name, such as kiwa/kmopsite", "cms.repository %q is not owner/name", m.Repository)
		}
		if strings.ContainsAny(m.Branch, " ~^:?*[\\") {
			bad("branch", "write the name of the branch the site is built from, such as main", "cms.branch %q is not a branch name", m.Branch)
		}
		if u, err := url.Parse(m.AuthURL); err != nil || (u.Scheme != "https" && !(u.Scheme == "http" && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1"))) || u.Host == "" || strings.Trim(u.Path, "/") != "" {
			bad("auth_url", "write the address of the site that runs the Worker, such as https://www.example.be (https, no path)", "cms.auth_url %q is not an https address without a path", m.AuthURL)
		} else {
			m.AuthURL = strings.TrimSuffix(m.AuthURL, "/")
		}
	}
	return diags
}

// findKey finds the first line that starts (after indentation and an
// optional "- ") with "key:", for diagnostics about values that decoding
// accepted but validation did not.
func findKey(data []byte, key string) (line, col int) {
	for i, l := range strings.Split(string(data), "\n") {
		t := strings.TrimLeft(l, " ")
		t = strings.TrimPrefix(t, "- ")
		if strings.HasPrefix(t, key+":") || strings.HasPrefix(t, key) && strings.Contains(key, ":") {
			return i + 1, len(l) - len(t) + 1
		}
	}
	return 0, 0
}
