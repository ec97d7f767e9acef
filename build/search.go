package build

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
)

// Search: the site's search index is Pagefind's (npm pagefind, pinned in
// package.json like Decap CMS): the pages a reader may find, indexed from
// the HTML the build made, one index per language (from <html lang>),
// written at /pagefind/. Only what the layouts mark with
// data-pagefind-body is indexed; the layouts weigh the title above the
// text and tag each page with its section (a filter and a meta).
//
// The index is made by Pagefind's binary in its service mode, the
// protocol of its Node and Python APIs: requests and answers are JSON,
// base64-encoded, each followed by a comma, on the binary's stdin and
// stdout. The pages go to it from memory and the bundle comes back in
// memory, so that build writes it with the site (and keeps it from build
// to build) and serve can hold it without a folder.

// PagefindVersion is the version of pagefind pinned in package.json.
const PagefindVersion = "1.6.0"

// SearchDir is where the bundle is, under the site's root.
const SearchDir = "pagefind/"

// SearchWorker is Pagefind's web worker, which runs the search (and its
// WebAssembly) off the page's thread.
const SearchWorker = SearchDir + "pagefind-worker.js"

// SearchIndex is a built search index.
type SearchIndex struct {
	Files    map[string][]byte // the bundle by output path (pagefind/…)
	Pages    int               // pages indexed
	Langs    []string          // the indexes' languages, as Pagefind names them (nl-be)
	Bytes    int               // the bundle's size
	Duration time.Duration
}

// FindPagefind returns the Pagefind binary installed by npm in dir's
// node_modules, or why there is none (a sentence for the person who
// builds).
func FindPagefind(dir string) (bin, why string) {
	data, err := os.ReadFile(filepath.Join(dir, "node_modules", "pagefind", "package.json"))
	if err != nil {
		return "", "Pagefind, the search indexer, is not installed in this folder."
	}
	var pkg struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(data, &pkg); err != nil || pkg.Version != PagefindVersion {
		return "", fmt.Sprintf("Pagefind %s is installed, but this site needs %s.", pkg.Version, PagefindVersion)
	}
	arch := map[string]string{"amd64": "x64", "arm64": "arm64"}[runtime.GOARCH]
	exe := ""
	if runtime.GOOS == "windows" {
		exe = ".exe"
	}
	platform := runtime.GOOS + "-" + arch
	for _, name := range []string{"pagefind_extended", "pagefind"} {
		p := filepath.Join(dir, "node_modules", "@pagefind", platform, "bin", name+exe)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, ""
		}
	}
	return "", fmt.Sprintf("Pagefind is installed without its binary for %s (npm's optional package @pagefind/%s).", platform, platform)
}

// Search is build's Options.Extend that adds the search index of the site
// in dir at /pagefind/, or says why there is none.
func Search(dir string) func(*Result) (*Extension, Diagnostics) {
	return func(r *Result) (*Extension, Diagnostics) {
		bin, why := FindPagefind(dir)
		if bin == "" {
			return &Extension{Info: []string{"search: no search: " + why + " Run npm ci in the site's folder, then build again."}}, nil
		}
		idx, err := IndexSearch(context.Background(), bin, r)
		if err != nil {
			return nil, Diagnostics{{File: "package.json", Msg: "the search index (Pagefind): " + err.Error()}}
		}
		return &Extension{Files: idx.Files, Info: []string{fmt.Sprintf("search: %d pages in %s, %d files, %d bytes in %.3f s",
			idx.Pages, strings.Join(idx.Langs, ", "), len(idx.Files), idx.Bytes, idx.Duration.Seconds())}}, nil
	}
}

// Extends chains several Options.Extend: each sees the result as the
// build made it, their files and header rules are merged in order, and so
// are their lines of information.
func Extends(exts ...func(*Result) (*Extension, Diagnostics)) func(*Result) (*Extension, Diagnostics) {
	return func(r *Result) (*Extension, Diagnostics) {
		all := &Extension{}
		var diags Diagnostics
		for _, f := range exts {
			ext, d := f(r)
			diags = append(diags, d...)
			if ext == nil {
				continue
			}
			for p, data := range ext.Files {
				if all.Files == nil {
					all.Files = map[string][]byte{}
				}
				all.Files[p] = data
			}
			for prefix, h := range ext.Headers {
				if all.Headers == nil {
					all.Headers = map[string]map[string]string{}
				}
				all.Headers[prefix] = h
			}
			for prefix, n := range ext.Notes {
				if all.Notes == nil {
					all.Notes = map[string]string{}
				}
				all.Notes[prefix] = n
			}
			all.Info = append(all.Info, ext.Info...)
		}
		return all, diags
	}
}

