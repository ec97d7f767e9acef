package main

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"kmopsite/endpoints"
	"kmopsite/quote"
)

// siteHeaders are the headers of every answer of the Worker: those that
// the built site's _headers gives every path ("/*"), from its endpoints'
// file, so that the endpoint answers alike wherever it runs.
func siteHeaders() map[string]string {
	h, _ := headers() // an unreadable file fails TestEndpointsCurrent
	return h
}

// headers are read once per isolate, without the words.
var headers = sync.OnceValues(func() (map[string]string, error) { return endpoints.Headers(endpointsJSON) })

func setSecurityHeaders(w http.ResponseWriter) {
	for k, v := range siteHeaders() {
		w.Header().Set(k, v)
	}
}

// writeProblem answers with the endpoint's JSON error, as `kmopsite host`
// writes it: {"errors": [{"field", "code"}]}.
func writeProblem(w http.ResponseWriter, status int, field, code string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "60")
	}
	w.WriteHeader(status)
	w.Write([]byte(`{"errors":[{"field":"` + field + `","code":"` + code + `"}]}` + "\n"))
}

// counters are the Worker's KV counts, behind an interface so that the
// caps can be tested without workerd. get returns 0 for a missing key.
type counters interface {
	get(key string) (int, error)
	put(key string, n int, ttl time.Duration) error
}

// kvCaps are quote.Caps counted in KV, so that every isolate sees the
// same counts: per address per day ("caps/address/<day>/<hash of the
// address>", no address in clear) and for the site per hour
// ("caps/site/<hour>"). KV is eventually consistent and has no increment:
// two requests at the same moment may both count from the same value, so
// the caps hold within a few. When KV fails the confirmation is withheld:
// the request is stored and the audit body mailed all the same, and a
// relay must not open when the counts cannot be read.
type kvCaps struct {
	c                   counters
	perAddress, perHour int
	logf                func(string, ...any)
}

func (k kvCaps) Take(address string, now time.Time) (bool, string) {
	day, hour := quote.CapWindows(now)
	sum := sha256.Sum256([]byte(quote.CapKey(address)))
	aKey := "caps/address/" + day + "/" + hex.EncodeToString(sum[:16])
	sKey := "caps/site/" + hour
	a, err := k.c.get(aKey)
	if err != nil {
		k.logf("quote worker: cannot read the confirmation counts (%v); withholding the confirmation", err)
		return false, "address"
	}
	s, err := k.c.get(sKey)
	if err != nil {
		k.logf("quote worker: cannot read the confirmation counts (%v); withholding the confirmation", err)
		return false, "site"
	}
	switch {
	case a >= k.perAddress:
		return false, "address"
	case s >= k.perHour:
		return false, "site"
	}
	if err := k.c.put(aKey, a+1, 48*time.Hour); err != nil {
		k.logf("quote worker: cannot count a confirmation (%v)", err)
	}
	if err := k.c.put(sKey, s+1, 2*time.Hour); err != nil {
		k.logf("quote worker: cannot count a confirmation (%v)", err)
	}
	return true, ""
}
