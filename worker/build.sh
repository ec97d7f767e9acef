#!/bin/sh
# Builds the Worker into build/: our glue (js/worker.mjs, the entry, and
# js/glue.mjs), Go's wasm_exec.js from the Go that compiles the program,
# and the Go program as WebAssembly; then prints its gzipped size, which
# must stay under 3 MB (Cloudflare's limit for a Worker on the free plan
# is 3 MB compressed). KMOPSITE_WORKER_TAGS adds build tags (the tests'
# routes: workertest); KMOPSITE_WORKER_LDFLAGS= (empty) keeps the symbols, for a
# profile of the Worker with function names.
set -eu
cd "$(dirname "$0")"
# The words are embedded from words.json, generated from content/ by
# `go generate ./worker`; `go test ./worker` fails when it is stale.
rm -rf build
mkdir -p build
goroot=$(go env GOROOT)
support="$goroot/lib/wasm/wasm_exec.js"
[ -f "$support" ] || support="$goroot/misc/wasm/wasm_exec.js"
cp "$support" build/wasm_exec.js
cp js/worker.mjs js/glue.mjs build/
GOOS=js GOARCH=wasm go build -tags "${KMOPSITE_WORKER_TAGS:-}" -trimpath -ldflags="${KMOPSITE_WORKER_LDFLAGS--s -w}" -o build/app.wasm .
size=$(cat build/app.wasm build/*.mjs build/*.js | gzip -9 | wc -c)
echo "worker: build/app.wasm $(wc -c < build/app.wasm) bytes, all of build/ gzipped $size bytes (limit 3000000)"
[ "$size" -lt 3000000 ] || { echo "worker: over the 3 MB limit" >&2; exit 1; }
