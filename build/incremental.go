package build

import (
	"context"
	"encoding/json"
	"hash/maphash"
	"io/fs"
	"math/bits"
	"os"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/evanw/esbuild/pkg/api"
)

// A Builder builds a site again and again, redoing only what changed. It
// keeps what each build learnt: the parsed pages, the words, the templates,
// esbuild's incremental context, the compiled wasm, and every page's output
// with a key of all it was rendered from. A build links every page again
// (cheap), computes every page's key, and renders only the pages whose key
// changed; so its Result is the one a fresh build would give. Run is a
// Builder used once; serve keeps one.
//
// A Builder is not safe for concurrent use; the Results it returns are
// never changed afterwards.
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
	special     *special               // the pages without a file
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
	for _, f := range ch.Content {
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
	pages := make([]*Page, 0, len(b.files))
	clones := make([]Page, len(b.files)) // linking sets fields of copies; parsed pages stay as parsed
	for i, f := range b.files {
		pr := b.parsed[f]
		r.Diagnostics = append(r.Diagnostics, pr.diags...)
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
		b.words, b.wordsDiags = loadWords(fsys, cfg)
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
	r.Texts = b.texts

	// Link: every page again, since it is cheap and any page may move.
	s, diags := link(cfg, pages, b.cfgSrc)
	r.Diagnostics = append(r.Diagnostics, diags...)
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

	// Render the pages whose inputs changed.
	k := b.keys(s)
	if b.tmpl != nil {
		diags := checkLayouts(s, b.tmpl)
		r.Diagnostics = append(r.Diagnostics, diags...)
		if diags.Errors() == 0 {
			extra := func(p *Page) any {
				if p.Layout == "selfcheck" || p.Layout == "quote" {
					return selfcheckData(s, p, b.texts, textLinks)
				}
				return nil
			}
			r.Rendered = b.render(ctx, s, k, extra, r)
		}
	}

	r.Headers = headerRules(s)
	files := siteFilesWith(s, r.Headers, func(s *site) []byte {
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

// render renders, in parallel, the pages whose key changed, and the pages
// without a file (404, language chooser) when theirs changed. It puts every
// page's output in r and returns how many pages it rendered.
func (b *Builder) render(ctx context.Context, s *site, k *keys, extra func(*Page) any, r *Result) int {
	keys := make([]sum, len(s.pages))
	var todo []int
	for i, p := range s.pages {
		keys[i] = k.page(p)
		volatile := false
		if x := extra(p); x != nil {
			// The layout's own data (the self-check's words): keyed by
			// its contents, or rendered every time when it has none.
			data, err := json.Marshal(x)
			volatile = err != nil
			keys[i].u64(maphash.Bytes(b.seed, data))
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
		html, d := renderPage(b.opts.FS, s, b.tmpl, b.bundle, b.words, b.opts.Drafts, extra, s.pages[i])
		done[j] = &rendered{key: keys[i], html: html, diag: d}
	})
	for j, i := range todo {
		if done[j] != nil {
			b.out[s.pages[i].File] = done[j]
		}
	}
	for _, p := range s.pages {
		o := b.out[p.File]
		switch {
		case o == nil: // cancelled
		case o.diag != nil:
			r.Diagnostics = append(r.Diagnostics, *o.diag)
		default:
			r.Files[p.Output] = o.html
		}
	}
	n := len(todo)
	if key := k.special(); b.special == nil || b.special.key != key {
		files, diags := renderSpecial(b.opts.FS, s, b.tmpl, b.bundle, b.words, b.opts.Drafts)
		b.special = &special{key: key, files: files, diags: diags}
		n += len(files)
		if _, ok := files["404.html"]; ok {
			n-- // the default language's 404 page, again at the root
		}
	}
	for name, page := range b.special.files {
		r.Files[name] = page
	}
	r.Diagnostics = append(r.Diagnostics, b.special.diags...)
	return n
}

// special is the output of the pages without a file.
type special struct {
	key   sum
	files map[string][]byte
	diags Diagnostics
}

// keys are the hashes of what each page's output is made of. A page's key
// covers everything pageData and renderPage read: the page's own source
// and place, the summary (front matter and place) of each page it shows
// (its sections, its pages, its translations, the menu's pages), the
// destinations of its links, the homes of the languages, the feed, the
// config, the words of its language, its layout's templates and the
// assets. A template that shows more of another page (its body, its
// headings) needs that added here; the tests compare with fresh builds.
type keys struct {
	b    *Builder
	s    *site
	meta map[*Page]sum // each page's summary: front matter and place
	menu map[string]sum
	base sum // what every page is rendered with
}

func (b *Builder) keys(s *site) *keys {
	k := &keys{b: b, s: s, meta: make(map[*Page]sum, len(s.pages)), menu: map[string]sum{}}
	for _, p := range s.pages {
		m := b.parsed[p.File].front
		m.str(b.seed, p.File)
		m.str(b.seed, p.URL)
		m.str(b.seed, p.Layout)
		m.str(b.seed, p.Output)
		m.u64(uint64(p.Kind))
		k.meta[p] = m
	}
	for lang, items := range s.menus {
		var m sum
		for _, item := range items {
			m.str(b.seed, item.Title)
			m.str(b.seed, item.URL)
			m.u64(uint64(k.meta[item.Page]))
		}
		k.menu[lang] = m
	}
	k.base = b.cfgKey
	k.base.u64(uint64(b.bundleKey))
	for _, l := range s.cfg.Languages {
		if home := s.home[l.Code]; home != nil {
			k.base.str(b.seed, home.URL)
		} else {
			k.base.u64(0)
		}
	}
	return k
}

// page is the key of a page's rendering.
func (k *keys) page(p *Page) sum {
	b := k.b
	h := k.base
	h.u64(uint64(b.parsed[p.File].src))
	h.u64(uint64(k.meta[p]))
	h.u64(uint64(b.wordsKey[p.Lang]))
	h.u64(uint64(b.tmplKey[p.Layout]))
	h.u64(uint64(k.menu[p.Lang]))
	h.str(b.seed, k.s.feeds[p.Lang])
	for sec := p.Section; sec != nil; sec = sec.Section {
		h.u64(uint64(k.meta[sec]))
	}
	h.u64(1)
	for _, c := range p.Pages {
		h.u64(uint64(k.meta[c]))
	}
	h.u64(2)
	for _, t := range p.Translations {
		h.u64(uint64(k.meta[t]))
	}
	h.u64(3)
	for _, l := range p.links {
		h.u64(maphash.Bytes(b.seed, l.node.Destination))
	}
	return h
}

// special is the key of the pages without a file: the 404 pages and the
// language chooser show every language's home, words, menu and feed.
func (k *keys) special() sum {
	b := k.b
	h := k.base
	h.u64(uint64(b.tmplKey["404"]))
	h.u64(uint64(b.tmplKey["languages"]))
	for _, l := range k.s.cfg.Languages {
		h.u64(uint64(b.wordsKey[l.Code]))
		h.u64(uint64(k.menu[l.Code]))
		h.str(b.seed, k.s.feeds[l.Code])
		if home := k.s.home[l.Code]; home != nil {
			h.u64(uint64(b.parsed[home.File].src))
			h.u64(uint64(k.meta[home]))
			for _, t := range home.Translations {
				h.u64(uint64(k.meta[t]))
			}
		}
		h.u64(4)
	}
	return h
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