// bodyMark is what a layout writes on the element whose text is indexed.
var bodyMark = []byte("data-pagefind-body")

// Searchable returns the output files of the pages that a reader may find,
// sorted: the published pages (neither drafts nor scheduled, which serve's
// preview renders too) whose layout marks a body to index. The 404 pages,
// the language chooser and the files of /admin/ are not pages of r.
func Searchable(r *Result) []string {
	var out []string
	for _, p := range r.Pages {
		if p.Front.Draft || p.Scheduled || p.Output == "" {
			continue
		}
		if html, ok := r.Files[p.Output]; ok && bytes.Contains(html, bodyMark) {
			out = append(out, p.Output)
		}
	}
	sort.Strings(out)
	return out
}

// IndexSearch indexes the searchable pages of r (Searchable) with the
// Pagefind binary bin and returns the bundle. It reads nothing from disk:
// the pages are r's files.
func IndexSearch(ctx context.Context, bin string, r *Result) (*SearchIndex, error) {
	start := time.Now()
	files := Searchable(r)
	svc, err := startPagefind(ctx, bin)
	if err != nil {
		return nil, err
	}
	defer svc.close()
	answer, err := svc.call(map[string]any{"type": "NewIndex", "config": map[string]any{}})
	if err != nil {
		return nil, err
	}
	id := answer.IndexID

	// All the pages at once: Pagefind answers them as it goes, in any
	// order; a writer of its own keeps both pipes moving.
	reqs := make([]map[string]any, len(files))
	for i, f := range files {
		reqs[i] = map[string]any{"type": "AddFile", "index_id": id, "file_path": f, "file_contents": string(r.Files[f])}
	}
	answers, err := svc.callAll(reqs)
	if err != nil {
		return nil, err
	}
	for i, a := range answers {
		if a.Type != "IndexedFile" {
			return nil, fmt.Errorf("indexing %s: unexpected answer %q", files[i], a.Type)
		}
	}
	got, err := svc.call(map[string]any{"type": "GetFiles", "index_id": id})
	if err != nil {
		return nil, err
	}
	idx := &SearchIndex{Files: make(map[string][]byte, len(got.Files)), Pages: len(files)}
	langs := map[string]bool{}
	for _, f := range got.Files {
		name := path.Clean(strings.TrimPrefix(filepath.ToSlash(f.Path), "/"))
		if !bundleFile(name) {
			continue
		}
		data, err := base64.StdEncoding.DecodeString(f.Content)
		if err != nil {
			return nil, fmt.Errorf("the file %s of the index: %v", name, err)
		}
		idx.Files[SearchDir+name] = data
		idx.Bytes += len(data)
		if lang, ok := strings.CutPrefix(name, "wasm."); ok {
			langs[strings.TrimSuffix(lang, ".pagefind")] = true
		}
	}
	for l := range langs {
		idx.Langs = append(idx.Langs, l)
	}
	sort.Strings(idx.Langs)
	idx.Duration = time.Since(start)
	return idx, nil
}

// SearchPage is what an index holds of one page: Pagefind's fragment.
type SearchPage struct {
	Lang    string              // the index's language (nl-be)
	URL     string              `json:"url"`
	Content string              `json:"content"` // the text indexed
	Meta    map[string]string   `json:"meta"`    // title, section
	Filters map[string][]string `json:"filters"` // section
}

// SearchPages reads the pages that an index (the bundle's files, as in
// SearchIndex.Files) holds: each fragment file is gzip of
// "pagefind_dcd" and the page's JSON. Tests and checks read the index
// with it as the browser would find it.
func SearchPages(files map[string][]byte) ([]SearchPage, error) {
	var out []SearchPage
	for _, name := range sortedKeys(files) {
		rest, ok := strings.CutPrefix(name, SearchDir+"fragment/")
		if !ok {
			continue
		}
		zr, err := gzip.NewReader(bytes.NewReader(files[name]))
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		raw, err := io.ReadAll(zr)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		raw, ok = bytes.CutPrefix(raw, []byte("pagefind_dcd"))
		if !ok {
			return nil, fmt.Errorf("%s: not a Pagefind fragment", name)
		}
		var p SearchPage
		if err := json.Unmarshal(raw, &p); err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		p.Lang, _, _ = strings.Cut(rest, "_")
		out = append(out, p)
	}
	return out, nil
}

