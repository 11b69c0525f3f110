#!/usr/bin/env bash
# HTTP throughput and latency (issue 24): `papersearch --serve` against
# Xapian's omega CGI (xapian-omega) under lighttpd, on the same collection
# files and the same queries. A benchmark, not a test: nothing is checked
# beyond every URL answering 200 once before it is measured.
#
#   [PAPERSEARCH_BUILD=build] benchmarks/http_bench.sh [--runs N] [--quick]
#       [--duration S] [--work DIR] [--filters] [--out FILE] [COLLECTION...]
#
# COLLECTION: "real" (the 2026-04-08 snapshot, PAPERSEARCH_SNAPSHOT) and/or
# "100k" (100,000 generated papers); default both. For each collection:
#   ours:  paperindex --root ROOT --db DB --full, then
#          papersearch --db DB --serve 127.0.0.1:PORT --quiet,
#          GET /api/search?q=QUERY (JSON: top 10, snippets, facets)
#   omega: an omindex database of ROOT's meta/ and notes/ (.prototxt and .md
#          as text, CJK n-grams on: what benchmarks/relevance.py builds),
#          /usr/lib/cgi-bin/omega/omega run by lighttpd's mod_cgi (one process
#          per request, as omega is deployed), GET /omega?P=QUERY&DB=NAME
#          (HTML page of the top 10 from omega's "query" template)
# Both listen on 127.0.0.1 on free ports. The queries are the query text of
# every line of benchmarks/queries.txt (lines with only options are
# dropped); a wrk Lua script rotates through them, each thread from its own
# place, so that no single URL is measured. --filters also sends ours the
# line's options as parameters (year, venue, institution, keyword, author,
# has_code, has_note): omega has no such filters, so the default sends both
# the text alone.
#
# Measured per run, engines alternating (A B, then B A, ...):
#   requests/second at 8 connections:  wrk -t2 -c8 -dS --timeout 10s
#   p50 latency at one connection:     wrk -t1 -c1 -dS --latency --timeout 10s
# and the median of the runs is printed. Each engine gets a short warm-up first.
#
# --runs N      runs per collection (default 3)
# --duration S  seconds of each wrk measurement (default 10)
# --quick       1 run of 3 s, and only "real" unless collections are named
# --work DIR    databases (kept, rebuilt only when missing; default
#               /tmp/papersearch-bench, where run_all.sh keeps its collections)
# --out FILE    also write tab-separated lines "collection papers ours_rps
#               omega_rps ratio ours_p50_ms omega_p50_ms new_rps new_ratio
#               new_p50_ms"
#
# The 100k collection: PAPERSEARCH_100K_ROOT, else /tmp/papers-100k, a
# collection beside /tmp/w-100k, or WORK/papers-100k; generated there with
# gen_collection --papers 100000 --seed 1 --from SNAPSHOT (as run_all.sh
# does) when none exists and gen_collection is built. Its paperindex database:
# PAPERSEARCH_100K_DB, else /tmp/w-100k/db when that collection sits beside
# it, else WORK/http-100k/db (built: about 5 minutes; omindex about as long).
#
# Until papersearch has --serve, ours is skipped with a message and omega is
# measured alone. Needs wrk, lighttpd, omindex (xapian-omega), python3 and
# curl.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

runs=3 duration=10 quick=0 work=/tmp/papersearch-bench out="" filters=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --quick) quick=1; shift ;;
    --work) work=$2; shift 2 ;;
    --filters) filters=1; shift ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) break ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs: a number of runs, not '$runs'"
