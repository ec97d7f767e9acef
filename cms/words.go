package cms

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"reflect"
	"strings"

	"kmopsite/build"
	"kmopsite/diag"
	"kmopsite/settings"
)

// The editor's own words (labels and hints of the fields, the preview's
// messages, the translations page, the gate's refusals) are content, like
// the site's: content/<lang>/cms.yaml, in the language of the editor's
// interface (EditorLang). Decap's own interface is in that language too
// (its locale).

// WordsFile is the file of the editor's words in each language folder.
const WordsFile = "cms.yaml"

// EditorLang is the language of the editor's interface: site.yaml's
// cms.locale, else the site's first language.
func EditorLang(cfg *settings.Site) string {
	if cfg.CMS != nil && cfg.CMS.Locale != "" && cfg.Lang(cfg.CMS.Locale) != nil {
		return cfg.CMS.Locale
	}
	return cfg.DefaultLang().Code
}

// Label is a field's label and hint.
type Label struct {
	Label string `yaml:"label" json:"label"`
	Hint  string `yaml:"hint" json:"hint"`
}

// EditorWords are the editor's words in one language.
type EditorWords struct {
	Title       string `yaml:"title" json:"title"` // of /admin/
	Collections struct {
		Pages            string `yaml:"pages"`
		PagesSingular    string `yaml:"pages_singular"`
		PagesDescription string `yaml:"pages_description"`
		Section          string `yaml:"section"` // {section} ({language})
		SectionSingular  string `yaml:"section_singular"`
		NewsSingular     string `yaml:"news_singular"`
		NewsDescription  string `yaml:"news_description"` // {language}
		Words            string `yaml:"words"`
		WordsDescription string `yaml:"words_description"`
		WordsFile        string `yaml:"words_file"` // {file} ({language})
		Site             string `yaml:"site"`
		SiteDescription  string `yaml:"site_description"`
		SiteFile         string `yaml:"site_file"`
	} `yaml:"collections" json:"-"`
	// Fields are the page's fields by front-matter key, with body (the
	// text) and translation_of (the source of a translation).
	Fields map[string]Label `yaml:"fields" json:"-"`
	// Site are the fields of site.yaml's editable part.
	Site map[string]Label `yaml:"site" json:"-"`
	// WordsFiles labels the words files and says how their keys read.
	WordsFiles struct {
		Interface string `yaml:"interface"`
		Selfcheck string `yaml:"selfcheck"`
		Quote     string `yaml:"quote"`
		Source    string `yaml:"source"` // a translation's hint: {text} in the default language
		Shown     string `yaml:"shown"`  // the default language's hint
	} `yaml:"words_files" json:"-"`
	Editor  map[string]string `yaml:"editor" json:"editor"`   // editor.js: the image component
	Preview map[string]string `yaml:"preview" json:"preview"` // preview.js
	// Translations is the page /admin/translations.
	Translations struct {
		Title  string            `yaml:"title"`
		Intro  string            `yaml:"intro"` // {language}: the default language's name
		Page   string            `yaml:"page"`
		States map[string]string `yaml:"states"`
	} `yaml:"translations" json:"-"`
	// Gate are the refusals of a save or a publication with errors.
	Gate struct {
		NotSaved     string `yaml:"not_saved"`
		NotPublished string `yaml:"not_published"`
		Draft        string `yaml:"draft"`
		Errors       string `yaml:"errors"` // {n}
		Mend         string `yaml:"mend"`
		Live         string `yaml:"live"`
		More         string `yaml:"more"` // {n}
		Line         string `yaml:"line"` // {n}
		Paragraph    string `yaml:"paragraph"`
	} `yaml:"gate" json:"-"`
}

