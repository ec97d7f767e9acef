package build

import (
	"io/fs"
	"sort"
	"strings"
)

// Words are the interface words of one language, from
// content/<lang>/interface.yaml: the words of the templates (skip link,
// menu, breadcrumbs, footer, 404 page, month names).
type Words map[string]string

// requiredWords are the keys every language's interface.yaml must have.
var requiredWords = []string{
	"skip_link", "nav_label", "menu", "breadcrumbs_label", "home", "language_label",
	"reviewed", "published", "toc_title", "news_feed", "read_more", "contact_heading",
	"phone", "email", "not_found_title", "not_found_text", "draft_banner", "months",
	"choose_language", "page_list_label", "selfcheck_cta", "quote_cta", "footer_note", "footer_nav_label",
}

// T returns the word for key, or the key itself in brackets so that a
// missing word shows on the page instead of breaking it.
func (w Words) T(key string) string {
	if v, ok := w[key]; ok {
		return v
	}
	return "[" + key + "]"
}

// loadWords reads content/<lang>/interface.yaml for every language.
func loadWords(fsys fs.FS, cfg *Config) (map[string]Words, Diagnostics) {
	all := map[string]Words{}
	var diags Diagnostics
	for _, l := range cfg.Languages {
		file := "content/" + l.Code + "/interface.yaml"
		data, err := fs.ReadFile(fsys, file)
		if err != nil {
			diags = append(diags, Diagnostic{File: file, Msg: "missing: the words of the interface in " + l.Name,
				Hint: "copy content/" + cfg.DefaultLang().Code + "/interface.yaml and translate its values"})
			continue
		}
		var w Words
		src := source{path: file, data: data}
		diags = append(diags, decodeStrict(src, data, 0, &w)...)
		var missing []string
		for _, k := range requiredWords {
			if strings.TrimSpace(w[k]) == "" {
				missing = append(missing, k)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			diags = append(diags, Diagnostic{File: file, Msg: "no words for: " + strings.Join(missing, ", "),
				Hint: "add a line \"key: words\" for each, as in content/" + cfg.DefaultLang().Code + "/interface.yaml"})
		}
		all[l.Code] = w
	}
	return all, diags
}
