// Package build turns a site's sources (site.yaml, content/, templates/,
// assets/ and the rules of assess/) into a static site. Run goes through
// steps that each turn data into data: load config, scan content, parse
// pages (in parallel), link, render (in parallel), bundle assets, compile
// wasm, write. See docs/architecture.md.
package build

import (
	"context"
	"io/fs"
	"os"
	"runtime"
	"sync"
	"time"
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
}

// Result is what a build produced.
type Result struct {
	Config      *Config
	Pages       []*Page
	Files       map[string][]byte            // every output file by path, with forward slashes
	Headers     map[string]map[string]string // URL path prefix → response headers, as in _headers
	Diagnostics Diagnostics
	Texts       map[string]*Texts // the self-check's and quote form's words by language
	Wasm        *Wasm             // nil when not compiled
	Written     int               // files written or changed on disk
	Removed     int               // files removed from Dest
	Duration    time.Duration
}

// OK reports whether the build had no errors.
func (r *Result) OK() bool { return r.Diagnostics.Errors() == 0 }

// Run builds the site. Diagnostics are collected, not stopped at: Run
// builds what it can and returns every mistake it found, sorted.
func Run(ctx context.Context, opts Options) *Result {
	start := time.Now()
	if opts.Source == "" {
		opts.Source = "."
	}
	if opts.FS == nil {
		opts.FS = os.DirFS(opts.Source)
	}
	r := &Result{Files: map[string][]byte{}}
	defer func() {
		r.Diagnostics.Sort()
		r.Duration = time.Since(start)
	}()

	cfg, diags := loadConfig(opts.FS)
	r.Config = cfg
	r.Diagnostics = append(r.Diagnostics, diags...)
	cfgSrc, _ := fs.ReadFile(opts.FS, "site.yaml")

	files, diags := scanContent(opts.FS, cfg)
	r.Diagnostics = append(r.Diagnostics, diags...)

	pages, diags := parsePages(opts.FS, files, opts.Drafts)
	r.Diagnostics = append(r.Diagnostics, diags...)
	r.Pages = pages

	words, diags := loadWords(opts.FS, cfg)
	r.Diagnostics = append(r.Diagnostics, diags...)

	texts, diags := loadTexts(opts.FS, cfg)
	r.Diagnostics = append(r.Diagnostics, diags...)
	r.Texts = texts

	s, diags := link(cfg, pages, cfgSrc)
	r.Diagnostics = append(r.Diagnostics, diags...)

	textLinks, diags := linkTexts(s, texts)
	r.Diagnostics = append(r.Diagnostics, diags...)

	tmpl, diags := loadTemplates(opts.FS)
	r.Diagnostics = append(r.Diagnostics, diags...)

	b, diags := bundleAssets(opts.FS)
	r.Diagnostics = append(r.Diagnostics, diags...)
	if !opts.NoWasm {
		if _, err := fs.Stat(opts.FS, "assess/wasm"); err == nil {
			cache := opts.CacheDir
			if cache == "" {
				cache = opts.Source + "/.cache"
			}
			w, err := CompileWasm(ctx, opts.Source, cache)
			if err != nil {
				r.Diagnostics = append(r.Diagnostics, Diagnostic{File: "assess", Msg: "compiling assess.wasm: " + err.Error(),
					Hint: "run go vet ./assess/... to see the Go error"})
			} else {
				r.Wasm = &w
				b.addWasm(w)
			}
		}
	}

	for p, data := range b.files {
		r.Files[p] = data
	}

	if tmpl != nil {
		diags = checkLayouts(s, tmpl)
		r.Diagnostics = append(r.Diagnostics, diags...)
		if diags.Errors() == 0 {
			out, diags := render(ctx, opts.FS, s, tmpl, b, words, opts.Drafts, func(p *Page) any {
				if p.Layout == "selfcheck" || p.Layout == "quote" {
					return selfcheckData(s, p, texts, textLinks)
				}
				return nil
			})
			r.Diagnostics = append(r.Diagnostics, diags...)
			for p, data := range out {
				r.Files[p] = data
			}
		}
	}
	r.Headers = headerRules(s)
	for p, data := range siteFiles(s, r.Headers) {
		r.Files[p] = data
	}

	if opts.Dest != "" && r.OK() {
		n, removed, err := writeFiles(opts.Dest, r.Files)
		r.Written, r.Removed = n, removed
		if err != nil {
			r.Diagnostics = append(r.Diagnostics, Diagnostic{File: opts.Dest, Msg: "writing the site: " + err.Error()})
		}
	}
	return r
}

// parsePages reads and parses every page, in parallel. Drafts are left out
// unless drafts is set.
func parsePages(fsys fs.FS, files []string, drafts bool) ([]*Page, Diagnostics) {
	pages := make([]*Page, len(files))
	diags := make([]Diagnostics, len(files))
	md := sharedMarkdown
	parallel(len(files), func(i int) {
		p, d := readPage(fsys, files[i])
		if p != nil && p.bodyOffset > 0 {
			d = append(d, md.parse(p)...)
		}
		pages[i], diags[i] = p, d
	})
	var out []*Page
	var all Diagnostics
	for i, p := range pages {
		all = append(all, diags[i]...)
		if p == nil || p.doc == nil || (p.Front.Draft && !drafts) {
			continue
		}
		out = append(out, p)
	}
	return out, all
}

// sharedMarkdown is built once per language and reused by every build.
var sharedMarkdown = &markdown{}

// parallel runs f(0..n-1) on as many goroutines as there are CPUs.
func parallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
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
