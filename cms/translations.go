package cms

import (
	"bytes"
	"context"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"kmopsite/build"
	"kmopsite/settings"
	"kmopsite/yamledit"
)

// recordSourceHashes sets source_hash on each translation whose
// translated text changed in this save, to the hash of its source as it
// is after the save: for a page, its title, description and body (what
// build.PageHash covers); for a words file (interface.yaml,
// selfcheck.yaml, quote.yaml), its words (build.WordsHash). A save of the
// default language's page, which Decap sends with every language's file,
// leaves the unchanged translations as they were: they stay stale until
// someone translates them.
func (b *Backend) recordSourceHashes(files []composed, old func(string) ([]byte, error)) error {
	cfg, _ := settings.Read(b.root.FS())
	def := cfg.DefaultLang().Code
	saved := map[string][]byte{}
	for _, c := range files {
		saved[c.path] = c.data
	}
	for i, c := range files {
		lang, rel, kind := translationPath(c.path)
		if kind == nil || lang == def || cfg.Lang(lang) == nil {
			continue
		}
		before, _ := kind.hash(rel, c.old)
		after, ok := kind.hash(rel, c.data)
		if !ok || c.old != nil && before == after {
			continue
		}
		if c.old == nil && !translated(c.data) {
			continue // a new page's empty translation, made with the source: missing, not current
		}
		var src []byte
		if kind == pageFile {
			src = b.sourcePage(def, rel, c.data, saved, old)
		} else {
			src = savedOrOld("content/"+def+"/"+rel, saved, old)
		}
		if src == nil {
			continue // no source: check says so
		}
		hash, ok := kind.hash(rel, src)
		if !ok {
			continue
		}
		data, err := kind.set(c.path, c.data, "source_hash", hash)
		if err != nil {
			return err
		}
		files[i].data = data
		files[i].changed = c.old == nil || string(c.old) != string(data)
	}
	return nil
}

// tieSources gives a translation's source the key the translation names.
// The "translation of" field (config.go) stores the chosen post's file
// name as translation_key; a page of the first language pairs with it
// only when it has the same key. So when a translation in this save has a
// key, and the first language's page of that file name in the same folder
// has no key, the save writes the key into that page too, its other bytes
// as they were.
func (b *Backend) tieSources(files []composed, old func(string) ([]byte, error)) ([]composed, error) {
	cfg, _ := settings.Read(b.root.FS())
	def := cfg.DefaultLang().Code
	saved := map[string][]byte{}
	for _, c := range files {
		saved[c.path] = c.data
	}
	for _, c := range files {
		lang, rel, kind := translationPath(c.path)
		if kind != pageFile || lang == def || cfg.Lang(lang) == nil {
			continue
		}
		key := translationKey(c.data)
		if key == "" || strings.ContainsAny(key, "/\\") || strings.HasPrefix(key, ".") {
			continue
		}
		src := path.Join("content", def, path.Dir(rel), key+".md")
		if allowed(src, writeFile) != nil || !isPage(src) {
			continue
		}
		data := savedOrOld(src, saved, old)
		if data == nil || translationKey(data) != "" {
			continue
		}
		tied, err := setFrontKey(src, data, "translation_key", key)
		if err != nil {
			return nil, err
		}
		saved[src] = tied
		if i := slices.IndexFunc(files, func(f composed) bool { return f.path == src }); i >= 0 {
			files[i].data, files[i].changed = tied, true
			continue
		}
		files = append(files, composed{path: src, data: tied, old: data, changed: true})
	}
	return files, nil
}

// savedOrOld is the file at p as this save leaves it: from the save, or
// as it was (old), or nil.
func savedOrOld(p string, saved map[string][]byte, old func(string) ([]byte, error)) []byte {
	if data, ok := saved[p]; ok {
		return data
	}
	data, err := old(p)
	if err != nil {
		return nil
	}
	return data
}

// sourcePage is the default language's page that the translation at
// content/<lang>/<rel>, of text data, translates, paired as build pairs
// pages (build.PairKey: the same translation_key, or else the same
// file): the pages of this save first (Decap sends every language's file
// together), then the others of the default language. nil when none.
func (b *Backend) sourcePage(def, rel string, data []byte, saved map[string][]byte, old func(string) ([]byte, error)) []byte {
	key := build.PairKey(rel, translationKey(data))
	folder := "content/" + def + "/"
	paths := []string{folder + rel} // the same file: the pair when neither has a key
	for p := range saved {
		if strings.HasPrefix(p, folder) {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths[1:])
	if strings.HasPrefix(key, "key:") {
		fs.WalkDir(b.root.FS(), strings.TrimSuffix(folder, "/"), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
				if _, ok := saved[p]; !ok {
					paths = append(paths, p)
				}
			}
			return nil
		})
	}
	for _, p := range paths {
		src := savedOrOld(p, saved, old)
		if src == nil || !strings.HasSuffix(p, ".md") {
			continue
		}
		if build.PairKey(strings.TrimPrefix(p, folder), translationKey(src)) == key {
			return src
		}
	}
	return nil
}

// translationKey is a page's translation_key, or "".
func translationKey(data []byte) string {
	pg, ok := splitPage(data)
	if !ok {
		return ""
	}
	var front struct {
		TranslationKey string `yaml:"translation_key"`
	}
	yaml.Unmarshal(pg.yaml, &front)
	return strings.TrimSpace(front.TranslationKey)
}

