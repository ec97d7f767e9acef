#!/usr/bin/env bash
# make bench-serve: edit-to-page latency of `kmopsite serve` against
# `hugo server`, side by side in one run, on the generated trilingual
# corpora of make bench (scripts/gencorpus: the same Markdown for both).
#
#   bash scripts/bench-serve.sh                 # 1,000 and 10,000 pages
#   SIZES=1000 EDITS=20 bash scripts/bench-serve.sh
#
# For each corpus, each server runs alone (one after the other), the
# edited page is fetched once (the browser showing it), then the page's
# Markdown file is rewritten EDITS times, and scripts/benchserve times each
# edit from the write to the first HTTP answer holding the edit, fetched
# on the reload message reaching a connected client, as a browser does:
# kmopsite's Server-Sent Events (/_reload, the "reload" event naming the
# page) and Hugo's LiveReload WebSocket (/livereload, the "reload"
# command). Hugo runs with its defaults (in memory, fast render).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"1000 10000"}
EDITS=${EDITS:-30}

command -v hugo >/dev/null || { echo "bench-serve: needs Debian's hugo (make deps-debian)" >&2; exit 1; }
[ -f scripts/gencorpus/main.go ] || { echo "bench-serve: needs scripts/gencorpus (the corpus of make bench)" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/kmopsite" .
go build -o "$work/gencorpus" ./scripts/gencorpus
go build -o "$work/benchserve" ./scripts/benchserve

# a free TCP port on the loopback
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# wait until a URL answers 200, or give up after a few minutes
ready() {
	for _ in $(seq 1 1800); do
		if curl -fs -o /dev/null "$1"; then return 0; fi
		sleep 0.1
	done
	echo "bench-serve: $1 did not answer" >&2
	return 1
}

stop() { # stop the last server started
	local p=${pids[-1]}
	kill "$p" 2>/dev/null || true
	wait "$p" 2>/dev/null || true
	unset 'pids[-1]'
}

echo "kmopsite serve against $(hugo version | cut -d' ' -f1-2), $(go version | cut -d' ' -f3), $(nproc) CPUs"
echo "write → the first HTTP answer holding the edit, $EDITS edits of one page; times in ms"
echo "(on a machine shared with other work, the figures vary from run to run)"
echo
printf "%-24s %4s  %8s  %8s  %8s  %8s\n" "server, pages" edits median p95 min max
page=nl/sectie-1/pagina-1
for n in $SIZES; do
	c="$work/c$n"
	"$work/gencorpus" -pages "$n" -out "$c"

	p=$(port)
	"$work/kmopsite" serve --source "$c/kmopsite" --addr "127.0.0.1:$p" --outbox "$work/outbox" \
		>"$work/kmopsite-$n.out" 2>"$work/kmopsite-$n.log" &
	pids+=($!)
	ready "http://127.0.0.1:$p/$page/"
	"$work/benchserve" -proto sse -url "http://127.0.0.1:$p" -page "/$page/" \
		-file "$c/kmopsite/content/$page.md" -edits "$EDITS" -name "kmopsite serve, $n"
	stop

	p=$(port)
	hugo server --source "$c/hugo" --bind 127.0.0.1 --port "$p" --baseURL "http://127.0.0.1:$p/" \
		>"$work/hugo-$n.log" 2>&1 &
	pids+=($!)
	ready "http://127.0.0.1:$p/$page/"
	"$work/benchserve" -proto livereload -url "http://127.0.0.1:$p" -page "/$page/" \
		-file "$c/hugo/content/$page.md" -edits "$EDITS" -name "hugo server, $n"
	stop

	# kmopsite's own account of its last rebuild
	echo "    kmopsite's log: $(tail -1 "$work/kmopsite-$n.log" | cut -d' ' -f2-)"
	rm -rf "$c"
done
