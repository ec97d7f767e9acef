package build

import (
	"context"
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

	"kmopsite/endpoints"
	"kmopsite/settings"
)

// A Builder builds a site again and again, redoing only what changed. It
// keeps what each build learnt: the parsed pages, the words, the templates,
// esbuild's incremental context, the compiled wasm, and every page's output
// with a key of all it was rendered from. Every build goes the same way:
// it parses the files that changed, links every page, computes every
// page's key and renders only the pages whose key changed; so its Result
// is the one a fresh build would give. What cannot have changed since the
// last build (a page's place, its view, its resolved links, its layout's
// key) is taken from it, each after a check that it cannot have. Run is a
// Builder used once; serve keeps one.
//
// What a build made is never changed by a later one: a parsed page stays
// as parsed (each build links copies of the parsed pages, and the link
// step returns the resolved links for the renderer instead of writing them
// into the Markdown), views and resolved links are shared, not updated,
// and a Result, once returned, is not touched again. A Builder is not safe
// for concurrent use.
type Builder struct {
	opts Options
	seed maphash.Seed
	md   *markdown // the goldmark instances, one per language

	cfg      *settings.Site // nil before the first build
	cfgSrc   []byte
	cfgDiags Diagnostics
	cfgKey   sum

	files     []string // content files, sorted
	scanDiags Diagnostics
	linkDiags Diagnostics        // symbolic links in content/ and assets/
	parsed    map[string]*parsed // by content file

	words      map[string]InterfaceWords
	wordsDiags Diagnostics
	wordsKey   map[string]sum // by language
	texts      map[string]*Texts
	wordsFiles []*WordsFile
	textsDiags Diagnostics
	textsKey   map[string]sum // by language: its selfcheck.yaml and quote.yaml

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

	site       *site // the last build's linked site
	viewKeys   map[*PageView]sum
	layoutKeys []sum // by index of layoutSite's pages: the keys of their layouts' inputs
	layoutSite *site
	global     sum // globalKey when layoutKeys were computed

	out         map[string]*rendered   // page file → its last rendering
	special     map[string]*rendered   // the pages without a file, by their first file
	once        bool                   // Run's: one build, no keys to keep
	sitemap     map[string]memo[entry] // page file → its sitemap entry
	sitemapFile memo[[]byte]
	feeds       map[string]memo[[]byte]
}

