#!/usr/bin/env bash
# How indexing time grows with the values of one record: a one-paper
# collection whose record lists N authors, for N = 5,000, 20,000 and 100,000
# (the last is over kMaxFieldValues, so its first 20,000 are indexed, with a
# warning). Time should grow linearly in N up to the limit (it was quadratic:
# 20,000 authors took about 25 s before issue 28) and stop growing past it,
# apart from parsing. omindex on the same file is the peer: it indexes the
# record as plain text.
#
#   [PAPERSEARCH_BUILD=build] benchmarks/many_values.sh [RUNS]
#
# Prints, per N: the record's size, the median wall seconds of RUNS (default
# 5) full builds, the seconds per 1,000 authors, and omindex's median.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
[[ -x "$PAPERINDEX" ]] || die "missing $PAPERINDEX (set PAPERSEARCH_BUILD)"
runs=${1:-5}
work=$(mktemp -d /tmp/papersearch-many.XXXXXX)
trap 'rm -rf "$work"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# seconds CMD...: the wall time of one run, in seconds.
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f\n", b - a }' 
}

printf '%-8s %10s %12s %16s %14s\n' authors bytes "median s" "s per 1k" "omindex s"
for n in 5000 20000 100000; do
  root=$work/c$n
  mkdir -p "$root/meta/2024"
  awk -v n="$n" 'BEGIN {
    print "paper {\n  title: \"Many authors\""
    for (i = 0; i < n; i++) printf "  authors: \"Author%d Surname%d\"\n", i, i * 7
    print "}\npub {\n  year: 2024\n}"
  }' >"$root/meta/2024/Many.prototxt"
  bytes=$(stat -c %s "$root/meta/2024/Many.prototxt")
  ours=$(for _ in $(seq "$runs"); do
    seconds "$PAPERINDEX" --root "$root" --db "$work/db$n" --full --quiet
  done | median)
  peer=-
  if have_peer omindex; then
    peer=$(for _ in $(seq "$runs"); do
      rm -rf "$work/omega$n"
      seconds omindex --db "$work/omega$n" --url / "${OMINDEX_TYPES[@]}" "$root/meta"
    done | median)
  fi
  per_k=$(awk -v s="$ours" -v n="$n" 'BEGIN { printf "%.4f", s * 1000 / n }')
  printf '%-8s %10s %12s %16s %14s\n' "$n" "$bytes" "$ours" "$per_k" "$peer"
done
