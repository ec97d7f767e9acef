package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"time"

	"kmopsite/cms"
	"kmopsite/server"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("serve", stderr)
	source := fs.String("source", ".", "the site's folder")
	addr := fs.String("addr", "localhost:8080", "the address to listen on")
	outbox := fs.String("outbox", "outbox", "the folder where quote requests and their mails are kept")
	rateLimit := fs.Int("rate-limit", -1, "quote requests per minute per address (0: no limit; default from site.yaml)")
	if !parseFlags(fs, args, stderr) {
		return 2
	}
	if err := server.CheckLoopback(*addr); err != nil {
		fmt.Fprintf(stderr, "kmopsite serve: %v\n", err)
		return 2
	}
	logger := log.New(stderr, "", log.Ltime)
	// One line per build on stderr, with the diagnostics of a failed one.
	// The CMS at /admin/ and its local backend at /api/v1 (cms/).
	// Only serve has them: host never serves a CMS backend.
	api := map[string]http.Handler{}
	var admin *cms.Admin
	if backend, err := cms.NewBackend(*source); err != nil {
		fmt.Fprintf(stderr, "the editor at /admin/ is off: %v\n", err)
	} else {
		defer backend.Close()
		backend.Logf = logger.Printf
		admin = cms.NewAdmin(*source, backend)
		api["/admin/"], api["/api/v1"] = admin, backend
	}
	srv := server.New(server.Options{Source: *source, Logf: logger.Printf, Log: stderr, API: api, Checks: settingsChecks})
	defer srv.Close()
	if admin != nil {
		admin.Render = srv.Preview // the preview pane: the Builder between two builds
		// The gate judges a save of pages as the preview does.
		admin.Backend().Check = cms.PreviewCheck(srv.Preview, admin.Backend().FullCheck)
	}
	r := srv.Rebuild(ctx)
	if why := srv.NoSearch(); why != "" {
		fmt.Fprintf(stdout, "search: no search: %s Run npm ci in the site's folder, then start serve again.\n", why)
	}
	if !r.OK() {
		fmt.Fprintf(stderr, "the site has %d error(s); fix them and save: the server keeps running\n", r.Diagnostics.Errors())
	}

	quotes, err := srv.MountQuotes(r, server.QuoteOptions{Outbox: *outbox, RateLimit: *rateLimit})
	if err != nil {
		fmt.Fprintf(stderr, "the quote endpoint answers 503 until this is fixed:\n%v\n", err)
	}
	if smtp := quotes.SMTP(); smtp == nil {
		fmt.Fprintf(stdout, "quote requests are kept in %s/ and shown at /_mail/\n", *outbox)
	} else {
		quotes.Start(ctx)
		fmt.Fprintf(stdout, "quote requests are delivered through %s\n", smtp.Host)
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "kmopsite serve: %v\n", err)
		return 1
	}
	go func() {
		if err := srv.Watch(ctx); err != nil {
			fmt.Fprintf(stderr, "kmopsite serve: watching the sources: %v; save, then reload the page by hand\n", err)
		}
	}()
	// Timeouts for headers, whole requests and idle connections; none
	// for writing, which would cut the live-reload streams.
	httpSrv := &http.Server{Handler: server.LoopbackOnly(srv), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	// The event streams end when the server stops, so that it can.
	httpSrv.RegisterOnShutdown(srv.Close)
	fmt.Fprintf(stdout, "serving %d pages at http://%s/ with live reload (Ctrl+C to stop)\n", len(r.Pages), ln.Addr())
	fmt.Fprintf(stdout, "edit the site in the browser at http://%s/admin/\n", ln.Addr())
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = httpSrv.Shutdown(shutdown)
	}()
	if err := httpSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "kmopsite serve: %v\n", err)
		return 1
	}
	return 0
}
