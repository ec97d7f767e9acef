package build

import (
	"context"
	"hash/maphash"
	"io/fs"
	"path"
	"slices"
	"strings"

	"kmopsite/settings"

	"github.com/evanw/esbuild/pkg/api"
)

// sources are the site's files as a Builder last read them: the config,
// the parsed pages, the words, the templates, the bundled assets and the
// wasm, each with its diagnostics and the key of what it was made of.
// read reads again only what a build's Changes touch; the rest is kept as
// it was read, never changed.
type sources struct {
	cfg      *settings.Site // nil before the first build
	cfgKey   sum            // site.yaml, and whether drafts are built
	cfgDiags Diagnostics

	files     []string        // content files, sorted
	known     map[string]bool // the same, for Plan (Builder.Known)
	scanDiags Diagnostics
	linkDiags Diagnostics        // symbolic links in content/ and assets/
	parsed    map[string]*parsed // by content file

	words      map[string]InterfaceWords
	wordsFiles []*WordsFile
	wordsKey   map[string]sum // by language
	texts      map[string]*Texts
	textsKey   map[string]sum // by language: its selfcheck.yaml and quote.yaml
	wordsDiags Diagnostics

	tmpl      *templates // nil when a template has an error
	tmplKey   map[string]sum
	tmplDiags Diagnostics // layout → its base, partials and layout

	esbuild    api.BuildContext // esbuild's own incremental build
	esbEntries []string
	assets     *bundle // what esbuild made and the copied files
	assetDiags Diagnostics
	wasm       *Wasm
	wasmDiags  Diagnostics
	bundle     *bundle // assets plus wasm: what templates link to
	bundleKey  sum
}

// parsed is a content file after reading and parsing, before linking. It
// is not changed after.
type parsed struct {
	page  *Page // nil when unreadable
	diags Diagnostics
}

// read reads again what the changes touch (everything with ch.All).
func (b *Builder) read(ctx context.Context, ch Changes) {
	src, fsys, all := &b.src, b.opts.FS, ch.All
	if all {
		data, _ := fs.ReadFile(fsys, "site.yaml")
		src.cfg, src.cfgDiags = loadConfig(fsys, b.opts.Checks)
		src.cfgKey = bytesKey(b.seed, data)
		if b.opts.Drafts {
			src.cfgKey.u64(1)
		}
	}
	if all || ch.Rescan {
		src.files, src.scanDiags = scanContent(fsys, src.cfg)
		src.known = make(map[string]bool, len(src.files))
		for _, f := range src.files {
			src.known[f] = true
		}
		for f := range src.parsed { // forget the files that went
			if !src.known[f] {
				delete(src.parsed, f)
			}
		}
	}

	if all || ch.Rescan || ch.Assets {
		src.linkDiags = symlinks(fsys, "content", "assets")
	}

	// Pages: parse the new and changed files, in parallel.
	for _, f := range ch.Content {
		delete(src.parsed, f)
	}
	var todo []string
	for _, f := range src.files {
		if src.parsed[f] == nil {
			todo = append(todo, f)
		}
	}
	done := make([]*parsed, len(todo))
	parallel(len(todo), func(i int) {
		p, d := parseFile(fsys, b.md, todo[i])
		if p != nil && !b.once { // keyed for a Builder used again
			p.key = keyParse(b.seed, p)
		}
		done[i] = &parsed{page: p, diags: d}
	})
	for i, f := range todo {
		src.parsed[f] = done[i]
	}

	if all || ch.Words {
		src.readWords(fsys, b.seed)
	}
	if all || ch.Templates {
		src.tmpl, src.tmplDiags = loadTemplates(fsys)
		src.tmplKey = templatesKey(fsys, b.seed)
	}
	rebundle := src.bundle == nil
	if all || ch.Assets {
		src.bundleAssets(fsys)
		rebundle = true
	}
	if !b.opts.NoWasm && (all || ch.Wasm) {
		src.wasm, src.wasmDiags = compileWasm(ctx, b.opts)
		rebundle = true
	}
	if rebundle {
		src.bundle = src.assets.with(src.wasm)
		src.bundleKey = src.bundle.key(b.seed)
	}
}

