package quote

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"kmopsite/build"
	"kmopsite/words"
)

var testLangs = []string{"nl", "fr", "en"}

// loadWords reads the real words of the site, loaded and checked as the
// build does, so that the tests compose the mails people will get.
func loadWords(t testing.TB) (map[string]*words.Selfcheck, map[string]*words.Quote) {
	t.Helper()
	_, texts, diags := build.LoadTexts(os.DirFS(".."))
	if diags.Errors() > 0 {
		t.Fatalf("the site's words:\n%s", diags.Format(0))
	}
	sc := map[string]*words.Selfcheck{}
	mw := map[string]*words.Quote{}
	for _, l := range testLangs {
		sc[l], mw[l] = texts[l].Selfcheck, texts[l].Quote
	}
	return sc, mw
}

// testConfig is the configuration of Kiwa Belgium's site with an outbox in
// dir and a clock the test can turn.
func testConfig(t testing.TB, dir string) Config {
	sc, mw := loadWords(t)
	return Config{
		Outbox:     dir,
		To:         "be.info@kiwa.com",
		From:       "noreply@kiwa.example",
		SiteName:   "Kiwa Belgium",
		SiteURL:    "https://www.kiwa.example/be/",
		Langs:      testLangs,
		Words:      sc,
		Mail:       mw,
		PrivacyURL: map[string]string{"nl": "https://www.kiwa.example/be/nl/privacy/", "fr": "https://www.kiwa.example/be/fr/privacy/", "en": "https://www.kiwa.example/be/en/privacy/"},
		Logf:       func(string, ...any) {},
		// The tests send many requests from one address; the caps have
		// a test of their own.
		ConfirmPerAddressPerDay: 1 << 20,
		ConfirmPerHour:          1 << 20,
	}
}

// body returns a valid request as JSON, changed by edit.
func body(edit func(m map[string]any)) []byte {
	m := map[string]any{
		"lang": "fr",
		"answers": map[string]any{
			"audit_body": false, "has_enterprise_number": true, "enterprise_number": "0403.019.261",
			"has_sepa_account": true, "services": []string{"training", "advice"}, "advice_cybersecurity": false,
			"themes": []string{"digitalisation"}, "audit_kind": "first", "years_active": 1, "kmop_dossiers": 3,
			"certificates": []string{"iso9001"}, "memberships": []string{}, "integrity_concerns": false,
			"ready_activity": "yes", "ready_knowledge": "partly", "ready_integrity": "yes",
			"has_user_right": true, "registered_online": false, "declaration_signed": false,
			"date": "2019-01-01", // the server applies today's rules whatever this says
		},
		"contact": map[string]any{
			"company": "Formations Économie Sàrl", "enterprise_number": "BE 0403 019 261",
			"name": "Zoë Dubois-Ülker", "email": "zoe@formations.example",
			"phone": "+32 (0)3 259 06 60", "message": "Bonjour,\r\nNous voudrions un audit en mars.",
		},
		"consent": true,
		"website": "",
	}
	if edit != nil {
		edit(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

func contactOf(m map[string]any) map[string]any { return m["contact"].(map[string]any) }

// mailServer is a real SMTP server (github.com/emersion/go-smtp) on
// loopback that keeps what it receives.
type mailServer struct {
	addr string
	srv  *smtp.Server

	mu       sync.Mutex
	received []received
	refuse   int           // 0: accept; else answer DATA with this SMTP code
	refused  int           // the messages refused so far
	arrived  chan struct{} // a message arrived or was refused

	user, pass string // when set, a login is required (AUTH PLAIN)
	logins     int
	sawTLS     bool
}

type received struct {
	from string
	to   []string
	data []byte
}

func startMailServer(t testing.TB) *mailServer {
	t.Helper()
	ms := &mailServer{arrived: make(chan struct{}, 1024)}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &mailSession{ms: ms, conn: c}, nil
	}))
	s.Domain = "localhost"
	s.AllowInsecureAuth = true
	s.ReadTimeout = 10 * time.Second
	s.WriteTimeout = 10 * time.Second
	s.ErrorLog = nopLogger{}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ms.addr = l.Addr().String()
	ms.srv = s
	go s.Serve(l)
	t.Cleanup(func() { s.Close() })
	return ms
}

type nopLogger struct{}

func (nopLogger) Printf(string, ...any) {}
func (nopLogger) Println(...any)        {}

func (ms *mailServer) port() int {
	_, p, _ := net.SplitHostPort(ms.addr)
	var n int
	fmt.Sscan(p, &n)
	return n
}

func (ms *mailServer) setRefuse(code int) {
	ms.mu.Lock()
	ms.refuse = code
	ms.mu.Unlock()
}

func (ms *mailServer) messages() []received {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return append([]received(nil), ms.received...)
}

// waitFor waits until n messages have arrived.
func (ms *mailServer) waitFor(t testing.TB, n int, timeout time.Duration) []received {
	t.Helper()
	deadline := time.After(timeout)
	for {
		if got := ms.messages(); len(got) >= n {
			return got
		}
		select {
		case <-ms.arrived:
		case <-deadline:
			t.Fatalf("%d of %d messages arrived in %s", len(ms.messages()), n, timeout)
		}
	}
}

// waitRefused waits until the server has refused n messages.
func (ms *mailServer) waitRefused(t testing.TB, n int, timeout time.Duration) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		ms.mu.Lock()
		got := ms.refused
		ms.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-ms.arrived:
		case <-deadline:
			t.Fatalf("%d of %d refusals in %s", got, n, timeout)
		}
	}
}

type mailSession struct {
	ms     *mailServer
	conn   *smtp.Conn
	from   string
	to     []string
	authed bool
}

func (s *mailSession) AuthMechanisms() []string {
	if s.ms.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *mailSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		s.ms.mu.Lock()
		defer s.ms.mu.Unlock()
		if user != s.ms.user || pass != s.ms.pass {
			return errors.New("wrong login")
		}
		s.authed = true
		s.ms.logins++
		_, s.ms.sawTLS = s.conn.TLSConnectionState()
		return nil
	}), nil
}

func (s *mailSession) Reset()        { s.from, s.to = "", nil }
func (s *mailSession) Logout() error { return nil }
func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.ms.user != "" && !s.authed {
		return &smtp.SMTPError{Code: 530, Message: "log in first"}
	}
	s.from = from
	return nil
}
func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *mailSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.ms.mu.Lock()
	defer s.ms.mu.Unlock()
	if s.ms.refuse != 0 {
		s.ms.refused++
		select {
		case s.ms.arrived <- struct{}{}:
		default:
		}
		return &smtp.SMTPError{Code: s.ms.refuse, Message: "refused by the test"}
	}
	s.ms.received = append(s.ms.received, received{s.from, append([]string(nil), s.to...), data})
	select {
	case s.ms.arrived <- struct{}{}:
	default:
	}
	return nil
}

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
