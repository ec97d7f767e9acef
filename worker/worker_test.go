//go:build !(js && wasm)

package main

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
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

	"kmopsite/quote"
)

// The settings the test gives the Worker, overriding wrangler.jsonc's.
var testVars = map[string]string{
	"QUOTE_FROM":         "noreply@audit.example",
	"SITE_URL":           "https://www.audit.example/",
	"MAIL_DOMAIN":        "mg.audit.example",
	"MAIL_API_KEY":       "test-key",
	"RETRY_BASE_SECONDS": "1",
}

// stubMailgun plays Mailgun's messages.mime API on loopback. It refuses the
// first mail to the audit body for now (503), to see the queue retry it,
// and every mail to bounce@… for good (400), to see it buried.
type stubMailgun struct {
	mu       sync.Mutex
	got      map[string][][]byte // recipient → messages
	refused  int
	arrived  chan struct{}
	problems []string
}

func (s *stubMailgun) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fail := func(code int, msg string) {
		s.problems = append(s.problems, msg)
		http.Error(w, `{"message":"`+msg+`"}`, code)
	}
	if r.Method != http.MethodPost || r.URL.Path != "/v3/"+testVars["MAIL_DOMAIN"]+"/messages.mime" {
		fail(http.StatusNotFound, "wrong endpoint "+r.Method+" "+r.URL.Path)
		return
	}
	if r.Header.Get("Authorization") != "Basic "+base64.StdEncoding.EncodeToString([]byte("api:test-key")) {
		fail(http.StatusUnauthorized, "wrong key")
		return
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		fail(http.StatusBadRequest, "not a form: "+err.Error())
		return
	}
	to := r.MultipartForm.Value["to"]
	files := r.MultipartForm.File["message"]
	if len(to) != 1 || len(files) != 1 {
		fail(http.StatusBadRequest, fmt.Sprintf("to %v, %d files", to, len(files)))
		return
	}
	if strings.HasPrefix(to[0], "bounce@") {
		http.Error(w, `{"message":"'to' parameter is not a valid address"}`, http.StatusBadRequest)
		return
	}
	if to[0] == auditInbox() && s.refused == 0 {
		s.refused++
		http.Error(w, `{"message":"try later"}`, http.StatusServiceUnavailable)
		return
	}
	f, _ := files[0].Open()
	data, _ := io.ReadAll(f)
	s.got[to[0]] = append(s.got[to[0]], data)
	select {
	case s.arrived <- struct{}{}:
	default:
	}
	w.Write([]byte(`{"id":"<stub@mg>","message":"Queued. Thank you."}`))
}

// acceptingStub starts a stubMailgun that refuses nothing, and returns
// it with its address.
func acceptingStub(t *testing.T) (*stubMailgun, string) {
	stub := &stubMailgun{got: map[string][][]byte{}, arrived: make(chan struct{}, 1024)}
	stub.refused = 1 // no refusal: every mail goes at once
	api := httptest.NewServer(stub)
	t.Cleanup(api.Close)
	return stub, api.URL
}

func (s *stubMailgun) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, m := range s.got {
		n += len(m)
	}
	return n
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// syncBuffer is a log that the test reads while wrangler writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// testLimit is the rate limit the test deploys: requests per minute per
// address.
const testLimit = 3

// testConfig writes wrangler.jsonc with the rate limit set to testLimit
// as wrangler.test.jsonc, beside it (wrangler resolves the paths in a
// config from its directory), and returns its name.
func testConfig(t *testing.T) string {
	b, err := os.ReadFile("wrangler.jsonc")
	if err != nil {
		t.Fatal(err)
	}
	limit := regexp.MustCompile(`("simple":\s*\{\s*"limit":\s*)\d+`)
	if n := len(limit.FindAll(b, -1)); n != 1 {
		t.Fatalf("wrangler.jsonc has %d rate limits, want 1", n)
	}
	b = limit.ReplaceAll(b, []byte(fmt.Sprintf("${1}%d", testLimit)))
	const name = "wrangler.test.jsonc"
	if err := os.WriteFile(name, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(name) })
	return name
}

