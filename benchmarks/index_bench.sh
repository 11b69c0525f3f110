#!/usr/bin/env bash
# Indexing cost (issue 5, measurement 3): paperindex against omindex on the
# same files.
#
#   benchmarks/index_bench.sh [--reps N] [--label TEXT] [--out FILE] ROOT WORK
#
# For each engine, alternating (paperindex, omindex, paperindex, ...):
#   full      a fresh database of ROOT, N times (default 1); the best wall
#             time and its CPU time and peak memory (/usr/bin/time) are kept
#   nochange  a second run with nothing changed
#   changed   a run after appending a line to 1% of the notes (every 100th
#             note in path order: deterministic); the notes are cut back to
#             their old bytes afterwards, so ROOT ends as it began
# and the database's size (du). Leaves the databases in WORK/db (paperindex)
# and WORK/omega (omindex) for the query benchmarks.
#
# Prints a table; --out FILE also appends tab-separated lines
# "label engine papers full_s papers_per_s cpu_ms_per_paper peak_mb
#  nochange_s changed_s changed_notes db_mb".
set -euo pipefail
source "$(dirname "$0")/lib.sh"

reps=1 label="" out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --reps) reps=$2; shift 2 ;;
    --label) label=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) break ;;
  esac
done
[[ $# -eq 2 ]] || die "usage: index_bench.sh [--reps N] [--label TEXT] [--out FILE] ROOT WORK"
root=$(cd "$1" && pwd) || die "no collection at $1"
work=$2
[[ -d "$root/meta" ]] || die "$root has no meta/"
require_build
mkdir -p "$work"
papers=$(count_papers "$root")
[[ $papers -gt 0 ]] || die "$root/meta has no meta/YEAR/ID.prototxt records"
label=${label:-$papers}

have_time=0
have_peer time && have_time=1
engines=(paperindex)
have_peer omindex && engines+=(omindex)

# measure ENGINE MODE: runs one indexing and prints "wall_s cpu_s peak_mb".
measure() {
  local engine=$1 mode=$2 cmd stats start end status=0
  case "$engine" in
    paperindex)
      cmd=("$PAPERINDEX" --root "$root" --db "$work/db" --quiet)
      [[ $mode == full ]] && cmd+=(--full) && rm -rf "$work/db" "$work/db.d"
      ;;
    omindex)
      cmd=(omindex --db "$work/omega" --url / "$root" "${OMINDEX_TYPES[@]}")
      [[ $mode == full ]] && rm -rf "$work/omega"
      ;;
  esac
  stats=$(mktemp)
  start=$(date +%s%N)
  if [[ $have_time == 1 ]]; then
    /usr/bin/time -o "$stats" -f '%U %S %M' "${cmd[@]}" >/dev/null || status=$?
  else
    "${cmd[@]}" >/dev/null || status=$?
    echo "- - -" >"$stats"
  fi
  end=$(date +%s%N)
  # paperindex exits 1 when some files failed; a generated collection has none.
  [[ $status -eq 0 ]] || die "$engine ($mode) exited $status: ${cmd[*]}"
  awk -v ns=$((end - start)) '{
    cpu = ($1 == "-") ? "-" : sprintf("%.3f", $1 + $2)
    mb = ($3 == "-") ? "-" : sprintf("%.1f", $3 / 1024)
    printf "%.3f %s %s\n", ns / 1e9, cpu, mb }' "$stats"
  rm -f "$stats"
}

declare -A full_wall full_cpu full_mb nochange changed
for ((rep = 0; rep < reps; rep++)); do
  for engine in "${engines[@]}"; do
    note "$label: full build with $engine ($((rep + 1))/$reps)"
    result=$(measure "$engine" full)
    read -r wall cpu mb <<<"$result"
    if [[ -z "${full_wall[$engine]:-}" ]] ||
       awk -v a="$wall" -v b="${full_wall[$engine]}" 'BEGIN { exit !(a < b) }'; then
      full_wall[$engine]=$wall full_cpu[$engine]=$cpu full_mb[$engine]=$mb
    fi
  done
done
for engine in "${engines[@]}"; do
  note "$label: reindex with nothing changed, $engine"
  result=$(measure "$engine" incremental)
  read -r wall _ _ <<<"$result"
  nochange[$engine]=$wall
done

# 1% of the notes, every 100th in path order (LC_ALL=C: the same everywhere).
mapfile -t notes < <(cd "$root" && find notes -type f -name '*.md' | LC_ALL=C sort)
edited=0 sizes=()
for ((i = 0; i < ${#notes[@]}; i += 100)); do
  sizes+=("$(stat -c %s "$root/${notes[$i]}")")
  printf '\nEdited by benchmarks/index_bench.sh at %s.\n' "$(date +%s%N)" >>"$root/${notes[$i]}"
  edited=$((edited + 1))
done
for engine in "${engines[@]}"; do
  note "$label: reindex after editing $edited notes, $engine"
  result=$(measure "$engine" incremental)
  read -r wall _ _ <<<"$result"
  changed[$engine]=$wall
done
for ((k = 0; k < edited; k++)); do
  truncate -s "${sizes[$k]}" "$root/${notes[$((k * 100))]}"
done

db_mb() { du -sk "$@" 2>/dev/null | awk '{ kb += $1 } END { printf "%.1f", kb / 1024 }'; }
lines=$(mktemp)
for engine in "${engines[@]}"; do
  case "$engine" in
    paperindex) size=$(db_mb "$work/db" "$work/db.d") ;;
    omindex) size=$(db_mb "$work/omega") ;;
  esac
  awk -v l="$label" -v e="$engine" -v p="$papers" -v w="${full_wall[$engine]}" \
      -v c="${full_cpu[$engine]}" -v m="${full_mb[$engine]}" \
      -v n="${nochange[$engine]}" -v ch="${changed[$engine]}" -v ed="$edited" \
      -v s="$size" 'BEGIN {
    cpp = (c == "-") ? "-" : sprintf("%.2f", c * 1000 / p)
    printf "%s\t%s\t%d\t%.2f\t%.0f\t%s\t%s\t%.3f\t%.3f\t%d\t%s\n",
           l, e, p, w, p / w, cpp, m, n, ch, ed, s }' >>"$lines"
done
echo "indexing $papers papers of $root"
awk -F'\t' 'BEGIN { printf "  %-11s %9s %9s %12s %9s %11s %10s %9s\n", "engine", "full s",
                    "papers/s", "cpu ms/paper", "peak MB", "nochange s", "1% edit s", "db MB" }
            { printf "  %-11s %9.2f %9d %12s %9s %11.3f %10.3f %9s\n", $2, $4, $5, $6, $7, $8, $9, $11 }' "$lines"
if [[ -n "$out" ]]; then cat "$lines" >>"$out"; fi
rm -f "$lines"
