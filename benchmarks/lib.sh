# Shared by the benchmark scripts (sourced, not run): where the binaries are,
# which peers are installed, and how each peer's index is built.
#
# PAPERSEARCH_BUILD: the build directory holding paperindex, papersearch and
# the benchmark tools (default: build-bench at the repository root, built with
#   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release && cmake --build build-bench -j2).

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
BUILD_DIR=${PAPERSEARCH_BUILD:-$REPO_DIR/build-bench}
PAPERINDEX=$BUILD_DIR/indexer/paperindex
PAPERSEARCH=$BUILD_DIR/searcher/papersearch
QUERY_BENCH=$BUILD_DIR/benchmarks/query_bench
GEN_COLLECTION=$BUILD_DIR/benchmarks/gen_collection
# The file types of a collection, for omindex (it skips unknown extensions).
OMINDEX_TYPES=(-Mmd:text/plain -Mprototxt:text/plain)

die() {
  echo "$(basename "$0"): $*" >&2
  exit 2
}

note() {
  echo "$(basename "$0"): $*" >&2
}

# Fails with the build command unless our binaries exist.
require_build() {
  local bin
  for bin in "$PAPERINDEX" "$PAPERSEARCH" "$QUERY_BENCH" "$GEN_COLLECTION"; do
    [[ -x "$bin" ]] || die "missing $bin; build with: cmake -S $REPO_DIR -B $BUILD_DIR -DCMAKE_BUILD_TYPE=Release && cmake --build $BUILD_DIR -j2 (or set PAPERSEARCH_BUILD)"
  done
}

# have_peer NAME: true when the peer's program is installed; otherwise says
# which package provides it (once per script) and returns false.
declare -A PEER_SKIP_SAID=()
have_peer() {
  local program package
  case "$1" in
    quest) program=quest package=xapian-tools ;;
    omindex) program=omindex package=xapian-omega ;;
    rg) program=rg package=ripgrep ;;
    sqlite3) program=sqlite3 package=sqlite3 ;;
    hyperfine) program=hyperfine package=hyperfine ;;
    time) program=/usr/bin/time package=time ;;
    gnuplot) program=gnuplot package=gnuplot-nox ;;
    *) die "unknown peer $1" ;;
  esac
  command -v "$program" >/dev/null 2>&1 && return 0
  if [[ -z "${PEER_SKIP_SAID[$1]:-}" ]]; then
    PEER_SKIP_SAID[$1]=1
    note "SKIP $1: not installed (Debian package $package; bash deploy/install-deps --bench installs every peer)"
  fi
  return 1
}

# The number of papers of a collection: its meta/YEAR/ID.prototxt records.
count_papers() {
  find "$1/meta" -mindepth 2 -maxdepth 2 -name '*.prototxt' -path "$1/meta/[0-9]*" | wc -l
}

# build_omindex ROOT DB: a fresh omindex database of ROOT's files.
build_omindex() {
  rm -rf "$2"
  omindex --db "$2" --url / "$1" "${OMINDEX_TYPES[@]}" >/dev/null
}

# build_fts5 ROOT DB: a fresh SQLite FTS5 table `docs(path, body)` with one
# row per file of ROOT (as omindex and rg see them), Porter-stemmed as
# Xapian's English stemmer stems.
build_fts5() {
  rm -f "$2"
  sqlite3 "$2" <<SQL
CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, body, tokenize='porter unicode61');
INSERT INTO docs SELECT name, data FROM fsdir('$1') WHERE mode & 61440 = 32768;
SQL
}

# fts5_query WORDS: the SQL a person would write for a top 10 with snippets.
fts5_query() {
  echo "SELECT path, snippet(docs, 1, '[', ']', '...', 16) FROM docs WHERE docs MATCH '$1' ORDER BY rank LIMIT 10;"
}

# Median of the numbers on stdin (one per line).
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
