package server

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"

	"kmopsite/build"
	"kmopsite/endpoints"
	"kmopsite/quote"
	"kmopsite/settings"
)

// QuoteConfig makes the quote endpoint's configuration from what the
// build wrote for it (f: the words, the audit body's addresses, the
// privacy pages, the limits) and site.yaml's deployment settings (s: the
// mail server, the proxies in front). rateLimit < 0 keeps the site's
// limit.
func QuoteConfig(f *endpoints.File, s *settings.Site, outbox string, rateLimit int) quote.Config {
	qc := quote.ConfigFrom(f)
	qc.Outbox = outbox
	if len(s.Host.TrustedProxies) > 0 {
		qc.ClientIPHeader = s.Host.ClientIPHeader
		for _, p := range s.Host.TrustedProxies {
			if pp, err := netip.ParsePrefix(p); err == nil { // checked by CheckSettings
				qc.TrustedProxies = append(qc.TrustedProxies, pp.Masked())
			}
		}
	}
	if rateLimit >= 0 {
		qc.RateLimit = rateLimit
	}
	if m := s.Mail.SMTP; m != nil {
		qc.SMTP = &quote.SMTPConfig{Host: m.Host, Port: m.Port, User: m.User, TLS: m.TLS, PasswordEnv: m.PasswordEnv}
	}
	return qc
}

// builtEndpoints reads the endpoints' file of a build in memory.
func builtEndpoints(r *build.Result) (*endpoints.File, error) {
	data, ok := r.Files[endpoints.Path]
	if !ok {
		return nil, fmt.Errorf("the build wrote no %s: the site's settings could not be read", endpoints.Path)
	}
	return endpoints.Parse(data)
}

// QuoteOptions configures the quote endpoint.
type QuoteOptions struct {
	Outbox    string // where requests and their mails are kept
	RateLimit int    // requests per minute per address; < 0 keeps site.yaml's
	// NoMailbox leaves /_mail/ out even when mail stays in the outbox:
	// kmopsite host never shows the requests to whoever asks.
	NoMailbox bool
}

// Quotes serves the quote endpoint, and the mailbox when mail stays in the
// outbox, with the configuration of the last good build: when an edit
// changes the words of the self-check or the quote form, or the settings
// of site.yaml, the next request gets a handler made from them, on the
// same outbox (quote.Handler.Reconfigure). A request keeps the handler it
// started with; the swap waits for none of them, so a slow client that
// holds its request open blocks nobody.
type Quotes struct {
	opts QuoteOptions
	logf func(format string, args ...any)

	cur    atomic.Pointer[quoteState]
	mu     sync.Mutex     // one swap or Start at a time
	sender *quote.Handler // the handler whose sender delivers the outbox; nil without SMTP
}

// quoteState is the handler in service with what it was made from.
type quoteState struct {
	h        *quote.Handler // nil when the configuration cannot make one: 503
	cfg      quote.Config   // without Logf
	endpoint string
}

// NewQuotes makes the endpoint from what a build wrote for it (f) and the
// deployment settings of site.yaml (s). When they cannot make a handler
// (f is nil: the build wrote no endpoints' file), it returns the error
// with Quotes that answer 503 until they can.
func NewQuotes(f *endpoints.File, s *settings.Site, opts QuoteOptions, logf func(string, ...any)) (*Quotes, error) {
	q := &Quotes{opts: opts, logf: logf}
	q.cur.Store(&quoteState{})
	return q, q.Update(f, s)
}

// Update makes a new handler when the quote configuration differs from
// the one in service.
func (q *Quotes) Update(f *endpoints.File, s *settings.Site) error {
	if f == nil {
		return fmt.Errorf("no %s", endpoints.Path)
	}
	cfg := QuoteConfig(f, s, q.opts.Outbox, q.opts.RateLimit)
	st := q.cur.Load()
	if st.h != nil && reflect.DeepEqual(cfg, st.cfg) && f.Quote.Endpoint == st.endpoint {
		return nil
	}
	return q.swap(cfg, f.Quote.Endpoint)
}

func (q *Quotes) swap(cfg quote.Config, endpoint string) error {
	withLog := cfg
	withLog.Logf = q.logf
	q.mu.Lock()
	defer q.mu.Unlock()
	var h *quote.Handler
	var err error
	if prev := q.cur.Load().h; prev != nil {
		// The same outbox, nothing cleared: requests being stored
		// by prev finish, and prev's sender hears of new ones.
		h, err = prev.Reconfigure(withLog)
	} else {
		h, err = quote.NewHandler(withLog)
		if h != nil && q.sender != nil {
			h.UseSenderOf(q.sender)
		}
	}
	if err != nil {
		h = nil // 503 until the next good build
	}
	q.cur.Store(&quoteState{h: h, cfg: cfg, endpoint: endpoint})
	return err
}

// SMTP reports whether mail is delivered (else it stays in the outbox).
func (q *Quotes) SMTP() *quote.SMTPConfig {
	return q.cur.Load().cfg.SMTP
}

// Handler is the quote handler in service; nil while the configuration
// cannot make one.
func (q *Quotes) Handler() *quote.Handler {
	return q.cur.Load().h
}

// Start delivers the outbox through SMTP, when configured. The sender is
// the handler's in service then; handlers made later store into the same
// outbox and wake it. It keeps the SMTP settings it started with: a change
// of them needs a restart.
func (q *Quotes) Start(ctx context.Context) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if h := q.cur.Load().h; q.sender == nil && h != nil {
		q.sender = h
		h.Start(ctx)
	}
}

// route returns the handler for a path: the endpoint, or the mailbox.
func (q *Quotes) route(urlPath string) http.Handler {
	if q == nil {
		return nil
	}
	st := q.cur.Load()
	switch {
	case urlPath == st.endpoint:
		return endpointHandler(st.h)
	case st.cfg.SMTP == nil && !q.opts.NoMailbox && (urlPath == "/_mail" || strings.HasPrefix(urlPath, "/_mail/")):
		if st.h == nil {
			return http.HandlerFunc(unavailable)
		}
		return st.h.Mailbox()
	}
	return nil
}

func endpointHandler(h *quote.Handler) http.Handler {
	if h == nil {
		return http.HandlerFunc(unavailable)
	}
	return h
}

// unavailable is the endpoint's answer when the site's configuration
// cannot make it (the terminal says why).
func unavailable(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = w.Write([]byte(`{"errors":[{"field":"body","code":"unavailable"}]}` + "\n"))
}
