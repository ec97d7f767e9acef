package build

import (
	"hash/maphash"
	"math/bits"
	"sort"
)

// The memo: the results of the build's steps, each kept beside the step
// with the inputs it was made from, as esbuild's internal/cache keeps
// parsed files. A step is a function of its inputs; when a build asks a
// memo for a result whose inputs are those of the last build, it gets the
// last build's result, else the step runs. A kept result is never
// changed: it is shared by every build that has the same inputs.

// memo keeps one result and the key of its inputs.
type memo[K comparable, T any] struct {
	key K
	val T
	ok  bool
}

// get returns the kept result when key is its key, else makes it and keeps
// it. A nil memo keeps nothing.
func (m *memo[K, T]) get(key K, make func() T) T {
	if m == nil {
		return make()
	}
	if m.ok && m.key == key {
		return m.val
	}
	*m = memo[K, T]{key, make(), true}
	return m.val
}

// pageMemo keeps one result per page of the last build, by index, with
// the inputs it was made from. align takes a build's pages: the entries of
// the pages that were there move to their new index, so that get compares
// the inputs of the same page. get may be called for different pages at
// the same time.
type pageMemo[K comparable, T any] struct {
	files   []string // the pages the entries are of
	entries []memo[K, T]
}

func (m *pageMemo[K, T]) align(pages []*Page) {
	same := len(m.files) == len(pages)
	for i := 0; same && i < len(pages); i++ {
		same = m.files[i] == pages[i].File
	}
	if same {
		return
	}
	old := make(map[string]memo[K, T], len(m.files))
	for i, f := range m.files {
		old[f] = m.entries[i]
	}
	m.files, m.entries = make([]string, len(pages)), make([]memo[K, T], len(pages))
	for i, p := range pages {
		m.files[i], m.entries[i] = p.File, old[p.File]
	}
}

func (m *pageMemo[K, T]) get(i int, key K, make func() T) T {
	if m == nil {
		return make()
	}
	return m.entries[i].get(key, make)
}

// linkMemo keeps what linkSite made: the places of the pages, their views
// and their resolved links.
type linkMemo struct {
	hashSeed maphash.Seed
	cfg      sum // the key of the config, set by the Builder
	places   memo[sum, *places]
	views    pageMemo[viewInputs, keyedView]
	links    pageMemo[linkInputs, resolved]
}

// viewInputs are what a page's view is made of (newView): its parse, its
// URL, its layout and whether it is scheduled.
type viewInputs struct {
	body        *body
	url, layout string
	scheduled   bool
}

type keyedView struct {
	view *PageView
	key  sum // viewKey
}

// linkInputs are what a page's resolved links are made of: its parse and
// what they resolve against in the other pages (linkEnv).
type linkInputs struct {
	body *body
	env  sum
}

type resolved struct {
	dests   Dests
	diags   Diagnostics
	content sum // contentKey
}

func (m *linkMemo) align(pages []*Page) {
	if m != nil {
		m.views.align(pages)
		m.links.align(pages)
	}
}

func (m *linkMemo) place(pages []*Page, make func() *places) *places {
	if m == nil {
		return make()
	}
	// Places are made of the config and each page's file and front matter.
	k := m.cfg
	for _, p := range pages {
		k.u64(uint64(p.key.front))
	}
	return m.places.get(k, make)
}

func (m *linkMemo) view(i int, in viewInputs, make func() keyedView) keyedView {
	if m == nil {
		return make()
	}
	return m.views.get(i, in, make)
}

func (m *linkMemo) link(i int, in linkInputs, make func() resolved) resolved {
	if m == nil {
		return make()
	}
	return m.links.get(i, in, make)
}

// viewKey is the key of a view (0 without a memo, which keys nothing).
func (m *linkMemo) viewKey(v *PageView) sum {
	if m == nil {
		return 0
	}
	return viewKey(m.hashSeed, v)
}

// linkEnv is the key of what the links of a page resolve against in the
// other pages: their places, front matter (drafts, dates), heading ids and
// schedule, and the pages left out of the build.
func (m *linkMemo) linkEnv(s *site) sum {
	if m == nil {
		return 0
	}
	h := hasher{seed: m.hashSeed}
	h.u64(uint64(m.places.key))
	for _, p := range s.pages {
		h.u64(uint64(p.key.ids))
		h.bool(p.Scheduled)
	}
	left := sortedStrings(sortedKeys(s.leftOut))
	for _, f := range left {
		h.str(f)
		h.str(s.leftOut[f].String())
	}
	return h.sum
}

// contentKey is the key of a page's Markdown with its links' destinations:
// what renderPage makes its Content of.
func (m *linkMemo) contentKey(p *Page, dests Dests) sum {
	if m == nil {
		return 0
	}
	h := hasher{seed: m.hashSeed}
	h.u64(uint64(p.key.src))
	for i := range p.links {
		dest, ok := dests[i]
		h.bool(ok)
		h.str(dest)
	}
	return h.sum
}

// parseKeys are the keys of what was parsed of a page, for the memo: the
// whole file, its file name with its front matter, and its heading ids.
type parseKeys struct {
	src, front, ids sum
}

// keyParse keys a parsed page.
func keyParse(seed maphash.Seed, p *Page) parseKeys {
	var k parseKeys
	k.src.u64(maphash.Bytes(seed, p.src.data))
	k.front.str(seed, p.File)
	k.front.u64(maphash.Bytes(seed, p.src.data[:p.bodyOffset]))
	ids := sortedStrings(sortedKeys(p.ids))
	for _, id := range ids {
		k.ids.str(seed, id)
	}
	k.ids.u64(uint64(len(ids)))
	return k
}

// hasher writes values into a key.
type hasher struct {
	seed maphash.Seed
	sum  sum
}

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

func bytesKey(seed maphash.Seed, data []byte) sum {
	var s sum
	s.u64(maphash.Bytes(seed, data))
	return s
}

func sortedStrings(s []string) []string {
	sort.Strings(s)
	return s
}
