package build

import (
	"bytes"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown holds one goldmark instance per language (each language has its
// own quotation marks) and per raw-HTML setting, each built the first time
// it is needed and never changed after: a Builder has one, shared by every
// page of every build.
type markdown struct {
	mu        sync.Mutex
	instances map[string]goldmark.Markdown
}

func (m *markdown) get(lang string, rawHTML bool) goldmark.Markdown {
	key := lang
	if rawHTML {
		key += "+raw"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if md, ok := m.instances[key]; ok {
		return md
	}
	if m.instances == nil {
		m.instances = map[string]goldmark.Markdown{}
	}
	rendererOpts := []goldmark.Option{}
	if rawHTML {
		rendererOpts = append(rendererOpts, goldmark.WithRendererOptions(html.WithUnsafe()))
	}
	md := goldmark.New(append(rendererOpts,
		goldmark.WithExtensions(
			extension.Linkify,
			extension.Strikethrough,
			extension.TaskList,
			taskBoxes{},
			destinations{},
			extension.Footnote,
			extension.DefinitionList,
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignNone)),
			extension.NewTypographer(extension.WithTypographicSubstitutions(quotes(lang))),
		),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithHeadingAttribute(),
			parser.WithASTTransformers(util.Prioritized(alignClasses{}, 100)),
		),
	)...)
	m.instances[key] = md
	return md
}

// quotes are each language's typographic quotation marks.
func quotes(lang string) extension.TypographicSubstitutions {
	s := extension.TypographicSubstitutions{
		extension.LeftSingleQuote:  []byte("‘"),
		extension.RightSingleQuote: []byte("’"),
		extension.LeftDoubleQuote:  []byte("“"),
		extension.RightDoubleQuote: []byte("”"),
		extension.Apostrophe:       []byte("’"),
	}
	if lang == "fr" {
		// Guillemets with narrow no-break spaces, as Belgian French sets them.
		// Single quotes stay ‘ ’: goldmark takes an apostrophe before a link
		// or emphasis (l'[autotest]) for a closing quote, and ’ is right
		// for both, where " ›" was not.
		s[extension.LeftDoubleQuote] = []byte("«\u202f")
		s[extension.RightDoubleQuote] = []byte("\u202f»")
	}
	return s
}

// alignClasses turns table column alignment into classes, since inline
// styles are forbidden by the Content-Security-Policy.
type alignClasses struct{}

func (alignClasses) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if c, ok := n.(*east.TableCell); ok && entering {
			switch c.Alignment {
			case east.AlignLeft:
				c.SetAttributeString("class", []byte("left"))
			case east.AlignRight:
				c.SetAttributeString("class", []byte("right"))
			case east.AlignCenter:
				c.SetAttributeString("class", []byte("center"))
			}
		}
		return ast.WalkContinue, nil
	})
}

// headingIDs makes stable, unique, readable anchors: lowercase ASCII
// letters and digits joined by dashes, accents removed.
type headingIDs struct{ used map[string]bool }

func (h *headingIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	id := slugify(string(value))
	if id == "" {
		id = "section"
	}
	unique := id
	for i := 1; h.used[unique]; i++ {
		unique = id + "-" + strconv.Itoa(i)
	}
	h.used[unique] = true
	return []byte(unique)
}

func (h *headingIDs) Put(value []byte) { h.used[string(value)] = true }

var foldAccents = strings.NewReplacer(
	"à", "a", "á", "a", "â", "a", "ä", "a", "ã", "a", "å", "a", "æ", "ae",
	"ç", "c", "è", "e", "é", "e", "ê", "e", "ë", "e", "ì", "i", "í", "i",
	"î", "i", "ï", "i", "ñ", "n", "ò", "o", "ó", "o", "ô", "o", "ö", "o",
	"õ", "o", "ø", "o", "œ", "oe", "ù", "u", "ú", "u", "û", "u", "ü", "u",
	"ý", "y", "ÿ", "y", "ß", "ss", "€", "euro",
)

