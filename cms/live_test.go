package cms

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"kmopsite/build"
)

// liveSite copies the repository's site into a temporary folder with
// site.yaml's cms: section replaced by cms (none when empty) and, when
// decap, a Decap CMS of the pinned version in node_modules: its script,
// a chunk, a WebAssembly module and a source map (which stays out).
func liveSite(t *testing.T, cms string, decap bool) string {
	t.Helper()
	root := t.TempDir()
	for _, src := range []string{"site.yaml", "content", "templates", "assets"} {
		if err := os.CopyFS(filepath.Join(root, src), os.DirFS(filepath.Join("..", src))); err != nil && src != "site.yaml" {
			t.Fatal(err)
		}
	}
	yml, err := os.ReadFile("../site.yaml")
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(yml), "\ncms:\n")
	end := strings.Index(string(yml), "\n# kmopsite host")
	if start < 0 || end < start {
		t.Fatal("site.yaml has no cms: section before host:")
	}
	yml = []byte(string(yml[:start+1]) + cms + string(yml[end:]))
	write := func(name, data string) {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.Remove(filepath.Join(root, "site.yaml"))
	write("site.yaml", string(yml))
	write("assess/.keep", "")
	if decap {
		write("node_modules/decap-cms/package.json", `{"name": "decap-cms", "version": "`+DecapVersion+`"}`)
		write("node_modules/decap-cms/dist/decap-cms.js", "/* decap */")
		write("node_modules/decap-cms/dist/103.decap-cms.js", "/* chunk */")
		write("node_modules/decap-cms/dist/dd5d52671a5763720504.wasm", "\x00asm")
		write("node_modules/decap-cms/dist/decap-cms.js.map", "{}")
		write("node_modules/decap-cms/dist/103.cms.js", "/* the other build */")
	}
	return root
}

const liveCMS = `cms:
  repository: kiwa/kmopsite
  branch: live
  auth_url: https://auth.example.be/
`

func buildLive(t *testing.T, root string) *build.Result {
	t.Helper()
	r := build.Run(context.Background(), build.Options{Source: root, Dest: filepath.Join(root, "public"), NoWasm: true, Extend: Live(root)})
	if !r.OK() {
		t.Fatalf("build failed:\n%s", r.Diagnostics.Format(10))
	}
	return r
}