// bundleFile reports whether a file of Pagefind's bundle is one the
// site's search uses: the search API (pagefind.js, its worker and
// WebAssembly, the entry, the metadata, indexes, fragments and filters),
// not Pagefind's own user interfaces, which the site does not load.
func bundleFile(name string) bool {
	if strings.HasPrefix(name, "..") || strings.HasPrefix(name, "playground/") || name == "wasm.unknown.pagefind" {
		return false
	}
	for _, ui := range []string{"pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight."} {
		if strings.HasPrefix(name, ui) {
			return false
		}
	}
	return true
}

// pagefind is a running Pagefind binary in service mode.
type pagefind struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr lockedBuffer
	next   int // the last message id
}

// lockedBuffer is the binary's stderr: written by exec's goroutine, read
// when the service fails.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 1<<16 {
		return len(p), nil
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// answer is Pagefind's answer to one request (the fields of the kinds
// used here).
type answer struct {
	MessageID int     `json:"message_id"`
	Payload   payload `json:"payload"`
}

type payload struct {
	Type    string `json:"type"`
	Message string `json:"message"` // of an Error
	IndexID int    `json:"index_id"`
	Files   []struct {
		Path    string `json:"path"`
		Content string `json:"content"` // base64
	} `json:"files"`
}

func startPagefind(ctx context.Context, bin string) (*pagefind, error) {
	pf := &pagefind{cmd: exec.CommandContext(ctx, bin, "--service")}
	pf.cmd.Stderr = &pf.stderr
	in, err := pf.cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := pf.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := pf.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %v", bin, err)
	}
	pf.in, pf.out = in, bufio.NewReaderSize(out, 1<<16)
	return pf, nil
}

func (pf *pagefind) close() {
	pf.in.Close()
	done := make(chan struct{})
	go func() { pf.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		pf.cmd.Process.Kill()
		<-done
	}
}

// encode is one request as the service reads it.
func encode(id int, p map[string]any) ([]byte, error) {
	msg, err := json.Marshal(map[string]any{"message_id": id, "payload": p})
	if err != nil {
		return nil, err
	}
	enc := make([]byte, base64.StdEncoding.EncodedLen(len(msg))+1)
	base64.StdEncoding.Encode(enc, msg)
	enc[len(enc)-1] = ','
	return enc, nil
}

// receive reads one answer.
func (pf *pagefind) receive() (*answer, error) {
	msg, err := pf.out.ReadBytes(',')
	if err != nil {
		return nil, pf.failed(err)
	}
	msg = bytes.TrimSpace(msg[:len(msg)-1])
	data := make([]byte, base64.StdEncoding.DecodedLen(len(msg)))
	n, err := base64.StdEncoding.Decode(data, msg)
	if err != nil {
		return nil, fmt.Errorf("reading Pagefind's answer: %v", err)
	}
	var a answer
	if err := json.Unmarshal(data[:n], &a); err != nil {
		return nil, fmt.Errorf("reading Pagefind's answer: %v", err)
	}
	return &a, nil
}

// failed says why the service stopped answering, with what it printed.
func (pf *pagefind) failed(err error) error {
	if msg := strings.TrimSpace(pf.stderr.String()); msg != "" {
		return fmt.Errorf("Pagefind stopped: %s", msg)
	}
	if errors.Is(err, io.EOF) {
		return errors.New("Pagefind stopped without an answer")
	}
	return err
}

// call sends one request and waits for its answer.
func (pf *pagefind) call(p map[string]any) (*payload, error) {
	as, err := pf.callAll([]map[string]any{p})
	if err != nil {
		return nil, err
	}
	return as[0], nil
}

// callAll sends the requests and returns their answers in the same
// order. A goroutine writes while this one reads, so that neither pipe
// fills up while the other waits.
func (pf *pagefind) callAll(reqs []map[string]any) ([]*payload, error) {
	first := pf.next + 1
	pf.next += len(reqs)
	werr := make(chan error, 1)
	go func() {
		w := bufio.NewWriterSize(pf.in, 1<<16)
		for i, p := range reqs {
			enc, err := encode(first+i, p)
			if err == nil {
				_, err = w.Write(enc)
			}
			if err != nil {
				werr <- err
				return
			}
		}
		werr <- w.Flush()
	}()
	out := make([]*payload, len(reqs))
	for range reqs {
		a, err := pf.receive()
		if err != nil {
			return nil, err
		}
		i := a.MessageID - first
		if i < 0 || i >= len(reqs) || out[i] != nil {
			return nil, fmt.Errorf("Pagefind answered a request it was not asked (%d)", a.MessageID)
		}
		if a.Payload.Type == "Error" {
			return nil, fmt.Errorf("Pagefind: %s", a.Payload.Message)
		}
		p := a.Payload
		out[i] = &p
	}
	if err := <-werr; err != nil {
		return nil, pf.failed(err)
	}
	return out, nil
}