[[ "$duration" =~ ^[1-9][0-9]*$ ]] || die "--duration: whole seconds, not '$duration'"
collections=("$@")
if [[ $quick == 1 ]]; then
  runs=1 duration=3
  [[ ${#collections[@]} -gt 0 ]] || collections=(real)
fi
[[ ${#collections[@]} -gt 0 ]] || collections=(real 100k)
for c in "${collections[@]}"; do
  [[ $c == real || $c == 100k ]] || die "collection '$c': real or 100k"
done

OMEGA_CGI=/usr/lib/cgi-bin/omega/omega
OMEGA_TEMPLATES=/var/lib/xapian-omega/templates
for program in wrk lighttpd omindex python3 curl; do
  command -v "$program" >/dev/null 2>&1 ||
    die "$program is needed (Debian: apt-get install wrk lighttpd xapian-omega python3 curl)"
done
[[ -x $OMEGA_CGI && -d $OMEGA_TEMPLATES ]] || die "no omega CGI at $OMEGA_CGI (Debian package xapian-omega)"
snapshot=${PAPERSEARCH_SNAPSHOT:-$REPO_DIR/../shared/corpus/efficientpaper-2026-04-08}

# Is our half measurable?
ours=1
if [[ ! -x "$PAPERSEARCH" || ! -x "$PAPERINDEX" ]]; then
  note "SKIP ours: no $PAPERSEARCH or $PAPERINDEX (build them, or set PAPERSEARCH_BUILD=build)"
  ours=0
elif ! "$PAPERSEARCH" --help 2>&1 | grep -q -- '--serve'; then
  note "SKIP ours: $PAPERSEARCH has no --serve yet; measuring omega alone"
  ours=0
fi

mkdir -p "$work"
work=$(cd "$work" && pwd)
tmp=$(mktemp -d /tmp/http-bench.XXXXXX)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for URL PID: until URL answers (any status), or die when PID exits or
# 30 s pass.
wait_for() {
  local i
  for ((i = 0; i < 300; i++)); do
    curl -s -o /dev/null --max-time 2 "$1" && return 0
    kill -0 "$2" 2>/dev/null || die "the server for $1 exited before answering"
    sleep 0.1
  done
  die "nothing answered at $1 within 30 s"
}

# build_omega ROOT DB: relevance.py's omega database (meta/ then notes/,
# urls /meta/... and /notes/..., CJK n-grams).
build_omega() {
  local first=1 sub args
  rm -rf "$2"
  for sub in meta notes; do
    [[ -d "$1/$sub" ]] || continue
    args=(--db "$2" --url / --mime-type=prototxt:text/plain --mime-type=md:text/plain --empty-docs=skip)
    [[ $first == 1 ]] || args+=(--no-delete)
    XAPIAN_CJK_NGRAM=1 omindex "${args[@]}" "$1" "$sub" >/dev/null
    first=0
  done
}

# The wrk scripts: TMP/ours.lua and TMP/omega-DB.lua, one URL per query.
write_lua() {  # OMEGA_DB_NAME
  python3 - "$BENCH_DIR/queries.txt" "$tmp" "$1" "$filters" <<'PY'
import shlex, sys, urllib.parse
path, out, dbname, filters = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
PARAMS = {"--year": "year", "--venue": "venue", "--institution": "institution",
          "--keyword": "keyword", "--author": "author"}
FLAGS = {"--has-code": "has_code", "--has-note": "has_note"}
ours, omega = [], []
for line in open(path, encoding="utf-8"):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    text, sep, rest = (" " + line).partition(" --")
    text = text.strip()
    if not text:
        continue  # options only: omega has nothing to search for
    params = [("q", text)]
    if filters and sep:
        words = shlex.split("--" + rest)
        i = 0
        while i < len(words):
            w = words[i]
            if w in FLAGS:
                params.append((FLAGS[w], "1")); i += 1
            elif w in PARAMS and i + 1 < len(words):
                params.append((PARAMS[w], words[i + 1])); i += 2
            else:
                sys.exit(f"queries.txt: option {w} has no HTTP parameter here")
    ours.append("/api/search?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote))
    omega.append("/omega?" + urllib.parse.urlencode([("P", text), ("DB", dbname)],
                                                    quote_via=urllib.parse.quote))
LUA = """paths = {
%s
}
local n = 0
function setup(thread)
  thread:set("tid", n)
  n = n + 1
end
function init(args)
  counter = (tid or 0) * 7
end
function request()
  counter = counter + 1
  local path = paths[counter %% #paths + 1]
  if distinct then
    path = path .. "&offset=" .. (math.floor(counter / #paths) %% 40)
  end
  return wrk.format("GET", path)
end
"""
for name, urls, distinct in (("ours", ours, False), ("ours-new", ours, True),
                             ("omega-" + dbname, omega, False)):
    with open(f"{out}/{name}.lua", "w") as f:
        f.write(("distinct = true\n" if distinct else "") +
                LUA % ",\n".join('  "%s"' % u for u in urls))
    with open(f"{out}/{name}.urls", "w") as f:
        f.write("".join(u + "\n" for u in urls))
PY
}

# check_urls ENGINE BASE FILE: every URL answers 200 once (a broken setup
# fails here rather than being timed as fast errors), and says how many of
# the queries match nothing.
check_urls() {
  local url code empty=0 n=0 body=$tmp/body
  while read -r url; do
    code=$(curl -s -o "$body" -w '%{http_code}' --max-time 30 "$2$url") || code=none
    [[ $code == 200 ]] || die "$1: $2$url answered $code"
    n=$((n + 1))
    if [[ $1 == omega ]]; then
      ! grep -q "couldn't be opened" "$body" || die "omega: $2$url: $(grep "couldn't be opened" "$body" | sed 's/<[^>]*>//g')"
      ! grep -q 'No documents match' "$body" || empty=$((empty + 1))
    else
      ! grep -q -E '"total": ?0[,}]' "$body" || empty=$((empty + 1))
    fi
  done <"$3"
  note "  $1: $n queries answer 200; $empty of them match nothing"
}

# measure ENGINE BASE LUA: one run; appends "engine rps p50_ms" to TMP/raw.
measure() {
  local rps p50 log=$tmp/wrk.log
  wrk -t2 -c8 -d"${duration}s" --timeout 10s -s "$3" "$2" >"$log" 2>&1 ||
    die "wrk failed against $2: $(cat "$log")"
  warn_errors "$1" "$log"
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$log")
  wrk -t1 -c1 -d"${duration}s" --timeout 10s --latency -s "$3" "$2" >"$log" 2>&1 ||
    die "wrk failed against $2: $(cat "$log")"
  warn_errors "$1" "$log"
  # "     50%    5.62ms": to milliseconds.
  p50=$(awk '$1 == "50%" {
      v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
      if (u == "us") v /= 1000; else if (u == "s") v *= 1000; else if (u == "m") v *= 60000
      print v }' "$log")
  [[ -n $rps && -n $p50 ]] || die "no figures in wrk's output: $(cat "$log")"
  printf '%s\t%s\t%s\n' "$1" "$rps" "$p50" >>"$tmp/raw"
  note "  $1: $rps requests/s at 8 connections, p50 ${p50} ms at 1"
}

warn_errors() {  # ENGINE LOG
  if grep -q -E 'Non-2xx|Socket errors' "$2"; then
    note "  $1: $(grep -E 'Non-2xx|Socket errors' "$2" | tr -s ' ' | paste -sd ';')"
  fi
}

# find_100k: sets root100k and db100k (db100k empty: build one).
find_100k() {
  local c
  root100k=${PAPERSEARCH_100K_ROOT:-} db100k=${PAPERSEARCH_100K_DB:-}
  if [[ -z $root100k ]]; then
    for c in /tmp/papers-100k /tmp/w-100k/papers /tmp/w-100k/root /tmp/w-100k/papers-100k \
             /tmp/w-100k/collection "$work/papers-100k"; do
      if [[ -d $c/meta ]]; then root100k=$c; break; fi
    done
  fi
  if [[ -z $root100k ]]; then
    [[ -x $GEN_COLLECTION ]] || return 1
    [[ -d $snapshot/meta ]] || return 1
    root100k=$work/papers-100k
    note "generating 100,000 papers in $root100k"
    rm -rf "$root100k"
    "$GEN_COLLECTION" --papers 100000 --seed 1 --from "$snapshot" --out "$root100k" >/dev/null
  fi
  if [[ -z $db100k && -e /tmp/w-100k/db && $root100k != "$work"/* ]]; then
    db100k=/tmp/w-100k/db
  fi
  return 0
}

: >"$tmp/summary"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for collection in "${collections[@]}"; do
  cw=$work/http-$collection
  mkdir -p "$cw"
  if [[ $collection == real ]]; then
    root=$snapshot db=$cw/db
    [[ -d $root/meta ]] || { note "SKIP real: no snapshot at $root (set PAPERSEARCH_SNAPSHOT)"; continue; }
  else
    if ! find_100k; then
      note "SKIP 100k: no collection (PAPERSEARCH_100K_ROOT, /tmp/papers-100k, WORK/papers-100k) and no $GEN_COLLECTION to generate one"
      continue
    fi
    root=$root100k db=${db100k:-$cw/db}
  fi
  root=$(cd "$root" && pwd)
  papers=$(count_papers "$root")
  note "$collection: $papers papers in $root"

  # The databases (kept in WORK; rebuilt only when missing).
  if [[ ! -e $cw/omega/.built ]]; then
    note "indexing $root with omindex into $cw/omega"
    build_omega "$root" "$cw/omega"
    touch "$cw/omega/.built"
  fi
  if [[ $ours == 1 && ! -e $db ]]; then
    note "indexing $root with paperindex into $db"
    "$PAPERINDEX" --root "$root" --db "$db" --full --quiet
  fi

  # omega under lighttpd: DB=NAME is database_dir/NAME.
  write_lua "$collection"
  mkdir -p "$tmp/cgi" "$tmp/dbs" "$tmp/log"
  ln -sfn "$OMEGA_CGI" "$tmp/cgi/omega"
  ln -sfn "$cw/omega" "$tmp/dbs/$collection"
  cat >"$tmp/omega.conf" <<EOF
database_dir $tmp/dbs
template_dir $OMEGA_TEMPLATES
log_dir $tmp/log
cdb_dir /var/lib/xapian-omega/cdb
EOF
  omega_port=$(free_port)
  cat >"$tmp/lighttpd.conf" <<EOF
server.document-root = "$tmp/cgi"
server.bind = "127.0.0.1"
server.port = $omega_port
server.modules = ("mod_setenv", "mod_cgi")
server.errorlog = "$tmp/lighttpd.log"
server.max-connections = 1024
cgi.assign = ("/omega" => "")
setenv.add-environment = ("OMEGA_CONFIG_FILE" => "$tmp/omega.conf", "XAPIAN_CJK_NGRAM" => "1")
EOF
  lighttpd -tt -f "$tmp/lighttpd.conf" >/dev/null 2>&1 || die "lighttpd rejects $tmp/lighttpd.conf: $(lighttpd -tt -f "$tmp/lighttpd.conf" 2>&1)"
  lighttpd -D -f "$tmp/lighttpd.conf" &
  omega_pid=$!
  pids+=("$omega_pid")
  omega_base=http://127.0.0.1:$omega_port
  wait_for "$omega_base/omega?P=test&DB=$collection" "$omega_pid"
  check_urls omega "$omega_base" "$tmp/omega-$collection.urls"
  engines=(omega)

  if [[ $ours == 1 ]]; then
    ours_port=$(free_port)
    "$PAPERSEARCH" --db "$db" --serve "127.0.0.1:$ours_port" --quiet 2>"$cw/serve.log" &
    ours_pid=$!
    pids+=("$ours_pid")
    ours_base=http://127.0.0.1:$ours_port
    wait_for "$ours_base/api/search?q=test" "$ours_pid"
    check_urls ours "$ours_base" "$tmp/ours.urls"
    engines=(ours omega)
  fi

  : >"$tmp/raw"
  for engine in "${engines[@]}"; do  # warm-up: page cache, the database's blocks
    if [[ $engine == ours ]]; then base=$ours_base lua=$tmp/ours.lua; else base=$omega_base lua=$tmp/omega-$collection.lua; fi
    wrk -t2 -c8 -d2s --timeout 10s -s "$lua" "$base" >/dev/null 2>&1 || true
  done
  for ((run = 0; run < runs; run++)); do
    note "$collection: run $((run + 1)) of $runs"
    order=("${engines[@]}")
    if ((run % 2 == 1)) && [[ ${#engines[@]} == 2 ]]; then order=("${engines[1]}" "${engines[0]}"); fi
    for engine in "${order[@]}"; do
      if [[ $engine == ours ]]; then
        measure ours "$ours_base" "$tmp/ours.lua"
        measure ours-new "$ours_base" "$tmp/ours-new.lua"
      else
        measure omega "$omega_base" "$tmp/omega-$collection.lua"
      fi
    done
  done

  # Stop this collection's servers (ours with SIGTERM: it exits 0).
  if [[ $ours == 1 ]]; then
    kill -TERM "$ours_pid"
    status=0; wait "$ours_pid" || status=$?
    [[ $status == 0 ]] || note "papersearch --serve exited $status on SIGTERM (the contract says 0)"
  fi
  kill -TERM "$omega_pid"; wait "$omega_pid" 2>/dev/null || true
  pids=()

  med() { awk -F'\t' -v e="$1" -v c="$2" '$1 == e { print $c }' "$tmp/raw" | median; }
  o_rps=$(med omega 2) o_p50=$(med omega 3)
  if [[ $ours == 1 ]]; then
    s_rps=$(med ours 2) s_p50=$(med ours 3)
    n_rps=$(med ours-new 2) n_p50=$(med ours-new 3)
    ratio=$(awk -v a="$s_rps" -v b="$o_rps" 'BEGIN { printf "%.2f", a / b }')
    n_ratio=$(awk -v a="$n_rps" -v b="$o_rps" 'BEGIN { printf "%.2f", a / b }')
  else
    s_rps=- s_p50=- ratio=- n_rps=- n_p50=- n_ratio=-
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$collection" "$papers" "$s_rps" "$o_rps" "$ratio" "$s_p50" "$o_p50" "$n_rps" "$n_ratio" "$n_p50" >>"$tmp/summary"
done

[[ -s $tmp/summary ]] || die "nothing was measured"
echo "HTTP search, median of $runs runs of ${duration} s (wrk; queries: benchmarks/queries.txt$([[ $filters == 1 ]] && echo ', ours with filters'))"
echo "ratio = ours / omega requests per second; omega = omega CGI under lighttpd"
echo "ours: the mix's requests repeat (each server thread keeps its last 256 answers);"
echo "ours, new: every request differs (the mix x offset 0..39: the kept answers never help)"
echo "load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores; wrk shares them)"
echo
printf '| %-10s | %7s | %11s | %12s | %6s | %14s | %15s | %16s | %10s | %19s |\n' collection papers 'ours rps@8' 'omega rps@8' ratio 'ours p50@1 ms' 'omega p50@1 ms' 'ours, new rps@8' 'new ratio' 'ours, new p50@1 ms'
printf '| %-10s | %7s | %11s | %12s | %6s | %14s | %15s | %16s | %10s | %19s |\n' --- ---: ---: ---: ---: ---: ---: ---: ---: ---:
awk -F'\t' '{
  printf "| %-10s | %7s | %11s | %12s | %6s | %14s | %15s | %16s | %10s | %19s |\n", $1, $2,
    ($3 == "-" ? "-" : sprintf("%.0f", $3)), sprintf("%.0f", $4),
    ($5 == "-" ? "-" : $5 "x"), ($6 == "-" ? "-" : sprintf("%.2f", $6)), sprintf("%.2f", $7),
    ($8 == "-" ? "-" : sprintf("%.0f", $8)), ($9 == "-" ? "-" : $9 "x"),
    ($10 == "-" ? "-" : sprintf("%.2f", $10)) }' "$tmp/summary"
if [[ -n $out ]]; then cp "$tmp/summary" "$out"; fi
