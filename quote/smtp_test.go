package quote

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"kmopsite/assess"
)

// smtpHandler is a handler whose sender delivers to ms.
func smtpHandler(t *testing.T, ms *mailServer, logf func(string, ...any)) (*Handler, string) {
	t.Helper()
	h, dir := newHandler(t, func(c *Config) {
		c.SMTP = &SMTPConfig{Host: "127.0.0.1", Port: ms.port(), TLS: "none"}
		if logf != nil {
			c.Logf = logf
		}
	})
	h.firstRetry = 50 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	h.Start(ctx)
	return h, dir
}

// waitMoved waits until the request id has left the outbox for sub.
func waitMoved(t *testing.T, dir, sub, id string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(dir, sub, id, recordName)); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not reach %s/", id, sub)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSMTPDelivery sends a request through the handler and a real SMTP
// server, and reads both mails as they arrive.
func TestSMTPDelivery(t *testing.T) {
	ms := startMailServer(t)
	h, dir := smtpHandler(t, ms, nil)
	resp := post(t, h, body(nil), nil)
	if resp.status != 202 {
		t.Fatal(resp)
	}
	got := ms.waitFor(t, 2, 10*time.Second)
	byTo := map[string]received{}
	for _, m := range got {
		if len(m.to) != 1 {
			t.Fatalf("recipients %v", m.to)
		}
		byTo[m.to[0]] = m
		if m.from != "noreply@kiwa.example" {
			t.Errorf("MAIL FROM %q", m.from)
		}
	}

	audit, ok := byTo["be.info@kiwa.com"]
	if !ok {
		t.Fatalf("nothing for the audit body: %v", byTo)
	}
	a := parse(t, audit.data)
	if s := decoded(t, a.header, "Subject"); s != "Offerteaanvraag "+resp.id+": Formations Économie Sàrl" {
		t.Errorf("subject %q", s)
	}
	if rt, err := a.header.AddressList("Reply-To"); err != nil || rt[0].Address != "zoe@formations.example" || rt[0].Name != "Zoë Dubois-Ülker" {
		t.Errorf("Reply-To %v %v", rt, err)
	}
	if a.header.Get("Message-Id") != "<"+resp.id+".audit@kiwa.example>" || a.header.Get("Content-Language") != "nl" {
		t.Errorf("Message-ID %q, language %q", a.header.Get("Message-Id"), a.header.Get("Content-Language"))
	}
	if len(a.parts) != 3 || a.parts[0].ctype != "text/plain" || a.parts[1].ctype != "text/html" || a.parts[2].filename != resp.id+".json" {
		t.Fatalf("parts %v", a.parts)
	}
	sc, _ := loadWords(t)
	for _, w := range []string{"Alle antwoorden", sc["nl"].QuestionText(assess.Themes), sc["nl"].Questions["themes"].Choices["digitalisation"]} {
		if !strings.Contains(a.text, w) {
			t.Errorf("audit mail lacks %q", w)
		}
	}
	var rec struct {
		Reference string `json:"reference"`
		Answers   struct {
			YearsActive int `json:"years_active"`
		} `json:"answers"`
		Result assess.Result `json:"result"`
	}
	if err := json.Unmarshal(a.parts[2].data, &rec); err != nil || rec.Reference != resp.id || rec.Answers.YearsActive != 1 || rec.Result.Track != "starter" {
		t.Errorf("attachment %+v %v", rec, err)
	}

	confirm, ok := byTo["zoe@formations.example"]
	if !ok {
		t.Fatal("no confirmation")
	}
	c := parse(t, confirm.data)
	if s := decoded(t, c.header, "Subject"); !strings.HasPrefix(s, "Votre demande de devis") || !strings.Contains(s, resp.id) {
		t.Errorf("confirmation subject %q", s)
	}
	if c.header.Get("Content-Language") != "fr" || !strings.Contains(c.text, "Bonjour Zoë Dubois-Ülker,") {
		t.Errorf("confirmation not in French:\n%s", c.text)
	}

	// Delivered as stored, byte for byte, and moved aside.
	waitMoved(t, dir, sentDir, resp.id)
	stored, _ := os.ReadFile(filepath.Join(dir, sentDir, resp.id, "audit-body"+sentExt))
	if string(stored) != string(audit.data) {
		t.Error("the delivered message differs from the stored one")
	}
}

// TestSMTPRetryAndFailure: a temporary refusal is retried until the
// server accepts; a permanent one is kept in failed/ and logged.
func TestSMTPRetryAndFailure(t *testing.T) {
	ms := startMailServer(t)
	ms.setRefuse(451)
	var mu sync.Mutex
	var logged []string
	h, dir := smtpHandler(t, ms, func(f string, a ...any) {
		mu.Lock()
		logged = append(logged, f)
		mu.Unlock()
	})
	first := post(t, h, body(nil), nil)
	// Both mails refused, and one of them again after its first retry.
	ms.waitRefused(t, 3, 10*time.Second)
	if n := len(ms.messages()); n != 0 {
		t.Fatalf("%d messages through a refusing server", n)
	}
	ms.setRefuse(0)
	ms.waitFor(t, 2, 10*time.Second)
	waitMoved(t, dir, sentDir, first.id)

	ms.setRefuse(550)
	second := post(t, h, body(nil), nil)
	waitMoved(t, dir, failedDir, second.id)
	reason, err := os.ReadFile(filepath.Join(dir, failedDir, second.id, "audit-body.failed.txt"))
	if err != nil || !strings.Contains(string(reason), "550") {
		t.Errorf("reason %q %v", reason, err)
	}
	for _, name := range []string{"audit-body" + failedExt, "applicant" + failedExt} {
		if _, err := os.Stat(filepath.Join(dir, failedDir, second.id, name)); err != nil {
			t.Error(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	var retried, gaveUp bool
	for _, l := range logged {
		retried = retried || strings.Contains(l, "cannot deliver")
		gaveUp = gaveUp || strings.Contains(l, "giving up")
	}
	if !retried || !gaveUp {
		t.Errorf("logged %q", logged)
	}
	if n := len(ms.messages()); n != 2 {
		t.Errorf("%d messages delivered, want the first request's 2", n)
	}
}

// TestSMTPStartTLSAuth delivers through a server that requires STARTTLS
// and a login, with the password from the environment, as a real relay
// would.
func TestSMTPStartTLSAuth(t *testing.T) {
	cert, pool := selfSigned(t)
	ms := startMailServer(t)
	ms.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	ms.user, ms.pass = "quotes@kiwa.example", "s3cret pass"
	t.Setenv("KMOPSITE_TEST_SMTP_PASSWORD", ms.pass)

	h, dir := newHandler(t, func(c *Config) {
		c.SMTP = &SMTPConfig{Host: "127.0.0.1", Port: ms.port(), TLS: "starttls",
			User: ms.user, PasswordEnv: "KMOPSITE_TEST_SMTP_PASSWORD"}
	})
	h.smtpTLS = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h.Start(ctx)

	resp := post(t, h, body(nil), nil)
	got := ms.waitFor(t, 2, 10*time.Second)
	waitMoved(t, dir, sentDir, resp.id)
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if ms.logins == 0 || !ms.sawTLS {
		t.Errorf("%d logins, TLS %v", ms.logins, ms.sawTLS)
	}
	if len(got) != 2 {
		t.Errorf("%d messages", len(got))
	}
}

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "kmopsite test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(c)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}
