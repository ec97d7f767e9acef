package main

import (
	"net/http"
	"net/netip"
	"strings"
)

// limiterBinding is the Workers Rate Limiting binding of wrangler.jsonc
// (ratelimits): how many quote requests one address may send per period.
const limiterBinding = "QUOTE_LIMITER"

// limitRetryAfter is the Retry-After of a 429, in seconds: the binding's
// period (wrangler.jsonc, 60), after which its count starts again.
const limitRetryAfter = "60"

// rateLimited is the body of a 429, as `kmopsite serve` writes it.
const rateLimited = `{"errors":[{"field":"body","code":"rate_limited"}]}` + "\n"

// limiter counts a request against key and says whether it is within the
// limit. On Cloudflare it is the binding's limit({key}) (main_wasm.go); the
// tests give a stand-in.
type limiter interface {
	limit(key string) (ok bool, err error)
}

// clientKey is what a request counts against: the address in
// CF-Connecting-IP, which Cloudflare sets on every request that reaches a
// Worker (a client cannot choose it). An IPv6 client counts per /64, the
// block one subscriber usually has, as in `kmopsite serve`. A request
// without a readable address (only outside Cloudflare) counts against
// one shared key.
func clientKey(r *http.Request) string {
	addr, err := netip.ParseAddr(strings.TrimSpace(r.Header.Get("CF-Connecting-IP")))
	if err != nil {
		return "unknown"
	}
	addr = addr.Unmap()
	bits := 32
	if addr.Is6() {
		bits = 64
	}
	p, _ := addr.Prefix(bits)
	return p.String()
}

// allow counts a quote request against its client's address and answers
// 429 with Retry-After when the address is over the limit, as `kmopsite
// serve` does; it reports whether the request may go on. Only POSTs
// count, as in serve (any other method gets its 405 from the endpoint).
// A nil limiter (no binding) limits nothing. When the limiter fails, the
// request goes on and the failure is logged: the limit guards the mail
// quota against a flood, and must not turn away a client when it is
// itself unavailable.
func allow(w http.ResponseWriter, r *http.Request, l limiter, logf func(string, ...any)) bool {
	if l == nil || r.Method != http.MethodPost {
		return true
	}
	key := clientKey(r)
	ok, err := l.limit(key)
	if err != nil {
		logf("quote worker: the rate limiter %s failed (%v); letting the request from %s through", limiterBinding, err, key)
		return true
	}
	if ok {
		return true
	}
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Retry-After", limitRetryAfter)
	w.WriteHeader(http.StatusTooManyRequests)
	w.Write([]byte(rateLimited))
	return false
}
