// Command benchhost measures kmopsite host under load (make bench-host):
// concurrent clients post quote requests for a while against host on
// loopback, with its rate limit off and a real SMTP server
// (github.com/emersion/go-smtp) receiving the mails; halfway through, host
// is killed with SIGKILL and started again. It prints requests per second,
// the p50 and p99 of the accepted requests' latency, whether every request
// answered 202 was delivered (both mails), and the duplicates counted by
// Message-ID (allowed only in SMTP's crash window: the server accepted a
// mail, host had not yet marked it sent).
//
//	go run ./scripts/benchhost [-clients 200] [-duration 60s] [-kill=true]
//
// Run from the repository's root; it builds kmopsite and the site into a
// temporary folder.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"

	"kmopsite/testsite"
)

func main() {
	clients := flag.Int("clients", 200, "concurrent clients")
	duration := flag.Duration("duration", 60*time.Second, "how long the clients post")
	kill := flag.Bool("kill", true, "kill host with SIGKILL halfway and start it again")
	flag.Parse()
	if err := run(*clients, *duration, *kill); err != nil {
		fmt.Fprintln(os.Stderr, "bench-host:", err)
		os.Exit(1)
	}
}

func run(clients int, duration time.Duration, kill bool) error {
	work, err := os.MkdirTemp("", "kmopsite-bench-host-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	inbox, err := startInbox()
	if err != nil {
		return err
	}
	defer inbox.srv.Close()

	bin := filepath.Join(work, "kmopsite")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	site := filepath.Join(work, "site")
	for _, src := range []string{"site.yaml", "content", "templates", "assets"} {
		if err := testsite.CopyTree(src, filepath.Join(site, src)); err != nil {
			return err
		}
	}
	os.Mkdir(filepath.Join(site, "assess"), 0o755) // the words are read; the rules are not compiled
	yaml, err := os.ReadFile(filepath.Join(site, "site.yaml"))
	if err != nil {
		return err
	}
	yaml = regexp.MustCompile(`(?m)^  confirmations_per_(address|hour): \d+`).ReplaceAll(yaml, []byte("  confirmations_per_$1: 1000000"))
	yaml = append(yaml, fmt.Sprintf("\nmail:\n  smtp:\n    host: 127.0.0.1\n    port: %d\n    tls: none\n", inbox.port)...)
	if err := os.WriteFile(filepath.Join(site, "site.yaml"), yaml, 0o644); err != nil {
		return err
	}
	public := filepath.Join(work, "public")
	// host reads the built site's settings (its caps among them), so the
	// site is built from the copy whose caps are lifted.
	if out, err := exec.Command(bin, "build", "--source", site, "--dest", public).CombinedOutput(); err != nil {
		return fmt.Errorf("kmopsite build: %v\n%s", err, out)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	outbox := filepath.Join(work, "outbox")
	logf, err := os.Create(filepath.Join(work, "host.log"))
	if err != nil {
		return err
	}
	defer logf.Close()
	startHost := func() (*exec.Cmd, error) {
		cmd := exec.Command(bin, "host", "--addr", addr, "--source", site, "--public", public,
			"--outbox", outbox, "--rate-limit", "0")
		cmd.Stdout, cmd.Stderr = logf, logf
		if err := cmd.Start(); err != nil {
			return nil, err
		}
		deadline := time.Now().Add(2 * time.Minute)
		for time.Now().Before(deadline) {
			if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return cmd, nil
				}
			}
			time.Sleep(50 * time.Millisecond)
		}
		cmd.Process.Kill()
		return nil, errors.New("host did not become healthy within 2 minutes; see its log")
	}
	host, err := startHost()
	if err != nil {
		return err
	}
	defer func() { host.Process.Kill(); host.Wait() }()

	fmt.Printf("kmopsite host at %s, %d clients for %s, SMTP at 127.0.0.1:%d%s\n", addr, clients, duration, inbox.port,
		map[bool]string{true: ", kill -9 halfway", false: ""}[kill])
	url := "http://" + addr + "/api/quote"
	transport := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}

	var (
		mu        sync.Mutex
		latencies []time.Duration
		accepted  = map[string]bool{}
		failures  atomic.Int64 // answers other than 202, and connection errors, retried
		others    = map[int]int{}
	)
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	began := time.Now()
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ctx.Err() == nil; n++ {
				body := quoteBody(fmt.Sprintf("client%d.%d@bench.example", i, n))
				key := newKey()
				// Retry with the same key until the request is accepted:
				// a client that got no answer cannot know whether it was
				// stored.
				for ctx.Err() == nil {
					req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
					req.Host = "kmop.kiwa.be"
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Idempotency-Key", key)
					start := time.Now()
					resp, err := client.Do(req)
					if err != nil {
						failures.Add(1)
						time.Sleep(20 * time.Millisecond)
						continue
					}
					data, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					took := time.Since(start)
					if resp.StatusCode != http.StatusAccepted {
						failures.Add(1)
						mu.Lock()
						others[resp.StatusCode]++
						mu.Unlock()
						time.Sleep(20 * time.Millisecond)
						continue
					}
					id := idRE.FindString(string(data))
					mu.Lock()
					latencies = append(latencies, took)
					accepted[id] = true
					mu.Unlock()
					break
				}
			}
		}()
	}
	if kill {
		select {
		case <-time.After(duration / 2):
			host.Process.Kill() // SIGKILL: no shutdown, no flush
			host.Wait()
			killedAt := time.Now()
			if host, err = startHost(); err != nil {
				cancel()
				wg.Wait()
				return err
			}
			fmt.Printf("killed at %s; serving again after %s\n", killedAt.Sub(began).Round(time.Millisecond),
				time.Since(killedAt).Round(time.Millisecond))
		case <-ctx.Done():
		}
	}
	wg.Wait()
	elapsed := time.Since(began)

	// Wait for every accepted request's two mails.
	mu.Lock()
	ids := make([]string, 0, len(accepted))
	for id := range accepted {
		ids = append(ids, id)
	}
	mu.Unlock()
	deadline := time.Now().Add(10 * time.Minute)
	var missing []string
	for {
		missing = inbox.missing(ids)
		if len(missing) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	delivered := time.Since(began)

	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))]
	}
	total, dups := inbox.counts()
	fmt.Printf("accepted (202): %d in %s: %.0f requests/s\n", len(latencies), elapsed.Round(time.Millisecond),
		float64(len(latencies))/elapsed.Seconds())
	fmt.Printf("latency of the 202s: p50 %s, p99 %s, max %s\n", pct(0.50).Round(10*time.Microsecond),
		pct(0.99).Round(10*time.Microsecond), pct(1).Round(time.Millisecond))
	fmt.Printf("retried: %d (connection errors and answers other than 202: %v)\n", failures.Load(), others)
	fmt.Printf("mails received: %d for %d requests; all delivered %s after the start\n", total, len(ids), delivered.Round(time.Second))
	fmt.Printf("requests answered 202 and not delivered (both mails): %d\n", len(missing))
	fmt.Printf("duplicates by Message-ID: %d\n", dups)
	if len(missing) > 0 {
		return fmt.Errorf("%d accepted requests were not delivered, e.g. %s", len(missing), missing[0])
	}
	// A mail goes twice only when host was killed after the SMTP server
	// took it and before host marked it sent: the sender sends one mail
	// at a time, so one kill makes at most one duplicate; the issue's
	// bound is the requests in flight.
	if kill && dups > clients || !kill && dups > 0 {
		return fmt.Errorf("%d duplicates, more than SMTP's crash window allows", dups)
	}
	return nil
}

