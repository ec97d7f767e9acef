package server

import (
	"bytes"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"kmopsite/build"
)

// The events of /_reload, each with the id of the build it follows:
//
//	hello   {build}                    first, on every connection
//	reload  {build, urls, all, css, cssOnly}
//	                                   the output changed: urls are the changed
//	                                   addresses (all: too many to list); css the
//	                                   stylesheets to swap, and cssOnly that
//	                                   swapping them is the whole change
//	error   {build, errors, html}      the build failed; html is the overlay
//	clear   {build}                    the build is good again
//
// A client that connects while the build is broken gets the error after
// hello. A client that reconnects and gets another build id in hello has
// missed events and reloads.
type event struct {
	name string
	data any
}

type buildEvent struct {
	Build string `json:"build"`
}

type reloadEvent struct {
	Build   string    `json:"build"`
	URLs    []string  `json:"urls,omitempty"`
	All     bool      `json:"all,omitempty"`
	CSS     []cssSwap `json:"css,omitempty"`
	CSSOnly bool      `json:"cssOnly,omitempty"`
}

type cssSwap struct {
	From      string `json:"from"`
	To        string `json:"to"`
	Integrity string `json:"integrity"`
}

type errorEvent struct {
	Build  string `json:"build"`
	Errors int    `json:"errors"`
	HTML   string `json:"html"`
}

// maxURLs is the most changed addresses a reload event lists.
const maxURLs = 200

// hub sends events to the connected browsers. It is an instance, one per
// server.
type hub struct {
	mu      sync.Mutex
	clients map[chan []byte]bool
	id      string // of the last build
	broken  []byte // the error event of the last build, sent to new clients
	closed  bool
}

func newHub() *hub { return &hub{clients: map[chan []byte]bool{}} }

// publish records the build id and sends the events to every client. An
// error event is also kept for the clients that connect later; any other
// event forgets it.
func (h *hub) publish(id string, events ...*event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.id = id
	for _, ev := range events {
		msg := encode(ev)
		if ev.name == "error" {
			h.broken = msg
		} else {
			h.broken = nil
		}
		for c := range h.clients {
			select {
			case c <- msg:
			default:
				// Too slow: drop it; it reconnects and, seeing a new
				// build id, reloads.
				close(c)
				delete(h.clients, c)
			}
		}
	}
}

func encode(ev *event) []byte {
	data, _ := json.Marshal(ev.data)
	return []byte(fmt.Sprintf("event: %s\ndata: %s\n\n", ev.name, data))
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for c := range h.clients {
		close(c)
		delete(h.clients, c)
	}
}

// ServeHTTP streams the events to one browser.
func (h *hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	c := make(chan []byte, 32)
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		http.Error(w, "the server is stopping", http.StatusServiceUnavailable)
		return
	}
	// The state at connection, queued before any later event.
	c <- encode(&event{name: "hello", data: buildEvent{Build: h.id}})
	if h.broken != nil {
		c <- h.broken
	}
	h.clients[c] = true
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		if h.clients[c] {
			delete(h.clients, c)
			close(c)
		}
		h.mu.Unlock()
	}()

	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	rc := http.NewResponseController(w)
	if _, err := w.Write([]byte("retry: 500\n\n")); err != nil {
		return
	}
	_ = rc.Flush()
	ping := time.NewTicker(20 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-ping.C:
			if _, err := w.Write([]byte(": ping\n\n")); err != nil {
				return
			}
		case msg, ok := <-c:
			if !ok {
				return
			}
			if _, err := w.Write(msg); err != nil {
				return
			}
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

// changedFiles lists the output files that differ between two builds,
// added and removed ones included, sorted.
func changedFiles(old, new *build.Result) []string {
	if old == nil {
		return nil
	}
	var changed []string
	for name, data := range new.Files {
		if o, ok := old.Files[name]; !ok || !same(o, data) {
			changed = append(changed, name)
		}
	}
	for name := range old.Files {
		if _, ok := new.Files[name]; !ok {
			changed = append(changed, name)
		}
	}
	sort.Strings(changed)
	return changed
}

// same compares contents; a page the build did not render again is the
// same slice.
func same(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 || &a[0] == &b[0] {
		return true
	}
	return bytes.Equal(a, b)
}

// urlOf is the address of an output file: a folder's index.html is the
// folder.
func urlOf(name string) string {
	if name == "index.html" {
		return "/"
	}
	if strings.HasSuffix(name, "/index.html") {
		return "/" + strings.TrimSuffix(name, "index.html")
	}
	return "/" + name
}

// reloadFor says what changed between two good builds: the changed
// addresses and, when stylesheets were replaced, the swaps. The change is
// CSS only when the sources that changed are assets and the files that
// changed are pages (which link to the new stylesheet) and stylesheets.
func reloadFor(old, new *build.Result, changed []string, ch build.Changes, id string) reloadEvent {
	ev := reloadEvent{Build: id}
	if len(changed) > maxURLs {
		ev.All = true
	} else {
		for _, name := range changed {
			ev.URLs = append(ev.URLs, urlOf(name))
		}
	}
	removed, added := map[string]string{}, map[string]string{}
	cssOnly := ch.Assets && !ch.All && !ch.Rescan && len(ch.Content) == 0 && !ch.Words && !ch.Templates && !ch.Wasm
	for _, name := range changed {
		_, inOld := old.Files[name]
		_, inNew := new.Files[name]
		switch {
		case strings.HasPrefix(name, "assets/") && path.Ext(name) == ".css" && inOld && !inNew:
			removed[stem(name)] = name
		case strings.HasPrefix(name, "assets/") && path.Ext(name) == ".css" && inNew && !inOld:
			added[stem(name)] = name
		case strings.HasSuffix(name, ".html") && inOld && inNew:
		default:
			cssOnly = false
		}
	}
	for s, from := range removed {
		to, ok := added[s]
		if !ok {
			cssOnly = false
			continue
		}
		sum := sha512.Sum384(new.Files[to])
		ev.CSS = append(ev.CSS, cssSwap{From: "/" + from, To: "/" + to,
			Integrity: "sha384-" + base64.StdEncoding.EncodeToString(sum[:])})
	}
	sort.Slice(ev.CSS, func(i, j int) bool { return ev.CSS[i].From < ev.CSS[j].From })
	if len(added) != len(ev.CSS) {
		cssOnly = false
	}
	ev.CSSOnly = cssOnly && len(ev.CSS) > 0
	if ev.CSSOnly {
		ev.URLs, ev.All = nil, false
	}
	return ev
}

// stem is a fingerprinted file's name without its fingerprint:
// assets/site.4F2K3J.css → assets/site.
func stem(name string) string {
	base := strings.TrimSuffix(name, path.Ext(name))
	if i := strings.LastIndexByte(base, '.'); i > strings.LastIndexByte(base, '/') {
		return base[:i]
	}
	return base
}
