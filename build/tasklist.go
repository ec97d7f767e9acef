package build

import (
	"github.com/yuin/goldmark"
	gast "github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// taskBoxes draws the boxes of GFM task lists ("- [ ] …") as boxes, not as
// the disabled form checkboxes goldmark writes: a checkbox that cannot be
// ticked and has no label is noise to a screen reader and an accessibility
// violation. The list's words carry the meaning (a list of things to
// prepare); the box is decoration. (In goldmark a lower priority number
// wins: the task list extension registers its renderer at 500.)
type taskBoxes struct{}

func (taskBoxes) Extend(m goldmark.Markdown) {
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(taskBoxes{}, 100)))
}

func (taskBoxes) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(east.KindTaskCheckBox, func(w util.BufWriter, _ []byte, n gast.Node, entering bool) (gast.WalkStatus, error) {
		if !entering {
			return gast.WalkContinue, nil
		}
		if n.(*east.TaskCheckBox).IsChecked {
			_, _ = w.WriteString(`<span class="task-box done" aria-hidden="true"></span>`)
		} else {
			_, _ = w.WriteString(`<span class="task-box" aria-hidden="true"></span>`)
		}
		return gast.WalkContinue, nil
	})
}