var (
	idRE  = regexp.MustCompile(`KMOP-[0-9A-Z]{5}-[0-9A-Z]{5}`)
	midRE = regexp.MustCompile(`(?mi)^Message-ID:\s*<(KMOP-[0-9A-Z]{5}-[0-9A-Z]{5})\.([a-z-]+)@`)
)

func newKey() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func quoteBody(email string) string {
	return `{"lang":"en","answers":{"audit_body":false,"has_enterprise_number":true,"has_sepa_account":true,
"services":["training"],"themes":["sustainability"],"audit_kind":"first","years_active":5,"certificates":[],"memberships":["ibr"],
"integrity_concerns":false,"ready_activity":"yes","ready_experience":"yes","ready_satisfaction":"partly",
"ready_knowledge":"yes","ready_integrity":"yes","has_user_right":true,"registered_online":true,"declaration_signed":true},
"contact":{"company":"Bench BV","name":"Bench Client","email":"` + email + `","phone":"03 259 06 60","message":""},
"consent":true,"website":""}`
}

// inbox is the SMTP server: it counts each Message-ID it receives.
type inbox struct {
	srv  *smtp.Server
	port int
	mu   sync.Mutex
	seen map[string]int // Message-ID → times received
}

func startInbox() (*inbox, error) {
	in := &inbox{seen: map[string]int{}}
	in.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{in: in}, nil }))
	in.srv.Domain = "localhost"
	in.srv.ReadTimeout, in.srv.WriteTimeout = time.Minute, time.Minute
	in.srv.MaxMessageBytes = 1 << 20
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	in.port = l.Addr().(*net.TCPAddr).Port
	go in.srv.Serve(l)
	return in, nil
}

// missing lists the ids whose two mails (to the audit body, to the applicant) have
// not both arrived.
func (in *inbox) missing(ids []string) []string {
	in.mu.Lock()
	defer in.mu.Unlock()
	var out []string
	for _, id := range ids {
		if in.seen[id+".audit"] == 0 || in.seen[id+".applicant"] == 0 {
			out = append(out, id)
		}
	}
	return out
}

func (in *inbox) counts() (total, dups int) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, n := range in.seen {
		total += n
		dups += n - 1
	}
	return total, dups
}

type session struct{ in *inbox }

func (s *session) Mail(string, *smtp.MailOptions) error { return nil }
func (s *session) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *session) Reset()                               {}
func (s *session) Logout() error                        { return nil }
func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	head, _, _ := bytes.Cut(data, []byte("\r\n\r\n"))
	m := midRE.FindSubmatch(head)
	if m == nil {
		return errors.New("no Message-ID")
	}
	s.in.mu.Lock()
	s.in.seen[string(m[1])+"."+string(m[2])]++
	s.in.mu.Unlock()
	return nil
}
