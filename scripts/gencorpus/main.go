// Command gencorpus writes a trilingual Markdown corpus for make bench: the
// same pages, with headings, lists, tables and links between pages, as a
// kmopsite site and as a Hugo site with minimal, comparable layouts (one
// layout per page with the title, the description, the canonical URL, the
// hreflang alternates and the body; no menus).
//
//	go run ./scripts/gencorpus -pages 1000 -out /tmp/corpus
//
// writes /tmp/corpus/kmopsite and /tmp/corpus/hugo. -pages counts every
// page of every language, section index pages included. The output
// depends only on the flags.
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

var langs = []struct {
	code, name, locale string
	section, part      string // words of the headings
	words              []string
}{
	{"nl", "Nederlands", "nl-BE", "Rubriek", "Onderdeel", strings.Fields(
		"de audit van een erkend dienstverlener toetst de KMOP-norm op integriteit kennis ervaring activiteit en klanttevredenheid met een verslag en een score per eis binnen de kmo-portefeuille van VLAIO voor opleiding en advies aan ondernemingen in Vlaanderen")},
	{"fr", "Français", "fr-BE", "Rubrique", "Partie", strings.Fields(
		"l'audit d'un prestataire agréé vérifie la norme KMOP sur l'intégrité les connaissances l'expérience l'activité et la satisfaction des clients avec un rapport et une note par exigence dans le portefeuille PME de VLAIO pour la formation et le conseil aux entreprises en Flandre")},
	{"en", "English", "en", "Section", "Part", strings.Fields(
		"the audit of a registered provider tests the KMOP standard on integrity knowledge experience activity and customer satisfaction with a report and a score per requirement within the SME wallet of VLAIO for training and advice to businesses in Flanders")},
}

const perSection = 50 // pages per section, besides its _index.md

