// Command gen writes worker/words.json from the site's words; `go
// generate ./worker` runs it from the worker folder.
package main

import (
	"fmt"
	"os"

	"kmopsite/worker/wordsjson"
)

func main() {
	b, err := wordsjson.Generate(os.DirFS(".."))
	if err != nil {
		fmt.Fprintln(os.Stderr, "worker/words.json:", err)
		os.Exit(1)
	}
	if err := os.WriteFile("words.json", b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
