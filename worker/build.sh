#!/bin/sh
# Builds the Worker into build/: the JavaScript shim of github.com/syumai/workers
# (the version in go.mod) and the Go program as WebAssembly, then prints its
# gzipped size, which must stay under 3 MB (Cloudflare's limit for a Worker on
# the free plan is 3 MB compressed).
set -eu
cd "$(dirname "$0")"
# The words are embedded from words.json, generated from content/ by
# `go generate ./worker`; `go test ./worker` fails when it is stale.
go run github.com/syumai/workers/cmd/workers-assets-gen -mode=go -o build
GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o build/app.wasm .
size=$(cat build/app.wasm build/*.mjs build/*.js | gzip -9 | wc -c)
echo "worker: build/app.wasm $(wc -c < build/app.wasm) bytes, all of build/ gzipped $size bytes (limit 3000000)"
[ "$size" -lt 3000000 ] || { echo "worker: over the 3 MB limit" >&2; exit 1; }
