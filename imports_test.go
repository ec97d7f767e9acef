package main

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// goList runs go list in the module's root with extra environment and
// returns its output lines, or skips when there is no go command.
func goList(t *testing.T, env []string, args ...string) []string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH to list the imports with")
	}
	cmd := exec.Command(gobin, append([]string{"list"}, args...)...)
	cmd.Dir = "."
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("go list %s: %v\n%s", strings.Join(args, " "), err, msg)
	}
	return strings.Fields(string(out))
}

// TestImports enforces the dependency rules between the module's packages
// (docs/architecture.md, "dependency rules"): assess and its
// browser entry import only the standard library and none of the packages
// that cost the browser hundreds of kilobytes; only assess/wasm imports
// syscall/js; quote and words do not import build; diag, yamledit and
// mdmerge are leaves; the static pipeline (build) does not link the quote
// endpoint's mail code; the Worker links no YAML, templates or regular
// expressions (it reads JSON, and Cloudflare caps it at 3 MB).
func TestImports(t *testing.T) {
	forbidden := []string{"fmt", "encoding/json", "reflect", "time", "os"}
	wasm := []string{"GOOS=js", "GOARCH=wasm"}
	for _, c := range []struct {
		pkg string
		env []string
	}{
		{"kmopsite/assess", nil},
		{"kmopsite/assess", wasm},
		{"kmopsite/assess/wasm", wasm},
	} {
		deps := goList(t, c.env, "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}} {{if .Standard}}std:{{.ImportPath}}{{end}}", c.pkg)
		for _, d := range deps {
			if std, ok := strings.CutPrefix(d, "std:"); ok {
				if slices.Contains(forbidden, std) {
					t.Errorf("%s (%s) depends on %s, which the browser cannot afford", c.pkg, strings.Join(c.env, " "), std)
				}
				continue
			}
			if !strings.HasPrefix(d, "kmopsite/assess") {
				t.Errorf("%s depends on %s: assess may use the standard library only", c.pkg, d)
			}
		}
	}

	// Only assess/wasm imports syscall/js, within assess.
	lines := goList(t, wasm, "-f", "{{.ImportPath}}:{{range .Imports}}{{.}},{{end}}", "kmopsite/assess/...")
	for _, l := range lines {
		pkg, imports, _ := strings.Cut(l, ":")
		if pkg != "kmopsite/assess/wasm" && slices.Contains(strings.Split(imports, ","), "syscall/js") {
			t.Errorf("%s imports syscall/js; only assess/wasm may", pkg)
		}
	}

	// quote and words must not depend on build, when they exist.
	all := goList(t, nil, "-e", "kmopsite/...")
	for _, pkg := range []string{"kmopsite/quote", "kmopsite/words"} {
		if !slices.Contains(all, pkg) {
			continue
		}
		if deps := goList(t, nil, "-e", "-deps", pkg); slices.Contains(deps, "kmopsite/build") {
			t.Errorf("%s depends on kmopsite/build", pkg)
		}
	}
	// cms is below server: server mounts it, never the other way round.
	if slices.Contains(all, "kmopsite/cms") && slices.Contains(goList(t, nil, "-e", "-deps", "kmopsite/cms"), "kmopsite/server") {
		t.Error("kmopsite/cms depends on kmopsite/server")
	}

	// diag is a leaf: every package may use it, it uses none but suggest.
	for _, d := range goList(t, nil, "-deps", "kmopsite/diag") {
		if strings.HasPrefix(d, "kmopsite/") && d != "kmopsite/diag" && d != "kmopsite/suggest" {
			t.Errorf("kmopsite/diag depends on %s; it must stay a leaf", d)
		}
	}

	// settings (site.yaml) is a leaf above diag: every package reads the
	// settings, and checks its own sections.
	for _, d := range goList(t, nil, "-deps", "kmopsite/settings") {
		if strings.HasPrefix(d, "kmopsite/") && d != "kmopsite/settings" && d != "kmopsite/diag" && d != "kmopsite/suggest" {
			t.Errorf("kmopsite/settings depends on %s; it must stay a leaf", d)
		}
	}

	// endpoints (the built site's file for the endpoints) is read by the
	// Worker: the words' types (and the ids of assess they name), nothing else of ours.
	for _, d := range goList(t, nil, "-deps", "kmopsite/endpoints") {
		if strings.HasPrefix(d, "kmopsite/") && d != "kmopsite/endpoints" && d != "kmopsite/words" && d != "kmopsite/assess" {
			t.Errorf("kmopsite/endpoints depends on %s; the Worker reads it", d)
		}
	}

	// The CMS's two editors of text are leaves: yamledit uses diag (and
	// so suggest), mdmerge none.
	for pkg, may := range map[string][]string{
		"kmopsite/yamledit": {"kmopsite/yamledit", "kmopsite/diag", "kmopsite/suggest"},
		"kmopsite/mdmerge":  {"kmopsite/mdmerge"},
	} {
		for _, d := range goList(t, nil, "-e", "-deps", pkg) {
			if strings.HasPrefix(d, "kmopsite") && !slices.Contains(may, d) {
				t.Errorf("%s depends on %s; it must stay a leaf", pkg, d)
			}
		}
	}

	// The static pipeline needs the quote form's words (package words),
	// not the endpoint that sends mail.
	for _, d := range goList(t, nil, "-deps", "kmopsite/build") {
		if d == "kmopsite/quote" || strings.HasPrefix(d, "github.com/wneessen/go-mail") {
			t.Errorf("kmopsite/build depends on %s: the static pipeline must not link the mail code", d)
		}
	}

	// The Worker reads its words as JSON.
	for _, d := range goList(t, wasm, "-deps", "kmopsite/worker") {
		switch {
		case d == "html/template", d == "text/template", d == "regexp", strings.Contains(d, "yaml"):
			t.Errorf("the Worker depends on %s, which it does not need and which its 3 MB limit cannot afford", d)
		case d == "kmopsite/build" || d == "kmopsite/diag" || d == "kmopsite/settings":
			t.Errorf("the Worker depends on %s", d)
		}
	}
}
