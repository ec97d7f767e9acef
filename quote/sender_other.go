//go:build !(js && wasm)

package quote

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/mail"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
	gosmtp "github.com/wneessen/go-mail/smtp"
)

// Delivery timing. A message the server refuses for now is tried again
// after 5 s, 10 s, 20 s… up to an hour between tries; one still refused
// after maxAge is given up and kept in failed/.
const (
	firstRetry = 5 * time.Second
	maxRetry   = time.Hour
	maxAge     = 72 * time.Hour
	idleCheck  = time.Minute // look at the outbox at least this often
)

// check checks the SMTP settings without dialling.
func (s *SMTPConfig) check() error {
	_, err := s.client(nil)
	return err
}

// client builds the go-mail client for the configuration; it dials
// nothing. tlsConf, when not nil, replaces the system's TLS settings
// (tests trust their own certificate with it).
func (s *SMTPConfig) client(tlsConf *tls.Config) (*gomail.Client, error) {
	if s.Host == "" {
		return nil, errors.New("quote: smtp: the host is empty")
	}
	mode := s.TLS
	if mode == "" {
		mode = "starttls"
	}
	port := s.Port
	opts := []gomail.Option{gomail.WithTimeout(30 * time.Second)}
	switch mode {
	case "starttls":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
		port = orDefault(port, 587)
	case "tls":
		opts = append(opts, gomail.WithSSL())
		port = orDefault(port, 465)
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
		port = orDefault(port, 25)
	default:
		return nil, fmt.Errorf("quote: smtp: tls mode %q is not one of starttls, tls, none", s.TLS)
	}
	opts = append(opts, gomail.WithPort(port))
	if tlsConf != nil {
		opts = append(opts, gomail.WithTLSConfig(tlsConf))
	}
	if s.User != "" {
		pw := ""
		if s.PasswordEnv != "" {
			pw = os.Getenv(s.PasswordEnv)
			if pw == "" {
				return nil, fmt.Errorf("quote: smtp: the environment variable %s, which should hold the password of %s, is empty or not set", s.PasswordEnv, s.User)
			}
		}
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.User), gomail.WithPassword(pw))
	}
	return gomail.NewClient(s.Host, opts...)
}

func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// Start runs the sender when SMTP is configured: it delivers what is in
// the outbox (also what an earlier run left), then each new request as it
// is stored, until ctx is done. Without SMTP it does nothing: the outbox
// is the mailbox. Start returns at once.
func (h *Handler) Start(ctx context.Context) {
	if h.cfg.SMTP == nil {
		return
	}
	c, err := h.cfg.SMTP.client(h.smtpTLS)
	if err != nil { // checked by NewHandler already
		h.cfg.Logf("%v", err)
		return
	}
	s := &sender{h: h, client: c, retries: map[string]*retry{}, firstRetry: firstRetry}
	if h.firstRetry > 0 {
		s.firstRetry = h.firstRetry
	}
	h.health.running.Store(true)
	go func() {
		defer h.health.running.Store(false)
		s.run(ctx)
	}()
}

type sender struct {
	h       *Handler
	client  *gomail.Client
	conn    *gosmtp.Client // open during a round
	retries map[string]*retry

	firstRetry time.Duration
}

type retry struct {
	attempts int
	next     time.Time
}

