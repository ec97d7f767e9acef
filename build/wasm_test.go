package build

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

func TestCompileWasm(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	ctx := context.Background()
	// A relative cache folder, as the tests of other packages give it
	// ("../.cache"): go build runs in root, so the path must not be taken
	// relative to it.
	abs, err := os.MkdirTemp(".", "wasm-cache-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(abs) })
	cache := filepath.Base(abs)
	// An earlier module in the cache goes once a new one is built.
	stale := filepath.Join(cache, "assess-0000.wasm")
	os.WriteFile(stale, []byte("old"), 0o644)

	start := time.Now()
	w, err := CompileWasm(ctx, "..", cache)
	if err != nil {
		t.Fatal(err)
	}
	first := time.Since(start)
	if w.Cached {
		t.Error("the first build came from an empty cache")
	}
	if !bytes.HasPrefix(w.Module, []byte("\x00asm")) {
		t.Errorf("the module is not WebAssembly: % x", w.Module[:min(8, len(w.Module))])
	}
	if w.Raw != len(w.Module) || w.Raw < 100000 {
		t.Errorf("Raw = %d for a module of %d bytes", w.Raw, len(w.Module))
	}
	if !bytes.Contains(w.Support, []byte("class Go")) && !bytes.Contains(w.Support, []byte("globalThis.Go")) {
		t.Error("Support is not Go's wasm_exec.js")
	}
	if len(w.Hash) != 64 {
		t.Errorf("Hash %q is not a hex SHA-256", w.Hash)
	}
	_, brotliErr := exec.LookPath("brotli")
	switch {
	case brotliErr != nil && w.Brotli != -1:
		t.Errorf("Brotli = %d without the brotli command, want -1", w.Brotli)
	case brotliErr == nil && (w.Brotli <= 0 || w.Brotli >= w.Raw):
		t.Errorf("Brotli = %d for %d raw bytes", w.Brotli, w.Raw)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Error("the stale module is still in the cache")
	}

	start = time.Now()
	again, err := CompileWasm(ctx, "..", cache)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("compiled in %v, from the cache in %v; %d bytes, %d with brotli", first, time.Since(start), w.Raw, w.Brotli)
	if !again.Cached {
		t.Error("the second build did not come from the cache")
	}
	if !bytes.Equal(again.Module, w.Module) || again.Hash != w.Hash || again.Brotli != w.Brotli {
		t.Error("the cached module differs from the compiled one")
	}
}

func TestCompileWasmError(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	root := t.TempDir()
	write := func(name, data string) { writeFile(t, root, name, data) }
	write("go.mod", "module kmopsite\n\ngo 1.24\n")
	write("go.sum", "")
	write("assess/assess.go", "package assess\n")
	write("assess/wasm/main.go", "package main\n\nfunc main() { undefined() }\n")
	_, err := CompileWasm(context.Background(), root, t.TempDir())
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("undefined")) || !bytes.Contains([]byte(err.Error()), []byte("main.go:3")) {
		t.Errorf("want the compiler's error with its position, got %v", err)
	}
}

func TestWasmInputHash(t *testing.T) {
	root := t.TempDir()
	write := func(name, data string) { writeFile(t, root, name, data) }
	write("go.mod", "module kmopsite\n")
	write("go.sum", "")
	write("assess/rules.go", "package assess\n")
	write("assess/wasm/main.go", "package main\n")
	hash := func(version string) string {
		h, err := wasmInputHash(root, version)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	h := hash("go1.26.8")
	for _, c := range []struct {
		what    string
		change  func()
		changes bool
	}{
		{"a test file", func() { write("assess/rules_test.go", "package assess\n") }, false},
		{"a golden file", func() { write("assess/testdata/paths.golden", "x") }, false},
		{"another package", func() { write("assess/codec/codec.go", "package codec\n") }, false},
		{"a rule", func() { write("assess/rules.go", "package assess // changed\n") }, true},
		{"a new file of assess", func() { write("assess/more.go", "package assess\n") }, true},
		{"the browser entry", func() { write("assess/wasm/main.go", "package main // changed\n") }, true},
		{"go.mod", func() { write("go.mod", "module kmopsite\n\ngo 1.26\n") }, true},
		{"go.sum", func() { write("go.sum", "x v1.0.0 h1:abc\n") }, true},
	} {
		c.change()
		now := hash("go1.26.8")
		if (now != h) != c.changes {
			t.Errorf("changing %s: hash changed = %v, want %v", c.what, now != h, c.changes)
		}
		h = now
	}
	if hash("go1.27.0") == h {
		t.Error("the Go version does not change the hash")
	}
}
