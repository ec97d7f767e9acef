#!/usr/bin/env bash
# make bench: build speed and peak memory of kmopsite against Hugo, side by
# side in one run, on generated trilingual Markdown corpora (the same
# Markdown for both; minimal, comparable layouts: scripts/gencorpus).
#
#   bash scripts/bench.sh                  # 1,000, 3,000 and 10,000 pages
#   SIZES="100 1000" bash scripts/bench.sh
#   RECORD=0 bash scripts/bench.sh         # print only, keep docs/ as it is
#
# Every build starts from an empty destination. Wall time is hyperfine's
# median; CPU time (user + system) its mean, which other work on the
# machine disturbs less; peak memory (maximum resident set size) is the
# median of three runs under /usr/bin/time. A ratio is kmopsite/hugo: the
# goals are at most 0.4 for time and 0.5 for memory. When build has a
# search index, kmopsite is timed with --no-search and the index's own
# time (Pagefind's, as build reports it, and the CPU time a build with it
# adds) and size are printed beside, in all and per 1,000 pages. The run is added to docs/performance.tsv, and
# scripts/benchreport writes docs/performance.md and its chart,
# docs/performance.svg.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"1000 3000 10000"}
RECORD=${RECORD:-1}

# What the bench needs: Debian's hugo, hyperfine and time.
need=""
command -v hugo >/dev/null || need="$need hugo"
command -v hyperfine >/dev/null || need="$need hyperfine"
[ -x /usr/bin/time ] || need="$need time"
if [ -n "$need" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "bench: install$need (Debian packages) first" >&2
		exit 1
	fi
	echo "bench: installing$need" >&2
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/kmopsite" .
go build -o "$work/gencorpus" ./scripts/gencorpus

runs_for() { # fewer runs for the big corpus
	case $1 in
	100) echo 20 ;;
	1000) echo 10 ;;
	*) echo 5 ;;
	esac
}

