package cms

import (
	"bytes"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
)

// overlay is the site's files as a save would leave them: files written
// (new or changed) over the folder, files removed taken out. The gate
// builds the site over it, so nothing is written before it is judged.
type overlay struct {
	base    fs.FS
	files   map[string][]byte
	removed map[string]bool
}

func (o overlay) ReadFile(name string) ([]byte, error) {
	if data, ok := o.files[name]; ok {
		return data, nil
	}
	if o.removed[name] {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	return fs.ReadFile(o.base, name)
}

func (o overlay) Open(name string) (fs.File, error) {
	if data, ok := o.files[name]; ok {
		return &memFile{info: memInfo{name: path.Base(name), size: int64(len(data))}, r: bytes.NewReader(data)}, nil
	}
	if o.removed[name] {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	f, err := o.base.Open(name)
	if err != nil && o.isDir(name) {
		return &memFile{info: memInfo{name: path.Base(name), dir: true}, r: bytes.NewReader(nil)}, nil
	}
	return f, err
}

func (o overlay) Stat(name string) (fs.FileInfo, error) {
	f, err := o.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Stat()
}

// isDir reports whether a written file lies below name.
func (o overlay) isDir(name string) bool {
	for f := range o.files {
		if name == "." || strings.HasPrefix(f, name+"/") {
			return true
		}
	}
	return false
}

func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(o.base, name)
	if err != nil && !o.isDir(name) {
		return nil, err
	}
	seen := map[string]bool{}
	var out []fs.DirEntry
	for _, e := range entries {
		p := path.Join(name, e.Name())
		if o.removed[p] {
			continue
		}
		if _, ok := o.files[p]; ok {
			continue // the written file's entry below
		}
		seen[e.Name()] = true
		out = append(out, e)
	}
	for f, data := range o.files {
		rest, ok := strings.CutPrefix(f, name+"/")
		if name == "." {
			rest, ok = f, true
		}
		if !ok {
			continue
		}
		first, _, isDir := strings.Cut(rest, "/")
		if seen[first] {
			continue
		}
		seen[first] = true
		out = append(out, fs.FileInfoToDirEntry(memInfo{name: first, dir: isDir, size: int64(len(data))}))
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

type memInfo struct {
	name string
	size int64
	dir  bool
}

func (i memInfo) Name() string { return i.name }
func (i memInfo) Size() int64  { return i.size }
func (i memInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o755
	}
	return 0o644
}
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return i.dir }
func (i memInfo) Sys() any           { return nil }

type memFile struct {
	info memInfo
	r    *bytes.Reader
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Read(p []byte) (int, error) { return f.r.Read(p) }
func (f *memFile) Close() error               { return nil }
