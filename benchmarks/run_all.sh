#!/usr/bin/env bash
# Every benchmark of issue 5 at the given sizes; regenerates
# benchmarks/results.md, benchmarks/latency.png and the results table in
# benchmarks/README.md.
#
#   benchmarks/run_all.sh [--commit REV] [--work DIR] [--quick] [--report-only] SIZE...
#
# SIZE: "real" (a copy of the 2026-04-08 snapshot, 433 papers) or a number of
# generated papers: 1000, 10k, 1M, ... For each size: generate the collection
# (once; kept in WORK), index it with paperindex and omindex
# (index_bench.sh), run the query mix in process (query_bench), and time
# whole commands against quest, rg and SQLite FTS5 (e2e.sh).
#
# --commit REV  measure that commit: build it from `git archive REV` in WORK
#               (Release), not the working tree (which may hold others'
#               unfinished changes). Default: the build in PAPERSEARCH_BUILD
#               (build-bench), reported as HEAD plus "+local changes" if the
#               tree differs.
# --work DIR    collections, databases and raw numbers (default
#               /tmp/papersearch-bench; 100k papers need about 5 GB).
# --quick       few repetitions (the CI smoke test): numbers are not results,
#               and results.md, the plot and the README are not touched;
#               the report goes to WORK/results.md.
# --report-only regenerate the report from the numbers already in WORK.
#
# Above 10k papers one rg run takes seconds, so e2e.sh runs 2 rounds of 3
# runs after 1 warm-up there (10k and below: 3 rounds of 10 after 3).
#
# Outputs stay small; collections and databases never leave WORK.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

commit="" work=/tmp/papersearch-bench quick=0 report_only=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --commit) commit=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --quick) quick=1; shift ;;
    --report-only) report_only=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) break ;;
  esac
done
[[ $# -gt 0 ]] || die "usage: run_all.sh [--commit REV] [--work DIR] [--quick] SIZE... (e.g. real 1k 10k 100k)"
snapshot=${PAPERSEARCH_SNAPSHOT:-$REPO_DIR/../shared/corpus/efficientpaper-2026-04-08}
mkdir -p "$work"
work=$(cd "$work" && pwd)

# Sizes as paper counts ("real" stays).
sizes=()
for size in "$@"; do
  case "$size" in
    real) sizes+=(real) ;;
    *[kK]) sizes+=($((${size%[kK]} * 1000))) ;;
    *[mM]) sizes+=($((${size%[mM]} * 1000000))) ;;
    *[!0-9]*|"") die "size '$size': a number of papers (1000, 10k, 1M) or 'real'" ;;
    *) sizes+=("$size") ;;
  esac
done

# What is measured.
if [[ -n "$commit" ]]; then
  rev=$(git -C "$REPO_DIR" rev-parse --verify "$commit^{commit}") || die "no commit $commit"
  src=$work/src-${rev:0:12}
  if [[ ! -x "$src/build/searcher/papersearch" ]]; then
    note "building ${rev:0:12} in $src"
    rm -rf "$src" && mkdir -p "$src"
    git -C "$REPO_DIR" archive "$rev" | tar -x -C "$src"
    cmake -S "$src" -B "$src/build" -DCMAKE_BUILD_TYPE=Release -DPAPERSEARCH_BUILD_TESTS=OFF >/dev/null
    cmake --build "$src/build" -j2 >/dev/null
  fi
  export PAPERSEARCH_BUILD=$src/build
  source "$BENCH_DIR/lib.sh"
  measured="${rev:0:12} (clean build of the commit)"
else
  rev=$(git -C "$REPO_DIR" rev-parse HEAD)
  measured="${rev:0:12}"
  if [[ -n "$(git -C "$REPO_DIR" status --porcelain -- indexer searcher proto common CMakeLists.txt)" ]]; then
    measured+=" +local changes in the working tree"
  fi
fi
require_build
for peer in omindex quest rg sqlite3 hyperfine time; do have_peer "$peer" || true; done

if [[ $quick == 1 ]]; then
  index_reps=1 query_reps=2 e2e=(--runs 3 --rounds 1 --warmup 1)
else
  index_reps=2 query_reps=20 e2e=(--runs 10 --rounds 3 --warmup 3)
fi
e2e_big=(--runs 3 --rounds 2 --warmup 1)
index_tsv=$work/index.tsv query_tsv=$work/query.tsv e2e_tsv=$work/e2e.tsv
if [[ $report_only == 0 ]]; then : >"$index_tsv"; : >"$query_tsv"; : >"$e2e_tsv"; fi

label_of() {  # PAPERS -> 1k, 10k, 1M, real
  case "$1" in
    real) echo real ;;
    *000000) echo "$(($1 / 1000000))M" ;;
    *000) echo "$(($1 / 1000))k" ;;
    *) echo "$1" ;;
  esac
}

