//go:build js && wasm

package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"syscall/js"

	"github.com/syumai/workers/cloudflare"
	"github.com/syumai/workers/cloudflare/fetch"
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

// fetchPost posts with the Workers fetch API. fetch must be called on the
// real globalThis, or the runtime throws "Illegal invocation": js.Global()
// is the proxy that github.com/syumai/workers puts around it, so the
// binding is its globalThis property. net/http's client is left out, as
// it would grow the Worker for nothing.
func fetchPost(ctx context.Context, url string, header http.Header, body []byte) (int, []byte, error) {
	req, err := fetch.NewRequest(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header = header
	resp, err := fetch.NewClient(fetch.WithBinding(js.Global().Get("globalThis"))).Do(req, nil)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, b, err
}
