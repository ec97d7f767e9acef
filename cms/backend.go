package cms

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Backend answers Decap's local backend protocol (POST /api/v1 with
// {action, params}, as decap-server does) over the site's folder. It
// reads and writes only the site's pages (content/**.md), its words
// (content/<lang>/{interface,selfcheck,quote}.yaml), its images
// (assets/img/) and the editable parts of site.yaml; it answers only
// JSON requests from its own loopback origin. When the folder is a git
// repository, drafts of the editorial workflow are branches (git.go).
type Backend struct {
	root *os.Root
	dir  string
	git  *gitRepo // nil in simple mode
	mu   sync.Mutex

	// MaxBody is the largest request accepted, in bytes (an image arrives
	// in base64 inside JSON); 16 MB by default.
	MaxBody int64
	// MaxMedia is the largest uploaded file, in bytes; 8 MB by default.
	MaxMedia int64
	// Logf reports refusals and failures; log.Printf by default.
	Logf func(format string, args ...any)
	// Check judges a save before it reaches the site (gate.go);
	// FullCheck when nil. serve sets PreviewCheck.
	Check Checker
}

// NewBackend opens the site's folder. The editorial workflow is on when
// the folder is the top of a git repository with a branch checked out.
func NewBackend(dir string) (*Backend, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(abs)
	if err != nil {
		return nil, err
	}
	b := &Backend{root: root, dir: abs, MaxBody: 16 << 20, MaxMedia: 8 << 20, Logf: log.Printf}
	b.git = openGit(abs)
	return b, nil
}

// Close releases the site's folder.
func (b *Backend) Close() error { return b.root.Close() }

// Branch is the git branch drafts are based on, "" in simple mode.
func (b *Backend) Branch() string {
	if b.git == nil {
		return ""
	}
	return b.git.branch
}

// request is the protocol's envelope.
type request struct {
	Action string          `json:"action"`
	Params json.RawMessage `json:"params"`
}

// refusal is an error the editor or the client caused, with its status.
type refusal struct {
	status int
	msg    string
}

func (r *refusal) Error() string { return r.msg }

func refuse(status int, format string, args ...any) error {
	return &refusal{status, fmt.Sprintf(format, args...)}
}

