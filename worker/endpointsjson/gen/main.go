// Command gen writes worker/endpoints.json, the built site's endpoints'
// file; `go generate ./worker` runs it from the worker folder.
package main

import (
	"fmt"
	"os"

	"kmopsite/worker/endpointsjson"
)

func main() {
	b, err := endpointsjson.Generate("..")
	if err != nil {
		fmt.Fprintln(os.Stderr, "worker/endpoints.json:", err)
		os.Exit(1)
	}
	if err := os.WriteFile("endpoints.json", b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
