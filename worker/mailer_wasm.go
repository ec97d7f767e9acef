//go:build js && wasm

package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"syscall/js"

	"github.com/syumai/workers/cloudflare"
)

// newMailer is the mail provider of the Worker's variables: MAIL_API_URL
// and MAIL_DOMAIN, and the secret MAIL_API_KEY (`wrangler secret put
// MAIL_API_KEY`).
func newMailer() (mailer, error) {
	g := mailgun{
		base:   cloudflare.Getenv("MAIL_API_URL"),
		domain: cloudflare.Getenv("MAIL_DOMAIN"),
		key:    cloudflare.Getenv("MAIL_API_KEY"),
		post:   fetchPost,
	}
	if g.base == "" || g.domain == "" || g.key == "" {
		return nil, errors.New("the mail API is not configured: set MAIL_API_URL and MAIL_DOMAIN in wrangler.jsonc and the secret MAIL_API_KEY")
	}
	return g, nil
}

// fetchPost posts with the Workers fetch API, called on globalThis (as
// js/worker.mjs runs the program, js.Global() is globalThis itself), with
// the body as bytes and the answer read whole: a few calls between Go and
// JavaScript, where github.com/syumai/workers' fetch client converts the
// request field by field and streams the body from Go chunk by chunk.
// net/http's client is left out, as it would grow the Worker by more than
// a megabyte. The answer is cut at 64 KiB: its status and a short JSON
// message are all that is read of it.
func fetchPost(_ context.Context, url string, header http.Header, body []byte) (status int, resp []byte, err error) {
	defer func() {
		if p := recover(); p != nil { // a JavaScript exception thrown by a call
			err = fmt.Errorf("fetch %s: %v", url, p)
		}
	}()
	h := js.Global().Get("Headers").New()
	for k, vs := range header {
		for _, v := range vs {
			h.Call("append", k, v)
		}
	}
	b := uint8Array.New(len(body))
	js.CopyBytesToJS(b, body)
	init := js.Global().Get("Object").New()
	init.Set("method", http.MethodPost)
	init.Set("headers", h)
	init.Set("body", b)
	res, err := await(js.Global().Call("fetch", url, init))
	if err != nil {
		return 0, nil, err
	}
	buf, err := await(res.Call("arrayBuffer"))
	if err != nil {
		return 0, nil, err
	}
	data := uint8Array.New(buf)
	resp = make([]byte, min(data.Length(), 64<<10))
	js.CopyBytesToGo(resp, data)
	return res.Get("status").Int(), resp, nil
}
