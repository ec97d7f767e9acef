package main

import (
	"errors"
	"os"
	"reflect"
	"regexp"
	"testing"
	"time"

	"kmopsite/build"
	"kmopsite/settings"
)

// TestHeadersMatchSite: the Worker's headers are those _headers gives
// every path of the site, as site.yaml makes them.
func TestHeadersMatchSite(t *testing.T) {
	cfg, diags := settings.Read(os.DirFS(".."))
	if diags.Errors() > 0 {
		t.Fatalf("site.yaml:\n%s", diags.Format(5))
	}
	if want := build.ResponseHeaders(cfg); !reflect.DeepEqual(securityHeaders, want) {
		t.Errorf("the Worker's headers differ from site.yaml's:\n got %v\nwant %v", securityHeaders, want)
	}
}

// TestCapsMatchSite: the caps the Worker is deployed with are site.yaml's.
func TestCapsMatchSite(t *testing.T) {
	cfg, _ := settings.Read(os.DirFS(".."))
	w, err := os.ReadFile("wrangler.jsonc")
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for _, m := range regexp.MustCompile(`"(CONFIRM_PER_[A-Z]+)":\s*"(\d+)"`).FindAllSubmatch(w, -1) {
		vars[string(m[1])] = string(m[2])
	}
	perAddress, perHour := capsFrom(func(k string) string { return vars[k] })
	if perAddress != cfg.Quote.ConfirmationsPerAddress || perHour != cfg.Quote.ConfirmationsPerHour {
		t.Errorf("wrangler.jsonc caps the confirmations at %d per address, %d per hour; site.yaml at %d and %d",
			perAddress, perHour, cfg.Quote.ConfirmationsPerAddress, cfg.Quote.ConfirmationsPerHour)
	}
}

type mapCounters struct {
	m   map[string]int
	err error
}

func (c *mapCounters) get(k string) (int, error)                  { return c.m[k], c.err }
func (c *mapCounters) put(k string, n int, _ time.Duration) error { c.m[k] = n; return c.err }

// TestKVCaps: the caps per address per day and per hour, counted under
// keys without the address in clear; a KV failure withholds.
func TestKVCaps(t *testing.T) {
	c := &mapCounters{m: map[string]int{}}
	caps := kvCaps{c: c, perAddress: 2, perHour: 3, logf: t.Logf}
	now := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	for i, tc := range []struct {
		email string
		want  bool
	}{{"a@x.example", true}, {"A@x.example", true}, {"a@x.example", false}, {"b@x.example", true}, {"c@x.example", false}} {
		if got, _ := caps.Take(tc.email, now); got != tc.want {
			t.Errorf("%d %s: %v, want %v", i, tc.email, got, tc.want)
		}
	}
	for k := range c.m {
		if regexp.MustCompile(`@`).MatchString(k) {
			t.Errorf("a key holds the address: %s", k)
		}
	}
	if ok, _ := caps.Take("c@x.example", now.Add(time.Hour)); !ok {
		t.Error("the next hour still withholds")
	}
	c.err = errors.New("KV down")
	if ok, _ := caps.Take("d@x.example", now.Add(2*time.Hour)); ok {
		t.Error("a KV failure let a confirmation through")
	}
}
