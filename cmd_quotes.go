package main

import (
	"fmt"
	"io"

	"kmopsite/quote"
)

// runQuotes is kmopsite quotes: what an operator does with the stored
// quote requests. One subcommand for now:
//
//	kmopsite quotes forget EMAIL [--outbox DIR]
func runQuotes(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "forget" {
		fmt.Fprint(stderr, "usage: kmopsite quotes forget EMAIL [--outbox DIR]\n")
		return 2
	}
	fs := newFlags("quotes forget", stderr)
	outbox := fs.String("outbox", "outbox", "the folder where quote requests and their mails are kept")
	// The address may come before or after the flags.
	rest := args[1:]
	email := ""
	if len(rest) > 0 && len(rest[0]) > 0 && rest[0][0] != '-' {
		email, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return 2
	}
	if email == "" && fs.NArg() == 1 {
		email = fs.Arg(0)
	} else if fs.NArg() > 0 || email == "" {
		fmt.Fprint(stderr, "usage: kmopsite quotes forget EMAIL [--outbox DIR]\n")
		return 2
	}
	ids, err := quote.Forget(*outbox, email)
	for _, id := range ids {
		fmt.Fprintf(stdout, "deleted %s\n", id)
	}
	if err != nil {
		fmt.Fprintf(stderr, "kmopsite quotes forget: %v\n", err)
		return 1
	}
	switch len(ids) {
	case 0:
		fmt.Fprintf(stdout, "no request of %s in %s\n", email, *outbox)
	case 1:
		fmt.Fprintf(stdout, "deleted 1 request of %s and its mails from %s\n", email, *outbox)
	default:
		fmt.Fprintf(stdout, "deleted %d requests of %s and their mails from %s\n", len(ids), email, *outbox)
	}
	return 0
}
