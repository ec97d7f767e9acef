// Command audit is `make audit`: it builds the site with `kmopsite build`,
// serves the built folder on loopback as a static host does (the headers
// of _headers, gzip; see static.go), runs axe-core on every page of the
// sitemap (and the language chooser and the 404 pages) at a phone's and a
// laptop's size, measures what each page transfers against the budget in
// audit-budget.json, and runs Lighthouse (mobile, simulated throttling) on
// the home page, a guidance page, the newest news post, the self-check and
// the quote form of each language, -runs times (5) each, served with gzip
// and again without compression (lighthouse.go). With -serve it audits
// `kmopsite serve` instead (the editors' server: live reload, drafts, no
// compression).
//
// It prints one line per page, then Lighthouse's median and worst run of
// each page and way of serving, then what failed, the machine's load
// average (Lighthouse measures time: a busy machine scores lower), and a
// summary; it exits 1 when a page misses a goal: 100 in every Lighthouse
// category on every run, no axe-core violation, no console error, every
// page within its budget.
//
//	go run ./scripts/audit [-budget audit-budget.json] [-lighthouse=false] [-runs 5] [-pages REGEXP] [-serve] [-keep DIR]
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
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"kmopsite/build"
	"kmopsite/checks"
)

func main() {
	budgetFile := flag.String("budget", "audit-budget.json", "the transfer-size budget and the Lighthouse pages")
	withLighthouse := flag.Bool("lighthouse", true, "run Lighthouse (slow) on the pages the budget file names")
	runs := flag.Int("runs", 5, "Lighthouse runs of each page and way of serving it (every run must score 100; the median and the worst are reported)")
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
		// Query is what the search page is audited with, by language.
		Query map[string]string `json:"query"`
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
			if k != "total" && !slices.Contains(kinds, k) {
				return nil, fmt.Errorf("%s: %s: unknown kind %q (%s, total)", file, layout, k, strings.Join(kinds, ", "))
			}
		}
	}
	return &b, nil
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
	lh         []*lhSeries // Lighthouse, by way of serving
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
	// The ways of serving the site that Lighthouse measures: the static
	// host with gzip (axe-core and the budget use this one) and without
	// compression (a host that compresses nothing, or a proxy that strips
	// it); or kmopsite serve alone.
	type server struct{ name, base string }
	var servers []server
	var how string
	if o.serve {
		srv, err := checks.Serve(ctx, bin, root, filepath.Join(dir, "outbox"))
		if err != nil {
			return false, err
		}
		defer srv.Stop()
		servers, how = []server{{"serve", srv.URL}}, "kmopsite serve"
	} else {
		for _, compress := range []bool{true, false} {
			host, err := newStaticHost(public, compress)
			if err != nil {
				return false, err
			}
			base, stop, err := host.listen()
			if err != nil {
				return false, err
			}
			defer stop()
			name := "gzip"
			if !compress {
				name = "uncompressed"
			}
			servers = append(servers, server{name, base})
		}
		how = "the built site on a static host with _headers, with gzip and without"
	}
	fmt.Printf("serving %s at %s: axe-core on %d pages, Lighthouse on %d (%d runs each way)\n", how, servers[0].base, len(targets), countLighthouse(targets, o.lighthouse), o.runs)
	loadBefore := loadAverage()

	if err := axeAndSizes(ctx, chrome, filepath.Join(dir, "chrome"), axe, servers[0].base, targets, budget, !o.serve); err != nil {
		return false, err
	}
	if o.lighthouse {
		for _, t := range targets {
			if t.lighthouse == "" {
				continue
			}
			for _, srv := range servers {
				s := lighthouse(ctx, root, chrome, srv.base, srv.name, t, o.runs, o.keep)
				t.lh = append(t.lh, s)
				fmt.Printf("  lighthouse %-40s %-12s %s\n", t.path, srv.name, s.line())
				if ctx.Err() != nil {
					return false, ctx.Err()
				}
			}
		}
		lighthouseTable(targets)
	}
	fmt.Printf("\nload average (1, 5, 15 min) before: %s; after: %s (Lighthouse measures time: a busy machine scores lower)\n", loadBefore, loadAverage())
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
	// The search pages are not in the sitemap (a page of results is a
	// tool): each as it loads (its budget is what it costs before the
	// first query), and with a query, as Lighthouse audits it.
	for _, p := range r.Pages {
		if p.Layout == "search" && !p.Front.Draft {
			targets = append(targets, &target{path: p.URL, layout: "search", status: 200},
				&target{path: p.URL + "?q=" + url.QueryEscape(budget.Lighthouse.Query[p.Lang]), layout: "search results", status: 200, lighthouse: "search"})
		}
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

// loadAverage is the machine's load average, as /proc/loadavg gives it.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
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

		if withLighthouse && t.lighthouse != "" {
			lhPages++
			if m := lighthouseMisses(t); len(m) > 0 || len(t.lh) == 0 {
				misses = append(misses, m...)
				if len(t.lh) == 0 {
					misses = append(misses, t.path+": no Lighthouse result")
				}
			} else {
				lhPerfect++
			}
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
		fmt.Printf("  Lighthouse: %d of %d pages at 100 in all four categories on every run (%d runs each way)\n", lhPerfect, lhPages, o.runs)
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
