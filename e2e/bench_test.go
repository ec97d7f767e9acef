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

// BenchmarkFirstAnswer measures, in Chromium, a first visit: from the
// moment the visitor reaches for the form (the focus enters it, which is
// when the rules start to load) until the next question is shown, for a
// visitor who answers the first question at once. It is the worst case of
// loading the rules on first touch: the download, compilation and start of
// assess.wasm, then the rules' first answer.
//
//	go test ./e2e -run '^$' -bench FirstAnswer -benchtime 10x
func BenchmarkFirstAnswer(b *testing.B) {
	s := startB(b)
	var total float64
	for b.Loop() {
		budget, cancelBudget := context.WithTimeout(context.Background(), time.Duration(float64(time.Minute)*checks.Slowdown()))
		ctx, cancel, err := s.browser.NewTab(budget)
		if err != nil {
			b.Fatal(err)
		}
		err = chromedp.Do(ctx, chromedp.Navigate(s.url+"/nl/zelftest/"),
			chromedp.Poll[chromedp.Void](`document.getElementById("sc").dataset.rules === "waiting"`,
				chromedp.WithPollingInterval(10*time.Millisecond), chromedp.WithPollingTimeout(30*time.Second)),
			chromedp.Evaluate[chromedp.Void](`(() => {
  const next = document.getElementById("sc-q-has_enterprise_number");
  new MutationObserver((_, obs) => {
    if (!next.hidden) { window.__shown = performance.now() - window.__touched; obs.disconnect(); }
  }).observe(next, {attributes: true});
  window.__touched = performance.now();
  const no = document.getElementById("sc-audit_body-no");
  no.focus();
  no.click();
  document.getElementById("sc-form").requestSubmit();
})()`),
			chromedp.Poll[chromedp.Void](`window.__shown > 0`,
				chromedp.WithPollingInterval(10*time.Millisecond), chromedp.WithPollingTimeout(30*time.Second)))
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
	b.ReportMetric(total/float64(b.N), "ms/answer")
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
