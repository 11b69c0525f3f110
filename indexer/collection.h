// Finding the papers of a collection: `meta/YEAR/ID.prototxt` records and the
// notes beside them under `notes/`.
#ifndef PAPERSEARCH_INDEXER_COLLECTION_H_
#define PAPERSEARCH_INDEXER_COLLECTION_H_

#include <filesystem>
#include <string>
#include <vector>

#include "common/diagnostic.h"

namespace papersearch {

// One record file found under meta/.
struct RecordFile {
  std::string id;        // "YEAR/NAME": the path below meta/ without .prototxt
  std::string relative;  // "meta/YEAR/NAME.prototxt", for messages and storage
  std::filesystem::path path;
};

struct CollectionScan {
  std::vector<RecordFile> records;  // sorted by id (bytes)
  // Files under meta/ that are not meta/YEAR/ID.prototxt (e.g. the real
  // collections' meta/search/*.prototxt): skipped, reported once.
  std::vector<std::string> not_records;
  // Things that stop a file or directory from being read (permissions,
  // symlink loops, names that are not valid UTF-8).
  std::vector<Diagnostic> problems;
  // Set when the collection cannot be read at all (no meta/ directory, or it
  // is not a directory): the message says what to fix.
  std::string fatal;
};

// Walks root/meta. Does not follow directory symlinks (so loops cannot
// hang it); follows file symlinks. Never throws.
CollectionScan ScanCollection(const std::filesystem::path& root);

// The note of paper `id` under `root`, as a path relative to root
// ("notes/2025/X/note.md"), or "" when it has none. Looks where the record's
// note url points (relative to notes/YEAR/ID/, or to notes/YEAR/ when it
// contains a '/'), then at notes/YEAR/ID/note.md and notes/YEAR/ID/index.md.
// Costs one stat per candidate.
std::string FindNote(const std::filesystem::path& root, const std::string& id,
                     const std::string& note_url);

}  // namespace papersearch

#endif  // PAPERSEARCH_INDEXER_COLLECTION_H_
