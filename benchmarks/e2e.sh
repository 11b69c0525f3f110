#!/usr/bin/env bash
# End-to-end command latency (issue 5, measurement 2): a search as a person
# or a script sees it, one fresh process per search, output to /dev/null.
#
#   benchmarks/e2e.sh [--runs N] [--rounds R] [--warmup W] [--out FILE] ROOT WORK [QUERY...]
#
# Compares, in the same run:
#   papersearch --db WORK/db --facets QUERY       (top 10, snippets, facets)
#   quest -d WORK/omega -o and QUERY              (omindex database of ROOT)
#   rg -i QUERY ROOT/meta ROOT/notes              (every matching line)
#   sqlite3 WORK/fts5.sqlite "SELECT ... MATCH ... ORDER BY rank LIMIT 10"
# Each database is built first when WORK lacks it. hyperfine runs the
# commands one after the other; to alternate, every query is measured in R
# rounds (each with N runs after W warm-ups) with the commands' order rotated
# from round to round, and the median of the rounds' medians is reported.
# QUERY: plain words only (each peer reads them as all-words); default
# "kv cache eviction", "sparse attention", "quantization".
#
# Prints a table; --out FILE also writes tab-separated lines
# "query engine median_ms ratio" (ratio: engine's median / papersearch's).
# A peer that is not installed is skipped with a message.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

runs=10 rounds=3 warmup=3 out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) break ;;
  esac
done
[[ $# -ge 2 ]] || die "usage: e2e.sh [--runs N] [--rounds R] [--warmup W] [--out FILE] ROOT WORK [QUERY...]"
root=$(cd "$1" && pwd) || die "no collection at $1"
work=$2
shift 2
queries=("$@")
[[ ${#queries[@]} -gt 0 ]] || queries=("kv cache eviction" "sparse attention" "quantization")
for q in "${queries[@]}"; do
  [[ "$q" =~ ^[A-Za-z0-9\ ]+$ ]] || die "query '$q': plain words only (letters, digits, spaces)"
done
[[ -d "$root/meta" ]] || die "$root has no meta/"
require_build
have_peer hyperfine || { note "SKIP e2e: hyperfine is needed to measure anything"; exit 0; }
mkdir -p "$work"

# The databases.
if [[ ! -e "$work/db" ]]; then
  note "indexing $root with paperindex"
  "$PAPERINDEX" --root "$root" --db "$work/db" --full --quiet
fi
engines=(papersearch)
if have_peer quest && have_peer omindex; then
  if [[ ! -e "$work/omega" ]]; then
    note "indexing $root with omindex"
    build_omindex "$root" "$work/omega"
  fi
  engines+=(quest)
fi
have_peer rg && engines+=(rg)
if have_peer sqlite3; then
  if [[ ! -e "$work/fts5.sqlite" ]]; then
    note "loading $root into SQLite FTS5"
    build_fts5 "$root" "$work/fts5.sqlite"
  fi
  engines+=(sqlite-fts5)
fi

command_for() {  # ENGINE QUERY
  case "$1" in
    papersearch) echo "$PAPERSEARCH --db '$work/db' --facets '$2'" ;;
    quest) echo "quest -d '$work/omega' -o and '$2'" ;;
    rg) echo "rg -i '$2' '$root/meta' '$root/notes'" ;;
    sqlite-fts5) echo "sqlite3 '$work/fts5.sqlite' \"$(fts5_query "$2")\"" ;;
  esac
}

# Each command once, so that a broken database fails here rather than being
# timed as a fast error (hyperfine -i below accepts any exit status).
for q in "${queries[@]}"; do
  for engine in "${engines[@]}"; do
    status=0
    bash -c "$(command_for "$engine" "$q")" >/dev/null 2>&1 || status=$?
    [[ $status -le 1 ]] ||
      die "$engine failed (exit $status) on '$q': $(command_for "$engine" "$q")"
  done
done

raw=$(mktemp)
trap 'rm -f "$raw" "$raw.csv"' EXIT
for ((round = 0; round < rounds; round++)); do
  for q in "${queries[@]}"; do
    args=()
    n=${#engines[@]}
    for ((k = 0; k < n; k++)); do
      engine=${engines[$(((k + round) % n))]}
      args+=(-n "$engine" "$(command_for "$engine" "$q")")
    done
    # -i: an engine finding nothing exits 1, which is an answer, not a failure.
    hyperfine -N -i --style none --warmup "$warmup" --runs "$runs" \
      --export-csv "$raw.csv" "${args[@]}" >/dev/null 2>&1 ||
      die "hyperfine failed on '$q'; run it by hand: hyperfine -N ${args[*]}"
    # CSV: command,mean,stddev,median,... in seconds.
    tail -n +2 "$raw.csv" | awk -F, -v q="$q" -v r="$round" \
      '{ printf "%s\t%s\t%d\t%.3f\n", q, $1, r, $4 * 1000 }' >>"$raw"
  done
done

summary=$(mktemp)
for q in "${queries[@]}"; do
  base=$(awk -F'\t' -v q="$q" '$1 == q && $2 == "papersearch" { print $4 }' "$raw" | median)
  for engine in "${engines[@]}"; do
    m=$(awk -F'\t' -v q="$q" -v e="$engine" '$1 == q && $2 == e { print $4 }' "$raw" | median)
    awk -v q="$q" -v e="$engine" -v m="$m" -v b="$base" \
      'BEGIN { printf "%s\t%s\t%.2f\t%.2f\n", q, e, m, m / b }' >>"$summary"
  done
done
echo "end-to-end latency, median of $rounds rounds x $runs runs (ms; ratio = engine / papersearch)"
awk -F'\t' '{ printf "  %-22s %-12s %9.2f ms  %6.2fx\n", $1, $2, $3, $4 }' "$summary"
if [[ -n "$out" ]]; then cp "$summary" "$out"; fi
rm -f "$summary"