// slugify turns heading text into an anchor id.
func slugify(s string) string {
	s = foldAccents.Replace(strings.ToLower(s))
	var b strings.Builder
	dash := false
	for _, r := range s {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	return b.String()
}

// parseMarkdown parses a page's body and records its headings, its links to
// other pages and any raw HTML it may not contain.
func (m *markdown) parse(p *Page) Diagnostics {
	body := p.src.data[p.bodyOffset:]
	ids := &headingIDs{used: map[string]bool{}}
	ctx := parser.NewContext(parser.WithIDs(ids))
	md := m.get(p.Lang, p.Front.RawHTML)
	doc := md.Parser().Parse(text.NewReader(body), parser.WithContext(ctx))
	p.ids = ids.used
	p.links = nil
	p.assetRefs = nil
	p.Headings = nil
	var diags Diagnostics
	links := map[*ast.Link]int{} // the links to other pages, by index in p.links
	level := 1                   // the page's title
	at := func(off int, hint, format string, args ...any) {
		diags = append(diags, p.src.atOffset(p.bodyOffset+off, hint, format, args...))
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if n.Level == 1 {
				at(lineStart(n, body), "the page title is the only level-1 heading; start headings in the text at ## (level 2)", "a second level-1 heading")
			}
			// A jump (## then ####) skips a level that screen readers
			// and the table of contents rely on.
			if n.Level > level+1 {
				at(lineStart(n, body), "write "+strings.Repeat("#", level+1)+" (level "+strconv.Itoa(level+1)+") here, or add the missing level above it",
					"heading jumps from level %d to level %d", level, n.Level)
				diags[len(diags)-1].Severity = Warning
			}
			level = n.Level
			if n.Level <= 3 {
				id, _ := n.AttributeString("id")
				idb, _ := id.([]byte)
				p.Headings = append(p.Headings, Heading{Level: n.Level, ID: string(idb), Text: plainText(n, body)})
			}
		case *ast.Link:
			if dest := string(n.Destination); strings.HasPrefix(dest, "/assets/") {
				path, _, _ := strings.Cut(strings.TrimPrefix(dest, "/"), "#")
				p.assetRefs = append(p.assetRefs, assetRef{path: path, offset: p.bodyOffset + nodeOffset(n, body) - 1})
			}
			if l, d := classifyLink(p, string(n.Destination), p.bodyOffset+nodeOffset(n, body)-1); d != "" {
				at(nodeOffset(n, body)-1, linkHint(string(n.Destination), path.Dir(p.Rel)), "%s", d)
			} else if l != nil {
				l.dest = string(n.Destination)
				links[n] = len(p.links)
				p.links = append(p.links, *l)
			}
		case *ast.Image:
			off := imageOffset(n, body)
			if plainText(n, body) == "" {
				at(off, "describe the image between the brackets: ![Auditor at work](/assets/img/audit.jpg)", "image without alternative text")
			}
			dest := string(n.Destination)
			if strings.HasPrefix(dest, "/assets/") {
				p.assetRefs = append(p.assetRefs, assetRef{path: strings.TrimPrefix(dest, "/"), offset: p.bodyOffset + off})
			} else if !strings.Contains(dest, "://") {
				at(off, "put images in assets/img/ and write their path as /assets/img/name.jpg", "image %q must be under /assets/", dest)
			}
		case *ast.RawHTML, *ast.HTMLBlock:
			if r, ok := n.(*ast.RawHTML); ok && r.Segments.Len() > 0 && bytes.HasPrefix(body[r.Segments.At(0).Start:], []byte("</")) {
				break // the closing tag of an element reported at its opening tag
			}
			if !p.Front.RawHTML {
				at(nodeOffset(n, body), "write it in Markdown instead; if it is truly needed, add raw_html: true to the front matter", "raw HTML is not allowed in content")
			}
		}
		return ast.WalkContinue, nil
	})
	// The HTML, once: the tree is not kept.
	b, err := renderBody(md, body, doc, links, p.Front.RawHTML)
	if err != nil {
		diags = append(diags, Diagnostic{File: p.File, Msg: "rendering Markdown: " + err.Error()})
	}
	p.body = b
	return diags
}

