package quote

import (
	"log"
	"maps"
	"net/netip"
	"slices"
	"time"

	"kmopsite/endpoints"
	"kmopsite/words"
)

// Config sets up the quote endpoint. Its zero value is sensible apart from
// the words and the audit body's addresses, which the site provides; the
// defaults are all in withDefaults.
type Config struct {
	// Outbox is the directory where accepted requests are stored before
	// they are acknowledged, and from where the sender delivers them.
	// Default "outbox".
	Outbox string
	// To receives the quote requests; From sends both mails. Both are bare
	// addresses (name@example.be), from site.yaml.
	To, From string
	// SiteName names the sender in From and signs the confirmation;
	// SiteURL ends it.
	SiteName, SiteURL string
	// DefaultLang is the audit body's language, in which it gets the
	// requests. Default "nl".
	DefaultLang string
	// Langs are the languages a request may be in. Default: those of Mail.
	Langs []string
	// Words are the self-check's words per language (questions, choices,
	// codes); Mail the quote form's and mails' words per language.
	Words map[string]*words.Selfcheck
	Mail  map[string]*words.Quote
	// PrivacyURL is the privacy page per language, linked from the
	// confirmation.
	PrivacyURL map[string]string
	// Estimate gives the indicative cost in both mails (site.yaml's
	// estimate:); nil names no amount.
	Estimate *endpoints.Estimate
	// RateLimit is the number of requests per minute one client address
	// may make; 0 turns the limit off.
	RateLimit int
	// ClientIPHeader names a request header that holds the client's
	// address, set by a proxy in front of the server ("X-Forwarded-For",
	// "X-Real-IP"). It is believed only from a peer in TrustedProxies:
	// from anyone else, or when either is empty (the default), the
	// connection's address counts.
	ClientIPHeader string
	TrustedProxies []netip.Prefix
	// ConfirmPerAddressPerDay and ConfirmPerHour cap the confirmations
	// (caps.go): per recipient per day in Belgium, and for the whole site
	// per hour. 0 takes DefaultConfirmPerAddressPerDay and
	// DefaultConfirmPerHour.
	ConfirmPerAddressPerDay, ConfirmPerHour int
	// Caps counts the confirmations; default a count in memory with the
	// two caps above. The Worker counts in KV.
	Caps Caps
	// SMTP, when set, makes Start deliver the outbox through this server.
	// Nil keeps the mails in the outbox, to be read at /_mail/.
	SMTP *SMTPConfig
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Logf logs what an operator must know (failed deliveries, storage
	// errors); default log.Printf.
	Logf func(format string, args ...any)
}

// SMTPConfig is the mail server the sender delivers through.
type SMTPConfig struct {
	Host string
	// Port defaults to 587 for "starttls", 465 for "tls", 25 for "none".
	Port int
	// User is the login; empty for a server without authentication.
	User string
	// TLS is "starttls" (the default), "tls" (implicit TLS) or "none".
	TLS string
	// PasswordEnv names the environment variable that holds the password;
	// the password itself is never in a file.
	PasswordEnv string
}

// ConfigFrom is the configuration that the built site gives the endpoint
// (endpoints.File: the words, the audit body's addresses, the privacy
// pages, the limits and caps); the place it runs adds the rest (the
// outbox, the mail server, the proxies, how it counts).
func ConfigFrom(f *endpoints.File) Config {
	c := Config{
		To:          f.Quote.To,
		From:        f.Quote.From,
		SiteName:    f.SiteName,
		SiteURL:     f.SiteURL,
		DefaultLang: f.DefaultLang,
		Langs:       slices.Clone(f.Langs),
		Words:       map[string]*words.Selfcheck{},
		Mail:        map[string]*words.Quote{},
		PrivacyURL:  maps.Clone(f.PrivacyURL),
		Estimate:    f.Estimate,
		RateLimit:   f.Quote.RateLimit,

		ConfirmPerAddressPerDay: f.Quote.ConfirmationsPerAddress,
		ConfirmPerHour:          f.Quote.ConfirmationsPerHour,
	}
	for lang, w := range f.Words {
		c.Words[lang], c.Mail[lang] = w.Selfcheck, w.Quote
	}
	return c
}

func (c Config) withDefaults() Config {
	if c.Outbox == "" {
		c.Outbox = "outbox"
	}
	if c.DefaultLang == "" {
		c.DefaultLang = "nl"
	}
	if len(c.Langs) == 0 {
		for l := range c.Mail {
			c.Langs = append(c.Langs, l)
		}
		slices.Sort(c.Langs)
	}
	if c.ConfirmPerAddressPerDay <= 0 {
		c.ConfirmPerAddressPerDay = DefaultConfirmPerAddressPerDay
	}
	if c.ConfirmPerHour <= 0 {
		c.ConfirmPerHour = DefaultConfirmPerHour
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logf == nil {
		c.Logf = log.Printf
	}
	return c
}
