package quote

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The durability test runs the endpoint in a child process, the test
// binary run again with these variables set, so that it can kill it.
const (
	childEnv     = "KMOPSITE_QUOTE_CHILD"      // the outbox directory
	childSMTPEnv = "KMOPSITE_QUOTE_CHILD_SMTP" // the SMTP server's port
	childAddrEnv = "KMOPSITE_QUOTE_CHILD_ADDR" // a file to write the HTTP address to
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(childEnv); dir != "" {
		if err := runChild(dir); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runChild serves POST /api/quote on a loopback port with the outbox in
// dir and the sender delivering to the SMTP server, until killed.
func runChild(dir string) error {
	port, err := strconv.Atoi(os.Getenv(childSMTPEnv))
	if err != nil {
		return err
	}
	cfg := testConfig(childTB{}, dir)
	cfg.SMTP = &SMTPConfig{Host: "127.0.0.1", Port: port, TLS: "none"}
	cfg.Logf = func(f string, a ...any) { fmt.Fprintf(os.Stderr, f+"\n", a...) }
	h, err := NewHandler(cfg)
	if err != nil {
		return err
	}
	h.Start(context.Background())
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addrFile := os.Getenv(childAddrEnv)
	if err := os.WriteFile(addrFile+".tmp", []byte(l.Addr().String()), 0o600); err != nil {
		return err
	}
	if err := os.Rename(addrFile+".tmp", addrFile); err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/api/quote", h)
	return http.Serve(l, mux)
}

// childTB lets the child use the test helpers; it has no test to fail.
type childTB struct{ testing.TB }

func (childTB) Helper()                   {}
func (childTB) Fatal(args ...any)         { panic(fmt.Sprint(args...)) }
func (childTB) Fatalf(f string, a ...any) { panic(fmt.Sprintf(f, a...)) }

type child struct {
	cmd  *exec.Cmd
	addr string
	logs *bytes.Buffer
}

func startChild(t *testing.T, dir string, smtpPort int) *child {
	t.Helper()
	addrFile := filepath.Join(t.TempDir(), "addr")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+dir, childSMTPEnv+"="+strconv.Itoa(smtpPort), childAddrEnv+"="+addrFile)
	logs := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(15 * time.Second)
	for {
		if b, err := os.ReadFile(addrFile); err == nil {
			return &child{cmd: cmd, addr: string(b), logs: logs}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the child did not start:\n%s", logs)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// kill stops the child as a power cut would: SIGKILL, no clean-up.
func (c *child) kill(t *testing.T) {
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	c.cmd.Wait()
}

// TestKillAndRestart: 200 concurrent requests, the server killed with
// SIGKILL after 60 answers, then restarted. Every request that got a 202
// is in the outbox whole; after the restart the clients retry the others
// with their idempotency keys, and the sender delivers every request's
// two mails exactly once.
//
// While the first server runs, the SMTP server refuses mail for now (451):
// a message the SMTP server has accepted but that the killed sender had no
// time to mark sent would go out again after the restart. No SMTP client
// can close that window (see doc.go); this test checks what the outbox
// promises, that nothing acknowledged is lost and nothing stored twice.
func TestKillAndRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills a server process")
	}
	const n, killAfter = 200, 60
	ms := startMailServer(t)
	ms.setRefuse(451)
	dir := filepath.Join(t.TempDir(), "outbox")
	c := startChild(t, dir, ms.port())

	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: n}}
	send := func(addr string, i int) (int, string) {
		b := body(func(m map[string]any) { contactOf(m)["company"] = fmt.Sprintf("Company %03d", i) })
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/api/quote", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", fmt.Sprintf("durability-%03d", i))
		resp, err := client.Do(req)
		if err != nil {
			return 0, ""
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		id := ""
		if resp.StatusCode == http.StatusAccepted {
			id = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(string(data)), `{"id":"`), `"}`)
		}
		return resp.StatusCode, id
	}

	ids := make([]string, n)
	var answered atomic.Int32
	killed := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			status, id := send(c.addr, i)
			if status == http.StatusAccepted {
				ids[i] = id
				if answered.Add(1) == killAfter {
					once.Do(func() { c.kill(t); close(killed) })
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	once.Do(func() { c.kill(t); close(killed) })
	<-killed

	accepted := 0
	for i, id := range ids {
		if id == "" {
			continue
		}
		accepted++
		if id != keyID(fmt.Sprintf("durability-%03d", i)) {
			t.Errorf("request %d: id %s is not its key's", i, id)
		}
	}
	t.Logf("before the kill: %d of %d requests answered 202", accepted, n)
	if accepted == n {
		t.Fatalf("all %d requests were answered before the kill: the test proves nothing; raise n", n)
	}

	// Nothing half-written: every request in the outbox whole, every
	// acknowledged one among them.
	inBox := checkOutboxWhole(t, dir)
	leftovers, _ := os.ReadDir(filepath.Join(dir, tmpDir))
	t.Logf("in the outbox: %d requests whole, %d unfinished writes in tmp/", len(inBox), len(leftovers))
	for _, id := range ids {
		if id != "" && !inBox[id] {
			t.Errorf("%s was acknowledged but is not in the outbox", id)
		}
	}

	// Restart; the SMTP server takes mail again; the clients whose
	// request got no answer send it again, with the same key.
	ms.setRefuse(0)
	c = startChild(t, dir, ms.port())
	for i := range n {
		if ids[i] != "" {
			continue
		}
		status, id := send(c.addr, i)
		if status != http.StatusAccepted || id != keyID(fmt.Sprintf("durability-%03d", i)) {
			t.Fatalf("retry of request %d: %d %q\n%s", i, status, id, c.logs)
		}
		ids[i] = id
	}
	got := ms.waitFor(t, 2*n, 20*time.Second)
	time.Sleep(200 * time.Millisecond) // let a duplicate show, if there were one

	seen := map[string]int{}
	for _, m := range ms.messages() {
		msg, err := mail.ReadMessage(bytes.NewReader(m.data))
		if err != nil {
			t.Fatal(err)
		}
		seen[msg.Header.Get("Message-Id")]++
	}
	for _, id := range ids {
		for _, kind := range []string{"audit", "applicant"} {
			if k := "<" + id + "." + kind + "@kiwa.example>"; seen[k] != 1 {
				t.Errorf("%s delivered %d times", k, seen[k])
			}
		}
	}
	if len(got) != 2*n || len(ms.messages()) != 2*n {
		t.Errorf("%d messages delivered, want %d", len(ms.messages()), 2*n)
	}
	if t.Failed() {
		t.Logf("child's log:\n%s", c.logs)
	}
}

// checkOutboxWhole checks that every request in the outbox has its three
// files and that each message reads to its end; it returns the ids.
func checkOutboxWhole(t *testing.T, dir string) map[string]bool {
	t.Helper()
	ids := map[string]bool{}
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if !validID(e.Name()) {
			continue
		}
		ids[e.Name()] = true
		for _, name := range []string{recordName, AuditMessage, ApplicantMessage} {
			data, err := os.ReadFile(filepath.Join(dir, e.Name(), name))
			if err != nil {
				t.Errorf("%s: %v", e.Name(), err)
				continue
			}
			if name == recordName {
				continue
			}
			m, err := mail.ReadMessage(bytes.NewReader(data))
			if err != nil {
				t.Errorf("%s/%s: %v", e.Name(), name, err)
				continue
			}
			var parts []mailPart
			if err := walkParts(m.Header.Get("Content-Type"), "", "", m.Body, &parts); err != nil || len(parts) < 2 {
				t.Errorf("%s/%s is cut short: %d parts, %v", e.Name(), name, len(parts), err)
			}
		}
	}
	return ids
}
