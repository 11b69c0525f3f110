# Sourced by .ci/sanitize and .ci/tsan: where a sanitizer writes its reports
# (one file per process, so that a report from a paperindex or papersearch
# a test started is kept too), and the verdict: any report fails the run,
# whatever the tests' own status.

# Empties and creates DIR for the reports.
fresh_report_dir() {
  rm -rf "$1"
  mkdir -p "$1"
}

# Exits 1 with the reports on stderr when DIR holds any, else with STATUS.
#   exit_with_reports NAME DIR STATUS
exit_with_reports() {
  if compgen -G "$2/report*" >/dev/null; then
    echo "$1: sanitizer reports:" >&2
    cat "$2"/report* >&2
    exit 1
  fi
  exit "$3"
}
