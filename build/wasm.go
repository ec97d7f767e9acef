package build

// The wasm step: compile the rules (assess/wasm) to assess.wasm for the
// browser, cached by a hash of everything that goes into it.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Wasm is the compiled browser entry of the rules.
type Wasm struct {
	Module  []byte // assess.wasm
	Support []byte // Go's wasm_exec.js, which loads it, from the same Go
	// Hash is the hex SHA-256 of the inputs: the Go files of assess/ and
	// assess/wasm/, go.mod, go.sum, the Go version and the build flags. It
	// names the cached module; the build is reproducible, so it also
	// stands for the module.
	Hash   string
	Raw    int  // the module's size in bytes
	Brotli int  // its size compressed with brotli -q 11, or -1 without the brotli command
	Cached bool // the module came from the cache, not from the compiler
}

// wasmPackage is the browser entry, and wasmDirs the folders whose Go files
// it is built from.
const wasmPackage = "./assess/wasm"

var wasmDirs = []string{"assess", "assess/wasm"}

// wasmFlags are the go build flags: no paths of this machine or VCS state
// in the module, no symbol table or debug information (the browser has no
// use for them and they are a third of the size).
var wasmFlags = []string{"-trimpath", "-buildvcs=false", "-ldflags=-s -w"}

// CompileWasm compiles the rules in the module at root to WebAssembly, or
// takes the module from cacheDir when its inputs have not changed since. It
// needs the go command on PATH; the brotli command is optional.
func CompileWasm(ctx context.Context, root, cacheDir string) (Wasm, error) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		return Wasm{}, errors.New("compiling assess.wasm needs the go command on PATH; install Go or build with wasm turned off")
	}
	env := append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0", "GOWORK=off")
	goroot, version, err := wasmGoEnv(ctx, gobin, root, env)
	if err != nil {
		return Wasm{}, err
	}
	hash, err := wasmInputHash(root, version)
	if err != nil {
		return Wasm{}, err
	}
	support, err := os.ReadFile(filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"))
	if errors.Is(err, os.ErrNotExist) { // before Go 1.24
		support, err = os.ReadFile(filepath.Join(goroot, "misc", "wasm", "wasm_exec.js"))
	}
	if err != nil {
		return Wasm{}, errors.New("reading Go's wasm_exec.js: " + err.Error())
	}

	w := Wasm{Support: support, Hash: hash, Brotli: -1}
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return Wasm{}, err
	}
	cached := filepath.Join(cacheDir, "assess-"+hash+".wasm")
	if w.Module, err = os.ReadFile(cached); err == nil && isWasm(w.Module) {
		w.Cached = true
	} else {
		// Build into a folder of this call's own, so that builds running
		// side by side (tests, serve and build) never see each other's
		// half-written module; the rename into the cache is atomic.
		tmpDir, err := os.MkdirTemp(cacheDir, "build-*.tmp")
		if err != nil {
			return Wasm{}, err
		}
		// Absolute: go build runs in root, and a relative cache folder
		// (tests use "../.cache") would point elsewhere from there.
		if tmpDir, err = filepath.Abs(tmpDir); err != nil {
			return Wasm{}, err
		}
		defer os.RemoveAll(tmpDir)
		out := filepath.Join(tmpDir, "assess.wasm")
		args := append(append([]string{"build"}, wasmFlags...), "-o", out, wasmPackage)
		cmd := exec.CommandContext(ctx, gobin, args...)
		cmd.Dir = root
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			msg := strings.TrimSpace(stderr.String())
			if msg == "" {
				msg = err.Error()
			}
			return Wasm{}, errors.New("go build " + wasmPackage + " for js/wasm failed:\n" + msg)
		}
		if w.Module, err = os.ReadFile(out); err != nil {
			return Wasm{}, err
		}
		if !isWasm(w.Module) {
			return Wasm{}, errors.New("go build " + wasmPackage + " wrote no WebAssembly module")
		}
		if err := os.Rename(out, cached); err != nil {
			return Wasm{}, err
		}
		wasmPrune(cacheDir, hash)
	}
	w.Raw = len(w.Module)
	w.Brotli = wasmBrotliSize(ctx, cached, w.Module)
	return w, nil
}

// wasmGoEnv returns GOROOT and the Go version, as the go command sees them.
func wasmGoEnv(ctx context.Context, gobin, root string, env []string) (goroot, version string, err error) {
	cmd := exec.CommandContext(ctx, gobin, "env", "GOROOT", "GOVERSION")
	cmd.Dir = root
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		return "", "", errors.New("go env GOROOT GOVERSION: " + err.Error())
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2 {
		return "", "", errors.New("go env GOROOT GOVERSION printed " + strconv.Quote(string(out)))
	}
	return strings.TrimSpace(lines[0]), strings.TrimSpace(lines[1]), nil
}

// wasmInputHash hashes what the module is made of: the Go version, the
// flags, go.mod and go.sum, and the Go files (tests left out) of wasmDirs,
// each with its path.
func wasmInputHash(root, goVersion string) (string, error) {
	h := sha256.New()
	field := func(s string) {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	field(goVersion)
	field("js/wasm " + strings.Join(wasmFlags, " ") + " " + wasmPackage)
	files := []string{"go.mod", "go.sum"}
	for _, dir := range wasmDirs {
		entries, err := os.ReadDir(filepath.Join(root, dir))
		if err != nil {
			return "", err
		}
		for _, e := range entries {
			name := e.Name()
			if !e.IsDir() && strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") {
				files = append(files, dir+"/"+name)
			}
		}
	}
	sort.Strings(files)
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			return "", err
		}
		field(f)
		field(string(data))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// wasmBrotliSize returns the module's size compressed by the brotli
// command at its best quality, kept beside the cached module; -1 when the
// command is missing or fails.
func wasmBrotliSize(ctx context.Context, cached string, module []byte) int {
	sizeFile := cached + ".brotli-size"
	if b, err := os.ReadFile(sizeFile); err == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
			return n
		}
	}
	brotli, err := exec.LookPath("brotli")
	if err != nil {
		return -1
	}
	cmd := exec.CommandContext(ctx, brotli, "-c", "-q", "11")
	cmd.Stdin = bytes.NewReader(module)
	out, err := cmd.Output()
	if err != nil {
		return -1
	}
	os.WriteFile(sizeFile, []byte(strconv.Itoa(len(out))+"\n"), 0o644) // a cache: losing it costs a recompression
	return len(out)
}

// wasmPrune removes the modules of earlier inputs from the cache, so that
// it holds one module, not one per edit of the rules.
// isWasm reports whether data starts like a WebAssembly module; a cached
// file that does not is rebuilt.
func isWasm(data []byte) bool {
	return len(data) > 8 && string(data[:4]) == "\x00asm"
}

func wasmPrune(cacheDir, keep string) {
	old, _ := filepath.Glob(filepath.Join(cacheDir, "assess-*.wasm*"))
	for _, f := range old {
		if !strings.HasPrefix(filepath.Base(f), "assess-"+keep+".wasm") {
			os.Remove(f)
		}
	}
}