func (b *Backend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := checkRequest(r); err != nil {
		b.fail(w, r, "", err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, b.MaxBody)
	var req request
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			b.fail(w, r, "", refuse(http.StatusRequestEntityTooLarge, "the request is larger than %d MB", b.MaxBody>>20))
			return
		}
		b.fail(w, r, "", refuse(http.StatusBadRequest, "the request is not JSON: %v", err))
		return
	}
	if len(req.Params) == 0 {
		req.Params = json.RawMessage("{}")
	}
	b.mu.Lock() // one action at a time: a save is read, compare, write
	out, err := b.do(req)
	b.mu.Unlock()
	if err != nil {
		b.fail(w, r, req.Action, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(out)
}

func (b *Backend) fail(w http.ResponseWriter, r *http.Request, action string, err error) {
	status, msg := http.StatusInternalServerError, "the change could not be made: "+err.Error()
	var rf *refusal
	if errors.As(err, &rf) {
		status, msg = rf.status, rf.msg
	}
	if b.Logf != nil {
		b.Logf("cms: %s %s: %d %s", r.RemoteAddr, action, status, msg)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// checkRequest lets through only a POST of JSON whose Host is a loopback
// name and whose Origin is that same host: a page of another website open
// in the editor's browser can send a form or a fetch to loopback, but not
// with this Origin, and not as application/json without a preflight that
// nothing here answers.
func checkRequest(r *http.Request) error {
	if r.Method != http.MethodPost {
		return refuse(http.StatusMethodNotAllowed, "only POST")
	}
	if !loopbackHost(r.Host) {
		return refuse(http.StatusForbidden, "host %q is not this computer's preview", r.Host)
	}
	origin := r.Header.Get("Origin")
	if origin != "http://"+r.Host {
		return refuse(http.StatusForbidden, "origin %q is not the preview's own (http://%s)", origin, r.Host)
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		return refuse(http.StatusForbidden, "request from another site (%s)", site)
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return refuse(http.StatusUnsupportedMediaType, "only application/json")
	}
	return nil
}

// loopbackHost reports whether host (with its port) names this computer:
// localhost, 127.0.0.1 or [::1].
func loopbackHost(host string) bool {
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		h = host
	}
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(h, "[]"))
	return ip != nil && ip.IsLoopback()
}

// entry is decap-server's entry: the file's text and its id (sha256).
type entry struct {
	Data *string   `json:"data"`
	File entryFile `json:"file"`
}

type entryFile struct {
	Path  string  `json:"path"`
	Label string  `json:"label,omitempty"`
	ID    *string `json:"id"`
}

// mediaFile is decap-server's media file.
type mediaFile struct {
	ID       string `json:"id"`
	Content  string `json:"content"`
	Encoding string `json:"encoding"`
	Path     string `json:"path"`
	Name     string `json:"name"`
}

type dataFile struct {
	Slug    string `json:"slug"`
	Path    string `json:"path"`
	Raw     string `json:"raw"`
	NewPath string `json:"newPath"`
}

type asset struct {
	Path     string `json:"path"`
	Content  string `json:"content"`
	Encoding string `json:"encoding"`
}

// actions are Decap's local backend protocol (and kmopsite's own
// translationStatus), each a named handler.
var actions = map[string]func(b *Backend, p json.RawMessage) (any, error){
	"info":              (*Backend).info,
	"entriesByFolder":   (*Backend).entriesByFolder,
	"entriesByFiles":    (*Backend).entriesByFiles,
	"getEntry":          (*Backend).getEntry,
	"persistEntry":      (*Backend).persistEntry,
	"getMedia":          (*Backend).getMedia,
	"getMediaFile":      (*Backend).getMediaFile,
	"persistMedia":      (*Backend).persistMedia,
	"deleteFile":        func(b *Backend, p json.RawMessage) (any, error) { return b.deleteFiles("deleteFile", p) },
	"deleteFiles":       func(b *Backend, p json.RawMessage) (any, error) { return b.deleteFiles("deleteFiles", p) },
	"getDeployPreview":  (*Backend).getDeployPreview,
	"translationStatus": (*Backend).translationStatus,
}

// The editorial workflow's actions are answered by the git repository.
func init() {
	for _, name := range []string{"unpublishedEntries", "unpublishedEntry", "unpublishedEntryDataFile", "unpublishedEntryMediaFile",
		"deleteUnpublishedEntry", "updateUnpublishedEntryStatus", "publishUnpublishedEntry"} {
		actions[name] = func(b *Backend, p json.RawMessage) (any, error) {
			if b.git == nil {
				return nil, refuse(http.StatusUnprocessableEntity, "the editorial workflow needs the site's folder to be a git repository")
			}
			return b.git.workflow(b, name, p)
		}
	}
}

// do answers one request through its action's handler.
func (b *Backend) do(req request) (any, error) {
	h, ok := actions[req.Action]
	if !ok {
		return nil, refuse(http.StatusUnprocessableEntity, "Unknown action %s", req.Action)
	}
	return h(b, req.Params)
}

// info says what the backend is: local_git with the editorial workflow when the folder is a git repository.
func (b *Backend) info(json.RawMessage) (any, error) {
	info := map[string]any{"repo": filepath.Base(b.dir), "publish_modes": []string{"simple"}, "type": "local_fs"}
	if b.git != nil {
		info["publish_modes"], info["type"] = []string{"simple", "editorial_workflow"}, "local_git"
	}
	return info, nil
}

// entriesByFolder lists the entries of a folder, as decap-server does.
func (b *Backend) entriesByFolder(p json.RawMessage) (any, error) {
	var a struct {
		Folder    string `json:"folder"`
		Extension string `json:"extension"`
		Depth     int    `json:"depth"`
	}
	if err := decode(p, &a); err != nil {
		return nil, err
	}
	files, err := b.list(a.Folder, a.Extension, a.Depth)
	if err != nil {
		return nil, err
	}
	out := []entry{}
	for _, f := range files {
		out = append(out, b.entry(f, ""))
	}
	return out, nil
}

// entriesByFiles reads the entries of named files.
func (b *Backend) entriesByFiles(p json.RawMessage) (any, error) {
	var a struct {
		Files []struct {
			Path  string `json:"path"`
			Label string `json:"label"`
		} `json:"files"`
	}
	if err := decode(p, &a); err != nil {
		return nil, err
	}
	out := []entry{}
	for _, f := range a.Files {
		if err := allowed(f.Path, read); err != nil {
			return nil, err
		}
		out = append(out, b.entry(f.Path, f.Label))
	}
	return out, nil
}

// readablePath is the path an action names, one the editor may read.
func readablePath(p json.RawMessage) (string, error) {
	var a struct {
		Path string `json:"path"`
	}
	if err := decode(p, &a); err != nil {
		return "", err
	}
	return a.Path, allowed(a.Path, read)
}

// getEntry reads one entry.
func (b *Backend) getEntry(p json.RawMessage) (any, error) {
	name, err := readablePath(p)
	if err != nil {
		return nil, err
	}
	return b.entry(name, ""), nil
}

// persistEntry saves an entry: in simple mode onto the site (persist),
// in the editorial workflow as a draft (persistDraft).
func (b *Backend) persistEntry(p json.RawMessage) (any, error) {
	var a struct {
		Entry     *dataFile  `json:"entry"`
		DataFiles []dataFile `json:"dataFiles"`
		Assets    []asset    `json:"assets"`
		Options   struct {
			CollectionName string `json:"collectionName"`
			CommitMessage  string `json:"commitMessage"`
			UseWorkflow    bool   `json:"useWorkflow"`
			Status         string `json:"status"`
		} `json:"options"`
		CMSLabelPrefix string `json:"cmsLabelPrefix"`
	}
	if err := decode(p, &a); err != nil {
		return nil, err
	}
	if len(a.DataFiles) == 0 && a.Entry != nil {
		a.DataFiles = []dataFile{*a.Entry}
	}
	if len(a.DataFiles) == 0 {
		return nil, refuse(http.StatusBadRequest, "nothing to save: no dataFiles")
	}
	if a.Options.UseWorkflow {
		if b.git == nil {
			return nil, refuse(http.StatusUnprocessableEntity, "the editorial workflow needs the site's folder to be a git repository")
		}
		return b.git.persistDraft(b, a.Options.CollectionName, a.DataFiles, a.Assets, a.Options.CommitMessage, a.Options.Status, a.CMSLabelPrefix)
	}
	return b.persist(a.DataFiles, a.Assets)
}

// getMedia lists the images of the media folder.
func (b *Backend) getMedia(p json.RawMessage) (any, error) {
	var a struct {
		MediaFolder string `json:"mediaFolder"`
	}
	if err := decode(p, &a); err != nil {
		return nil, err
	}
	if path.Clean(a.MediaFolder) != MediaFolder {
		return nil, refuse(http.StatusForbidden, "media are kept in %s only", MediaFolder)
	}
	files, err := b.list(MediaFolder, "", 1)
	if err != nil {
		return nil, err
	}
	out := []mediaFile{}
	for _, f := range files {
		if allowed(f, read) != nil {
			continue
		}
		if m, err := b.media(f); err == nil {
			out = append(out, m)
		}
	}
	return out, nil
}

// getMediaFile reads one image.
func (b *Backend) getMediaFile(p json.RawMessage) (any, error) {
	name, err := readablePath(p)
	if err != nil {
		return nil, err
	}
	return b.media(name)
}

// persistMedia uploads an image (prepareMedia) into the media folder.
func (b *Backend) persistMedia(p json.RawMessage) (any, error) {
	var a struct {
		Asset asset `json:"asset"`
	}
	if err := decode(p, &a); err != nil {
		return nil, err
	}
	name, data, err := b.prepareMedia(a.Asset, true)
	if err != nil {
		return nil, err
	}
	if err := b.write(name, data); err != nil {
		return nil, err
	}
	return b.media(name)
}

// deleteFiles removes files (action deleteFile: one, deleteFiles: several),
// every path checked before any is removed.
func (b *Backend) deleteFiles(action string, p json.RawMessage) (any, error) {
	var a struct {
		Path  string   `json:"path"`
		Paths []string `json:"paths"`
	}
	if err := decode(p, &a); err != nil {
		return nil, err
	}
	if action == "deleteFile" {
		a.Paths = []string{a.Path}
	}
	for _, f := range a.Paths { // every path is checked before any is removed
		if err := allowed(f, remove); err != nil {
			return nil, err
		}
		if err := b.noSymlink(f); err != nil {
			return nil, err
		}
	}
	for _, f := range a.Paths {
		if err := b.root.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	if action == "deleteFile" {
		return map[string]string{"message": "deleted file " + a.Path}, nil
	}
	return map[string]string{"message": "deleted files " + strings.Join(a.Paths, ", ")}, nil
}

// getDeployPreview: there is no deploy preview under serve.
func (b *Backend) getDeployPreview(json.RawMessage) (any, error) {
	return nil, nil
}

// translationStatus is kmopsite's own: every page's status per language.
func (b *Backend) translationStatus(json.RawMessage) (any, error) {
	return b.TranslationStatus(context.Background()), nil
}

// decode reads an action's params strictly enough: a wrong type is a 400.
func decode(p json.RawMessage, v any) error {
	if err := json.Unmarshal(p, v); err != nil {
		return refuse(http.StatusBadRequest, "params: %v", err)
	}
	return nil
}

// entry reads one file as decap-server does: data null when it cannot be
// read.
func (b *Backend) entry(file, label string) entry {
	e := entry{File: entryFile{Path: file, Label: label}}
	if b.noSymlink(file) != nil {
		return e
	}
	data, err := b.root.ReadFile(file)
	if err != nil {
		return e
	}
	s, id := string(data), sha(data)
	e.Data, e.File.ID = &s, &id
	return e
}

func (b *Backend) media(file string) (mediaFile, error) {
	if err := b.noSymlink(file); err != nil {
		return mediaFile{}, err
	}
	data, err := b.root.ReadFile(file)
	if err != nil {
		return mediaFile{}, refuse(http.StatusNotFound, "%s: no such file", file)
	}
	return mediaFile{ID: sha(data), Content: encode64(data), Encoding: "base64", Path: file, Name: path.Base(file)}, nil
}

// list walks folder down to depth levels, as decap-server's listRepoFiles
// does, keeping the files that end with extension and that the backend
// may read. Symbolic links are not followed.
func (b *Backend) list(folder, extension string, depth int) ([]string, error) {
	folder = strings.TrimSuffix(folder, "/")
	if err := cleanPath(folder); err != nil {
		return nil, err
	}
	if folder != "content" && !strings.HasPrefix(folder, "content/") && folder != MediaFolder {
		return nil, refuse(http.StatusForbidden, "%s is outside the site's content and images", folder)
	}
	if err := b.noSymlink(folder); err != nil {
		return []string{}, nil
	}
	var files []string
	base := strings.Count(folder, "/")
	err := fs.WalkDir(b.root.FS(), folder, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == folder {
				return fs.SkipAll
			}
			return nil
		}
		if d.IsDir() {
			if p != folder && (strings.HasPrefix(d.Name(), ".") || strings.Count(p, "/")-base >= depth) {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 || !strings.HasSuffix(p, extension) || allowed(p, read) != nil {
			return nil
		}
		files = append(files, p)
		return nil
	})
	sort.Strings(files)
	return files, err
}

// persist saves an entry's files in simple mode: each file written in its
// own form with only what changed (save.go), translations' source_hash
// recorded (translations.go), a renamed entry moved.
func (b *Backend) persist(files []dataFile, assets []asset) (any, error) {
	type write struct {
		name string
		data []byte
	}
	var writes []write
	// Check and compose everything first: a refusal writes nothing.
	renames, err := b.checkRenames(files, func(p string) bool {
		_, err := b.root.Lstat(p)
		return err == nil
	})
	if err != nil {
		return nil, err
	}
	for _, a := range assets {
		name, data, err := b.prepareMedia(a, false)
		if err != nil {
			return nil, err
		}
		writes = append(writes, write{name, data})
	}
	composed, err := b.compose(files, func(name string) ([]byte, error) { return b.readConfined(name) })
	if err != nil {
		return nil, err
	}
	for _, c := range composed {
		if c.changed {
			writes = append(writes, write{c.path, c.data})
		}
	}
	// The gate: the site as the save leaves it, judged before anything
	// is written.
	after := map[string][]byte{}
	for _, w := range writes {
		after[w.name] = w.data
	}
	var removed []string
	for _, r := range renames {
		data, ok := after[r.from]
		if !ok {
			data, _ = b.readConfined(r.from)
		}
		delete(after, r.from)
		after[r.to] = data
		removed = append(removed, r.from)
	}
	if errs, err := b.gate(after, removed); err != nil {
		return nil, err
	} else if len(errs) > 0 {
		return nil, b.gateRefusal(false, after, errs)
	}
	for _, w := range writes {
		if err := b.write(w.name, w.data); err != nil {
			return nil, err
		}
	}
	for _, r := range renames {
		if err := b.root.MkdirAll(path.Dir(r.to), 0o755); err != nil {
			return nil, err
		}
		if err := b.root.Rename(r.from, r.to); err != nil {
			return nil, err
		}
	}
	return map[string]string{"message": "entry persisted"}, nil
}

// rename is an entry moved to a new file by its save.
type rename struct{ from, to string }

// checkRenames checks the renames a save asks for (a data file's newPath)
// before anything is written: only a page may be renamed, only to a new
// page (content/<lang>/**.md, not yet there), never through a symbolic
// link. site.yaml and the words files keep their names, and no rename
// lands on a file that exists (exists says whether one does).
func (b *Backend) checkRenames(files []dataFile, exists func(string) bool) ([]rename, error) {
	var out []rename
	to := map[string]bool{}
	for _, f := range files {
		if f.NewPath == "" || f.NewPath == f.Path {
			continue
		}
		for _, p := range []string{f.Path, f.NewPath} {
			if err := allowed(p, writeFile); err != nil {
				return nil, err
			}
			if !isPage(p) {
				return nil, refuse(http.StatusForbidden, "%s cannot be renamed or replaced by a rename: only a page (content/<language>/….md) is renamed, to a new page", p)
			}
			if err := b.noSymlink(p); err != nil {
				return nil, err
			}
		}
		if !exists(f.Path) {
			return nil, refuse(http.StatusNotFound, "%s does not exist: there is nothing to rename", f.Path)
		}
		if exists(f.NewPath) || to[f.NewPath] {
			return nil, refuse(http.StatusConflict, "%s already exists: choose another address for the page", f.NewPath)
		}
		to[f.NewPath] = true
		out = append(out, rename{f.Path, f.NewPath})
	}
	return out, nil
}

// isPage reports whether p is a page of a language: content/<lang>/**.md.
func isPage(p string) bool {
	parts := strings.Split(p, "/")
	return len(parts) >= 3 && parts[0] == "content" && strings.HasSuffix(p, ".md")
}

// readConfined reads a file the backend may write, nil when it does not
// exist yet.
func (b *Backend) readConfined(name string) ([]byte, error) {
	if err := allowed(name, writeFile); err != nil {
		return nil, err
	}
	if err := b.noSymlink(name); err != nil {
		return nil, err
	}
	data, err := b.root.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return data, err
}

// write replaces a file through a temporary file and a rename, so that the
// watcher of serve sees one complete file.
func (b *Backend) write(name string, data []byte) error {
	if err := b.noSymlink(name); err != nil {
		return err
	}
	if err := b.root.MkdirAll(path.Dir(name), 0o755); err != nil {
		return err
	}
	// A new file of a random name, created exclusively: nothing planted
	// at a name known in advance (a symbolic link to a workflow file,
	// say) is written through.
	var rnd [12]byte
	rand.Read(rnd[:])
	tmp := path.Join(path.Dir(name), "."+path.Base(name)+"."+hex.EncodeToString(rnd[:])+".cms-tmp")
	f, err := b.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = b.root.Rename(tmp, name)
	}
	if err != nil {
		b.root.Remove(tmp)
	}
	return err
}

// noSymlink refuses a path any part of which is a symbolic link: os.Root
// already keeps links from leading out of the site, and this keeps a link
// in content/ from leading to templates/ or code.
func (b *Backend) noSymlink(name string) error {
	parts := strings.Split(name, "/")
	for i := range parts {
		p := strings.Join(parts[:i+1], "/")
		fi, err := b.root.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return refuse(http.StatusForbidden, "%s is a symbolic link; the editor does not follow links", p)
		}
	}
	return nil
}

