package server

import (
	"net/mail"

	"kmopsite/build"
	"kmopsite/quote"
	"kmopsite/words"
)

// QuoteConfig makes the quote endpoint's configuration from a build: the
// audit body's addresses and mail settings from site.yaml, the words from
// content/. rateLimit < 0 keeps site.yaml's limit.
func QuoteConfig(r *build.Result, outbox string, rateLimit int) quote.Config {
	cfg := r.Config
	qc := quote.Config{
		Outbox:      outbox,
		To:          bareAddress(cfg.Quote.To),
		From:        bareAddress(cfg.Quote.From),
		SiteName:    cfg.Contact.Organisation,
		SiteURL:     cfg.BaseURL,
		DefaultLang: cfg.DefaultLang().Code,
		Words:       map[string]*words.Selfcheck{},
		Mail:        map[string]*quote.Words{},
		PrivacyURL:  map[string]string{},
		RateLimit:   cfg.Quote.RateLimit,
	}
	if qc.SiteName == "" {
		qc.SiteName = cfg.Title
	}
	if rateLimit >= 0 {
		qc.RateLimit = rateLimit
	}
	for _, l := range cfg.Languages {
		qc.Langs = append(qc.Langs, l.Code)
		if t := r.Texts[l.Code]; t != nil {
			qc.Words[l.Code] = t.Selfcheck
			qc.Mail[l.Code] = t.Quote
		}
	}
	for _, p := range r.Pages {
		if p.Rel == "privacy.md" {
			qc.PrivacyURL[p.Lang] = cfg.AbsURL(p.URL)
		}
	}
	if s := cfg.Mail.SMTP; s != nil {
		qc.SMTP = &quote.SMTPConfig{Host: s.Host, Port: s.Port, User: s.User, TLS: s.TLS, PasswordEnv: s.PasswordEnv}
	}
	return qc
}

// bareAddress turns "Name <a@b.be>" into "a@b.be".
func bareAddress(s string) string {
	if a, err := mail.ParseAddress(s); err == nil {
		return a.Address
	}
	return s
}
