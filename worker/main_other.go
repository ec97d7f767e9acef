//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// main says how to build the Worker: it only runs as WebAssembly.
func main() {
	fmt.Fprintln(os.Stderr, "the quote Worker runs on Cloudflare Workers: build it with `npm run build` in worker/ (GOOS=js GOARCH=wasm), see worker/README.md")
	os.Exit(2)
}
