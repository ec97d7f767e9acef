// Command audit is `make audit`: it builds the site with `kmopsite build`,
// serves the built folder on loopback as a static host does (the headers
// of _headers, gzip; see static.go), runs axe-core on every page of the
// sitemap (and the language chooser and the 404 pages) at a phone's and a
// laptop's size, measures what each page transfers against the budget in
// audit-budget.json, and runs Lighthouse (mobile, simulated throttling) on
// the home page, a guidance page, the newest news post, the self-check and
// the quote form of each language. With -serve it audits `kmopsite serve`
// instead (the editors' server: live reload, drafts, no compression).
//
// It prints one line per page, then what failed, then a summary, and
// exits 1 when a page misses a goal: 100 in every Lighthouse category,
// no axe-core violation, no console error, every page within its budget.
//
//	go run ./scripts/audit [-budget audit-budget.json] [-lighthouse=false] [-runs 3] [-pages REGEXP] [-serve] [-keep DIR]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"kmopsite/build"
	"kmopsite/checks"
)

func main() {
	budgetFile := flag.String("budget", "audit-budget.json", "the transfer-size budget and the Lighthouse pages")
	withLighthouse := flag.Bool("lighthouse", true, "run Lighthouse (slow) on the pages the budget file names")
	runs := flag.Int("runs", 3, "Lighthouse runs of a page whose performance is under 100 (the median counts)")
	keep := flag.String("keep", "", "keep the Lighthouse JSON reports in this folder")
	only := flag.String("pages", "", "audit only the pages whose URL path matches this regular expression")
	serve := flag.Bool("serve", false, "audit kmopsite serve (uncompressed, with live reload) instead of the built site on a static host")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	pages, err := regexp.Compile(*only)
	if err != nil {
		fmt.Fprintln(os.Stderr, "audit: -pages:", err)
		os.Exit(2)
	}
	ok, err := run(ctx, options{*budgetFile, *withLighthouse, *runs, *keep, *serve, pages})
	if err != nil {
		fmt.Fprintln(os.Stderr, "audit:", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

// Budget is audit-budget.json.
type Budget struct {
	About string `json:"about"` // what the file is, for its reader
	// Lighthouse names the pages Lighthouse audits in each language.
	Lighthouse struct {
		Guidance string `json:"guidance"` // a content file, e.g. kmo-portefeuille.md
	} `json:"lighthouse"`
	// Pages are the byte limits by layout; "default" is for every other
	// page. The limits are on the bodies as transferred by a static host
	// that compresses with gzip.
	Pages map[string]Limits `json:"pages"`
}

// Limits are bytes per kind of resource; a kind left out allows nothing.
type Limits map[string]int64

var kinds = []string{"html", "css", "js", "font", "image", "wasm", "other"}

func readBudget(file string) (*Budget, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var b Budget
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	if b.Pages["default"] == nil {
		return nil, fmt.Errorf(`%s: no "default" budget`, file)
	}
	for layout, l := range b.Pages {
		for k := range l {
			if k != "total" && !contains(kinds, k) {
				return nil, fmt.Errorf("%s: %s: unknown kind %q (%s, total)", file, layout, k, strings.Join(kinds, ", "))
			}
		}
	}
	return &b, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// target is a page to audit.
type target struct {
	path       string // URL path
	layout     string
	lighthouse string // why Lighthouse audits it ("home", "guidance"…), "" when it does not
	status     int64  // expected status
	// results
	visits     map[string]*checks.Visit // by viewport
	sizes      map[string]int64         // compressed bytes by kind
	overBudget []string
	scores     map[string]float64 // Lighthouse category → 0..1
	lhFailures []string
	lhRuns     int
	errs       []string
}

type options struct {
	budgetFile string
	lighthouse bool
	runs       int
	keep       string
	serve      bool
	pages      *regexp.Regexp
}

func run(ctx context.Context, o options) (bool, error) {
	root, err := checks.Root(".")
	if err != nil {
		return false, err
	}
	if !filepath.IsAbs(o.budgetFile) {
		o.budgetFile = filepath.Join(root, o.budgetFile)
	}
	budget, err := readBudget(o.budgetFile)
	if err != nil {
		return false, err
	}
	chrome := checks.ChromePath()
	if chrome == "" {
		return false, errors.New("no Chromium: install it (make deps) or set CHROME_PATH")
	}
	axe, err := checks.AxeSource(root)
	if err != nil {
		return false, fmt.Errorf("no axe-core (npm ci): %v", err)
	}
	dir, err := os.MkdirTemp("", "kmopsite-audit-")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(dir)

	fmt.Println("building the site…")
	bin, err := checks.BuildCommand(ctx, root, dir)
	if err != nil {
		return false, err
	}
	public := filepath.Join(dir, "public")
	if err := checks.BuildSite(ctx, bin, root, public); err != nil {
		return false, err
	}
	all, err := listTargets(ctx, root, public, budget)
	if err != nil {
		return false, err
	}
	var targets []*target
	for _, t := range all {
		if o.pages.MatchString(t.path) {
			targets = append(targets, t)
		}
	}
	var base, how string
	if o.serve {
		srv, err := checks.Serve(ctx, bin, root, filepath.Join(dir, "outbox"))
		if err != nil {
			return false, err
		}
		defer srv.Stop()
		base, how = srv.URL, "kmopsite serve"
	} else {
		host, err := newStaticHost(public)
		if err != nil {
			return false, err
		}
		var stop func()
		if base, stop, err = host.listen(); err != nil {
			return false, err
		}
		defer stop()
		how = "the built site on a static host with _headers and gzip"
	}
	fmt.Printf("serving %s at %s: axe-core on %d pages, Lighthouse on %d\n", how, base, len(targets), countLighthouse(targets, o.lighthouse))

	if err := axeAndSizes(ctx, chrome, filepath.Join(dir, "chrome"), axe, base, targets, budget, !o.serve); err != nil {
		return false, err
	}
	if o.lighthouse {
		for _, t := range targets {
			if t.lighthouse == "" {
				continue
			}
			if err := lighthouse(ctx, root, chrome, base, t, o.runs, o.keep); err != nil {
				t.errs = append(t.errs, err.Error())
			}
			fmt.Printf("  lighthouse %-50s %s\n", t.path, scoreLine(t))
		}
	}
	return report(targets, o), nil
}

// listTargets are the pages of the sitemap, the language chooser at / and
// each language's 404 page (at a missing address), with their layouts.
func listTargets(ctx context.Context, root, public string, budget *Budget) ([]*target, error) {
	data, err := os.ReadFile(filepath.Join(public, "sitemap.xml"))
	if err != nil {
		return nil, err
	}
	var sm struct {
		Locs []string `xml:"url>loc"`
	}
	if err := xml.Unmarshal(data, &sm); err != nil {
		return nil, fmt.Errorf("sitemap.xml: %v", err)
	}
	if len(sm.Locs) == 0 {
		return nil, errors.New("sitemap.xml lists no page")
	}
	r := build.Run(ctx, build.Options{Source: root, NoWasm: true})
	if !r.OK() {
		return nil, fmt.Errorf("the site does not build:\n%s", r.Diagnostics.Format(20))
	}
	byURL := map[string]*build.Page{}
	newest := map[string]*build.Page{} // the newest news post by language
	for _, p := range r.Pages {
		byURL[p.URL] = p
		if p.IsNews() && (newest[p.Lang] == nil || p.Front.Date > newest[p.Lang].Front.Date) {
			newest[p.Lang] = p
		}
	}
	var targets []*target
	guidanceFound := false
	for _, loc := range sm.Locs {
		u, err := url.Parse(strings.TrimSpace(loc))
		if err != nil {
			return nil, fmt.Errorf("sitemap.xml: %v", err)
		}
		t := &target{path: u.Path, layout: "default", status: 200}
		if p := byURL[u.Path]; p != nil {
			t.layout = p.Layout
			switch {
			case p.Kind == build.KindHome:
				t.lighthouse = "home"
			case p.Layout == "selfcheck" || p.Layout == "quote":
				t.lighthouse = p.Layout
			case p.Rel == budget.Lighthouse.Guidance:
				t.lighthouse = "guidance"
				guidanceFound = true
			case p == newest[p.Lang]:
				t.lighthouse = "news post"
			}
		}
		targets = append(targets, t)
	}
	if !guidanceFound {
		return nil, fmt.Errorf("the budget's guidance page %q is not a page of the site", budget.Lighthouse.Guidance)
	}
	if _, err := os.Stat(filepath.Join(public, "index.html")); err == nil {
		targets = append(targets, &target{path: "/", layout: "default", status: 200})
	}
	for _, l := range r.Config.Languages {
		if _, err := os.Stat(filepath.Join(public, l.Code, "404.html")); err == nil {
			targets = append(targets, &target{path: "/" + l.Code + "/no-such-page/", layout: "default", status: 404})
		}
	}
	return targets, nil
}

func countLighthouse(ts []*target, on bool) int {
	n := 0
	for _, t := range ts {
		if on && t.lighthouse != "" {
			n++
		}
	}
	return n
}

// axeAndSizes loads every page in Chromium at both sizes with axe-core, and
// measures the phone load's transfer against the budget.
func axeAndSizes(ctx context.Context, chrome, profile, axe, base string, targets []*target, budget *Budget, checkBudget bool) error {
	b, err := checks.NewBrowser(ctx, chrome, profile, axe)
	if err != nil {
		return err
	}
	defer b.Close()
	type job struct {
		t  *target
		vp checks.Viewport
	}
	jobs := make(chan job)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for j := range jobs {
				v, err := b.Visit(ctx, base+j.t.path, j.vp, true)
				mu.Lock()
				if j.t.visits == nil {
					j.t.visits = map[string]*checks.Visit{}
				}
				if err != nil {
					j.t.errs = append(j.t.errs, fmt.Sprintf("%s: %v", j.vp.Name, err))
				} else {
					j.t.visits[j.vp.Name] = v
					if v.Status != j.t.status {
						j.t.errs = append(j.t.errs, fmt.Sprintf("%s: status %d, want %d", j.vp.Name, v.Status, j.t.status))
					}
				}
				mu.Unlock()
			}
		})
	}
	for _, vp := range []checks.Viewport{checks.Mobile, checks.Desktop} {
		for _, t := range targets {
			select {
			case jobs <- job{t, vp}:
			case <-ctx.Done():
			}
		}
	}
	close(jobs)
	wg.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	for _, t := range targets {
		v := t.visits[checks.Mobile.Name]
		if v == nil {
			continue
		}
		t.sizes = map[string]int64{}
		for _, r := range v.Resources {
			if r.Status >= 300 && r.Status < 400 {
				continue
			}
			t.sizes[kind(r)] += r.Bytes
			t.sizes["total"] += r.Bytes
		}
		if !checkBudget {
			continue
		}
		limits := budget.Pages[t.layout]
		if limits == nil {
			limits = budget.Pages["default"]
		}
		for _, k := range append(kinds, "total") {
			if t.sizes[k] > limits[k] {
				t.overBudget = append(t.overBudget, fmt.Sprintf("%s %s > %s", k, kb(t.sizes[k]), kb(limits[k])))
			}
		}
	}
	return nil
}

// kind sorts a response into the budget's kinds.
func kind(r checks.Resource) string {
	switch {
	case strings.HasSuffix(strings.SplitN(r.URL, "?", 2)[0], ".wasm") || r.MIME == "application/wasm":
		return "wasm"
	case r.Type == "Document":
		return "html"
	case r.Type == "Stylesheet":
		return "css"
	case r.Type == "Script":
		return "js"
	case r.Type == "Font":
		return "font"
	case r.Type == "Image" || strings.HasPrefix(r.MIME, "image/"):
		return "image"
	}
	return "other"
}

var categories = []string{"performance", "accessibility", "best-practices", "seo"}

// lighthouse runs Lighthouse on a page; when its performance is under 100
// it runs again, up to runs times in all, and keeps the run with the
// median performance (the other categories do not vary between runs).
func lighthouse(ctx context.Context, root, chrome, base string, t *target, runs int, keep string) error {
	type result struct {
		scores   map[string]float64
		failures []string
	}
	var results []result
	retries := 2 // Lighthouse sometimes fails to record a trace (NO_NAVSTART…): try again
	for i := 0; i < max(runs, 1); i++ {
		out, err := os.CreateTemp("", "lighthouse-*.json")
		if err != nil {
			return err
		}
		out.Close()
		defer os.Remove(out.Name())
		cmd := exec.CommandContext(ctx, "node", filepath.Join(root, "node_modules", "lighthouse", "cli", "index.js"),
			base+t.path,
			"--quiet", "--output=json", "--output-path="+out.Name(),
			"--only-categories="+strings.Join(categories, ","),
			"--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run --disable-sync --disable-dev-shm-usage",
		)
		cmd.Env = append(os.Environ(), "CHROME_PATH="+chrome)
		if msg, err := cmd.CombinedOutput(); err != nil {
			if retries > 0 {
				retries--
				i--
				fmt.Printf("  lighthouse %s: %v; again\n", t.path, strings.TrimSpace(string(msg)))
				continue
			}
			return fmt.Errorf("lighthouse %s: %v\n%s", t.path, err, msg)
		}
		data, err := os.ReadFile(out.Name())
		if err != nil {
			return err
		}
		if keep != "" {
			name := strings.Trim(strings.ReplaceAll(t.path, "/", "_"), "_")
			if err := os.MkdirAll(keep, 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(keep, fmt.Sprintf("%s.%d.json", name, i+1)), data, 0o644); err != nil {
				return err
			}
		}
		scores, failures, err := parseLighthouse(data)
		if err != nil {
			if retries > 0 {
				retries--
				i--
				fmt.Printf("  lighthouse %s: %v; again\n", t.path, err)
				continue
			}
			return fmt.Errorf("lighthouse %s: %v", t.path, err)
		}
		results = append(results, result{scores, failures})
		if scores["performance"] >= 1 {
			break
		}
	}
	sort.SliceStable(results, func(i, j int) bool { return results[i].scores["performance"] < results[j].scores["performance"] })
	median := results[len(results)/2]
	t.scores, t.lhFailures, t.lhRuns = median.scores, median.failures, len(results)
	return nil
}

// parseLighthouse reads the category scores of a Lighthouse JSON report,
// and the audits that cost points (weighted, under 1).
func parseLighthouse(data []byte) (map[string]float64, []string, error) {
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
			DisplayValue string   `json:"displayValue"`
		} `json:"audits"`
		RuntimeError *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"runtimeError"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, nil, err
	}
	if rep.RuntimeError != nil {
		return nil, nil, fmt.Errorf("%s: %s", rep.RuntimeError.Code, rep.RuntimeError.Message)
	}
	scores := map[string]float64{}
	var failures []string
	for _, name := range categories {
		c, ok := rep.Categories[name]
		if !ok || c.Score == nil {
			return nil, nil, fmt.Errorf("no %s score", name)
		}
		scores[name] = *c.Score
		for _, ref := range c.AuditRefs {
			a := rep.Audits[ref.ID]
			if ref.Weight > 0 && a.Score != nil && *a.Score < 1 {
				failures = append(failures, fmt.Sprintf("%s: %s (%s) %.2f %s", name, ref.ID, a.Title, *a.Score, a.DisplayValue))
			}
		}
	}
	return scores, failures, nil
}

