// Command kmopsite builds and serves the site of a KMOP audit body.
//
//	kmopsite build [--source DIR] [--dest DIR]   write the static site
//	kmopsite serve [--addr HOST:PORT] [--outbox DIR] [--rate-limit N]   the editors' preview, on loopback
//	kmopsite host [--addr HOST:PORT] [--public DIR] [--outbox DIR] [--rate-limit N] [--keep-mail]
//	                                             serve the built site and the quote endpoint to the public
//	kmopsite quotes forget EMAIL [--outbox DIR]  delete one applicant's requests and mails
//	kmopsite check [--source DIR]                run every check, write nothing
//	kmopsite assess                              answers JSON on stdin, result JSON on stdout
//	kmopsite new PATH                            start a new page in every language
//
// Exit status: 0 on success, 1 on diagnostics, 2 on usage errors.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `usage: kmopsite <command> [flags]

commands:
  build   write the static site (--source DIR, --dest DIR)
  serve   preview the site with live reload, on loopback only (--addr, --outbox, --rate-limit)
  host    serve the built site and the quote endpoint to the public
          (--addr, --public, --outbox, --rate-limit, --keep-mail, --log-json)
  quotes  quotes forget EMAIL [--outbox DIR]: delete one applicant's requests and mails
  check   run every check and report translation status; writes nothing
  assess  read self-check answers as JSON on stdin, write the result as JSON
  new     start a new page in every language: kmopsite new nieuws/mijn-bericht.md
`

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "build":
		return runBuild(ctx, args, stdout, stderr)
	case "serve":
		return runServe(ctx, args, stdout, stderr)
	case "host":
		return runHost(ctx, args, stdout, stderr)
	case "quotes":
		return runQuotes(args, stdout, stderr)
	case "check":
		return runCheck(ctx, args, stdout, stderr)
	case "assess":
		return runAssess(args, stdin, stdout, stderr)
	case "new":
		return runNew(args, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "kmopsite: unknown command %q\n\n%s", cmd, usage)
	return 2
}

// newFlags makes a flag set that reports usage errors on stderr.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("kmopsite "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses and rejects stray arguments; false means exit 2.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) bool {
	if err := fs.Parse(args); err != nil {
		return false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return false
	}
	return true
}
