package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync/atomic"
	"time"

	"kmopsite/endpoints"
	"kmopsite/quote"
	"kmopsite/settings"
)

// HostOptions configures kmopsite host, the public server.
type HostOptions struct {
	Source    string // the folder of site.yaml, for its deployment settings (host names, proxies, mail)
	Public    string // what kmopsite build wrote: the files, and the endpoints' file
	Outbox    string // where quote requests and their mails are kept
	RateLimit int    // quote requests per minute per address; < 0 keeps site.yaml's
	Logger    *slog.Logger
	// Poll is how often host looks whether Public has changed; 2 s when 0.
	Poll time.Duration
}

// Host serves a built site and the quote endpoint to the public: the
// files of Public from memory with the headers of its _headers file on
// every answer (redirects, 304, 4xx and 5xx too), its _redirects, the
// quote endpoint without the mailbox, and GET /healthz. It answers only
// the site's own host names (421 otherwise, but on /healthz), refuses an
// over-long body before reading it, and picks up a new build when Public
// changes. It never builds: the quote endpoint's words and addresses come
// from the endpoints' file the build wrote into Public, and only the
// deployment settings (host names, proxies, mail) from site.yaml. There
// are no drafts, no live reload, no CMS backend.
type Host struct {
	opts   HostOptions
	log    *slog.Logger
	quotes *Quotes
	site   atomic.Pointer[hostSite]
	mux    *http.ServeMux
	reqID  atomic.Uint64
	idBase string
}

// hostSite is one build in service with the settings it is served with.
type hostSite struct {
	static    *Static
	sig       string // of the files on disk, to see a new build
	names     map[string]bool
	endpoints *endpoints.File
	settings  *settings.Site // site.yaml's, when this build was taken into service
}

// NewHost reads site.yaml's deployment settings and the built site, and
// opens the outbox. Its error says what to fix.
func NewHost(ctx context.Context, opts HostOptions) (*Host, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Poll == 0 {
		opts.Poll = 2 * time.Second
	}
	var b [4]byte
	rand.Read(b[:])
	h := &Host{opts: opts, log: opts.Logger, idBase: hex.EncodeToString(b[:])}
	site, err := h.load()
	if err != nil {
		return nil, err
	}
	q, err := NewQuotes(site.endpoints, site.settings, QuoteOptions{Outbox: opts.Outbox, RateLimit: opts.RateLimit, NoMailbox: true}, h.logf)
	if err != nil {
		return nil, err
	}
	h.quotes = q
	h.site.Store(site)
	h.mux = http.NewServeMux()
	h.mux.HandleFunc("/healthz", h.health) // for the load balancer, whatever the host name
	h.mux.HandleFunc("/", h.serveSite)
	return h, nil
}

// load reads site.yaml's settings (deployment settings: the rest of it
// is in the built site) and the built site.
func (h *Host) load() (*hostSite, error) {
	s, diags := settings.Read(os.DirFS(h.opts.Source))
	diags = append(diags, CheckSettings(s)...)
	if diags.Errors() > 0 {
		return nil, fmt.Errorf("%s has errors:\n%s", filepath.Join(h.opts.Source, settings.File), diags.Format(20))
	}
	return loadPublic(h.opts.Public, s)
}

// Quotes is the quote endpoint (its SMTP settings, its sender).
func (h *Host) Quotes() *Quotes { return h.quotes }

// Files is the number of files in service.
func (h *Host) Files() int { return h.site.Load().static.Files() }

// emailLike finds what looks like an e-mail address in a log line: an
// SMTP server's refusal may name the recipient, which the logs must not.
var emailLike = regexp.MustCompile(`[^\s<>"'()\[\]:,;]+@[^\s<>"'()\[\]:,;]+`)

// logf is the quote endpoint's log, into slog, without addresses.
func (h *Host) logf(format string, args ...any) {
	h.log.Info(emailLike.ReplaceAllString(fmt.Sprintf(format, args...), "<address>"), "component", "quote")
}

// Run watches Public for a new build and deletes the requests older than
// the retention period once a day, until ctx is done.
func (h *Host) Run(ctx context.Context) {
	poll := time.NewTicker(h.opts.Poll)
	defer poll.Stop()
	h.purge()
	purge := time.NewTicker(24 * time.Hour)
	defer purge.Stop()
	seen := ""
	for {
		select {
		case <-ctx.Done():
			return
		case <-purge.C:
			h.purge()
		case <-poll.C:
			sig, err := signature(h.opts.Public)
			cur := h.site.Load()
			switch {
			case err != nil:
				h.log.Warn("cannot read the built site; the last one stays in service", "public", h.opts.Public, "error", err)
			case sig == cur.sig:
				seen = ""
			case sig != seen:
				seen = sig // changed: wait one more look, so that a copy in progress is not taken half-done
			default:
				h.reload(ctx)
				seen = ""
			}
		}
	}
}

// reload puts the new build in service with site.yaml's settings as
// they are now; when either cannot be read, the last ones stay.
func (h *Host) reload(ctx context.Context) {
	start := time.Now()
	site, err := h.load()
	if err != nil {
		h.log.Error("cannot take the new build; the last one stays in service", "error", err)
		return
	}
	if err := h.quotes.Update(site.endpoints, site.settings); err != nil {
		h.log.Error("the quote endpoint cannot take the new settings", "error", err)
	}
	h.site.Store(site)
	h.log.Info("new build in service", "files", site.static.Files(), "took", time.Since(start).Round(time.Millisecond).String())
}