// A translatable is a kind of file that records the hash of its source.
type translatable struct {
	hash func(rel string, data []byte) (string, bool)                      // the hash of what is translated
	set  func(name string, data []byte, key, value string) ([]byte, error) // sets a top-level key
}

var (
	pageFile = &translatable{
		hash: func(_ string, data []byte) (string, bool) { return build.SourceHash(data) },
		set:  setFrontKey,
	}
	wordsFile = &translatable{hash: build.WordsHash, set: setWordsKey}
)

// translationPath splits content/<lang>/<rel> and says what kind of
// translatable file it is: a page, a words file, or nil.
func translationPath(p string) (lang, rel string, kind *translatable) {
	if lang, rel, ok := pagePath(p); ok {
		return lang, rel, pageFile
	}
	rest, ok := strings.CutPrefix(p, "content/")
	if !ok {
		return "", "", nil
	}
	lang, rel, ok = strings.Cut(rest, "/")
	if !ok || !wordsFiles[rel] {
		return "", "", nil
	}
	return lang, rel, wordsFile
}

// pagePath splits content/<lang>/<rel>.md.
func pagePath(p string) (lang, rel string, ok bool) {
	rest, ok := strings.CutPrefix(p, "content/")
	if !ok || !strings.HasSuffix(p, ".md") {
		return "", "", false
	}
	lang, rel, ok = strings.Cut(rest, "/")
	return lang, rel, ok
}

// setFrontKey sets one front-matter key, editing only its line.
func setFrontKey(name string, data []byte, key, value string) ([]byte, error) {
	pg, ok := splitPage(data)
	if !ok {
		return data, nil
	}
	fm, err := yamledit.Set(pg.yaml, key, value)
	if err != nil {
		return nil, yamlRefusal(name, err)
	}
	pg.yaml = fm
	return pg.bytes(), nil
}

// setWordsKey sets one top-level key of a words file, editing only its
// line.
func setWordsKey(name string, data []byte, key, value string) ([]byte, error) {
	out, err := yamledit.Set(data, key, value)
	if err != nil {
		return nil, yamlRefusal(name, err)
	}
	return out, nil
}

// PageStatus is one page in every language, for the translation list.
type PageStatus struct {
	Page  string            `json:"page"`  // the default language's file, content/nl/audit.md
	Title string            `json:"title"` // its title
	Langs map[string]string `json:"langs"` // language → "source", "up to date", "stale", "unknown", "missing", "draft"
}

// TranslationStatus lists every page's status per language, from
// build.Translations (the same verdicts as kmopsite check).
func (b *Backend) TranslationStatus(ctx context.Context) []PageStatus {
	r := build.Run(ctx, build.Options{FS: b.root.FS(), Source: b.dir, Drafts: true, NoWasm: true})
	if r.Config == nil {
		return nil
	}
	def := r.Config.DefaultLang().Code
	verdict := map[string]string{}
	missing := map[string][]string{}
	byKey := map[string]*PageStatus{}
	var out []*PageStatus
	for _, s := range build.TranslationStatuses(r) {
		if _, rel, kind := translationPath(s.File); kind == wordsFile && s.Source != "" {
			// A words file: one row per file, by its path.
			row := byKey[s.Source]
			if row == nil {
				row = &PageStatus{Page: s.Source, Title: rel, Langs: map[string]string{def: "source"}}
				byKey[s.Source] = row
				out = append(out, row)
			}
			row.Langs[s.Lang] = stateName(s.State)
			continue
		}
		switch s.State {
		case build.Stale:
			verdict[s.File] = "stale"
		case build.Unrecorded:
			verdict[s.File] = "unknown"
		case build.Missing:
			missing[s.File] = append(missing[s.File], s.Langs...)
		case build.NoSource:
			verdict[s.File] = "no source"
		}
	}
	for _, p := range r.Pages {
		key := p.File
		if p.Lang != def {
			for _, t := range p.Translations {
				if t.Lang == def {
					key = t.File
				}
			}
		}
		s := byKey[key]
		if s == nil {
			s = &PageStatus{Page: key, Langs: map[string]string{}}
			byKey[key] = s
			out = append(out, s)
		}
		st := verdict[p.File]
		switch {
		case p.Front.Draft:
			st = "draft"
		case p.Lang == def:
			st, s.Title = "source", p.Front.Title
		case st == "":
			st = "up to date"
		}
		s.Langs[p.Lang] = st
		for _, l := range missing[p.File] {
			s.Langs[l] = "missing"
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Page < out[j].Page })
	res := make([]PageStatus, len(out))
	for i, s := range out {
		res[i] = *s
	}
	return res
}

// stateName is a state as the translations page and its JSON name it.
func stateName(s build.TranslationState) string {
	switch s {
	case build.UpToDate:
		return "up to date"
	case build.Stale:
		return "stale"
	case build.Unrecorded:
		return "unknown"
	case build.Missing:
		return "missing"
	case build.NoSource:
		return "no source"
	}
	return "draft"
}

// translated reports whether a page has a title and a body: a translation
// that Decap creates empty along with a new page has neither.
func translated(data []byte) bool {
	pg, ok := splitPage(data)
	if !ok || len(bytes.TrimSpace(pg.body)) == 0 {
		return false
	}
	var front struct {
		Title string `yaml:"title"`
	}
	return yaml.Unmarshal(pg.yaml, &front) == nil && strings.TrimSpace(front.Title) != ""
}