// parsed is a content file after reading and parsing, before linking. It
// is not changed after.
type parsed struct {
	page  *Page // nil when unreadable
	diags Diagnostics
	src   sum // hash of the whole file
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
	return &Builder{opts: opts, seed: maphash.MakeSeed(), md: &markdown{}, parsed: map[string]*parsed{},
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
		b.cfg, b.cfgDiags = loadConfig(fsys, b.opts.Checks)
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
	if all || ch.Rescan || ch.Assets {
		b.linkDiags = symlinks(fsys, "content", "assets")
	}
	r.Diagnostics = append(r.Diagnostics, b.scanDiags...)
	r.Diagnostics = append(r.Diagnostics, b.linkDiags...)

	// Pages: parse the new and changed files, in parallel; the others stay
	// as they were parsed.
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
	for _, f := range b.files {
		r.Diagnostics = append(r.Diagnostics, b.parsed[f].diags...)
	}
	sel := b.selectPages(b.files, "", nil)
	pages, leftOut := sel.pages, sel.leftOut
	r.Pages, r.Drafts, r.Scheduled = pages, sel.drafts, sel.scheduled

	// Words.
	if all || ch.Words {
		b.keepWords(fsys, cfg)
	}
	r.Diagnostics = append(r.Diagnostics, b.wordsDiags...)
	r.Diagnostics = append(r.Diagnostics, b.textsDiags...)
	r.Texts, r.WordsFiles = b.texts, b.wordsFiles

	// Link every page again: any page may move. What cannot have changed
	// is taken from the last build (linkSite, linkPages).
	last := b.site
	if all {
		last = nil
	}
	s, diags := linkSite(cfg, pages, leftOut, last)
	r.Diagnostics = append(r.Diagnostics, diags...)
	diags = s.linkPages(last)
	r.Diagnostics = append(r.Diagnostics, diags...)
	if !b.once {
		b.site = s
	}
	textLinks, diags := linkTexts(s, b.texts)
	r.Diagnostics = append(r.Diagnostics, diags...)

	// Templates, assets, wasm.
	if all || ch.Templates {
		b.keepTemplates(fsys)
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
		k = b.keys(s, last)
	}
	if b.tmpl != nil {
		diags := checkLayouts(s, b.tmpl)
		r.Diagnostics = append(r.Diagnostics, diags...)
		if diags.Errors() == 0 {
			r.Rendered = b.render(ctx, s, k, textLinks, r)
		}
	}

	r.Assets = b.bundle.assets
	r.Headers = headerRules(s)
	var notes map[string]string
	if opts.Extend != nil && s != nil && r.OK() {
		ext, diags := opts.Extend(r)
		r.Diagnostics = append(r.Diagnostics, diags...)
		if ext != nil {
			for p, data := range ext.Files {
				r.Files[p] = data
			}
			for prefix, h := range ext.Headers {
				r.Headers[prefix] = h
			}
			notes, r.Info = ext.Notes, ext.Info
		}
	}
	var files map[string][]byte
	if b.once {
		files = siteFiles(s, r.Headers, notes)
	} else {
		files = b.memoSiteFiles(s, k, r.Headers, notes)
	}
	for p, data := range files {
		r.Files[p] = data
	}
	if s != nil {
		r.Files[endpoints.Path] = endpointsFile(s, b.texts, r.Headers)
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

// keepWords reads the interface words and the self-check's and quote
// form's words, and keys each language's.
func (b *Builder) keepWords(fsys fs.FS, cfg *settings.Site) {
	b.words, b.wordsFiles, b.wordsDiags = loadWords(fsys, cfg)
	b.texts, b.textsDiags = loadTexts(fsys, cfg)
	b.wordsKey = map[string]sum{}
	for lang, w := range b.words {
		h := b.hasher()
		for _, word := range sortedStrings(sortedKeys(w)) {
			h.str(word)
			h.str(w[word])
		}
		b.wordsKey[lang] = h.sum
	}
	// The self-check's words are keyed by their files, of which they are
	// made (loadTexts).
	b.textsKey = map[string]sum{}
	for _, l := range cfg.Languages {
		h := b.hasher()
		for _, name := range []string{"selfcheck.yaml", "quote.yaml"} {
			data, err := fs.ReadFile(fsys, "content/"+l.Code+"/"+name)
			h.str(name)
			h.bool(err == nil)
			h.u64(maphash.Bytes(b.seed, data))
		}
		b.textsKey[l.Code] = h.sum
	}
}

// memoSiteFiles are the site files (siteFiles) with the sitemap's entries and
// the feeds kept from build to build while their pages are the same.
func (b *Builder) memoSiteFiles(s *site, k *keys, headers map[string]map[string]string, notes map[string]string) map[string][]byte {
	return siteFilesWith(s, headers, notes, func(s *site) []byte {
		all := b.cfgKey
		keys := make([]sum, len(s.pages))
		for i, p := range s.pages {
			keys[i] = k.sitemapEntry(p)
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

// parse reads and parses one content file.
func (b *Builder) parse(fsys fs.FS, file string) *parsed {
	p, d := parseFile(fsys, b.md, file)
	pr := &parsed{page: p, diags: d}
	if p != nil && !b.once { // the key of its Markdown, for a Builder used again
		pr.src = b.bytes(p.src.data)
	}
	return pr
}

// keepTemplates parses the templates (loadTemplates) and keys each layout by the sources
// it is made of.
func (b *Builder) keepTemplates(fsys fs.FS) {
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

// extra is a page's Extra, the self-check's words for the layouts that
// show them, and its key.
func (b *Builder) extra(s *site, textLinks map[string]map[string]string, p *Page) (any, sum) {
	if p.Layout != "selfcheck" && p.Layout != "quote" {
		return nil, 0
	}
	sd := selfcheckData(s, p, b.texts, textLinks)
	return sd, b.selfcheckKey(p.Lang, sd)
}

// render renders, in parallel, the pages whose key changed (all of them
// when k is nil), and the pages without a file (404, language chooser)
// whose key changed. It puts the output of every page of the site in r,
// and returns how many pages it rendered.
func (b *Builder) render(ctx context.Context, s *site, k *keys, textLinks map[string]map[string]string, r *Result) int {
	pages := s.pages
	inputs := make([]*pageInputs, len(pages))
	extras := make([]any, len(pages))
	keys := make([]sum, len(pages))
	var todo []int
	if k == nil {
		todo = make([]int, len(pages))
		for i := range pages {
			todo[i] = i
		}
	} else {
		// When every page is where it was in the last build, with the same
		// view, and the config, words, templates and assets are the same,
		// the inputs of every layout are the last build's, and so are the
		// keys of the layouts (keys.layout).
		global := b.globalKey()
		keep := s.placedAs != nil && s.placedAs == b.layoutSite && k.changed == 0 && global == b.global
		layoutKeys := make([]sum, len(pages))
		key := func(i int) {
			p := pages[i]
			if keep {
				layoutKeys[i] = b.layoutKeys[i]
			} else {
				inputs[i] = s.inputs(p)
				layoutKeys[i] = k.layout(inputs[i], p.Layout).sum
			}
			var extraKey sum
			extras[i], extraKey = b.extra(s, textLinks, p)
			keys[i] = k.page(p, layoutKeys[i], extraKey)
		}
		if keep {
			for i := range pages {
				key(i)
			}
		} else {
			parallel(len(pages), key)
		}
		b.layoutKeys, b.layoutSite, b.global = layoutKeys, s, global
		for i, p := range pages {
			if o := b.out[p.File]; o == nil || o.key != keys[i] {
				todo = append(todo, i)
			}
		}
	}
	done := make([]*rendered, len(todo))
	parallel(len(todo), func(j int) {
		if ctx.Err() != nil {
			return
		}
		i := todo[j]
		p, in, extra := pages[i], inputs[i], extras[i]
		if in == nil {
			in = s.inputs(p)
		}
		if k == nil {
			extra, _ = b.extra(s, textLinks, p)
		}
		d := pageData(s.cfg, in, b.bundle.assets, b.words[p.Lang], b.opts.Drafts)
		d.Extra = extra
		html, diag := renderPage(b.opts.FS, b.tmpl, p, s.dests[p.File], d)
		done[j] = &rendered{key: keys[i], html: html, diag: diag}
	})
	for j, i := range todo {
		if done[j] != nil {
			b.out[pages[i].File] = done[j]
		}
	}
	for _, p := range pages {
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
			h := k.layout(sp.in, sp.layout)
			h.bool(sp.data.NoIndex)
			h.str(sp.data.Canonical)
			key = h.sum
		}
		o := b.special[sp.files[0]]
		if o == nil || o.key != key || k == nil {
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

// globalKey is the key of what every layout reads: the config, the
// words of every language, the templates and the assets.
func (b *Builder) globalKey() sum {
	h := b.hasher()
	h.u64(uint64(b.cfgKey))
	h.u64(uint64(b.bundleKey))
	for _, lang := range sortedStrings(sortedKeys(b.wordsKey)) {
		h.str(lang)
		h.u64(uint64(b.wordsKey[lang]))
	}
	for _, layout := range sortedStrings(sortedKeys(b.tmplKey)) {
		h.str(layout)
		h.u64(uint64(b.tmplKey[layout]))
	}
	return h.sum
}

// keys are the hashes of what each output of one build is made of. A
// page's rendering is keyed by its layout's templates, its Markdown's
// inputs (its source and the destinations of its links) and what its
// layout's data is made of (pageData's inputs), written into the hash
// field by field. Other pages reach a template only as views (PageView),
// which hold values only, each keyed by all its fields. So a template
// cannot show anything of another page that the key does not cover;
// TestKeys fails when a field is added to pageInputs or a view and not
// here.
type keys struct {
	b       *Builder
	s       *site
	views   map[*PageView]sum // the key of every page's view
	changed int               // views whose key differs from the last build's view of the same page
}

// keys keys the views of s; last is the last build's site, or nil.
func (b *Builder) keys(s *site, last *site) *keys {
	k := &keys{b: b, s: s, views: make(map[*PageView]sum, len(s.pages))}
	for _, p := range s.pages {
		v := s.views[p]
		key, ok := b.viewKeys[v] // a view kept from the last build (views never change)
		if !ok {
			key = b.viewKey(v)
			if old := last.page(p.File); old == nil || b.viewKeys[last.views[old]] != key {
				k.changed++
			}
		}
		k.views[v] = key
	}
	if last == nil || len(last.pages) != len(s.pages) {
		k.changed++
	}
	b.viewKeys = k.views
	return k
}

// page is the key of a page's rendering: the key of its layout's inputs,
// of its Extra and of its Markdown.
func (k *keys) page(p *Page, layout, extra sum) sum {
	b := k.b
	h := b.hasher()
	h.u64(uint64(layout))
	h.u64(uint64(extra))
	// Content: the page's Markdown, rendered with its language's and its
	// raw_html's goldmark (both in its view) and the destinations of its
	// links.
	h.u64(uint64(b.parsed[p.File].src))
	dests := k.s.dests[p.File]
	for i := range p.links {
		dest, ok := dests[i]
		h.bool(ok)
		h.str(dest)
	}
	return h.sum
}

// layout starts the key of a rendering: the layout's templates and what
// pageData makes the layout's data of: the config (Site, Lang, the site's
// title, the addresses; the config's key counts serve's drafts too), the
// language's words (W), the bundle (Assets) and the inputs, field by field.
func (k *keys) layout(in *pageInputs, layout string) hasher {
	b := k.b
	h := b.hasher()
	h.u64(uint64(b.tmplKey[layout]))
	h.u64(uint64(b.cfgKey))
	h.u64(uint64(b.wordsKey[in.Page.Lang]))
	h.u64(uint64(b.bundleKey))
	h.u64(uint64(k.view(in.Page)))
	k.viewList(&h, in.Translations)
	k.viewList(&h, in.Homes)
	k.viewList(&h, in.Crumbs)
	k.viewList(&h, in.Pages)
	h.u64(uint64(k.view(in.Search)))
	k.menu(&h, in.Menu)
	k.menu(&h, in.Footer)
	h.str(in.Feed)
	h.bool(in.Alternates)
	return h
}

func (k *keys) menu(h *hasher, links []MenuLink) {
	h.int(len(links))
	for _, l := range links {
		h.str(l.Title)
		h.str(l.URL)
		h.u64(uint64(k.view(l.Page)))
	}
}

func (k *keys) viewList(h *hasher, vs []*PageView) {
	h.int(len(vs))
	for _, v := range vs {
		h.u64(uint64(k.view(v)))
	}
}

// view is the key of a view: the link step's are keyed once per build.
func (k *keys) view(v *PageView) sum {
	if v == nil {
		return 0
	}
	if key, ok := k.views[v]; ok {
		return key
	}
	return k.b.viewKey(v) // a page made for the occasion (a 404 page)
}

// viewKey writes every field of a view into a key.
func (b *Builder) viewKey(v *PageView) sum {
	h := b.hasher()
	h.str(v.File)
	h.str(v.Lang)
	h.int(int(v.Kind))
	h.str(v.URL)
	h.str(v.Layout)
	h.bool(v.Scheduled)
	f := &v.Front
	h.str(f.Title)
	h.str(f.Description)
	h.int(f.Weight)
	h.bool(f.Draft)
	h.str(f.Date)
	h.str(f.Reviewed)
	h.str(f.Slug)
	h.int(len(f.Aliases))
	for _, a := range f.Aliases {
		h.str(a)
	}
	h.str(f.Layout)
	h.bool(f.TOC)
	h.str(f.TranslationKey)
	h.bool(f.RawHTML)
	h.str(f.SourceHash)
	h.int(len(v.Headings))
	for _, hd := range v.Headings {
		h.int(hd.Level)
		h.str(hd.ID)
		h.str(hd.Text)
	}
	return h.sum
}

// selfcheckKey is the key of the self-check's data of a page. The words
// and everything arranged from them (the questionnaire's pages, the
// result's entries but their links, the form's fields) are keyed by the
// language's words files, of which they are made; what comes from the
// site is written in.
func (b *Builder) selfcheckKey(lang string, d *SelfcheckData) sum {
	h := b.hasher()
	if d == nil {
		return h.sum
	}
	h.u64(uint64(b.textsKey[lang])) // Words, Quote, Questions, Pages, Total, Kinds, the entries, Statuses, Form, Consent…
	links := sortedStrings(sortedKeys(d.Links))
	h.int(len(links))
	for _, key := range links {
		h.str(key)
		h.str(d.Links[key])
	}
	h.str(d.Endpoint)
	h.str(d.Privacy)
	h.str(d.SelfcheckURL)
	h.str(d.QuoteURL)
	h.str(d.MailTo)
	return h.sum
}

// sitemapEntry is the key of a page's sitemap entry: the page and its
// translations.
func (k *keys) sitemapEntry(p *Page) sum {
	h := k.b.hasher()
	h.u64(uint64(k.b.cfgKey))
	h.u64(uint64(k.views[k.s.views[p]]))
	for _, t := range p.Translations {
		h.u64(uint64(k.views[k.s.views[t]]))
	}
	return h.sum
}

// feed is the key of a news section's feed: the section and its pages.
func (k *keys) feed(p *Page) sum {
	h := k.b.hasher()
	h.u64(uint64(k.b.cfgKey))
	h.u64(uint64(k.views[k.s.views[p]]))
	for _, c := range p.Pages {
		h.u64(uint64(k.views[k.s.views[c]]))
	}
	return h.sum
}

// hasher writes values into a key.
type hasher struct {
	seed maphash.Seed
	sum  sum
}

func (b *Builder) hasher() hasher { return hasher{seed: b.seed} }

func (h *hasher) u64(v uint64) { h.sum.u64(v) }
func (h *hasher) int(v int)    { h.sum.u64(uint64(v)) }
func (h *hasher) str(v string) { h.sum.str(h.seed, v) }
func (h *hasher) bool(v bool) {
	if v {
		h.sum.u64(1)
	} else {
		h.sum.u64(2)
	}
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

// selection is the pages of one build (selectPages).
type selection struct {
	pages     []*Page
	leftOut   map[string]string // file → why: "a draft", "scheduled for 2026-12-05"
	drafts    []string
	scheduled []Scheduled
}

// selectPages makes one build's pages from the parsed files: copies of the
// parsed pages, whose linked fields the link step sets (the copies share
// the parsed Markdown, which nothing changes). Drafts and pages dated after
// the day of the build (Options.Now) are left out, unless the build is a
// preview (Options.Drafts). The page of file, when not "", is page instead
// of its parse (Preview's unsaved page), kept even when a draft.
func (b *Builder) selectPages(files []string, file string, page *Page) selection {
	now := b.opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	today := now.UTC().Format(time.DateOnly)
	sel := selection{pages: make([]*Page, 0, len(files)), leftOut: map[string]string{}}
	copies := make([]Page, len(files))
	for i, f := range files {
		p := page
		if f != file {
			pr := b.parsed[f]
			if pr == nil || pr.page == nil {
				continue
			}
			p = pr.page
		}
		date := p.Front.Date
		_, err := time.Parse(time.DateOnly, date) // a wrong date is reported by parseFrontMatter
		scheduled := err == nil && date > today
		if scheduled {
			sel.scheduled = append(sel.scheduled, Scheduled{File: f, Date: date})
		}
		if !b.opts.Drafts && f != file {
			switch {
			case p.Front.Draft:
				sel.drafts = append(sel.drafts, f)
				sel.leftOut[f] = "a draft"
				continue
			case scheduled:
				sel.leftOut[f] = "scheduled for " + date
				continue
			}
		}
		if p.body == nil {
			continue
		}
		c := &copies[i]
		*c = *p
		c.Scheduled = scheduled
		sel.pages = append(sel.pages, c)
	}
	return sel
}
