package main

import (
	"errors"
	"regexp"
	"slices"
	"testing"
	"time"

	"kmopsite/endpoints"
	"kmopsite/quote"
)

// TestConfig: the Worker's configuration is the built site's, but the
// sender when QUOTE_FROM names one, and no rate limit in memory.
func TestConfig(t *testing.T) {
	f, err := endpoints.Parse([]byte(`{"site_name":"Audit","site_url":"https://a.example/","default_lang":"nl","langs":["nl","fr"],
"quote":{"endpoint":"/api/quote","to":"in@a.example","from":"site@a.example","rate_limit":10,"confirmations_per_address":2,"confirmations_per_hour":0},
"privacy_url":{"fr":"https://a.example/fr/privacy/"}}`))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	cfg, err := config(f, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.To != "in@a.example" || cfg.From != "site@a.example" || cfg.RateLimit != 0 || cfg.SiteName != "Audit" ||
		cfg.ConfirmPerAddressPerDay != 2 || cfg.ConfirmPerHour != quote.DefaultConfirmPerHour ||
		cfg.PrivacyURL["fr"] != "https://a.example/fr/privacy/" || !slices.Equal(cfg.Langs, []string{"nl", "fr"}) {
		t.Errorf("%+v", cfg)
	}
	env["QUOTE_FROM"] = "noreply@mg.a.example"
	if cfg, _ := config(f, func(k string) string { return env[k] }); cfg.From != "noreply@mg.a.example" {
		t.Errorf("QUOTE_FROM: the sender is %q", cfg.From)
	}
	env["CONFIRM_PER_HOUR"] = "1000000"
	if cfg, _ := config(f, func(k string) string { return env[k] }); cfg.ConfirmPerHour != 1000000 {
		t.Errorf("CONFIRM_PER_HOUR: %d", cfg.ConfirmPerHour)
	}
	f.Quote.To = ""
	if _, err := config(f, func(k string) string { return env[k] }); err == nil {
		t.Error("no inbox, no error")
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
