package server

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"kmopsite/build"
)

//go:embed reload.js
var reloadJS []byte

// reloadJSPath is where serve answers the live reload's client, which the
// pages it renders load (templates: {{if .Dev}}).
const reloadJSPath = "/_reload.js"

// The overlay shows the diagnostics of a failed build over the page: the
// server puts it in the pages it serves while the build is broken, and
// reload.js puts the same HTML (from the error event) in the page on view.
// Its style is a file of its own, served by serve alone: pages carry no
// inline style.

//go:embed overlay.css
var overlayCSS []byte

const overlayCSSPath = "/_kmopsite/overlay.css"

// overlayShown caps the diagnostics in the overlay; the terminal has all.
const overlayShown = 20

var overlayTmpl = template.Must(template.New("overlay").Parse(`<div id="kmopsite-errors" class="kmopsite-overlay" role="alert">
<details open>
<summary>{{.Title}}</summary>
<p class="kmopsite-lead">You are seeing the last version that worked. Fix the file and save: this page updates by itself.</p>
<ol class="kmopsite-list">
{{range .Items}}<li class="kmopsite-diag kmopsite-{{.Severity}}">
<p class="kmopsite-where">{{.Where}}</p>
<p class="kmopsite-msg">{{.Msg}}</p>
{{with .Excerpt}}<pre class="kmopsite-src">{{.}}</pre>
{{end}}{{with .Hint}}<p class="kmopsite-hint"><strong>What to do:</strong> {{.}}</p>
{{end}}</li>
{{end}}</ol>
{{with .More}}<p class="kmopsite-more">… and {{.}} more: see the terminal.</p>{{end}}
</details>
</div>
`))

type overlayItem struct {
	Severity, Where, Msg, Excerpt, Hint string
}

// overlayHTML renders the diagnostics for an editor: where (file, line,
// column), what, the source line with a caret, and what to do.
func overlayHTML(diags build.Diagnostics) []byte {
	data := struct {
		Title string
		Items []overlayItem
		More  int
	}{Title: fmt.Sprintf("The site could not be updated: %s", plural(diags.Errors(), "mistake"))}
	for i, d := range diags {
		if i == overlayShown {
			data.More = len(diags) - i
			break
		}
		where := d.File
		if d.Line > 0 {
			where += fmt.Sprintf(", line %d", d.Line)
			if d.Col > 0 {
				where += fmt.Sprintf(", column %d", d.Col)
			}
		}
		data.Items = append(data.Items, overlayItem{Severity: d.Severity.String(), Where: where,
			Msg: d.Message(), Excerpt: excerpt(d), Hint: d.Hint})
	}
	var b bytes.Buffer
	if err := overlayTmpl.Execute(&b, data); err != nil {
		panic(err) // the template and its data are ours
	}
	return b.Bytes()
}

// excerpt is the source line and its caret, as the terminal prints them.
func excerpt(d build.Diagnostic) string {
	var lines []string
	for _, l := range strings.Split(d.String(), "\n") {
		if strings.HasPrefix(l, " ") && strings.Contains(l, " | ") {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// injectOverlay puts the overlay at the start of a page's body and its
// stylesheet at the end of its head.
func injectOverlay(page, overlay []byte) []byte {
	link := []byte(`<link rel="stylesheet" href="` + overlayCSSPath + `">` + "\n")
	out := make([]byte, 0, len(page)+len(overlay)+len(link))
	head := bytes.Index(page, []byte("</head>"))
	body := bytes.Index(page, []byte("<body"))
	if body >= 0 {
		if end := bytes.IndexByte(page[body:], '>'); end >= 0 {
			body += end + 1
		} else {
			body = -1
		}
	}
	if head < 0 || body < head {
		return append(append(append(out, link...), overlay...), page...)
	}
	out = append(out, page[:head]...)
	out = append(out, link...)
	out = append(out, page[head:body]...)
	out = append(out, '\n')
	out = append(out, overlay...)
	return append(out, page[body:]...)
}

// serveErrors answers while there is no good build yet: the diagnostics,
// on a page that asks again every two seconds.
func (s *Server) serveErrors(w http.ResponseWriter, r *http.Request, overlay []byte) {
	w.Header().Set("Cache-Control", "no-store")
	if overlay == nil {
		http.Error(w, "the site is being built", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	page := []byte(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="2">
<title>The site has mistakes</title>
</head>
<body>
<main><p>The site has not been built yet: fix the mistakes below and save; this page asks again every two seconds.</p></main>
</body>
</html>
`)
	_, _ = w.Write(injectOverlay(page, overlay))
}
