package server

// The attacks of issue 12, each against the real kmopsite command started
// as a child process on loopback, each bounded in time: the mailbox absent
// on host; the Host checks of both commands; a stalled body cut off; an
// over-long Content-Length refused before the body; a POST held open
// during an edit of site.yaml that must not freeze serve; the proxy header
// believed only from a trusted peer; the confirmation caps; encoded words;
// ZWJ; the security headers on 301 and 405; a new build picked up.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"kmopsite/endpoints"
	"kmopsite/testsite"
)

// child is a kmopsite command running in the background, its output kept.
type child struct {
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  strings.Builder
	addr string        // host:port it serves at
	done chan struct{} // closed when it has exited
}

func (c *child) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.Write(p)
}

func (c *child) output() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.String()
}

// waitFor waits until the output matches re.
func (c *child) waitFor(t *testing.T, re string, d time.Duration) []string {
	t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if m := rx.FindStringSubmatch(c.output()); m != nil {
			return m
		}
		select {
		case <-c.done:
			if m := rx.FindStringSubmatch(c.output()); m != nil {
				return m
			}
			deadline = time.Now()
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("no %q in the output of kmopsite %s:\n%s", re, c.cmd.Args[1], c.output())
	return nil
}

// start runs kmopsite with args in dir and waits until it serves.
func start(t *testing.T, dir string, args ...string) *child {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	if err := buildCommand(); err != nil {
		t.Fatal(err)
	}
	c := &child{done: make(chan struct{})}
	c.cmd = exec.Command(filepath.Join(binDir, "kmopsite"), args...)
	c.cmd.Dir = dir
	c.cmd.Stdout, c.cmd.Stderr = c, c
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.cmd.Wait(); close(c.done) }()
	t.Cleanup(func() {
		c.cmd.Process.Kill()
		<-c.done
	})
	c.addr = c.waitFor(t, `at http://([0-9.]+:[0-9]+)/`, patience)[1]
	return c
}

// siteCopy copies the repository's site into a new folder for serve: its
// settings, content, templates and assets, and the rules with the module,
// which serve compiles (from the repository's cache).
func siteCopy(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, src := range []string{"site.yaml", "content", "templates", "assets", "assess", "go.mod", "go.sum"} {
		if err := testsite.CopyTree(filepath.Join("..", src), filepath.Join(root, src)); err != nil {
			t.Fatal(err)
		}
	}
	cache, err := filepath.Abs(filepath.Join("..", ".cache"))
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(cache, 0o755)
	if err := os.Symlink(cache, filepath.Join(root, ".cache")); err != nil {
		t.Fatal(err)
	}
	return root
}

// editFile replaces old by new in a file of the site.
func editFile(t *testing.T, path, old, new string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s has no %q", path, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// builtSite builds the repository's site once, for host.
var builtSite = sync.OnceValues(func() (string, error) {
	if err := buildCommand(); err != nil {
		return "", err
	}
	dest := filepath.Join(binDir, "public")
	cmd := exec.Command(filepath.Join(binDir, "kmopsite"), "build", "--dest", dest)
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("kmopsite build: %v\n%s", err, out)
	}
	return dest, nil
})

// hostSetup is what a test changes before host starts: the built
// site's endpoints' file (as a build of another quote: section would
// write it), site.yaml's deployment settings (old, new pairs), the folder.
type hostSetup struct {
	endpoints func(*endpoints.File)
	siteYAML  []string
	prepare   func(root string)
}

