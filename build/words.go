package build

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"reflect"
	"slices"
	"sort"
	"strings"

	"kmopsite/assess"
	"kmopsite/diag"
	"kmopsite/settings"
	"kmopsite/words"
)

// The load step of the words: every words file an editor writes
// (content/<lang>/interface.yaml, selfcheck.yaml, quote.yaml) is decoded
// here, strictly, by diag.DecodeYAML into the plain types of this package
// (InterfaceWords) and of package words, then checked: ids and codes that assess
// does not know, placeholders a text does not take, words that are
// missing.

// InterfaceWords are the interface words of one language, from
// content/<lang>/interface.yaml: the words of the templates (skip link,
// menu, breadcrumbs, footer, 404 page, month names).
type InterfaceWords map[string]string

// requiredWords are the keys every language's interface.yaml must have.
var requiredWords = []string{
	"skip_link", "nav_label", "menu", "breadcrumbs_label", "home", "language_label",
	"reviewed", "published", "toc_title", "news_feed", "read_more", "contact_heading",
	"phone", "email", "not_found_title", "not_found_text", "draft_banner", "scheduled_banner", "months",
	"choose_language", "page_list_label", "selfcheck_cta", "quote_cta", "footer_note", "footer_nav_label",
}

// estimateWords are the words a site with an estimate: section needs: the
// range of a standard audit on the home and audit pages.
var estimateWords = []string{"estimate_standard", "estimate_note"}

// T returns the word for key, or the key itself in brackets so that a
// missing word shows on the page instead of breaking it.
func (w InterfaceWords) T(key string) string {
	if v, ok := w[key]; ok {
		return v
	}
	return "[" + key + "]"
}

// sourceHashKey is the key, in a translated words file, of the hash of
// the default language's file it was translated from.
const sourceHashKey = "source_hash"

// A WordsFile is a words file as read, for positions and for the
// translation status that `check` reports.
type WordsFile struct {
	Lang, Name string // "fr", "quote.yaml"
	src        source
	doc        *diag.Doc
	// Hash is the hash of the file's words (not of its comments or
	// layout); SourceHash is the one the file records, from its source.
	Hash, SourceHash string
	broken           bool // it has errors: its hash would be a broken file's
}

// at makes an error at the key of the file at path (dotted), or at its
// nearest written parent.
func (f *WordsFile) at(path, hint, format string, args ...any) Diagnostic {
	return f.src.atOffset(f.doc.Key(path), hint, format, args...)
}

// valueAt makes an error at the value of the key at path.
func (f *WordsFile) valueAt(path, hint, format string, args ...any) Diagnostic {
	return f.src.atOffset(f.doc.Value(path), hint, format, args...)
}

// readWordsFile reads and decodes content/<lang>/<name> into out, which
// holds a SourceHash field or is an InterfaceWords map. It returns nil when the file
// is missing, with a diagnostic saying how to start it.
func readWordsFile(fsys fs.FS, cfg *settings.Site, l settings.Language, name, what string, out any) (*WordsFile, Diagnostics) {
	file := "content/" + l.Code + "/" + name
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, Diagnostics{{File: file, Msg: "missing: the words of " + what + " in " + l.Name, Hint: copyHint(cfg, l, name)}}
	}
	return decodeWordsFile(file, l.Code, name, data, out)
}

// decodeWordsFile decodes the words file at file (content/<lang>/<name>),
// of text data, into out, and hashes its words.
func decodeWordsFile(file, lang, name string, data []byte, out any) (*WordsFile, Diagnostics) {
	f := &WordsFile{Lang: lang, Name: name, src: source{path: file, data: data}}
	var diags Diagnostics
	f.doc, diags = diag.DecodeYAML(f.src.diag(), 0, len(data), out)
	// The hash is of the words alone, without the recorded hash: a
	// translator's edit of source_hash must not change it.
	var recorded reflect.Value // the SourceHash field of a words type
	if m, ok := out.(*InterfaceWords); ok {
		f.SourceHash = (*m)[sourceHashKey]
		delete(*m, sourceHashKey) // not a word of the interface
	} else {
		recorded = reflect.ValueOf(out).Elem().FieldByName("SourceHash")
		f.SourceHash = recorded.String()
		recorded.SetString("")
	}
	b, _ := json.Marshal(out) // sorted map keys: the same words give the same bytes
	sum := sha256.Sum256(b)
	f.Hash = hex.EncodeToString(sum[:6])
	if recorded.IsValid() {
		recorded.SetString(f.SourceHash)
	}
	f.broken = diags.Errors() > 0
	return f, diags
}

