package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/rogpeppe/go-internal/txtar"
)

// TestMain lets the scripts of testdata/script run this test binary as the
// command kmopsite (Hugo's main_test.go). Other tests of package main run
// as usual.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"kmopsite": func() {
			os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
		},
	})
}

// TestScripts runs the command-line scripts of testdata/script. Besides
// testscript's own commands they have:
//
//	site               write the fixture site, build/testdata/base.txtar
//	                   (two languages), into $WORK, except the files the
//	                   script has
//	status N CMD ARGS  run CMD and fail unless it exits with status N
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"site":   cmdSite,
			"status": cmdStatus,
		},
	})
}

func cmdSite(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: site")
	}
	a, err := txtar.ParseFile(filepath.Join("build", "testdata", "base.txtar"))
	ts.Check(err)
	for _, f := range a.Files {
		p := ts.MkAbs(f.Name)
		if _, err := os.Stat(p); err == nil {
			continue // the script's own version
		}
		ts.Check(os.MkdirAll(filepath.Dir(p), 0o755))
		ts.Check(os.WriteFile(p, f.Data, 0o644))
	}
}

func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: status N command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		got = exit.ExitCode()
	case err != nil:
		ts.Fatalf("%v", err)
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}
