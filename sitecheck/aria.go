package sitecheck

import (
	"maps"
	"slices"
	"strings"
)

// The ARIA check: every role is a role of WAI-ARIA, every aria-* attribute
// is one of its attributes, and an attribute that only some roles take is
// on an element that has one of them, by its role attribute or by its
// implicit role. axe-core does not catch all of these (it let an
// aria-labelledby on a role-less <div> through).
//
// The tables hold what the site's pages can use, not all of ARIA. Their
// sources:
//
//   - WAI-ARIA 1.2, https://www.w3.org/TR/wai-aria-1.2/: §5.4 "Definition
//     of Roles" (the roles, and which are abstract), §5.2.8.6 "Roles which
//     cannot be named (Name prohibited)", §6.6 "Global States and
//     Properties" and §6.7 "Definitions of States and Properties" (each
//     attribute's "Used in Roles" and "Inherits into Roles");
//   - ARIA in HTML, https://www.w3.org/TR/html-aria/, §4 "Document
//     conformance requirements for use of ARIA attributes in HTML": each
//     element's implicit role, and the elements on which naming is
//     prohibited, as in its test page
//     https://w3c.github.io/html-aria/tests/prohibit-names.html.

// roles are WAI-ARIA 1.2's concrete roles, with the Graphics module's
// (graphics-document is the implicit role of <svg>) and the Digital
// Publishing module's (DPUB-ARIA 1.1, https://www.w3.org/TR/dpub-aria-1.1/:
// goldmark marks footnotes with doc-noteref, doc-endnotes, doc-backlink).
var roles = setOf(`alert alertdialog application article banner blockquote button caption cell
checkbox code columnheader combobox complementary contentinfo definition deletion dialog document
emphasis feed figure form generic grid gridcell group heading img insertion link list listbox
listitem log main marquee math menu menubar menuitem menuitemcheckbox menuitemradio meter
navigation none note option paragraph presentation progressbar radio radiogroup region row
rowgroup rowheader scrollbar search searchbox separator slider spinbutton status strong subscript
superscript switch tab table tablist tabpanel term textbox time timer toolbar tooltip tree
treegrid treeitem graphics-document graphics-object graphics-symbol
doc-abstract doc-acknowledgments doc-afterword doc-appendix doc-backlink doc-biblioentry
doc-bibliography doc-biblioref doc-chapter doc-colophon doc-conclusion doc-cover doc-credit
doc-credits doc-dedication doc-endnote doc-endnotes doc-epigraph doc-epilogue doc-errata
doc-example doc-footnote doc-foreword doc-glossary doc-glossref doc-index doc-introduction
doc-noteref doc-notice doc-pagebreak doc-pagefooter doc-pageheader doc-pagelist doc-part
doc-preface doc-prologue doc-pullquote doc-qna doc-subtitle doc-tip doc-toc`)

// abstractRoles are the ontology's building blocks: "Authors MUST NOT use
// abstract roles in content" (WAI-ARIA 1.2 §5.3.2).
var abstractRoles = setOf(`command composite input landmark range roletype section sectionhead
select structure widget window`)

// nameProhibited are the roles that authors must not name with
// aria-label or aria-labelledby (WAI-ARIA 1.2 §5.2.8.6).
var nameProhibited = setOf(`caption code deletion emphasis generic insertion paragraph
presentation none strong subscript superscript`)

// unnamedElements have no corresponding role and prohibit naming too
// (ARIA in HTML §4).
var unnamedElements = setOf(`abbr cite kbd label legend rt samp var`)

// globalAttrs are the states and properties every role takes (WAI-ARIA
// 1.2 §6.6, deprecated ones included; aria-description from ARIA 1.3).
var globalAttrs = setOf(`aria-atomic aria-busy aria-controls aria-current aria-describedby
aria-description aria-details aria-disabled aria-dropeffect aria-errormessage aria-flowto
aria-grabbed aria-haspopup aria-hidden aria-invalid aria-keyshortcuts aria-label aria-labelledby
aria-live aria-owns aria-relevant aria-roledescription`)

