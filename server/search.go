package server

import (
	"context"
	"sync"
	"time"

	"kmopsite/build"
)

// searchIdle is how long serve waits after a build before it indexes the
// site for search in the background.
const searchIdle = 2 * time.Second

// search is serve's search index (Pagefind, build/search.go), made from
// the site in service and never on the path from an edit to the reloaded
// page: when a page asks for /pagefind/ and the index is older than the
// site, or once serve has been idle for a while after a build. A build
// that starts stops an indexing in the background.
type search struct {
	bin string // the Pagefind binary; "" when there is none
	why string // why there is none
	// index makes the index of a site; build.IndexSearch but in tests.
	index func(ctx context.Context, bin string, r *build.Result) (*build.SearchIndex, error)
	logf  func(format string, args ...any)

	gzip *gzipCache // the server's

	mu     sync.Mutex // one indexing at a time
	of     *build.Result
	files  map[string][]byte // the index of of
	static *Static           // serves files

	bg     sync.Mutex // the indexing in the background
	timer  *time.Timer
	cancel context.CancelFunc
}

func newSearch(source string, logf func(string, ...any), gz *gzipCache) *search {
	bin, why := build.FindPagefind(source)
	return &search{bin: bin, why: why, index: build.IndexSearch, logf: logf, gzip: gz}
}

// staticOf serves the index of site (filesOf); nil when there is none.
func (x *search) staticOf(ctx context.Context, site *build.Result) *Static {
	if x.filesOf(ctx, site) == nil {
		return nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.static == nil || x.of != site {
		x.static = NewStatic(x.files, x.gzip)
	}
	return x.static
}

// filesOf returns the index of site, made now when the one there is is of
// another site. nil when there is no Pagefind or indexing failed: the
// search page then says that search does not work.
func (x *search) filesOf(ctx context.Context, site *build.Result) map[string][]byte {
	if x == nil || x.bin == "" || site == nil {
		return nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.of == site {
		return x.files
	}
	idx, err := x.index(ctx, x.bin, site)
	if err != nil {
		if ctx.Err() == nil {
			x.logf("the search index: %v", err)
		}
		return nil
	}
	x.of, x.files, x.static = site, idx.Files, nil
	return x.files
}

// idle indexes site in the background once serve has been idle for
// searchIdle after it.
func (x *search) idle(site *build.Result) {
	if x == nil || x.bin == "" {
		return
	}
	x.bg.Lock()
	defer x.bg.Unlock()
	x.stopLocked()
	ctx, cancel := context.WithCancel(context.Background())
	x.cancel = cancel
	x.timer = time.AfterFunc(searchIdle, func() { x.filesOf(ctx, site) })
}

// pause stops an indexing in the background, waiting or running: a
// build is starting.
func (x *search) pause() {
	if x == nil {
		return
	}
	x.bg.Lock()
	defer x.bg.Unlock()
	x.stopLocked()
}

func (x *search) stopLocked() {
	if x.timer != nil {
		x.timer.Stop()
		x.timer = nil
	}
	if x.cancel != nil {
		x.cancel()
		x.cancel = nil
	}
}
