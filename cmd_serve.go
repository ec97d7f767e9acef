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

	"kmopsite/quote"
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
	logger := log.New(stderr, "", log.Ltime)
	api := map[string]http.Handler{}
	srv := server.New(server.Options{Source: *source, Logf: logger.Printf, API: api})
	r := srv.Rebuild(ctx)
	fmt.Fprint(stderr, r.Diagnostics.Format(50))
	if !r.OK() {
		fmt.Fprintf(stderr, "the site has %d error(s); fix them and save: the server keeps running\n", r.Diagnostics.Errors())
	}

	qc := server.QuoteConfig(r, *outbox, *rateLimit)
	qc.Logf = logger.Printf
	quotes, err := quote.NewHandler(qc)
	if err != nil {
		fmt.Fprintf(stderr, "kmopsite serve: the quote endpoint: %v\n", err)
		return 1
	}
	api[r.Config.Quote.Endpoint] = quotes
	if qc.SMTP == nil {
		api["/_mail/"] = quotes.Mailbox()
		fmt.Fprintf(stdout, "quote requests are kept in %s/ and shown at /_mail/\n", *outbox)
	} else {
		go quotes.Start(ctx)
		fmt.Fprintf(stdout, "quote requests are delivered through %s\n", qc.SMTP.Host)
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "kmopsite serve: %v\n", err)
		return 1
	}
	httpSrv := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "serving %d pages at http://%s/ (Ctrl+C to stop)\n", len(r.Pages), ln.Addr())
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