// TestWorkerUnderWrangler runs the Worker in workerd with `wrangler dev
// --local`, posts a quote request, retries it with the same
// Idempotency-Key, and waits for both mails to reach a stand-in for the
// mail API on loopback through the queue, each exactly once. One address
// is limited to testLimit requests a minute by the rate limit binding,
// which wrangler simulates; another still gets through.
func TestWorkerUnderWrangler(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the Worker and runs wrangler")
	}
	wrangler := wranglerPath(t)

	stub := &stubMailgun{got: map[string][][]byte{}, arrived: make(chan struct{}, 16)}
	api := httptest.NewServer(stub)
	defer api.Close()
	base, logs, _ := startWrangler(t, wrangler, api.URL)
	client := &http.Client{Timeout: 30 * time.Second}

	// The requests come from one address, as Cloudflare tells the Worker
	// in CF-Connecting-IP, until it has sent testLimit of them.
	from := "198.51.100.7"
	var last *http.Response
	postKey := func(key string, b []byte) (int, []byte) {
		req, err := http.NewRequest(http.MethodPost, base+"/api/quote", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("CF-Connecting-IP", from)
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		last = resp
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, data
	}
	post := func(b []byte) (int, []byte) { return postKey("", b) }
	if status, data := post([]byte(`{"lang":"nl","consent":false}`)); status != http.StatusBadRequest || !strings.Contains(string(data), `"code":"required"`) {
		t.Errorf("invalid request: %d %s", status, data)
	}
	// The questions about the audit are checked as by kmopsite serve
	// (from another address, which the rate limit counts apart).
	from = "198.51.100.8"
	var wrong map[string]any
	json.Unmarshal(requestBody("zoe@formations.example"), &wrong)
	wrong["preferred_period"], wrong["audit_language"], wrong["registration_number"] = "2020-01", "de", strings.Repeat("9", 41)
	wrongBody, _ := json.Marshal(wrong)
	if status, data := post(wrongBody); status != http.StatusBadRequest ||
		string(data) != `{"errors":[{"field":"preferred_period","code":"invalid"},{"field":"audit_language","code":"unknown"},{"field":"registration_number","code":"too_long"}]}`+"\n" {
		t.Errorf("a wrong period, language and registration number: %d %s", status, data)
	}
	from = "198.51.100.7"
	// The first request carries an Idempotency-Key, as the form sends it;
	// its retry gets the same id and sends nothing (the mail counts
	// below), and the same key with another body is refused.
	const key = "0b6f9f8e-4c1a-4d2e-9a57-3f2d1c0e8b7a"
	status, data := postKey(key, requestBody("zoe@formations.example"))
	if status != http.StatusAccepted {
		t.Fatalf("quote request: %d %s", status, data)
	}
	var accepted struct{ ID string }
	json.Unmarshal(data, &accepted)
	if status, data := postKey(key, requestBody("zoe@formations.example")); status != http.StatusAccepted || !strings.Contains(string(data), `"id":"`+accepted.ID+`"`) {
		t.Errorf("retry with the same Idempotency-Key: %d %s, want 202 %s", status, data, accepted.ID)
	}
	// An address that has sent testLimit requests in a minute is refused
	// the next before it is read, as by `kmopsite serve`: a 429, not the
	// 422 of the reused key. The limiter counts in windows of a minute on
	// the clock; when one ends among the requests, the count starts again,
	// so the next address tries again, in a window that has just begun.
	for i, addr := range []string{"198.51.100.20", "198.51.100.21", "198.51.100.22"} {
		from = addr
		window := time.Now().Unix() / 60
		for range testLimit {
			post([]byte(`{"lang":"nl","consent":false}`))
		}
		status, data = postKey(key, requestBody("autre@formations.example"))
		if time.Now().Unix()/60 != window && i < 2 {
			continue
		}
		checkHeaders(t, "a 429", last)
		if status != http.StatusTooManyRequests || last.Header.Get("Retry-After") != "60" || string(data) != rateLimited {
			t.Errorf("request %d from %s in a minute: %d (Retry-After %q) %s, want 429 (Retry-After 60) %s",
				testLimit+1, from, status, last.Header.Get("Retry-After"), data, rateLimited)
		}
		break
	}
	// Another address still gets through.
	from = "203.0.113.9"
	if status, data := postKey(key, requestBody("autre@formations.example")); status != http.StatusUnprocessableEntity || !strings.Contains(string(data), `{"field":"idempotency_key","code":"reused"}`) {
		t.Errorf("the same Idempotency-Key with another body: %d %s, want 422 idempotency_key/reused", status, data)
	}
	if status, _ := post(requestBody("bounce@formations.example")); status != http.StatusAccepted {
		t.Fatalf("second request: %d", status)
	}
	checkHeaders(t, "a 202", last)

	// A third address: a path that is not the endpoint, and a bot that
	// fills in the honeypot and retries with its Idempotency-Key.
	from = "192.0.2.44"
	resp, err := client.Get(base + "/nope")
	if err != nil {
		t.Fatal(err)
	}
	data, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") ||
		!json.Valid(data) {
		t.Errorf("GET /nope: %d %s %s, want 404 with a JSON error", resp.StatusCode, resp.Header.Get("Content-Type"), data)
	}
	checkHeaders(t, "a 404", resp)
	var bot map[string]any
	json.Unmarshal(requestBody("bot@formations.example"), &bot)
	bot["website"] = "https://spam.example"
	botBody, _ := json.Marshal(bot)
	s1, d1 := postKey("bot-key-7", botBody)
	s2, d2 := postKey("bot-key-7", botBody)
	if s1 != http.StatusAccepted || s2 != http.StatusAccepted || string(d1) != string(d2) {
		t.Errorf("a bot's retry: %d %s, then %d %s; want the same 202 twice, as a real retry gets", s1, d1, s2, d2)
	}

	// The two mails of the first request (the audit body's after one
	// refusal) and the audit body's of the second; its confirmation is
	// refused for good and buried.
	wait := time.After(90 * time.Second)
	for stub.count() < 3 || !strings.Contains(logs.String(), "dead-letter") {
		select {
		case <-stub.arrived:
		case <-time.After(time.Second):
		case <-wait:
			t.Fatalf("%d of 3 mails arrived; stub problems %v", stub.count(), stub.problems)
		}
	}
	time.Sleep(3 * time.Second) // let a duplicate show, if there were one
	stub.mu.Lock()
	defer stub.mu.Unlock()
	if len(stub.problems) > 0 {
		t.Errorf("the stub saw wrong calls: %v", stub.problems)
	}
	if n := len(stub.got[auditInbox()]); n != 2 || stub.refused != 1 {
		t.Fatalf("audit body got %d mails after %d refusals, want 2 after 1", n, stub.refused)
	}
	if n := len(stub.got["zoe@formations.example"]); n != 1 {
		t.Fatalf("applicant got %d mails", n)
	}

	// The Worker's mail is the one `kmopsite serve` would write: compose
	// it again here from the record in its attachment.
	var audit []byte
	for _, m := range stub.got[auditInbox()] {
		if bytes.Contains(m, []byte(accepted.ID)) {
			audit = m
		}
	}
	rec := attachment(t, audit)
	s, err := quote.ParseRecord(rec)
	if err != nil {
		t.Fatal(err)
	}
	if s.ID != accepted.ID || s.Result.Verdict == "" {
		t.Errorf("record %s %+v", s.ID, s.Result)
	}
	comp := testComposer(t)
	msgs, err := comp.Compose(s)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(msgs[0].Data, audit) {
		t.Errorf("the Worker's mail to the audit body differs from the server's composition:\n%s", audit)
	}
	// The new fields reach the audit body: in the plan's table that opens
	// the mail and in the attachment, with the result and its plan.
	var record struct {
		PreferredPeriod    string `json:"preferred_period"`
		AuditLanguage      string `json:"audit_language"`
		RegistrationNumber string `json:"registration_number"`
		Result             struct {
			Plan struct {
				Audit     string   `json:"audit"`
				Documents []string `json:"documents"`
				DueDate   string   `json:"due_date"`
			} `json:"plan"`
		} `json:"result"`
	}
	if err := json.Unmarshal(rec, &record); err != nil {
		t.Fatal(err)
	}
	if record.PreferredPeriod != testPeriod() || record.AuditLanguage != "nl" || record.RegistrationNumber != "DV.O 2022/0815" ||
		record.Result.Plan.Audit != "renewal" || record.Result.Plan.DueDate != "2027-05-02" || len(record.Result.Plan.Documents) == 0 {
		t.Errorf("the attachment carries %+v", record)
	}
	if text := mailText(t, audit); !strings.Contains(text, "DV.O 2022/0815") || !strings.Contains(text, "2 mei 2027") {
		t.Errorf("the audit body's mail does not show the plan's table:\n%s", text)
	}
	if text := mailText(t, stub.got["zoe@formations.example"][0]); !strings.Contains(text, "☐ ") {
		t.Errorf("the confirmation has no checklist of documents:\n%s", text)
	}
	// The site has estimate: settings: both mails name the estimate.
	if f, err := site(); err != nil || f.Estimate == nil {
		t.Errorf("endpoints.json has no estimate (%v)", err)
	} else {
		if note := f.Words["fr"].Quote.Mail.Labels.EstimateNote; !strings.Contains(mailText(t, stub.got["zoe@formations.example"][0]), note) {
			t.Errorf("the confirmation does not name the estimate (%q)", note)
		}
		if label := f.Words[f.DefaultLang].Quote.Mail.Labels.Estimate; !strings.Contains(mailText(t, audit), label+": ") {
			t.Errorf("the audit body's mail does not name the estimate (%q)", label)
		}
	}
	if !bytes.Equal(msgs[1].Data, stub.got["zoe@formations.example"][0]) {
		t.Error("the Worker's confirmation differs from the server's composition")
	}
	m, _ := mail.ReadMessage(bytes.NewReader(audit))
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if subject != "Offerteaanvraag "+accepted.ID+": Formations Économie Sàrl" {
		t.Errorf("subject %q", subject)
	}
}

