package build

import (
	"context"
	"hash/maphash"
	"maps"
	"os"
	"slices"
	"time"

	"kmopsite/endpoints"
)

// A Builder builds a site again and again, redoing only what changed.
// Every build goes through the same steps, each a function of its inputs
// (docs/architecture.md): read the sources (sources.go: only what the
// changes touch is read again), choose the pages (selectPages), link them
// (linkSite), render them, make the site's files and write them. Beside
// the steps, memos keep each result with the inputs it was made from
// (memo.go), as esbuild's internal/cache does: a step whose inputs are
// those of the last build gives the last build's result without running.
// So a build's Result is the one a fresh build would give, and a save that
// changes a page's text renders that page alone.
//
// What a build made is never changed by a later one: a parsed page stays
// as parsed (each build links copies of the parsed pages), kept results
// are shared, not updated, and a Result, once returned, is not touched
// again. Run is a Builder used once, which keeps nothing; serve keeps one.
// A Builder is not safe for concurrent use.
type Builder struct {
	opts Options
	seed maphash.Seed
	md   *markdown // the goldmark instances, one per language
	once bool      // Run's: one build, nothing to keep

	src   sources    // the sources as last read
	links linkMemo   // what linkSite made
	out   renderMemo // what render and siteFiles made
}

// NewBuilder makes a builder; its first Build is a full one.
func NewBuilder(opts Options) *Builder {
	if opts.Source == "" {
		opts.Source = "."
	}
	if opts.FS == nil {
		opts.FS = os.DirFS(opts.Source)
	}
	seed := maphash.MakeSeed()
	return &Builder{opts: opts, seed: seed, md: &markdown{}, src: sources{parsed: map[string]*parsed{}},
		links: linkMemo{hashSeed: seed}, out: renderMemo{feeds: map[string]*memo[sum, []byte]{}}}
}

// Close releases esbuild's context.
func (b *Builder) Close() { b.src.close() }

// Known reports the content files of the last build, for Plan. The map
// is the Builder's: read it, do not change it.
func (b *Builder) Known() map[string]bool { return b.src.known }

// Build builds the site again after changes; the first build, and a build
// with ch.All, do everything. Diagnostics are collected, not stopped at.
func (b *Builder) Build(ctx context.Context, ch Changes) *Result {
	start := time.Now()
	if b.src.cfg == nil {
		ch.All = true
	}
	b.read(ctx, ch)
	src := &b.src
	r := &Result{Config: src.cfg, Texts: src.texts, WordsFiles: src.wordsFiles, Wasm: src.wasm, Assets: src.bundle.assets,
		Files: make(map[string][]byte, len(src.files)+len(src.bundle.files)+64), Diagnostics: src.diagnostics()}
	maps.Copy(r.Files, src.bundle.files)

	sel := selectPages(src.files, src.parsed, "", nil, b.opts)
	r.Pages, r.Drafts, r.Scheduled = sel.pages, sel.drafts, sel.scheduled
	s, linkDiags := linkSite(src.cfg, sel.pages, sel.leftOut, b.linkMemo())
	textLinks, textDiags := linkTexts(s, src.texts)
	r.Diagnostics = append(append(append(r.Diagnostics, linkDiags...), textDiags...), checkAssetRefs(sel.pages, src.bundle.files)...)

	if src.tmpl != nil {
		diags := checkLayouts(s, src.tmpl)
		r.Diagnostics = append(r.Diagnostics, diags...)
		if diags.Errors() == 0 {
			r.Rendered = b.render(ctx, s, textLinks, r)
		}
	}
	r.Headers = headerRules(s)
	notes := b.extend(r)
	maps.Copy(r.Files, b.memoSiteFiles(s, r.Headers, notes))
	r.Files[endpoints.Path] = b.memoEndpoints(s, r.Headers)

	if b.opts.Dest != "" && r.OK() {
		n, removed, err := writeFiles(b.opts.Dest, r.Files)
		r.Written, r.Removed = n, removed
		if err != nil {
			r.Diagnostics = append(r.Diagnostics, Diagnostic{File: b.opts.Dest, Msg: "writing the site: " + err.Error()})
		}
	}
	r.Diagnostics.Sort()
	r.Diagnostics = mergeRendering(r.Diagnostics)
	r.Duration = time.Since(start)
	return r
}

// linkMemo is the memo of the link step; nil for a Builder used once.
func (b *Builder) linkMemo() *linkMemo {
	if b.once {
		return nil
	}
	b.links.cfg = b.src.cfgKey
	return &b.links
}

// extend adds Options.Extend's files and header rules to a build without
// errors, and returns its notes for _headers.
func (b *Builder) extend(r *Result) map[string]string {
	if b.opts.Extend == nil || !r.OK() {
		return nil
	}
	ext, diags := b.opts.Extend(r)
	r.Diagnostics = append(r.Diagnostics, diags...)
	if ext == nil {
		return nil
	}
	maps.Copy(r.Files, ext.Files)
	maps.Copy(r.Headers, ext.Headers)
	r.Info = ext.Info
	return ext.Notes
}

