package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"kmopsite/assess"
	"kmopsite/assess/codec"
)

// maxAnswers bounds what assess reads: real answers are under 2 KB.
const maxAnswers = 1 << 20

// runAssess is `kmopsite assess`: the answers JSON of docs/rules.md on
// stdin, the result JSON on stdout. Answers that break the contract are
// reported on stderr, one line per key, with exit status 1.
func runAssess(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("assess", stderr)
	date := fs.String("date", "", "the day `YYYY-MM-DD` the rules are applied for when the answers carry none (default today)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: kmopsite assess [--date YYYY-MM-DD] < answers.json\n\n"+
			"Reads the self-check's answers as JSON on stdin and writes the result as JSON\n"+
			"on stdout (docs/rules.md).\n\n")
		fs.PrintDefaults()
	}
	if !parseFlags(fs, args, stderr) {
		return 2
	}
	today := *date
	if today == "" {
		today = time.Now().Format(time.DateOnly)
	} else if !assess.ValidDate(today) {
		fmt.Fprintf(stderr, "kmopsite assess: --date %q is not a day written YYYY-MM-DD\n", today)
		return 2
	}

	data, err := io.ReadAll(io.LimitReader(stdin, maxAnswers+1))
	if err != nil {
		fmt.Fprintf(stderr, "kmopsite assess: reading the answers: %v\n", err)
		return 1
	}
	if len(data) > maxAnswers {
		fmt.Fprintf(stderr, "kmopsite assess: the answers are over %d bytes; real answers are a few hundred\n", maxAnswers)
		return 1
	}
	a, err := codec.Decode(data, today)
	if err != nil {
		var es *codec.Errors
		if errors.As(err, &es) && len(es.Problems) > 1 {
			fmt.Fprintf(stderr, "kmopsite assess: %d problems in the answers:\n", len(es.Problems))
		}
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintf(stderr, "kmopsite assess: %s\n", line)
		}
		return 1
	}
	stdout.Write(codec.EncodeResult(assess.Evaluate(a)))
	fmt.Fprintln(stdout)
	return 0
}
