package build

import (
	"context"
	"fmt"
	"hash/maphash"
	"io/fs"
	"maps"
	"math"
	"math/bits"
	"os"
	"path"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/evanw/esbuild/pkg/api"
)

// A Builder builds a site again and again, redoing only what changed. It
// keeps what each build learnt: the parsed pages, the words, the templates,
// esbuild's incremental context, the compiled wasm, and every page's output
// with a key of all it was rendered from (keys). A build links every page
// again, computes every page's key, and renders only the pages whose key
// changed; so its Result is the one a fresh build would give. When only
// the text of pages changed (not their front matter), it patches the last
// build instead: the changed pages take their new text in place, and only
// their links and the links to them are resolved again (patch). Run is a
// Builder used once; serve keeps one.
//
// A Builder is not safe for concurrent use. The Results it returns are
// never changed afterwards, but for the text of their Pages, which a later
// patch updates in place: only the files of a Result are to be served.
type Builder struct {
	opts Options
	seed maphash.Seed

	cfg      *Config // nil before the first build
	cfgSrc   []byte
	cfgDiags Diagnostics
	cfgKey   sum

	files     []string // content files, sorted
	scanDiags Diagnostics
	parsed    map[string]*parsed // by content file

	words      map[string]Words
	wordsDiags Diagnostics
	wordsKey   map[string]sum // by language
	texts      map[string]*Texts
	wordsFiles []*WordsFile
	textsDiags Diagnostics

	tmpl      *templates // nil when a template has an error
	tmplDiags Diagnostics
	tmplKey   map[string]sum // layout → hash of base, partials and layout

	esbuild    api.BuildContext
	esbEntries []string
	assets     *bundle // what esbuild made and the copied files
	assetDiags Diagnostics
	wasm       *Wasm
	wasmDiags  Diagnostics
	bundle     *bundle // assets plus wasm: what templates link to
	bundleKey  sum

	out         map[string]*rendered   // page file → its last rendering
	special     map[string]*rendered   // the pages without a file, by their first file
	last        *linked                // the last build that rendered, for patch
	patches     int                    // builds that patched the last one
	once        bool                   // Run's: one build, no keys to keep
	sitemap     map[string]memo[entry] // page file → its sitemap entry
	sitemapFile memo[[]byte]
	feeds       map[string]memo[[]byte]
}

// parsed is a content file after reading and parsing, before linking.
type parsed struct {
	page  *Page // nil when unreadable
	diags Diagnostics
	src   sum      // hash of the whole file
	front sum      // hash of the front matter alone
	dests [][]byte // the destinations of page.links as written, which link overwrites
}

// linked is what patch needs of the last build that rendered.
type linked struct {
	s           *site
	k           *keys
	byFile      map[string]*Page
	siteDiags   Diagnostics            // linkSite's
	links       map[string]Diagnostics // resolveLinks', by page file
	layoutDiags Diagnostics
	result      *Result
}

// rendered is a page's output and the key of its inputs.
type rendered struct {
	key  sum
	html []byte
	diag *Diagnostic
}

type memo[T any] struct {
	key sum
	val T
}

type entry struct {
	e  sitemapEntry
	ok bool
}

// NewBuilder makes a builder; its first Build is a full one.
func NewBuilder(opts Options) *Builder {
	if opts.Source == "" {
		opts.Source = "."
	}
	if opts.FS == nil {
		opts.FS = os.DirFS(opts.Source)
	}
	return &Builder{opts: opts, seed: maphash.MakeSeed(), parsed: map[string]*parsed{},
		out: map[string]*rendered{}, sitemap: map[string]memo[entry]{}, feeds: map[string]memo[[]byte]{}}
}

// Close releases esbuild's context.
func (b *Builder) Close() {
	if b.esbuild != nil {
		b.esbuild.Dispose()
		b.esbuild = nil
	}
}

// Known reports the content files of the last build, for Plan.
func (b *Builder) Known() map[string]bool {
	known := make(map[string]bool, len(b.files))
	for _, f := range b.files {
		known[f] = true
	}
	return known
}

