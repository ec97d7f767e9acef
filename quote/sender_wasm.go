//go:build js && wasm

package quote

import (
	"context"
	"errors"
)

// A Worker has no SMTP: its queue consumer sends through an HTTP mail API
// (see worker/). Leaving go-mail out keeps the Worker small.

func (s *SMTPConfig) check() error {
	return errors.New("quote: SMTP is not available in WebAssembly; the Worker sends through its queue consumer")
}

// Start does nothing in WebAssembly.
func (h *Handler) Start(ctx context.Context) {}
