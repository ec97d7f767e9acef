package server

import (
	"bytes"
	"context"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"kmopsite/settings"
	"kmopsite/testsite"
)

// TestServeSMTP: kmopsite serve with SMTP in its site settings delivers a
// quote request to a real SMTP server (github.com/emersion/go-smtp on
// loopback): the mail to the audit body in Dutch and the confirmation in
// the applicant's language, and a retry with the same Idempotency-Key
// sends nothing more. The site is the fixture (build/testdata: base and
// the words), in Dutch and French.
func TestServeSMTP(t *testing.T) {
	inbox := startInbox(t)

	root := t.TempDir()
	if err := testsite.Base(root); err != nil {
		t.Fatal(err)
	}
	if err := testsite.Words(root); err != nil {
		t.Fatal(err)
	}
	editFile(t, filepath.Join(root, "site.yaml"), "news_section:", "quote:\n  to: offerte@example.be\n  from: Voorbeeld <offerte@example.be>\nnews_section:")
	srv := New(Options{Source: root, NoWasm: true})
	t.Cleanup(srv.Close)
	r := srv.Rebuild(context.Background())
	if !r.OK() {
		t.Fatalf("the site does not build:\n%s", r.Diagnostics.Format(10))
	}
	// What a site.yaml with mail: smtp: … gives.
	r.Config.Mail.SMTP = &settings.SMTP{Host: "127.0.0.1", Port: inbox.port, TLS: "none"}
	quotes, err := srv.MountQuotes(r, QuoteOptions{Outbox: t.TempDir(), RateLimit: 0})
	if err != nil {
		t.Fatal(err)
	}
	if quotes.SMTP() == nil {
		t.Fatal("the SMTP settings did not reach the quote endpoint")
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	quotes.Start(ctx)
	web := httptest.NewServer(srv)
	t.Cleanup(web.Close)

	body := `{"lang":"fr","answers":{"audit_body":false,"has_enterprise_number":true,"has_sepa_account":true,
"services":["training"],"themes":["sustainability"],"audit_kind":"first","years_active":5,"certificates":[],"memberships":["ibr"],
"integrity_concerns":false,"ready_activity":"yes","ready_experience":"yes","ready_satisfaction":"partly",
"ready_knowledge":"yes","ready_integrity":"yes","has_user_right":true,"registered_online":true,"declaration_signed":true},
"contact":{"company":"Greenlearn BV","name":"Saskia Peeters","email":"saskia@greenlearn.example","phone":"03 259 06 60","message":""},
"consent":true,"website":""}`
	send := func() string {
		req, _ := http.NewRequest(http.MethodPost, web.URL+r.Config.Quote.Endpoint, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", "3f1c2a9e-7b4d-4e8a-9c21-5d6e7f809a1b")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("got %d %s", resp.StatusCode, data)
		}
		return string(data)
	}
	first := send()

	got := inbox.wait(t, 2)
	byTo := map[string]*mail.Message{}
	for _, m := range got {
		msg, err := mail.ReadMessage(bytes.NewReader(m))
		if err != nil {
			t.Fatal(err)
		}
		to, err := mail.ParseAddress(msg.Header.Get("To"))
		if err != nil {
			t.Fatalf("To: %v", err)
		}
		byTo[to.Address] = msg
	}
	dec := new(mime.WordDecoder)
	audit := byTo[r.Config.Quote.To]
	if audit == nil {
		t.Fatalf("no mail to the audit body (%s); got mails to %v", r.Config.Quote.To, keys(byTo))
	}
	subject, _ := dec.DecodeHeader(audit.Header.Get("Subject"))
	if !strings.Contains(subject, "Greenlearn BV") || audit.Header.Get("Content-Language") != "nl" ||
		!strings.Contains(audit.Header.Get("Reply-To"), "saskia@greenlearn.example") {
		t.Errorf("mail to the audit body: subject %q, language %q, reply-to %q", subject,
			audit.Header.Get("Content-Language"), audit.Header.Get("Reply-To"))
	}
	confirm := byTo["saskia@greenlearn.example"]
	if confirm == nil || confirm.Header.Get("Content-Language") != "fr" {
		t.Fatalf("no confirmation in French to the applicant; got mails to %v", keys(byTo))
	}

	if again := send(); again != first {
		t.Errorf("the retry got %s, the first request %s", again, first)
	}
	time.Sleep(500 * time.Millisecond)
	if n := inbox.count(); n != 2 {
		t.Errorf("%d mails delivered after a retry with the same key, want 2", n)
	}
}

func keys(m map[string]*mail.Message) []string {
	var k []string
	for to := range m {
		k = append(k, to)
	}
	return k
}

// inbox is a real SMTP server on loopback that keeps what it receives.
type inbox struct {
	port int
	mu   sync.Mutex
	msgs [][]byte
}

func startInbox(t *testing.T) *inbox {
	t.Helper()
	in := &inbox{}
	s := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &inboxSession{in: in}, nil }))
	s.Domain = "localhost"
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	in.port = ln.Addr().(*net.TCPAddr).Port
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return in
}

func (in *inbox) count() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return len(in.msgs)
}

// wait waits until n messages have arrived and returns them.
func (in *inbox) wait(t *testing.T, n int) [][]byte {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for in.count() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d mails arrived", in.count(), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([][]byte(nil), in.msgs...)
}

type inboxSession struct{ in *inbox }

func (s *inboxSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *inboxSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *inboxSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.in.mu.Lock()
	s.in.msgs = append(s.in.msgs, data)
	s.in.mu.Unlock()
	return nil
}
func (s *inboxSession) Reset()        {}
func (s *inboxSession) Logout() error { return nil }
