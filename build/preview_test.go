package build

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"kmopsite/testsite"
)

// TestPreview renders the fixture site's pages from unsaved text: the page
// shows the new text, an error is at its line, and the Builder goes on as
// if nothing happened (the next build renders nothing).
func TestPreview(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	if err := testsite.Base(root); err != nil {
		t.Fatal(err)
	}
	// The French home page is up to date with the Dutch one, which was
	// reviewed on a day.
	homeFile := filepath.Join(root, "content/nl/_index.md")
	home := []byte("---\ntitle: Voorbeeld\ndescription: De startpagina van het voorbeeld, met wie we zijn, wat we doen en hoe u ons bereikt, in een of twee zinnen voor zoekmachines.\nreviewed: 2026-11-26\n---\nWelkom bij ons.\n")
	hash, _ := SourceHash(home)
	writeFile(t, root, "content/nl/_index.md", string(home))
	writeFile(t, root, "content/fr/_index.md", "---\ntitle: Exemple\ndescription: L’accueil.\nsource_hash: "+hash+"\n---\nBienvenue.\n")
	if data, _ := os.ReadFile(homeFile); !bytes.Equal(data, home) {
		t.Fatal("the home page was not written")
	}

	b := NewBuilder(Options{Source: root, Drafts: true, NoWasm: true})
	defer b.Close()
	if _, err := b.Preview(ctx, "content/nl/_index.md", nil); err == nil {
		t.Error("a preview before the first build: no error")
	}
	if r := b.Build(ctx, Changes{All: true}); !r.OK() {
		t.Fatalf("the site does not build:\n%s", r.Diagnostics.Format(5))
	}
	lead := []byte("Welkom bij ons")
	pv, err := b.Preview(ctx, "content/nl/_index.md", bytes.Replace(home, lead, []byte("Voorbeeldtekst: welkom bij ons"), 1))
	if err != nil {
		t.Fatal(err)
	}
	if pv.URL != "/nl/" || len(pv.Diagnostics) != 0 || !bytes.Contains(pv.HTML, []byte("Voorbeeldtekst: welkom")) || !bytes.Contains(pv.HTML, []byte(`rel="stylesheet"`)) {
		t.Errorf("preview of the home page: %s, %v, %d bytes", pv.URL, pv.Diagnostics, len(pv.HTML))
	}
	if !slices.Equal(pv.Stale, []string{"content/fr/_index.md"}) {
		t.Errorf("a new lead makes stale %q, want the French home page", pv.Stale)
	}
	// A new review date is not a new text: no translation goes stale.
	pv, err = b.Preview(ctx, "content/nl/_index.md", bytes.Replace(home, []byte("reviewed: 2026-11-26"), []byte("reviewed: 2026-11-30"), 1))
	if err != nil || len(pv.Stale) != 0 || len(pv.Diagnostics) != 0 {
		t.Errorf("a new review date: stale %q, %v, %v", pv.Stale, pv.Diagnostics, err)
	}

	// A broken link, an image without alt text and an over-long
	// description, each at its line; a new page is previewed too.
	src := "---\ntitle: Nieuw\ndescription: " + strings.Repeat("lang ", 40) + "\n---\n\nZie [wie we zijn](over.md#nergens).\n\n![](/assets/img/foto.jpg)\n"
	pv, err = b.Preview(ctx, "content/nl/nieuwe-pagina.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"has no heading with that id": 6, "image without alternative text": 8, "description of 199 characters": 3, "/assets/img/foto.jpg does not exist": 8}
	for _, d := range pv.Diagnostics {
		for msg, line := range want {
			if strings.Contains(d.Msg, msg) {
				if d.Line != line || d.File != "content/nl/nieuwe-pagina.md" {
					t.Errorf("%s at %s:%d, want line %d", msg, d.File, d.Line, line)
				}
				delete(want, msg)
			}
		}
	}
	if len(want) > 0 || pv.HTML != nil {
		t.Errorf("missing %v in %v; html %d bytes (want none with errors)", want, pv.Diagnostics, len(pv.HTML))
	}

	if r := b.Build(ctx, Changes{Content: []string{"content/nl/_index.md"}}); !r.OK() || r.Rendered != 0 {
		t.Errorf("the build after the previews rendered %d pages (want 0: nothing changed on disk); %v", r.Rendered, r.Diagnostics)
	}
	if b.Known()["content/nl/nieuwe-pagina.md"] {
		t.Error("the previewed new page became one of the builder's files")
	}
}

// BenchmarkPreview times the rendering of the Dutch home page from
// unsaved text on the real site: the server's part of a keystroke.
func BenchmarkPreview(b *testing.B) {
	ctx := context.Background()
	bl := NewBuilder(Options{Source: "..", Drafts: true, NoWasm: true})
	defer bl.Close()
	if r := bl.Build(ctx, Changes{All: true}); !r.OK() {
		b.Fatal(r.Diagnostics.Format(5))
	}
	home, _ := os.ReadFile("../content/nl/_index.md")
	for i := 0; b.Loop(); i++ {
		src := bytes.Replace(home, []byte("Wilt u"), []byte("Wilt u "+strings.Repeat("x", i%7)), 1)
		if pv, err := bl.Preview(ctx, "content/nl/_index.md", src); err != nil || pv.HTML == nil {
			b.Fatal(err, pv.Diagnostics)
		}
	}
}
