// Bringing a database in step with a collection: the indexer's library
// entry point (indexer/run.h turns it into paperindex's output).
#ifndef PAPERSEARCH_INDEXER_INDEXER_H_
#define PAPERSEARCH_INDEXER_INDEXER_H_

#include <cstddef>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "common/diagnostic.h"
#include "common/status.h"

namespace papersearch {

// Papers per shard of a full build, unless --shard-size says otherwise.
inline constexpr int kDefaultShardPapers = 10000;

struct IndexOptions {
  std::filesystem::path root = ".";  // holds meta/ and notes/
  std::string db_path;               // required; see DefaultDatabasePath
  // Rebuild into a new database beside the live one and switch to it
  // atomically, instead of updating the live one in place. Implied when
  // there is no database yet or it has another schema version.
  bool full = false;
  bool dry_run = false;     // plan and report, write nothing
  std::string report_path;  // write the JSON report here ("" none)
  bool quiet = false;       // no summary, no progress, no warnings
  bool progress = false;    // show a progress line (on a terminal)
  // A full build writes its papers into shards of at most this many and
  // merges them with Xapian's compaction (see index_writer.cc).
  int shard_papers = kDefaultShardPapers;
};

// What a run did, for the summary line and the JSON report.
struct IndexReport {
  bool full = false;                 // a full rebuild, not an update
  std::vector<std::string> added;    // ids, sorted
  std::vector<std::string> updated;  // ids, sorted
  std::vector<std::string> removed;  // ids, sorted
  int unchanged = 0;
  std::vector<Diagnostic> failed;    // files that could not be (re)indexed
  std::vector<Diagnostic> warnings;  // indexed, but with something to fix
  // What the run decided and why ("... rebuilding it"), for the user.
  std::vector<std::string> notices;
  int papers = 0;  // documents in the database afterwards
  int notes = 0;   // of which have a note
  double seconds = 0;
};

// The database path for a collection when --db is not given:
// $PAPERSEARCH_DB if set, else ROOT/.papersearch/db.
std::string DefaultDatabasePath(const std::filesystem::path& root);

// Called on the writer's thread as the papers to read are written: `done`
// of `total`.
using ProgressFn = std::function<void(size_t done, size_t total)>;

// Brings the database at options.db_path in step with the collection at
// options.root: re-reads only papers whose record or note changed, adds new
// ones, removes those whose record is gone. A record that no longer parses
// keeps its last good version in the index and is reported in `failed`.
// Fails, with nothing changed, when the run cannot be made at all (no
// collection, another writer, a database that is not ours, a full disk
// during a rebuild); Xapian's exceptions end here.
Result<IndexReport> UpdateIndex(const IndexOptions& options,
                                const ProgressFn& progress = nullptr);

// The report as JSON: {"added": [ids], "updated": [ids], "removed": [ids],
// "unchanged": N, "failed": [{"file", "line", "column", "message"}],
// "seconds": S}, plus "full", "papers", "notes" and "dry_run".
std::string ReportJson(const IndexReport& report, bool dry_run);

}  // namespace papersearch

#endif  // PAPERSEARCH_INDEXER_INDEXER_H_
