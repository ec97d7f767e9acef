package main

import (
	"context"
	"fmt"
	"io"

	"kmopsite/build"
)

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", stderr)
	source := fs.String("source", ".", "the site's folder")
	if !parseFlags(fs, args, stderr) {
		return 2
	}
	r := build.Run(ctx, build.Options{Source: *source})
	diags := append(r.Diagnostics, build.Translations(r)...)
	diags.Sort()
	fmt.Fprint(stderr, diags.Format(0))
	if len(diags) == 0 {
		fmt.Fprintf(stdout, "check: %d pages, no problems\n", len(r.Pages))
		return 0
	}
	fmt.Fprintf(stderr, "check: %d error(s), %d warning(s)\n", diags.Errors(), diags.Warnings())
	if diags.Errors() > 0 {
		return 1 // warnings alone do not stop a publication
	}
	return 0
}