started=$(date -u '+%Y-%m-%d %H:%M UTC')
t0=$(date +%s)
for size in "${sizes[@]}"; do
  [[ $report_only == 0 ]] || break
  label=$(label_of "$size")
  root=$work/papers-$label
  if [[ ! -d "$root/meta" ]]; then
    rm -rf "$root"
    if [[ $size == real ]]; then
      [[ -d "$snapshot/meta" ]] || die "no snapshot at $snapshot (set PAPERSEARCH_SNAPSHOT)"
      note "copying the snapshot to $root (index_bench edits notes, then restores them)"
      cp -r "$snapshot" "$root"
    else
      [[ -d "$snapshot/meta" ]] || die "gen_collection learns from $snapshot (set PAPERSEARCH_SNAPSHOT)"
      note "generating $size papers in $root"
      "$GEN_COLLECTION" --papers "$size" --seed 1 --from "$snapshot" --out "$root" >/dev/null
    fi
  fi
  w=$work/w-$label
  rm -rf "$w"
  bash "$BENCH_DIR/index_bench.sh" --reps $([[ $size == real || $size -le 10000 ]] && echo "$index_reps" || echo 1) \
    --label "$label" --out "$index_tsv" "$root" "$w"
  "$QUERY_BENCH" --db "$w/db" --reps "$query_reps" --label "$label" \
    --summary "$query_tsv" --per-query "$work/per-query-$label.tsv" \
    --benchmark_counters_tabular=true
  e2e_args=("${e2e[@]}")
  [[ $quick == 1 || $size == real || $size -le 10000 ]] || e2e_args=("${e2e_big[@]}")
  bash "$BENCH_DIR/e2e.sh" "${e2e_args[@]}" --out "$w/e2e.tsv" "$root" "$w"
  sed "s/^/$label\t/" "$w/e2e.tsv" >>"$e2e_tsv"
done
elapsed="took $(($(date +%s) - t0)) s"
[[ $report_only == 0 ]] || elapsed="report regenerated from earlier numbers"

# ---------------------------------------------------------------------------
# The report.
results=$BENCH_DIR/results.md plot=$BENCH_DIR/latency.png
if [[ $quick == 1 ]]; then results=$work/results.md plot=$work/latency.png; fi

table() {
  echo "### In-process query latency (query_bench over benchmarks/queries.txt, ms)"
  echo
  echo "| papers | queries × reps | papersearch p50 | p95 | p99 | bare Xapian p50 | p95 | p99 | overhead (p50 ratio) |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  awk -F'\t' '$2 == "papersearch" { o[$1] = $0; order[++n] = $1 }
              $2 == "xapian" { x[$1] = $0 }
              END { for (i = 1; i <= n; i++) { l = order[i]; split(o[l], a, "\t"); split(x[l], b, "\t")
                printf "| %s | %d × %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2fx |\n",
                       l, a[3], a[4] / a[3], a[5], a[6], a[7], b[5], b[6], b[7], a[5] / b[5] } }' "$query_tsv"
  echo
  echo "### End-to-end command latency (e2e.sh, hyperfine medians, ms; ratio = peer / papersearch)"
  echo
  echo "| papers | query | papersearch | quest (omindex) | rg -i | SQLite FTS5 |"
  echo "| ---: | --- | ---: | ---: | ---: | ---: |"
  awk -F'\t' '{ key = $1 "\t" $2; if (!(key in seen)) { seen[key] = 1; keys[++n] = key }
                cell[key, $3] = ($3 == "papersearch") ? sprintf("%.1f", $4) : sprintf("%.1f (%.2fx)", $4, $5) }
              END { for (i = 1; i <= n; i++) { split(keys[i], k, "\t")
                printf "| %s | %s | %s | %s | %s | %s |\n", k[1], k[2], cell[keys[i], "papersearch"],
                  (keys[i] SUBSEP "quest") in cell ? cell[keys[i], "quest"] : "not installed",
                  (keys[i] SUBSEP "rg") in cell ? cell[keys[i], "rg"] : "not installed",
                  (keys[i] SUBSEP "sqlite-fts5") in cell ? cell[keys[i], "sqlite-fts5"] : "not installed" } }' "$e2e_tsv"
  echo
  echo "### Indexing (index_bench.sh; full: best of the runs; 1% edit: every 100th note changed)"
  echo
  echo "| papers | engine | full build s | papers/s | vs omindex | CPU ms/paper | peak MB | no-change reindex s | 1% edited reindex s | database MB |"
  echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  awk -F'\t' '$2 == "omindex" { om[$1] = $5 } { rows[++n] = $0 }
              END { for (i = 1; i <= n; i++) { split(rows[i], r, "\t")
                vs = (r[1] in om && om[r[1]] > 0) ? sprintf("%.2fx", r[5] / om[r[1]]) : "-"
                printf "| %s | %s | %.1f | %d | %s | %s | %s | %.2f | %.2f | %s |\n",
                       r[1], r[2], r[4], r[5], vs, r[6], r[7], r[8], r[9], r[11] } }' "$index_tsv"
}

