package main

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// The Go half of the Worker's glue (js/glue.mjs). The glue hands the Go
// program each fetch event as two values, the request's head as text and
// its body as bytes, and takes the answer back the same way: a few
// crossings between JavaScript and Go an event, where converting the
// Request and Response objects field by field (as github.com/syumai/workers
// does) costs one a header, and a stream for each body.

// parseRequest makes the http.Request of a fetch event. head is what
// requestHead in js/glue.mjs writes: the method, the URL, then each header
// as "name: value", one a line (header values hold no line break: the
// Fetch API refuses them). body is the request's body, nil when it has
// none.
func parseRequest(head string, body []byte) (*http.Request, error) {
	method, rest, ok1 := strings.Cut(head, "\n")
	rawURL, rest, ok2 := strings.Cut(rest, "\n")
	if !ok1 || !ok2 || method == "" {
		return nil, errors.New("the glue's request head has no method or URL")
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	for line := range strings.SplitSeq(rest, "\n") {
		if line == "" {
			continue
		}
		name, value, ok := strings.Cut(line, ": ")
		if !ok {
			return nil, errors.New("the glue's request head has a header line without a colon")
		}
		h.Add(name, value)
	}
	r := &http.Request{
		Method:     method,
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     h,
		Host:       u.Host,
		RequestURI: u.RequestURI(),
		RemoteAddr: h.Get("CF-Connecting-IP"),
		Body:       http.NoBody,
	}
	if body != nil {
		r.Body = readCloser{bytes.NewReader(body)}
		r.ContentLength = int64(len(body))
		r.GetBody = nil
	}
	return r, nil
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

// recorder is the ResponseWriter of a fetch event: it keeps the answer
// until the handler returns, then the glue makes a Response of it.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newRecorder() *recorder { return &recorder{header: http.Header{}} }

func (w *recorder) Header() http.Header { return w.header }

func (w *recorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *recorder) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(b)
}

// Status is the answer's status: 200 when the handler wrote nothing.
func (w *recorder) Status() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// head writes the answer's headers for the glue as requestHead writes a
// request's, "name: value" a line. A line break in a value (which
// net/http would refuse to send) becomes a space.
func (w *recorder) head() string {
	var b strings.Builder
	for name, values := range w.header {
		for _, v := range values {
			b.WriteString(name)
			b.WriteString(": ")
			b.WriteString(strings.Map(noBreak, v))
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func noBreak(r rune) rune {
	if r == '\n' || r == '\r' {
		return ' '
	}
	return r
}

// describe names a request in a log line: its method and path, never its
// query or body (which may hold personal data).
func describe(head string) string {
	method, rest, _ := strings.Cut(head, "\n")
	raw, _, _ := strings.Cut(rest, "\n")
	path := raw
	if u, err := url.Parse(raw); err == nil {
		path = u.Path
	}
	return method + " " + strconv.Quote(path)
}
