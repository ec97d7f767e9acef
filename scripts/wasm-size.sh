#!/usr/bin/env bash
# Measures assess.wasm against the smallest Go js/wasm module with one
# exported function, built side by side with the same Go and the same flags
# as the site's build (build/wasm.go). Prints raw and brotli sizes and the
# ratio; the goal is a brotli ratio of at most 1.10.
#
# Usage: scripts/wasm-size.sh        (from anywhere in the repository)
# Needs: go, and brotli (Debian: apt-get install brotli).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
command -v go >/dev/null || { echo "wasm-size: the go command is not on PATH" >&2; exit 2; }
command -v brotli >/dev/null || { echo "wasm-size: the brotli command is not on PATH (Debian: apt-get install brotli)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The smallest module: one function set on globalThis, then wait forever.
mkdir -p "$tmp/min"
cat >"$tmp/min/go.mod" <<'GO'
module wasmmin

go 1.24
GO
cat >"$tmp/min/main.go" <<'GO'
//go:build js && wasm

package main

import "syscall/js"

func main() {
	js.Global().Set("f", js.FuncOf(func(this js.Value, args []js.Value) any { return nil }))
	select {}
}
GO

flags=(-trimpath -buildvcs=false "-ldflags=-s -w")
export GOOS=js GOARCH=wasm CGO_ENABLED=0 GOWORK=off
(cd "$tmp/min" && go build "${flags[@]}" -o "$tmp/min.wasm" .)
(cd "$root" && go build "${flags[@]}" -o "$tmp/assess.wasm" ./assess/wasm)

size() { wc -c <"$1" | tr -d ' '; }
br() { brotli -c -q 11 "$1" | wc -c | tr -d ' '; }

min_raw=$(size "$tmp/min.wasm");       min_br=$(br "$tmp/min.wasm")
ass_raw=$(size "$tmp/assess.wasm");    ass_br=$(br "$tmp/assess.wasm")

echo "$(go version) js/wasm, flags: ${flags[*]}"
printf '%-14s %10s %10s\n' module raw brotli
printf '%-14s %10d %10d\n' smallest "$min_raw" "$min_br"
printf '%-14s %10d %10d\n' assess.wasm "$ass_raw" "$ass_br"
awk -v a="$ass_raw" -v m="$min_raw" -v ab="$ass_br" -v mb="$min_br" 'BEGIN {
	printf "%-14s %10.3f %10.3f\n", "ratio", a / m, ab / mb
	printf "%-14s %10d %10d\n", "difference", a - m, ab - mb
	if (ab / mb > 1.10) { print "goal missed: brotli ratio above 1.10"; exit 1 }
	print "goal met: brotli ratio at most 1.10"
}'

# The time in Chromium from navigation until the first result is shown (a
# shared link with complete answers), as the page measures it.
unset GOOS GOARCH
echo
echo "time to first result in Chromium (ms/result, mean of 10 page loads):"
(cd "$root" && go test ./e2e -run '^$' -bench FirstResult -benchtime 10x | grep -E 'Benchmark|skip' || true)