# median of numbers, one a line
median() { sort -n | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

# peak memory in KB of a command run three times from an empty destination
peak() {
	local dest=$1
	shift
	for _ in 1 2 3; do
		rm -rf "$dest"
		/usr/bin/time -f %M -o "$work/mem" "$@" >/dev/null 2>&1
		cat "$work/mem"
	done | median
}

# build --no-search when build has a search index
nosearch=()
# (build -h exits 2: under pipefail the pipe would be false without || true)
if { "$work/kmopsite" build -h 2>&1 || true; } | grep -q -- '-no-search'; then
	nosearch=(--no-search)
fi
# The search index beside the build (build --no-search is what is timed):
# Pagefind's wall time and the bundle's size from build's "search:" line,
# and the CPU time (user + system, Pagefind's process included) that a
# build with the index takes beyond one without; the median of three of
# each. The corpus gets the repository's node_modules (Pagefind).
search_rows=()
search_index() {
	local n=$1 c=$2
	[ -d node_modules/pagefind ] || return 0
	ln -s "$PWD/node_modules" "$c/kmopsite/node_modules"
	for _ in 1 2 3; do
		rm -rf "$c/out-s"
		/usr/bin/time -f "cpu %U %S" -o "$work/cpu" "$work/kmopsite" build --source "$c/kmopsite" --dest "$c/out-s" |
			sed -n 's/^search: \([0-9]*\) pages.*, \([0-9]*\) bytes in \([0-9.]*\) s$/\3 \2 \1/p' | tr '\n' ' '
		awk '/^cpu/ {printf "%s ", $2 + $3}' "$work/cpu"
		rm -rf "$c/out-s"
		/usr/bin/time -f "cpu %U %S" -o "$work/cpu" "$work/kmopsite" build --no-search --source "$c/kmopsite" --dest "$c/out-s" >/dev/null
		awk '/^cpu/ {print $2 + $3}' "$work/cpu"
	done >"$work/s$n"
	rm -rf "$c/out-s"
	local b p d
	ss=$(cut -d' ' -f1 "$work/s$n" | median)
	b=$(cut -d' ' -f2 "$work/s$n" | median)
	p=$(cut -d' ' -f3 "$work/s$n" | median)
	d=$(awk '{print $4 - $5}' "$work/s$n" | median)
	sk=$(awk -v b="$b" 'BEGIN {printf "%d", b/1024}')
	search_rows+=("$(awk -v n="$n" -v p="$p" -v t="$ss" -v b="$b" -v d="$d" 'BEGIN {
		printf "%6d  %7d  %8.3f  %8.3f  %8.3f  %8.3f  %7.1f  %7.2f\n", n, p, t, t/p*1000, d, d/p*1000, b/1048576, b/p*1000/1048576 }')")
}

machine="$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPUs, $(free -g | awk '/^Mem:/ {print $2}') GB"
versions="$(go version | cut -d' ' -f3), hugo $(hugo version | cut -d' ' -f2 | cut -d+ -f1), kmopsite at $(git rev-parse --short HEAD 2>/dev/null || echo ?)"
date=$(date -u +%Y-%m-%dT%H:%MZ)
printf 'date\tmachine\tversions\tpages\thtml_k\thtml_h\twall_k\twall_h\tcpu_k\tcpu_h\tmb_k\tmb_h\tsearch_s\tsearch_kb\n' >"$work/run.tsv"

echo "kmopsite against $(hugo version | cut -d' ' -f1-2), $(go version | cut -d' ' -f3), $(nproc) CPUs"
echo "(on a machine shared with other work, the figures vary from run to run)"
echo
rows=()
for n in $SIZES; do
	c="$work/c$n"
	"$work/gencorpus" -pages "$n" -out "$c"
	k=("$work/kmopsite" build "${nosearch[@]}" --source "$c/kmopsite" --dest "$c/out-k")
	h=(hugo --source "$c/hugo" --destination "$c/out-h" --quiet)
	hyperfine -N --style basic --warmup 1 --runs "$(runs_for "$n")" \
		--prepare "rm -rf $c/out-k $c/out-h" \
		--export-csv "$work/t$n.csv" \
		-n "kmopsite $n" "${k[*]}" -n "hugo $n" "${h[*]}" >&2
	# hyperfine's CSV: command,mean,stddev,median,user,system,min,max
	kt=$(awk -F, '$1 ~ /^kmopsite/ {print $4}' "$work/t$n.csv")
	ht=$(awk -F, '$1 ~ /^hugo/ {print $4}' "$work/t$n.csv")
	kc=$(awk -F, '$1 ~ /^kmopsite/ {print $5 + $6}' "$work/t$n.csv")
	hc=$(awk -F, '$1 ~ /^hugo/ {print $5 + $6}' "$work/t$n.csv")
	km=$(peak "$c/out-k" "${k[@]}")
	hm=$(peak "$c/out-h" "${h[@]}")
	kp=$(find "$c/out-k" -name '*.html' | wc -l)
	hp=$(find "$c/out-h" -name '*.html' | wc -l)
	ss="" sk="" # the search index's own time and size
	if [ ${#nosearch[@]} -gt 0 ]; then
		search_index "$n" "$c"
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$date" "$machine" "$versions" "$n" "$kp" "$hp" \
		"$kt" "$ht" "$kc" "$hc" "$(awk -v m="$km" 'BEGIN {printf "%.1f", m/1024}')" "$(awk -v m="$hm" 'BEGIN {printf "%.1f", m/1024}')" "$ss" "$sk" >>"$work/run.tsv"
	rows+=("$(awk -v n="$n" -v kt="$kt" -v ht="$ht" -v kc="$kc" -v hc="$hc" -v km="$km" -v hm="$hm" -v kp="$kp" -v hp="$hp" 'BEGIN {
		printf "%6d  %5d/%-5d  %8.3f  %8.3f  %5.2f   %7.3f  %7.3f  %5.2f   %7.1f  %7.1f  %5.2f\n",
			n, kp, hp, kt, ht, kt/ht, kc, hc, kc/hc, km/1024, hm/1024, km/hm }')")
	rm -rf "$c"
done
echo
echo "wall: median seconds; cpu: mean user+system seconds; MB: median peak resident memory"
printf "%6s  %11s  %8s  %8s  %5s   %7s  %7s  %5s   %7s  %7s  %5s\n" pages "html k/h" "wall k" "wall h" ratio "cpu k" "cpu h" ratio "MB k" "MB h" ratio
printf "%s\n" "${rows[@]}"
if [ ${#search_rows[@]} -gt 0 ]; then
	echo
	echo "search index (Pagefind, not in the times above), in all and per 1,000 pages indexed:"
	echo "wall: median seconds of the indexing; cpu: median user+system seconds a build with it adds; MB: the bundle"
	printf "%6s  %7s  %8s  %8s  %8s  %8s  %7s  %7s\n" pages indexed "wall" "wall/1k" "cpu" "cpu/1k" "MB" "MB/1k"
	printf "%s\n" "${search_rows[@]}"
fi
if [ "$RECORD" = 1 ]; then
	go run ./scripts/benchreport -add "$work/run.tsv"
	echo "added to docs/performance.tsv; wrote docs/performance.md and docs/performance.svg"
fi