// WordsHash is the hash of the words in data, the text of a words file
// named name (interface.yaml, selfcheck.yaml or quote.yaml), that check
// compares with a translation's source_hash: the CMS records it when a
// translation is saved. ok is false for another name or a file with
// errors (check says nothing of a broken file's status).
func WordsHash(name string, data []byte) (hash string, ok bool) {
	var out any
	switch name {
	case "interface.yaml":
		out = &InterfaceWords{}
	case "selfcheck.yaml":
		out = &words.Selfcheck{}
	case "quote.yaml":
		out = &words.Quote{}
	default:
		return "", false
	}
	f, _ := decodeWordsFile(name, "", name, data, out)
	return f.Hash, !f.broken
}

// loadWords reads content/<lang>/interface.yaml for every language.
func loadWords(fsys fs.FS, cfg *settings.Site) (map[string]InterfaceWords, []*WordsFile, Diagnostics) {
	all := map[string]InterfaceWords{}
	var files []*WordsFile
	var diags Diagnostics
	for _, l := range cfg.Languages {
		w := InterfaceWords{}
		f, ds := readWordsFile(fsys, cfg, l, "interface.yaml", "the interface", &w)
		diags = append(diags, ds...)
		if f == nil {
			continue
		}
		files = append(files, f)
		var missing []string
		required := requiredWords
		if cfg.Estimate != nil {
			required = append(slices.Clip(required), estimateWords...)
		}
		for _, k := range required {
			if strings.TrimSpace(w[k]) == "" {
				missing = append(missing, k)
			}
		}
		if cfg.CMS != nil { // the live editor's sign-in speaks the site's languages
			for k := range words.SignInKeys {
				if strings.TrimSpace(w[words.SignInPrefix+k]) == "" {
					missing = append(missing, words.SignInPrefix+k)
				}
			}
		}
		diags = append(diags, checkSignIn(f, w)...)
		sort.Strings(missing)
		if len(missing) > 0 && !diag.SyntaxError(ds) {
			diags = append(diags, Diagnostic{File: f.src.path, Msg: "no words for: " + strings.Join(missing, ", "),
				Hint: "add a line \"key: words\" for each, as in content/" + cfg.DefaultLang().Code + "/interface.yaml"})
		}
		all[l.Code] = w
	}
	return all, files, diags
}

// checkSignIn reports a placeholder that a sign-in text cannot fill in,
// and a sign-in key that is none of the sign-in's texts.
func checkSignIn(f *WordsFile, w InterfaceWords) Diagnostics {
	var diags Diagnostics
	known := make([]string, 0, len(words.SignInKeys))
	for k := range words.SignInKeys {
		known = append(known, words.SignInPrefix+k)
	}
	sort.Strings(known)
	for _, key := range sortedKeys(w) {
		k, ok := strings.CutPrefix(key, words.SignInPrefix)
		if !ok {
			continue
		}
		vars, ok := words.SignInKeys[k]
		if !ok {
			diags = append(diags, f.at(key, didYouMean(key, known), "unknown sign-in text %q", key))
			continue
		}
		for _, name := range words.Placeholders(w[key]) {
			if name != vars || vars == "" {
				diags = append(diags, f.valueAt(key, placesHint(vars), "%s: unknown placeholder {%s}", key, name))
			}
		}
	}
	return diags
}

