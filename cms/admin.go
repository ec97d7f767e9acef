package cms

import (
	"bytes"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"kmopsite/settings"
)

// DecapVersion is the version of decap-cms pinned in package.json; the
// admin page refuses another one.
const DecapVersion = "3.16.3"

// AdminCSP is the Content-Security-Policy of /admin/ only; every other
// path keeps build.DefaultHeaders' strict one. Decap CMS needs more, and
// only here: 'unsafe-eval' because it validates its configuration with
// ajv, which compiles schemas to functions; 'wasm-unsafe-eval' for the
// WebAssembly modules it ships; 'unsafe-inline' styles because its React
// components inject their CSS at run time (emotion); blob: and data: for
// the previews of images chosen from the disk; frame-src 'self' for its
// preview pane, a frame of this page that inherits this policy and frames
// the site's page rendered by preview.go (PreviewCSP); frame-ancestors
// 'self' so that the editor's pages are framed by the editor and by
// nothing else.
const AdminCSP = "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' blob: data:; frame-src 'self' blob:; worker-src 'self' blob:; form-action 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'self'"

// Admin serves /admin/: the editor's page, its generated config.yml and
// Decap CMS's files from node_modules/decap-cms/dist (installed by npm ci),
// all from the site's own origin, the main script with Subresource
// Integrity. Without them, the page says how to get them; serve goes on.
type Admin struct {
	dir     string
	backend *Backend
	// Render renders the preview pane's pages (preview.go); without it
	// the pane says that the preview needs kmopsite serve.
	Render   Renderer
	previews previews

	mu   sync.Mutex
	sri  string // of decap-cms.js, computed once per file version
	stat time.Time
}

// NewAdmin serves the editor of the site in dir, saving through backend.
func NewAdmin(dir string, backend *Backend) *Admin {
	return &Admin{dir: dir, backend: backend}
}

// Backend is the local backend the editor saves through, nil without one.
func (a *Admin) Backend() *Backend { return a.backend }

func (a *Admin) dist() string { return decapDist(a.dir) }

// installed reports whether the pinned Decap CMS is there, and if not, why.
func (a *Admin) installed() (ok bool, why string) { return decapInstalled(a.dir) }

// decapDist is the folder of Decap CMS's files in the site's folder dir.
func decapDist(dir string) string { return filepath.Join(dir, "node_modules", "decap-cms", "dist") }

// decapInstalled reports whether the pinned Decap CMS is installed in the
// site's folder dir, and if not, why.
func decapInstalled(dir string) (ok bool, why string) {
	data, err := os.ReadFile(filepath.Join(dir, "node_modules", "decap-cms", "package.json"))
	if err != nil {
		return false, "Decap CMS, the editor, is not installed in this folder."
	}
	var pkg struct {
		Version string `json:"version"`
	}
	json.Unmarshal(data, &pkg)
	if pkg.Version != DecapVersion {
		return false, fmt.Sprintf("Decap CMS %s is installed, but this site needs %s.", pkg.Version, DecapVersion)
	}
	if _, err := os.Stat(filepath.Join(decapDist(dir), "decap-cms.js")); err != nil {
		return false, "Decap CMS is installed without its dist/decap-cms.js."
	}
	return true, ""
}

