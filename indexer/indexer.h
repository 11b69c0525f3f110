// One run of paperindex over a collection.
#ifndef PAPERSEARCH_INDEXER_INDEXER_H_
#define PAPERSEARCH_INDEXER_INDEXER_H_

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "common/diagnostic.h"

namespace papersearch {

struct IndexOptions {
  std::filesystem::path root = ".";  // holds meta/ and notes/
  std::string db_path;               // required; see DefaultDatabasePath
  bool quiet = false;                // no summary, no progress, no notices
  bool progress = false;             // show a progress line (on a terminal)
};

struct IndexSummary {
  int papers = 0;         // documents in the database afterwards
  int notes = 0;          // papers with a note attached
  std::vector<Diagnostic> failed;    // files that could not be indexed
  std::vector<Diagnostic> warnings;  // indexed, but with something to fix
  double seconds = 0;
};

// The database path for a collection when --db is not given:
// $PAPERSEARCH_DB if set, else ROOT/.papersearch/db.
std::string DefaultDatabasePath(const std::filesystem::path& root);

// Notes larger than this are indexed up to this many bytes, with a warning.
inline constexpr size_t kMaxNoteBytes = 8 * 1024 * 1024;

// Builds the database for options.root at options.db_path from scratch and
// switches to it atomically. Reports problems on `err` as file:line:col
// lines and, unless quiet, a one-line summary. Returns the exit code:
// 0 all indexed, 1 some files failed (the rest indexed), 2 could not run.
int RunIndex(const IndexOptions& options, std::ostream& err,
             IndexSummary* summary = nullptr);

}  // namespace papersearch

#endif  // PAPERSEARCH_INDEXER_INDEXER_H_
