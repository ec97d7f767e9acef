package quote

import (
	"strings"
	"sync"
	"time"
)

// The confirmation mail goes to whatever address was typed into the form,
// from the audit body's own address. Without a cap, a program could use
// the endpoint to mail many addresses in the audit body's name. So the
// confirmations are capped, per recipient per day and for the whole site
// per hour; beyond a cap the request is still stored and the audit body
// still gets its mail, only the confirmation is left out (and logged, and
// counted). A person who sends two or three requests in a day still gets
// every confirmation.
const (
	DefaultConfirmPerAddressPerDay = 3
	DefaultConfirmPerHour          = 60
)

// Caps counts the confirmations sent. Take is asked once per stored
// request; false leaves its confirmation out. The server counts in memory
// (memoryCaps); the Worker counts in Workers KV, shared by its isolates.
type Caps interface {
	// Take counts one confirmation to address at now, unless a cap is
	// reached; then it returns false and which cap: "address" or "site".
	Take(address string, now time.Time) (ok bool, which string)
}

// CapWindows returns the keys of the windows a confirmation at now counts
// in: the day in Belgium (for the cap per address) and the hour in UTC
// (for the site's cap). The Worker's KV counters are named after them.
func CapWindows(now time.Time) (day, hour string) {
	return today(now), now.UTC().Format("2006-01-02T15")
}

// CapKey is the form of an address that a cap counts: lowercased, since
// mail systems deliver Name@x and name@x to the same box.
func CapKey(address string) string { return strings.ToLower(address) }

// memoryCaps counts in memory for one server process. A restart starts
// the counts again, which lets at most one more day's cap through.
type memoryCaps struct {
	perAddress, perHour int

	mu        sync.Mutex
	day, hour string
	addresses map[string]int
	site      int
}

func newMemoryCaps(perAddress, perHour int) *memoryCaps {
	return &memoryCaps{perAddress: perAddress, perHour: perHour, addresses: map[string]int{}}
}

func (c *memoryCaps) Take(address string, now time.Time) (bool, string) {
	day, hour := CapWindows(now)
	c.mu.Lock()
	defer c.mu.Unlock()
	if day != c.day {
		c.day, c.addresses = day, map[string]int{}
	}
	if hour != c.hour {
		c.hour, c.site = hour, 0
	}
	key := CapKey(address)
	switch {
	case c.addresses[key] >= c.perAddress:
		return false, "address"
	case c.site >= c.perHour:
		return false, "site"
	}
	c.addresses[key]++
	c.site++
	return true, ""
}

// setLimits changes the caps and keeps the counts (an edit of site.yaml
// under serve).
func (c *memoryCaps) setLimits(perAddress, perHour int) {
	c.mu.Lock()
	c.perAddress, c.perHour = perAddress, perHour
	c.mu.Unlock()
}