// The keys every Fields, Site, Editor, Preview and States must have.
var (
	wordsSiteKeys    = []string{"languages", "language", "menu", "footer", "page", "link_title", "contact", "organisation", "phone", "email", "address"}
	wordsEditorKeys  = []string{"image", "alt", "alt_hint", "image_title", "no_alt"}
	wordsPreviewKeys = []string{"frame_title", "failed", "busy", "ok", "mend_one", "mend_many", "check", "stale_one", "stale_many", "field", "line", "hint", "error", "warning", "page_title"}
	wordsStateKeys   = []string{"source", "up to date", "stale", "unknown", "missing", "draft", "no source"}
)

// LoadWords reads the editor's words of lang, checked: unknown keys,
// missing words and a field of build.FrontMatter without a label are
// errors, at their place.
func LoadWords(fsys fs.FS, lang string) (*EditorWords, build.Diagnostics) {
	file := "content/" + lang + "/" + WordsFile
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, build.Diagnostics{{File: file, Msg: "the editor's words are missing: " + err.Error(),
			Hint: "copy content/nl/" + WordsFile + " and translate it"}}
	}
	w := &EditorWords{}
	src := diag.Source{Path: file, Data: data}
	doc, diags := diag.DecodeYAML(src, 0, len(data), w)
	if diag.SyntaxError(diags) {
		return nil, diags
	}
	at := func(path, format string, args ...any) {
		diags = append(diags, src.AtOffset(doc.Key(path), "add it, as in content/nl/"+WordsFile, format, args...))
	}
	need := func(section string, m map[string]Label, keys []string) {
		for _, k := range keys {
			if l := m[k]; strings.TrimSpace(l.Label) == "" {
				at(section, "no label for %s in %s", k, section)
			}
		}
	}
	need("fields", w.Fields, append(frontKeys(), "body", "translation_of"))
	need("site", w.Site, wordsSiteKeys)
	for section, m := range map[string]map[string]string{"editor": w.Editor, "preview": w.Preview, "translations.states": w.Translations.States} {
		keys := map[string][]string{"editor": wordsEditorKeys, "preview": wordsPreviewKeys, "translations.states": wordsStateKeys}[section]
		for _, k := range keys {
			if strings.TrimSpace(m[k]) == "" {
				at(section, "no words for %s in %s", k, section)
			}
		}
	}
	// Every text of the structs.
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i), strings.TrimPrefix(path+"."+diag.KeyName(v.Type().Field(i)), "."))
			}
		case reflect.String:
			if strings.TrimSpace(v.String()) == "" {
				at(path, "no words for %s", path)
			}
		}
	}
	walk(reflect.ValueOf(w).Elem(), "")
	diags.Sort()
	return w, diags
}

// frontKeys are the keys of build.FrontMatter the editor shows.
func frontKeys() []string {
	var out []string
	t := reflect.TypeFor[build.FrontMatter]()
	for i := range t.NumField() {
		k := diag.KeyName(t.Field(i))
		if k != "" && !managedFields[k] {
			out = append(out, k)
		}
	}
	return out
}

// fill replaces {name} in s by its value.
func fill(s string, kv ...string) string {
	for i := 0; i+1 < len(kv); i += 2 {
		s = strings.ReplaceAll(s, "{"+kv[i]+"}", kv[i+1])
	}
	return s
}

// scriptWords is what editor.js and preview.js read: the editor's and
// the preview's words, as JSON.
func (w *EditorWords) scriptWords() string {
	b, _ := json.Marshal(struct {
		Editor  map[string]string `json:"editor"`
		Preview map[string]string `json:"preview"`
	}{w.Editor, w.Preview})
	return string(b)
}

// editorWords reads the words of the editor's language of the site in
// fsys, or says why it cannot.
func editorWords(fsys fs.FS) (*EditorWords, error) {
	cfg, diags := settings.Read(fsys)
	if diags.Errors() > 0 {
		return nil, fmt.Errorf("site.yaml has errors; run kmopsite check:\n%s", diags.Format(5))
	}
	w, diags := LoadWords(fsys, EditorLang(cfg))
	if diags.Errors() > 0 {
		return nil, fmt.Errorf("the editor's words have errors; run kmopsite check:\n%s", diags.Format(5))
	}
	return w, nil
}