// purge deletes the requests older than the retention period.
func (h *Host) purge() {
	hq := h.quotes.Handler()
	days := h.site.Load().endpoints.Quote.RetentionDays
	if hq == nil || days <= 0 {
		return
	}
	ids, err := hq.Purge(time.Now().AddDate(0, 0, -days))
	if err != nil {
		h.log.Error("cannot delete old quote requests", "error", err)
	}
	if len(ids) > 0 {
		h.log.Info("deleted quote requests older than the retention period", "requests", len(ids), "retention_days", days)
	}
}

// loadPublic reads a built site into memory with its _headers,
// _redirects and endpoints' file.
func loadPublic(dir string, s *settings.Site) (*hostSite, error) {
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			return nil // no links out of the folder
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s does not exist\nhint: build the site first: kmopsite build --dest %s", dir, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("reading the built site: %w", err)
	}
	if _, ok := files["_headers"]; !ok {
		return nil, fmt.Errorf("%s has no _headers: is it a folder written by kmopsite build?", dir)
	}
	data, ok := files[endpoints.Path]
	if !ok {
		return nil, fmt.Errorf("%s has no %s: build it with this version of kmopsite", dir, endpoints.Path)
	}
	ep, err := endpoints.Parse(data)
	if err != nil {
		return nil, err
	}
	sig, err := signature(dir)
	if err != nil {
		return nil, err
	}
	return &hostSite{static: NewStatic(files, &gzipCache{}), sig: sig, endpoints: ep, settings: s,
		names: hostNames(ep.SiteURL, s)}, nil
}

// hostNames are the names host answers: the built site's address's
// (base_url) and site.yaml's host.names.
func hostNames(siteURL string, s *settings.Site) map[string]bool {
	names := map[string]bool{}
	if u, err := url.Parse(siteURL); err == nil {
		names[hostOnly(u.Host)] = true
	}
	for _, n := range s.Host.Names {
		names[hostOnly(n)] = true
	}
	return names
}

// signature sums the names, sizes and times of the files under dir, and
// the folder itself: a build that writes files, or a new folder renamed
// into place, changes it.
func signature(dir string) (string, error) {
	sum := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(sum, "%s\x00%d\x00%d\x00", p, info.Size(), info.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(sum.Sum(nil)[:12]), nil
}

// statusWriter remembers the status and size of an answer, for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// ServeHTTP gives every request an id, the site's headers on every
// answer (whatever follows: 421, 413, 405, redirects, 5xx) and one line
// of log, and routes it: /healthz, else the site of the host's names.
func (h *Host) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := h.idBase + "-" + strconv.FormatUint(h.reqID.Add(1), 36)
	w := &statusWriter{ResponseWriter: rw}
	h.site.Load().static.setHeaders(w, r.URL.Path)
	w.Header().Set("X-Request-Id", id)
	h.mux.ServeHTTP(w, r)
	// No address, no query string, no user agent: nothing that tells who
	// asked.
	h.log.Info("request", "id", id, "method", r.Method, "path", r.URL.Path, "status", w.status,
		"bytes", w.bytes, "ms", float64(time.Since(start).Microseconds())/1000)
}

// serveSite answers the site's own host names: the quote endpoint, else
// the built site through Static, as serve does.
func (h *Host) serveSite(w http.ResponseWriter, r *http.Request) {
	site := h.site.Load()
	if !site.names[hostOnly(r.Host)] {
		misdirected(w)
		return
	}
	if r.ContentLength > quote.MaxBody {
		// Refused before a byte of the body is read; the connection
		// closes, so the rest is never read either.
		w.Header().Set("Connection", "close")
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		fmt.Fprintln(w, `{"errors":[{"field":"body","code":"too_long"}]}`)
		return
	}
	if q := h.quotes.route(r.URL.Path); q != nil {
		q.ServeHTTP(w, r)
		return
	}
	site.static.ServeHTTP(w, r)
}

// health answers a load balancer: 200 when a request can be stored and
// its mail sent (or kept, with --keep-mail), 503 otherwise; no personal
// data.
func (h *Host) health(w http.ResponseWriter, r *http.Request) {
	if !readOnly(w, r) {
		return
	}
	type report struct {
		Status                string `json:"status"`
		Build                 string `json:"build"`
		OutboxWritable        bool   `json:"outbox_writable"`
		OutboxError           string `json:"outbox_error,omitempty"`
		Mail                  string `json:"mail"` // "smtp" or "kept"
		ConfirmationsWithheld int64  `json:"confirmations_withheld"`
		quote.HealthReport
	}
	rep := report{Status: "ok", Build: h.site.Load().sig, Mail: "kept"}
	hq := h.quotes.Handler()
	if hq == nil {
		rep.Status, rep.OutboxError = "unavailable", "the quote endpoint has no valid settings"
	} else {
		if err := hq.Writable(); err != nil {
			rep.Status, rep.OutboxError = "unavailable", err.Error()
			var pe *fs.PathError
			if errors.As(err, &pe) {
				rep.OutboxError = pe.Err.Error() // without the folder's path
			}
		} else {
			rep.OutboxWritable = true
		}
		rep.ConfirmationsWithheld = hq.Withheld()
		rep.HealthReport = hq.Health()
		if h.quotes.SMTP() != nil {
			rep.Mail = "smtp"
			if !rep.SenderRunning {
				rep.Status = "unavailable"
			}
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	status := http.StatusOK
	if rep.Status != "ok" {
		status = http.StatusServiceUnavailable
	}
	w.WriteHeader(status)
	b, _ := json.MarshalIndent(rep, "", "  ")
	w.Write(append(b, '\n'))
}