// startHost runs kmopsite host in a folder that holds only site.yaml and
// a copy of the built site, public/: host needs nothing else.
func startHost(t *testing.T, setup hostSetup) (c *child, root, public string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	built, err := builtSite()
	if err != nil {
		t.Fatal(err)
	}
	root = t.TempDir()
	siteYAML, err := os.ReadFile(filepath.Join("..", "site.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "site.yaml"), siteYAML, 0o644); err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(setup.siteYAML); i += 2 {
		editFile(t, filepath.Join(root, "site.yaml"), setup.siteYAML[i], setup.siteYAML[i+1])
	}
	public = filepath.Join(root, "public")
	if err := testsite.CopyTree(built, public); err != nil {
		t.Fatal(err)
	}
	if setup.endpoints != nil {
		p := filepath.Join(public, endpoints.Path)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f, err := endpoints.Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		setup.endpoints(f)
		if err := os.WriteFile(p, f.Marshal(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if setup.prepare != nil {
		setup.prepare(root)
	}
	c = start(t, root, "host", "--addr", "127.0.0.1:0", "--keep-mail", "--outbox", filepath.Join(root, "outbox"))
	return c, root, public
}

// noRateLimit lets a test send as many quote requests as it needs.
func noRateLimit(f *endpoints.File) { f.Quote.RateLimit = 0 }

const siteHost = "kmop.kiwa.be" // base_url's host in the repository's site.yaml

// ask sends one request with the Host header given and returns the
// answer with its body read.
func ask(t *testing.T, c *child, method, path, host string, hdr map[string]string, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+c.addr+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, string(data)
}

// quoteBody is a valid request, its contact changed by the pairs given.
func quoteBody(contact ...string) string {
	c := map[string]string{"company": "Greenlearn BV", "name": "Saskia Peeters",
		"email": "saskia@greenlearn.example", "phone": "03 259 06 60", "message": ""}
	for i := 0; i+1 < len(contact); i += 2 {
		c[contact[i]] = contact[i+1]
	}
	cj, _ := json.Marshal(c)
	return `{"lang":"en","answers":{"audit_body":false,"has_enterprise_number":true,"has_sepa_account":true,
"services":["training"],"themes":["sustainability"],"audit_kind":"first","years_active":5,"certificates":[],"memberships":["ibr"],
"integrity_concerns":false,"ready_activity":"yes","ready_experience":"yes","ready_satisfaction":"partly",
"ready_knowledge":"yes","ready_integrity":"yes","has_user_right":true,"registered_online":true,"declaration_signed":true},
"contact":` + string(cj) + `,"consent":true,"website":""}`
}

var jsonType = map[string]string{"Content-Type": "application/json"}

// securityHeaders fails unless resp carries the headers of _headers.
func securityHeaders(t *testing.T, what string, resp *http.Response) {
	t.Helper()
	for _, h := range []string{"Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options",
		"Referrer-Policy", "Permissions-Policy", "X-Frame-Options"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("%s (%d) has no %s", what, resp.StatusCode, h)
		}
	}
}

// TestHostAttacks: kmopsite host against what an attacker tries.
func TestHostAttacks(t *testing.T) {
	t.Parallel()
	c, root, _ := startHost(t, hostSetup{endpoints: noRateLimit})

	// No mailbox, whatever the mail settings.
	if resp, _ := ask(t, c, "GET", "/_mail/", siteHost, nil, ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("/_mail/ on host: %d, want 404", resp.StatusCode)
	}
	// No CMS backend: the local one is serve's only. /admin/ is the live
	// editor that build writes (when site.yaml has cms:), served as the
	// static files it is: it signs in to GitHub, never to this server.
	if resp, _ := ask(t, c, "GET", "/admin/", siteHost, nil, ""); resp.StatusCode == http.StatusOK {
		_, cfg := ask(t, c, "GET", "/admin/config.yml", siteHost, nil, "")
		if !strings.Contains(cfg, "name: github") || strings.Contains(cfg, "local_backend") || strings.Contains(cfg, "/api/v1") {
			t.Errorf("/admin/ on host is not the live editor (GitHub backend); its config.yml:\n%s", cfg)
		}
	} else if resp.StatusCode != http.StatusNotFound {
		t.Errorf("/admin/ on host: %d, want the built live editor or 404", resp.StatusCode)
	}
	if resp, body := ask(t, c, "POST", "/api/v1", siteHost, jsonType, `{"action":"info","params":{}}`); resp.StatusCode < 400 || strings.Contains(body, "publish_modes") {
		t.Errorf("the CMS's backend on host: %d %s", resp.StatusCode, body)
	}
	// Another host name (DNS rebinding, a domain pointed at the server):
	// 421, but for the load balancer's probe.
	resp, _ := ask(t, c, "GET", "/nl/", "attacker.example", nil, "")
	if resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("Host attacker.example: %d, want 421", resp.StatusCode)
	}
	securityHeaders(t, "421", resp)
	resp, body := ask(t, c, "GET", "/healthz", "10.1.2.3", nil, "")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"outbox_writable": true`) {
		t.Errorf("/healthz by address: %d %s", resp.StatusCode, body)
	}
	if strings.Contains(body, "@") || strings.Contains(body, root) {
		t.Errorf("/healthz tells an address or a path: %s", body)
	}
	// The headers on a page, a redirect, a 405, a 404 and a 304.
	resp, _ = ask(t, c, "GET", "/nl/", siteHost, nil, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/nl/: %d", resp.StatusCode)
	}
	securityHeaders(t, "a page", resp)
	etag := resp.Header.Get("ETag")
	resp, _ = ask(t, c, "GET", "/nl/privacy", siteHost, nil, "")
	if resp.StatusCode != http.StatusMovedPermanently {
		t.Errorf("/nl/privacy: %d, want 301", resp.StatusCode)
	}
	securityHeaders(t, "a redirect", resp)
	resp, _ = ask(t, c, "DELETE", "/nl/", siteHost, nil, "")
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("DELETE /nl/: %d, want 405", resp.StatusCode)
	}
	securityHeaders(t, "a 405", resp)
	resp, _ = ask(t, c, "GET", "/quote/api", siteHost, map[string]string{"Accept-Encoding": "identity"}, "")
	securityHeaders(t, "a 404", resp)
	resp, _ = ask(t, c, "GET", "/nl/", siteHost, map[string]string{"If-None-Match": etag}, "")
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match %s: %d, want 304", etag, resp.StatusCode)
	}
	securityHeaders(t, "a 304", resp)
	resp, _ = ask(t, c, "GET", "/api/quote", siteHost, nil, "")
	securityHeaders(t, "the endpoint's 405", resp)

	// An encoded word in a field that reaches a header.
	resp, body = ask(t, c, "POST", "/api/quote", siteHost, jsonType,
		quoteBody("company", "ACME =?utf-8?q?=E2=80=AE=0D=0ABcc:_x@y.example?="))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `"contact.company"`) {
		t.Errorf("an encoded word in the company: %d %s", resp.StatusCode, body)
	}
	// An emoji joined by ZWJ, a ZWNJ and a soft hyphen in the message.
	resp, body = ask(t, c, "POST", "/api/quote", siteHost, jsonType,
		quoteBody("message", "Ons team: 👩\u200d💻, می\u200cخواهم, kwaliteits\u00adhandboek"))
	if resp.StatusCode != http.StatusAccepted {
		t.Errorf("a message with ZWJ, ZWNJ and a soft hyphen: %d %s", resp.StatusCode, body)
	}
	securityHeaders(t, "a 202", resp)

	// No log line holds the applicant's address or name.
	if out := c.output(); strings.Contains(out, "saskia") || strings.Contains(out, "Peeters") {
		t.Errorf("the log holds personal data:\n%s", out)
	}
}

// TestHostSlowClients: a body that stalls, or trickles, is cut off by the
// server within 30 s; a Content-Length over the limit is answered 413 at
// once, before any of the body is sent.
func TestHostSlowClients(t *testing.T) {
	t.Parallel()
	c, _, _ := startHost(t, hostSetup{})

	conn, err := net.Dial("tcp", c.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/quote HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 99999999\r\n\r\n", siteHost)
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a Content-Length of 99,999,999 without its body: %v", err)
	}
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("Content-Length 99,999,999: %d, want 413", resp.StatusCode)
	}

	const limit = 30 * time.Second
	var wg sync.WaitGroup
	for i, trickle := range []bool{false, true, false, true} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := net.Dial("tcp", c.addr)
			if err != nil {
				t.Error(err)
				return
			}
			defer conn.Close()
			began := time.Now()
			fmt.Fprintf(conn, "POST /api/quote HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n{", siteHost)
			closed := make(chan struct{})
			go func() {
				io.Copy(io.Discard, conn) // until the server closes
				close(closed)
			}()
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			for {
				select {
				case <-closed:
					if d := time.Since(began); d > limit+3*time.Second {
						t.Errorf("connection %d cut off after %s, want within %s", i, d.Round(time.Second), limit)
					}
					return
				case <-tick.C:
					if time.Since(began) > limit+5*time.Second {
						t.Errorf("connection %d (trickle %v) still open after %s", i, trickle, time.Since(began).Round(time.Second))
						return
					}
					if trickle {
						conn.Write([]byte(" "))
					}
				}
			}
		}()
	}
	wg.Wait()
	// The server serves on.
	if resp, _ := ask(t, c, "GET", "/healthz", "x", nil, ""); resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz after the slow clients: %d", resp.StatusCode)
	}
}

// TestHostTrustedProxy: the proxy's header names the client only when the
// connection comes from a trusted proxy; from anyone else each address in
// it is ignored and the connection's counts.
func TestHostTrustedProxy(t *testing.T) {
	t.Parallel()
	c, _, _ := startHost(t, hostSetup{endpoints: func(f *endpoints.File) { f.Quote.RateLimit = 2 },
		siteYAML: []string{"\nquote:", "\nhost:\n  trusted_proxies: [127.0.0.1/32]\n  client_ip_header: X-Forwarded-For\nquote:"}})
	from := func(local, xff string) int {
		t.Helper()
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 5 * time.Second}
		client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DialContext: d.DialContext}}
		req, _ := http.NewRequest("POST", "http://"+c.addr+"/api/quote", strings.NewReader("{}"))
		req.Host = siteHost
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", xff)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// Through the trusted proxy (127.0.0.1), three clients, each within
	// its limit of 2 a minute.
	for _, xff := range []string{"198.51.100.1", "198.51.100.2", "203.0.113.5, 198.51.100.3"} {
		if code := from("127.0.0.1", xff); code != http.StatusBadRequest {
			t.Errorf("via the proxy for %s: %d, want 400 (a new client)", xff, code)
		}
	}
	from("127.0.0.1", "198.51.100.1")
	if code := from("127.0.0.1", "1.2.3.4, 198.51.100.1"); code != http.StatusTooManyRequests {
		t.Errorf("the third request of one client behind the proxy: %d, want 429", code)
	}
	// From 127.0.0.2, not a trusted proxy: its header is ignored.
	for i, xff := range []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"} {
		code := from("127.0.0.2", xff)
		if want := map[bool]int{true: http.StatusTooManyRequests, false: http.StatusBadRequest}[i == 2]; code != want {
			t.Errorf("untrusted peer, X-Forwarded-For %s: %d, want %d", xff, code, want)
		}
	}
}

// TestHostConfirmationCaps: three confirmations per address per day, and
// beyond the site's cap per hour none, while every request is stored
// with the audit body's mail; /healthz counts what was withheld.
func TestHostConfirmationCaps(t *testing.T) {
	t.Parallel()
	c, root, _ := startHost(t, hostSetup{endpoints: func(f *endpoints.File) {
		f.Quote.RateLimit, f.Quote.ConfirmationsPerAddress, f.Quote.ConfirmationsPerHour = 0, 2, 4
	}})
	send := func(email string) (confirmed bool) {
		t.Helper()
		resp, body := ask(t, c, "POST", "/api/quote", siteHost, jsonType, quoteBody("email", email))
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("%s: %d %s", email, resp.StatusCode, body)
		}
		var v struct{ ID string }
		json.Unmarshal([]byte(body), &v)
		dir := filepath.Join(root, "outbox", v.ID)
		if _, err := os.Stat(filepath.Join(dir, "audit-body.eml")); err != nil {
			t.Fatalf("%s: the audit body's mail is not stored: %v", email, err)
		}
		_, err := os.Stat(filepath.Join(dir, "applicant.eml"))
		return err == nil
	}
	for i, tc := range []struct {
		email string
		want  bool
	}{
		{"a@x.example", true}, {"a@x.example", true}, {"A@x.example", false}, // two per address
		{"b@x.example", true}, {"c@x.example", true}, {"d@x.example", false}, // four an hour
	} {
		if got := send(tc.email); got != tc.want {
			t.Errorf("request %d to %s: confirmation %v, want %v", i+1, tc.email, got, tc.want)
		}
	}
	_, body := ask(t, c, "GET", "/healthz", "x", nil, "")
	if !strings.Contains(body, `"confirmations_withheld": 2`) {
		t.Errorf("/healthz: %s", body)
	}
}

// TestHostNewBuild: a new build renamed into the place of the old one is
// in service within seconds.
func TestHostNewBuild(t *testing.T) {
	t.Parallel()
	c, root, public := startHost(t, hostSetup{})
	if resp, _ := ask(t, c, "GET", "/nieuw.txt", siteHost, nil, ""); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("/nieuw.txt before: %d", resp.StatusCode)
	}
	next := filepath.Join(root, "public.next")
	if err := testsite.CopyTree(public, next); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(next, "nieuw.txt"), []byte("nieuw\n"), 0o644)
	if err := os.Rename(public, filepath.Join(root, "public.old")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(next, public); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, body := ask(t, c, "GET", "/nieuw.txt", siteHost, nil, "")
		if resp.StatusCode == http.StatusOK && body == "nieuw\n" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the new build is not in service after 20 s:\n%s", c.output())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestHostRefusesWithoutSMTP: without mail settings host does not start,
// unless --keep-mail says the mails are meant to stay in the outbox.
func TestHostRefusesWithoutSMTP(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	built, err := builtSite()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, "kmopsite"), "host", "--addr", "127.0.0.1:0", "--public", built,
		"--outbox", t.TempDir())
	cmd.Dir = ".."
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "--keep-mail") {
		t.Errorf("host without SMTP settings: %v\n%s", err, out)
	}
}

// TestServeAttacks: kmopsite serve answers only its loopback names, and a
// POST held open while site.yaml changes freezes no route.
func TestServeAttacks(t *testing.T) {
	t.Parallel()
	root := siteCopy(t)
	c := start(t, root, "serve", "--addr", "127.0.0.1:0", "--outbox", filepath.Join(root, "outbox"))
	port := c.addr[strings.LastIndexByte(c.addr, ':'):]

	for _, host := range []string{"localhost" + port, "127.0.0.1" + port, "[::1]" + port} {
		if resp, _ := ask(t, c, "GET", "/nl/", host, nil, ""); resp.StatusCode != http.StatusOK {
			t.Errorf("Host %s: %d, want 200", host, resp.StatusCode)
		}
	}
	// DNS rebinding: a page of attacker.example, whose name now points at
	// 127.0.0.1, reads the mailbox with the editor's browser.
	for _, path := range []string{"/_mail/", "/nl/", "/api/v1"} {
		if resp, _ := ask(t, c, "GET", path, "attacker.example"+port, nil, ""); resp.StatusCode != http.StatusMisdirectedRequest {
			t.Errorf("%s with Host attacker.example: %d, want 421", path, resp.StatusCode)
		}
	}
	resp, _ := ask(t, c, "GET", "/nl/privacy", "localhost"+port, nil, "")
	if resp.StatusCode != http.StatusMovedPermanently {
		t.Errorf("/nl/privacy: %d, want 301", resp.StatusCode)
	}
	securityHeaders(t, "serve's redirect", resp)
	resp, _ = ask(t, c, "PUT", "/nl/", "localhost"+port, nil, "")
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("PUT /nl/: %d, want 405", resp.StatusCode)
	}
	securityHeaders(t, "serve's 405", resp)

	// A POST whose body never comes, held open while site.yaml changes
	// the quote endpoint's settings.
	conn, err := net.Dial("tcp", c.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/quote HTTP/1.1\r\nHost: localhost%s\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n{\"lang\":", port)
	time.Sleep(300 * time.Millisecond) // the handler is reading the body
	held := time.Now()
	editFile(t, filepath.Join(root, "site.yaml"), "rate_limit: 10", "rate_limit: 11")
	// The rebuild publishes the new settings, which swaps the quote
	// handler, well before the server's 30 s read timeout would end
	// the held request and hide a freeze.
	c.waitFor(t, `site\.yaml: \d+ pages? rendered`, 15*time.Second)
	for _, path := range []string{"/nl/", "/en/", "/_mail/"} {
		began := time.Now()
		resp, _ := ask(t, c, "GET", path, "localhost"+port, nil, "")
		if resp.StatusCode != http.StatusOK || time.Since(began) > 5*time.Second {
			t.Errorf("%s during the held POST: %d after %s", path, resp.StatusCode, time.Since(began).Round(time.Millisecond))
		}
	}
	resp, body := ask(t, c, "POST", "/api/quote", "localhost"+port, jsonType, quoteBody())
	if resp.StatusCode != http.StatusAccepted {
		t.Errorf("a quote request during the held POST: %d %s", resp.StatusCode, body)
	}
	if d := time.Since(held); d > 25*time.Second {
		t.Fatalf("the checks took %s: the held POST may have been cut off before they ran", d.Round(time.Second))
	}
	// The held request is still waiting for its body, unanswered.
	conn.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if n, err := conn.Read(make([]byte, 1)); n > 0 || !os.IsTimeout(err) {
		t.Errorf("the held POST was answered or closed early: %v", err)
	}
}

// TestHostGracefulStop: on SIGTERM host lets a request in flight finish,
// then exits 0.
func TestHostGracefulStop(t *testing.T) {
	t.Parallel()
	c, _, _ := startHost(t, hostSetup{endpoints: noRateLimit})
	body := quoteBody()
	conn, err := net.Dial("tcp", c.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/quote HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		siteHost, len(body), body[:10])
	time.Sleep(300 * time.Millisecond)
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// host stops listening at once: wait until a connection is refused.
	for deadline := time.Now().Add(10 * time.Second); ; {
		other, err := net.DialTimeout("tcp", c.addr, time.Second)
		if err != nil {
			break
		}
		other.Close()
		if time.Now().After(deadline) {
			t.Fatal("host still accepts connections 10 s after SIGTERM")
		}
		time.Sleep(20 * time.Millisecond)
	}
	fmt.Fprint(conn, body[10:])
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the request in flight got no answer: %v", err)
	}
	if resp.StatusCode != http.StatusAccepted {
		t.Errorf("the request in flight: %d, want 202", resp.StatusCode)
	}
	c.waitFor(t, `msg=stopped`, 10*time.Second)
}

// TestServeRefusesPublicAddress: serve exits 2 on an address that is not
// loopback, and says to use host.
func TestServeRefusesPublicAddress(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	if err := buildCommand(); err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:8080"} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		out, err := exec.CommandContext(ctx, filepath.Join(binDir, "kmopsite"), "serve", "--addr", addr).CombinedOutput()
		cancel()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "kmopsite host") {
			t.Errorf("serve --addr %s: %v\n%s", addr, err, out)
		}
	}
}

// TestHostDelivers: with SMTP settings host delivers both mails of a
// request to a real SMTP server, and /healthz says the sender runs and
// what it delivered.
func TestHostDelivers(t *testing.T) {
	t.Parallel()
	in := startInbox(t)
	c, _, _ := startHost(t, hostSetup{siteYAML: []string{"\nquote:", fmt.Sprintf("\nmail:\n  smtp:\n    host: 127.0.0.1\n    port: %d\n    tls: none\nquote:", in.port)}})
	if resp, body := ask(t, c, "POST", "/api/quote", siteHost, jsonType, quoteBody()); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("quote request: %d %s", resp.StatusCode, body)
	}
	in.wait(t, 2)
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, body := ask(t, c, "GET", "/healthz", siteHost, nil, "")
		if strings.Contains(body, `"sender_running": true`) && strings.Contains(body, `"delivered": 2`) &&
			strings.Contains(body, `"mail": "smtp"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz after delivery: %s", body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestHostRetention: host deletes the requests older than
// quote.retention_days when it starts (and daily), wherever they are, and
// keeps the younger ones.
func TestHostRetention(t *testing.T) {
	t.Parallel()
	old := time.Now().AddDate(0, 0, -31).UTC().Format(time.RFC3339)
	young := time.Now().AddDate(0, 0, -29).UTC().Format(time.RFC3339)
	stored := map[string]string{"KMOP-AAAAA-AAAAA": old, "sent/KMOP-BBBBB-BBBBB": old, "failed/KMOP-CCCCC-CCCCC": old,
		"sent/KMOP-DDDDD-DDDDD": young}
	c, root, _ := startHost(t, hostSetup{endpoints: func(f *endpoints.File) { f.Quote.RetentionDays = 30 }, prepare: func(root string) {
		for dir, received := range stored {
			p := filepath.Join(root, "outbox", dir)
			os.MkdirAll(p, 0o755)
			os.WriteFile(filepath.Join(p, "request.json"), []byte(`{"received":"`+received+`","contact":{"email":"a@x.example"}}`), 0o644)
			os.WriteFile(filepath.Join(p, "audit-body.sent.eml"), []byte("Subject: x\r\n\r\nx\r\n"), 0o644)
		}
	}})
	c.waitFor(t, `deleted quote requests older than the retention period.*requests=3`, 10*time.Second)
	for dir, received := range stored {
		_, err := os.Stat(filepath.Join(root, "outbox", dir))
		if gone := os.IsNotExist(err); gone != (received == old) {
			t.Errorf("%s received %s: deleted %v", dir, received, gone)
		}
	}
}

// TestHostOnlyPublic: host starts in a folder that holds only site.yaml
// and the built site (no content/, templates/ or assets/: it never
// builds), and answers quote requests in two languages with the words
// the build wrote into public/.
func TestHostOnlyPublic(t *testing.T) {
	t.Parallel()
	c, root, public := startHost(t, hostSetup{endpoints: noRateLimit})
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if n := e.Name(); n != "site.yaml" && n != "public" && n != "outbox" {
			t.Errorf("the host's folder holds %s", n)
		}
	}
	data, err := os.ReadFile(filepath.Join(public, endpoints.Path))
	if err != nil {
		t.Fatal(err)
	}
	f, err := endpoints.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Langs) < 2 {
		t.Fatalf("the site has %d languages", len(f.Langs))
	}
	for _, lang := range f.Langs[:2] {
		body := strings.Replace(quoteBody(), `"lang":"en"`, `"lang":"`+lang+`"`, 1)
		resp, answer := ask(t, c, "POST", "/api/quote", siteHost, jsonType, body)
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("%s: %d %s", lang, resp.StatusCode, answer)
		}
		var v struct{ ID string }
		json.Unmarshal([]byte(answer), &v)
		eml, err := os.ReadFile(filepath.Join(root, "outbox", v.ID, "applicant.eml"))
		if err != nil {
			t.Fatalf("%s: no confirmation: %v", lang, err)
		}
		msg, err := mail.ReadMessage(bytes.NewReader(eml))
		if err != nil {
			t.Fatal(err)
		}
		subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		want := strings.NewReplacer("{reference}", v.ID, "{site}", f.SiteName).Replace(f.Words[lang].Quote.Mail.Confirm.Subject)
		if msg.Header.Get("Content-Language") != lang || subject != want {
			t.Errorf("%s: the confirmation is in %q, subject %q; want %q", lang, msg.Header.Get("Content-Language"), subject, want)
		}
	}
}