// integrity is decap-cms.js's sha384, for the script tag's integrity.
func (a *Admin) integrity() (string, error) {
	p := filepath.Join(a.dist(), "decap-cms.js")
	fi, err := os.Stat(p)
	if err != nil {
		return "", err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.sri != "" && fi.ModTime().Equal(a.stat) {
		return a.sri, nil
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return "", err
	}
	sum := sha512.Sum384(data)
	a.sri, a.stat = "sha384-"+base64.StdEncoding.EncodeToString(sum[:]), fi.ModTime()
	return a.sri, nil
}

var adminPage = template.Must(template.New("admin").Parse(`<!doctype html>
<html lang="{{or .Lang "en"}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{{or .Title "Edit the site"}}</title>
<link href="/admin/config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
{{if .Missing}}<main style="font: 1.1rem/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>The editor is not installed yet</h1>
<p>{{.Missing}}</p>
<p>In the site's folder, run this once, then reload this page:</p>
<pre>npm ci</pre>
<p>The site itself keeps working at <a href="/">/</a> meanwhile.</p>
</main>{{end}}
{{if .Integrity}}<script src="/admin/decap-cms.js" integrity="{{.Integrity}}" crossorigin="anonymous"></script>
<script src="/admin/editor.js" integrity="{{.EditorIntegrity}}" crossorigin="anonymous" data-words="{{.Words}}"></script>
<script src="/admin/{{.PreviewScript}}" integrity="{{.PreviewIntegrity}}" crossorigin="anonymous" data-collections="{{.Collections}}"{{with .CSS}} data-css="{{.}}"{{end}}></script>{{end}}
</body>
</html>
`))

// adminData fills adminPage.
type adminData struct {
	Integrity        string // of decap-cms.js
	PreviewScript    string // the preview pane's script in /admin/: preview.js under serve, live.js on the live site
	PreviewIntegrity string
	EditorIntegrity  string // of editor.js, the rules Decap lacks (a required alt text)
	Collections      string // the page collections, for the preview script
	CSS              string // the site's fingerprinted CSS, for live.js
	Missing          string // why Decap CMS cannot be served
	Lang, Title      string // the editor's language and its words for the page's title
	Words            string // the words of editor.js and preview.js, JSON
}

// setWords gives the admin page the editor's words of the site in fsys.
func (d *adminData) setWords(fsys fs.FS) error {
	w, err := editorWords(fsys)
	if err != nil {
		return err
	}
	cfg, _ := settings.Read(fsys)
	d.Lang, d.Title, d.Words = EditorLang(cfg), w.Title, w.scriptWords()
	return nil
}

func (a *Admin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", AdminCSP)
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	h.Set("Cache-Control", "no-store")
	name := strings.TrimPrefix(r.URL.Path, "/admin/")
	if name == "preview" {
		a.preview(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "only GET", http.StatusMethodNotAllowed)
		return
	}
	switch {
	case strings.HasPrefix(name, "preview/"):
		a.servePreview(w, r, strings.TrimPrefix(name, "preview/"))
	case name == "preview.js":
		serveScript(w, r, previewJS)
	case name == "editor.js":
		serveScript(w, r, editorJS)
	case name == "" || name == "index.html":
		var data adminData
		if ok, why := a.installed(); !ok {
			data.Missing = why
			h.Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusServiceUnavailable)
			adminPage.Execute(w, data)
			return
		}
		sri, err := a.integrity()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		data.Integrity, data.PreviewScript, data.PreviewIntegrity, data.EditorIntegrity = sri, "preview.js", previewSRI, editorSRI
		data.Collections = strings.Join(PageCollections(os.DirFS(a.dir)), " ")
		if err := data.setWords(os.DirFS(a.dir)); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		var buf bytes.Buffer
		adminPage.Execute(&buf, data)
		h.Set("Content-Type", "text/html; charset=utf-8")
		w.Write(buf.Bytes())
	case name == "translations":
		a.translations(w, r)
	case name == "config.yml":
		branch := ""
		if a.backend != nil {
			branch = a.backend.Branch()
		}
		data, err := Config(os.DirFS(a.dir), Options{Branch: branch})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		h.Set("Content-Type", "text/yaml; charset=utf-8")
		w.Write(data)
	default:
		// Decap's own files: its script, the chunks it loads, its wasm.
		ext := path.Ext(name)
		if strings.Contains(name, "/") || strings.HasPrefix(name, ".") || (ext != ".js" && ext != ".wasm" && ext != ".css") {
			http.NotFound(w, r)
			return
		}
		if ok, _ := a.installed(); !ok {
			http.Error(w, "the editor is not installed: run npm ci in the site's folder", http.StatusServiceUnavailable)
			return
		}
		h.Set("Cache-Control", "no-cache")
		http.ServeFile(w, r, filepath.Join(a.dist(), name))
	}
}

var translationsPage = template.Must(template.New("translations").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{{.W.Title}}</title>
<style>
body { font: 1rem/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1a1a1a }
table { border-collapse: collapse; width: 100% }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #ddd }
td.stale, td.missing, td.unknown { background: #fff1e6; font-weight: 600 }
td.draft { color: #555; font-style: italic }
</style>
</head>
<body>
<main>
<h1>{{.W.Title}}</h1>
<p>{{.Intro}}</p>
<table>
<thead><tr><th scope="col">{{.W.Page}}</th>{{range .Langs}}<th scope="col">{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Pages}}<tr><th scope="row">{{.Title}}<br><small>{{.Page}}</small></th>{{$p := .}}{{range $.Langs}}{{$s := or (index $p.Langs .) "missing"}}<td class="{{$s}}">{{index $.W.States $s}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
</main>
</body>
</html>
`))

// translations lists every page's translation status per language.
func (a *Admin) translations(w http.ResponseWriter, r *http.Request) {
	if a.backend == nil {
		http.Error(w, "no backend", http.StatusServiceUnavailable)
		return
	}
	a.backend.mu.Lock()
	pages := a.backend.TranslationStatus(r.Context())
	a.backend.mu.Unlock()
	fsys := os.DirFS(a.dir)
	cfg, _ := settings.Read(fsys)
	words, err := editorWords(fsys)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	data := struct {
		Lang, Intro string
		W           any
		Langs       []string
		Pages       []PageStatus
	}{Lang: EditorLang(cfg), Intro: fill(words.Translations.Intro, "language", cfg.DefaultLang().Name), W: words.Translations, Pages: pages}
	for _, l := range cfg.Languages {
		data.Langs = append(data.Langs, l.Code)
	}
	var buf bytes.Buffer
	if err := translationsPage.Execute(&buf, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(buf.Bytes())
}
