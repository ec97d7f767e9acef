//go:build js && wasm

package main

import (
	"log"
	"strconv"
	"sync"
	"time"

	"github.com/syumai/workers/cloudflare"
	"github.com/syumai/workers/cloudflare/kv"

	"kmopsite/quote"
)

// isolate is what every request of one isolate shares, made at its first
// request: the settings and words decoded from endpoints.json, the composer
// and the endpoint without a store. An isolate serves many requests, so
// none of them decodes the words again.
type isolate struct {
	cfg      quote.Config
	comp     *quote.Composer
	endpoint *quote.Endpoint
	keys     *kv.Namespace
}

var shared = sync.OnceValues(func() (*isolate, error) {
	f, err := site()
	if err != nil {
		return nil, err
	}
	cfg, err := config(f, cloudflare.Getenv)
	if err != nil {
		return nil, err
	}
	cfg.Logf = log.Printf
	keys, err := kv.NewNamespace(keysBinding)
	if err != nil {
		return nil, err
	}
	cfg.Caps = kvCaps{c: kvCounters{keys}, perAddress: cfg.ConfirmPerAddressPerDay, perHour: cfg.ConfirmPerHour, logf: log.Printf}
	comp, err := quote.NewComposer(cfg)
	if err != nil {
		return nil, err
	}
	ep, err := quote.NewEndpoint(cfg, nil)
	if err != nil {
		return nil, err
	}
	return &isolate{cfg: cfg, comp: comp, endpoint: ep, keys: keys}, nil
})

// kvCounters are the caps' counts in the KV namespace IDEMPOTENCY.
type kvCounters struct{ ns *kv.Namespace }

func (k kvCounters) get(key string) (int, error) {
	v, err := k.ns.GetString(key, nil)
	if err != nil {
		return 0, err
	}
	n, _ := strconv.Atoi(v) // "<null>" for a missing key: 0
	return n, nil
}

func (k kvCounters) put(key string, n int, ttl time.Duration) error {
	return k.ns.PutString(key, strconv.Itoa(n), &kv.PutOptions{ExpirationTTL: int(ttl / time.Second)})
}