// wranglerPath is the wrangler that `npm ci` installed in worker/; the
// test is skipped without it.
func wranglerPath(t *testing.T) string {
	t.Helper()
	wrangler, err := filepath.Abs(filepath.Join("node_modules", ".bin", "wrangler"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(wrangler); err != nil {
		t.Skip("wrangler is not installed: run `npm ci` in worker/")
	}
	return wrangler
}

// startWrangler runs the Worker under `wrangler dev --local` with the
// test's settings, mail going to mailAPI, and waits until it answers. It
// returns its address, its log, and the process id of wrangler, which
// leads the process group that workerd runs in.
func startWrangler(t *testing.T, wrangler, mailAPI string, vars ...string) (base string, logs *syncBuffer, pgid int) {
	t.Helper()
	return startWranglerEnv(t, wrangler, mailAPI, nil, vars...)
}

// startWranglerEnv is startWrangler with more environment for wrangler
// and the build it runs (KMOPSITE_WORKER_TAGS for build.sh).
func startWranglerEnv(t *testing.T, wrangler, mailAPI string, env []string, vars ...string) (base string, logs *syncBuffer, pgid int) {
	t.Helper()
	base, logs, pgid = launchWrangler(t, wrangler, testConfig(t), mailAPI, env, vars...)
	client := &http.Client{Timeout: 30 * time.Second}
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := client.Get(base + "/api/quote")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusMethodNotAllowed {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Worker did not answer in time (last: %v)", err)
		}
		time.Sleep(500 * time.Millisecond)
	}
	return base, logs, pgid
}

// launchWrangler starts `wrangler dev --local` and waits until it says it
// is ready, without sending the Worker a request: the isolate's first
// event is the caller's.
func launchWrangler(t *testing.T, wrangler, config, mailAPI string, env []string, vars ...string) (base string, logs *syncBuffer, pgid int) {
	t.Helper()
	port := freePort(t)
	args := []string{"dev", "--config", config, "--local", "--ip", "127.0.0.1", "--port", fmt.Sprint(port),
		"--inspector-port", fmt.Sprint(freePort(t)), "--persist-to", t.TempDir(),
		"--show-interactive-dev-session=false", "--log-level", "log",
		"--var", "MAIL_API_URL:" + mailAPI}
	for k, v := range testVars {
		args = append(args, "--var", k+":"+v)
	}
	for _, v := range vars {
		args = append(args, "--var", v)
	}
	cmd := exec.Command(wrangler, args...)
	cmd.Env = append(append(os.Environ(), "WRANGLER_SEND_METRICS=false", "CI=1", "NO_COLOR=1"), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // wrangler starts workerd: stop both
	logs = &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		if t.Failed() {
			t.Logf("wrangler's output:\n%s", logs)
		}
	})

	base = fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(4 * time.Minute) // the first build compiles the Worker
	for !strings.Contains(logs.String(), "Ready on "+base) {
		if time.Now().After(deadline) {
			t.Fatal("wrangler dev did not get ready in time")
		}
		time.Sleep(200 * time.Millisecond)
	}
	logSize(t)
	return base, logs, cmd.Process.Pid
}

