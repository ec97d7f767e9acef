package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

var categories = []string{"performance", "accessibility", "best-practices", "seo"}

// lhRun is one Lighthouse run of a page.
type lhRun struct {
	scores   map[string]float64 // category → 0..1
	tbt      float64            // Total Blocking Time, ms
	failures []string           // the audits that cost points
}

// lhSeries are the runs of one page served one way: "gzip" or
// "uncompressed" by the static host, or "serve".
type lhSeries struct {
	encoding string
	runs     []lhRun
	err      string
}

// lighthouse runs Lighthouse on base+t.path runs times, every time: a
// page is at 100 when every run is, so the worst run counts as much as
// the median.
func lighthouse(ctx context.Context, root, chrome, base, encoding string, t *target, runs int, keep string) *lhSeries {
	s := &lhSeries{encoding: encoding}
	retries := 2 // Lighthouse sometimes fails to record a trace (NO_NAVSTART…): try again
	for i := 0; i < max(runs, 1); i++ {
		data, err := runLighthouse(ctx, root, chrome, base+t.path)
		var r lhRun
		if err == nil {
			r, err = parseLighthouse(data)
		}
		if err != nil {
			if ctx.Err() == nil && retries > 0 {
				retries--
				i--
				fmt.Printf("  lighthouse %s (%s): %v; again\n", t.path, encoding, err)
				continue
			}
			s.err = err.Error()
			return s
		}
		if keep != "" {
			name := strings.Trim(strings.ReplaceAll(t.path, "/", "_"), "_")
			if err := os.MkdirAll(keep, 0o755); err == nil {
				_ = os.WriteFile(filepath.Join(keep, fmt.Sprintf("%s.%s.%d.json", name, encoding, i+1)), data, 0o644)
			}
		}
		s.runs = append(s.runs, r)
	}
	return s
}

// runLighthouse runs the Lighthouse command line (mobile, simulated
// throttling: its defaults) on a URL and returns its JSON report.
func runLighthouse(ctx context.Context, root, chrome, url string) ([]byte, error) {
	out, err := os.CreateTemp("", "lighthouse-*.json")
	if err != nil {
		return nil, err
	}
	out.Close()
	defer os.Remove(out.Name())
	cmd := exec.CommandContext(ctx, "node", filepath.Join(root, "node_modules", "lighthouse", "cli", "index.js"),
		url,
		"--quiet", "--output=json", "--output-path="+out.Name(),
		"--only-categories="+strings.Join(categories, ","),
		"--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run --disable-sync --disable-dev-shm-usage",
	)
	cmd.Env = append(os.Environ(), "CHROME_PATH="+chrome)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%v: %s", err, strings.TrimSpace(string(msg)))
	}
	return os.ReadFile(out.Name())
}

// parseLighthouse reads the category scores of a Lighthouse JSON report,
// its Total Blocking Time, and the audits that cost points (weighted,
// under 1).
func parseLighthouse(data []byte) (lhRun, error) {
	var rep struct {
		Categories map[string]struct {
			Score     *float64 `json:"score"`
			AuditRefs []struct {
				ID     string  `json:"id"`
				Weight float64 `json:"weight"`
			} `json:"auditRefs"`
		} `json:"categories"`
		Audits map[string]struct {
			Title        string   `json:"title"`
			Score        *float64 `json:"score"`
			NumericValue float64  `json:"numericValue"`
			DisplayValue string   `json:"displayValue"`
		} `json:"audits"`
		RuntimeError *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"runtimeError"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		return lhRun{}, err
	}
	if rep.RuntimeError != nil {
		return lhRun{}, fmt.Errorf("%s: %s", rep.RuntimeError.Code, rep.RuntimeError.Message)
	}
	r := lhRun{scores: map[string]float64{}, tbt: rep.Audits["total-blocking-time"].NumericValue}
	for _, name := range categories {
		c, ok := rep.Categories[name]
		if !ok || c.Score == nil {
			return lhRun{}, fmt.Errorf("no %s score", name)
		}
		r.scores[name] = *c.Score
		for _, ref := range c.AuditRefs {
			a := rep.Audits[ref.ID]
			if ref.Weight > 0 && a.Score != nil && *a.Score < 1 {
				r.failures = append(r.failures, fmt.Sprintf("%s: %s (%s) %.2f %s", name, ref.ID, a.Title, *a.Score, a.DisplayValue))
			}
		}
	}
	return r, nil
}

// perf returns the performance scores (0..100) of the runs, lowest first.
func (s *lhSeries) perf() []float64 {
	var p []float64
	for _, r := range s.runs {
		p = append(p, r.scores["performance"]*100)
	}
	sort.Float64s(p)
	return p
}

