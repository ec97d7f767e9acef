// Package build turns a site's sources (site.yaml, content/, templates/,
// assets/ and the rules of assess/) into a static site. Run goes through
// steps that each turn data into data: load config, scan content, parse
// pages (in parallel), link, render (in parallel), bundle assets, compile
// wasm, write. See docs/architecture.md.
package build

import (
	"context"
	"io/fs"
	"runtime"
	"sync"
	"time"

	"kmopsite/settings"
)

// Options says what to build. The zero value builds the site in the
// current folder without writing it.
type Options struct {
	Source   string // the site's root folder; "." by default
	FS       fs.FS  // the sources; os.DirFS(Source) by default
	Dest     string // where to write the site; nothing is written when empty
	Drafts   bool   // include pages marked draft (serve does)
	NoWasm   bool   // skip compiling assess.wasm (tests of the site alone)
	CacheDir string // where compiled wasm is kept; Source/.cache by default
	// Now is the day the build is for: a page dated later is scheduled, left
	// out until that day (shown, with a banner, under Drafts). time.Now()
	// by default; the date is taken in UTC.
	Now time.Time
	// Extend adds files that a package above build makes from the built
	// site (cmd_build passes cms's /admin/ of the live site): it is called
	// once the pages and assets are built without errors; its files are
	// written with the site, so that the next build keeps them, and its
	// header rules go into _headers.
	Extend func(*Result) (*Extension, Diagnostics)
	// Checks check the sections of site.yaml that packages above build
	// use (server's quote, mail and host; cms's cms): their diagnostics
	// join the build's.
	Checks []settings.Check
}

// Extension is what Options.Extend adds to a build.
type Extension struct {
	Files map[string][]byte // by output path, with forward slashes
	// Headers are the response headers of URL path prefixes, as in
	// Result.Headers: they replace the site's headers of the same name.
	Headers map[string]map[string]string
	// Notes are the comments written above a prefix's rule in _headers:
	// why the rule differs from the site's.
	Notes map[string]string
	// Info are lines for the person who builds (what was added, or why
	// not): not problems, so not diagnostics.
	Info []string
}

// Result is what a build produced.
type Result struct {
	Config      *settings.Site
	Pages       []*Page
	Files       map[string][]byte            // every output file by path, with forward slashes
	Headers     map[string]map[string]string // URL path prefix → response headers, as in _headers
	Diagnostics Diagnostics
	Texts       map[string]*Texts // the self-check's and quote form's words by language
	WordsFiles  []*WordsFile      // every words file read, for the translation status
	Drafts      []string          // the pages left out as drafts (none with Options.Drafts)
	Scheduled   []Scheduled       // the pages dated after Options.Now, by file; left out unless Options.Drafts
	Assets      map[string]Asset  // the fingerprinted assets by source name (site.css)
	Info        []string          // Extension.Info
	Wasm        *Wasm             // nil when not compiled
	Written     int               // files written or changed on disk
	Removed     int               // files removed from Dest
	Rendered    int               // pages rendered by this build (the others were kept from the last one)
	Duration    time.Duration
}

// Scheduled is a page whose date is after the day of the build: it is
// published by the first build on or after that date.
type Scheduled struct {
	File string // content/nl/nieuws/x.md
	Date string // YYYY-MM-DD
}

// OK reports whether the build had no errors.
func (r *Result) OK() bool { return r.Diagnostics.Errors() == 0 }

// Run builds the site. Diagnostics are collected, not stopped at: Run
// builds what it can and returns every mistake it found, sorted. It is a
// Builder used once (incremental.go has the steps).
func Run(ctx context.Context, opts Options) *Result {
	b := NewBuilder(opts)
	defer b.Close()
	b.once = true
	return b.Build(ctx, Changes{All: true})
}

// parseFile reads one page and parses its front matter and Markdown. The
// page is not changed after: later steps make new data from it.
func parseFile(fsys fs.FS, md *markdown, file string) (*Page, Diagnostics) {
	p, d := readPage(fsys, file)
	if p != nil && p.bodyOffset > 0 {
		d = append(d, md.parse(p)...)
	}
	return p, d
}

// parallel runs f(0..n-1) on as many goroutines as there are CPUs.
func parallel(n int, f func(i int)) { spread(n, runtime.GOMAXPROCS(0), f) }

// parallelIO is parallel for work that mostly waits in the file system
// (making folders, writing files): more goroutines than CPUs, so that the
// CPUs have work while some of them wait in the kernel.
func parallelIO(n int, f func(i int)) { spread(n, 4*runtime.GOMAXPROCS(0), f) }

// spread runs f(0..n-1) on at most workers goroutines.
func spread(n, workers int, f func(i int)) {
	workers = min(workers, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
