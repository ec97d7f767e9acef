package cms

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kmopsite/build"
	"kmopsite/server"
	"kmopsite/testsite"
)

// TestPreviewEndpoint posts unsaved entries of the fixture site
// (build/testdata/base.txtar) to /admin/preview as preview.js does (front
// matter as JSON) and gets the page rendered with the site's templates, or
// its errors at their lines; nothing is written, and only the preview's
// own origin may ask.
func TestPreviewEndpoint(t *testing.T) {
	root := t.TempDir()
	if err := testsite.Base(root); err != nil {
		t.Fatal(err)
	}
	const desc = "De startpagina van het voorbeeld, met wie we zijn, wat we doen en hoe u ons bereikt, in een of twee zinnen voor de zoekmachines."
	nl := "---\ntitle: Voorbeeld\ndescription: " + desc + "\n---\nWelkom bij ons.\n"
	hash, _ := build.SourceHash([]byte(nl))
	for name, data := range map[string]string{
		"content/nl/_index.md": nl,
		"content/fr/_index.md": "---\ntitle: Exemple\ndescription: L’accueil.\nsource_hash: " + hash + "\n---\nBienvenue.\n",
	} {
		if err := os.WriteFile(filepath.Join(root, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	backend := newBackend(t, root)
	admin := NewAdmin(root, backend)
	srv := server.New(server.Options{Source: root, NoWasm: true})
	defer srv.Close()
	if r := srv.Rebuild(context.Background()); !r.OK() {
		t.Fatal(r.Diagnostics.Format(5))
	}
	admin.Render = srv.Preview
	home := filepath.Join(root, "content/nl/_index.md")
	before, _ := os.ReadFile(home)

	post := func(origin string, req previewRequest) (int, previewResponse) {
		body, _ := json.Marshal(req)
		r := httptest.NewRequest("POST", "http://127.0.0.1:8080/admin/preview", strings.NewReader(string(body)))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Origin", origin)
		w := httptest.NewRecorder()
		admin.ServeHTTP(w, r)
		var out previewResponse
		json.Unmarshal(w.Body.Bytes(), &out)
		return w.Code, out
	}
	get := func(url string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		admin.ServeHTTP(w, httptest.NewRequest("GET", "http://127.0.0.1:8080"+url, nil))
		return w
	}
	self := "http://127.0.0.1:8080"

	front := `{"title": "Voorbeeld", "description": "` + desc + `"}`
	_, body, _ := strings.Cut(string(before)[4:], "\n---\n")
	raw := "---\n" + front + "\n---\n" + strings.Replace(body, "Welkom bij", "Nieuw in de preview: welkom bij", 1)
	code, out := post(self, previewRequest{Path: "content/nl/_index.md", Raw: raw})
	if code != 200 || out.Page != "/nl/" || len(out.Diagnostics) != 0 || out.URL == "" || len(out.Stale) != 1 {
		t.Fatalf("preview of the home page: %d %+v", code, out)
	}
	w := get(out.URL)
	csp := w.Header().Get("Content-Security-Policy")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Nieuw in de preview: welkom bij") || !strings.Contains(w.Body.String(), `<head><base href="/nl/">`) {
		t.Errorf("the rendering: %d\n%.400s", w.Code, w.Body.String())
	}
	if !strings.Contains(csp, "frame-ancestors 'self'") || !strings.Contains(csp, "script-src 'self';") {
		t.Errorf("the rendering's CSP: %s", csp)
	}

	// An image of a draft, not on the site: sent with the entry, it shows
	// in the rendering at once; without it, it is missing.
	withImage := "---\n" + front + "\n---\n" + strings.Replace(body, "Welkom bij", "![Het team](/assets/img/team-foto.png)\n\nWelkom bij", 1)
	if _, out := post(self, previewRequest{Path: "content/nl/_index.md", Raw: withImage}); len(out.Diagnostics) != 1 || !strings.Contains(out.Diagnostics[0].Message, "team-foto.png does not exist") {
		t.Errorf("an image the site lacks, not sent: %+v", out)
	}
	png := pngOf(t, 40, 20)
	code, out = post(self, previewRequest{Path: "content/nl/_index.md", Raw: withImage,
		Media: []asset{{Path: "assets/img/team-foto.png", Content: base64.StdEncoding.EncodeToString(png), Encoding: "base64"}}})
	if code != 200 || len(out.Diagnostics) != 0 || out.URL == "" {
		t.Fatalf("an image of a draft: %d %+v", code, out)
	}
	src := out.URL + "/assets/img/team-foto.png"
	if w := get(out.URL); !strings.Contains(w.Body.String(), `src="`+src+`"`) {
		t.Errorf("the rendering does not show the draft's image from %s:\n%s", src, w.Body.String())
	}
	if w := get(src); w.Code != 200 || w.Header().Get("Content-Type") != "image/png" || !bytes.Equal(w.Body.Bytes(), png) {
		t.Errorf("the draft's image: %d %s", w.Code, w.Header().Get("Content-Type"))
	}

	// A broken link typed in the lead: at its line of the file.
	raw = "---\n" + front + "\n---\n" + strings.Replace(body, "Welkom bij", "Zie [wie we zijn](ovr.md). Welkom bij", 1)
	code, out = post(self, previewRequest{Path: "content/nl/_index.md", Raw: raw})
	if code != 200 || len(out.Diagnostics) != 1 || out.Diagnostics[0].Line != 5 || out.Diagnostics[0].Severity != "error" || out.URL != "" {
		t.Errorf("a broken link: %d %+v", code, out)
	} else if !strings.Contains(out.Diagnostics[0].Hint, "over.md") {
		t.Errorf("the broken link's hint: %q", out.Diagnostics[0].Hint)
	}

	// Refused: another origin, a path out of the content, not a page.
	for _, c := range []struct {
		origin, path string
		want         int
	}{{"http://evil.example", "content/nl/_index.md", 403}, {self, "../site.yaml", 403}, {self, "templates/base.html", 400}, {self, "content/nl/interface.yaml", 400}} {
		if code, _ := post(c.origin, previewRequest{Path: c.path, Raw: raw}); code != c.want {
			t.Errorf("%s from %s: %d, want %d", c.path, c.origin, code, c.want)
		}
	}
	if now, _ := os.ReadFile(home); string(now) != string(before) {
		t.Error("a preview changed the file")
	}
	if w := get("/admin/preview/999"); w.Code != 404 {
		t.Errorf("an unknown rendering: %d", w.Code)
	}
}