// checkHeaders fails unless resp carries the site's security headers, as
// kmopsite host sends them.
func checkHeaders(t *testing.T, what string, resp *http.Response) {
	t.Helper()
	if len(siteHeaders()) == 0 {
		t.Fatal("endpoints.json gives no headers")
	}
	for k, v := range siteHeaders() {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("%s: %s is %q, want %q", what, k, got, v)
		}
	}
}

func requestBody(email string) []byte { return requestBodyIn("fr", email) }

// requestBodyIn is a request for a renewal in two sites in Belgium, with
// the questions about the audit: the month after next, in Dutch, with the
// current registration number.
func requestBodyIn(lang, email string) []byte {
	b, _ := json.Marshal(map[string]any{
		"lang": lang,
		"answers": map[string]any{"audit_body": false, "has_enterprise_number": true, "has_sepa_account": true,
			"services": []string{"training"}, "themes": []string{"digitalisation"},
			"audit_kind": "renewal", "registration_date": "2022-05-02", "certificates": []string{}, "memberships": []string{},
			"integrity_concerns": false, "ready_activity": "yes", "ready_experience": "yes", "ready_satisfaction": "partly",
			"ready_knowledge": "yes", "ready_integrity": "yes", "has_user_right": true, "registered_online": true,
			"declaration_signed": true, "legal_form": "company", "sites_belgium": 2, "sites_abroad": 0},
		"contact":             map[string]any{"company": "Formations Économie Sàrl", "name": "Zoë Dubois", "email": email, "phone": "0470 12 34 56"},
		"consent":             true,
		"preferred_period":    testPeriod(),
		"audit_language":      "nl",
		"registration_number": "DV.O 2022/0815",
	})
	return b
}