func main() {
	pages := flag.Int("pages", 100, "pages in all languages together")
	out := flag.String("out", "corpus", "the folder to write kmopsite/ and hugo/ into")
	flag.Parse()
	if *pages < len(langs)*2 {
		fmt.Fprintln(os.Stderr, "gencorpus: -pages must be at least", len(langs)*2)
		os.Exit(2)
	}
	if err := generate(*pages, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
}

// page is one page of one language; the same rel in every language.
type page struct {
	rel     string // sectie-3/pagina-17.md, sectie-3/_index.md, _index.md
	section int    // 0: the home
	n       int    // number within the section; 0 for an index
}

func generate(total int, out string) error {
	perLang := total / len(langs)
	// The home, then sections of perSection pages plus their index.
	list := []page{{rel: "_index.md"}}
	for s := 1; len(list) < perLang; s++ {
		list = append(list, page{rel: fmt.Sprintf("sectie-%d/_index.md", s), section: s})
		for n := 1; n <= perSection && len(list) < perLang; n++ {
			list = append(list, page{rel: fmt.Sprintf("sectie-%d/pagina-%d.md", s, n), section: s, n: n})
		}
	}
	k := filepath.Join(out, "kmopsite")
	h := filepath.Join(out, "hugo")
	for _, dir := range []string{k, h} {
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	}
	files := map[string]string{}
	for _, l := range langs {
		rng := rand.New(rand.NewPCG(uint64(len(list)), uint64(len(l.code))))
		for _, p := range list {
			body := markdown(rng, l.code, list, p)
			title, desc := titleOf(l.code, p), description(rng, l.code)
			front := fmt.Sprintf("---\ntitle: %q\ndescription: %q\nweight: %d\n---\n", title, desc, p.n)
			files["kmopsite/content/"+l.code+"/"+p.rel] = front + body
			files["hugo/content/"+l.code+"/"+p.rel] = front + body
		}
		files["kmopsite/content/"+l.code+"/interface.yaml"] = interfaceWords
	}
	for name, data := range kmopsiteSite() {
		files["kmopsite/"+name] = data
	}
	for name, data := range hugoSite() {
		files["hugo/"+name] = data
	}
	for name, data := range files {
		p := filepath.Join(out, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func titleOf(lang string, p page) string {
	l := langOf(lang)
	switch {
	case p.section == 0:
		return "KMOP " + l.name
	case p.n == 0:
		return fmt.Sprintf("%s %d", l.section, p.section)
	}
	return fmt.Sprintf("%s %d.%d", l.section, p.section, p.n)
}

func langOf(code string) *struct {
	code, name, locale string
	section, part      string
	words              []string
} {
	for i := range langs {
		if langs[i].code == code {
			return &langs[i]
		}
	}
	panic(code)
}

func sentence(rng *rand.Rand, words []string, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = words[rng.IntN(len(words))]
	}
	s := strings.Join(w, " ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func description(rng *rand.Rand, lang string) string {
	return sentence(rng, langOf(lang).words, 20)
}

// markdown is a page's body: five parts, each a heading, a paragraph with
// a link to another page (and its part), a list; a table in the middle.
func markdown(rng *rand.Rand, lang string, list []page, p page) string {
	l := langOf(lang)
	var b strings.Builder
	dir := filepath.ToSlash(filepath.Dir(p.rel))
	for part := 1; part <= 5; part++ {
		fmt.Fprintf(&b, "\n## %s %d\n\n", l.part, part)
		for range 3 {
			b.WriteString(sentence(rng, l.words, 12+rng.IntN(10)))
			b.WriteByte(' ')
		}
		target := list[rng.IntN(len(list))]
		fmt.Fprintf(&b, "See [%s](%s#%s).\n\n", titleOf(lang, target), relLink(dir, target.rel),
			strings.ToLower(l.part)+"-"+fmt.Sprint(1+rng.IntN(5)))
		for range 4 {
			fmt.Fprintf(&b, "- %s\n", sentence(rng, l.words, 6+rng.IntN(6)))
		}
		if part == 3 {
			b.WriteString("\n| Eis | Score | Opmerking |\n|:----|:-----:|----------:|\n")
			for _, s := range []string{"B", "G", "T", "V"} {
				fmt.Fprintf(&b, "| %s | %s | %s |\n", sentence(rng, l.words, 2), s, sentence(rng, l.words, 4))
			}
		}
	}
	return b.String()
}

// relLink is the Markdown link from a page in folder dir to file rel.
func relLink(dir, rel string) string {
	if dir == "." {
		return rel
	}
	return "../" + rel
}

const interfaceWords = `skip_link: Skip
nav_label: Menu
menu: Menu
breadcrumbs_label: Breadcrumbs
home: Home
language_label: Language
reviewed: Reviewed
published: Published
toc_title: Contents
news_feed: Feed
read_more: More
contact_heading: Contact
phone: Phone
email: Email
not_found_title: Not found
not_found_text: Not found.
draft_banner: Draft
scheduled_banner: "Scheduled"
months: a b c d e f g h i j k l
choose_language: Language
page_list_label: Pages
selfcheck_cta: Self-check
quote_cta: Quote
footer_note: Bench.
footer_nav_label: More
`

func kmopsiteSite() map[string]string {
	var y strings.Builder
	y.WriteString("base_url: https://example.be/\ntitle: Bench\nlanguages:\n")
	for _, l := range langs {
		fmt.Fprintf(&y, "  - code: %s\n    name: %s\n    locale: %s\n", l.code, l.name, l.locale)
	}
	page := `{{define "main"}}<h1>{{.Page.Title}}</h1>
{{.Content}}{{end}}
`
	list := `{{define "main"}}<h1>{{.Page.Title}}</h1>
{{.Content}}<ul>{{range .Pages}}<li><a href="{{.URL}}">{{.Title}}</a></li>{{end}}</ul>
{{end}}
`
	return map[string]string{
		"site.yaml": y.String(),
		"templates/base.html": `<!doctype html>
<html lang="{{.Lang.Locale}}">
<head>
<meta charset="utf-8">
<title>{{.Page.Title}}</title>
<meta name="description" content="{{.Page.Front.Description}}">
<link rel="canonical" href="{{.Canonical}}">
{{range .Alternates}}<link rel="alternate" hreflang="{{.HrefLang}}" href="{{.URL}}">
{{end}}</head>
<body>
<main data-pagefind-body>
{{template "main" .}}
</main>
</body>
</html>
`,
		"templates/layouts/page.html":    page,
		"templates/layouts/home.html":    list,
		"templates/layouts/section.html": list,
	}
}

func hugoSite() map[string]string {
	var c strings.Builder
	c.WriteString(`baseURL = "https://example.be/"
title = "Bench"
defaultContentLanguage = "nl"
defaultContentLanguageInSubdir = true
disableKinds = ["taxonomy", "term", "RSS"]
[markup.goldmark.parser.attribute]
  block = true
  title = true
[languages]
`)
	for i, l := range langs {
		fmt.Fprintf(&c, "  [languages.%s]\n    languageName = %q\n    languageCode = %q\n    contentDir = \"content/%s\"\n    weight = %d\n",
			l.code, l.name, l.locale, l.code, i+1)
	}
	head := `<!doctype html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<title>{{ .Title }}</title>
<meta name="description" content="{{ .Description }}">
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Site.LanguageCode }}" href="{{ .Permalink }}">
{{ end }}{{ with (index (where .AllTranslations "Language.Lang" "nl") 0) }}<link rel="alternate" hreflang="x-default" href="{{ .Permalink }}">
{{ end }}</head>
<body>
<main>
`
	return map[string]string{
		"config.toml": c.String(),
		"layouts/_default/single.html": head + `<h1>{{ .Title }}</h1>
{{ .Content }}
</main>
</body>
</html>
`,
		"layouts/_default/list.html": head + `<h1>{{ .Title }}</h1>
{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</main>
</body>
</html>
`,
		// Links to Markdown files become the pages' addresses, as kmopsite
		// does: the same Markdown for both tools.
		"layouts/_default/_markup/render-link.html": `{{- $u := urls.Parse .Destination -}}
{{- if and (not $u.IsAbs) (strings.HasSuffix $u.Path ".md") -}}
{{- with .Page.GetPage $u.Path -}}<a href="{{ .RelPermalink }}{{ with $u.Fragment }}#{{ . }}{{ end }}">{{ $.Text | safeHTML }}</a>
{{- else -}}{{ errorf "%s: no page %s" $.Page.File.Path $u.Path }}{{- end -}}
{{- else -}}<a href="{{ .Destination | safeURL }}">{{ .Text | safeHTML }}</a>{{- end -}}`,
	}
}
