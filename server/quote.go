package server

import (
	"context"
	"net/http"
	"net/mail"
	"reflect"
	"strings"
	"sync"

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

// QuoteOptions configures the quote endpoint of serve.
type QuoteOptions struct {
	Outbox    string // where requests and their mails are kept
	RateLimit int    // requests per minute per address; < 0 keeps site.yaml's
}

// Quotes serves the quote endpoint, and the mailbox when mail stays in the
// outbox, with the configuration of the last good build: when an edit
// changes the words of the self-check or the quote form, or the settings
// of site.yaml, the next request gets a handler made from them. A request
// holds the handler it started with; a new one is made, on the same
// outbox, once no request is running.
type Quotes struct {
	opts QuoteOptions
	logf func(format string, args ...any)

	mu       sync.RWMutex
	h        *quote.Handler
	cfg      quote.Config // that h was made from, without Logf
	endpoint string
	sender   *quote.Handler // the handler whose sender delivers the outbox; nil without SMTP
}

// NewQuotes makes the endpoint from a build (good or not: its config and
// words are what there is). When they cannot make a handler, it returns
// the error with Quotes that answer 503 until a build can.
func NewQuotes(r *build.Result, opts QuoteOptions, logf func(string, ...any)) (*Quotes, error) {
	q := &Quotes{opts: opts, logf: logf}
	cfg := QuoteConfig(r, opts.Outbox, opts.RateLimit)
	return q, q.swap(cfg, r.Config.Quote.Endpoint)
}

// Update makes a new handler when the build's quote configuration differs
// from the one in service.
func (q *Quotes) Update(r *build.Result) error {
	cfg := QuoteConfig(r, q.opts.Outbox, q.opts.RateLimit)
	q.mu.RLock()
	same := reflect.DeepEqual(cfg, q.cfg) && r.Config.Quote.Endpoint == q.endpoint
	q.mu.RUnlock()
	if same {
		return nil
	}
	return q.swap(cfg, r.Config.Quote.Endpoint)
}

func (q *Quotes) swap(cfg quote.Config, endpoint string) error {
	withLog := cfg
	withLog.Logf = q.logf
	q.mu.Lock() // waits for running requests: the new handler clears the outbox's unfinished writes
	defer q.mu.Unlock()
	h, err := quote.NewHandler(withLog)
	if h != nil && q.sender != nil {
		h.UseSenderOf(q.sender) // new requests wake the running sender at once
	}
	q.h, q.cfg, q.endpoint = h, cfg, endpoint // h is nil on error: 503 until the next good build
	return err
}

// SMTP reports whether mail is delivered (else it stays in the outbox).
func (q *Quotes) SMTP() *quote.SMTPConfig {
	q.mu.RLock()
	defer q.mu.RUnlock()
	return q.cfg.SMTP
}

// Start delivers the outbox through SMTP, when configured. The sender is
// the handler's in service then; handlers made later store into the same
// outbox and wake it (quote.Handler.UseSenderOf). It keeps the SMTP
// settings it started with: a change of them needs a restart of serve.
func (q *Quotes) Start(ctx context.Context) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.sender == nil && q.h != nil {
		q.sender = q.h
		q.h.Start(ctx)
	}
}

// route returns the handler for a path: the endpoint, or the mailbox.
func (q *Quotes) route(urlPath string) http.Handler {
	if q == nil {
		return nil
	}
	q.mu.RLock()
	endpoint, smtp := q.endpoint, q.cfg.SMTP
	q.mu.RUnlock()
	switch {
	case urlPath == endpoint:
		return http.HandlerFunc(q.serveEndpoint)
	case smtp == nil && (urlPath == "/_mail" || strings.HasPrefix(urlPath, "/_mail/")):
		return http.HandlerFunc(q.serveMailbox)
	}
	return nil
}

func (q *Quotes) serveEndpoint(w http.ResponseWriter, r *http.Request) {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.h == nil {
		unavailable(w)
		return
	}
	q.h.ServeHTTP(w, r)
}

func (q *Quotes) serveMailbox(w http.ResponseWriter, r *http.Request) {
	q.mu.RLock()
	h := q.h
	q.mu.RUnlock()
	if h == nil {
		unavailable(w)
		return
	}
	h.Mailbox().ServeHTTP(w, r)
}

// unavailable is the endpoint's answer when the site's configuration
// cannot make it (the terminal says why).
func unavailable(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = w.Write([]byte(`{"errors":[{"field":"body","code":"unavailable"}]}` + "\n"))
}