// checkAssetRefs reports links and images to files under /assets/ that
// the site does not have.
func checkAssetRefs(pages []*Page, files map[string][]byte) Diagnostics {
	var diags Diagnostics
	for _, p := range pages {
		for _, a := range p.assetRefs {
			if _, ok := files[a.path]; ok {
				continue
			}
			var known []string
			for f := range files {
				if strings.HasPrefix(f, "assets/") {
					known = append(known, "/"+f)
				}
			}
			hint := didYouMean("/"+a.path, known)
			if hint == "" {
				hint = "put the file in " + path.Dir(a.path) + "/ or correct its name (names are case-sensitive)"
			}
			diags = append(diags, p.src.atOffset(a.offset, hint, "/%s does not exist", a.path))
		}
	}
	return diags
}

// classifyLink sorts a Markdown link destination: a link to another content
// file (returned), an external or site link (nil), or a mistake (message).
func classifyLink(p *Page, dest string, off int) (*pageLink, string) {
	if dest == "" {
		return nil, "empty link"
	}
	u, err := url.Parse(dest)
	if err != nil {
		return nil, "link " + quoted(dest) + " is not a valid address"
	}
	if u.Scheme != "" || strings.HasPrefix(dest, "//") {
		return nil, ""
	}
	if u.Path == "" { // #anchor on the same page
		return &pageLink{target: p.Rel, anchor: u.Fragment, offset: off}, ""
	}
	if strings.HasPrefix(u.Path, "/") {
		if strings.HasPrefix(u.Path, "/assets/") {
			return nil, ""
		}
		return nil, "link " + quoted(dest) + " points at an address; link to the Markdown file instead"
	}
	if !strings.HasSuffix(u.Path, ".md") {
		return nil, "link " + quoted(dest) + " does not name a Markdown file"
	}
	target := path.Clean(path.Join(path.Dir(p.Rel), u.Path))
	if strings.HasPrefix(target, "../") {
		return nil, "link " + quoted(dest) + " leaves the language folder"
	}
	return &pageLink{target: target, anchor: u.Fragment, offset: off}, ""
}

func linkHint(dest, dir string) string {
	// The examples are right from the page's own folder: from nieuws/,
	// a page of the language's folder is ../kmop-norm.md.
	up := strings.Repeat("../", len(strings.Split(dir, "/")))
	if dir == "." || dir == "" {
		up = ""
	}
	if strings.HasPrefix(dest, "/") {
		return "write the file it shows, relative to this file, such as " + up + "starters.md or " + up + "kmop-norm.md#integriteit"
	}
	return "link to a page by its file, relative to this file, such as " + up + "starters.md or " + up + "kmop-norm.md#integriteit"
}

func quoted(s string) string { return "\"" + s + "\"" }

// nodeOffset is the byte offset of an inline node's first text.
func nodeOffset(n ast.Node, src []byte) int {
	for c := n.FirstChild(); c != nil; c = c.FirstChild() {
		if t, ok := c.(*ast.Text); ok {
			return t.Segment.Start
		}
	}
	if r, ok := n.(*ast.RawHTML); ok && r.Segments.Len() > 0 {
		return r.Segments.At(0).Start
	}
	return lineStart(n, src)
}

// imageOffset is the byte offset of an image's "![". An image without
// alternative text has no text to find it by: look for it on its line.
func imageOffset(n *ast.Image, body []byte) int {
	if n.FirstChild() != nil {
		return nodeOffset(n, body) - 2
	}
	start := lineStart(n, body)
	if i := bytes.Index(body[start:], []byte("![]("+string(n.Destination))); i >= 0 {
		return start + i
	}
	return start
}

// lineStart is the byte offset of the first line of a block node, or of
// the block that holds an inline node.
func lineStart(n ast.Node, _ []byte) int {
	for ; n != nil; n = n.Parent() {
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			return n.Lines().At(0).Start
		}
	}
	return 0
}

// plainText concatenates the text below a node.
func plainText(n ast.Node, src []byte) string {
	var b bytes.Buffer
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}
