package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"kmopsite/quote"
)

// countingLimiter stands in for the binding: a fixed window of n requests
// per key, as `wrangler dev` simulates it.
type countingLimiter struct {
	n    int
	seen map[string]int
	err  error
}

func (c *countingLimiter) limit(key string) (bool, error) {
	if c.err != nil {
		return false, c.err
	}
	c.seen[key]++
	return c.seen[key] <= c.n, nil
}

func limitedRequest(method, ip string) *http.Request {
	r := httptest.NewRequest(method, "/api/quote", strings.NewReader("{}"))
	if ip != "" {
		r.Header.Set("CF-Connecting-IP", ip)
	}
	return r
}

func TestAllow(t *testing.T) {
	var logged []string
	logf := func(f string, a ...any) { logged = append(logged, fmt.Sprintf(f, a...)) }
	l := &countingLimiter{n: 2, seen: map[string]int{}}
	for i, c := range []struct {
		method, ip string
		want       bool
	}{
		{"POST", "198.51.100.7", true},
		{"GET", "198.51.100.7", true}, // not counted: the endpoint answers 405
		{"POST", "198.51.100.7", true},
		{"POST", "198.51.100.7", false},
		{"POST", "198.51.100.8", true},
		{"POST", "2001:db8:1:2::1", true},
		{"POST", "2001:db8:1:2::ffff", true},
		{"POST", "2001:db8:1:2:aaaa::1", false}, // the same /64
		{"POST", "2001:db8:1:3::1", true},
		{"POST", "::ffff:198.51.100.8", true}, // IPv4, mapped
		{"POST", "::ffff:198.51.100.8", false},
	} {
		w := httptest.NewRecorder()
		if got := allow(w, limitedRequest(c.method, c.ip), l, logf); got != c.want {
			t.Errorf("%d: %s from %s: allowed %v, want %v", i, c.method, c.ip, got, c.want)
		}
		if !c.want && (w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "60") {
			t.Errorf("%d: %d, Retry-After %q, want 429 with Retry-After 60", i, w.Code, w.Header().Get("Retry-After"))
		}
		if c.want && w.Code != http.StatusOK { // the recorder's default: nothing written
			t.Errorf("%d: allowed, but answered %d", i, w.Code)
		}
	}
	if !allow(httptest.NewRecorder(), limitedRequest("POST", "198.51.100.7"), nil, logf) {
		t.Error("no binding: a request was limited")
	}
	l.err = errors.New("binding down")
	if !allow(httptest.NewRecorder(), limitedRequest("POST", "198.51.100.7"), l, logf) {
		t.Error("the limiter failed and the request was limited")
	}
	if len(logged) != 1 || !strings.Contains(logged[0], "binding down") {
		t.Errorf("logged %q, want the limiter's failure", logged)
	}
}

func TestClientKey(t *testing.T) {
	for ip, want := range map[string]string{
		"198.51.100.7":        "198.51.100.7/32",
		" 198.51.100.7 ":      "198.51.100.7/32",
		"::ffff:198.51.100.7": "198.51.100.7/32",
		"2001:db8:1:2:3::4":   "2001:db8:1:2::/64",
		"":                    "unknown",
		"not an address":      "unknown",
	} {
		if got := clientKey(limitedRequest("POST", ip)); got != want {
			t.Errorf("CF-Connecting-IP %q: key %q, want %q", ip, got, want)
		}
	}
}

type noStore struct{}

func (noStore) Put(*quote.Submission, string, []quote.Message) error { return errors.New("no store") }
func (noStore) Lookup(string) (string, bool)                         { return "", false }

// TestLimitedAsServe: the Worker's 429 is the one `kmopsite serve` writes,
// body and headers, but for Retry-After (serve's bucket refills by the
// second; the binding's window is a minute).
func TestLimitedAsServe(t *testing.T) {
	f, err := site()
	if err != nil {
		t.Fatal(err)
	}
	cfg := quote.ConfigFrom(f)
	cfg.To, cfg.From, cfg.RateLimit = "offerte@audit.example", "noreply@audit.example", 1
	ep, err := quote.NewEndpoint(cfg, noStore{})
	if err != nil {
		t.Fatal(err)
	}
	var serve *httptest.ResponseRecorder
	for range 2 {
		serve = httptest.NewRecorder()
		ep.ServeHTTP(serve, limitedRequest("POST", ""))
	}
	if serve.Code != http.StatusTooManyRequests {
		t.Fatalf("serve answered %d, want 429", serve.Code)
	}
	worker := httptest.NewRecorder()
	allow(worker, limitedRequest("POST", "198.51.100.7"), &countingLimiter{seen: map[string]int{}}, t.Logf)
	if worker.Code != serve.Code || !bytes.Equal(worker.Body.Bytes(), serve.Body.Bytes()) {
		t.Errorf("the Worker answers %d %s, serve %d %s", worker.Code, worker.Body, serve.Code, serve.Body)
	}
	for _, h := range []string{"Content-Type", "Cache-Control", "X-Content-Type-Options"} {
		if worker.Header().Get(h) != serve.Header().Get(h) {
			t.Errorf("%s: the Worker's %q, serve's %q", h, worker.Header().Get(h), serve.Header().Get(h))
		}
	}
}

// limiterConfig matches the binding in wrangler.jsonc.
var limiterConfig = regexp.MustCompile(`"name":\s*"` + limiterBinding + `"[^}]*"simple":\s*\{\s*"limit":\s*(\d+),\s*"period":\s*(\d+)\s*\}`)

// TestRateLimitMatchesSite: the limit deployed with the Worker is the
// built site's (site.yaml's quote.rate_limit), per minute.
func TestRateLimitMatchesSite(t *testing.T) {
	site, err := site()
	if err != nil {
		t.Fatal(err)
	}
	w, err := os.ReadFile("wrangler.jsonc")
	if err != nil {
		t.Fatal(err)
	}
	m := limiterConfig.FindSubmatch(w)
	switch {
	case site.Quote.RateLimit == 0 && m != nil:
		t.Errorf("site.yaml sets no rate limit, but wrangler.jsonc binds %s: remove it", limiterBinding)
	case site.Quote.RateLimit == 0:
	case m == nil:
		t.Errorf("site.yaml sets quote.rate_limit %d, but wrangler.jsonc has no binding %s (ratelimits)", site.Quote.RateLimit, limiterBinding)
	default:
		limit, _ := strconv.Atoi(string(m[1]))
		if limit != site.Quote.RateLimit || string(m[2]) != limitRetryAfter {
			t.Errorf("wrangler.jsonc limits to %s requests per %s s; site.yaml's quote.rate_limit is %d a minute: set limit %[3]d, period %s",
				m[1], m[2], site.Quote.RateLimit, limitRetryAfter)
		}
	}
}