func (s *sender) run(ctx context.Context) {
	for {
		wait := s.round(ctx)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-s.h.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// round delivers every message that is due and returns how long to wait
// for the next one that is not.
func (s *sender) round(ctx context.Context) time.Duration {
	defer s.hangUp()
	wait := idleCheck
	ids, err := s.h.box.pending()
	if err != nil {
		s.h.cfg.Logf("quote: cannot read the outbox: %v", err)
		return s.firstRetry
	}
	for _, id := range ids {
		if ctx.Err() != nil {
			return 0
		}
		if w := s.request(ctx, id); w > 0 && w < wait {
			wait = w
		}
	}
	return wait
}

// request delivers the due messages of one request and, once none is
// waiting, moves it to sent/ or failed/. It returns the time until its
// next retry, or 0.
func (s *sender) request(ctx context.Context, id string) time.Duration {
	dir := filepath.Join(s.h.box.dir, id)
	es, err := os.ReadDir(dir)
	if err != nil {
		return 0 // moved meanwhile
	}
	waiting, failed := false, false
	var wait time.Duration
	now := s.h.cfg.Now()
	for _, e := range es {
		name := e.Name()
		switch {
		case strings.HasSuffix(name, failedExt):
			failed = true
			continue
		case strings.HasSuffix(name, sentExt) || !strings.HasSuffix(name, ".eml"):
			continue
		}
		path := filepath.Join(dir, name)
		if r := s.retries[path]; r != nil && now.Before(r.next) {
			waiting = true
			if w := r.next.Sub(now); wait == 0 || w < wait {
				wait = w
			}
			continue
		}
		switch err := s.deliver(ctx, path); {
		case err == nil:
			s.h.health.lastOK.Store(now.UnixNano())
			s.h.health.delivered.Add(1)
			delete(s.retries, path)
			if err := renameSynced(path, strings.TrimSuffix(path, ".eml")+sentExt); err != nil {
				// Sent, but not marked: it would go again after a
				// restart. Nothing better can be done than saying so.
				s.h.cfg.Logf("quote: %s was delivered but cannot be marked sent: %v", path, err)
				return 0
			}
		case permanent(err) || tooOld(e, now):
			s.h.health.failed(err, now)
			delete(s.retries, path)
			failed = true
			s.h.cfg.Logf("quote: giving up on %s: %v; it stays in %s", path, err, filepath.Join(s.h.box.dir, failedDir, id))
			os.WriteFile(strings.TrimSuffix(path, ".eml")+".failed.txt", []byte(err.Error()+"\n"), 0o640)
			if err := renameSynced(path, strings.TrimSuffix(path, ".eml")+failedExt); err != nil {
				s.h.cfg.Logf("quote: cannot mark %s failed: %v", path, err)
				return 0
			}
		default:
			s.h.health.failed(err, now)
			r := s.retries[path]
			if r == nil {
				r = &retry{}
				s.retries[path] = r
			}
			r.attempts++
			d := min(s.firstRetry<<min(r.attempts-1, 20), maxRetry)
			r.next = now.Add(d)
			if r.attempts == 1 || r.attempts%10 == 0 {
				s.h.cfg.Logf("quote: cannot deliver %s yet (try %d): %v; trying again in %s", path, r.attempts, err, d)
			}
			waiting = true
			if wait == 0 || d < wait {
				wait = d
			}
		}
	}
	if waiting {
		return wait
	}
	to := filepath.Join(s.h.box.dir, sentDir, id)
	if failed {
		to = filepath.Join(s.h.box.dir, failedDir, id)
	}
	if err := renameSynced(dir, to); err != nil {
		s.h.cfg.Logf("quote: cannot move %s to %s: %v", dir, to, err)
	}
	return 0
}

// deliver sends one stored message as it is, byte for byte, to the
// recipients of its To header.
func (s *sender) deliver(ctx context.Context, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return permanentError{fmt.Errorf("the stored message cannot be read: %w", err)}
	}
	to, err := msg.Header.AddressList("To")
	if err != nil || len(to) == 0 {
		return permanentError{fmt.Errorf("the stored message has no valid To: %v", err)}
	}
	if s.conn == nil {
		c, err := s.client.DialToSMTPClientWithContext(ctx)
		if err != nil {
			return fmt.Errorf("connecting to %s: %w", s.client.ServerAddr(), err)
		}
		s.conn = c
	}
	err = s.send(s.h.comp.from.Address, to, data)
	if err != nil {
		if rerr := s.conn.Reset(); rerr != nil {
			s.hangUp()
		}
	}
	return err
}

func (s *sender) send(from string, to []*mail.Address, data []byte) error {
	c := s.conn
	if err := c.UpdateDeadline(time.Minute); err != nil {
		return err
	}
	if err := c.Mail("<" + from + ">"); err != nil {
		return err
	}
	for _, a := range to {
		if err := c.Rcpt("<" + a.Address + ">"); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

func (s *sender) hangUp() {
	if s.conn != nil {
		if err := s.conn.Quit(); err != nil {
			s.conn.Close()
		}
		s.conn = nil
	}
}

// permanentError is a failure that trying again will not mend.
type permanentError struct{ error }

func (e permanentError) Unwrap() error { return e.error }

// permanent reports whether err is a refusal for good: a 5xx reply of the
// server, or a stored message that cannot be sent as it is.
func permanent(err error) bool {
	var pe permanentError
	if errors.As(err, &pe) {
		return true
	}
	var te *textproto.Error
	return errors.As(err, &te) && te.Code >= 500 && te.Code < 600
}

func tooOld(e os.DirEntry, now time.Time) bool {
	info, err := e.Info()
	return err == nil && now.Sub(info.ModTime()) > maxAge
}

func (h *Health) failed(err error, now time.Time) {
	h.lastErr.Store(now.UnixNano())
	var te *textproto.Error
	if errors.As(err, &te) {
		h.lastErrCode.Store(int32(te.Code))
	} else {
		h.lastErrCode.Store(0)
	}
}