// Build builds the site again after changes; the first build, and a build
// with ch.All, do everything. Diagnostics are collected, not stopped at.
func (b *Builder) Build(ctx context.Context, ch Changes) *Result {
	start := time.Now()
	fsys, opts := b.opts.FS, b.opts
	if b.cfg == nil {
		ch.All = true
	}
	all := ch.All
	r := &Result{Files: make(map[string][]byte, len(b.out)+len(b.sitemap)/8+64)}
	defer func() {
		r.Diagnostics.Sort()
		r.Diagnostics = mergeRendering(r.Diagnostics)
		r.Duration = time.Since(start)
	}()

	// Config, and the list of content files.
	if all {
		b.cfg, b.cfgDiags = loadConfig(fsys)
		b.cfgSrc, _ = fs.ReadFile(fsys, "site.yaml")
		b.cfgKey = b.bytes(b.cfgSrc)
		if opts.Drafts {
			b.cfgKey.u64(1)
		}
	}
	cfg := b.cfg
	r.Config = cfg
	r.Diagnostics = append(r.Diagnostics, b.cfgDiags...)
	if all || ch.Rescan {
		b.files, b.scanDiags = scanContent(fsys, cfg)
	}
	r.Diagnostics = append(r.Diagnostics, b.scanDiags...)

	// Pages: parse the new and changed files, in parallel.
	before := map[string]*parsed{}
	for _, f := range ch.Content {
		before[f] = b.parsed[f]
		delete(b.parsed, f)
	}
	var todo []string
	for _, f := range b.files {
		if b.parsed[f] == nil {
			todo = append(todo, f)
		}
	}
	if all || ch.Rescan {
		// Forget the files that went.
		listed := make(map[string]bool, len(b.files))
		for _, f := range b.files {
			listed[f] = true
		}
		for f := range b.parsed {
			if !listed[f] {
				delete(b.parsed, f)
				delete(b.out, f)
				delete(b.sitemap, f)
				delete(b.feeds, f)
			}
		}
	}
	done := make([]*parsed, len(todo))
	parallel(len(todo), func(i int) { done[i] = b.parse(fsys, todo[i]) })
	for i, f := range todo {
		b.parsed[f] = done[i]
	}
	if b.canPatch(ch, before) {
		b.patch(ctx, ch, r)
		return r
	}
	b.last = nil
	pages := make([]*Page, 0, len(b.files))
	clones := make([]Page, len(b.files)) // linking sets fields of copies; parsed pages stay as parsed
	for i, f := range b.files {
		pr := b.parsed[f]
		r.Diagnostics = append(r.Diagnostics, pr.diags...)
		if pr.page != nil && pr.page.Front.Draft && !opts.Drafts {
			r.Drafts = append(r.Drafts, f)
		}
		if pr.page == nil || pr.page.doc == nil || (pr.page.Front.Draft && !opts.Drafts) {
			continue
		}
		p := &clones[i]
		*p = *pr.page
		for i, l := range p.links {
			l.node.Destination = pr.dests[i] // as parsed: a link that no longer resolves keeps it
		}
		pages = append(pages, p)
	}
	r.Pages = pages

	// Words.
	if all || ch.Words {
		b.words, b.wordsFiles, b.wordsDiags = loadWords(fsys, cfg)
		b.texts, b.textsDiags = loadTexts(fsys, cfg)
		b.wordsKey = map[string]sum{}
		for lang, w := range b.words {
			var k sum
			for _, word := range sortedStrings(sortedKeys(w)) {
				k.str(b.seed, word)
				k.str(b.seed, w[word])
			}
			b.wordsKey[lang] = k
		}
	}
	r.Diagnostics = append(r.Diagnostics, b.wordsDiags...)
	r.Diagnostics = append(r.Diagnostics, b.textsDiags...)
	r.Texts, r.WordsFiles = b.texts, b.wordsFiles

	// Link every page again: any page may move.
	s, siteDiags := linkSite(cfg, pages, r.Drafts, b.cfgSrc)
	r.Diagnostics = append(r.Diagnostics, siteDiags...)
	links := make(map[string]Diagnostics)
	for _, p := range pages {
		if d := s.resolveLinks(p); d != nil {
			links[p.File] = d
			r.Diagnostics = append(r.Diagnostics, d...)
		}
	}
	textLinks, diags := linkTexts(s, b.texts)
	r.Diagnostics = append(r.Diagnostics, diags...)

	// Templates, assets, wasm.
	if all || ch.Templates {
		b.loadTemplates(fsys)
	}
	r.Diagnostics = append(r.Diagnostics, b.tmplDiags...)
	rebundle := b.bundle == nil
	if all || ch.Assets {
		b.bundleAssets(fsys)
		rebundle = true
	}
	r.Diagnostics = append(r.Diagnostics, b.assetDiags...)
	if !opts.NoWasm && (all || ch.Wasm) {
		b.compileWasm(ctx)
		rebundle = true
	}
	r.Diagnostics = append(r.Diagnostics, b.wasmDiags...)
	r.Wasm = b.wasm
	if rebundle {
		b.bundle = &bundle{assets: map[string]Asset{}, files: map[string][]byte{}}
		for k, v := range b.assets.assets {
			b.bundle.assets[k] = v
		}
		for k, v := range b.assets.files {
			b.bundle.files[k] = v
		}
		if b.wasm != nil {
			b.bundle.addWasm(*b.wasm)
		}
		b.bundleKey = 0
		for _, name := range sortedStrings(sortedKeys(b.bundle.assets)) {
			b.bundleKey.str(b.seed, name)
			b.bundleKey.str(b.seed, b.bundle.assets[name].URL)
			b.bundleKey.str(b.seed, b.bundle.assets[name].Integrity)
		}
	}
	for p, data := range b.bundle.files {
		r.Files[p] = data
	}
	r.Diagnostics = append(r.Diagnostics, checkAssetRefs(pages, b.bundle.files)...)

	// Render the pages whose inputs changed. A builder used once renders
	// every page and needs no keys.
	var k *keys
	if !b.once {
		k = b.keys(s)
	}
	if b.tmpl != nil {
		diags := checkLayouts(s, b.tmpl)
		r.Diagnostics = append(r.Diagnostics, diags...)
		if diags.Errors() == 0 {
			r.Rendered = b.render(ctx, s, k, b.extra(s, textLinks), s.pages, r)
			if ctx.Err() == nil && !b.once {
				b.last = &linked{s: s, k: k, siteDiags: siteDiags, links: links, layoutDiags: diags, result: r,
					byFile: make(map[string]*Page, len(pages))}
				for _, p := range pages {
					b.last.byFile[p.File] = p
				}
			}
		}
	}

	r.Headers = headerRules(s)
	var files map[string][]byte
	if b.once {
		files = siteFiles(s, r.Headers)
	} else {
		files = b.siteFiles(s, k, r.Headers)
	}
	for p, data := range files {
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

// siteFiles are the site files (siteFiles) with the sitemap's entries and
// the feeds kept from build to build while their pages are the same.
func (b *Builder) siteFiles(s *site, k *keys, headers map[string]map[string]string) map[string][]byte {
	return siteFilesWith(s, headers, func(s *site) []byte {
		all := b.cfgKey
		keys := make([]sum, len(s.pages))
		for i, p := range s.pages {
			keys[i] = k.sitemap(p)
			all.u64(uint64(keys[i]))
		}
		if b.sitemapFile.val != nil && b.sitemapFile.key == all {
			return b.sitemapFile.val
		}
		var entries []sitemapEntry
		for i, p := range s.pages {
			m, ok := b.sitemap[p.File]
			if !ok || m.key != keys[i] {
				e, ok := sitemapURL(s, p)
				m = memo[entry]{keys[i], entry{e, ok}}
				b.sitemap[p.File] = m
			}
			if m.val.ok {
				entries = append(entries, m.val.e)
			}
		}
		b.sitemapFile = memo[[]byte]{all, sitemapFile(entries)}
		return b.sitemapFile.val
	}, func(s *site, p *Page) []byte {
		key := k.feed(p)
		if m, ok := b.feeds[p.File]; ok && m.key == key {
			return m.val
		}
		f := atomFeed(s, p)
		b.feeds[p.File] = memo[[]byte]{key, f}
		return f
	})
}

// canPatch reports whether a build can patch the last one: the changes are
// to the text of pages the last build rendered, their front matter as it
// was, so that nothing moves.
func (b *Builder) canPatch(ch Changes, before map[string]*parsed) bool {
	if b.last == nil || ch.All || ch.Rescan || ch.Words || ch.Templates || ch.Assets || ch.Wasm || len(ch.Content) == 0 {
		return false
	}
	for _, f := range ch.Content {
		old, now := before[f], b.parsed[f]
		if old == nil || now == nil || old.page == nil || now.page == nil || old.page.doc == nil || now.page.doc == nil ||
			old.front != now.front {
			return false
		}
		if b.last.byFile[f] == nil && (b.opts.Drafts || !now.page.Front.Draft) {
			return false // not in the last build, for another reason than being a draft
		}
	}
	return true
}

// patch builds by patching the last build (see canPatch): each changed
// page of the linked site takes its new text, keeping its place; its links
// and the links to it are resolved again; the pages whose key changed are
// rendered again. Everything else is the last build's.
func (b *Builder) patch(ctx context.Context, ch Changes, r *Result) {
	last := b.last
	b.last = nil // until this build is complete
	b.patches++
	s, k := last.s, last.k
	changed := map[string]map[string]bool{} // lang → rel
	for _, f := range ch.Content {
		p := last.byFile[f]
		if p == nil {
			continue // a draft, left out
		}
		// The page takes the new parse but for the fields the link step
		// sets.
		linkedFields := *p
		*p = *b.parsed[f].page
		p.URL, p.Layout, p.Section, p.Pages, p.Translations, p.Output = linkedFields.URL, linkedFields.Layout,
			linkedFields.Section, linkedFields.Pages, linkedFields.Translations, linkedFields.Output
		if changed[p.Lang] == nil {
			changed[p.Lang] = map[string]bool{}
		}
		changed[p.Lang][p.Rel] = true
	}
	// The pages whose links may resolve otherwise: the changed ones, and
	// those with a link to one (its headings may have changed).
	var again []*Page
	for _, p := range s.pages {
		redo := changed[p.Lang][p.Rel]
		for _, l := range p.links {
			if redo || changed[p.Lang][l.target] {
				redo = true
				break
			}
		}
		if !redo {
			continue
		}
		pr := b.parsed[p.File]
		for i, l := range p.links {
			l.node.Destination = pr.dests[i]
		}
		last.links[p.File] = s.resolveLinks(p)
		again = append(again, p)
	}
	textLinks, textDiags := linkTexts(s, b.texts)

	r.Config, r.Texts, r.Wasm, r.Pages, r.Headers = b.cfg, b.texts, b.wasm, last.result.Pages, last.result.Headers
	r.WordsFiles = b.wordsFiles
	r.Files = maps.Clone(last.result.Files)
	for _, f := range b.files {
		r.Diagnostics = append(r.Diagnostics, b.parsed[f].diags...)
	}
	r.Diagnostics = append(r.Diagnostics, b.wordsDiags...)
	r.Diagnostics = append(r.Diagnostics, b.textsDiags...)
	r.Diagnostics = append(r.Diagnostics, last.siteDiags...)
	for _, p := range s.pages {
		r.Diagnostics = append(r.Diagnostics, last.links[p.File]...)
	}
	r.Diagnostics = append(r.Diagnostics, textDiags...)
	r.Diagnostics = append(r.Diagnostics, b.tmplDiags...)
	r.Diagnostics = append(r.Diagnostics, b.assetDiags...)
	r.Diagnostics = append(r.Diagnostics, b.wasmDiags...)
	r.Diagnostics = append(r.Diagnostics, checkAssetRefs(s.pages, b.bundle.files)...)
	r.Diagnostics = append(r.Diagnostics, last.layoutDiags...)

	// The self-check's pages show words with links, which may point at a
	// changed page: their keys are computed again too.
	extra := b.extra(s, textLinks)
	for _, p := range s.pages {
		if extra(p) != nil && !slices.Contains(again, p) {
			again = append(again, p)
		}
	}
	r.Rendered = b.render(ctx, s, k, extra, again, r)
	if ctx.Err() == nil {
		last.result = r
		b.last = last
	}
	if b.opts.Dest != "" && r.OK() {
		n, removed, err := writeFiles(b.opts.Dest, r.Files)
		r.Written, r.Removed = n, removed
		if err != nil {
			r.Diagnostics = append(r.Diagnostics, Diagnostic{File: b.opts.Dest, Msg: "writing the site: " + err.Error()})
		}
	}
}

// parse reads and parses one content file.
func (b *Builder) parse(fsys fs.FS, file string) *parsed {
	p, d := parseFile(fsys, file)
	pr := &parsed{page: p, diags: d}
	if p != nil {
		pr.src = b.bytes(p.src.data)
		fm, _, _ := splitFrontMatter(p.src.data)
		pr.front = b.bytes(fm)
		for _, l := range p.links {
			pr.dests = append(pr.dests, l.node.Destination)
		}
	}
	return pr
}

// loadTemplates parses the templates and keys each layout by the sources
// it is made of.
func (b *Builder) loadTemplates(fsys fs.FS) {
	b.tmpl, b.tmplDiags = loadTemplates(fsys)
	var common sum
	read := func(k *sum, name string) {
		data, _ := fs.ReadFile(fsys, name)
		k.str(b.seed, name)
		k.u64(uint64(b.bytes(data)))
	}
	read(&common, "templates/base.html")
	partials, _ := fs.Glob(fsys, "templates/partials/*.html")
	for _, p := range partials {
		read(&common, p)
	}
	b.tmplKey = map[string]sum{}
	layouts, _ := fs.Glob(fsys, "templates/layouts/*.html")
	for _, l := range layouts {
		k := common // the common sources, then the layout's
		read(&k, l)
		b.tmplKey[strings.TrimSuffix(path.Base(l), ".html")] = k
	}
}

// bundleAssets bundles the assets with esbuild's incremental context,
// made again only when the entry points change.
func (b *Builder) bundleAssets(fsys fs.FS) {
	bun, entries, diags := scanAssets(fsys)
	if diags == nil && len(entries) > 0 {
		if b.esbuild == nil || !slices.Equal(entries, b.esbEntries) {
			b.Close()
			ctx, err := api.Context(esbuildOptions(fsys, entries))
			if err != nil {
				for _, m := range err.Errors {
					diags = append(diags, esbuildDiag(fsys, m))
				}
			} else {
				b.esbuild, b.esbEntries = ctx, entries
			}
		}
		if b.esbuild != nil {
			diags = bun.addBuild(fsys, b.esbuild.Rebuild())
		}
	}
	b.assets, b.assetDiags = bun, diags
}

// compileWasm compiles assess/wasm when the site has it (cached by input
// hash by CompileWasm).
func (b *Builder) compileWasm(ctx context.Context) {
	b.wasm, b.wasmDiags = nil, nil
	if _, err := fs.Stat(b.opts.FS, "assess/wasm"); err != nil {
		return
	}
	cache := b.opts.CacheDir
	if cache == "" {
		cache = b.opts.Source + "/.cache"
	}
	w, err := CompileWasm(ctx, b.opts.Source, cache)
	if err != nil {
		b.wasmDiags = Diagnostics{{File: "assess", Msg: "compiling assess.wasm: " + err.Error(),
			Hint: "run go vet ./assess/... to see the Go error"}}
		return
	}
	b.wasm = &w
}

// extra is the per-layout data of renderPage: the self-check's words for
// its layouts.
func (b *Builder) extra(s *site, textLinks map[string]map[string]string) func(*Page) any {
	return func(p *Page) any {
		if p.Layout == "selfcheck" || p.Layout == "quote" {
			return selfcheckData(s, p, b.texts, textLinks)
		}
		return nil
	}
}

// render renders, in parallel, those of the pages whose key changed, and
// the pages without a file (404, language chooser) whose key changed. It
// puts the output of every page of the site in r, and returns how many
// pages it rendered.
func (b *Builder) render(ctx context.Context, s *site, k *keys, extra func(*Page) any, pages []*Page, r *Result) int {
	keys := make([]sum, len(pages))
	var todo []int
	for i, p := range pages {
		var volatile bool
		if k != nil {
			keys[i], volatile = k.page(p, extra(p))
		}
		if o := b.out[p.File]; o == nil || o.key != keys[i] || volatile {
			todo = append(todo, i)
		}
	}
	done := make([]*rendered, len(todo))
	parallel(len(todo), func(j int) {
		if ctx.Err() != nil {
			return
		}
		i := todo[j]
		html, d := renderPage(b.opts.FS, s, b.tmpl, b.bundle, b.words, b.opts.Drafts, extra, pages[i])
		done[j] = &rendered{key: keys[i], html: html, diag: d}
	})
	for j, i := range todo {
		if done[j] != nil {
			b.out[pages[i].File] = done[j]
		}
	}
	for _, p := range s.pages {
		o := b.out[p.File]
		switch {
		case o == nil: // cancelled
		case o.diag != nil:
			r.Diagnostics = append(r.Diagnostics, *o.diag)
			delete(r.Files, p.Output)
		default:
			r.Files[p.Output] = o.html
		}
	}
	n := len(todo)
	specials := map[string]*rendered{}
	for _, sp := range specialPages(s, b.tmpl, b.bundle, b.words, b.opts.Drafts) {
		var key sum
		if k != nil {
			key, _ = k.data(sp.data)
			key.u64(uint64(b.tmplKey[sp.layout]))
		}
		o := b.special[sp.files[0]]
		if o == nil || o.key != key {
			html, d := b.tmpl.execute(b.opts.FS, sp.layout, sp.data)
			o = &rendered{key: key, html: html, diag: d}
			n++
		}
		specials[sp.files[0]] = o
		for _, f := range sp.files {
			if o.diag != nil {
				delete(r.Files, f)
			} else {
				r.Files[f] = o.html
			}
		}
		if o.diag != nil {
			r.Diagnostics = append(r.Diagnostics, *o.diag)
		}
	}
	b.special = specials
	return n
}

// keys are the hashes of what each page's output is made of. A page's key
// covers its own source, its layout's templates, the destinations of its
// links and the data its layout gets (pageData), where each page that data
// reaches (its sections, its pages, its translations, the menus' pages)
// counts by its summary: front matter and place. A template that shows
// more of another page than that (its text, its headings) needs it added
// to the summary; the tests compare with fresh builds.
type keys struct {
	b    *Builder
	s    *site
	meta map[*Page]sum // each page's summary
}

func (b *Builder) keys(s *site) *keys {
	k := &keys{b: b, s: s, meta: make(map[*Page]sum, len(s.pages))}
	for _, p := range s.pages {
		m := b.parsed[p.File].front
		m.str(b.seed, p.File)
		m.str(b.seed, p.URL)
		m.str(b.seed, p.Layout)
		m.str(b.seed, p.Output)
		m.u64(uint64(p.Kind))
		k.meta[p] = m
	}
	return k
}

// page is the key of a page's rendering, with the layout's own data; it
// is volatile, to be rendered every time, when that data cannot be keyed.
func (k *keys) page(p *Page, extra any) (sum, bool) {
	b := k.b
	d := pageData(k.s, p, b.bundle, b.words, b.opts.Drafts)
	d.Extra = extra
	h, volatile := k.data(d)
	h.u64(uint64(b.parsed[p.File].src))
	h.u64(uint64(b.tmplKey[p.Layout]))
	for _, l := range p.links {
		h.u64(maphash.Bytes(b.seed, l.node.Destination))
	}
	return h, volatile
}

// data hashes what a layout receives.
func (k *keys) data(d *PageData) (sum, bool) {
	w := walker{k: k}
	w.value(reflect.ValueOf(d).Elem(), 0)
	return w.h, w.volatile
}

// walker hashes a value as templates see it: its exported fields, the
// elements of its lists and maps; a page of the site by its summary, the
// config, the words and the assets by their keys.
type walker struct {
	k        *keys
	h        sum
	volatile bool // too deep to hash: a cycle, say
}

var (
	pageType   = reflect.TypeFor[*Page]()
	configType = reflect.TypeFor[*Config]()
	wordsType  = reflect.TypeFor[Words]()
	assetsType = reflect.TypeFor[map[string]Asset]()
)

func (w *walker) value(v reflect.Value, depth int) {
	if depth > 32 {
		w.volatile = true
		return
	}
	b := w.k.b
	switch v.Type() {
	case pageType:
		if m, ok := w.k.meta[v.Interface().(*Page)]; ok {
			w.h.u64(uint64(m))
			return
		}
		// a page made for the occasion (a 404 page): by its fields
	case configType:
		if v.Interface().(*Config) == b.cfg {
			w.h.u64(uint64(b.cfgKey))
			return
		}
	case wordsType:
		for lang, words := range b.words {
			if !v.IsNil() && v.UnsafePointer() == reflect.ValueOf(words).UnsafePointer() {
				w.h.u64(uint64(b.wordsKey[lang]))
				return
			}
		}
	case assetsType:
		if b.bundle != nil && !v.IsNil() && v.UnsafePointer() == reflect.ValueOf(b.bundle.assets).UnsafePointer() {
			w.h.u64(uint64(b.bundleKey))
			return
		}
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			w.h.u64(0)
			return
		}
		w.h.str(b.seed, v.Elem().Type().String())
		w.value(v.Elem(), depth+1)
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				w.value(v.Field(i), depth+1)
			}
		}
	case reflect.Slice, reflect.Array:
		w.h.u64(uint64(v.Len()))
		for i := range v.Len() {
			w.value(v.Index(i), depth+1)
		}
	case reflect.Map:
		w.h.u64(uint64(v.Len()))
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		for _, key := range keys {
			w.value(key, depth+1)
			w.value(v.MapIndex(key), depth+1)
		}
	case reflect.String:
		w.h.str(b.seed, v.String())
	case reflect.Bool:
		if v.Bool() {
			w.h.u64(1)
		} else {
			w.h.u64(2)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		w.h.u64(uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		w.h.u64(v.Uint())
	case reflect.Float32, reflect.Float64:
		w.h.u64(math.Float64bits(v.Float()))
	default: // functions and channels: nothing a template prints
		w.h.u64(3)
	}
}

// sitemap is the key of a page's sitemap entry: the page and its
// translations.
func (k *keys) sitemap(p *Page) sum {
	h := k.b.cfgKey
	h.u64(uint64(k.meta[p]))
	for _, t := range p.Translations {
		h.u64(uint64(k.meta[t]))
	}
	return h
}

// feed is the key of a news section's feed: the section and its pages.
func (k *keys) feed(p *Page) sum {
	h := k.b.cfgKey
	h.u64(uint64(k.meta[p]))
	for _, c := range p.Pages {
		h.u64(uint64(k.meta[c]))
	}
	return h
}

// sum is a key: 64-bit values mixed in order (with the multiply-and-fold
// step of wyhash), strings and bytes by their maphash.
type sum uint64

func (s *sum) u64(v uint64) {
	hi, lo := bits.Mul64(uint64(*s)^0xa0761d6478bd642f, v^0xe7037ed1a0b428db)
	*s = sum(hi ^ lo)
}

func (s *sum) str(seed maphash.Seed, v string) { s.u64(maphash.String(seed, v)) }

func (b *Builder) bytes(data []byte) sum {
	var s sum
	s.u64(maphash.Bytes(b.seed, data))
	return s
}

func sortedStrings(s []string) []string {
	sort.Strings(s)
	return s
}