// roleAttrs are the other states and properties, each with the roles that
// take it (WAI-ARIA 1.2 §6.7: "Used in Roles" and "Inherits into Roles").
var roleAttrs = map[string]map[string]bool{
	"aria-activedescendant": setOf("application combobox grid group listbox menu menubar radiogroup searchbox tablist textbox toolbar tree treegrid"),
	"aria-autocomplete":     setOf("combobox searchbox textbox"),
	"aria-checked":          setOf("checkbox menuitemcheckbox menuitemradio option radio switch treeitem"),
	"aria-colcount":         setOf("grid table treegrid"),
	"aria-colindex":         setOf("cell columnheader gridcell row rowheader"),
	"aria-colspan":          setOf("cell columnheader gridcell rowheader"),
	"aria-expanded":         setOf("application button checkbox columnheader combobox gridcell link listbox menuitem menuitemcheckbox menuitemradio row rowheader switch tab treeitem doc-backlink doc-biblioref doc-glossref doc-noteref"),
	"aria-level":            setOf("heading listitem row treeitem"),
	"aria-modal":            setOf("alertdialog dialog"),
	"aria-multiline":        setOf("searchbox textbox"),
	"aria-multiselectable":  setOf("grid listbox tablist tree treegrid"),
	"aria-orientation":      setOf("listbox menu menubar radiogroup scrollbar separator slider tablist toolbar tree treegrid"),
	"aria-placeholder":      setOf("searchbox textbox"),
	"aria-posinset":         setOf("article listitem menuitem menuitemcheckbox menuitemradio option radio row tab treeitem"),
	"aria-pressed":          setOf("button"),
	"aria-readonly":         setOf("checkbox columnheader combobox grid gridcell listbox menuitemcheckbox menuitemradio radiogroup rowheader searchbox slider spinbutton switch textbox treegrid"),
	"aria-required":         setOf("checkbox columnheader combobox gridcell listbox radiogroup rowheader searchbox spinbutton switch textbox tree treegrid"),
	"aria-rowcount":         setOf("grid table treegrid"),
	"aria-rowindex":         setOf("cell columnheader gridcell row rowheader"),
	"aria-rowspan":          setOf("cell columnheader gridcell rowheader"),
	"aria-selected":         setOf("columnheader gridcell option row rowheader tab treeitem"),
	"aria-setsize":          setOf("article listitem menuitem menuitemcheckbox menuitemradio option radio row tab treeitem"),
	"aria-sort":             setOf("columnheader rowheader"),
	"aria-valuemax":         setOf("meter progressbar scrollbar separator slider spinbutton"),
	"aria-valuemin":         setOf("meter progressbar scrollbar separator slider spinbutton"),
	"aria-valuenow":         setOf("meter progressbar scrollbar separator slider spinbutton"),
	"aria-valuetext":        setOf("meter progressbar scrollbar separator slider spinbutton"),
}

// implicitRoles are the roles elements have without a role attribute
// (ARIA in HTML §4); implicitRole handles the elements whose role depends
// on their attributes or ancestors. An element not here has no
// corresponding role.
var implicitRoles = map[string]string{
	"address": "group", "article": "article", "aside": "complementary", "b": "generic", "bdi": "generic",
	"bdo": "generic", "blockquote": "blockquote", "body": "generic", "button": "button", "caption": "caption",
	"code": "code", "data": "generic", "datalist": "listbox", "dd": "definition", "del": "deletion",
	"details": "group", "dfn": "term", "dialog": "dialog", "div": "generic", "dt": "term", "em": "emphasis",
	"fieldset": "group", "figure": "figure", "form": "form", "h1": "heading", "h2": "heading", "h3": "heading",
	"h4": "heading", "h5": "heading", "h6": "heading", "hgroup": "group", "hr": "separator", "html": "document",
	"i": "generic", "ins": "insertion", "li": "listitem", "main": "main", "math": "math", "menu": "list",
	"meter": "meter", "nav": "navigation", "ol": "list", "optgroup": "group", "option": "option",
	"output": "status", "p": "paragraph", "pre": "generic", "progress": "progressbar", "q": "generic",
	"s": "generic", "samp": "generic", "search": "search", "small": "generic", "span": "generic",
	"strong": "strong", "sub": "subscript", "sup": "superscript", "svg": "graphics-document",
	"table": "table", "tbody": "rowgroup", "td": "cell", "textarea": "textbox", "tfoot": "rowgroup",
	"thead": "rowgroup", "time": "time", "tr": "row", "u": "generic", "ul": "list",
}

// inputRoles are the roles of <input> by type (ARIA in HTML §4); a text
// field with a list is a combobox.
var inputRoles = map[string]string{
	"button": "button", "checkbox": "checkbox", "email": "textbox", "image": "button", "number": "spinbutton",
	"radio": "radio", "range": "slider", "reset": "button", "search": "searchbox", "submit": "button",
	"tel": "textbox", "text": "textbox", "url": "textbox",
}