func TestLiveAdmin(t *testing.T) {
	root := liveSite(t, liveCMS, true)
	r := buildLive(t, root)

	var got map[string]any
	if err := yaml.Unmarshal(r.Files["admin/config.yml"], &got); err != nil {
		t.Fatalf("admin/config.yml: %v", err)
	}
	wantBackend := map[string]any{"name": "github", "repo": "kiwa/kmopsite", "branch": "live",
		"base_url": "https://auth.example.be", "auth_endpoint": "api/auth", "preview_context": PreviewContext}
	if !reflect.DeepEqual(got["backend"], wantBackend) {
		t.Errorf("backend = %v, want %v", got["backend"], wantBackend)
	}
	if got["publish_mode"] != "editorial_workflow" {
		t.Errorf("publish_mode = %v, want editorial_workflow", got["publish_mode"])
	}
	if _, ok := got["local_backend"]; ok {
		t.Error("the live configuration has local_backend")
	}
	if got["site_url"] != r.Config.BaseURL {
		t.Errorf("site_url = %v, want %s", got["site_url"], r.Config.BaseURL)
	}
	// The same collections and languages as under serve.
	served, err := Config(os.DirFS(root), Options{Branch: "main"})
	if err != nil {
		t.Fatal(err)
	}
	var serve map[string]any
	yaml.Unmarshal(served, &serve)
	for _, key := range []string{"collections", "i18n", "media_folder", "public_folder", "slug"} {
		if !reflect.DeepEqual(got[key], serve[key]) {
			t.Errorf("%s differs from serve's configuration", key)
		}
	}
	if n := len(got["collections"].([]any)); n < 4 {
		t.Errorf("%d collections", n)
	}

	// Decap's files from the site's own origin, the source map and the
	// other build left out; the page loads them with their integrity.
	for _, f := range []string{"admin/index.html", "admin/decap-cms.js", "admin/103.decap-cms.js", "admin/dd5d52671a5763720504.wasm", "admin/live.js", "admin/editor.js"} {
		if _, err := os.Stat(filepath.Join(root, "public", f)); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	for _, f := range []string{"admin/decap-cms.js.map", "admin/103.cms.js"} {
		if _, ok := r.Files[f]; ok {
			t.Errorf("%s copied", f)
		}
	}
	page := string(r.Files["admin/index.html"])
	css := r.Assets["site.css"].URL
	for _, want := range []string{`src="/admin/decap-cms.js" integrity="sha384-`, `src="/admin/live.js" integrity="` + strings.ReplaceAll(liveSRI, "+", "&#43;") + `"`,
		`src="/admin/editor.js" integrity="` + strings.ReplaceAll(editorSRI, "+", "&#43;") + `"`,
		`data-css="` + css + `"`, `data-collections="pages `, `content="noindex, nofollow"`, `rel="cms-config-url"`} {
		if !strings.Contains(page, want) {
			t.Errorf("admin/index.html lacks %s:\n%s", want, page)
		}
	}
	if css == "" || r.Files[strings.TrimPrefix(css, "/")] == nil {
		t.Errorf("the preview's CSS %q is not a file of the site", css)
	}

	// _headers: /admin/ has its own CSP and COOP, with a comment; the
	// rest of the site keeps its own.
	headers := string(r.Files["_headers"])
	i := strings.Index(headers, "\n/admin/*\n")
	if i < 0 {
		t.Fatalf("_headers has no /admin/* rule:\n%s", headers)
	}
	if !strings.HasSuffix(strings.TrimSpace(headers[:i]), "not in search results (X-Robots-Tag).") {
		t.Errorf("no comment above the /admin/* rule:\n%s", headers[:i])
	}
	rule := headers[i+1:]
	rule = rule[:strings.Index(rule[1:], "\n/")+1]
	for _, want := range []string{"! Content-Security-Policy\n  Content-Security-Policy: " + LiveCSP + "\n",
		"! Cross-Origin-Opener-Policy\n  Cross-Origin-Opener-Policy: same-origin-allow-popups\n",
		"connect-src 'self' https://api.github.com https://www.githubstatus.com", "X-Robots-Tag: noindex"} {
		if !strings.Contains(rule, want) {
			t.Errorf("the /admin/* rule lacks %q:\n%s", want, rule)
		}
	}
	if h := build.HeadersFor(r.Headers, "/nl/"); h["Cross-Origin-Opener-Policy"] != "same-origin" || strings.Contains(h["Content-Security-Policy"], "unsafe-eval") {
		t.Errorf("the site's pages got /admin/'s headers: %v", h)
	}
	if strings.Contains(string(r.Files["sitemap.xml"]), "/admin/") {
		t.Error("/admin/ is in the sitemap")
	}
	if !strings.Contains(string(r.Files["robots.txt"]), "Disallow: /admin/") {
		t.Error("robots.txt does not keep /admin/ out")
	}

	// A second build keeps the editor: build's removal of stale files
	// knows them.
	r = buildLive(t, root)
	if r.Removed != 0 || r.Written != 0 {
		t.Errorf("second build: %d written, %d removed; want none", r.Written, r.Removed)
	}
}

func TestLiveWithoutCMS(t *testing.T) {
	root := liveSite(t, liveCMS, true)
	buildLive(t, root)
	// The cms: section removed: the next build takes /admin/ away.
	if err := os.WriteFile(filepath.Join(root, "site.yaml"), []byte(strings.Replace(readFile(t, filepath.Join(root, "site.yaml")), liveCMS, "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	r := buildLive(t, root)
	for f := range r.Files {
		if strings.HasPrefix(f, "admin/") {
			t.Errorf("%s built without a cms: section", f)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "public", "admin")); !os.IsNotExist(err) {
		t.Errorf("public/admin/ left behind: %v", err)
	}
	if strings.Contains(string(r.Files["_headers"]), "/admin/") {
		t.Error("_headers has an /admin/ rule without the editor")
	}
	if len(r.Info) != 1 || !strings.Contains(r.Info[0], "no cms: section") {
		t.Errorf("info = %q, want why there is no /admin/", r.Info)
	}
}

func TestLiveWithoutDecap(t *testing.T) {
	r := buildLive(t, liveSite(t, liveCMS, false))
	if _, ok := r.Files["admin/index.html"]; ok {
		t.Error("/admin/ built without Decap CMS")
	}
	if len(r.Info) != 1 || !strings.Contains(r.Info[0], "npm ci") {
		t.Errorf("info = %q, want how to install Decap CMS", r.Info)
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
