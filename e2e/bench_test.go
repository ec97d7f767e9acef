package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"kmopsite/checks"
)

// BenchmarkFirstResult measures, in Chromium, the time from the start of
// navigation until the result of a shared link (complete answers in the
// fragment) is shown: the HTML, the scripts, assess.wasm compiled and run.
// It reports ms/result as the page measures it (performance.now() when the
// result section becomes visible), not the benchmark's own loop time.
//
//	go test ./e2e -run '^$' -bench FirstResult -benchtime 10x
func BenchmarkFirstResult(b *testing.B) {
	s := startB(b)
	path := "/nl/zelftest/#" + fragment(starterReady, "result")
	var total float64
	for b.Loop() {
		budget, cancelBudget := context.WithTimeout(context.Background(), time.Duration(float64(time.Minute)*checks.Slowdown()))
		ctx, cancel, err := s.browser.NewTab(budget)
		if err != nil {
			b.Fatal(err)
		}
		err = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
			_, err := cdp.Call(ctx, target, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
				Source: `new MutationObserver((_, obs) => {
  const r = document.getElementById("sc-result");
  if (r && !r.hidden && r.dataset.verdict) { window.__shown = performance.now(); obs.disconnect(); }
}).observe(document, {subtree: true, childList: true, attributes: true});`,
			})
			return err
		}), chromedp.Navigate(s.url+path))
		if err == nil {
			_, err = chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`window.__shown > 0`,
				chromedp.WithPollingInterval(10*time.Millisecond), chromedp.WithPollingTimeout(0)))
		}
		var shown float64
		if err == nil {
			shown, err = chromedp.Run(ctx, chromedp.Evaluate[float64](`window.__shown`))
		}
		cancel()
		cancelBudget()
		if err != nil {
			b.Fatal(err)
		}
		total += shown
	}
	b.ReportMetric(total/float64(b.N), "ms/result")
}

// startB is start for a benchmark.
func startB(b *testing.B) *site {
	b.Helper()
	setupOnce.Do(func() { shared, skipWhy, setupErr = setup() })
	if skipWhy != "" {
		b.Skip(skipWhy)
	}
	if setupErr != nil {
		b.Fatal(setupErr)
	}
	return shared
}
