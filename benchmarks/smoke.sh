#!/usr/bin/env bash
# CI smoke test of the benchmarks: everything run_all.sh does, at 1,000
# generated papers with few repetitions, in a temporary directory. Checks only
# that every step runs and prints numbers; no timing is checked. A peer that
# is not installed is skipped with a message (bash deploy/install-deps --bench
# installs them all).
#
#   [PAPERSEARCH_BUILD=build] benchmarks/smoke.sh
#
# Learns the collection's statistics from ../shared/corpus/efficientpaper-
# 2026-04-08 when present (PAPERSEARCH_SNAPSHOT), else from the repository's
# bundled meta/ (records without notes).
set -euo pipefail
bench_dir=$(cd "$(dirname "$0")" && pwd)
repo_dir=$(cd "$bench_dir/.." && pwd)
# CI builds in build/; a developer's benchmark build is build-bench/.
if [[ -z "${PAPERSEARCH_BUILD:-}" && ! -x "$repo_dir/build-bench/benchmarks/query_bench" ]]; then
  export PAPERSEARCH_BUILD=$repo_dir/build
fi
source "$bench_dir/lib.sh"
require_build

snapshot=${PAPERSEARCH_SNAPSHOT:-$REPO_DIR/../shared/corpus/efficientpaper-2026-04-08}
if [[ ! -d "$snapshot/meta" ]]; then
  note "no snapshot at $snapshot: learning from the bundled meta/ instead"
  snapshot=$REPO_DIR
fi
export PAPERSEARCH_SNAPSHOT=$snapshot

work=$(mktemp -d /tmp/papersearch-smoke.XXXXXX)
trap 'rm -rf "$work"' EXIT
start=$(date +%s)
bash "$BENCH_DIR/run_all.sh" --quick --work "$work" 1k

# Each step printed numbers: one line per engine, numeric where it matters.
check() {  # FILE DESCRIPTION AWK-CONDITION
  [[ -s "$1" ]] || die "smoke: $2 wrote nothing ($1)"
  awk -F'\t' "$3 { ok = 1 } END { exit !ok }" "$1" || die "smoke: $2 has no numbers: $(cat "$1")"
}
check "$work/query.tsv" "query_bench" '$2 == "papersearch" && $5 > 0'
check "$work/query.tsv" "query_bench (bare Xapian)" '$2 == "xapian" && $5 > 0'
check "$work/index.tsv" "index_bench" '$2 == "paperindex" && $5 > 0'
check "$work/e2e.tsv" "e2e.sh" '$3 == "papersearch" && $4 > 0'
if have_peer omindex; then
  check "$work/index.tsv" "index_bench (omindex)" '$2 == "omindex" && $5 > 0'
fi
if have_peer quest && have_peer omindex; then
  check "$work/e2e.tsv" "e2e.sh (quest)" '$3 == "quest" && $4 > 0'
fi
grep -q '^| 1k ' "$work/results.md" || die "smoke: results.md has no 1k row"
if have_peer gnuplot; then
  [[ -s "$work/latency.png" ]] || die "smoke: no plot"
fi
echo "benchmarks smoke test passed in $(($(date +%s) - start)) s"
