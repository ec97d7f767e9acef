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

// clientPrefix returns the address a request counts against: the
// connection's, or the one in header when configured (the last entry, as
// the nearest proxy wrote it). IPv6 clients count per /64, the block one
// subscriber usually has.
func clientPrefix(r *http.Request, header string) netip.Prefix {
	s := ""
	if header != "" {
		if v := r.Header.Values(header); len(v) > 0 {
			last := v[len(v)-1]
			s = strings.TrimSpace(last[strings.LastIndexByte(last, ',')+1:])
		}
	}
	if s == "" {
		s = r.RemoteAddr
		if host, _, err := net.SplitHostPort(s); err == nil {
			s = host
		}
	}
	addr, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{} // one bucket for whatever cannot be read
	}
	addr = addr.Unmap()
	bits := 32
	if addr.Is6() {
		bits = 64
	}
	p, _ := addr.Prefix(bits)
	return p
}