// diagnostics are those of every source.
func (src *sources) diagnostics() Diagnostics {
	var all Diagnostics
	for _, d := range []Diagnostics{src.cfgDiags, src.scanDiags, src.linkDiags, src.wordsDiags, src.tmplDiags, src.assetDiags, src.wasmDiags} {
		all = append(all, d...)
	}
	for _, f := range src.files {
		all = append(all, src.parsed[f].diags...)
	}
	return all
}

// readWords reads the interface words and the self-check's and quote
// form's words, and keys each language's.
func (src *sources) readWords(fsys fs.FS, seed maphash.Seed) {
	var d1, d2 Diagnostics
	src.words, src.wordsFiles, d1 = loadWords(fsys, src.cfg)
	src.texts, d2 = loadTexts(fsys, src.cfg)
	src.wordsDiags = append(d1, d2...)
	src.wordsKey = map[string]sum{}
	for lang, w := range src.words {
		h := hasher{seed: seed}
		for _, word := range sortedStrings(sortedKeys(w)) {
			h.str(word)
			h.str(w[word])
		}
		src.wordsKey[lang] = h.sum
	}
	// The self-check's words are keyed by their files, of which they are
	// made (loadTexts).
	src.textsKey = map[string]sum{}
	for _, l := range src.cfg.Languages {
		h := hasher{seed: seed}
		for _, name := range []string{"selfcheck.yaml", "quote.yaml"} {
			data, err := fs.ReadFile(fsys, "content/"+l.Code+"/"+name)
			h.str(name)
			h.bool(err == nil)
			h.u64(maphash.Bytes(seed, data))
		}
		src.textsKey[l.Code] = h.sum
	}
}

// templatesKey keys each layout by the sources it is made of: base,
// partials and the layout.
func templatesKey(fsys fs.FS, seed maphash.Seed) map[string]sum {
	var common sum
	read := func(k *sum, name string) {
		data, _ := fs.ReadFile(fsys, name)
		k.str(seed, name)
		k.u64(uint64(bytesKey(seed, data)))
	}
	read(&common, "templates/base.html")
	partials, _ := fs.Glob(fsys, "templates/partials/*.html")
	for _, p := range partials {
		read(&common, p)
	}
	keys := map[string]sum{}
	layouts, _ := fs.Glob(fsys, "templates/layouts/*.html")
	for _, l := range layouts {
		k := common // the common sources, then the layout's
		read(&k, l)
		keys[strings.TrimSuffix(path.Base(l), ".html")] = k
	}
	return keys
}

// bundleAssets bundles the assets with esbuild's incremental context,
// made again only when the entry points change.
func (src *sources) bundleAssets(fsys fs.FS) {
	bun, entries, diags := scanAssets(fsys)
	if diags == nil && len(entries) > 0 {
		if src.esbuild == nil || !slices.Equal(entries, src.esbEntries) {
			src.close()
			ctx, err := api.Context(esbuildOptions(fsys, entries))
			if err != nil {
				for _, m := range err.Errors {
					diags = append(diags, esbuildDiag(fsys, m))
				}
			} else {
				src.esbuild, src.esbEntries = ctx, entries
			}
		}
		if src.esbuild != nil {
			diags = bun.addBuild(fsys, src.esbuild.Rebuild())
		}
	}
	src.assets, src.assetDiags = bun, diags
}

// close releases esbuild's context.
func (src *sources) close() {
	if src.esbuild != nil {
		src.esbuild.Dispose()
		src.esbuild = nil
	}
}

// compileWasm compiles assess/wasm when the site has it (cached by input
// hash by CompileWasm).
func compileWasm(ctx context.Context, opts Options) (*Wasm, Diagnostics) {
	if _, err := fs.Stat(opts.FS, "assess/wasm"); err != nil {
		return nil, nil
	}
	cache := opts.CacheDir
	if cache == "" {
		cache = opts.Source + "/.cache"
	}
	w, err := CompileWasm(ctx, opts.Source, cache)
	if err != nil {
		return nil, Diagnostics{{File: "assess", Msg: "compiling assess.wasm: " + err.Error(),
			Hint: "run go vet ./assess/... to see the Go error"}}
	}
	return &w, nil
}
