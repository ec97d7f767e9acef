// Command benchreport keeps the record of make bench: it adds a run's
// figures (scripts/bench.sh writes them) to docs/performance.tsv, then
// writes docs/performance.md, the table of every run, newest first, and
// docs/performance.svg, a chart of the build's time and peak memory
// against the number of pages for kmopsite and Hugo in the newest run.
//
//	go run ./scripts/benchreport -add run.tsv      # add a run, write both
//	go run ./scripts/benchreport                   # write both again
//
// A run's file has the columns of performance.tsv (header line first).
// The output depends only on the record: the same record gives the same
// bytes.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// columns of performance.tsv, in order.
var columns = []string{"date", "machine", "versions", "pages", "html_k", "html_h",
	"wall_k", "wall_h", "cpu_k", "cpu_h", "mb_k", "mb_h", "search_s", "search_kb"}

// row is one corpus of one run.
type row struct {
	date, machine, versions string // the run: when, where, what
	pages, htmlK, htmlH     int
	wallK, wallH            float64 // median wall seconds
	cpuK, cpuH              float64 // mean user+system seconds
	mbK, mbH                float64 // median peak resident memory, MB
	searchS, searchKB       string  // the search index's own time and size, or "" (not built)
}

func main() {
	add := flag.String("add", "", "a run's figures to add to the record (TSV with a header)")
	dir := flag.String("dir", "docs", "the folder of performance.tsv, .md and .svg")
	flag.Parse()
	if err := run(*add, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

func run(add, dir string) error {
	record := filepath.Join(dir, "performance.tsv")
	data, err := os.ReadFile(record)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	if len(data) == 0 {
		data = []byte(strings.Join(columns, "\t") + "\n")
	}
	if add != "" {
		more, err := os.ReadFile(add)
		if err != nil {
			return err
		}
		if _, err := parse(more); err != nil {
			return fmt.Errorf("%s: %w", add, err)
		}
		_, rest, _ := bytes.Cut(more, []byte("\n")) // its header
		data = append(data, rest...)
		if err := os.WriteFile(record, data, 0o644); err != nil {
			return err
		}
	}
	rows, err := parse(data)
	if err != nil {
		return fmt.Errorf("%s: %w", record, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "performance.md"), markdown(rows), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "performance.svg"), chart(latest(rows)), 0o644)
}

// parse reads a TSV of rows with the header of columns.
func parse(data []byte) ([]row, error) {
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if lines[0] != strings.Join(columns, "\t") {
		return nil, fmt.Errorf("the first line is not the header %q", strings.Join(columns, "\t"))
	}
	var rows []row
	for i, l := range lines[1:] {
		f := strings.Split(l, "\t")
		if len(f) != len(columns) {
			return nil, fmt.Errorf("line %d: %d fields, want %d", i+2, len(f), len(columns))
		}
		r := row{date: f[0], machine: f[1], versions: f[2], searchS: f[12], searchKB: f[13]}
		var errs []error
		num := func(s string) float64 {
			v, err := strconv.ParseFloat(s, 64)
			errs = append(errs, err)
			return v
		}
		r.pages, r.htmlK, r.htmlH = int(num(f[3])), int(num(f[4])), int(num(f[5]))
		r.wallK, r.wallH, r.cpuK, r.cpuH, r.mbK, r.mbH = num(f[6]), num(f[7]), num(f[8]), num(f[9]), num(f[10]), num(f[11])
		for _, err := range errs {
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", i+2, err)
			}
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// runs groups rows by run (date and machine), newest first.
func runs(rows []row) [][]row {
	var out [][]row
	for _, r := range rows {
		if n := len(out); n > 0 && out[n-1][0].date == r.date && out[n-1][0].machine == r.machine {
			out[n-1] = append(out[n-1], r)
			continue
		}
		out = append(out, []row{r})
	}
	slices.Reverse(out)
	return out
}

func latest(rows []row) []row {
	if rs := runs(rows); len(rs) > 0 {
		return rs[0]
	}
	return nil
}

func markdown(rows []row) []byte {
	var b bytes.Buffer
	b.WriteString(`# Performance

Written by ` + "`make bench`" + ` (scripts/bench.sh, then scripts/benchreport from
docs/performance.tsv): kmopsite's build against Hugo's on the same
generated trilingual corpora (scripts/gencorpus), side by side in one run
on one machine, each build from an empty destination. Wall time is
hyperfine's median, CPU time (user + system) its mean, memory the median
peak resident set of three runs. A ratio is kmopsite / Hugo: the goal is
at most 0.4 for time and 0.5 for memory. The machine is shared with other
work, so compare the ratios of one run rather than seconds across runs.
When the build has a search index, kmopsite's figures are those of
` + "`build --no-search`" + `; the index's own time and size are beside them.

![Build time and peak memory against pages, kmopsite and Hugo, newest run](performance.svg)

`)
	for _, run := range runs(rows) {
		r0 := run[0]
		fmt.Fprintf(&b, "## %s\n\n%s; %s\n\n", r0.date, r0.machine, r0.versions)
		b.WriteString("| pages | HTML files k/h | wall k (s) | wall Hugo (s) | ratio | CPU k (s) | CPU Hugo (s) | ratio | MB k | MB Hugo | ratio | search index |\n")
		b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
		for _, r := range run {
			search := "none"
			if r.searchS != "" {
				search = r.searchS + " s, " + r.searchKB + " KB"
			}
			fmt.Fprintf(&b, "| %d | %d/%d | %.3f | %.3f | **%.2f** | %.3f | %.3f | %.2f | %.1f | %.1f | **%.2f** | %s |\n",
				r.pages, r.htmlK, r.htmlH, r.wallK, r.wallH, r.wallK/r.wallH, r.cpuK, r.cpuH, r.cpuK/r.cpuH,
				r.mbK, r.mbH, r.mbK/r.mbH, search)
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

// chart draws two panels side by side, time and memory against pages,
// with a line for kmopsite and one for Hugo.
func chart(run []row) []byte {
	const w, h = 760, 340
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" font-family="sans-serif" font-size="12" role="img" aria-labelledby="t d">
<title id="t">Build time and peak memory against pages: kmopsite and Hugo</title>
`, w, h, w, h)
	var desc []string
	for _, r := range run {
		desc = append(desc, fmt.Sprintf("%d pages: kmopsite %.2f s and %.0f MB, Hugo %.2f s and %.0f MB", r.pages, r.wallK, r.mbK, r.wallH, r.mbH))
	}
	date := ""
	if len(run) > 0 {
		date = run[0].date
	}
	fmt.Fprintf(&b, "<desc id=\"d\">Run of %s. %s.</desc>\n", esc(date), esc(strings.Join(desc, "; ")))
	b.WriteString(`<rect width="100%" height="100%" fill="#fff"/>` + "\n")
	panel(&b, 0, "Build time (s, median wall)", run, func(r row) (float64, float64) { return r.wallK, r.wallH })
	panel(&b, w/2, "Peak memory (MB)", run, func(r row) (float64, float64) { return r.mbK, r.mbH })
	// The legend.
	fmt.Fprintf(&b, `<g transform="translate(%d %d)">`, w/2-110, h-14)
	fmt.Fprintf(&b, `<line x1="0" y1="-4" x2="24" y2="-4" stroke="%s" stroke-width="2.5"/><text x="30" y="0">kmopsite</text>`, colorK)
	fmt.Fprintf(&b, `<line x1="110" y1="-4" x2="134" y2="-4" stroke="%s" stroke-width="2.5" stroke-dasharray="6 4"/><text x="140" y="0">Hugo</text>`, colorH)
	b.WriteString("</g>\n</svg>\n")
	return b.Bytes()
}

const (
	colorK = "#0b6e4f"
	colorH = "#b03a2e"
)

// panel draws one chart, 380 wide, at x0.
func panel(b *bytes.Buffer, x0 int, title string, run []row, val func(row) (float64, float64)) {
	const left, right, top, bottom = 56, 20, 34, 270 // plot area within the panel
	fmt.Fprintf(b, `<g transform="translate(%d 0)">`+"\n", x0)
	fmt.Fprintf(b, `<text x="%d" y="20" font-weight="bold">%s</text>`+"\n", left, esc(title))
	if len(run) == 0 {
		b.WriteString("</g>\n")
		return
	}
	// x: pages, on a log scale when they span more than a factor of 10.
	lo, hi := float64(run[0].pages), float64(run[0].pages)
	ymax := 0.0
	for _, r := range run {
		lo, hi = math.Min(lo, float64(r.pages)), math.Max(hi, float64(r.pages))
		k, h := val(r)
		ymax = math.Max(ymax, math.Max(k, h))
	}
	logx := hi/lo > 10
	width := float64(380 - left - right)
	xf := func(pages int) float64 {
		switch {
		case hi == lo:
			return left + width/2
		case logx:
			return left + 12 + (width-24)*(math.Log(float64(pages))-math.Log(lo))/(math.Log(hi)-math.Log(lo))
		}
		return left + 12 + (width-24)*(float64(pages)-lo)/(hi-lo)
	}
	step := niceStep(ymax / 4)
	ytop := math.Max(step, math.Ceil(ymax*1.08/step)*step)
	yf := func(v float64) float64 { return bottom - (bottom-top)*v/ytop }
	// Axes, grid and ticks.
	for v := 0.0; v <= ytop+step/2; v += step {
		y := yf(v)
		fmt.Fprintf(b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n",
			left, y, 380-right, y, left-6, y+4, strconv.FormatFloat(v, 'f', max(0, int(-math.Floor(math.Log10(step)))), 64))
	}
	fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>`+"\n", left, bottom, 380-right, bottom)
	for _, r := range run {
		x := xf(r.pages)
		fmt.Fprintf(b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#333"/><text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n",
			x, bottom, x, bottom+5, x, bottom+18, num(float64(r.pages)))
	}
	fmt.Fprintf(b, `<text x="%.1f" y="%d" text-anchor="middle">pages</text>`+"\n", left+width/2, bottom+34)
	// The two lines, with their values at the points: the higher value
	// above its point, the lower below.
	for i, s := range []struct {
		color, dash string
	}{{colorK, ""}, {colorH, ` stroke-dasharray="6 4"`}} {
		var pts []string
		for _, r := range run {
			k, h := val(r)
			v := []float64{k, h}[i]
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", xf(r.pages), yf(v)))
		}
		fmt.Fprintf(b, `<polyline fill="none" stroke="%s" stroke-width="2.5"%s points="%s"/>`+"\n", s.color, s.dash, strings.Join(pts, " "))
		for _, r := range run {
			k, h := val(r)
			v := []float64{k, h}[i]
			x, y := xf(r.pages), yf(v)
			anchor := -8.0
			if other := []float64{h, k}[i]; v < other {
				anchor = 16
			}
			fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"/><text x="%.1f" y="%.1f" text-anchor="middle" fill="%s">%s</text>`+"\n",
				x, y, s.color, x, y+anchor, s.color, num(v))
		}
	}
	b.WriteString("</g>\n")
}

// niceStep rounds a step up to 1, 2 or 5 times a power of ten.
func niceStep(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// num writes a value briefly: 12, 3.4, 0.56, 10,000.
func num(v float64) string {
	switch {
	case v >= 1000 && v == math.Trunc(v):
		s := strconv.FormatFloat(v, 'f', 0, 64)
		var out []byte
		for i := range len(s) {
			if i > 0 && (len(s)-i)%3 == 0 {
				out = append(out, ',')
			}
			out = append(out, s[i])
		}
		return string(out)
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

func esc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
