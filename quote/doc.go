// Package quote turns a quote request from the self-check's result page
// into two mails, one to the audit body and a confirmation to the
// applicant, and makes sure that no request it has acknowledged is lost.
//
// # The flow of one request
//
// Handler.ServeHTTP takes POST /api/quote (the contract is in docs/endpoints.md):
// it checks the method (405), the client's rate (429 with Retry-After; a
// token bucket per address: the connection's, or, when the connection
// comes from one of TrustedProxies, the client its ClientIPHeader names),
// the content type (415) and the size (413 over 32 KB).
// Decode then reads the JSON strictly and validates every field, answering
// 400 with a {field, code} per mistake: required fields, lengths, control
// characters, the e-mail address, the enterprise number (assess's check)
// and the phone number, which NormalizePhone turns into E.164 from the
// ways Belgians write it. The answers go through the same codec as the
// assess command, dated today in Belgium whatever the client says, and
// assess.Evaluate judges them again: no verdict from the client is read.
//
// The Composer writes both mails as RFC 5322 text with the standard
// library (mime/multipart, quoted-printable, RFC 2047 encoded words): the
// audit body's in its language (Config.DefaultLang) with the contact
// details, the result, every answer in words and the answers and result as
// a JSON attachment; the applicant's in their language with the reference
// and a summary, without the free message, so that the form cannot be used
// to mail any text to any address. Every word comes from content/<lang>/
// (selfcheck.yaml and quote.yaml, as the plain types of package words that
// the build decodes and checks), none from Go. Headers are folded and encoded, and a header value with a
// control character is refused, so nothing from a request can add or break
// a header. The composer does no input or output, so the Worker reuses it.
//
// Endpoint is this flow over any Store; Handler, the endpoint of
// `kmopsite serve`, is an Endpoint whose Store is the outbox, with the
// mailbox and the sender. The Worker (worker/) uses an Endpoint whose Store
// is a Cloudflare Queue, and ParseRecord and the Composer in its consumer.
// Built for WebAssembly, the package leaves go-mail out (sender_wasm.go)
// and the mailbox's pages with their html/template (mailbox_wasm.go).
//
// # Stored before acknowledged
//
// The request record and the two .eml files are written into a new
// directory under outbox/tmp/, the files and the directory synced, then
// renamed to outbox/<reference>/ and the outbox synced. Only then does
// the client get 202 {"id"}. Requests that arrive together share the
// syncs (group commit, outbox.go): one of them syncs the files of all
// (syncfs(2) on Linux), renames each folder and syncs the outbox once,
// and none of them is answered before the syncs that cover it. A request is therefore in the outbox
// whole or not at all; what a crash leaves in tmp/ was never acknowledged
// and is removed at the next start. A write that fails answers 503; once
// the record is in place the answer is 202 whatever follows (a failed sync
// of the outbox folder is logged): a 503 then would make the client send
// the request again, to be stored twice.
//
// # No relay
//
// The confirmation goes to the address typed into the form, from the
// audit body's address; single-line fields refuse RFC 2047 encoded words,
// which a mail client would decode past every check. The confirmations
// are capped (caps.go): per recipient per day and for the whole site per
// hour. Beyond a cap the request is stored and the audit body's mail goes,
// without the confirmation; Endpoint.Withheld counts them.
//
// An Idempotency-Key header makes the reference a hash of the key, so a
// retry finds its request by name, after a restart too, and gets the same
// id without a second mail; the same key with a different body is 422.
//
// A filled-in `website` field (the honeypot, hidden from people) gets a
// 202 with a fresh reference, like a real request, so that a program
// learns nothing, but nothing is stored or sent; the log says so with the
// reference. The form must keep browsers from filling the field in
// (autocomplete="off", out of sight and out of the tab order).
//
// # Delivery
//
// Without SMTP settings the outbox is the mailbox: Handler.Mailbox lists
// and shows the messages at /_mail/. With them, Start runs a sender that
// delivers each stored .eml as it is, byte for byte, through
// github.com/wneessen/go-mail's SMTP client, and marks it sent by renaming
// it (x.eml → x.sent.eml); once a request's mails are all done its
// directory moves to outbox/sent/ (or outbox/failed/). A temporary refusal
// is retried after 5 s, 10 s, 20 s… up to an hour apart; a permanent one
// (5xx), or three days of refusals, renames the message to x.failed.eml
// beside an x.failed.txt saying why, and logs it. The sender starts by
// looking at what is waiting, so it picks up where a stopped one left off.
//
// A crash between the SMTP server's acceptance and the rename sends that
// one message again after the restart: SMTP gives no way to ask whether a
// message arrived, so delivery is at least once. The Message-ID stays the
// same, by which mail systems can tell the copy.
package quote
