package build

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The bounds of a page's description, in characters, that the site's
// checks hold the pages to (checks/, scripts/content-check.sh), the
// editor's guide gives and the CMS's preview warns about.
const (
	DescriptionMin = 110
	DescriptionMax = 160
)

// A Preview is one page rendered from source that is not saved, over the
// last build: what the CMS's preview pane shows while an editor types.
type Preview struct {
	URL  string // the page's address, such as /nl/audit/
	HTML []byte // nil when the page could not be rendered
	// Diagnostics are the page's own: those of its file, with lines in
	// src (front matter, links and anchors, images without alt text or
	// file, the description's length, the layout).
	Diagnostics Diagnostics
	// Stale are the translations that are up to date now and that saving
	// src would make stale: its title, description or text changed.
	Stale    []string
	Duration time.Duration
}

// Preview renders the page of file (content/<lang>/….md) as if the file
// held src, with the last build's config, words, templates, assets and
// every other page. It writes nothing and changes nothing the Builder
// keeps: the page is parsed and the site linked afresh for it, and the
// next Build goes on from the last as if Preview had not run. Like Build,
// it must not run at the same time as another call on the same Builder
// (serve holds one lock for both).
func (b *Builder) Preview(ctx context.Context, file string, src []byte) (*Preview, error) {
	return b.PreviewWith(ctx, file, src, nil)
}

// PreviewWith is Preview with files under assets/ that the page may use
// and the site does not have yet (images uploaded in a draft, by path
// such as assets/img/team.jpg): they count as there for its checks.
func (b *Builder) PreviewWith(ctx context.Context, file string, src []byte, assets map[string][]byte) (*Preview, error) {
	start := time.Now()
	last := &b.src
	if last.cfg == nil || last.bundle == nil {
		return nil, errors.New("the site has not been built yet")
	}
	rest, ok := strings.CutPrefix(file, "content/")
	lang, _, _ := strings.Cut(rest, "/")
	if !ok || !strings.HasSuffix(file, ".md") || last.cfg.Lang(lang) == nil {
		return nil, errors.New(file + " is not a page of the site: pages are content/<language>/….md")
	}
	fsys := overlayFS{FS: b.opts.FS, name: file, data: src}
	pv := &Preview{}
	defer func() { pv.Duration = time.Since(start) }()

	p, diags := parseFile(fsys, b.md, file)
	pv.Diagnostics = append(pv.Diagnostics, diags...)
	if p == nil || p.body == nil {
		return pv, nil
	}
	pv.Diagnostics = append(pv.Diagnostics, descriptionLength(p)...)
	have := last.bundle.files
	if len(assets) > 0 {
		have = maps.Clone(have)
		for name, data := range assets {
			if strings.HasPrefix(name, "assets/") {
				have[name] = data
			}
		}
	}
	pv.Diagnostics = append(pv.Diagnostics, checkAssetRefs([]*Page{p}, have)...)

	// The pages of the last build, with this one in its file's place (or
	// in its sorted place when it is new). Each is a copy, as in Build.
	files := last.files
	if _, found := slices.BinarySearch(files, file); !found {
		files = slices.Clone(files)
		i, _ := slices.BinarySearch(files, file)
		files = slices.Insert(files, i, file)
	}
	sel := selectPages(files, last.parsed, file, p, b.opts)
	i := slices.IndexFunc(sel.pages, func(c *Page) bool { return c.File == file })
	p = sel.pages[i]
	s, diags := linkSite(last.cfg, sel.pages, sel.leftOut, nil)
	textLinks, _ := linkTexts(s, last.texts)
	pv.URL = p.URL
	if old := last.parsed[file]; old != nil && old.page != nil && p.Lang == last.cfg.DefaultLang().Code && p.Hash != old.page.Hash {
		for _, t := range p.Translations {
			if t.Front.SourceHash == old.page.Hash {
				pv.Stale = append(pv.Stale, t.File)
			}
		}
	}
	if last.tmpl == nil {
		diags = append(diags, Diagnostic{File: file, Msg: "the templates have errors: the page cannot be shown until they are mended"})
	} else {
		diags = append(diags, checkLayouts(s, last.tmpl)...)
	}
	for _, d := range diags {
		if d.File == file {
			pv.Diagnostics = append(pv.Diagnostics, d)
		}
	}
	if pv.Diagnostics.Errors() == 0 && ctx.Err() == nil {
		data := pageData(s.cfg, s.inputs(p), last.bundle.assets, last.words[p.Lang], b.opts.Drafts)
		data.Extra, _ = b.extra(&keys{seed: b.seed, src: last}, s, textLinks, p)
		html, d := renderPage(fsys, last.tmpl, p, s.dests[i], data)
		if d != nil {
			pv.Diagnostics = append(pv.Diagnostics, *d)
		}
		pv.HTML = html
	}
	pv.Diagnostics.Sort()
	return pv, ctx.Err()
}

// descriptionLength warns about a description that search results would
// cut or that says too little, at its line.
func descriptionLength(p *Page) Diagnostics {
	desc := strings.TrimSpace(p.Front.Description)
	n := utf8.RuneCountInString(desc)
	if desc == "" || n >= DescriptionMin && n <= DescriptionMax {
		return nil
	}
	line, col := p.frontValue("description")
	msg, hint := "description of %d characters is longer than search results show", "keep it under %d characters: one or two sentences"
	bound := DescriptionMax
	if n < DescriptionMin {
		msg, hint = "description of %d characters is short for search results", "write at least %d characters: what the page offers, in one or two sentences"
		bound = DescriptionMin
	}
	d := p.src.at(line, col, strings.Replace(hint, "%d", strconv.Itoa(bound), 1), msg, n)
	d.Severity = Warning
	return Diagnostics{d}
}

// overlayFS is a file system with one file's content replaced.
type overlayFS struct {
	fs.FS
	name string
	data []byte
}

func (o overlayFS) ReadFile(name string) ([]byte, error) {
	if name == o.name {
		return o.data, nil
	}
	return fs.ReadFile(o.FS, name)
}

func (o overlayFS) Open(name string) (fs.File, error) {
	if name == o.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("overlayFS: read with ReadFile")}
	}
	return o.FS.Open(name)
}
