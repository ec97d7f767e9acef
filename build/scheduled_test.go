package build

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"kmopsite/testsite"
)

// TestScheduled proves that a page dated after the day of the build is in
// no output of that build (its page, the section's list, the feed, the
// sitemap, the other languages' links), is listed in Result.Scheduled,
// is built from its date on, and is shown with a banner by serve.
func TestScheduled(t *testing.T) {
	root := copySite(t)
	e := editor{t, root}
	const file, date = "content/nl/nieuws/2026-12-05-gepland.md", "2026-12-05"
	e.write(file, "---\ntitle: Een gepland bericht\ndescription: Dit bericht verschijnt pas op 5 december.\ndate: "+date+"\n---\nTekst.\n")
	const slug = "2026-12-05-gepland"
	before := time.Date(2026, 12, 4, 23, 59, 0, 0, time.UTC)
	on := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)

	built := Run(context.Background(), Options{Source: root, Dest: filepath.Join(t.TempDir(), "public"), NoWasm: true, Now: before})
	if !built.OK() {
		t.Fatalf("build failed:\n%s", built.Diagnostics.Format(10))
	}
	for name, data := range built.Files {
		if strings.Contains(name, slug) {
			t.Errorf("the build of %s wrote the scheduled page as %s", before.Format(time.DateOnly), name)
		}
		if bytes.Contains(data, []byte(slug)) {
			t.Errorf("the build of %s names the scheduled page in %s", before.Format(time.DateOnly), name)
		}
	}
	if want := (Scheduled{File: file, Date: date}); !slices.Contains(built.Scheduled, want) {
		t.Errorf("Result.Scheduled = %v, want it to hold %v", built.Scheduled, want)
	}

	published := Run(context.Background(), Options{Source: root, NoWasm: true, Now: on})
	if !published.OK() {
		t.Fatalf("build failed:\n%s", published.Diagnostics.Format(10))
	}
	if published.Files["nl/nieuws/"+slug+"/index.html"] == nil {
		t.Errorf("the build of %s left out the page dated that day", date)
	}
	for _, f := range []string{"sitemap.xml", "nl/nieuws/index.html"} {
		if !bytes.Contains(published.Files[f], []byte(slug)) {
			t.Errorf("the build of %s does not name the page in %s", date, f)
		}
	}
	if len(published.Scheduled) != 0 {
		t.Errorf("Result.Scheduled = %v on the day itself, want none", published.Scheduled)
	}

	served := Run(context.Background(), Options{Source: root, Drafts: true, NoWasm: true, Now: before})
	page := served.Files["nl/nieuws/"+slug+"/index.html"]
	if page == nil {
		t.Fatal("serve left the scheduled page out")
	}
	if !bytes.Contains(page, []byte(`class="draft-banner"`)) || !bytes.Contains(page, []byte(`<time datetime="`+date+`">5 december 2026</time>`)) {
		t.Error("the scheduled page has no banner with its date under serve")
	}
}

// TestScheduledLink proves that a published page's link to a page not yet
// published is an error at the link, whose hint names the day (on the
// fixture site).
func TestScheduledLink(t *testing.T) {
	root := t.TempDir()
	if err := testsite.Base(root); err != nil {
		t.Fatal(err)
	}
	e := editor{t, root}
	e.write("content/nl/nieuws/2026-12-05-gepland.md", "---\ntitle: Een gepland bericht\ndescription: Dit bericht verschijnt pas op 5 december.\ndate: 2026-12-05\n---\nTekst.\n")
	e.replace("content/nl/over.md", "\n## Wat we doen", "\nZie [het bericht](nieuws/2026-12-05-gepland.md).\n\n## Wat we doen")
	before := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	for _, drafts := range []bool{false, true} {
		r := Run(context.Background(), Options{Source: root, NoWasm: true, Now: before, Drafts: drafts})
		got := r.Diagnostics.Format(0)
		if !strings.Contains(got, "content/nl/over.md:") || !strings.Contains(got, "which is scheduled for 2026-12-05") ||
			!strings.Contains(got, "add it back on 2026-12-05") {
			t.Errorf("drafts=%v: want an error at the link to the scheduled page, got:\n%s", drafts, got)
		}
	}
}
