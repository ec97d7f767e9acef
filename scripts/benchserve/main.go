// Command benchserve measures edit-to-page latency of a running dev
// server, for make bench-serve (scripts/bench-serve.sh): it connects as a
// browser's live-reload client would, edits one page many times, and times
// each edit from the moment the file is written to the first HTTP answer
// that holds the edit: on the reload message it fetches the page, as the
// browser does, and fetches it again while the answer does not hold the
// edit yet.
//
//	benchserve -proto sse -url http://127.0.0.1:8080 -page /nl/p/ -file site/content/nl/p.md
//	benchserve -proto livereload -url http://127.0.0.1:1313 -page /nl/p/ -file hugo/content/nl/p.md
//
// sse is kmopsite serve's /_reload (a "reload" event naming the page);
// livereload is Hugo's /livereload WebSocket (a "reload" command). The
// page is fetched once first, as the browser that shows it would have.
// It prints one line: name, edits, median, p95, min and max in ms.
package main

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"
)

func main() {
	proto := flag.String("proto", "sse", "the reload protocol: sse (kmopsite) or livereload (Hugo)")
	base := flag.String("url", "", "the server, such as http://127.0.0.1:8080")
	page := flag.String("page", "", "the address of the edited page, such as /nl/sectie-1/pagina-1/")
	file := flag.String("file", "", "the page's Markdown file")
	edits := flag.Int("edits", 30, "how many edits to time")
	pause := flag.Duration("pause", 300*time.Millisecond, "rest between edits")
	name := flag.String("name", "", "the name to print")
	flag.Parse()
	if *base == "" || *page == "" || *file == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*proto, *base, *page, *file, *edits, *pause, *name); err != nil {
		fmt.Fprintln(os.Stderr, "benchserve:", err)
		os.Exit(1)
	}
}

// client receives reload messages.
type client interface {
	// next waits for the next reload message that concerns the page.
	next(timeout time.Duration) error
	// drain discards what arrives within d.
	drain(d time.Duration)
	close()
}

func run(proto, base, page, file string, edits int, pause time.Duration, name string) error {
	orig, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	defer os.WriteFile(file, orig, 0o644)
	// The page is open in a browser.
	resp, err := http.Get(base + page)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s%s: %s", base, page, resp.Status)
	}
	var c client
	switch proto {
	case "sse":
		c, err = dialSSE(base, page)
	case "livereload":
		c, err = dialLivereload(base)
	default:
		err = fmt.Errorf("unknown protocol %q", proto)
	}
	if err != nil {
		return err
	}
	defer c.close()
	c.drain(500 * time.Millisecond)

	var times []time.Duration
	for i := range edits {
		mark := fmt.Sprintf("Edit %d at %d.", i+1, time.Now().UnixNano())
		edited := fmt.Appendf(append([]byte(nil), orig...), "\n%s\n", mark)
		start := time.Now()
		if err := os.WriteFile(file, edited, 0o644); err != nil {
			return err
		}
		if err := c.next(30 * time.Second); err != nil {
			return fmt.Errorf("edit %d: %w", i+1, err)
		}
		if err := fetchUntil(base+page, mark, start.Add(30*time.Second)); err != nil {
			return fmt.Errorf("edit %d: %w", i+1, err)
		}
		times = append(times, time.Since(start))
		c.drain(pause)
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	p95 := times[min(len(times)-1, (len(times)*95+99)/100-1)]
	if name == "" {
		name = proto
	}
	fmt.Printf("%-24s %4d  %8.1f  %8.1f  %8.1f  %8.1f\n", name, len(times),
		ms(times[len(times)/2]), ms(p95), ms(times[0]), ms(times[len(times)-1]))
	return nil
}

// fetchUntil fetches url until its answer holds mark.
func fetchUntil(url, mark string, deadline time.Time) error {
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		if resp.StatusCode == http.StatusOK && strings.Contains(string(body), mark) {
			return nil
		}
	}
	return fmt.Errorf("%s did not show the edit", url)
}

// sseClient reads kmopsite's /_reload.
type sseClient struct {
	resp   *http.Response
	events chan sseEvent
	page   string
}

type sseEvent struct {
	name, data string
	err        error
}

func dialSSE(base, page string) (*sseClient, error) {
	resp, err := http.Get(base + "/_reload")
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("/_reload: %s", resp.Status)
	}
	c := &sseClient{resp: resp, events: make(chan sseEvent, 64), page: page}
	go func() {
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				ev.name = line[len("event: "):]
			case strings.HasPrefix(line, "data: "):
				ev.data += line[len("data: "):]
			case line == "" && ev.name != "":
				c.events <- ev
				ev = sseEvent{}
			}
		}
		c.events <- sseEvent{err: fmt.Errorf("the event stream ended: %v", sc.Err())}
	}()
	return c, nil
}

