package quote

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

type response struct {
	status int
	header http.Header
	id     string
	errors []FieldError
}

func post(t testing.TB, h http.Handler, b []byte, hdr map[string]string) response {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/api/quote", bytes.NewReader(b))
	r.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	resp := response{status: w.Code, header: w.Header()}
	var v struct {
		ID     string       `json:"id"`
		Errors []FieldError `json:"errors"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("%d answer is not JSON: %q", w.Code, w.Body)
	}
	resp.id, resp.errors = v.ID, v.Errors
	return resp
}

func newHandler(t testing.TB, edit func(c *Config)) (*Handler, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "outbox")
	cfg := testConfig(t, dir)
	if edit != nil {
		edit(&cfg)
	}
	h, err := NewHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return h, dir
}

// stored lists the requests in the outbox.
func stored(t testing.TB, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range es {
		if validID(e.Name()) {
			ids = append(ids, e.Name())
		}
	}
	return ids
}

func TestHandlerAccepts(t *testing.T) {
	h, dir := newHandler(t, nil)
	resp := post(t, h, body(nil), nil)
	if resp.status != http.StatusAccepted || !validID(resp.id) {
		t.Fatalf("got %d %q %v", resp.status, resp.id, resp.errors)
	}
	if ids := stored(t, dir); len(ids) != 1 || ids[0] != resp.id {
		t.Fatalf("outbox holds %v, want [%s]", ids, resp.id)
	}
	for _, name := range []string{recordName, AuditMessage, ApplicantMessage} {
		data, err := os.ReadFile(filepath.Join(dir, resp.id, name))
		if err != nil || len(data) == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	if es, _ := os.ReadDir(filepath.Join(dir, tmpDir)); len(es) != 0 {
		t.Errorf("tmp keeps %d entries", len(es))
	}
}

func TestHandlerStatuses(t *testing.T) {
	big := body(func(m map[string]any) { contactOf(m)["message"] = strings.Repeat("x", MaxBody) })
	for _, tc := range []struct {
		name   string
		method string
		ctype  string
		body   []byte
		want   int
		errors []FieldError
	}{
		{"GET", http.MethodGet, "application/json", nil, http.StatusMethodNotAllowed, []FieldError{{"method", "not_allowed"}}},
		{"form", http.MethodPost, "application/x-www-form-urlencoded", []byte("company=ACME"), http.StatusUnsupportedMediaType, []FieldError{{"body", "not_json"}}},
		{"no type", http.MethodPost, "", body(nil), http.StatusUnsupportedMediaType, []FieldError{{"body", "not_json"}}},
		{"JSON type, not JSON", http.MethodPost, "application/json", []byte("company=ACME"), http.StatusUnsupportedMediaType, []FieldError{{"body", "not_json"}}},
		{"JSON with charset", http.MethodPost, "application/json; charset=utf-8", body(nil), http.StatusAccepted, nil},
		{"too big", http.MethodPost, "application/json", big, http.StatusRequestEntityTooLarge, []FieldError{{"body", CodeTooLong}}},
		{"invalid", http.MethodPost, "application/json", body(func(m map[string]any) { m["consent"] = false }), http.StatusBadRequest, []FieldError{{"consent", CodeRequired}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, dir := newHandler(t, nil)
			r := httptest.NewRequest(tc.method, "/api/quote", bytes.NewReader(tc.body))
			if tc.ctype != "" {
				r.Header.Set("Content-Type", tc.ctype)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.want, w.Body)
			}
			var v struct {
				Errors []FieldError `json:"errors"`
			}
			json.Unmarshal(w.Body.Bytes(), &v)
			if tc.errors != nil && (len(v.Errors) != 1 || v.Errors[0] != tc.errors[0]) {
				t.Errorf("errors %v, want %v", v.Errors, tc.errors)
			}
			if tc.want == http.StatusMethodNotAllowed && w.Header().Get("Allow") != "POST" {
				t.Errorf("Allow: %q", w.Header().Get("Allow"))
			}
			if n := len(stored(t, dir)); (n == 1) != (tc.want == http.StatusAccepted) {
				t.Errorf("%d requests stored", n)
			}
		})
	}
}

func TestHandlerIdempotency(t *testing.T) {
	h, dir := newHandler(t, nil)
	key := map[string]string{"Idempotency-Key": "3f0c1e9a-5b7d-4c2e-9f1a-8d6b4e2c0a17"}
	first := post(t, h, body(nil), key)
	if first.status != http.StatusAccepted {
		t.Fatal(first)
	}
	// Retries, also at the same time, get the same id and store nothing.
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if again := post(t, h, body(nil), key); again.status != http.StatusAccepted || again.id != first.id {
				t.Errorf("retry: %d %q, want 202 %q", again.status, again.id, first.id)
			}
		}()
	}
	wg.Wait()
	if ids := stored(t, dir); len(ids) != 1 {
		t.Errorf("outbox holds %v after retries", ids)
	}
	// Also once the sender has moved it on.
	os.Rename(filepath.Join(dir, first.id), filepath.Join(dir, sentDir, first.id))
	if again := post(t, h, body(nil), key); again.id != first.id || len(stored(t, dir)) != 0 {
		t.Errorf("retry after sending: %q, outbox %v", again.id, stored(t, dir))
	}
	// The same key for another request is a mistake of the client.
	other := post(t, h, body(func(m map[string]any) { contactOf(m)["company"] = "Other" }), key)
	if other.status != http.StatusUnprocessableEntity || len(other.errors) != 1 || other.errors[0] != (FieldError{"idempotency_key", "reused"}) {
		t.Errorf("reused key: %d %v", other.status, other.errors)
	}
	// Without a key, or with another key, a new request.
	if a, b := post(t, h, body(nil), nil), post(t, h, body(nil), map[string]string{"Idempotency-Key": "other"}); a.id == first.id || b.id == first.id || a.id == b.id {
		t.Errorf("ids %s %s %s", first.id, a.id, b.id)
	}
	if bad := post(t, h, body(nil), map[string]string{"Idempotency-Key": "a\x7fb"}); bad.status != http.StatusBadRequest {
		t.Errorf("invalid key: %d", bad.status)
	}
}

func TestHandlerHoneypot(t *testing.T) {
	var logged []string
	h, dir := newHandler(t, func(c *Config) {
		c.Logf = func(f string, a ...any) { logged = append(logged, f) }
	})
	resp := post(t, h, body(func(m map[string]any) { m["website"] = "https://spam.example" }), nil)
	if resp.status != http.StatusAccepted || !validID(resp.id) {
		t.Errorf("a bot gets %d %q; it should not be able to tell", resp.status, resp.id)
	}
	if ids := stored(t, dir); len(ids) != 0 {
		t.Errorf("stored %v", ids)
	}
	if len(logged) != 1 || !strings.Contains(logged[0], "honeypot") {
		t.Errorf("logged %q", logged)
	}
	// A bot that retries with its Idempotency-Key gets the same id, as a
	// real retry does: two ids would tell it that it was caught.
	bot := body(func(m map[string]any) { m["website"] = "https://spam.example" })
	key := map[string]string{"Idempotency-Key": "bot-key-1"}
	first, again := post(t, h, bot, key), post(t, h, bot, key)
	if first.id == "" || first.id != again.id {
		t.Errorf("the honeypot's retry got %q, then %q", first.id, again.id)
	}
}

func TestHandlerRateLimit(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)}

	h, _ := newHandler(t, func(c *Config) { c.RateLimit = 3; c.Now = clock.now })
	retryAfter := "20" // a token every 20 s
	from := func(addr string, hdr map[string]string) int {
		r := httptest.NewRequest(http.MethodPost, "/api/quote", bytes.NewReader(body(func(m map[string]any) { m["consent"] = false })))
		r.Header.Set("Content-Type", "application/json")
		for k, v := range hdr {
			r.Header.Set(k, v)
		}
		r.RemoteAddr = addr
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code == http.StatusTooManyRequests {
			if ra := w.Header().Get("Retry-After"); ra != retryAfter {
				t.Errorf("%s: Retry-After %q, want %s", addr, ra, retryAfter)
			}
		}
		return w.Code
	}
	for i := range 3 {
		if c := from("192.0.2.1:1000", nil); c != http.StatusBadRequest {
			t.Fatalf("request %d: %d", i, c)
		}
	}
	if c := from("192.0.2.1:1001", nil); c != http.StatusTooManyRequests {
		t.Fatalf("fourth request: %d", c)
	}
	if c := from("192.0.2.2:1000", nil); c != http.StatusBadRequest {
		t.Errorf("another address: %d", c)
	}
	// A header is not trusted unless configured.
	if c := from("192.0.2.1:1000", map[string]string{"X-Forwarded-For": "198.51.100.7"}); c != http.StatusTooManyRequests {
		t.Errorf("X-Forwarded-For let a limited client through: %d", c)
	}
	// IPv6 counts per /64.
	for range 3 {
		from("[2001:db8:1:2::1]:1000", nil)
	}
	if c := from("[2001:db8:1:2:ffff::9]:1000", nil); c != http.StatusTooManyRequests {
		t.Errorf("same /64: %d", c)
	}
	clock.add(20 * time.Second)
	if c := from("192.0.2.1:1000", nil); c != http.StatusBadRequest {
		t.Errorf("after 20 s: %d", c)
	}
	if c := from("192.0.2.1:1000", nil); c != http.StatusTooManyRequests {
		t.Errorf("one token in 20 s, two used: %d", c)
	}

	// Behind a trusted proxy that sets the header, its last entry counts.
	h2, _ := newHandler(t, func(c *Config) {
		c.RateLimit = 1
		c.Now = clock.now
		c.ClientIPHeader = "X-Forwarded-For"
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	})
	h, retryAfter = h2, "60"
	if c := from("10.0.0.1:1", map[string]string{"X-Forwarded-For": "203.0.113.9, 198.51.100.7"}); c != http.StatusBadRequest {
		t.Errorf("first via proxy: %d", c)
	}
	if c := from("10.0.0.1:1", map[string]string{"X-Forwarded-For": "198.51.100.8"}); c != http.StatusBadRequest {
		t.Errorf("another client via the same proxy: %d", c)
	}
	if c := from("10.0.0.1:1", map[string]string{"X-Forwarded-For": "1.2.3.4, 198.51.100.7"}); c != http.StatusTooManyRequests {
		t.Errorf("same client, spoofed first entry: %d", c)
	}
	// From a peer that is not a trusted proxy, the header counts for
	// nothing: each new address it names is not a new bucket.
	if c := from("192.0.2.50:1", map[string]string{"X-Forwarded-For": "198.51.100.20"}); c != http.StatusBadRequest {
		t.Errorf("first from an untrusted peer: %d", c)
	}
	if c := from("192.0.2.50:1", map[string]string{"X-Forwarded-For": "198.51.100.21"}); c != http.StatusTooManyRequests {
		t.Errorf("an untrusted peer's header made a new bucket: %d", c)
	}
}

func TestHandlerCannotStore(t *testing.T) {
	var logged []string
	h, dir := newHandler(t, func(c *Config) { c.Logf = func(f string, a ...any) { logged = append(logged, f) } })
	// Where the request would be written, a file: the write fails, as on
	// a full or broken disk.
	os.RemoveAll(filepath.Join(dir, tmpDir))
	os.WriteFile(filepath.Join(dir, tmpDir), nil, 0o600)
	resp := post(t, h, body(nil), nil)
	if resp.status != http.StatusServiceUnavailable || resp.header.Get("Retry-After") == "" {
		t.Errorf("got %d, Retry-After %q", resp.status, resp.header.Get("Retry-After"))
	}
	if len(logged) != 1 || !strings.Contains(logged[0], "cannot store") {
		t.Errorf("logged %q", logged)
	}
}

func TestHandlerReassesses(t *testing.T) {
	h, dir := newHandler(t, nil)
	// A client that claims a verdict is refused; the answers alone count.
	if resp := post(t, h, body(func(m map[string]any) { m["result"] = map[string]any{"verdict": "ready"} }), nil); resp.status != http.StatusBadRequest {
		t.Errorf("a client result was accepted: %d", resp.status)
	}
	resp := post(t, h, body(func(m map[string]any) { m["answers"].(map[string]any)["audit_body"] = true }), nil)
	data, err := os.ReadFile(filepath.Join(dir, resp.id, recordName))
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Result struct {
			Verdict  string   `json:"verdict"`
			Blockers []string `json:"blockers"`
		} `json:"result"`
	}
	json.Unmarshal(data, &rec)
	if rec.Result.Verdict != "not_eligible" || len(rec.Result.Blockers) != 1 || rec.Result.Blockers[0] != "audit_body" {
		t.Errorf("stored result %+v", rec.Result)
	}
}

func TestNewHandlerErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(c *Config)
		want string
	}{
		{"no to", func(c *Config) { c.To = "" }, "the to address"},
		{"bad from", func(c *Config) { c.From = "Kiwa <x@y.be>" }, "the from address"},
		{"no words", func(c *Config) { delete(c.Mail, "fr") }, `quote words (quote.yaml) for language "fr"`},
		{"default lang", func(c *Config) { c.DefaultLang = "de" }, `default language "de"`},
		{"tls mode", func(c *Config) { c.SMTP = &SMTPConfig{Host: "smtp.example", TLS: "ssl"} }, `tls mode "ssl"`},
		{"password", func(c *Config) {
			c.SMTP = &SMTPConfig{Host: "smtp.example", User: "u", PasswordEnv: "KMOPSITE_TEST_UNSET_PASSWORD"}
		}, "KMOPSITE_TEST_UNSET_PASSWORD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t, t.TempDir())
			tc.edit(&cfg)
			_, err := NewHandler(cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one that says %q", err, tc.want)
			}
		})
	}
}

func TestOutboxClearsUnfinishedWrites(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	os.MkdirAll(filepath.Join(dir, tmpDir, "KMOP-AAAAA-AAAAA.0123"), 0o750)
	os.WriteFile(filepath.Join(dir, tmpDir, "KMOP-AAAAA-AAAAA.0123", recordName), []byte("{"), 0o600)
	var logged []string
	cfg := testConfig(t, dir)
	cfg.Logf = func(f string, a ...any) { logged = append(logged, f) }
	if _, err := NewHandler(cfg); err != nil {
		t.Fatal(err)
	}
	if es, _ := os.ReadDir(filepath.Join(dir, tmpDir)); len(es) != 0 {
		t.Errorf("tmp keeps %v", es)
	}
	if len(logged) != 1 {
		t.Errorf("logged %q", logged)
	}
}

func TestMailbox(t *testing.T) {
	h, _ := newHandler(t, nil)
	resp := post(t, h, body(func(m map[string]any) { contactOf(m)["company"] = "<script>alert(1)</script> & Co" }), nil)
	mb := h.Mailbox()
	get := func(path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		mb.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		return w
	}
	idx := get("/_mail/")
	if idx.Code != 200 || !strings.Contains(idx.Body.String(), resp.id) || !strings.Contains(idx.Body.String(), "&lt;script&gt;") || strings.Contains(idx.Body.String(), "<script>") {
		t.Errorf("index %d:\n%s", idx.Code, idx.Body)
	}
	page := get("/_mail/" + resp.id + "/" + AuditMessage)
	if page.Code != 200 || !strings.Contains(page.Body.String(), "Offerteaanvraag "+resp.id) || strings.Contains(page.Body.String(), "<script>") ||
		!strings.Contains(page.Body.String(), "Resultaat van de zelftest") {
		t.Errorf("message page %d:\n%s", page.Code, page.Body)
	}
	raw := get("/_mail/" + resp.id + "/" + AuditMessage + "?raw")
	if raw.Code != 200 || !strings.HasPrefix(raw.Body.String(), "Date: ") || raw.Header().Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Errorf("raw %d %q", raw.Code, raw.Header())
	}
	att := get("/_mail/" + resp.id + "/" + AuditMessage + "?part=" + resp.id + ".json")
	if att.Code != 200 || !json.Valid(att.Body.Bytes()) {
		t.Errorf("attachment %d", att.Code)
	}
	html := get("/_mail/" + resp.id + "/" + AuditMessage + "?part=text/html")
	if html.Code != 200 || !strings.Contains(html.Header().Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("HTML part %d %q", html.Code, html.Header())
	}
	for _, p := range []string{"/_mail/" + resp.id + "/../../etc/passwd", "/_mail/KMOP-00000-00000/" + AuditMessage, "/_mail/" + resp.id + "/nothing.eml", "/_mail/x/y"} {
		if w := get(p); w.Code != 404 {
			t.Errorf("%s: %d", p, w.Code)
		}
	}
}

// TestUseSenderOf: a handler made later on the same outbox (serve makes
// one after an edit) wakes the first handler's sender when it stores.
func TestUseSenderOf(t *testing.T) {
	first, dir := newHandler(t, nil)
	later, err := NewHandler(testConfig(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	later.UseSenderOf(first)
	if resp := post(t, later, body(nil), nil); resp.status != http.StatusAccepted {
		t.Fatalf("got %d %v", resp.status, resp.errors)
	}
	select {
	case <-first.wake:
	default:
		t.Error("the request stored by the later handler did not wake the first handler's sender")
	}
	select {
	case <-later.wake:
		t.Error("the later handler's own sender, which does not run, was woken instead")
	default:
	}
}

// TestHandlerConfirmationCaps: beyond the cap per address per day, and
// beyond the site's cap per hour, a request is stored with the audit
// body's mail alone; the confirmations withheld are counted; the next day
// and the next hour start again.
func TestHandlerConfirmationCaps(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)}

	h, dir := newHandler(t, func(c *Config) {
		c.Now = clock.now
		c.ConfirmPerAddressPerDay = 2
		c.ConfirmPerHour = 3
		c.Logf = func(string, ...any) {}
	})
	send := func(email string) (confirmed bool) {
		t.Helper()
		resp := post(t, h, body(func(m map[string]any) { contactOf(m)["email"] = email }), nil)
		if resp.status != http.StatusAccepted {
			t.Fatalf("%s: got %d %v", email, resp.status, resp.errors)
		}
		if _, err := os.Stat(filepath.Join(dir, resp.id, AuditMessage)); err != nil {
			t.Fatalf("%s: the audit body's mail is not stored: %v", email, err)
		}
		_, err := os.Stat(filepath.Join(dir, resp.id, ApplicantMessage))
		return err == nil
	}
	if !send("a@x.example") || !send("A@x.example") {
		t.Fatal("the first two confirmations to one address were withheld")
	}
	if send("a@x.example") {
		t.Error("a third confirmation to one address in a day went out")
	}
	if !send("b@x.example") {
		t.Error("another address's first confirmation was withheld")
	}
	if send("c@x.example") {
		t.Error("a fourth confirmation in the hour went out")
	}
	if n := h.Withheld(); n != 2 {
		t.Errorf("Withheld() = %d, want 2", n)
	}
	clock.add(time.Hour)
	if !send("c@x.example") {
		t.Error("the next hour still withholds")
	}
	clock.add(24 * time.Hour)
	if !send("a@x.example") {
		t.Error("the next day still withholds a's confirmation")
	}
}

// TestHandlerStoredThenSyncFails: a store that fails after the record is
// in place (the outbox folder's sync) is answered 202, not 503, so that
// a retry without an Idempotency-Key does not store the request twice.
func TestHandlerStoredThenSyncFails(t *testing.T) {
	var logged []string
	cfg := testConfig(t, filepath.Join(t.TempDir(), "outbox"))
	cfg.Logf = func(f string, a ...any) { logged = append(logged, fmt.Sprintf(f, a...)) }
	ep, err := NewEndpoint(cfg, lateStore{})
	if err != nil {
		t.Fatal(err)
	}
	resp := post(t, ep, body(nil), nil)
	if resp.status != http.StatusAccepted {
		t.Errorf("got %d %v, want 202", resp.status, resp.errors)
	}
	if len(logged) != 1 || !strings.Contains(logged[0], "is stored, but") {
		t.Errorf("logged %q", logged)
	}
}

type lateStore struct{}

func (lateStore) Put(*Submission, string, []Message) error {
	return &StoredError{errors.New("syncing the folder failed: input/output error")}
}
func (lateStore) Lookup(string) (string, bool) { return "", false }