// renderMemo keeps what render and siteFiles made: the keys of every
// page's layout inputs, every page's output, the pages without a file, the
// sitemap, the feeds and the endpoints' file.
type renderMemo struct {
	layouts     memo[sum, []sum]                 // by index of pages
	pages       pageMemo[sum, *rendered]         // by the page's key
	special     map[string]*memo[sum, *rendered] // the pages without a file, by their first file
	sitemap     pageMemo[sum, sitemapItem]       // by the key of the page's entry
	sitemapFile memo[sum, []byte]
	feeds       map[string]*memo[sum, []byte] // by the section's file
	endpoints   memo[sum, []byte]
}

// rendered is a page's output, or the diagnostic of its template.
type rendered struct {
	html []byte
	diag *Diagnostic
}

type sitemapItem struct {
	e  sitemapEntry
	ok bool
}

// render renders, in parallel, every page whose key changed (all of them
// for a Builder used once), and the pages without a file (404, language
// chooser) whose key changed. It puts the output of every page of the site
// in r, and returns how many pages it rendered.
func (b *Builder) render(ctx context.Context, s *site, textLinks map[string]map[string]string, r *Result) int {
	pages, src := s.pages, &b.src
	k := &keys{seed: b.seed, src: src}
	out := make([]*rendered, len(pages))
	n := len(pages)
	renderOne := func(i int, in *pageInputs, extra any) *rendered {
		p := pages[i]
		if in == nil {
			in = s.inputs(p)
		}
		d := pageData(s.cfg, in, src.bundle.assets, src.words[p.Lang], b.opts.Drafts)
		d.Extra = extra
		html, diag := renderPage(b.opts.FS, src.tmpl, p, s.dests[i], d)
		return &rendered{html: html, diag: diag}
	}
	if b.once {
		parallel(len(pages), func(i int) {
			if ctx.Err() == nil {
				extra, _ := b.extra(k, s, textLinks, pages[i])
				out[i] = renderOne(i, nil, extra)
			}
		})
	} else {
		// The keys of the layouts' inputs: the last build's when every page
		// is where it was, with the same views, and the config, words,
		// templates and assets are the same.
		views := k.global()
		views.u64(uint64(b.links.places.key))
		for _, vk := range s.viewKeys {
			views.u64(uint64(vk))
		}
		inputs := make([]*pageInputs, len(pages))
		layoutKeys := b.out.layouts.get(views, func() []sum {
			k.indexViews(s)
			keys := make([]sum, len(pages))
			parallel(len(pages), func(i int) {
				inputs[i] = s.inputs(pages[i])
				keys[i] = k.layout(inputs[i], pages[i].Layout).sum
			})
			return keys
		})
		b.out.pages.align(pages)
		var todo []int
		extras := make([]any, len(pages))
		pageKeys := make([]sum, len(pages))
		for i, p := range pages {
			var extraKey sum
			extras[i], extraKey = b.extra(k, s, textLinks, p)
			pageKeys[i] = k.page(layoutKeys[i], extraKey, s.content[i])
			if e := b.out.pages.entries[i]; !e.ok || e.key != pageKeys[i] || e.val == nil {
				todo = append(todo, i)
			}
		}
		parallel(len(todo), func(j int) {
			if i := todo[j]; ctx.Err() == nil {
				out[i] = b.out.pages.get(i, pageKeys[i], func() *rendered { return renderOne(i, inputs[i], extras[i]) })
			}
		})
		n = len(todo)
		for i := range pages {
			if out[i] == nil && ctx.Err() == nil {
				out[i] = b.out.pages.entries[i].val
			}
		}
	}
	for i, p := range pages {
		switch o := out[i]; {
		case o == nil: // cancelled
		case o.diag != nil:
			r.Diagnostics = append(r.Diagnostics, *o.diag)
		default:
			r.Files[p.Output] = o.html
		}
	}
	return n + b.renderSpecial(k, s, r)
}

// renderSpecial renders the pages without a file (404, language chooser)
// whose key changed, puts them in r and returns how many it rendered.
func (b *Builder) renderSpecial(k *keys, s *site, r *Result) int {
	n := 0
	kept := map[string]*memo[sum, *rendered]{}
	for _, sp := range specialPages(s, b.src.tmpl, b.src.bundle, b.src.words, b.opts.Drafts) {
		var m *memo[sum, *rendered] // nil for a Builder used once: no key, no memo
		var key sum
		if !b.once {
			h := k.layout(sp.in, sp.layout)
			h.bool(sp.data.NoIndex)
			h.str(sp.data.Canonical)
			key, m = h.sum, b.out.special[sp.files[0]]
			if m == nil {
				m = &memo[sum, *rendered]{}
			}
			kept[sp.files[0]] = m
		}
		o := m.get(key, func() *rendered {
			n++
			html, d := b.src.tmpl.execute(b.opts.FS, sp.layout, sp.data)
			return &rendered{html: html, diag: d}
		})
		for _, f := range sp.files {
			if o.diag == nil {
				r.Files[f] = o.html
			}
		}
		if o.diag != nil {
			r.Diagnostics = append(r.Diagnostics, *o.diag)
		}
	}
	b.out.special = kept
	return n
}

