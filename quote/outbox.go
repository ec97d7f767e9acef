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
	"sync"
	"sync/atomic"
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
//
// Requests that arrive together share these fsyncs (group commit, as a
// database's log does): each writes its files into tmp, then joins the
// commit group (committer). One of them, the leader, takes every request
// written so far as a batch, fsyncs all their files and folders at once,
// renames each folder into place and fsyncs the outbox once; only then is
// any of them told it is stored, and only then does its 202 leave.
// Requests that arrive meanwhile form the next batch, which one of them
// leads. A request is never told it is stored by a sync that began before
// its files were written.
const (
	recordName = "request.json"
	tmpDir     = "tmp"
	sentDir    = "sent"
	failedDir  = "failed"
	sentExt    = ".sent.eml"
	failedExt  = ".failed.eml"
)

type outbox struct {
	dir   string
	group committer
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
	return &outbox{dir: dir, group: committer{flush: flushBatch}}, len(left), nil
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
// the id is taken. It returns once the sync that covers the request's
// files and its name in the outbox has returned (commitBatch).
func (o *outbox) put(id string, files []file) error {
	var rnd [6]byte
	rand.Read(rnd[:])
	p := &pending{id: id, tmp: filepath.Join(o.dir, tmpDir, id+"."+hex.EncodeToString(rnd[:])), wake: make(chan bool, 1)}
	if err := os.Mkdir(p.tmp, 0o750); err != nil {
		return err
	}
	for _, f := range files {
		path := filepath.Join(p.tmp, f.name)
		p.files = append(p.files, path)
		if err := writeNew(path, f.data); err != nil {
			os.RemoveAll(p.tmp)
			return err
		}
	}
	o.group.commit(o, p)
	if !p.renamed {
		os.RemoveAll(p.tmp)
	}
	return p.err
}

// pending is a request whose files are written in tmp, waiting for the
// commit that makes them last.
type pending struct {
	id, tmp string
	files   []string
	wake    chan bool // false: committed (err set); true: lead the next batch
	renamed bool      // the folder is in place: keep it, whatever err says
	err     error
}

// committer groups the requests that wait for a sync. At most one
// goroutine, the leader, commits at a time; the others wait in queue.
type committer struct {
	mu      sync.Mutex
	queue   []*pending
	leading bool
	// flush makes the files and folders of a batch last (flushBatch);
	// the tests watch it.
	flush func([]*pending) error
	// batches counts the commits, for the tests.
	batches atomic.Int64
}

// commit returns once p is committed, with p.err and p.renamed set. The
// first request to arrive while no commit runs leads: it commits what is
// queued (itself included), hands the lead to the first request that
// arrived during its commit, and returns.
func (c *committer) commit(o *outbox, p *pending) {
	c.mu.Lock()
	c.queue = append(c.queue, p)
	lead := !c.leading
	c.leading = true
	c.mu.Unlock()
	if !lead && !<-p.wake {
		return // committed by another's batch
	}
	c.mu.Lock()
	batch := c.queue
	c.queue = nil
	c.mu.Unlock()
	o.commitBatch(batch)
	c.batches.Add(1)
	for _, q := range batch {
		if q != p {
			q.wake <- false
		}
	}
	c.mu.Lock()
	if len(c.queue) > 0 {
		c.queue[0].wake <- true
	} else {
		c.leading = false
	}
	c.mu.Unlock()
}

// commitBatch makes a batch of requests last: their files and folders
// synced (flush), each folder renamed into place unless its id is taken,
// then the outbox synced once for all the new names.
func (o *outbox) commitBatch(batch []*pending) {
	if err := o.group.flush(batch); err != nil {
		for _, p := range batch {
			p.err = err
		}
		return
	}
	renamed := 0
	for _, p := range batch {
		dst := filepath.Join(o.dir, p.id)
		if _, err := os.Lstat(dst); err == nil {
			p.err = fs.ErrExist
			continue
		}
		// Rename replaces an empty directory and fails on a full one;
		// the check above and the endpoint's lock per id keep it from
		// meeting either.
		if err := os.Rename(p.tmp, dst); err != nil {
			if errors.Is(err, fs.ErrExist) || errors.Is(err, syscall.ENOTEMPTY) {
				err = fs.ErrExist
			}
			p.err = err
			continue
		}
		p.renamed = true
		renamed++
	}
	if renamed == 0 {
		return
	}
	if err := syncDir(o.dir); err != nil {
		// The files are synced and in place; only the folders' new
		// names may not have reached the disk. Nothing the client can
		// do mends that: a retry would store the request twice.
		for _, p := range batch {
			if p.renamed {
				p.err = &StoredError{fmt.Errorf("syncing %s failed: %w", o.dir, err)}
			}
		}
	}
}

// syncEach fsyncs every file and folder of a batch, all at once: the file
// system commits fsyncs that wait together in one journal commit. It is
// flushBatch where the system has no syncfs.
func syncEach(batch []*pending) error {
	var paths []string
	for _, p := range batch {
		paths = append(paths, p.files...)
		paths = append(paths, p.tmp)
	}
	errs := make(chan error, len(paths))
	sem := make(chan struct{}, 64)
	for _, path := range paths {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			errs <- syncPath(path)
		}()
	}
	var first error
	for range paths {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
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

// writeNew writes a new file, not yet synced (commitBatch syncs it).
func writeNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir fsyncs a directory, so that the names in it last.
func syncDir(dir string) error { return syncPath(dir) }

// syncPath fsyncs a file or a directory.
func syncPath(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
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