machine() {
  local cpu
  cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
  echo "- CPU: $(nproc) cores available, ${cpu:-unknown}; memory: $(free -h | awk '/^Mem:/ { print $2 }')"
  echo "- OS: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r); $(xapian-config --version 2>/dev/null || echo xapian), $(omindex --version 2>/dev/null | head -1 || echo 'omindex not installed')"
  echo "- Load average when this report was written: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: compare ratios measured in the same run, not absolute times)"
}

not_run=""
if ! printf '%s\n' "${sizes[@]}" | grep -qx 1000000; then
  not_run="1M papers: not run in this report (see benchmarks/README.md)."
fi

{
  echo "# Benchmark results"
  echo
  echo "Generated by \`benchmarks/run_all.sh$( [[ -n $commit ]] && echo " --commit $commit") $*\` on $started (${elapsed})."
  echo "Do not edit by hand."
  echo
  echo "- Measured: papersearch at commit $measured, Release build"
  machine
  echo "- Collections: \`gen_collection --papers N --seed 1 --from efficientpaper-2026-04-08\`; \"real\" is that snapshot (433 papers)."
  [[ -n $not_run ]] && echo "- $not_run"
  echo
  table
  echo
  echo "## Exact commands"
  echo
  echo '```sh'
  echo "paperindex --root ROOT --db W/db --full --quiet           # and without --full: the reindexes"
  echo "omindex --db W/omega --url / ROOT ${OMINDEX_TYPES[*]}"
  echo "query_bench --db W/db --reps $query_reps --label SIZE     # benchmarks/queries.txt"
  echo "hyperfine -N -i --warmup ${e2e[5]} --runs ${e2e[1]} \\"
  echo "  \"papersearch --db W/db --facets 'kv cache eviction'\" \\"
  echo "  \"quest -d W/omega -o and 'kv cache eviction'\" \\"
  echo "  \"rg -i 'kv cache eviction' ROOT/meta ROOT/notes\" \\"
  echo "  \"sqlite3 W/fts5.sqlite \\\"$(fts5_query 'kv cache eviction')\\\"\"   # ${e2e[3]} rounds, order rotated"
  [[ $quick == 1 ]] || echo "# above 10k papers: --warmup ${e2e_big[5]} --runs ${e2e_big[1]}, ${e2e_big[3]} rounds"
  echo '```'
  echo
  echo '![query latency and indexing cost against collection size](latency.png)'
} >"$results"
note "wrote $results"

# The plot: sizes on a log axis ("real" plotted at its 433 papers).
if have_peer gnuplot; then
  data=$work/plot.dat
  real_papers=$(count_papers "$work/papers-real" 2>/dev/null || echo 433)
  awk -F'\t' -v rp="$real_papers" 'FNR == 1 { f++ }
      { n = ($1 == "real") ? rp : $1; sub(/k$/, "000", n); sub(/M$/, "000000", n) }
      f == 1 && $2 == "papersearch" { q50[n] = $5; q99[n] = $7; sizes[n] = 1 }
      f == 1 && $2 == "xapian" { x50[n] = $5; x99[n] = $7 }
      f == 2 && $2 == "paperindex" { pi[n] = $6 }
      f == 2 && $2 == "omindex" { om[n] = $6 }
      END { for (s in sizes) printf "%s %s %s %s %s %s %s\n", s, q50[s], q99[s], x50[s], x99[s],
                                     (s in pi) ? pi[s] : "NaN", (s in om) ? om[s] : "NaN" }' \
    "$query_tsv" "$index_tsv" | sort -n >"$data"
  gnuplot <<GNUPLOT
set terminal pngcairo size 1100,450 font ",10" noenhanced
set output "$plot"
set multiplot layout 1,2 title "papersearch ${measured%% *}: cost against collection size (log-log)"
set logscale xy
set grid
set key top left
set xlabel "papers"
set ylabel "ms per query"
set title "In-process query latency (query mix)"
plot "$data" using 1:2 with linespoints title "papersearch p50", \
     "$data" using 1:3 with linespoints title "papersearch p99", \
     "$data" using 1:4 with linespoints dashtype 2 title "bare Xapian p50", \
     "$data" using 1:5 with linespoints dashtype 2 title "bare Xapian p99"
set ylabel "CPU ms per paper"
set title "Full indexing cost per paper (user+sys)"
plot "$data" using 1:6 with linespoints title "paperindex", \
     "$data" using 1:7 with linespoints title "omindex"
unset multiplot
GNUPLOT
  note "wrote $plot"
fi

# The README's copy of the tables.
if [[ $quick == 0 ]]; then
  readme=$BENCH_DIR/README.md
  if grep -q '^<!-- results:begin -->$' "$readme"; then
    tmp=$(mktemp)
    awk -v tables="$results" '
      /^<!-- results:begin -->$/ { print; blank = 1
        while ((getline line < tables) > 0) {
          if (line !~ /^(###|\||$|- Measured|- CPU|- Load)/) continue
          if (line == "" && blank) continue
          blank = (line == ""); print line
        }
        skip = 1; next }
      /^<!-- results:end -->$/ { skip = 0 }
      !skip' "$readme" >"$tmp"
    cat "$tmp" >"$readme" && rm -f "$tmp"
    note "updated the results in $readme"
  fi
fi
