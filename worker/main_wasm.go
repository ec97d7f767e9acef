//go:build js && wasm

package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/syumai/workers/cloudflare"
	"github.com/syumai/workers/cloudflare/kv"
	"github.com/syumai/workers/cloudflare/queues"

	"kmopsite/quote"
)

// The bindings of wrangler.jsonc.
const (
	queueBinding = "QUOTE_QUEUE" // accepted requests, one queue message per mail
	deadBinding  = "QUOTE_DEAD"  // mails refused for good, kept for a person to see
	keysBinding  = "IDEMPOTENCY" // KV: the accepted Idempotency-Keys, by reference
)

// keyTTL is how long an accepted Idempotency-Key is remembered: a retry
// after that is a new request (the form retries within minutes).
const keyTTL = 7 * 24 * time.Hour

// main runs once per isolate, at its first event (js/glue.mjs), and then
// serves every later fetch and queue event of the isolate until a panic
// (events_wasm.go).
func main() {
	log.SetFlags(0)
	log.SetOutput(os.Stderr)
	queues.ConsumeNonBlock(consume)
	serveEvents(http.HandlerFunc(serve), unavailable)
}

// unavailable is the answer to a request whose handler panicked.
func unavailable(w http.ResponseWriter) {
	setSecurityHeaders(w)
	writeProblem(w, http.StatusInternalServerError, "body", "unavailable")
}

// testRoutes are routes that only the Worker's tests build in
// (testroutes_wasm.go, build tag workertest): none in production.
var testRoutes map[string]http.HandlerFunc

// serve answers the CMS's sign-in (/api/auth, /api/callback) and POST
// /api/quote, the latter through the same quote.Endpoint as
// `kmopsite host`, with the queue as its store. The settings and words are
// decoded once per isolate (isolate_wasm.go). Every answer carries the
// site's security headers; every error is JSON. A panic is answered by
// serveEvents.
func serve(w http.ResponseWriter, r *http.Request) {
	if h, ok := testRoutes[r.URL.Path]; ok {
		h(w, r)
		return
	}
	// The CMS's sign-in (signin.go) answers with pages and headers of its
	// own.
	if isSignInPath(r.URL.Path) {
		f, err := site()
		if err != nil {
			log.Printf("quote worker: the sign-in has no texts: %v", err)
		}
		s := newSignIn(cloudflare.Getenv, f)
		s.post, s.random, s.logf = fetchPost, rand.Reader, log.Printf
		s.ServeHTTP(w, r)
		return
	}
	setSecurityHeaders(w)
	if r.URL.Path != "/api/quote" {
		writeProblem(w, http.StatusNotFound, "path", "not_found")
		return
	}
	// Before anything else: a flood costs no reading, no queue message
	// and no mail.
	if !allow(w, r, newLimiter(), log.Printf) {
		return
	}
	is, err := shared()
	if err != nil {
		log.Printf("quote worker: %v", err)
		writeProblem(w, http.StatusServiceUnavailable, "body", "unavailable")
		return
	}
	p, err := queues.NewProducer(queueBinding)
	if err != nil {
		log.Printf("quote worker: the queue binding %s is missing: %v", queueBinding, err)
		writeProblem(w, http.StatusServiceUnavailable, "body", "unavailable")
		return
	}
	// Only a request with an Idempotency-Key is remembered: without one,
	// its reference is random and nobody asks for it again.
	store := queueStore{p: p, keys: is.keys, keyed: r.Header.Get("Idempotency-Key") != ""}
	is.endpoint.WithStore(store).ServeHTTP(w, r)
}

