package cms

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kmopsite/server"
)

// TestPreviewEndpoint posts unsaved entries of the real site to
// /admin/preview as preview.js does (front matter as JSON) and gets the
// page rendered with the site's templates, or its errors at their lines;
// nothing is written, and only the preview's own origin may ask.
func TestPreviewEndpoint(t *testing.T) {
	root := t.TempDir()
	for _, src := range []string{"templates", "assets", "content", "site.yaml"} {
		if err := copyTree(filepath.Join("..", src), filepath.Join(root, src)); err != nil {
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

	front := `{"title": "Erkend dienstverlener worden? Uw KMOP-audit bij Kiwa Belgium", "description": "Kiwa Belgium is een door VLAIO aangesteld auditbureau voor de KMOP-audit. Ontdek hoe u erkend dienstverlener wordt, doe de zelftest of vraag een offerte.", "layout": "home", "reviewed": "2026-11-26"}`
	_, body, _ := strings.Cut(string(before)[4:], "\n---\n")
	raw := "---\n" + front + "\n---\n" + strings.Replace(body, "Wilt u dat", "Nieuw in de preview: wilt u dat", 1)
	code, out := post(self, previewRequest{Path: "content/nl/_index.md", Raw: raw})
	if code != 200 || out.Page != "/nl/" || len(out.Diagnostics) != 0 || out.URL == "" || len(out.Stale) != 2 {
		t.Fatalf("preview of the home page: %d %+v", code, out)
	}
	w := get(out.URL)
	csp := w.Header().Get("Content-Security-Policy")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Nieuw in de preview: wilt u dat") || !strings.Contains(w.Body.String(), `<head><base href="/nl/">`) {
		t.Errorf("the rendering: %d\n%.400s", w.Code, w.Body.String())
	}
	if !strings.Contains(csp, "frame-ancestors 'self'") || !strings.Contains(csp, "script-src 'self';") {
		t.Errorf("the rendering's CSP: %s", csp)
	}

	// A broken link typed in the lead: at its line of the file.
	raw = "---\n" + front + "\n---\n" + strings.Replace(body, "Wilt u dat", "Zie [de norm](kmop-nrom.md). Wilt u dat", 1)
	code, out = post(self, previewRequest{Path: "content/nl/_index.md", Raw: raw})
	if code != 200 || len(out.Diagnostics) != 1 || out.Diagnostics[0].Line != 8 || out.Diagnostics[0].Severity != "error" || out.URL != "" {
		t.Errorf("a broken link: %d %+v", code, out)
	} else if !strings.Contains(out.Diagnostics[0].Hint, "kmop-norm.md") {
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
