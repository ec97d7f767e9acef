// Package wording keeps out of the content the names and words the site
// has chosen not to use: a list of forbidden forms per language, each
// with the form to write instead. Check reads the pages and words files
// of content/<lang>/ and reports every forbidden form at its line and
// column, with the preferred form as the hint.
//
// It is a leaf beside diag: it reads files and knows nothing of the
// build. The real content is checked by a test in checks/.
package wording

import (
	"bytes"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"kmopsite/diag"
)

// Scope says where in a file a rule applies.
type Scope uint8

const (
	// Everywhere: the whole text of the file, front matter and body.
	Everywhere Scope = iota
	// Titles: a page's front-matter title, its Markdown headings, and
	// the values of "title" keys in a words file.
	Titles
	// PageTitle: a page's front-matter title only.
	PageTitle
)

// A Rule forbids one form in one language's content.
type Rule struct {
	Lang    string         // "nl", "fr", "en"
	Scope   Scope          // where it applies
	File    string         // when set, only this file name (e.g. "vrijstellingen.md")
	Pattern *regexp.Regexp // the forbidden form
	Use     string         // what to write instead: the hint
	Why     string         // optional: why, added to the hint
}

// Rules is the site's list. Patterns use \s+ between words so that a form
// broken over two lines is still found; (?i) where the case does not
// matter.
var Rules = []Rule{
	// English: VLAIO's own English name.
	{Lang: "en", Pattern: regexp.MustCompile(`(?i)\bagency\s+for\s+innovation\b`), Use: "Flanders Innovation & Entrepreneurship (VLAIO)", Why: "VLAIO's own English name"},
	{Lang: "en", Pattern: regexp.MustCompile(`(?i)\bFlemish\s+agency\b`), Use: "Flanders Innovation & Entrepreneurship (VLAIO)", Why: "VLAIO's own English name"},
	{Lang: "en", Pattern: regexp.MustCompile(`(?i)\bFlanders\s+Innovation\s+and\s+Entrepreneurship\b`), Use: "Flanders Innovation & Entrepreneurship", Why: "VLAIO writes its name with an ampersand"},
	{Lang: "en", Pattern: regexp.MustCompile(`(?i)\bSME\s+portfolio\b`), Use: "SME wallet (kmo-portefeuille)", Why: "the name the English pages use"},
	{Lang: "en", Pattern: regexp.MustCompile(`(?i)\baccredited\s+audit\s+bod(?:y|ies)\b`), Use: "audit body appointed by VLAIO", Why: "VLAIO appoints the audit bodies; it does not accredit them"},

	// French: the Belgian names for the Flemish authority and for subsidies.
	{Lang: "fr", Pattern: regexp.MustCompile(`(?i)\bgouvernement\s+flamand\b`), Use: "l'Autorité flamande", Why: "the French name of the Vlaamse overheid"},
	{Lang: "fr", Pattern: regexp.MustCompile(`(?i)\bautorités\s+flamandes\b`), Use: "l'Autorité flamande", Why: "the French name of the Vlaamse overheid, in the singular"},
	{Lang: "fr", Pattern: regexp.MustCompile(`\bautorité\s+flamande\b`), Use: "l'Autorité flamande", Why: "with a capital A: it is the institution's name"},
	{Lang: "fr", Pattern: regexp.MustCompile(`(?i)\bsubventionn\pL*`), Use: "subsidié (subsidier, subsidiable)", Why: "the Belgian word the rest of the site uses"},
	{Lang: "fr", Pattern: regexp.MustCompile(`(?i)\bsubventions?\b`), Use: "subside (or « aide »)", Why: "the Belgian word the rest of the site uses"},
	{Lang: "fr", Pattern: regexp.MustCompile(`(?i)\borganismes?\s+d['’]audit\s+accrédités?\b`), Use: "organisme d'audit désigné par VLAIO", Why: "VLAIO appoints the audit bodies; it does not accredit them"},
	{Lang: "fr", Scope: Titles, Pattern: regexp.MustCompile(`(?i)\bstarters?\b`), Use: "débutant(s), as in « parcours débutants »", Why: "one form for starters in French titles"},

	// Dutch.
	{Lang: "nl", Pattern: regexp.MustCompile(`\bKMO-[Pp]ortefeuille\b`), Use: "kmo-portefeuille (Kmo-portefeuille at the start of a sentence)", Why: "VLAIO's spelling"},
	{Lang: "nl", Pattern: regexp.MustCompile(`(?i)\bAgentschap\s+Innoveren\s+en\s+Ondernemen\b`), Use: "Agentschap Innoveren & Ondernemen", Why: "VLAIO writes its name with an ampersand"},
	{Lang: "nl", Pattern: regexp.MustCompile(`(?i)\bgeaccrediteerde?\s+auditbureaus?\b`), Use: "door VLAIO aangesteld auditbureau", Why: "VLAIO appoints the audit bodies; it does not accredit them"},

	// Every language: the exemptions page's title names no unconfirmed exemption.
	{Lang: "*", Scope: PageTitle, File: "vrijstellingen.md", Pattern: regexp.MustCompile(`\bWSE\b`), Use: "a title without WSE; explain WSE in its own section", Why: "no source confirms a WSE exemption"},
}

// Check reads content/<lang>/ in fsys (the site's root) for every
// language of langs and returns a diagnostic for every forbidden form of
// rules, sorted.
func Check(fsys fs.FS, langs []string, rules []Rule) (diag.Diagnostics, error) {
	var ds diag.Diagnostics
	for _, lang := range langs {
		root := path.Join("content", lang)
		err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !(strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".yaml")) {
				return nil
			}
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			ds = append(ds, CheckFile(diag.Source{Path: p, Data: data}, lang, rules)...)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	ds.Sort()
	return ds, nil
}

