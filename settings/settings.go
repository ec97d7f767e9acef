// Package settings reads site.yaml, the site's settings: decoded strictly
// by diag.DecodeYAML straight into the defaults of Default, with the
// decoder's document kept beside the values, so that whoever checks a
// value names the line it is written on.
//
// Each section is checked by the package that uses it: this package the
// site's identity that every other reads (base_url, languages); build
// the contact details and menus; server the quote, mail and host
// sections (the quote endpoint and the public server); cms the cms
// section. A new section is a field of Site with its type below (and its
// defaults in Default, or a SetDefaults method when it is optional), and
// a Check in the package that uses it.
package settings

import (
	"fmt"
	"io/fs"
	"net/url"
	"strings"

	"kmopsite/diag"
)

// File is the name of the settings file at the site's root.
const File = "site.yaml"

// Site is site.yaml. Every default is in Default.
type Site struct {
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
	// Estimate is the indicative cost of an audit that the self-check's
	// plan, the home page and the audit page show; without it no amount
	// appears anywhere.
	Estimate *Estimate `yaml:"estimate"`
	// Headers are added to every response, after the security headers
	// (a header named here replaces the default one).
	Headers map[string]string `yaml:"headers"`

	src diag.Source
	doc *diag.Doc // nil when site.yaml is missing or is not YAML
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
	// Locale is the language of the editor's interface (Decap's and
	// ours): one of the site's language codes; the first by default.
	Locale string `yaml:"locale"`
}

// SetDefaults gives a cms: section its defaults when it is written.
func (c *CMS) SetDefaults() { c.Branch = "main" }

// Estimate is the indicative cost of an audit as site.yaml writes it: the
// hours per audit (by assess's plan audit: starter, follow_up, standard,
// renewal) as [low, high], plus extra_service hours for each service
// beyond the first and extra_site hours for each site in Belgium beyond
// the first, times hourly_rate (whole euro, excluding VAT). Build checks
// it and hands it on as endpoints.Estimate, which computes the range.
type Estimate struct {
	HourlyRate   int              `yaml:"hourly_rate"`
	VATPercent   int              `yaml:"vat_percent"`
	Hours        map[string][]int `yaml:"hours"`
	ExtraService []int            `yaml:"extra_service"`
	ExtraSite    []int            `yaml:"extra_site"`
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

// Default holds every default of site.yaml in one place (an optional
// section's, when it is written, in its SetDefaults).
func Default() Site {
	return Site{
		BaseURL: "http://localhost:8080/",
		Title:   "kmopsite",
		Languages: []Language{
			{Code: "nl", Name: "Nederlands", Locale: "nl-BE"},
		},
		Quote: Quote{Endpoint: "/api/quote", RateLimit: 10,
			ConfirmationsPerAddress: 3, ConfirmationsPerHour: 60, RetentionDays: 365},
		Host: Host{ClientIPHeader: "X-Forwarded-For"},
		src:  diag.Source{Path: File},
	}
}

// A Check checks the settings of a section that its package uses, and
// reports each mistake at its place (Site.At).
type Check func(*Site) diag.Diagnostics

// Read reads site.yaml from fsys strictly, over the defaults, and checks
// the settings every package reads (base_url, languages). A missing
// site.yaml gives the defaults, so that a new folder builds.
func Read(fsys fs.FS) (*Site, diag.Diagnostics) {
	s := Default()
	data, err := fs.ReadFile(fsys, File)
	if err != nil {
		return &s, nil
	}
	return Parse(data)
}

// Parse reads the text of site.yaml, as Read does.
func Parse(data []byte) (*Site, diag.Diagnostics) {
	s := Default()
	s.src.Data = data
	doc, diags := diag.DecodeYAML(s.src, 0, len(data), &s)
	if !diag.SyntaxError(diags) {
		s.doc = doc
	}
	diags = append(diags, s.check()...)
	diags.Sort()
	return &s, diags
}

// Unread tells whether site.yaml is there but is not YAML: its languages
// are not known.
func (s *Site) Unread() bool { return s.doc == nil && len(s.src.Data) > 0 }

// At makes an error at the key at path ("quote.to", "languages[1].code"),
// or at its nearest written parent; for the file as a whole when it was
// not read.
func (s *Site) At(path, hint, format string, args ...any) diag.Diagnostic {
	if s.doc == nil {
		return diag.Diagnostic{File: s.src.Path, Msg: fmt.Sprintf(format, args...), Hint: hint}
	}
	return s.src.AtOffset(s.doc.Key(path), hint, format, args...)
}

// AtValue makes an error at the value at path, as At does.
func (s *Site) AtValue(path, hint, format string, args ...any) diag.Diagnostic {
	if s.doc == nil {
		return s.At(path, hint, format, args...)
	}
	return s.src.AtOffset(s.doc.Value(path), hint, format, args...)
}

// check checks what every package reads: base_url (which gets its
// trailing slash) and the languages.
func (s *Site) check() diag.Diagnostics {
	var diags diag.Diagnostics
	if u, err := url.Parse(s.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		diags = append(diags, s.At("base_url", "write the full address, such as https://www.example.be/",
			"base_url %q is not an absolute http(s) address", s.BaseURL))
	} else if !strings.HasSuffix(s.BaseURL, "/") {
		s.BaseURL += "/"
	}
	if len(s.Languages) == 0 {
		diags = append(diags, s.At("languages", "list the languages, the default one first, such as\n  - code: nl\n    name: Nederlands\n    locale: nl-BE",
			"languages lists no language"))
		s.Languages = Default().Languages // every language-dependent step needs one
	}
	seen := map[string]bool{}
	for i, l := range s.Languages {
		at := fmt.Sprintf("languages[%d]", i)
		if l.Code == "" || strings.ContainsAny(l.Code, "/ .") {
			diags = append(diags, s.At(at+".code", "use a short language code such as nl, fr or en", "language code %q is not valid", l.Code))
		}
		if seen[l.Code] {
			diags = append(diags, s.At(at+".code", "list each language once", "language %q is listed twice", l.Code))
		}
		seen[l.Code] = true
		if l.Locale == "" {
			diags = append(diags, s.At(at+".code", "add a locale such as nl-BE", "language %q has no locale", l.Code))
		}
	}
	return diags
}

// Lang returns the language with this code, or nil.
func (s *Site) Lang(code string) *Language {
	for i := range s.Languages {
		if s.Languages[i].Code == code {
			return &s.Languages[i]
		}
	}
	return nil
}

// DefaultLang is the first language.
func (s *Site) DefaultLang() *Language { return &s.Languages[0] }

// AbsURL joins the base URL and a site path starting with "/".
func (s *Site) AbsURL(path string) string {
	return strings.TrimSuffix(s.BaseURL, "/") + path
}
