package build

import (
	"bufio"
	"bytes"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// destinations is the goldmark extension that leaves a hole where a link
// between pages writes its destination: a link written as
// [audit](audit.md#kosten) becomes <a href="/nl/audit/#kosten"> only once
// the link step has resolved it. A page's Markdown is rendered once, when
// it is parsed, into a body with holes; each build fills the holes with
// that build's destinations (body.fill). So the parsed tree is dropped as
// soon as the page is parsed (a body is a few kilobytes where its tree
// was tens), a parsed page is never changed, and one body serves every
// build that uses it.
//
// The holes come through the writer, as Hugo's render hooks get their
// context (markup/goldmark/render_hooks.go): goldmark hands the renderer's
// writer to every node renderer, and a holeWriter carries the page's links
// along.
type destinations struct{}

func (destinations) Extend(m goldmark.Markdown) {
	// Before goldmark's own link renderer, which is at 1000.
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(&linkRenderer{Config: html.NewConfig()}, 100)))
}

// Dests are a page's resolved links: the destination of each link to
// another page (or to a heading) as a URL, by its index in the page's
// links. A link that is not there keeps its destination as written.
type Dests map[int]string

// body is a page's Markdown as HTML with a hole for the destination of
// each of its links to other pages, in order.
type body struct {
	html   []byte
	holes  []hole
	unsafe bool // raw HTML allowed: a dangerous destination is written too
}

// hole is where a link's destination goes: the offset in the HTML of its
// href attribute's value, and the link's index in the page's links.
type hole struct {
	at, link int
}

// holeWriter is the writer of one rendering: it knows the page's links
// (by node, their index) and records a hole for each.
type holeWriter struct {
	*bufio.Writer
	out   *bytes.Buffer
	links map[*ast.Link]int
	holes *[]hole
}

var (
	bufPool   = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	bufioPool = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 4096) }}
)

// renderBody renders a parsed page once: its HTML, with a hole for each
// of links (by node, their index in the page's links).
func renderBody(md goldmark.Markdown, src []byte, doc ast.Node, links map[*ast.Link]int, unsafe bool) (*body, error) {
	buf := bufPool.Get().(*bytes.Buffer)
	bw := bufioPool.Get().(*bufio.Writer)
	buf.Reset()
	bw.Reset(buf)
	b := &body{unsafe: unsafe}
	err := md.Renderer().Render(holeWriter{Writer: bw, out: buf, links: links, holes: &b.holes}, src, doc)
	bw.Flush()
	b.html = bytes.Clone(buf.Bytes())
	bw.Reset(nil)
	bufioPool.Put(bw)
	bufPool.Put(buf)
	return b, err
}

// fill is the body's HTML with the destinations of its links: dests by
// index of links, or else the destination as written.
func (b *body) fill(links []pageLink, dests Dests) string {
	var s strings.Builder
	s.Grow(len(b.html) + len(b.holes)*16)
	last := 0
	for _, h := range b.holes {
		s.Write(b.html[last:h.at])
		dest, ok := dests[h.link]
		if !ok {
			dest = links[h.link].dest
		}
		s.Write(href([]byte(dest), b.unsafe))
		last = h.at
	}
	s.Write(b.html[last:])
	return s.String()
}

// href is the value of an href attribute as goldmark's HTML renderer
// writes it (renderer/html.Renderer.renderLink): escaped, and empty for a
// dangerous destination unless raw HTML is allowed.
func href(dest []byte, unsafe bool) []byte {
	dest = util.URLEscape(dest, true)
	if unsafe || !html.IsDangerousURL(dest) {
		return util.EscapeHTML(dest)
	}
	return nil
}

// linkRenderer writes links as goldmark's HTML renderer does
// (renderer/html.Renderer.renderLink), with a hole for the destination of
// a link to another page. It takes the renderer's options (raw HTML
// allowed or not) through html.Config, as goldmark's own extensions do.
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
	_, _ = w.WriteString(`<a href="`)
	hw, _ := w.(holeWriter)
	if i, ok := hw.links[n]; ok {
		*hw.holes = append(*hw.holes, hole{at: hw.out.Len() + hw.Buffered(), link: i})
	} else {
		_, _ = w.Write(href(n.Destination, r.Unsafe))
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
