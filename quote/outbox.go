package quote

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// The outbox on disk:
//
//	outbox/<id>/request.json       a request whose mails are not all sent
//	outbox/<id>/audit-body.eml     a message waiting to be sent
//	outbox/<id>/applicant.sent.eml a message delivered (the sender renames it)
//	outbox/<id>/applicant.failed.eml and applicant.failed.txt: refused for good, and why
//	outbox/sent/<id>/              a request whose mails were all delivered
//	outbox/failed/<id>/            a request with a mail refused for good
//	outbox/tmp/                    requests being written; never read
//
// A request appears in outbox/<id> whole or not at all: its files are
// written and fsync'd in outbox/tmp, then the directory is renamed into
// place and the outbox fsync'd. What a crash leaves in tmp is removed at
// the next start.
const (
	recordName = "request.json"
	tmpDir     = "tmp"
	sentDir    = "sent"
	failedDir  = "failed"
	sentExt    = ".sent.eml"
	failedExt  = ".failed.eml"
)

type outbox struct {
	dir string
}

// openOutbox makes the outbox's directories and clears what an earlier
// crash left half-written.
func openOutbox(dir string) (*outbox, int, error) {
	for _, d := range []string{dir, filepath.Join(dir, tmpDir), filepath.Join(dir, sentDir), filepath.Join(dir, failedDir)} {
		if err := os.MkdirAll(d, 0o750); err != nil {
			return nil, 0, fmt.Errorf("quote: cannot make the outbox: %w", err)
		}
	}
	left, err := os.ReadDir(filepath.Join(dir, tmpDir))
	if err != nil {
		return nil, 0, fmt.Errorf("quote: cannot read the outbox: %w", err)
	}
	for _, e := range left {
		if err := os.RemoveAll(filepath.Join(dir, tmpDir, e.Name())); err != nil {
			return nil, 0, fmt.Errorf("quote: cannot clear the outbox's unfinished writes: %w", err)
		}
	}
	return &outbox{dir: dir}, len(left), nil
}

// Put stores a request with its messages; it is the outbox as a Store.
func (o *outbox) Put(s *Submission, bodySHA256 string, msgs []Message) error {
	files := []file{{recordName, record(s, bodySHA256)}}
	for _, m := range msgs {
		files = append(files, file{m.Name, m.Data})
	}
	return o.put(s.ID, files)
}

// Lookup finds a request wherever the sender has moved it.
func (o *outbox) Lookup(id string) (string, bool) {
	dir, ok := o.find(id)
	if !ok {
		return "", false
	}
	data, err := os.ReadFile(filepath.Join(dir, recordName))
	if err != nil {
		return "", false
	}
	var rec struct {
		BodySHA256 string `json:"body_sha256"`
	}
	json.Unmarshal(data, &rec)
	return rec.BodySHA256, true
}

// file is one file of a stored request.
type file struct {
	name string
	data []byte
}

// put stores a request durably under id. It fails with fs.ErrExist when
// the id is taken.
func (o *outbox) put(id string, files []file) error {
	var rnd [6]byte
	rand.Read(rnd[:])
	tmp := filepath.Join(o.dir, tmpDir, id+"."+hex.EncodeToString(rnd[:]))
	if err := os.Mkdir(tmp, 0o750); err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	for _, f := range files {
		if err := writeSynced(filepath.Join(tmp, f.name), f.data); err != nil {
			return err
		}
	}
	if err := syncDir(tmp); err != nil {
		return err
	}
	dst := filepath.Join(o.dir, id)
	if _, err := os.Lstat(dst); err == nil {
		return fs.ErrExist
	}
	// Rename replaces an empty directory and fails on a full one; the
	// check above and the caller's lock keep it from meeting either.
	if err := os.Rename(tmp, dst); err != nil {
		if errors.Is(err, fs.ErrExist) || errors.Is(err, syscall.ENOTEMPTY) {
			return fs.ErrExist
		}
		return err
	}
	done = true
	if err := syncDir(o.dir); err != nil {
		// The files are synced and in place; only the folder's new
		// name may not have reached the disk. Nothing the client can
		// do mends that: a retry would store the request twice.
		return &StoredError{fmt.Errorf("syncing %s failed: %w", o.dir, err)}
	}
	return nil
}

// find returns the directory of a stored request, wherever the sender has
// moved it. It looks in the order the sender moves them, so a request
// moved while it looks is found all the same.
func (o *outbox) find(id string) (string, bool) {
	for _, d := range []string{id, filepath.Join(sentDir, id), filepath.Join(failedDir, id)} {
		p := filepath.Join(o.dir, d)
		if _, err := os.Stat(filepath.Join(p, recordName)); err == nil {
			return p, true
		}
	}
	return "", false
}

// pending lists the ids of the requests with messages not yet sent, oldest
// first.
func (o *outbox) pending() ([]string, error) {
	es, err := os.ReadDir(o.dir)
	if err != nil {
		return nil, err
	}
	type item struct {
		id string
		at time.Time
	}
	var items []item
	for _, e := range es {
		switch e.Name() {
		case tmpDir, sentDir, failedDir:
			continue
		}
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // moved meanwhile
		}
		items = append(items, item{e.Name(), info.ModTime()})
	}
	sort.Slice(items, func(i, j int) bool {
		return items[i].at.Before(items[j].at) || items[i].at.Equal(items[j].at) && items[i].id < items[j].id
	})
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.id
	}
	return ids, nil
}

// writeSynced writes a new file and fsyncs it.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir fsyncs a directory, so that the names in it last.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// renameSynced renames within the outbox and fsyncs the directories
// involved.
func renameSynced(from, to string) error {
	if err := os.Rename(from, to); err != nil {
		return err
	}
	if err := syncDir(filepath.Dir(to)); err != nil {
		return err
	}
	if filepath.Dir(from) != filepath.Dir(to) {
		return syncDir(filepath.Dir(from))
	}
	return nil
}