// Access is what a request wants to do with a path.
type access uint8

const (
	read access = iota
	writeFile
	remove
)

// wordsFiles are the words files of a language an editor may change.
var wordsFiles = map[string]bool{"interface.yaml": true, "selfcheck.yaml": true, "quote.yaml": true}

// mediaTypes are the files that may be uploaded, by extension.
var mediaTypes = map[string]string{".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp", ".pdf": "application/pdf"}

// allowed says whether a path is one the editor may touch: pages
// (content/**.md), words files (content/<lang>/*.yaml, not removed),
// images and PDFs in assets/img/, and site.yaml (whose editable keys
// save.go checks; never removed).
func allowed(p string, a access) error {
	if err := cleanPath(p); err != nil {
		return err
	}
	parts := strings.Split(p, "/")
	switch {
	case p == "site.yaml":
		if a == remove {
			return refuse(http.StatusForbidden, "site.yaml cannot be removed")
		}
		return nil
	case parts[0] == "content" && len(parts) >= 3 && strings.HasSuffix(p, ".md"):
		return nil
	case parts[0] == "content" && len(parts) == 2 && strings.HasSuffix(p, ".md") && a == read:
		return nil // Decap looks for a new page's path without its language
	case parts[0] == "content" && len(parts) == 3 && wordsFiles[parts[2]]:
		if a == remove {
			return refuse(http.StatusForbidden, "%s holds words the site needs; it cannot be removed", p)
		}
		return nil
	case strings.HasPrefix(p, MediaFolder+"/") && len(parts) == 3:
		if _, ok := mediaTypes[strings.ToLower(path.Ext(p))]; ok || a == read {
			return nil
		}
		return refuse(http.StatusForbidden, "%s: only images (PNG, JPEG, GIF, WebP) and PDF files go in %s", p, MediaFolder)
	}
	return refuse(http.StatusForbidden, "%s is outside what the editor may change (pages in content/, words files, images in %s, menus and contact in site.yaml)", p, MediaFolder)
}

// cleanPath refuses absolute paths, "..", backslashes and anything
// path.Clean would change.
func cleanPath(p string) error {
	if p == "" || strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") || path.Clean(p) != p || p == "." {
		return refuse(http.StatusForbidden, "path %q is not a plain path inside the site", p)
	}
	for _, s := range strings.Split(p, "/") {
		if s == ".." || s == "." || strings.HasPrefix(s, ".") {
			return refuse(http.StatusForbidden, "path %q is not a plain path inside the site", p)
		}
	}
	if filepath.IsAbs(p) || filepath.VolumeName(p) != "" {
		return refuse(http.StatusForbidden, "path %q is absolute", p)
	}
	return nil
}
