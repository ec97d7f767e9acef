package quote

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"kmopsite/assess"
)

// MaxBody is the largest request body the endpoint reads; a larger one is
// answered 413.
const MaxBody = 32 << 10

// Store keeps accepted requests. The endpoint answers 202 only once Put
// has returned nil, so Put must not return before the request is safe:
// the server's outbox fsyncs it, the Worker's queue has taken it.
type Store interface {
	// Put stores a submission with its two composed messages and the
	// SHA-256 of the request body. It returns ErrTaken when the id is
	// in use already.
	Put(s *Submission, bodySHA256 string, msgs []Message) error
	// Lookup finds a stored request by id and returns its body's SHA-256,
	// so that a retry with an Idempotency-Key gets the same id. A store
	// that cannot look back returns false.
	Lookup(id string) (bodySHA256 string, found bool)
}

// A RecordStore is a Store that composes the mails itself, later, from
// the record: the Worker's queue, whose consumer composes each mail when
// it sends it. The endpoint gives it the names of the messages to send
// (AuditMessage, and ApplicantMessage unless a cap withholds it) instead
// of composing them for nothing.
type RecordStore interface {
	Store
	PutRecord(s *Submission, bodySHA256 string, names []string) error
}

// ErrTaken is Put's error for an id in use.
var ErrTaken = fs.ErrExist

// Endpoint serves POST /api/quote over any Store: it validates a request,
// assesses its answers again, composes the two mails and stores them
// before it answers 202. See doc.go for the whole flow.
type Endpoint struct {
	cfg   Config
	comp  *Composer
	store Store
	limit *limiter
	locks [64]sync.Mutex // per id (by hash), across the lookup and the write
	// withheld counts the confirmations left out by a cap (caps.go).
	withheld atomic.Int64
	// stored is called after each request is stored; the server's
	// sender wakes up on it.
	stored func()
}

