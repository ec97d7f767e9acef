package build

import (
	"strings"
	"testing"
)

// TestDiagnostics builds each case of testdata/diagnostics (a mistake an
// editor can make, laid over testdata/base.txtar) and compares the
// diagnostics, formatted exactly as the command line prints them.
func TestDiagnostics(t *testing.T) {
	for _, file := range cases(t, "diagnostics") {
		t.Run(caseName(file), func(t *testing.T) {
			t.Parallel()
			c := readCase(t, file)
			r := c.run(t)
			if !*update && c.diags == "" {
				t.Fatal("a diagnostics case must expect diagnostics")
			}
			c.check(t, r)
			switch {
			case c.warnings && !r.OK():
				t.Error("a case of warnings has errors")
			case c.warnings && r.Diagnostics.Warnings() == 0:
				t.Error("a case of warnings has none")
			case !c.warnings && r.OK():
				t.Error("the build reports no error")
			}
			// Every first line is path:line:col: severity: message, or
			// path: severity: message for a file as a whole.
			for _, d := range r.Diagnostics {
				first, _, _ := strings.Cut(d.String(), "\n")
				if !strings.HasPrefix(first, d.File+":") || d.File == "" || strings.HasPrefix(d.File, "/") {
					t.Errorf("diagnostic without a site-relative file: %q", first)
				}
				if d.Line > 0 && d.Source == "" && d.Col > 1 {
					t.Errorf("diagnostic at a column but without its source line: %q", first)
				}
			}
		})
	}
}

// TestBaseBuilds proves the base of the diagnostics cases builds without
// a diagnostic, so that each case's diagnostics come from its own mistake.
func TestBaseBuilds(t *testing.T) {
	base := readCase(t, "testdata/base.txtar")
	r := base.run(t)
	if len(r.Diagnostics) > 0 {
		t.Fatalf("the base site has diagnostics:\n%s", r.Diagnostics.Format(0))
	}
	if len(r.Files) == 0 {
		t.Fatal("the base site wrote nothing")
	}
}