// loadTexts reads the self-check's and the quote form's words of every
// language. A site without assess/ has no self-check and needs none.
func loadTexts(fsys fs.FS, cfg *settings.Site) (map[string]*Texts, Diagnostics) {
	if _, err := fs.Stat(fsys, "assess"); err != nil {
		return nil, nil
	}
	all := map[string]*Texts{}
	var diags Diagnostics
	see := func(name string) string {
		return " (see content/" + cfg.DefaultLang().Code + "/" + name + ")"
	}
	for _, l := range cfg.Languages {
		t := &Texts{Selfcheck: &words.Selfcheck{}, Quote: &words.Quote{}}
		f, ds := readWordsFile(fsys, cfg, l, "selfcheck.yaml", "the self-check", t.Selfcheck)
		diags = append(diags, ds...)
		if f != nil {
			t.selfcheck = f
			more := checkSelfcheck(f, t.Selfcheck)
			diags = append(diags, more...)
			// After a mistake in the file, what seems missing is mostly
			// what could not be read: report the mistakes alone.
			if len(ds)+len(more) == 0 {
				for _, key := range words.Missing(t.Selfcheck) {
					diags = append(diags, f.at(key, "add the words for "+key+see("selfcheck.yaml"), "no words for %s in %s", key, l.Name))
				}
			}
			f.broken = f.broken || more.Errors() > 0
		}
		f, ds = readWordsFile(fsys, cfg, l, "quote.yaml", "the quote form", t.Quote)
		diags = append(diags, ds...)
		if f != nil {
			t.quote = f
			more := checkPlaceholders(f, reflect.ValueOf(*t.Quote), "", "")
			diags = append(diags, more...)
			if len(ds)+len(more) == 0 {
				for _, key := range missingQuote(t.Quote, langCodes(cfg)) {
					diags = append(diags, f.at(key, "add the words for "+key+see("quote.yaml"), "no words for %s in %s", key, l.Name))
				}
			}
			f.broken = f.broken || more.Errors() > 0
		}
		all[l.Code] = t
	}
	return all, diags
}

// LoadTexts reads and checks the self-check's and quote form's words of
// every language of the site in fsys, as the build does; for the
// generator of the Worker's copy.
func LoadTexts(fsys fs.FS) (*settings.Site, map[string]*Texts, Diagnostics) {
	cfg, diags := loadConfig(fsys, nil)
	texts, more := loadTexts(fsys, cfg)
	diags = append(diags, more...)
	diags.Sort()
	return cfg, texts, diags
}

// copyHint says how to start a missing words file.
func copyHint(cfg *settings.Site, l settings.Language, name string) string {
	if l.Code == cfg.DefaultLang().Code {
		return "restore it from the site's history, or copy another language's " + name + " and write its values in " + l.Name
	}
	return "copy content/" + cfg.DefaultLang().Code + "/" + name + " and translate its values"
}

// checkSelfcheck reports the keys of selfcheck.yaml that assess does not
// know: questions, their fields for the question's kind, choices, codes,
// statuses.
func checkSelfcheck(f *WordsFile, w *words.Selfcheck) Diagnostics {
	var diags Diagnostics
	unknown := func(path, what, key string, known []string) {
		hint := diag.DidYouMean(key, known)
		if hint == "" {
			hint = "the known ones are " + strings.Join(known, ", ")
		}
		diags = append(diags, f.at(path, hint, "unknown %s %q", what, key))
	}
	ids := words.QuestionIDs()
	for _, id := range sortedKeys(w.Questions) {
		key := "questions." + id
		q, ok := assess.Lookup(assess.QuestionID(id))
		if !ok {
			unknown(key, "question", id, ids)
			delete(w.Questions, id)
			continue
		}
		fields := []string{"text", "help", "error"}
		if q.Kind == assess.MultiChoice || q.Kind == assess.Readiness || q.Kind == assess.Choice {
			fields = append(fields, "choices")
		}
		if q.None {
			fields = append(fields, "none")
		}
		for _, fl := range []string{"choices", "none"} {
			if f.doc.Has(key+"."+fl) && !slices.Contains(fields, fl) {
				unknown(key+"."+fl, "field of "+key+" ("+q.Kind.String()+" question)", fl, fields)
			}
		}
		if !slices.Contains(fields, "choices") {
			continue // reported above
		}
		for _, c := range sortedKeys(w.Questions[id].Choices) {
			if !slices.Contains(q.Choices, c) {
				unknown(key+".choices."+c, "choice of "+key, c, q.Choices)
			}
		}
	}
	for _, s := range words.Sections()[2:] {
		codes := s.Codes()
		if s.Name == "statuses" {
			for _, c := range sortedKeys(w.Statuses) {
				if !slices.Contains(codes, c) {
					unknown("statuses."+c, "status", c, codes)
				}
			}
			continue
		}
		for _, c := range sortedKeys(w.Entries(s.Name)) {
			if !slices.Contains(codes, c) {
				unknown(s.Name+"."+c, strings.TrimSuffix(s.Name, "s")+" code", c, codes)
			}
		}
	}
	return diags
}