// implicitRole is the role of t without a role attribute, "" when it has
// no corresponding role.
func implicitRole(t *Tag, stack []open) string {
	switch t.Name {
	case "a", "area":
		if t.Has("href") {
			return "link"
		}
		return "generic"
	case "header", "footer":
		// Scoped to a sectioning element, they are generic; otherwise the
		// page's banner and content information.
		for _, o := range stack {
			switch o.tag.Name {
			case "article", "aside", "main", "nav", "section":
				return "generic"
			}
		}
		if t.Name == "header" {
			return "banner"
		}
		return "contentinfo"
	case "section":
		if t.Has("aria-label") || t.Has("aria-labelledby") || t.Has("title") {
			return "region"
		}
		return "generic"
	case "img":
		if v, ok := t.Attrs["alt"]; ok && v == "" {
			return "presentation"
		}
		return "img"
	case "input":
		typ := strings.ToLower(t.Attrs["type"])
		if typ == "" {
			typ = "text"
		}
		if t.Has("list") && (typ == "text" || typ == "search" || typ == "email" || typ == "tel" || typ == "url") {
			return "combobox"
		}
		return inputRoles[typ]
	case "select":
		if t.Has("multiple") || t.Attrs["size"] != "" && t.Attrs["size"] != "0" && t.Attrs["size"] != "1" {
			return "listbox"
		}
		return "combobox"
	case "th":
		if t.Attrs["scope"] == "row" || t.Attrs["scope"] == "rowgroup" {
			return "rowheader"
		}
		return "columnheader"
	}
	return implicitRoles[t.Name]
}

// checkARIA reports on t: a role that is not an ARIA role (or an abstract
// one); an aria-* attribute that ARIA does not define; aria-label or
// aria-labelledby on an element whose role prohibits naming (a <div> or
// <span> without a role, a <p>…); and a state or property that t's role
// does not take (aria-checked on a button).
func checkARIA(t *Tag, stack []open, fail func(int, string, ...any)) {
	if len(stack) > 0 && stack[len(stack)-1].foreign && t.Name != "svg" && t.Name != "math" {
		return // inside SVG and MathML, their own roles apply
	}
	role, explicit := "", false
	if v, ok := t.Attrs["role"]; ok {
		// The first role the browser knows wins; the others are fallbacks.
		for _, r := range strings.Fields(strings.ToLower(v)) {
			switch {
			case abstractRoles[r]:
				fail(t.Line, "<%s role=%q>: %s is an abstract role, which authors must not use", t.Name, v, r)
			case !roles[r]:
				fail(t.Line, "<%s role=%q>: %s is not an ARIA role", t.Name, v, r)
			case role == "":
				role, explicit = r, true
			}
		}
		if strings.TrimSpace(v) == "" {
			fail(t.Line, "<%s> has an empty role", t.Name)
		}
	}
	if role == "" {
		role = implicitRole(t, stack)
	}
	for _, name := range sortedAttrs(t) {
		if !strings.HasPrefix(name, "aria-") {
			continue
		}
		allowed, specific := roleAttrs[name]
		switch {
		case !specific && !globalAttrs[name]:
			fail(t.Line, "<%s %s>: %s is not an ARIA attribute", t.Name, name, name)
		case name == "aria-label" || name == "aria-labelledby":
			why := ""
			switch {
			case nameProhibited[role] && !explicit:
				why = "a <" + t.Name + "> without a role attribute is " + role + ", which cannot be named"
			case nameProhibited[role]:
				why = "its role " + role + " cannot be named"
			case role == "" && unnamedElements[t.Name]:
				why = "<" + t.Name + "> has no role and cannot be named"
			}
			if why != "" {
				fail(t.Line, "<%s %s>: %s (ARIA in HTML); give it a role that takes a name, such as role=\"group\" or role=\"region\", or name another element", t.Name, name, why)
			}
		case specific && role != "" && !allowed[role]:
			fail(t.Line, "<%s %s>: the role %s does not take %s", t.Name, name, role, name)
		}
	}
}

func sortedAttrs(t *Tag) []string { return slices.Sorted(maps.Keys(t.Attrs)) }

func setOf(list string) map[string]bool {
	m := map[string]bool{}
	for _, f := range strings.Fields(list) {
		m[f] = true
	}
	return m
}