// CheckFile returns the forbidden forms of rules for lang in one page
// (.md) or words file (.yaml).
func CheckFile(src diag.Source, lang string, rules []Rule) diag.Diagnostics {
	var ds diag.Diagnostics
	var titles, pageTitle map[int]bool // built on first use
	name := path.Base(src.Path)
	skip := addresses(src.Data)
	for _, r := range rules {
		if (r.Lang != lang && r.Lang != "*") || (r.File != "" && r.File != name) {
			continue
		}
		for _, m := range r.Pattern.FindAllIndex(src.Data, -1) {
			if inside(skip, m[0]) {
				continue
			}
			line, _ := src.Position(m[0])
			switch r.Scope {
			case Titles:
				if titles == nil {
					titles = titleLines(src, true)
				}
				if !titles[line] {
					continue
				}
			case PageTitle:
				if pageTitle == nil {
					pageTitle = titleLines(src, false)
				}
				if !pageTitle[line] {
					continue
				}
			}
			hint := "write " + quote(r.Use)
			if r.Why != "" {
				hint += " (" + r.Why + ")"
			}
			where := ""
			switch r.Scope {
			case Titles:
				where = " in a title"
			case PageTitle:
				where = " in the page's title"
			}
			ds = append(ds, src.AtOffset(m[0], hint, "%s is not used on this site%s", quote(strings.Join(strings.Fields(string(src.Data[m[0]:m[1]])), " ")), where))
		}
	}
	return ds
}

func quote(s string) string { return "\u201c" + s + "\u201d" }

// Addresses are not words: a link's destination, a heading's {#id} and a
// bare URL may hold any form (a file named starters.md, say).
var addressRE = regexp.MustCompile(`\]\([^)\s]*|\{#[^}\s]*\}|\bhttps?://[^\s)>\]]*|\bmailto:[^\s)]*`)

func addresses(data []byte) [][]int { return addressRE.FindAllIndex(data, -1) }

func inside(spans [][]int, off int) bool {
	i := sort.Search(len(spans), func(i int) bool { return spans[i][1] > off })
	return i < len(spans) && spans[i][0] <= off
}

// titleLines returns the lines of src that hold a title: in a page, the
// front matter's title and, with headings, the Markdown headings outside
// fenced code; in a words file, the values of every "title" key.
func titleLines(src diag.Source, withHeadings bool) map[int]bool {
	lines := map[int]bool{}
	data := src.Data
	if !strings.HasSuffix(src.Path, ".md") {
		yamlTitles(data, 0, lines)
		return lines
	}
	firstBody := 1
	if fm, end, ok := frontMatter(data); ok {
		yamlTitles(fm, 1, lines) // the front matter starts on line 2
		firstBody = bytes.Count(data[:end], []byte("\n")) + 1
	}
	if withHeadings {
		headings(data, firstBody, lines)
	}
	return lines
}

// frontMatter returns a page's front matter and the offset where its body
// starts, split as the build splits it (diag.FrontMatter).
func frontMatter(data []byte) (fm []byte, bodyStart int, ok bool) {
	start, end, body, ok := diag.FrontMatter(data)
	if !ok {
		return nil, 0, false
	}
	return data[start:end], body, true
}

// yamlTitles adds the lines of every "title" value in doc, shifted by
// offset lines; a document that does not parse adds nothing (the build
// reports it).
func yamlTitles(doc []byte, offset int, lines map[int]bool) {
	var root yaml.Node
	if yaml.Unmarshal(doc, &root) != nil {
		return
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Value == "title" && v.Kind == yaml.ScalarNode {
					lines[v.Line+offset] = true
					if v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
						// The text is on the lines below the | or >
						// indicator that are indented deeper than the key.
						for l := v.Line + 1; ; l++ {
							t := lineOf(doc, l)
							if t == nil || (len(bytes.TrimSpace(t)) > 0 && indent(t) <= k.Column-1) {
								break
							}
							lines[l+offset] = true
						}
					}
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&root)
}

// lineOf returns line n (1-based) of doc, or nil past its end.
func lineOf(doc []byte, n int) []byte {
	for ; n > 1; n-- {
		i := bytes.IndexByte(doc, '\n')
		if i < 0 {
			return nil
		}
		doc = doc[i+1:]
	}
	if len(doc) == 0 {
		return nil
	}
	if i := bytes.IndexByte(doc, '\n'); i >= 0 {
		doc = doc[:i]
	}
	return doc
}

func indent(line []byte) int { return len(line) - len(bytes.TrimLeft(line, " ")) }

// headings adds the lines of the ATX headings ("# …" to "###### …") of
// data from line first on, skipping fenced code blocks.
func headings(data []byte, first int, lines map[int]bool) {
	fence := ""
	for i, l := range strings.Split(string(data), "\n") {
		n := i + 1
		if n < first {
			continue
		}
		t := strings.TrimLeft(l, " ")
		if len(l)-len(t) > 3 {
			continue // indented code
		}
		if fence != "" {
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = t[:3]
			continue
		}
		hashes := len(t) - len(strings.TrimLeft(t, "#"))
		if hashes >= 1 && hashes <= 6 && (len(t) == hashes || t[hashes] == ' ' || t[hashes] == '\t') {
			lines[n] = true
		}
	}
}

// Langs returns the language folders under content/ in fsys, sorted.
func Langs(fsys fs.FS) ([]string, error) {
	entries, err := fs.ReadDir(fsys, "content")
	if err != nil {
		return nil, err
	}
	var langs []string
	for _, e := range entries {
		if e.IsDir() {
			langs = append(langs, e.Name())
		}
	}
	sort.Strings(langs)
	return langs, nil
}
