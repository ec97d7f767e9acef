package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kmopsite/build"
	"kmopsite/checks"
)

// TestSearchByKeyboard searches the site in each language with the
// keyboard alone: Tab to the header's search box on the home page, type,
// Enter; the search page shows the results of ?q= (the index made by
// serve when the page asks for it), the starters' page among the first
// three and nothing from another language; Tab reaches the first result
// and Enter opens it. A word that is nowhere finds nothing and says so,
// with a link to the site map. axe has nothing to say of the page with
// results, and no request breaks the CSP.
func TestSearchByKeyboard(t *testing.T) {
	s := start(t)
	if _, why := build.FindPagefind(root); why != "" {
		t.Skip(why + " Run npm ci at the repository root to run the search tests.")
	}
	queries := map[string]string{"nl": "opvolgingsaudit starters", "fr": "audit de suivi", "en": "follow-up audit"}
	for _, lang := range []string{"nl", "fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			starters, searchPage, sitemap := pageURL(t, s, lang, "starters.md"), "", ""
			for _, p := range s.result.Pages {
				if p.Lang == lang && p.Layout == "search" {
					searchPage = p.URL
				}
				if p.Lang == lang && p.Layout == "sitemap" {
					sitemap = p.URL
				}
			}
			tb := s.newTab(t)
			defer tb.close()
			tb.open("/" + lang + "/")
			tb.tabTo("#site-search-q")
			tb.press(queries[lang], "\r")
			tb.waitAcross(fmt.Sprintf(`location.pathname === %q && document.querySelector("[data-search-results]").getAttribute("aria-busy") === "false"`, searchPage))
			hrefs := eval[[]string](tb, `[...document.querySelectorAll("[data-search-results] a[data-search-result]")].map((a) => a.getAttribute("href"))`)
			if len(hrefs) == 0 {
				tb.clean()
				t.Fatalf("%q: no result (status %q)", queries[lang], eval[string](tb, `document.querySelector("[data-search-status]").textContent`))
			}
			first := hrefs[:min(3, len(hrefs))]
			found := false
			for _, h := range first {
				found = found || h == starters
			}
			if !found {
				t.Errorf("%q: the starters' page %s is not among the first three results %v", queries[lang], starters, first)
			}
			for _, h := range hrefs {
				if !strings.HasPrefix(h, "/"+lang+"/") {
					t.Errorf("%q: a result in another language: %s", queries[lang], h)
				}
			}
			// The live region counts them all; ten are shown, the button
			// shows more.
			status := eval[string](tb, `document.querySelector("[data-search-status]").textContent`)
			var total int
			fmt.Sscan(status, &total)
			moreShown := eval[bool](tb, `!document.querySelector("[data-search-more]").hidden`)
			if total < len(hrefs) || moreShown != (total > len(hrefs)) || len(hrefs) > 10 {
				t.Errorf("the live region says %q, %d results shown, the button for more shown: %v", status, len(hrefs), moreShown)
			}
			if n := eval[int](tb, `document.querySelectorAll("[data-search-results] mark").length`); n == 0 {
				t.Errorf("%q: no highlighted word in the excerpts", queries[lang])
			}
			tb.axe("the search page with results in " + lang)
			tb.clean()

			// Tab to the first result, Enter: its page.
			tb.tabTo("[data-search-result]")
			want := eval[string](tb, `document.activeElement.getAttribute("href")`)
			tb.press("\r")
			tb.waitAcross(fmt.Sprintf(`location.pathname === %q && document.readyState === "complete"`, want))

			// A word on most pages: ten results, then ten more from the
			// button, the focus on the first of them.
			tb.open(searchPage + "?q=audit")
			tb.wait(`document.querySelector("[data-search-results]").getAttribute("aria-busy") === "false"`)
			if n := eval[int](tb, `document.querySelectorAll("[data-search-result]").length`); n != 10 {
				t.Errorf("'audit' shows %d results at first, want 10 (the site has more)", n)
			}
			tb.tabTo("[data-search-more]")
			tb.press("\r")
			tb.wait(`document.querySelectorAll("[data-search-result]").length > 10`)
			if got := eval[string](tb, `document.activeElement.getAttribute("href") === document.querySelectorAll("[data-search-result]")[10].getAttribute("href") ? "" : document.activeElement.outerHTML`); got != "" {
				t.Errorf("after more results the focus is on %s, want the eleventh result", got)
			}

			// A word that is nowhere.
			tb.open(searchPage)
			tb.tabTo("#search-q")
			tb.press("qzxwvjkq", "\r")
			tb.wait(`document.querySelector("[data-search-results]").getAttribute("aria-busy") === "false" && !!document.querySelector("[data-search-none]")`)
			if n := eval[int](tb, `document.querySelectorAll("[data-search-result]").length`); n != 0 {
				t.Errorf("nonsense found %d results", n)
			}
			if got := eval[string](tb, `document.querySelector("[data-search-none] a").getAttribute("href")`); got != sitemap {
				t.Errorf("nothing found links %q, want the site map %s", got, sitemap)
			}
			if got := eval[string](tb, `location.search`); got != "?q=qzxwvjkq" {
				t.Errorf("the address keeps %q, want ?q=qzxwvjkq", got)
			}
			tb.axe("the search page with nothing found in " + lang)
			tb.clean()
		})
	}
}

// pageURL is the address of a content file of a language in the build.
func pageURL(t *testing.T, s *site, lang, rel string) string {
	t.Helper()
	for _, p := range s.result.Pages {
		if p.Lang == lang && p.Rel == rel {
			return p.URL
		}
	}
	t.Fatalf("no page %s in %s", rel, lang)
	return ""
}

// waitAcross is wait for a condition on a page that a key press is
// loading: the document it is polled in may go away under the poll.
func (tb *tab) waitAcross(cond string) {
	tb.t.Helper()
	deadline := time.Now().Add(checks.Budget(tb.t, 15*time.Second))
	for {
		_, err := chromedp.Run(tb.ctx, chromedp.Poll[chromedp.Void](cond,
			chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(time.Until(deadline))))
		if err == nil {
			return
		}
		if time.Now().After(deadline) || tb.ctx.Err() != nil {
			tb.t.Fatalf("waiting for %s: %v (focus on %s)", cond, err, tb.focused())
		}
		time.Sleep(50 * time.Millisecond) // a navigation: poll in the new document
	}
}
