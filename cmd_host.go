package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"kmopsite/quote"
	"kmopsite/server"
)

// runHost is kmopsite host, the public server; the work is in
// server.Host.
func runHost(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("host", stderr)
	source := fs.String("source", ".", "the folder of site.yaml, for its deployment settings (host names, proxies, mail)")
	addr := fs.String("addr", "localhost:8080", "the address to listen on")
	public := fs.String("public", "public", "the site written by kmopsite build")
	outbox := fs.String("outbox", "outbox", "the folder where quote requests and their mails are kept")
	rateLimit := fs.Int("rate-limit", -1, "quote requests per minute per address (0: no limit; default from site.yaml)")
	keepMail := fs.Bool("keep-mail", false, "run without SMTP settings: the mails stay in the outbox")
	logJSON := fs.Bool("log-json", false, "log in JSON, one object a line")
	if !parseFlags(fs, args, stderr) {
		return 2
	}
	var handler slog.Handler = slog.NewTextHandler(stderr, nil)
	if *logJSON {
		handler = slog.NewJSONHandler(stderr, nil)
	}
	logger := slog.New(handler)

	h, err := server.NewHost(ctx, server.HostOptions{Source: *source, Public: *public, Outbox: *outbox,
		RateLimit: *rateLimit, Logger: logger})
	if err != nil {
		fmt.Fprintf(stderr, "kmopsite host: %v\n", err)
		return 1
	}
	if h.Quotes().SMTP() == nil && !*keepMail {
		fmt.Fprintf(stderr, "kmopsite host: site.yaml has no mail.smtp settings, so quote requests would stay in %s/ unread\n"+
			"hint: add mail: smtp: to site.yaml, or start with --keep-mail if the mails are meant to stay in the outbox\n", *outbox)
		return 2
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "kmopsite host: %v\n", err)
		return 1
	}
	h.Quotes().Start(ctx)
	go h.Run(ctx)
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second, // headers and body: a stalled body is cut off
		WriteTimeout:      2 * time.Minute,  // the largest file at a slow mobile's pace
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(handler, slog.LevelWarn),
	}
	mail := "kept in " + *outbox
	if s := h.Quotes().SMTP(); s != nil {
		mail = "delivered through " + s.Host
	}
	logger.Info("serving", "addr", ln.Addr().String(), "files", h.Files(), "mail", mail, "max_body", quote.MaxBody)
	fmt.Fprintf(stdout, "serving %s at http://%s/ (quote mails %s)\n", *public, ln.Addr(), mail)

	done := make(chan struct{})
	go func() {
		defer close(done)
		<-ctx.Done()
		// Let the requests in flight finish; new connections are refused.
		shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdown); err != nil {
			logger.Warn("stopped before every request finished", "error", err)
		}
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "kmopsite host: %v\n", err)
		return 1
	}
	<-done
	logger.Info("stopped")
	return 0
}
