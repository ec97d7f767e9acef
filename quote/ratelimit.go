package quote

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// limiter is a token bucket per client address: each holds up to perMinute
// tokens and gains perMinute of them a minute. A request takes one.
type limiter struct {
	perMinute int
	now       func() time.Time

	mu      sync.Mutex
	buckets map[netip.Prefix]*bucket
	calls   int
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(perMinute int, now func() time.Time) *limiter {
	return &limiter{perMinute: perMinute, now: now, buckets: map[netip.Prefix]*bucket{}}
}

// allow takes a token for the client, or says how long until it may try
// again.
func (l *limiter) allow(client netip.Prefix) (bool, time.Duration) {
	if l == nil || l.perMinute <= 0 {
		return true, 0
	}
	now := l.now()
	rate := float64(l.perMinute) / float64(time.Minute) // tokens per nanosecond
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls++
	if l.calls%1024 == 0 {
		l.prune(now, rate)
	}
	b := l.buckets[client]
	if b == nil {
		b = &bucket{tokens: float64(l.perMinute), at: now}
		l.buckets[client] = b
	}
	if d := now.Sub(b.at); d > 0 {
		b.tokens = min(float64(l.perMinute), b.tokens+float64(d)*rate)
	}
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / rate)
}

// prune forgets the clients whose buckets have filled up again: they are
// no different from new ones.
func (l *limiter) prune(now time.Time, rate float64) {
	for k, b := range l.buckets {
		if b.tokens+float64(now.Sub(b.at))*rate >= float64(l.perMinute) {
			delete(l.buckets, k)
		}
	}
}

// clientPrefix returns the address a request counts against, per /64 for
// IPv6 clients (the block one subscriber usually has): see ClientAddr.
func clientPrefix(r *http.Request, header string, trusted []netip.Prefix) netip.Prefix {
	addr := ClientAddr(r, header, trusted)
	if !addr.IsValid() {
		return netip.Prefix{} // one bucket for whatever cannot be read
	}
	bits := 32
	if addr.Is6() {
		bits = 64
	}
	p, _ := addr.Prefix(bits)
	return p
}

// ClientAddr returns the client's address: the connection's, unless the
// connection comes from a trusted proxy and header is set. Then the
// header's entries are read from the right (the nearest proxy appends
// its peer last) and the first one that is not itself a trusted proxy is
// the client: entries further left were written by the client and prove
// nothing. The zero Addr when nothing can be read.
func ClientAddr(r *http.Request, header string, trusted []netip.Prefix) netip.Addr {
	host := r.RemoteAddr
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	peer = peer.Unmap()
	if header == "" || !inPrefixes(peer, trusted) {
		return peer
	}
	var entries []string
	for _, v := range r.Header.Values(header) {
		entries = append(entries, strings.Split(v, ",")...)
	}
	client := peer
	for i := len(entries) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(entries[i]))
		if err != nil {
			break // a mangled entry: believe nothing further left
		}
		client = a.Unmap()
		if !inPrefixes(client, trusted) {
			break
		}
	}
	return client
}

func inPrefixes(a netip.Addr, ps []netip.Prefix) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
