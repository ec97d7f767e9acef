package build

import (
	"errors"
	"io/fs"
	"strings"

	"kmopsite/assess"
	"kmopsite/quote"
	"kmopsite/words"
)

// Texts are the words of the self-check and of the quote form in one
// language, from content/<lang>/selfcheck.yaml and quote.yaml. The build
// fails, naming the id and the language, when a code that assess can
// produce has no words.
type Texts struct {
	Selfcheck *words.Selfcheck
	Quote     *quote.Words
	selfSrc   source
}

// SelfcheckData is what the selfcheck and quote layouts get as .Extra.
type SelfcheckData struct {
	Words     *words.Selfcheck
	Quote     *quote.Words
	Questions []assess.Question
	// Links are the words' links resolved to URLs in the page's language,
	// by dotted key: "blockers.no_theme" → "/nl/erkend-dienstverlener/#voorwaarden".
	Links map[string]string
	// Endpoint is where the quote form posts; Privacy the privacy page's URL.
	Endpoint, Privacy string
}

// loadTexts reads the self-check's and the quote form's words of every
// language. A site without assess/ has no self-check and needs none.
func loadTexts(fsys fs.FS, cfg *Config) (map[string]*Texts, Diagnostics) {
	if _, err := fs.Stat(fsys, "assess"); err != nil {
		return nil, nil
	}
	all := map[string]*Texts{}
	var diags Diagnostics
	for _, l := range cfg.Languages {
		t := &Texts{}
		file := "content/" + l.Code + "/selfcheck.yaml"
		if data, err := fs.ReadFile(fsys, file); err != nil {
			diags = append(diags, Diagnostic{File: file, Msg: "missing: the words of the self-check in " + l.Name,
				Hint: "copy content/" + cfg.DefaultLang().Code + "/selfcheck.yaml and translate its values"})
		} else {
			t.selfSrc = source{path: file, data: data}
			w, err := words.Parse(data)
			diags = append(diags, wordsDiags(t.selfSrc, err)...)
			t.Selfcheck = w
			for _, key := range words.Missing(w) {
				line, col := w.Pos(key)
				diags = append(diags, t.selfSrc.at(line, col, "add the words for "+key+" (see content/"+cfg.DefaultLang().Code+"/selfcheck.yaml)",
					"no words for %s in %s", key, l.Name))
			}
		}
		file = "content/" + l.Code + "/quote.yaml"
		if data, err := fs.ReadFile(fsys, file); err != nil {
			diags = append(diags, Diagnostic{File: file, Msg: "missing: the words of the quote form in " + l.Name,
				Hint: "copy content/" + cfg.DefaultLang().Code + "/quote.yaml and translate its values"})
		} else {
			src := source{path: file, data: data}
			w, err := quote.DecodeWords(data)
			diags = append(diags, wordsDiags(src, err)...)
			if w != nil {
				t.Quote = w
				for _, key := range quote.MissingWords(w, langCodes(cfg)) {
					line, col := w.Pos(key)
					diags = append(diags, src.at(line, col, "add the words for "+key+" (see content/"+cfg.DefaultLang().Code+"/quote.yaml)",
						"no words for %s in %s", key, l.Name))
				}
			}
		}
		all[l.Code] = t
	}
	return all, diags
}

// wordsDiags turns the errors of a words file into diagnostics.
func wordsDiags(src source, err error) Diagnostics {
	if err == nil {
		return nil
	}
	var es words.Errors
	if !errors.As(err, &es) {
		return Diagnostics{{File: src.path, Msg: err.Error()}}
	}
	var diags Diagnostics
	for _, e := range es {
		diags = append(diags, src.at(e.Line, e.Col, e.Hint, "%s", e.Msg))
	}
	return diags
}

// linkTexts resolves the links written in the self-check's words to URLs
// in each language, and reports those whose page or heading is missing.
func linkTexts(s *site, texts map[string]*Texts) (map[string]map[string]string, Diagnostics) {
	urls := map[string]map[string]string{}
	var diags Diagnostics
	for lang, t := range texts {
		if t.Selfcheck == nil {
			continue
		}
		urls[lang] = map[string]string{}
		for _, l := range words.Links(t.Selfcheck) {
			file, anchor, _ := strings.Cut(l.Target, "#")
			target := s.byRel[lang][file]
			if target == nil {
				diags = append(diags, t.selfSrc.at(l.Line, l.Col, s.suggestFile(lang, file),
					"link to %s, which does not exist in content/%s/", file, lang))
				continue
			}
			url := target.URL
			if anchor != "" {
				if !target.ids[anchor] {
					diags = append(diags, t.selfSrc.at(l.Line, l.Col, anchorHint(target, anchor),
						"link to #%s, but %s has no heading with that id", anchor, target.File))
					continue
				}
				url += "#" + anchor
			}
			urls[lang][l.Section+"."+l.ID] = url
		}
	}
	return urls, diags
}

// selfcheckData is the .Extra of the selfcheck and quote layouts.
func selfcheckData(s *site, p *Page, texts map[string]*Texts, links map[string]map[string]string) *SelfcheckData {
	t := texts[p.Lang]
	if t == nil {
		return nil
	}
	d := &SelfcheckData{Words: t.Selfcheck, Quote: t.Quote, Questions: assess.Questions(),
		Links: links[p.Lang], Endpoint: s.cfg.Quote.Endpoint}
	if priv := s.byRel[p.Lang]["privacy.md"]; priv != nil {
		d.Privacy = priv.URL
	}
	return d
}