// queueStore is the Worker's quote.Store: the two mails of a request go on
// the queue, one message each, in one call, before the endpoint answers
// 202. A queue message carries the request's record rather than the
// composed mail (the queue takes 128 KB a message); the consumer composes
// it again, to the same bytes.
//
// A request with an Idempotency-Key is also remembered in the KV namespace
// IDEMPOTENCY for keyTTL: its reference (a hash of the key) → the SHA-256
// of its body. The endpoint looks the reference up first (Lookup): found
// with the same body, it answers 202 with the same id and enqueues
// nothing; found with another body, 422 idempotency_key/reused; not
// found, it calls Put.
//
// Put enqueues first and writes the KV record after, one write per
// request; the endpoint answers 202 once Put has returned:
//   - the enqueue fails: nothing is recorded and the client gets 503; its
//     retry finds no record and enqueues. No record can make a retry skip
//     the enqueue of a request that never reached the queue, so there is
//     no "pending" state to clear, and no second write to the same key
//     (KV allows one write a second per key).
//   - the enqueue succeeds and the KV write fails: the request is safe in
//     the queue, so the client still gets 202 (a 503 would make its retry
//     enqueue again for certain); only a retry of this request may then
//     mail twice. It is logged.
//   - the instance dies between the two: the client has no answer and
//     retries; that retry enqueues again. Writing the record first would
//     not help: a record written before a failed enqueue would have to
//     say "pending" and a retry finding it would enqueue again all the
//     same.
//
// KV is eventually consistent: a write is visible at once in the data
// centre that made it, and may take 60 seconds or more to reach the
// others (which may also have cached "no such key" for up to a minute).
// Two retries of one request that reach two data centres within that
// minute may therefore both find nothing and both enqueue: two mails with
// the same reference. This is accepted: a retry comes from the same
// client, which anycast sends to the same data centre almost always
// (a phone moving from Wi-Fi to mobile data is the exception); the two
// mails carry the same reference, so the audit body sees one request; and
// the queue is at-least-once anyway. A Durable Object would be strongly
// consistent, but syumai/workers cannot define one in Go (it only calls
// them), and it would put one location's latency on every request for a
// rare duplicate.
type queueStore struct {
	p     *queues.Producer
	keys  *kv.Namespace
	keyed bool // the request has an Idempotency-Key: remember it
}

// job is one queue message: a mail to compose and send.
type job struct {
	Message string          `json:"message"` // quote.AuditMessage or quote.ApplicantMessage
	Record  json.RawMessage `json:"record"`
}

// accepted is the KV record of an accepted Idempotency-Key.
type accepted struct {
	ID         string    `json:"id"`
	BodySHA256 string    `json:"body_sha256"`
	Accepted   time.Time `json:"accepted"`
}

func keyName(id string) string { return "quote/" + id }

func (q queueStore) Put(s *quote.Submission, bodySHA256 string, msgs []quote.Message) error {
	names := make([]string, len(msgs))
	for i, m := range msgs {
		names[i] = m.Name
	}
	return q.PutRecord(s, bodySHA256, names)
}

// PutRecord makes queueStore a quote.RecordStore: the endpoint does not
// compose the mails that the consumer composes again.
func (q queueStore) PutRecord(s *quote.Submission, bodySHA256 string, names []string) error {
	rec := string(quote.Record(s))
	batch := make([]*queues.MessageSendRequest, len(names))
	for i, name := range names {
		// A job by hand: the names are quote's constants, the record
		// is JSON already (json.Marshal would check and copy it again).
		batch[i] = queues.NewTextMessageSendRequest(`{"message":` + strconv.Quote(name) + `,"record":` + rec + `}`)
	}
	if err := q.p.SendBatch(batch); err != nil {
		return err
	}
	if !q.keyed {
		return nil
	}
	b, _ := json.Marshal(accepted{ID: s.ID, BodySHA256: bodySHA256, Accepted: time.Now().UTC()})
	if err := q.keys.PutString(keyName(s.ID), string(b), &kv.PutOptions{ExpirationTTL: int(keyTTL / time.Second)}); err != nil {
		log.Printf("quote worker: request %s is queued, but its Idempotency-Key is not remembered (%v): a retry would mail again", s.ID, err)
	}
	return nil
}

