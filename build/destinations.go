package build

import (
	"bufio"
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// destinations is the goldmark extension that writes the links between
// pages as the link step resolved them: a link written as
// [audit](audit.md#kosten) becomes <a href="/nl/audit/#kosten">. The parsed
// tree keeps the destination as written; the resolved ones come with each
// rendering (renderLinks), so that a parsed page is never changed and one
// tree can be rendered in as many builds as use it.
//
// They come through the writer, as Hugo's render hooks get their context
// (markup/goldmark/render_hooks.go): goldmark hands the renderer's writer
// to every node renderer, and a linkWriter carries the destinations along.
type destinations struct{}

func (destinations) Extend(m goldmark.Markdown) {
	// Before goldmark's own link renderer, which is at 1000.
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(&linkRenderer{Config: html.NewConfig()}, 100)))
}

// Dests are a page's resolved links: the destination of each link to
// another page (or to a heading) as a URL. A link that is not there keeps
// its destination as written.
type Dests map[*ast.Link]string

// linkWriter is the writer of one rendering, with its page's destinations.
type linkWriter struct {
	*bufio.Writer
	dests Dests
}

// renderLinks renders a parsed page with its resolved links.
func renderLinks(md goldmark.Markdown, src []byte, doc ast.Node, dests Dests) ([]byte, error) {
	var buf bytes.Buffer
	w := linkWriter{Writer: bufio.NewWriter(&buf), dests: dests}
	err := md.Renderer().Render(w, src, doc)
	return buf.Bytes(), err
}

// linkRenderer writes links as goldmark's HTML renderer does
// (renderer/html.Renderer.renderLink), with the resolved destination when
// there is one. It takes the renderer's options (raw HTML allowed or not)
// through html.Config, as goldmark's own extensions do.
type linkRenderer struct {
	html.Config
}

func (r *linkRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindLink, r.renderLink)
}

func (r *linkRenderer) renderLink(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	if !entering {
		_, _ = w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	dest := n.Destination
	if lw, ok := w.(linkWriter); ok {
		if d, ok := lw.dests[n]; ok {
			dest = []byte(d)
		}
	}
	_, _ = w.WriteString(`<a href="`)
	dest = util.URLEscape(dest, true)
	if r.Unsafe || !html.IsDangerousURL(dest) {
		_, _ = w.Write(util.EscapeHTML(dest))
	}
	_ = w.WriteByte('"')
	if n.Title != nil {
		_, _ = w.WriteString(` title="`)
		r.Writer.Write(w, n.Title)
		_ = w.WriteByte('"')
	}
	if n.Attributes() != nil {
		html.RenderAttributes(w, n, html.LinkAttributeFilter)
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}