// testPeriod is the month after next, YYYY-MM: a preferred period the
// endpoint accepts whenever the test runs.
func testPeriod() string {
	now := time.Now().UTC()
	return time.Date(now.Year(), now.Month()+2, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
}

// mailText returns the plain text part of a message, decoded.
func mailText(t *testing.T, data []byte) string {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(ctype string, body io.Reader) string
	walk = func(ctype string, body io.Reader) string {
		mt, params, _ := mime.ParseMediaType(ctype)
		if !strings.HasPrefix(mt, "multipart/") {
			return ""
		}
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextPart() // decodes quoted-printable
			if err != nil {
				return ""
			}
			if ct := p.Header.Get("Content-Type"); strings.HasPrefix(ct, "text/plain") {
				b, _ := io.ReadAll(p)
				return string(b)
			} else if s := walk(ct, p); s != "" {
				return s
			}
		}
	}
	return walk(m.Header.Get("Content-Type"), m.Body)
}

// attachment returns the JSON attachment of a message.
func attachment(t *testing.T, data []byte) []byte {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	_, params, _ := mime.ParseMediaType(m.Header.Get("Content-Type"))
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			t.Fatalf("no attachment: %v", err)
		}
		if strings.HasPrefix(p.Header.Get("Content-Type"), "application/json") {
			b, _ := io.ReadAll(base64.NewDecoder(base64.StdEncoding, p))
			return b
		}
	}
}

func testComposer(t *testing.T) *quote.Composer {
	f, err := site()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config(f, func(k string) string { return testVars[k] })
	if err != nil {
		t.Fatal(err)
	}
	c, err := quote.NewComposer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// auditInbox is where the Worker mails the requests: the built site's
// quote.to (TestEndpointsCurrent fails on an unreadable endpoints.json).
func auditInbox() string {
	f, err := site()
	if err != nil {
		return ""
	}
	return f.Quote.To
}

// logSize prints the size of the Worker wrangler built, gzipped, and fails
// over Cloudflare's 3 MB; it returns the gzipped size.
func logSize(t *testing.T) int {
	var all bytes.Buffer
	for _, pat := range []string{"build/*.wasm", "build/*.mjs", "build/*.js"} {
		files, _ := filepath.Glob(pat)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			all.Write(b)
		}
	}
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	w.Write(all.Bytes())
	w.Close()
	t.Logf("the Worker: %d bytes, %d gzipped (limit 3,000,000)", all.Len(), gz.Len())
	if gz.Len() >= 3_000_000 {
		t.Errorf("the Worker is %d bytes gzipped, over 3 MB", gz.Len())
	}
	return gz.Len()
}