func (c *sseClient) next(timeout time.Duration) error {
	deadline := time.After(timeout)
	for {
		select {
		case ev := <-c.events:
			if ev.err != nil {
				return ev.err
			}
			if ev.name == "error" {
				return fmt.Errorf("the build failed: %.300s", ev.data)
			}
			var d struct {
				URLs []string `json:"urls"`
				All  bool     `json:"all"`
			}
			if ev.name == "reload" && json.Unmarshal([]byte(ev.data), &d) == nil {
				for _, u := range d.URLs {
					if u == c.page {
						return nil
					}
				}
				if d.All {
					return nil
				}
			}
		case <-deadline:
			return errors.New("no reload event")
		}
	}
}

func (c *sseClient) drain(d time.Duration) {
	t := time.After(d)
	for {
		select {
		case <-c.events:
		case <-t:
			return
		}
	}
}

func (c *sseClient) close() { c.resp.Body.Close() }

// livereloadClient speaks the LiveReload protocol over a WebSocket, as
// Hugo's livereload.js does: hello, then reload commands.
type livereloadClient struct {
	conn net.Conn
	msgs chan wsMessage
}

type wsMessage struct {
	data []byte
	err  error
}

func dialLivereload(base string) (*livereloadClient, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		return nil, err
	}
	var key [16]byte
	rand.Read(key[:])
	fmt.Fprintf(conn, "GET /livereload HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nOrigin: %s\r\n\r\n",
		u.Host, base64.StdEncoding.EncodeToString(key[:]), base)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		conn.Close()
		return nil, fmt.Errorf("/livereload: %s", resp.Status)
	}
	c := &livereloadClient{conn: conn, msgs: make(chan wsMessage, 64)}
	hello := `{"command":"hello","protocols":["http://livereload.com/protocols/official-7"]}`
	if err := c.write(1, []byte(hello)); err != nil {
		conn.Close()
		return nil, err
	}
	go c.read(br)
	return c, nil
}

// write sends one masked frame (clients must mask).
func (c *livereloadClient) write(opcode byte, payload []byte) error {
	frame := []byte{0x80 | opcode}
	switch n := len(payload); {
	case n < 126:
		frame = append(frame, 0x80|byte(n))
	case n < 1<<16:
		frame = append(frame, 0x80|126, byte(n>>8), byte(n))
	default:
		frame = append(frame, 0x80|127)
		frame = binary.BigEndian.AppendUint64(frame, uint64(n))
	}
	var mask [4]byte
	rand.Read(mask[:])
	frame = append(frame, mask[:]...)
	for i, b := range payload {
		frame = append(frame, b^mask[i%4])
	}
	_, err := c.conn.Write(frame)
	return err
}

func (c *livereloadClient) read(br *bufio.Reader) {
	var msg []byte
	for {
		var h [2]byte
		if _, err := io.ReadFull(br, h[:]); err != nil {
			c.msgs <- wsMessage{err: err}
			return
		}
		fin, opcode := h[0]&0x80 != 0, h[0]&0x0f
		n := uint64(h[1] & 0x7f)
		switch n {
		case 126:
			var b [2]byte
			io.ReadFull(br, b[:])
			n = uint64(binary.BigEndian.Uint16(b[:]))
		case 127:
			var b [8]byte
			io.ReadFull(br, b[:])
			n = binary.BigEndian.Uint64(b[:])
		}
		payload := make([]byte, n)
		if _, err := io.ReadFull(br, payload); err != nil {
			c.msgs <- wsMessage{err: err}
			return
		}
		switch opcode {
		case 8:
			c.msgs <- wsMessage{err: errors.New("the server closed the WebSocket")}
			return
		case 9:
			c.write(10, payload) // pong
			continue
		case 10:
			continue
		}
		msg = append(msg, payload...)
		if fin {
			c.msgs <- wsMessage{data: msg}
			msg = nil
		}
	}
}

func (c *livereloadClient) next(timeout time.Duration) error {
	deadline := time.After(timeout)
	for {
		select {
		case m := <-c.msgs:
			if m.err != nil {
				return m.err
			}
			var d struct {
				Command string `json:"command"`
			}
			if json.Unmarshal(m.data, &d) == nil && d.Command == "reload" {
				return nil
			}
		case <-deadline:
			return errors.New("no reload message")
		}
	}
}

func (c *livereloadClient) drain(d time.Duration) {
	t := time.After(d)
	for {
		select {
		case <-c.msgs:
		case <-t:
			return
		}
	}
}

func (c *livereloadClient) close() { c.conn.Close() }
