package main

import (
	_ "embed"
	"errors"
	"strconv"
	"sync"

	"kmopsite/endpoints"
	"kmopsite/quote"
)

// endpointsJSON is the built site's endpoints' file (package endpoints):
// the words of the quote mails, the audit body's addresses, the privacy
// pages, the caps and the headers of every answer, as `kmopsite build`
// writes them into public/. A Worker cannot read the built site, so it
// embeds a copy; TestEndpointsCurrent fails when the copy is stale.
//
//go:generate go run ./endpointsjson/gen
//go:embed endpoints.json
var endpointsJSON []byte

// site is the endpoints' file, decoded once per isolate.
var site = sync.OnceValues(func() (*endpoints.File, error) { return endpoints.Parse(endpointsJSON) })

// config is the quote endpoint's configuration in the Worker: what the
// built site says, but the sender when the Worker's variable QUOTE_FROM
// names one (an address of a domain the mail provider may send for), and
// no rate limit in memory: a program serves one isolate of many, so the
// binding QUOTE_LIMITER counts instead (serve, allow). The variables
// CONFIRM_PER_ADDRESS and CONFIRM_PER_HOUR lift the caps for a load test
// (make bench-worker); a deployment sets neither.
func config(f *endpoints.File, getenv func(string) string) (quote.Config, error) {
	cfg := quote.ConfigFrom(f)
	if from := getenv("QUOTE_FROM"); from != "" {
		cfg.From = from
	}
	cfg.RateLimit = 0
	if n, err := strconv.Atoi(getenv("CONFIRM_PER_ADDRESS")); err == nil && n > 0 {
		cfg.ConfirmPerAddressPerDay = n
	}
	if n, err := strconv.Atoi(getenv("CONFIRM_PER_HOUR")); err == nil && n > 0 {
		cfg.ConfirmPerHour = n
	}
	if cfg.ConfirmPerAddressPerDay <= 0 {
		cfg.ConfirmPerAddressPerDay = quote.DefaultConfirmPerAddressPerDay
	}
	if cfg.ConfirmPerHour <= 0 {
		cfg.ConfirmPerHour = quote.DefaultConfirmPerHour
	}
	if cfg.To == "" || cfg.From == "" {
		return cfg, errors.New("the audit body's addresses are missing: set quote.to and quote.from in site.yaml (or the variable QUOTE_FROM in wrangler.jsonc), then go generate ./worker")
	}
	return cfg, nil
}
