package cms

import (
	"bytes"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"kmopsite/build"
)

// The editor on the live site: build writes /admin/ with Decap CMS, its
// configuration for the GitHub backend (Options.Live) and live.js, when
// site.yaml has a cms: section. cmd_build passes Live as build's
// Options.Extend: build cannot import cms (cms imports build), and as an
// extension the files are written with the site, so that build's removal
// of stale files keeps them, and the /admin/ rule goes into _headers.

// LiveCSP is the Content-Security-Policy of /admin/ on the live site:
// AdminCSP, and what Decap's GitHub backend fetches from elsewhere: the
// GitHub API (https://api.github.com: the repository's files, branches
// and pull requests) and GitHub's status page (https://www.githubstatus.com,
// which Decap asks whether GitHub is up); the avatars of the signed-in
// editors (https://avatars.githubusercontent.com). Images of the
// repository come through the API as blob: addresses, already allowed.
var LiveCSP = strings.NewReplacer(
	"connect-src 'self'", "connect-src 'self' https://api.github.com https://www.githubstatus.com",
	"img-src 'self'", "img-src 'self' https://avatars.githubusercontent.com",
).Replace(AdminCSP)

// liveHeaders are the response headers of /admin/ on the live site: they
// replace the site's headers of the same name (the _headers file's "!").
func liveHeaders() map[string]string {
	return map[string]string{
		"Content-Security-Policy": LiveCSP,
		// The sign-in opens a popup on the Worker's /api/auth, which
		// hands the token back to this page with postMessage: the site's
		// same-origin would cut the popup off from its opener.
		"Cross-Origin-Opener-Policy": "same-origin-allow-popups",
		"X-Frame-Options":            "SAMEORIGIN",
		"X-Robots-Tag":               "noindex, nofollow",
		"Cache-Control":              "no-cache",
	}
}

const liveNote = `The editor (Decap CMS) needs more than the site's policy, on /admin/ only:
Content-Security-Policy: 'unsafe-eval' and 'wasm-unsafe-eval' for its
scripts, inline styles, blob: and data: images, and connections to the
GitHub API (cms.LiveCSP says why each); Cross-Origin-Opener-Policy
same-origin-allow-popups, because the GitHub sign-in popup hands the
token back to this page; not in search results (X-Robots-Tag).`

// liveJS is the preview pane of the live site: the entry with the site's
// CSS (there is no server to render it with the templates; the pull
// request's deploy preview shows the real page).
//
//go:embed live.js
var liveJS []byte

var liveSRI = scriptSRI(liveJS)

// decapFile are the files of Decap's dist folder that the editor loads:
// its script, the chunks it loads from its own folder, its WebAssembly.
var decapFile = regexp.MustCompile(`^(decap-cms\.js|[0-9]+\.decap-cms\.js|[0-9a-f]+\.wasm)$`)

// Live is build's Options.Extend for the site in dir: it adds /admin/
// when site.yaml has a cms: section and Decap CMS is installed, and says
// otherwise why not.
func Live(dir string) func(*build.Result) (*build.Extension, build.Diagnostics) {
	return func(r *build.Result) (*build.Extension, build.Diagnostics) {
		ext := &build.Extension{}
		// The editor's words, in every language (cms.locale may pick any).
		var words build.Diagnostics
		// Required with a live editor (a cms: section), checked whenever
		// written.
		for _, l := range r.Config.Languages { // (Extend runs only after a build whose config was read)
			if _, err := os.Stat(filepath.Join(dir, "content", l.Code, WordsFile)); err != nil && r.Config.CMS == nil {
				continue
			}
			_, d := LoadWords(os.DirFS(dir), l.Code)
			words = append(words, d...)
		}
		if words.Errors() > 0 {
			return nil, words
		}
		if r.Config == nil || r.Config.CMS == nil {
			ext.Info = []string{"admin: no /admin/: site.yaml has no cms: section, so the live site has no editor (docs/deploy.md says how to add one)"}
			return ext, words
		}
		if ok, why := decapInstalled(dir); !ok {
			ext.Info = []string{"admin: no /admin/: " + why + " Run npm ci in the site's folder, then build again."}
			return ext, nil
		}
		fail := func(err error) (*build.Extension, build.Diagnostics) {
			return nil, build.Diagnostics{{File: "site.yaml", Msg: "the editor's /admin/: " + err.Error()}}
		}
		fsys := os.DirFS(dir)
		config, err := Config(fsys, Options{Live: true})
		if err != nil {
			return fail(err)
		}
		files := map[string][]byte{"admin/config.yml": config, "admin/live.js": liveJS, "admin/editor.js": editorJS}
		entries, err := os.ReadDir(decapDist(dir))
		if err != nil {
			return fail(err)
		}
		for _, e := range entries {
			if !decapFile.MatchString(e.Name()) {
				continue
			}
			data, err := os.ReadFile(filepath.Join(decapDist(dir), e.Name()))
			if err != nil {
				return fail(err)
			}
			files["admin/"+e.Name()] = data
		}
		data := adminData{
			Integrity:        scriptSRI(files["admin/decap-cms.js"]),
			PreviewScript:    "live.js",
			PreviewIntegrity: liveSRI,
			EditorIntegrity:  editorSRI,
			Collections:      strings.Join(PageCollections(fsys), " "),
			CSS:              r.Assets["site.css"].URL,
		}
		if err := data.setWords(fsys); err != nil {
			return fail(err)
		}
		var page bytes.Buffer
		if err := adminPage.Execute(&page, data); err != nil {
			return fail(err)
		}
		files["admin/index.html"] = page.Bytes()
		ext.Files = files
		ext.Headers = map[string]map[string]string{"/admin/*": liveHeaders()}
		ext.Notes = map[string]string{"/admin/*": liveNote}
		ext.Info = []string{fmt.Sprintf("admin: /admin/ edits %s (branch %s), each change a pull request", r.Config.CMS.Repository, r.Config.CMS.Branch)}
		return ext, nil
	}
}
