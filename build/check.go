package build

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"kmopsite/settings"
)

// TranslationState is where a file stands against the default language:
// the states of a translation, and two of a source page's that it lacks.
type TranslationState uint8

const (
	// UpToDate: the translation records its source's current hash.
	UpToDate TranslationState = iota
	// Stale: the source changed after the translation recorded its hash.
	Stale
	// Unrecorded: the translation records no source_hash, so its status
	// is unknown.
	Unrecorded
	// NoSource: a page with no page of the default language of which it
	// is the translation.
	NoSource
	// Missing: a page of the default language that some languages lack
	// (Langs, Files).
	Missing
	// Unpublished: a page of the default language whose translation in
	// some languages (Langs, Files) is still a draft.
	Unpublished
)

// A TranslationStatus is the translation status of one file, a page or
// a words file, as data: check formats it (Diagnostic), the CMS lists it.
type TranslationStatus struct {
	File   string // the file it is about: the translation, or for Missing and Unpublished the source
	Lang   string // File's language
	State  TranslationState
	Source string   // the default language's file; "" for NoSource
	Hash   string   // the source's current hash, which source_hash records when up to date
	Langs  []string // Missing, Unpublished: the languages' codes, sorted
	Files  []string // Missing, Unpublished: their files

	page    *Page      // File, when a page
	words   *WordsFile // File, when a words file
	defLang *settings.Language
}

// TranslationStatuses is the translation status of every page and words
// file of r, by file: every translation's state against its source, and
// every default-language page's missing and unpublished translations.
// Nothing is said of a file when it or its source has errors: its hash
// would be a broken file's.
func TranslationStatuses(r *Result) []TranslationStatus {
	if r.Config == nil {
		return nil
	}
	def := r.Config.DefaultLang()
	files := slices.Clone(r.WordsFiles)
	for _, lang := range sortedKeys(r.Texts) {
		t := r.Texts[lang]
		for _, f := range []*WordsFile{t.selfcheck, t.quote} {
			if f != nil {
				files = append(files, f)
			}
		}
	}
	out := wordsStatus(def.Code, files)
	broken := map[string]bool{}
	for _, d := range r.Diagnostics {
		if d.Severity == Error {
			broken[d.File] = true
		}
	}
	drafts := map[string]bool{}
	for _, f := range r.Drafts {
		drafts[f] = true
	}
	for _, p := range r.Pages {
		st := TranslationStatus{File: p.File, Lang: p.Lang, page: p, defLang: def}
		if p.Lang != def.Code {
			var src *Page
			for _, t := range p.Translations {
				if t.Lang == def.Code {
					src = t
				}
			}
			switch {
			case src == nil:
				st.State = NoSource
			case broken[src.File] || broken[p.File]:
				continue
			default:
				st.Source, st.Hash = src.File, src.Hash
				st.State = hashState(p.Front.SourceHash, src.Hash)
			}
			out = append(out, st)
			continue
		}
		have := map[string]bool{}
		for _, t := range p.Translations {
			have[t.Lang] = true
		}
		missing, drafted := st, st
		missing.State, drafted.State = Missing, Unpublished
		for _, l := range r.Config.Languages[1:] {
			file := fmt.Sprintf("content/%s/%s", l.Code, p.Rel)
			switch {
			case have[l.Code]:
			case drafts[file]:
				drafted.Langs = append(drafted.Langs, l.Code)
			default:
				missing.Langs = append(missing.Langs, l.Code)
			}
		}
		for _, s := range []TranslationStatus{missing, drafted} {
			if len(s.Langs) > 0 {
				sort.Strings(s.Langs)
				for _, l := range s.Langs {
					s.Files = append(s.Files, fmt.Sprintf("content/%s/%s", l, p.Rel))
				}
				out = append(out, s)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out
}

// hashState compares the hash a translation records with its source's.
func hashState(recorded, source string) TranslationState {
	switch recorded {
	case source:
		return UpToDate
	case "":
		return Unrecorded
	}
	return Stale
}

// Translations reports the translation status of every page and words
// file as warnings (TranslationStatuses, formatted), sorted.
func Translations(r *Result) Diagnostics {
	var diags Diagnostics
	for _, s := range TranslationStatuses(r) {
		if d, ok := s.Diagnostic(); ok {
			diags = append(diags, d)
		}
	}
	diags.Sort()
	return diags
}

// Diagnostic is the warning check prints for the status, with what to do;
// ok is false when the file is up to date.
func (s TranslationStatus) Diagnostic() (d Diagnostic, ok bool) {
	at := func(hint, format string, args ...any) Diagnostic {
		var d Diagnostic
		switch {
		case s.words != nil:
			d = s.words.at(sourceHashKey, hint, format, args...)
		case s.page != nil:
			line, col := s.page.frontKey(sourceHashKey)
			d = s.page.src.at(line, col, hint, format, args...)
		}
		return d
	}
	switch s.State {
	case UpToDate:
		return Diagnostic{}, false
	case NoSource:
		d = Diagnostic{File: s.File,
			Msg:  fmt.Sprintf("no %s page of which this is the translation", s.defLang.Name),
			Hint: fmt.Sprintf("add content/%s/%s, or give both pages the same translation_key", s.defLang.Code, s.page.Rel)}
	case Unrecorded:
		if s.words != nil {
			d = at(fmt.Sprintf("when this translation matches %s, add the line %s: %s", s.Source, sourceHashKey, s.Hash),
				"translation status unknown: no %s", sourceHashKey)
		} else {
			d = at(fmt.Sprintf("when this translation matches %s, add to its front matter: %s: %s", s.Source, sourceHashKey, s.Hash),
				"translation status unknown: no %s", sourceHashKey)
		}
	case Stale:
		if s.words != nil {
			d = at(fmt.Sprintf("translate what changed in %s (git log -p %[1]s shows it), then set %s: %s", s.Source, sourceHashKey, s.Hash),
				"stale translation: %s changed after this was translated", s.Source)
		} else {
			d = at(fmt.Sprintf("bring the translation up to date with %s, then set %s: %s", s.Source, sourceHashKey, s.Hash),
				"stale translation: %s changed after this was translated", s.Source)
		}
	case Missing:
		d = Diagnostic{File: s.File, Msg: "missing translation: " + strings.Join(s.Files, ", "),
			Hint: "run: go run . new " + s.page.Rel + " (it creates only the missing files, as drafts)"}
	case Unpublished:
		d = Diagnostic{File: s.File, Msg: "translation not published yet: " + strings.Join(s.Files, ", ") + " is a draft",
			Hint: "when the translation is done, remove draft: true from its front matter"}
	}
	d.Severity = Warning
	return d, true
}
