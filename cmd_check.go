package main

import (
	"context"
	"fmt"
	"io"

	"kmopsite/build"
	"kmopsite/cms"
)

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", stderr)
	source := fs.String("source", ".", "the site's folder")
	now := nowFlag(fs)
	if !parseFlags(fs, args, stderr) {
		return 2
	}
	r := build.Run(ctx, build.Options{Source: *source, Now: now.t, Extend: cms.Live(*source), Checks: settingsChecks})
	diags := append(r.Diagnostics, build.Translations(r)...)
	diags.Sort()
	fmt.Fprint(stderr, diags.Format(0))
	printScheduled(stdout, r.Scheduled)
	printInfo(stdout, r.Info)
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

// printScheduled lists the pages dated after the day of the build: they
// are left out until the first build on or after their date (the daily
// publication).
func printScheduled(w io.Writer, pages []build.Scheduled) {
	for _, p := range pages {
		fmt.Fprintf(w, "scheduled: %s goes live on %s\n", p.File, p.Date)
	}
}

// printInfo prints what a build's extensions say: whether the live site
// has its editor, /admin/, and if not why. Information, not warnings: a
// site without the editor is a choice.
func printInfo(w io.Writer, lines []string) {
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
}