// Lookup finds the record of an accepted Idempotency-Key by reference. A
// KV error counts as not found: the request is enqueued again, so that a
// retry may mail twice but is never lost.
func (q queueStore) Lookup(id string) (string, bool) {
	v, err := q.keys.GetString(keyName(id), nil)
	if err != nil {
		log.Printf("quote worker: cannot look up request %s in %s: %v; taking it as new", id, keysBinding, err)
		return "", false
	}
	if v == "<null>" || v == "<undefined>" { // no such key: js.Value.String of null
		return "", false
	}
	var a accepted
	if err := json.Unmarshal([]byte(v), &a); err != nil || a.ID != id || a.BodySHA256 == "" {
		log.Printf("quote worker: the record of request %s in %s is unreadable (%v); taking it as new", id, keysBinding, err)
		return "", false
	}
	return a.BodySHA256, true
}

// consume sends the mails of a batch. A mail the provider refuses for now
// is retried by the queue (and ends in the dead-letter queue after
// max_retries); one it refuses for good goes to the dead-letter queue at
// once, with the reason, and is logged.
func consume(batch *queues.MessageBatch) (err error) {
	defer func() {
		if p := recover(); p != nil {
			log.Printf("quote worker: panic consuming a batch of %s: %v\n%s", batch.Queue, p, debug.Stack())
			markBroken()
			batch.RetryAll()
			err = nil
		}
	}()
	is, err := shared()
	if err != nil {
		log.Printf("quote worker: %v", err)
		batch.RetryAll(queues.WithRetryDelay(time.Minute))
		return nil
	}
	comp := is.comp
	m, err := newMailer()
	if err != nil {
		log.Printf("quote worker: %v", err)
		batch.RetryAll(queues.WithRetryDelay(time.Minute))
		return nil
	}
	ctx := context.Background()
	// The two mails of a request come in one batch as a rule: their
	// record is read once.
	records := map[string]*quote.Submission{}
	for _, msg := range batch.Messages {
		err := deliver(ctx, comp, m, msg, records)
		switch {
		case err == nil:
			msg.Ack()
		case isPermanent(err):
			log.Printf("quote worker: giving up on queue message %s: %v; it goes to the dead-letter queue", msg.ID, err)
			if derr := bury(msg, err); derr != nil {
				log.Printf("quote worker: cannot put %s on the dead-letter queue: %v; retrying it instead", msg.ID, derr)
				msg.Retry()
				continue
			}
			msg.Ack()
		default:
			delay := min(retryBase()<<min(max(msg.Attempts-1, 0), 10), time.Hour)
			log.Printf("quote worker: cannot send queue message %s yet (attempt %d): %v; retrying in %s", msg.ID, msg.Attempts, err, delay)
			msg.Retry(queues.WithRetryDelay(delay))
		}
	}
	return nil
}

// retryBase is the first wait after a temporary refusal, doubled at each
// attempt: RETRY_BASE_SECONDS, 10 by default.
func retryBase() time.Duration {
	if n, err := strconv.Atoi(cloudflare.Getenv("RETRY_BASE_SECONDS")); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	return 10 * time.Second
}

// deliver composes the mail of one queue message and sends it. records
// holds the submissions read so far from the batch's records, by record.
func deliver(ctx context.Context, comp *quote.Composer, m mailer, msg *queues.Message, records map[string]*quote.Submission) error {
	body, err := msg.StringBody()
	if err != nil {
		return permanent(err)
	}
	var j job
	if err := json.Unmarshal([]byte(body), &j); err != nil {
		return permanent(fmt.Errorf("the queue message is not a job: %w", err))
	}
	s := records[string(j.Record)]
	if s == nil {
		if s, err = quote.ParseRecord(j.Record); err != nil {
			return permanent(err)
		}
		records[string(j.Record)] = s
	}
	mm, err := comp.ComposeOne(s, j.Message)
	if err != nil {
		return permanent(fmt.Errorf("request %s: %w", s.ID, err))
	}
	return m.send(ctx, mm)
}

// bury puts a message on the dead-letter queue with the reason it failed.
func bury(msg *queues.Message, reason error) error {
	p, err := queues.NewProducer(deadBinding)
	if err != nil {
		return err
	}
	body, _ := msg.StringBody()
	b, err := json.Marshal(map[string]string{"job": body, "error": reason.Error(), "failed": time.Now().UTC().Format(time.RFC3339)})
	if err != nil {
		return err
	}
	return p.SendText(string(b))
}