// tbts returns the Total Blocking Times of the runs, shortest first.
func (s *lhSeries) tbts() []float64 {
	var t []float64
	for _, r := range s.runs {
		t = append(t, r.tbt)
	}
	sort.Float64s(t)
	return t
}

// median of sorted values: the middle one, or the lower middle of an even
// count (for scores, the pessimistic one).
func median(sorted []float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[(len(sorted)-1)/2]
}

// worst returns the run with the lowest sum of scores (the lowest
// performance first), whose failures the report lists.
func (s *lhSeries) worst() *lhRun {
	var w *lhRun
	sum := func(r *lhRun) float64 {
		t := 0.0
		for _, c := range categories {
			t += r.scores[c]
		}
		return t
	}
	for i := range s.runs {
		r := &s.runs[i]
		if w == nil || r.scores["performance"] < w.scores["performance"] ||
			(r.scores["performance"] == w.scores["performance"] && sum(r) < sum(w)) {
			w = r
		}
	}
	return w
}

// perfect reports whether every run scored 100 in every category.
func (s *lhSeries) perfect() bool {
	if s.err != "" || len(s.runs) == 0 {
		return false
	}
	for _, r := range s.runs {
		for _, c := range categories {
			if r.scores[c] < 1 {
				return false
			}
		}
	}
	return true
}

// line is a series in one line: performance and TBT as median and worst,
// then the other categories' lowest score over the runs.
func (s *lhSeries) line() string {
	if s.err != "" || len(s.runs) == 0 {
		return "no result: " + s.err
	}
	p, t := s.perf(), s.tbts()
	var b strings.Builder
	fmt.Fprintf(&b, "%4.0f %5.0f %6.0f %6.0f", median(p), p[0], median(t), t[len(t)-1])
	for _, c := range categories[1:] {
		low := 1.0
		for _, r := range s.runs {
			low = min(low, r.scores[c])
		}
		fmt.Fprintf(&b, " %4.0f", low*100)
	}
	fmt.Fprintf(&b, "  %d runs: %s", len(s.runs), strings.Join(strings.Fields(fmt.Sprint(s.runsPerf())), " "))
	return b.String()
}

// runsPerf is the performance of each run, in the order run.
func (s *lhSeries) runsPerf() []int {
	var p []int
	for _, r := range s.runs {
		p = append(p, int(r.scores["performance"]*100+0.5))
	}
	return p
}

// scoreLine is a page's lowest score in each category over every run of
// every series, for the table of pages.
func scoreLine(t *target) string {
	if len(t.lh) == 0 {
		return "   -    -    -    -"
	}
	low := map[string]float64{}
	for _, c := range categories {
		low[c] = 1
	}
	got := false
	for _, s := range t.lh {
		for _, r := range s.runs {
			got = true
			for _, c := range categories {
				low[c] = min(low[c], r.scores[c])
			}
		}
	}
	if !got {
		return "   -    -    -    -"
	}
	var b strings.Builder
	for _, c := range categories {
		fmt.Fprintf(&b, " %4.0f", low[c]*100)
	}
	return b.String()[1:]
}

// lighthouseTable prints every series: performance and Total Blocking Time
// as median and worst of the runs.
func lighthouseTable(targets []*target) {
	fmt.Printf("\nLighthouse, every run (mobile, simulated throttling): performance and Total Blocking Time, median and worst\n")
	fmt.Printf("%-40s %-12s %4s %5s %6s %6s %4s %4s %4s\n", "page", "served", "perf", "worst", "TBTmed", "TBTmax", "a11y", "b-p", "seo")
	for _, t := range targets {
		for _, s := range t.lh {
			fmt.Printf("%-40s %-12s %s\n", t.path, s.encoding, s.line())
		}
	}
}

// lighthouseMisses lists each series that missed 100 on some run, with
// the audits that cost points in its worst run.
func lighthouseMisses(t *target) []string {
	var misses []string
	for _, s := range t.lh {
		if s.perfect() {
			continue
		}
		if s.err != "" || len(s.runs) == 0 {
			misses = append(misses, fmt.Sprintf("%s (%s): no Lighthouse result: %s", t.path, s.encoding, s.err))
			continue
		}
		w := s.worst()
		misses = append(misses, fmt.Sprintf("%s (%s): Lighthouse under 100 on %d of %d runs (performance by run %v); the worst run:\n    %s",
			t.path, s.encoding, len(s.runs)-perfectRuns(s), len(s.runs), s.runsPerf(), strings.Join(w.failures, "\n    ")))
	}
	return misses
}

func perfectRuns(s *lhSeries) int {
	n := 0
	for _, r := range s.runs {
		if !slices.ContainsFunc(categories, func(c string) bool { return r.scores[c] < 1 }) {
			n++
		}
	}
	return n
}
