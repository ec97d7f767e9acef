package main

import (
	"context"
	"fmt"
	"io"

	"kmopsite/build"
	"kmopsite/cms"
	"kmopsite/server"
	"kmopsite/settings"
)

// settingsChecks check the sections of site.yaml that the packages above
// build use; build and check report their mistakes with the build's.
var settingsChecks = []settings.Check{server.CheckSettings, cms.CheckSettings}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("build", stderr)
	source := fs.String("source", ".", "the site's folder")
	dest := fs.String("dest", "public", "where to write the site")
	now := nowFlag(fs)
	noSearch := fs.Bool("no-search", false, "skip the search index (/pagefind/)")
	if !parseFlags(fs, args, stderr) {
		return 2
	}
	// cms.Live adds the editor of the live site, /admin/ (cms/live.go);
	// build.Search the search index, /pagefind/ (build/search.go).
	extend := cms.Live(*source)
	if !*noSearch {
		extend = build.Extends(extend, build.Search(*source))
	}
	r := build.Run(ctx, build.Options{Source: *source, Dest: *dest, Now: now.t, Extend: extend, Checks: settingsChecks})
	fmt.Fprint(stderr, r.Diagnostics.Format(50))
	if !r.OK() {
		fmt.Fprintf(stderr, "build failed: %d error(s); nothing was written\n", r.Diagnostics.Errors())
		return 1
	}
	if r.Wasm != nil {
		fmt.Fprintf(stdout, "assess.wasm: %d bytes, %s brotli%s\n", r.Wasm.Raw, brotliSize(r.Wasm.Brotli), cachedNote(r.Wasm.Cached))
	}
	fmt.Fprintf(stdout, "built %d pages, %d files in %s: %d written, %d removed (%s)\n",
		len(r.Pages), len(r.Files), *dest, r.Written, r.Removed, r.Duration.Round(1e6))
	printScheduled(stdout, r.Scheduled)
	printInfo(stdout, r.Info)
	return 0
}

func brotliSize(n int) string {
	if n < 0 {
		return "unknown (no brotli command)"
	}
	return fmt.Sprintf("%d bytes", n)
}

func cachedNote(cached bool) string {
	if cached {
		return ", from cache"
	}
	return ""
}
