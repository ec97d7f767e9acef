package build

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Translations reports the translation status of every page as warnings:
// a page of the default language that has no translation in another
// language, and a translation whose source_hash differs from the current
// hash of its source (the source changed after it was translated).
func Translations(r *Result) Diagnostics {
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
	diags := wordsStatus(r.Config, files)
	// A page with errors has a hash of what is broken: say nothing of
	// its translations' status until it is fixed.
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
		if p.Lang != def.Code {
			var src *Page
			for _, t := range p.Translations {
				if t.Lang == def.Code {
					src = t
				}
			}
			if src != nil && (broken[src.File] || broken[p.File]) {
				continue
			}
			if src == nil {
				diags = append(diags, Diagnostic{File: p.File, Severity: Warning,
					Msg:  fmt.Sprintf("no %s page of which this is the translation", def.Name),
					Hint: fmt.Sprintf("add content/%s/%s, or give both pages the same translation_key", def.Code, p.Rel)})
				continue
			}
			line, col := frontKeyPos(p, "source_hash")
			switch p.Front.SourceHash {
			case src.Hash:
			case "":
				diags = append(diags, p.src.at(line, col, fmt.Sprintf("when this translation matches %s, add to its front matter: source_hash: %s", src.File, src.Hash),
					"translation status unknown: no source_hash"))
				diags[len(diags)-1].Severity = Warning
			default:
				diags = append(diags, p.src.at(line, col, fmt.Sprintf("bring the translation up to date with %s, then set source_hash: %s", src.File, src.Hash),
					"stale translation: %s changed after this was translated", src.File))
				diags[len(diags)-1].Severity = Warning
			}
			continue
		}
		have := map[string]bool{}
		for _, t := range p.Translations {
			have[t.Lang] = true
		}
		var missing, drafted []string
		for _, l := range r.Config.Languages[1:] {
			file := fmt.Sprintf("content/%s/%s", l.Code, p.Rel)
			switch {
			case have[l.Code]:
			case drafts[file]:
				drafted = append(drafted, file)
			default:
				missing = append(missing, file)
			}
		}
		sort.Strings(missing)
		sort.Strings(drafted)
		if len(missing) > 0 {
			diags = append(diags, Diagnostic{File: p.File, Severity: Warning,
				Msg:  "missing translation: " + strings.Join(missing, ", "),
				Hint: "run: go run . new " + p.Rel + " (it creates only the missing files, as drafts)"})
		}
		if len(drafted) > 0 {
			diags = append(diags, Diagnostic{File: p.File, Severity: Warning,
				Msg:  "translation not published yet: " + strings.Join(drafted, ", ") + " is a draft",
				Hint: "when the translation is done, remove draft: true from its front matter"})
		}
	}
	diags.Sort()
	return diags
}

// frontKeyPos is the position of a front-matter key, or of the line after
// the front matter's opening when the key is absent.
func frontKeyPos(p *Page, key string) (int, int) {
	if fm, _, ok := splitFrontMatter(p.src.data); ok {
		if l, c := findKey(fm, key); l > 0 {
			return l + 1, c
		}
	}
	return 1, 1
}
