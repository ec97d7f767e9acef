package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReport adds two runs to an empty record and reads the table and the
// chart back: newest run first, the ratios, every point of the newest run
// in the chart (and none of the older), the same bytes when written again.
func TestReport(t *testing.T) {
	dir := t.TempDir()
	header := strings.Join(columns, "\t") + "\n"
	runs := []string{
		"2026-01-01T10:00Z\tbox, 2 CPUs\tgo1.26, hugo v0.111.3\t3000\t3000\t3001\t1.5\t3.0\t2.0\t4.0\t200.0\t400.0\t\t\n",
		"2026-02-01T10:00Z\tbox, 2 CPUs\tgo1.26, hugo v0.111.3\t3000\t3000\t3001\t1.2\t4.0\t2.0\t4.0\t150.0\t500.0\t0.800\t1234\n" +
			"2026-02-01T10:00Z\tbox, 2 CPUs\tgo1.26, hugo v0.111.3\t10000\t9999\t10000\t3.9\t13.0\t6.0\t12.0\t350.0\t1400.0\t2.100\t4321\n",
	}
	for i, r := range runs {
		f := filepath.Join(dir, "run.tsv")
		if err := os.WriteFile(f, []byte(header+r), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := run(f, dir); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
	md, _ := os.ReadFile(filepath.Join(dir, "performance.md"))
	svg, _ := os.ReadFile(filepath.Join(dir, "performance.svg"))
	if a, b := strings.Index(string(md), "## 2026-02-01"), strings.Index(string(md), "## 2026-01-01"); a < 0 || b < a {
		t.Errorf("the runs are not newest first:\n%s", md)
	}
	for _, want := range []string{"| 3000 | 3000/3001 | 1.200 | 4.000 | **0.30** |", "| **0.30** | 0.800 s, 1234 KB |", "| **0.50** | none |", "(performance.svg)"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("the table lacks %q:\n%s", want, md)
		}
	}
	for _, want := range []string{">1.20<", ">4.00<", ">3.90<", ">13.0<", ">150<", ">1,400<", ">10,000<", "<title"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("the chart lacks %q", want)
		}
	}
	if strings.Contains(string(svg), ">1.50<") {
		t.Error("the chart shows the older run")
	}
	if err := run("", dir); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "performance.svg")); string(again) != string(svg) {
		t.Error("the same record gives another chart")
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.tsv"), []byte(header+"x\ty\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(filepath.Join(dir, "bad.tsv"), dir); err == nil || !strings.Contains(err.Error(), "fields") {
		t.Errorf("a run with missing fields: %v", err)
	}
}