// NewEndpoint checks the configuration and returns an endpoint that keeps
// requests in store.
func NewEndpoint(cfg Config, store Store) (*Endpoint, error) {
	cfg = cfg.withDefaults()
	comp, err := NewComposer(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Caps == nil {
		cfg.Caps = newMemoryCaps(cfg.ConfirmPerAddressPerDay, cfg.ConfirmPerHour)
	}
	return &Endpoint{cfg: cfg, comp: comp, store: store, limit: newLimiter(cfg.RateLimit, cfg.Now), stored: func() {}}, nil
}

// WithStore returns an endpoint like ep, with its settings, words,
// composer, rate limiter and caps, that keeps requests in store: the
// Worker decodes its words once per isolate and gives each request a
// store of its own.
func (ep *Endpoint) WithStore(store Store) *Endpoint {
	return &Endpoint{cfg: ep.cfg, comp: ep.comp, store: store, limit: ep.limit, stored: ep.stored}
}

// Withheld is the number of confirmations this endpoint left out because
// a cap was reached (caps.go).
func (ep *Endpoint) Withheld() int64 { return ep.withheld.Load() }

// Handler is the endpoint of `kmopsite serve`: an Endpoint whose store
// is the outbox on disk, with the mailbox and the SMTP sender.
type Handler struct {
	*Endpoint
	box  *outbox
	wake chan struct{} // tells the sender there is new mail

	firstRetry time.Duration // the sender's first wait after a refusal; tests shorten it
	smtpTLS    *tls.Config   // the sender's TLS settings; tests trust their certificate
	health     *Health       // the sender's state, shared by the handlers of one outbox
}

// Health is the sender's state, for a load balancer's probe: no personal
// data, no message text.
type Health struct {
	running         atomic.Bool
	lastOK, lastErr atomic.Int64 // Unix nanoseconds
	lastErrCode     atomic.Int32 // the SMTP reply code, 0 when the error had none
	delivered       atomic.Int64
}

// HealthReport is Health at one moment.
type HealthReport struct {
	SenderRunning bool      `json:"sender_running"`
	Delivered     int64     `json:"delivered"`
	LastDelivery  time.Time `json:"last_delivery,omitzero"`
	LastError     time.Time `json:"last_delivery_error,omitzero"`
	LastErrorCode int       `json:"last_delivery_error_code,omitempty"`
}

// Health reports the state of the sender that delivers h's outbox.
func (h *Handler) Health() HealthReport {
	r := HealthReport{SenderRunning: h.health.running.Load(), Delivered: h.health.delivered.Load(),
		LastErrorCode: int(h.health.lastErrCode.Load())}
	if t := h.health.lastOK.Load(); t != 0 {
		r.LastDelivery = time.Unix(0, t).UTC()
	}
	if t := h.health.lastErr.Load(); t != 0 {
		r.LastError = time.Unix(0, t).UTC()
	}
	return r
}

// Purge deletes the requests received before cutoff (retention.go).
func (h *Handler) Purge(cutoff time.Time) ([]string, error) { return Purge(h.box.dir, cutoff) }

// Writable reports whether a request can be written into the outbox now,
// by writing and removing a file where requests are written.
func (h *Handler) Writable() error {
	f, err := os.CreateTemp(filepath.Join(h.box.dir, tmpDir), ".probe-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// NewHandler checks the configuration, opens the outbox (clearing what a
// crash left half-written) and returns the handler. It sends nothing
// until Start.
func NewHandler(cfg Config) (*Handler, error) {
	cfg = cfg.withDefaults()
	if cfg.SMTP != nil {
		if err := cfg.SMTP.check(); err != nil {
			return nil, err
		}
	}
	box, cleared, err := openOutbox(cfg.Outbox)
	if err != nil {
		return nil, err
	}
	e, err := NewEndpoint(cfg, box)
	if err != nil {
		return nil, err
	}
	if cleared > 0 {
		cfg.Logf("quote: removed %d unfinished write(s) from %s, left by an earlier stop; none of them had been acknowledged", cleared, filepath.Join(cfg.Outbox, tmpDir))
	}
	h := &Handler{Endpoint: e, box: box, wake: make(chan struct{}, 1), health: &Health{}}
	e.stored = func() {
		select {
		case h.wake <- struct{}{}:
		default:
		}
	}
	return h, nil
}

// Reconfigure returns a handler with a new configuration on the same
// outbox: kmopsite serve makes one after an edit of the words or of
// site.yaml. Unlike NewHandler it clears nothing, so requests that h is
// storing at that moment finish; the new handler wakes h's sender, and
// keeps counting the confirmations where h's counts are. The outbox must
// be the same folder.
func (h *Handler) Reconfigure(cfg Config) (*Handler, error) {
	cfg = cfg.withDefaults()
	if filepath.Clean(cfg.Outbox) != filepath.Clean(h.box.dir) {
		return nil, fmt.Errorf("quote: a new configuration cannot move the outbox from %s to %s", h.box.dir, cfg.Outbox)
	}
	if cfg.SMTP != nil {
		if err := cfg.SMTP.check(); err != nil {
			return nil, err
		}
	}
	if mc, ok := h.cfg.Caps.(*memoryCaps); ok && cfg.Caps == nil {
		mc.setLimits(cfg.ConfirmPerAddressPerDay, cfg.ConfirmPerHour)
		cfg.Caps = mc
	}
	e, err := NewEndpoint(cfg, h.box)
	if err != nil {
		return nil, err
	}
	e.stored = h.Endpoint.stored
	e.withheld.Store(h.withheld.Load())
	return &Handler{Endpoint: e, box: h.box, wake: h.wake, firstRetry: h.firstRetry, smtpTLS: h.smtpTLS, health: h.health}, nil
}

// UseSenderOf makes the requests that h stores wake the sender of first,
// which delivers the same outbox: kmopsite serve keeps one sender while
// it makes new handlers after edits of the words or of site.yaml.
func (h *Handler) UseSenderOf(first *Handler) {
	h.Endpoint.stored = first.Endpoint.stored
	h.health = first.health
}

// ServeHTTP answers a quote request; the contract is in docs/endpoints.md, "The
// quote endpoint".
func (ep *Endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, problem("method", "not_allowed"))
		return
	}
	if ok, wait := ep.limit.allow(clientPrefix(r, ep.cfg.ClientIPHeader, ep.cfg.TrustedProxies)); !ok {
		secs := int((wait + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
		writeJSON(w, http.StatusTooManyRequests, problem("body", "rate_limited"))
		return
	}
	if !jsonType(r.Header.Get("Content-Type")) {
		writeJSON(w, http.StatusUnsupportedMediaType, problem("body", "not_json"))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeJSON(w, http.StatusRequestEntityTooLarge, problem("body", CodeTooLong))
			return
		}
		writeJSON(w, http.StatusBadRequest, problem("body", "unreadable"))
		return
	}
	key := r.Header.Get("Idempotency-Key")
	if !validKey(key) {
		writeJSON(w, http.StatusBadRequest, problem("idempotency_key", CodeInvalid))
		return
	}
	status, resp := ep.accept(body, key)
	writeJSON(w, status, resp)
}

// accept is the endpoint after the HTTP checks: decode, validate, assess,
// compose, store.
func (ep *Endpoint) accept(body []byte, key string) (int, any) {
	now := ep.cfg.Now()
	req, errs, err := Decode(body, today(now), ep.cfg.Langs)
	if err != nil {
		return http.StatusUnsupportedMediaType, problem("body", "not_json")
	}
	if errs != nil {
		return http.StatusBadRequest, map[string]any{"errors": errs}
	}
	if req.Website != "" {
		// A program filled in the honeypot. It gets what a person gets,
		// so it learns nothing, but nothing is stored or sent: the same
		// id for the same Idempotency-Key, as a real retry gets.
		id := newID()
		if key != "" {
			id = keyID(key)
		}
		ep.cfg.Logf("quote: honeypot filled; answered 202 %s and dropped the request", id)
		return http.StatusAccepted, map[string]string{"id": id}
	}

	id := newID()
	if key != "" {
		id = keyID(key)
	}
	fp := fingerprint(body)
	mu := &ep.locks[lockIndex(id)]
	mu.Lock()
	defer mu.Unlock()
	if key != "" {
		if storedFP, ok := ep.store.Lookup(id); ok {
			if storedFP != fp {
				return http.StatusUnprocessableEntity, problem("idempotency_key", "reused")
			}
			return http.StatusAccepted, map[string]string{"id": id}
		}
	}

	s := &Submission{ID: id, Received: now, Lang: req.Lang, Contact: req.Contact,
		Answers: req.Answers, Result: assess.Evaluate(req.Answers), Audit: req.Audit}
	confirm, capped := ep.cfg.Caps.Take(s.Contact.Email, now)
	for attempt := 1; ; attempt++ {
		err = ep.put(s, fp, confirm)
		if errors.Is(err, ErrTaken) && key == "" && attempt < 3 {
			s.ID = newID() // a random id already taken: draw again
			continue
		}
		break
	}
	var late *StoredError
	switch {
	case errors.Is(err, ErrTaken) && key != "":
		// stored by a retry that came in another way; the same request
	case errors.As(err, &late):
		// The record is in place: a 503 now would only make the client
		// send it again, to be stored twice.
		ep.cfg.Logf("quote: request %s is stored, but %v", s.ID, late.Err)
	case err != nil:
		ep.cfg.Logf("quote: cannot store request %s: %v", s.ID, err)
		return http.StatusServiceUnavailable, problem("body", "unavailable")
	}
	if !confirm {
		n := ep.withheld.Add(1)
		ep.cfg.Logf("quote: request %s stored without its confirmation: the cap per %s is reached (%d withheld since start)", s.ID, capped, n)
	}
	ep.stored()
	return http.StatusAccepted, map[string]string{"id": s.ID}
}

// put composes the mails of s and puts them in the store; without confirm,
// the audit body's mail alone.
func (ep *Endpoint) put(s *Submission, fp string, confirm bool) error {
	if rs, ok := ep.store.(RecordStore); ok {
		names := []string{AuditMessage}
		if confirm {
			names = append(names, ApplicantMessage)
		}
		return rs.PutRecord(s, fp, names)
	}
	msgs, err := ep.comp.Compose(s)
	if err != nil {
		return err
	}
	if !confirm {
		msgs = slices.DeleteFunc(msgs, func(m Message) bool { return m.Name == ApplicantMessage })
	}
	return ep.store.Put(s, fp, msgs)
}

// StoredError is a Store's error after the request is stored (the record
// is in place; a step after it failed, such as syncing the outbox folder).
// The endpoint logs it and answers 202.
type StoredError struct{ Err error }

func (e *StoredError) Error() string { return "stored, but " + e.Err.Error() }
func (e *StoredError) Unwrap() error { return e.Err }

func problem(field, code string) map[string]any {
	return map[string]any{"errors": []FieldError{{field, code}}}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "60")
	}
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// jsonType accepts application/json and application/<x>+json, with
// parameters.
func jsonType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

// validKey accepts an absent key or 1 to 255 visible ASCII characters.
func validKey(k string) bool {
	if len(k) > 255 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// References look like KMOP-7K3MQ-9PXD2: 50 bits in Crockford's base32
// (no I, L, O, U), easy to read out on the phone.
var idEncoding = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

func formatID(b []byte) string {
	s := idEncoding.EncodeToString(b[:7])[:10]
	return "KMOP-" + s[:5] + "-" + s[5:]
}

func newID() string {
	var b [7]byte
	rand.Read(b[:])
	return formatID(b[:])
}

// keyID derives the reference from an idempotency key, so that a retry
// finds its request by name, also after a restart.
func keyID(key string) string {
	sum := sha256.Sum256([]byte("kmopsite quote idempotency key\x00" + key))
	return formatID(sum[:])
}

// validID reports whether s has the shape of a reference, so that it can
// be used as a file name.
func validID(s string) bool {
	if len(s) != 16 || !strings.HasPrefix(s, "KMOP-") || s[10] != '-' {
		return false
	}
	for _, c := range s[5:10] + s[11:] {
		if !strings.ContainsRune("0123456789ABCDEFGHJKMNPQRSTVWXYZ", c) {
			return false
		}
	}
	return true
}

func lockIndex(id string) int {
	f := fnv.New32a()
	f.Write([]byte(id))
	return int(f.Sum32() % 64)
}

func fingerprint(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// today is the day in Belgium at t, YYYY-MM-DD: the day the rules are
// applied for.
func today(t time.Time) string {
	bt, _ := brusselsTime(t)
	return bt.Format(time.DateOnly)
}
