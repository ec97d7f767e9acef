package checks

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Root is the repository's root: the closest folder above dir (or dir
// itself) that holds go.mod.
func Root(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working folder")
		}
		dir = parent
	}
}

// BuildCommand compiles the kmopsite command of the repository at root
// into dir and returns its path.
func BuildCommand(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "kmopsite")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
}

// BuildSite runs `kmopsite build` on the site at root, into dest.
func BuildSite(ctx context.Context, bin, root, dest string) error {
	cmd := exec.CommandContext(ctx, bin, "build", "--source", root, "--dest", dest)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("kmopsite build: %v\n%s", err, out)
	}
	return nil
}

// Server is a running `kmopsite serve`.
type Server struct {
	URL  string // http://127.0.0.1:PORT, no trailing slash
	cmd  *exec.Cmd
	done chan struct{}
	mu   sync.Mutex
	log  bytes.Buffer
}

var servingLine = regexp.MustCompile(`serving \d+ pages at (http://[^/\s]+)/`)

// Serve starts `kmopsite serve` on a free loopback port, with its outbox in
// outbox, and returns once it listens.
func Serve(ctx context.Context, bin, root, outbox string) (*Server, error) {
	cmd := exec.Command(bin, "serve", "--source", root, "--addr", "127.0.0.1:0", "--outbox", outbox)
	dieWithParent(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	s := &Server{cmd: cmd, done: make(chan struct{})}
	cmd.Stderr = &lockedWriter{mu: &s.mu, w: &s.log}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			s.mu.Lock()
			s.log.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	go func() { _ = cmd.Wait(); close(s.done) }()
	// It builds the whole site first, the wasm included: two minutes on a
	// quiet machine, longer under load.
	timer := time.NewTimer(time.Duration(float64(2*time.Minute) * Slowdown()))
	defer timer.Stop()
	select {
	case s.URL = <-found:
		return s, nil
	case <-s.done:
		return nil, fmt.Errorf("kmopsite serve stopped before it served:\n%s", s.Log())
	case <-timer.C:
	case <-ctx.Done():
	}
	s.Stop()
	return nil, fmt.Errorf("kmopsite serve did not start:\n%s", s.Log())
}

// Log is what the server wrote so far.
func (s *Server) Log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.TrimSpace(s.log.String())
}

// Stop interrupts the server and waits for it to end.
func (s *Server) Stop() {
	if s == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// ReadSite reads every file of a built site, by slash-separated path.
func ReadSite(dir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	return files, err
}
