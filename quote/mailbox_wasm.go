//go:build js && wasm

package quote

import "net/http"

// Mailbox answers 404 in WebAssembly: a Worker keeps no outbox to read,
// and leaving the mailbox's pages out spares it html/template.
func (h *Handler) Mailbox() http.Handler { return http.NotFoundHandler() }
