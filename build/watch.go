package build

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Watched are the sources a site is built from, below its root.
var Watched = []string{"site.yaml", "content", "templates", "assets", "assess"}

// DefaultQuiet is how long a Watcher waits after the last event before it
// reports a batch: long enough to see an editor's atomic save (a temporary
// file renamed over the file, events microseconds apart) as one change,
// short enough not to be felt: it is on the way from every save to the
// page (make bench-serve). A save split across two batches costs one more
// build, not a wrong one.
const DefaultQuiet = 5 * time.Millisecond

// A Watcher reports batches of file events below a site's root: the
// sources of Watched, including folders created after it started. Each
// batch holds one Event per path, its operations merged, and is sent once
// no event came for the quiet period; while the receiver is busy (say,
// rebuilding), events keep gathering into the next batch.
type Watcher struct {
	root    string
	quiet   time.Duration
	fsw     *fsnotify.Watcher
	dirs    map[string]bool // watched folders, relative to root
	batches chan []Event
	errs    chan error
	done    chan struct{}
	once    sync.Once
	wg      sync.WaitGroup
}

// NewWatcher watches the sources below root; quiet <= 0 means
// DefaultQuiet.
func NewWatcher(root string, quiet time.Duration) (*Watcher, error) {
	if quiet <= 0 {
		quiet = DefaultQuiet
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &Watcher{root: root, quiet: quiet, fsw: fsw, dirs: map[string]bool{},
		batches: make(chan []Event), errs: make(chan error, 8), done: make(chan struct{})}
	if err := w.add("."); err != nil {
		fsw.Close()
		return nil, err
	}
	for _, top := range Watched[1:] {
		if _, err := w.addTree(top); err != nil && !errors.Is(err, fs.ErrNotExist) {
			fsw.Close()
			return nil, err
		}
	}
	w.wg.Add(1)
	go w.run()
	return w, nil
}

// Batches delivers the batches of events; it is closed by Close.
func (w *Watcher) Batches() <-chan []Event { return w.batches }

// Errors delivers the watcher's errors, such as a folder it could not
// watch. Nobody has to read them.
func (w *Watcher) Errors() <-chan error { return w.errs }

// Close stops watching.
func (w *Watcher) Close() error {
	var err error
	w.once.Do(func() {
		close(w.done)
		err = w.fsw.Close()
		w.wg.Wait()
	})
	return err
}

func (w *Watcher) add(rel string) error {
	if err := w.fsw.Add(filepath.Join(w.root, filepath.FromSlash(rel))); err != nil {
		return err
	}
	w.dirs[rel] = true
	return nil
}

// addTree watches a folder and the folders below it, and returns the files
// in them: a folder created, or moved in, arrives with its files, whose
// own events came before it was watched.
func (w *Watcher) addTree(rel string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(filepath.Join(w.root, filepath.FromSlash(rel)), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		r := w.rel(p)
		if !d.IsDir() {
			files = append(files, r)
			return nil
		}
		if r != rel && skipDir(d.Name()) {
			return fs.SkipDir
		}
		return w.add(r)
	})
	return files, err
}

// skipDir tells the folders no build reads. (Other hidden folders are
// watched: assets/ copies what they hold; Plan ignores what it must.)
func skipDir(name string) bool { return name == ".git" || name == "node_modules" }

// forget stops watching a folder that was removed or moved away, and the
// folders below it.
func (w *Watcher) forget(rel string) {
	for d := range w.dirs {
		if d == rel || strings.HasPrefix(d, rel+"/") {
			_ = w.fsw.Remove(filepath.Join(w.root, filepath.FromSlash(d)))
			delete(w.dirs, d)
		}
	}
}

func (w *Watcher) rel(p string) string {
	r, err := filepath.Rel(w.root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
}

// watched reports whether a path is one of the sources.
func watched(rel string) bool {
	top, _, _ := strings.Cut(rel, "/")
	for _, w := range Watched {
		if top == w {
			return true
		}
	}
	return false
}

func (w *Watcher) run() {
	defer w.wg.Done()
	defer close(w.batches)
	pending := map[string]Op{}
	var first time.Time // of the pending events
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var out chan []Event // w.batches once the quiet period has passed
	var ready []Event
	merge := func(rel string, op Op) {
		if len(pending) == 0 {
			first = time.Now()
		}
		pending[rel] |= op
		out = nil
		// Wait for quiet, but not for ever when something keeps writing.
		timer.Reset(max(0, min(w.quiet, time.Until(first.Add(20*w.quiet)))))
	}
	for {
		select {
		case <-w.done:
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			rel := w.rel(ev.Name)
			if !watched(rel) {
				continue
			}
			op := fromFsnotify(ev.Op)
			if op&(Remove|Rename) != 0 && w.dirs[rel] {
				w.forget(rel)
			}
			if op&Create != 0 {
				if info, err := os.Lstat(ev.Name); err == nil && info.IsDir() && !skipDir(info.Name()) {
					files, err := w.addTree(rel)
					if err != nil && !errors.Is(err, fs.ErrNotExist) {
						w.report(err)
					}
					for _, f := range files {
						merge(f, Create)
					}
				}
			}
			if op == 0 || op == Chmod {
				continue // a change of mode or time changes no output
			}
			merge(rel, op)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				merge(".", Write) // events were lost: Plan redoes everything
			}
			w.report(err)
		case <-timer.C:
			if len(pending) > 0 {
				ready, out = batch(pending), w.batches
			}
		case out <- ready:
			pending, ready, out = map[string]Op{}, nil, nil
		}
	}
}

func (w *Watcher) report(err error) {
	select {
	case w.errs <- err:
	default:
	}
}

// batch lists pending events by path.
func batch(pending map[string]Op) []Event {
	events := make([]Event, 0, len(pending))
	for p, op := range pending {
		events = append(events, Event{Path: p, Op: op})
	}
	sort.Slice(events, func(i, j int) bool { return events[i].Path < events[j].Path })
	return events
}

func fromFsnotify(op fsnotify.Op) Op {
	var o Op
	for _, m := range []struct {
		from fsnotify.Op
		to   Op
	}{{fsnotify.Create, Create}, {fsnotify.Write, Write}, {fsnotify.Remove, Remove}, {fsnotify.Rename, Rename}, {fsnotify.Chmod, Chmod}} {
		if op.Has(m.from) {
			o |= m.to
		}
	}
	return o
}