func scoreLine(t *target) string {
	if t.scores == nil {
		return "   -    -    -    -"
	}
	var b strings.Builder
	for _, c := range categories {
		fmt.Fprintf(&b, " %4.0f", t.scores[c]*100)
	}
	return b.String()[1:]
}

func kb(n int64) string {
	if n < 1000 {
		return fmt.Sprintf("%dB", n)
	}
	return fmt.Sprintf("%.1fk", float64(n)/1000)
}

// report prints the table, the details of every miss and the summary; it
// returns whether every goal was met.
func report(targets []*target, o options) bool {
	withLighthouse := o.lighthouse
	fmt.Printf("\n%-50s %4s %4s %4s %4s %4s %4s  %7s %7s %7s %7s %7s %7s %8s\n",
		"page", "perf", "a11y", "b-p", "seo", "axe", "errs", "html", "css", "js", "font", "image", "wasm", "total")
	var misses []string
	lhPages, lhPerfect, axeTotal, axePages, errPages, overPages := 0, 0, 0, 0, 0, 0
	for _, t := range targets {
		axeCount, errCount := 0, 0
		for _, v := range t.visits {
			axeCount += len(v.Violations)
			errCount += len(v.Errors)
		}
		errCount += len(t.errs)
		name := t.path
		if t.lighthouse != "" {
			name += " (" + t.lighthouse + ")"
		}
		fmt.Printf("%-50s %s %4d %4d ", name, scoreLine(t), axeCount, errCount)
		for _, k := range []string{"html", "css", "js", "font", "image", "wasm", "total"} {
			fmt.Printf(" %7s", kb(t.sizes[k]))
		}
		if len(t.overBudget) > 0 {
			fmt.Print("  OVER BUDGET")
		}
		fmt.Println()

		if t.scores != nil {
			lhPages++
			perfect := true
			for _, c := range categories {
				if t.scores[c] < 1 {
					perfect = false
				}
			}
			if perfect {
				lhPerfect++
			} else {
				runs := ""
				if t.lhRuns > 1 {
					runs = fmt.Sprintf(" (median of %d runs)", t.lhRuns)
				}
				misses = append(misses, fmt.Sprintf("%s: Lighthouse %s%s\n    %s", t.path, scoreLine(t), runs, strings.Join(t.lhFailures, "\n    ")))
			}
		} else if withLighthouse && t.lighthouse != "" {
			misses = append(misses, t.path+": no Lighthouse result")
		}
		if axeCount > 0 {
			axePages++
			axeTotal += axeCount
		}
		for _, vp := range []string{checks.Mobile.Name, checks.Desktop.Name} {
			v := t.visits[vp]
			if v == nil {
				continue
			}
			for _, viol := range v.Violations {
				misses = append(misses, fmt.Sprintf("%s (%s): axe: %s", t.path, vp, viol))
			}
			for _, e := range v.Errors {
				misses = append(misses, fmt.Sprintf("%s (%s): %s", t.path, vp, e))
			}
		}
		for _, e := range t.errs {
			misses = append(misses, t.path+": "+e)
		}
		if errCount > 0 {
			errPages++
		}
		if len(t.overBudget) > 0 {
			overPages++
			misses = append(misses, fmt.Sprintf("%s: over its budget (%s): %s", t.path, t.layout, strings.Join(t.overBudget, ", ")))
		}
	}
	if o.serve {
		fmt.Println("\nsizes: the bodies as kmopsite serve sent them, uncompressed, on a phone's first visit (the budget is for the static host: not checked)")
	} else {
		fmt.Println("\nsizes: the bodies as a static host sends them (gzip -9), on a phone's first visit; the budget is in " + filepath.Base(o.budgetFile))
	}
	if len(misses) > 0 {
		fmt.Println("\nmissed:")
		for _, m := range misses {
			fmt.Println("- " + m)
		}
	}
	fmt.Println("\nsummary:")
	if withLighthouse {
		fmt.Printf("  Lighthouse: %d of %d pages at 100 in all four categories\n", lhPerfect, lhPages)
	} else {
		fmt.Println("  Lighthouse: not run (-lighthouse=false)")
	}
	fmt.Printf("  axe-core:   %d violations on %d of %d pages (phone and laptop size)\n", axeTotal, axePages, len(targets))
	fmt.Printf("  errors:     %d pages with console errors, CSP violations or a wrong status\n", errPages)
	fmt.Printf("  budget:     %d of %d pages over their budget\n", overPages, len(targets))
	ok := len(misses) == 0
	if ok {
		fmt.Println("every goal met")
	} else {
		fmt.Printf("%d goals missed\n", len(misses))
	}
	return ok
}
