//go:build js && wasm

package main

import (
	"log"
	"net/http"
	"runtime/debug"
	"syscall/js"
)

// runtimeContext is the object js/glue.mjs gives the Go program while it
// starts, as globalThis.context: {env, ctx, binding}. It is the one that
// github.com/syumai/workers reads at init for its bindings
// (cloudflare.Getenv, KV, queues), so the glue keeps it and sets env and
// ctx on it before each event. binding is where the program puts its
// entry points: fetch (serveEvents), handleQueueMessageBatch (syumai's
// queues package) and broken.
var runtimeContext = js.Global().Get("context")

var uint8Array = js.Global().Get("Uint8Array")

// serveEvents hands the glue the program's entry for fetch events, and
// the answer it gives when the program dies during one (fail's), then
// waits for ever: the program lives as long as its isolate, or until a
// panic (markBroken).
//
// binding.fetch(head, body, respond) takes an event: the request's head
// and body (requestHead and requestBody in js/glue.mjs) and a function
// that respond is called with once the handler has returned:
// respond(status, head, body), the answer's status, its headers as text
// and its body as a Uint8Array. A panic in h is answered by fail, logged
// with its stack, and marks the program broken: the glue starts a new
// one for the next event, so that nothing a panic left half done is seen
// by another request.
func serveEvents(h http.Handler, fail func(http.ResponseWriter)) {
	binding := runtimeContext.Get("binding")
	w := newRecorder()
	fail(w)
	binding.Set("fallback", answer(w))
	binding.Set("fetch", js.FuncOf(func(_ js.Value, args []js.Value) any {
		head, body, respond := args[0].String(), args[1], args[2]
		var b []byte
		if body.Truthy() {
			b = make([]byte, body.Length())
			js.CopyBytesToGo(b, body)
		}
		// A new goroutine: the handler waits for promises (KV, the
		// queue), which cannot settle while this callback runs.
		go func() { respond.Invoke(answer(serveOne(h, fail, head, b))...) }()
		return nil
	}))
	select {}
}

func serveOne(h http.Handler, fail func(http.ResponseWriter), head string, body []byte) (w *recorder) {
	w = newRecorder()
	defer func() {
		if p := recover(); p != nil {
			log.Printf("quote worker: panic serving %s: %v\n%s", describe(head), p, debug.Stack())
			markBroken()
			w = newRecorder()
			fail(w)
		}
	}()
	r, err := parseRequest(head, body)
	if err != nil {
		panic(err) // the glue and this file disagree: a bug
	}
	h.ServeHTTP(w, r)
	return w
}

// answer is the arguments of respond: status, head, body.
func answer(w *recorder) []any {
	b := uint8Array.New(w.body.Len())
	js.CopyBytesToJS(b, w.body.Bytes())
	return []any{w.Status(), w.head(), b}
}

// markBroken tells the glue not to give this program another event: a
// panic was recovered, and what it interrupted may have left state half
// changed.
func markBroken() {
	runtimeContext.Get("binding").Set("broken", true)
}
