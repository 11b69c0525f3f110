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
  // symlink loops, names that are not valid UTF-8 or hold control
  // characters).
  std::vector<Diagnostic> problems;
  // Directories under meta/ that could not be listed ("meta/2024"): which
  // records they hold is unknown, so papers indexed from them must be kept.
  std::vector<std::string> unread_dirs;
  // Set when the collection cannot be read at all (no meta/ directory, or it
  // is not a directory): the message says what to fix.
  std::string fatal;
};

// Walks root/meta. Does not follow directory symlinks (so loops cannot
// hang it); follows file symlinks. A directory that cannot be listed is a
// problem (and an unread_dirs entry), never the end of the walk. Never throws.
CollectionScan ScanCollection(const std::filesystem::path& root);

// True when paper `id`'s record would lie in one of scan.unread_dirs, so that
// its absence from scan.records does not mean it was deleted.
bool InUnreadDirectory(const CollectionScan& scan, const std::string& id);

// The note of paper `id` under `root`, as a path relative to root
// ("notes/2025/X/note.md"), or "" when it has none. Looks where the record's
// note url points (relative to notes/YEAR/ID/, or to notes/YEAR/ when it
// contains a '/'), then at notes/YEAR/ID/note.md and notes/YEAR/ID/index.md.
// A candidate that exists but cannot be stat'ed (permissions, a symlink
// loop, a dangling symlink) is returned, so that reading it reports the
// problem. Costs one stat per candidate.
std::string FindNote(const std::filesystem::path& root, const std::string& id,
                     const std::string& note_url);

}  // namespace papersearch

#endif  // PAPERSEARCH_INDEXER_COLLECTION_H_