// checkPlaceholders reports the placeholders of the texts of v (the quote
// words, or a part of them at path) that the text does not take. vars
// are the placeholders of the enclosing field: a field's `vars` tag covers
// the texts below it.
func checkPlaceholders(f *WordsFile, v reflect.Value, path, vars string) Diagnostics {
	var diags Diagnostics
	switch v.Kind() {
	case reflect.String:
		for _, name := range words.Placeholders(v.String()) {
			if !slices.Contains(strings.Split(vars, ","), name) || name == "" {
				diags = append(diags, f.valueAt(path, placesHint(vars), "%s: unknown placeholder {%s}", path, name))
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			key := diag.KeyName(t.Field(i))
			if key == "" || key == sourceHashKey {
				continue
			}
			fv := t.Field(i).Tag.Get("vars")
			if fv == "" {
				fv = vars
			}
			diags = append(diags, checkPlaceholders(f, v.Field(i), joinKey(path, key), fv)...)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			diags = append(diags, checkPlaceholders(f, v.MapIndex(k), joinKey(path, k.String()), vars)...)
		}
	}
	return diags
}

func placesHint(vars string) string {
	if vars == "" {
		return "this text takes no placeholders"
	}
	return "this text takes {" + strings.ReplaceAll(vars, ",", "}, {") + "}"
}

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// missingQuote lists the keys of w that have no text, as dotted paths
// ("mail.audit.subject", "fields.email.errors.invalid", "languages.fr"):
// every text of the form and the mails but the optional help texts, the
// message of every code the server can answer for a field
// (words.FieldCodes), and the name of each of langs.
func missingQuote(w *words.Quote, langs []string) []string {
	var missing []string
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.String:
			if strings.TrimSpace(v.String()) == "" {
				missing = append(missing, path)
			}
		case reflect.Struct:
			t := v.Type()
			for i := range t.NumField() {
				key := diag.KeyName(t.Field(i))
				if key == "" || key == sourceHashKey || t.Field(i).Type == reflect.TypeFor[words.ErrorsWords]() || t.Field(i).Tag.Get("optional") != "" {
					continue // errors: only the codes that can happen, below
				}
				walk(v.Field(i), joinKey(path, key))
			}
		}
	}
	walk(reflect.ValueOf(*w), "")
	for _, fc := range words.FieldCodes() {
		if w.Fields.ErrorText(fc.Field, fc.Code) == "" {
			missing = append(missing, "fields."+strings.TrimPrefix(fc.Field, "contact.")+".errors."+fc.Code)
		}
	}
	for _, l := range langs {
		if strings.TrimSpace(w.Languages[l]) == "" {
			missing = append(missing, "languages."+l)
		}
	}
	sort.Strings(missing)
	return missing
}

// wordsStatus is the translation status of the words files: a
// translated file whose source_hash is not the hash of the default
// language's file (def) is stale. Nothing is said of a file whose source,
// or which itself, has errors: the hash would be of a broken file.
func wordsStatus(def string, files []*WordsFile) []TranslationStatus {
	sources := map[string]*WordsFile{}
	for _, f := range files {
		if f.Lang == def {
			sources[f.Name] = f
		}
	}
	var out []TranslationStatus
	for _, f := range files {
		src := sources[f.Name]
		if f.Lang == def || src == nil || src.broken || f.broken {
			continue
		}
		out = append(out, TranslationStatus{File: f.src.path, Lang: f.Lang, Source: src.src.path, Hash: src.Hash,
			State: hashState(f.SourceHash, src.Hash), words: f})
	}
	return out
}
