package build

import "hash/maphash"

// keys are the hashes of what each output of one build is made of. A
// page's rendering is keyed by its layout's templates, its Markdown's
// inputs (its source and the destinations of its links: contentKey) and
// what its layout's data is made of (pageData's inputs), written into the
// hash field by field. Other pages reach a template only as views
// (PageView), which hold values only, each keyed by all its fields
// (viewKey). So a template cannot show anything of another page that the
// key does not cover; TestKeys fails when a field is added to pageInputs
// or a view and not here.
type keys struct {
	seed  maphash.Seed
	src   *sources
	views map[*PageView]sum // the key of every page's view
}

// indexViews makes the keys of the views of s known by view, for layout.
func (k *keys) indexViews(s *site) {
	k.views = make(map[*PageView]sum, len(s.pages))
	for i, p := range s.pages {
		k.views[s.views[p]] = s.viewKeys[i]
	}
}

func (k *keys) hasher() hasher { return hasher{seed: k.seed} }

// global is the key of what every layout reads: the config, the words of
// every language, the templates and the assets.
func (k *keys) global() sum {
	h := k.hasher()
	h.u64(uint64(k.src.cfgKey))
	h.u64(uint64(k.src.bundleKey))
	for _, lang := range sortedKeys(k.src.wordsKey) {
		h.str(lang)
		h.u64(uint64(k.src.wordsKey[lang]))
	}
	for _, layout := range sortedKeys(k.src.tmplKey) {
		h.str(layout)
		h.u64(uint64(k.src.tmplKey[layout]))
	}
	return h.sum
}

// page is the key of a page's rendering: the key of its layout's inputs,
// of its Extra and of its Markdown with its links' destinations (the
// link step's contentKey).
func (k *keys) page(layout, extra, content sum) sum {
	h := k.hasher()
	h.u64(uint64(layout))
	h.u64(uint64(extra))
	h.u64(uint64(content))
	return h.sum
}

// layout starts the key of a rendering: the layout's templates and what
// pageData makes the layout's data of: the config (Site, Lang, the site's
// title, the addresses; the config's key counts serve's drafts too), the
// language's words (W), the bundle (Assets) and the inputs, field by field.
func (k *keys) layout(in *pageInputs, layout string) hasher {
	h := k.hasher()
	if k.src != nil {
		h.u64(uint64(k.src.tmplKey[layout]))
		h.u64(uint64(k.src.cfgKey))
		h.u64(uint64(k.src.wordsKey[in.Page.Lang]))
		h.u64(uint64(k.src.bundleKey))
	}
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

// view is the key of a view: the link step's are keyed once, when made.
func (k *keys) view(v *PageView) sum {
	if v == nil {
		return 0
	}
	if key, ok := k.views[v]; ok {
		return key
	}
	return viewKey(k.seed, v) // a page made for the occasion (a 404 page)
}

// viewKey writes every field of a view into a key.
func viewKey(seed maphash.Seed, v *PageView) sum {
	h := hasher{seed: seed}
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

// selfcheck is the key of the self-check's data of a page. The words and
// everything arranged from them (the questionnaire's pages, the result's
// entries but their links, the form's fields) are keyed by the language's
// words files, of which they are made; what comes from the site is
// written in.
func (k *keys) selfcheck(lang string, d *SelfcheckData) sum {
	h := k.hasher()
	if d == nil {
		return h.sum
	}
	if k.src != nil {
		h.u64(uint64(k.src.textsKey[lang])) // Words, Quote, Questions, Pages, Total, Kinds, the entries, Statuses, Form, Consent…
	}
	links := sortedKeys(d.Links)
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
// translations (by index of pages).
func (k *keys) sitemapEntry(s *site, i int) sum {
	return k.pageWith(s, i, s.placed.translations[i])
}

// feed is the key of a news section's feed: the section and its pages.
func (k *keys) feed(s *site, i int) sum {
	return k.pageWith(s, i, s.placed.children[i])
}

// pageWith is the key of what the config, page i's view and the views of
// the pages others make.
func (k *keys) pageWith(s *site, i int, others []int) sum {
	h := k.hasher()
	h.u64(uint64(k.src.cfgKey))
	h.u64(uint64(s.viewKeys[i]))
	for _, j := range others {
		h.u64(uint64(s.viewKeys[j]))
	}
	return h.sum
}
