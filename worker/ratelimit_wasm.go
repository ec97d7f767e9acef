//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"log"
	"sync"
	"syscall/js"

	"github.com/syumai/workers/cloudflare"
)

// bindingLimiter is the Workers Rate Limiting binding: limit({key})
// returns a Promise of {success}.
type bindingLimiter struct{ v js.Value }

var missingLimiter sync.Once

// newLimiter returns the binding QUOTE_LIMITER, or nil when wrangler.jsonc
// has none: then nothing is limited, and that is logged once per instance.
func newLimiter() limiter {
	v := cloudflare.GetBinding(limiterBinding)
	if v.IsUndefined() || v.IsNull() || v.Get("limit").Type() != js.TypeFunction {
		missingLimiter.Do(func() {
			log.Printf("quote worker: no rate limit binding %s (wrangler.jsonc, ratelimits): quote requests are not limited per address", limiterBinding)
		})
		return nil
	}
	return bindingLimiter{v}
}

func (b bindingLimiter) limit(key string) (ok bool, err error) {
	defer func() {
		if p := recover(); p != nil { // a JavaScript exception thrown by the call
			err = fmt.Errorf("%v", p)
		}
	}()
	opts := js.Global().Get("Object").New()
	opts.Set("key", key)
	res, err := await(b.v.Call("limit", opts))
	if err != nil {
		return false, err
	}
	s := res.Get("success")
	if s.Type() != js.TypeBoolean {
		return false, errors.New("the answer has no success")
	}
	return s.Bool(), nil
}

// await waits for a Promise to settle.
func await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	then := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{v: args[0]}
		return nil
	})
	defer then.Release()
	catch := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{err: errors.New(args[0].Call("toString").String())}
		return nil
	})
	defer catch.Release()
	p.Call("then", then, catch)
	r := <-ch
	return r.v, r.err
}
