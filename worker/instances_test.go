//go:build !(js && wasm)

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"kmopsite/quote"
)

// TestGlue runs the tests of js/glue.mjs in Node, with stand-ins for the
// Go program: programs kept and reused, one event at a time each, more
// programs for events that arrive together up to GO_INSTANCES, a program
// replaced after a panic, after an exit and after a trap, bodies cut past
// the limit.
func TestGlue(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	out, err := exec.Command(node, "--test", "js/glue.test.mjs").CombinedOutput()
	if err != nil {
		t.Fatalf("node --test js/glue.test.mjs: %v\n%s", err, out)
	}
}

// TestWorkerInstances runs the Worker, built with its test routes
// (testroutes_wasm.go), under `wrangler dev --local` and checks that the
// glue keeps one Go program for the isolate's events, that requests which
// arrive together and interleaved, in two languages and with their own
// Idempotency-Keys, each get their own answer and their own mails, and
// that a panic, in a handler or outside one, answers 500, is logged, and
// leaves the next request a fresh program.
func TestWorkerInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the Worker and runs wrangler")
	}
	wrangler := wranglerPath(t)
	stub, api := acceptingStub(t)
	// Two programs at most, so that some of the requests sent together
	// wait for one.
	base, logs, _ := startWranglerEnv(t, wrangler, api, []string{"KMOPSITE_WORKER_TAGS=workertest"}, "GO_INSTANCES:2")
	client := &http.Client{Timeout: 60 * time.Second}

	get := func(path string) (*http.Response, []byte) {
		t.Helper()
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	type program struct {
		Instance string
		Served   int
	}
	which := func() program {
		t.Helper()
		resp, b := get("/_test/instance")
		var p program
		if err := json.Unmarshal(b, &p); resp.StatusCode != http.StatusOK || err != nil || p.Instance == "" {
			t.Fatalf("/_test/instance: %d %s (%v)", resp.StatusCode, b, err)
		}
		return p
	}

	// startWrangler's requests went to the program already; it is the
	// same program from one request to the next.
	first := which()
	if again := which(); again.Instance != first.Instance || again.Served != first.Served+1 {
		t.Fatalf("two requests one after the other: %+v then %+v, want one program kept", first, again)
	}

	// Requests in two languages, each with its own Idempotency-Key and
	// address, sent together (more than the two programs can take at
	// once) and then again, interleaved, as retries.
	type sent struct {
		lang, email, key, id string
	}
	var reqs []*sent
	for i := range 8 {
		lang := []string{"nl", "fr"}[i%2]
		reqs = append(reqs, &sent{lang: lang, email: fmt.Sprintf("aanvrager%d@%s.example", i, lang), key: fmt.Sprintf("key-%d-%d", i, time.Now().UnixNano())})
	}
	post := func(i int, r *sent) (int, []byte) {
		req, _ := http.NewRequest(http.MethodPost, base+"/api/quote", bytes.NewReader(requestBodyIn(r.lang, r.email)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", r.key)
		req.Header.Set("CF-Connecting-IP", fmt.Sprintf("198.51.100.%d", 10+i)) // under the rate limit
		resp, err := client.Do(req)
		if err != nil {
			t.Error(err)
			return 0, nil
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, b := post(i, r)
			var a struct{ ID string }
			if json.Unmarshal(b, &a); status != http.StatusAccepted || a.ID == "" {
				t.Errorf("request %d (%s): %d %s", i, r.lang, status, b)
			}
			r.id = a.ID
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	ids := map[string]*sent{}
	for _, r := range reqs {
		if ids[r.id] != nil {
			t.Fatalf("two requests got the id %s", r.id)
		}
		ids[r.id] = r
	}
	for _, i := range []int{3, 0, 5, 2, 7, 4, 1, 6} {
		if status, b := post(i, reqs[i]); status != http.StatusAccepted || !strings.Contains(string(b), `"id":"`+reqs[i].id+`"`) {
			t.Errorf("retry of request %d: %d %s, want 202 with its own id %s", i, status, b, reqs[i].id)
		}
	}

	// A panic in a handler: a 500 with the site's headers and nothing of
	// what the handler had set, logged. The program that panicked
	// serves no other request (the other may).
	resp, b := get("/_test/panic")
	checkHeaders(t, "the answer to a panic", resp)
	if resp.StatusCode != http.StatusInternalServerError || string(b) != `{"errors":[{"field":"body","code":"unavailable"}]}`+"\n" || resp.Header.Get("X-Half-Written") != "" {
		t.Errorf("a panic in a handler: %d %s %v", resp.StatusCode, b, resp.Header)
	}
	panicked := logged(t, logs, `quote worker: panic serving GET "/_test/panic": a test's panic in a handler of program (\w+)\n`)
	for range 3 {
		if p := which(); p.Instance == panicked {
			t.Fatalf("program %s served a request after its panic", panicked)
		}
	}

	// A panic outside any handler ends the Go program while the request
	// waits: the glue answers it with the program's 500, logs it, and
	// the program serves nothing more.
	resp, b = get("/_test/exit")
	checkHeaders(t, "the answer when the program stops", resp)
	if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(string(b), `"code":"unavailable"`) {
		t.Errorf("a program that stops: %d %s", resp.StatusCode, b)
	}
	exited := logged(t, logs, `panic: a test's panic outside any handler of program (\w+)\n`)
	logged(t, logs, `quote worker: the Go program stopped`)
	for range 3 {
		if p := which(); p.Instance == exited || p.Instance == panicked {
			t.Fatalf("program %+v served a request after its panic (%s, %s)", p, panicked, exited)
		}
	}
	if status, b := post(0, &sent{lang: "nl", email: "na-de-paniek@nl.example", key: fmt.Sprint("after-", time.Now().UnixNano())}); status != http.StatusAccepted {
		t.Errorf("a quote request after the panics: %d %s", status, b)
	}
	want := 2*len(reqs) + 2

	// Each request's two mails, once (the retries sent none), and each
	// the one the server composes for that request alone.
	deadline := time.After(2 * time.Minute)
	for stub.count() < want {
		select {
		case <-stub.arrived:
		case <-time.After(time.Second):
		case <-deadline:
			t.Fatalf("%d of %d mails arrived; stub problems %v", stub.count(), want, stub.problems)
		}
	}
	time.Sleep(2 * time.Second) // let a duplicate show, if there were one
	stub.mu.Lock()
	defer stub.mu.Unlock()
	if len(stub.problems) > 0 {
		t.Errorf("the stub saw wrong calls: %v", stub.problems)
	}
	comp := testComposer(t)
	audit := stub.got[auditInbox()]
	if len(audit) != len(reqs)+1 {
		t.Errorf("the audit body got %d mails, want %d", len(audit), len(reqs)+1)
	}
	for _, m := range audit {
		s, err := quote.ParseRecord(attachment(t, m))
		if err != nil {
			t.Fatal(err)
		}
		r := ids[s.ID]
		if s.Contact.Email == "na-de-paniek@nl.example" {
			continue
		}
		if r == nil {
			t.Errorf("a mail for request %s, which no answer named", s.ID)
			continue
		}
		if s.Lang != r.lang || s.Contact.Email != r.email {
			t.Errorf("request %s was sent in %s by %s; its mail says %s by %s", s.ID, r.lang, r.email, s.Lang, s.Contact.Email)
		}
		got := stub.got[r.email]
		if len(got) != 1 {
			t.Errorf("%s got %d mails, want 1", r.email, len(got))
			continue
		}
		msgs, err := comp.Compose(s)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(msgs[0].Data, m) || !bytes.Equal(msgs[1].Data, got[0]) {
			t.Errorf("the mails of request %s (%s) differ from the server's composition", s.ID, r.lang)
		}
	}
	if os.Getenv("KMOPSITE_TEST_LOG") != "" {
		t.Logf("wrangler's output:\n%s", logs)
	}
}

// logged waits for a line matching pattern in wrangler's output (which
// reaches it a little after the answer) and returns its first group.
func logged(t *testing.T, logs *syncBuffer, pattern string) string {
	t.Helper()
	re := regexp.MustCompile(pattern)
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m := re.FindStringSubmatch(logs.String()); m != nil {
			if len(m) > 1 {
				return m[1]
			}
			return m[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("wrangler's output has no line like %q", pattern)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