// extra is a page's Extra, the self-check's words for the layouts that
// show them, and its key.
func (b *Builder) extra(k *keys, s *site, textLinks map[string]map[string]string, p *Page) (any, sum) {
	if p.Layout != "selfcheck" && p.Layout != "quote" {
		return nil, 0
	}
	sd := selfcheckData(s, p, b.src.texts, textLinks)
	return sd, k.selfcheck(p.Lang, sd)
}

// memoEndpoints is the endpoints' file (endpointsFile), made again only
// when what it reads changed: site.yaml, the words files, the headers of
// every path, the privacy pages' addresses.
func (b *Builder) memoEndpoints(s *site, headers map[string]map[string]string) []byte {
	file := func() []byte { return endpointsFile(s, b.src.texts, b.src.words, headers) }
	if b.once {
		return file()
	}
	h := hasher{seed: b.seed, sum: b.src.cfgKey}
	for _, name := range sortedKeys(headers["/*"]) {
		h.str(name)
		h.str(headers["/*"][name])
	}
	for _, l := range s.cfg.Languages {
		h.u64(uint64(b.src.textsKey[l.Code]))
		h.u64(uint64(b.src.wordsKey[l.Code])) // the sign-in's words are interface words
		privacy := ""
		if p := s.byRel[l.Code]["privacy.md"]; p != nil {
			privacy = p.URL
		}
		h.str(privacy)
	}
	return b.out.endpoints.get(h.sum, file)
}

// memoSiteFiles are the site files (siteFiles) with the sitemap's entries and
// the feeds kept from build to build while their pages are the same.
func (b *Builder) memoSiteFiles(s *site, headers map[string]map[string]string, notes map[string]string) map[string][]byte {
	if b.once {
		return siteFiles(s, headers, notes)
	}
	k := &keys{seed: b.seed, src: &b.src}
	return siteFilesWith(s, headers, notes, func(s *site) []byte {
		b.out.sitemap.align(s.pages)
		keys := make([]sum, len(s.pages))
		all := b.src.cfgKey
		for i := range s.pages {
			keys[i] = k.sitemapEntry(s, i)
			all.u64(uint64(keys[i]))
		}
		return b.out.sitemapFile.get(all, func() []byte {
			var entries []sitemapEntry
			for i, p := range s.pages {
				it := b.out.sitemap.get(i, keys[i], func() sitemapItem {
					e, ok := sitemapURL(s, p)
					return sitemapItem{e, ok}
				})
				if it.ok {
					entries = append(entries, it.e)
				}
			}
			return sitemapFile(entries)
		})
	}, func(s *site, p *Page) []byte {
		m := b.out.feeds[p.File]
		if m == nil {
			m = &memo[sum, []byte]{}
			b.out.feeds[p.File] = m
		}
		return m.get(k.feed(s, slices.Index(s.pages, p)), func() []byte { return atomFeed(s, p) })
	})
}

// selection is the pages of one build (selectPages).
type selection struct {
	pages     []*Page
	leftOut   map[string]leftOut // file → why it is left out
	drafts    []string
	scheduled []Scheduled
}

// selectPages makes one build's pages from the parsed files: copies of the
// parsed pages, whose linked fields the link step sets (the copies share
// the parsed Markdown, which nothing changes). Drafts and pages dated after
// the day of the build (Options.Now) are left out, unless the build is a
// preview (Options.Drafts). The page of file, when not "", is page instead
// of its parse (Preview's unsaved page), kept even when a draft.
func selectPages(files []string, parsed map[string]*parsed, file string, page *Page, opts Options) selection {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	today := now.UTC().Format(time.DateOnly)
	sel := selection{pages: make([]*Page, 0, len(files)), leftOut: map[string]leftOut{}}
	copies := make([]Page, len(files))
	for i, f := range files {
		p := page
		if f != file {
			pr := parsed[f]
			if pr == nil || pr.page == nil {
				continue
			}
			p = pr.page
		}
		date := p.Front.Date
		scheduled := date > today && validDate(date) // a wrong date is reported by parseFrontMatter
		if scheduled {
			sel.scheduled = append(sel.scheduled, Scheduled{File: f, Date: date})
		}
		if !opts.Drafts && f != file {
			switch {
			case p.Front.Draft:
				sel.drafts = append(sel.drafts, f)
				sel.leftOut[f] = leftOut{draft: true}
				continue
			case scheduled:
				sel.leftOut[f] = leftOut{date: date}
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

func validDate(date string) bool {
	_, err := time.Parse(time.DateOnly, date)
	return err == nil
}
