package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"kmopsite/testsite"
)

// binDir holds the kmopsite command, built once for the scripts.
var binDir string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "kmopsite-serve-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binDir = dir
	return m.Run()
}

// buildCommand builds kmopsite from the repository, once.
var buildCommand = sync.OnceValue(func() error {
	cmd := exec.Command("go", "build", "-o", filepath.Join(binDir, "kmopsite"), "kmopsite")
	cmd.Dir = ".."
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	return nil
})

// TestServeScripts runs testdata/script/serve*.txtar: `kmopsite serve` on a
// small site with the repository's templates, assets and interface words,
// watched by event-stream and HTTP commands (see serveCmds).
func TestServeScripts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	if err := buildCommand(); err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("PATH", binDir+string(os.PathListSeparator)+env.Getenv("PATH"))
			for _, src := range []string{"templates", "assets", "content/nl/interface.yaml", "content/en/interface.yaml"} {
				if err := testsite.CopyTree(filepath.Join("..", src), filepath.Join(env.WorkDir, src)); err != nil {
					return err
				}
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return err
			}
			env.Setenv("ADDR", ln.Addr().String())
			ln.Close()
			return nil
		},
		Cmds: serveCmds(),
	})
}

// patience is how long a script waits for the server: the machines that
// run the tests can be slow and busy.
const patience = 60 * time.Second

// stream is one connection to /_reload, read in the background.
type stream struct {
	mu     sync.Mutex
	events []sseMessage
	more   chan struct{}
	cancel context.CancelFunc
	err    error
}

type sseMessage struct{ name, data string }

var (
	streamsMu sync.Mutex
	streams   = map[*testscript.TestScript]*stream{}
)

// serveCmds are the scripts' commands:
//
//	waitfor PATH                  wait until the server answers PATH
//	get [-status N] PATH          GET PATH; the body is the command's stdout
//	sse open                      connect to /_reload
//	sse wait NAME [REGEXP]        wait for the next NAME event whose data matches;
//	                              events before it are skipped; the data is stdout
//	sse close                     disconnect
//	append FILE TEXT              add a line to a file, as an editor saves
func serveCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"waitfor": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) != 1 {
				ts.Fatalf("usage: waitfor PATH")
			}
			deadline := time.Now().Add(patience)
			for {
				resp, err := http.Get("http://" + ts.Getenv("ADDR") + args[0])
				if err == nil {
					resp.Body.Close()
					if resp.StatusCode == http.StatusOK {
						return
					}
				}
				if time.Now().After(deadline) {
					ts.Fatalf("%s: no answer in %s (%v)", args[0], patience, err)
				}
				time.Sleep(50 * time.Millisecond)
			}
		},
		"get": func(ts *testscript.TestScript, neg bool, args []string) {
			status := http.StatusOK
			if len(args) == 3 && args[0] == "-status" {
				status, _ = strconv.Atoi(args[1])
				args = args[2:]
			}
			if len(args) != 1 {
				ts.Fatalf("usage: get [-status N] PATH")
			}
			resp, err := http.Get("http://" + ts.Getenv("ADDR") + args[0])
			ts.Check(err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			ts.Check(err)
			ts.Stdout().Write(body)
			if resp.StatusCode != status {
				ts.Fatalf("%s: status %d, want %d", args[0], resp.StatusCode, status)
			}
		},
		"append": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) != 2 {
				ts.Fatalf("usage: append FILE TEXT")
			}
			f, err := os.OpenFile(ts.MkAbs(args[0]), os.O_APPEND|os.O_WRONLY, 0)
			ts.Check(err)
			_, err = f.WriteString(args[1] + "\n")
			ts.Check(err)
			ts.Check(f.Close())
		},
		"sse": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) == 0 {
				ts.Fatalf("usage: sse open|wait|close")
			}
			streamsMu.Lock()
			s := streams[ts]
			streamsMu.Unlock()
			switch args[0] {
			case "open":
				if s != nil {
					ts.Fatalf("sse: already open")
				}
				s = openStream(ts, "http://"+ts.Getenv("ADDR")+"/_reload")
				streamsMu.Lock()
				streams[ts] = s
				streamsMu.Unlock()
				ts.Defer(func() {
					s.cancel()
					streamsMu.Lock()
					delete(streams, ts)
					streamsMu.Unlock()
				})
			case "wait":
				if s == nil || len(args) < 2 || len(args) > 3 {
					ts.Fatalf("usage: sse wait NAME [REGEXP], after sse open")
				}
				re := regexp.MustCompile(".")
				if len(args) == 3 {
					re = regexp.MustCompile(args[2])
				}
				ts.Stdout().Write([]byte(s.wait(ts, args[1], re) + "\n"))
			case "close":
				if s != nil {
					s.cancel()
				}
			default:
				ts.Fatalf("sse: unknown %q", args[0])
			}
		},
	}
}

func openStream(ts *testscript.TestScript, url string) *stream {
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	ts.Check(err)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		ts.Fatalf("sse open: %v", err)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || ct != "text/event-stream" {
		cancel()
		ts.Fatalf("sse open: status %d, Content-Type %q", resp.StatusCode, ct)
	}
	s := &stream{more: make(chan struct{}, 1), cancel: cancel}
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		var m sseMessage
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				m.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				m.data += strings.TrimPrefix(line, "data: ")
			case line == "" && m.name != "":
				s.mu.Lock()
				s.events = append(s.events, m)
				s.mu.Unlock()
				m = sseMessage{}
				select {
				case s.more <- struct{}{}:
				default:
				}
			}
		}
		s.mu.Lock()
		s.err = fmt.Errorf("the stream ended: %v", sc.Err())
		s.mu.Unlock()
		select {
		case s.more <- struct{}{}:
		default:
		}
	}()
	return s
}

// wait consumes events up to the first NAME event whose data matches re.
func (s *stream) wait(ts *testscript.TestScript, name string, re *regexp.Regexp) string {
	deadline := time.After(patience)
	var skipped []string
	for {
		s.mu.Lock()
		for len(s.events) > 0 {
			m := s.events[0]
			s.events = s.events[1:]
			if m.name == name && re.MatchString(m.data) {
				s.mu.Unlock()
				return m.data
			}
			skipped = append(skipped, m.name+" "+m.data)
		}
		err := s.err
		s.mu.Unlock()
		if err != nil {
			ts.Fatalf("sse wait %s %s: %v; skipped:\n%s", name, re, err, strings.Join(skipped, "\n"))
		}
		select {
		case <-s.more:
		case <-deadline:
			ts.Fatalf("sse wait %s %s: none in %s; skipped:\n%s", name, re, patience, strings.Join(skipped, "\n"))
		}
	}
}
