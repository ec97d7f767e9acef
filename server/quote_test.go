package server

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"kmopsite/build"
	"kmopsite/testsite"
)

// TestQuotesFollowEdits serves the fixture site (build/testdata: base and
// the quote form's words) and edits it: an edit of the quote form's words
// gives the endpoint a handler with the new words; an edit of a page's
// text keeps the handler in service.
func TestQuotesFollowEdits(t *testing.T) {
	root := t.TempDir()
	if err := testsite.Base(root); err != nil {
		t.Fatal(err)
	}
	if err := testsite.Words(root); err != nil {
		t.Fatal(err)
	}
	site := filepath.Join(root, "site.yaml")
	editFile(t, site, "news_section:", "quote:\n  to: offerte@example.be\n  from: Voorbeeld <offerte@example.be>\nnews_section:")
	ctx := context.Background()
	srv := New(Options{Source: root, NoWasm: true})
	defer srv.Close()
	r := srv.Rebuild(ctx)
	if !r.OK() {
		t.Fatalf("the fixture site has errors:\n%s", r.Diagnostics.Format(5))
	}
	q, err := srv.MountQuotes(r, QuoteOptions{Outbox: t.TempDir(), RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	if srv.quotes.route(r.Config.Quote.Endpoint) == nil || srv.quotes.route("/_mail/") == nil {
		t.Fatal("the endpoint or the mailbox is not mounted")
	}
	handler := func() any { return q.Handler() }
	first := handler()
	if first == nil {
		t.Fatal("no handler")
	}

	edit := func(rel, old, new string) {
		t.Helper()
		editFile(t, filepath.Join(root, filepath.FromSlash(rel)), old, new)
		if r := srv.Apply(ctx, []build.Event{{Path: rel, Op: build.Write}}); r == nil || !r.OK() {
			t.Fatalf("the edit of %s did not build", rel)
		}
	}

	edit("content/nl/over.md", "## Wat we doen", "## Wat we doen\n\nEen alinea erbij.")
	if handler() != first {
		t.Error("a page's edit made a new quote handler")
	}
	edit("content/nl/quote.yaml", `submit: "`, `submit: "Nu: `)
	if handler() == first {
		t.Fatal("the quote form's words changed, the handler did not")
	}
	submit := q.cur.Load().cfg.Mail["nl"].Form.Submit
	if !strings.HasPrefix(submit, "Nu: ") {
		t.Errorf("the handler's words say %q", submit)
	}
}
