// The indexer's plan stage: what the database already holds, whether it can
// be updated in place, and which records must be read, decided before any
// paper is read.
#ifndef PAPERSEARCH_INDEXER_INDEX_PLAN_H_
#define PAPERSEARCH_INDEXER_INDEX_PLAN_H_

#include <xapian.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "indexer/collection.h"
#include "indexer/source_state.h"

namespace papersearch {

// A paper the database holds.
struct Indexed {
  Xapian::docid docid = 0;
  SourceState state;
  bool seen = false;  // its record was found in this run's scan
};

// What the database knows of each paper, by id.
using IndexedPapers = std::unordered_map<std::string, Indexed>;

// Reads the source state of every paper in `db`; a paper whose state cannot
// be read is still listed (by its id term), so that it is rebuilt or
// removed, never left behind. May throw Xapian::Error.
IndexedPapers LoadIndexed(const Xapian::Database& db);

// Why the live database `db` (at `db_path`) must be rebuilt rather than
// updated for a collection of `papers`, as a notice for the user ("" when
// it can be updated): another schema version, blocks too small for the
// collection's size, changed built-in synonym groups. May throw
// Xapian::Error.
std::string RebuildReason(const Xapian::Database& db,
                          const std::string& db_path, size_t papers);

// The directories of notes that a record's note url places outside the
// record's own notes/ID/, for FindNotesWithoutRecord.
class OtherNoteDirs {
 public:
  void Add(const RecordFile& file, std::string_view note_path);
  std::vector<std::string> Take() { return std::move(dirs_); }

 private:
  std::vector<std::string> dirs_;
};

// A record to read, and the document id it will be written under.
struct DocidAssignment {
  size_t record;  // index into the scan's records
  Xapian::docid docid;
};

struct ReadPlan {
  // The records to read, in the order the writer takes them (document id).
  std::vector<DocidAssignment> order;
  int unchanged = 0;  // records whose files look as they did: not read
};

// Which of `scan`'s records must be read: those not in `indexed` and those
// whose files no longer look as they did (one or two stats each; the
// unchanged are marked seen in `indexed` and their notes added to
// `note_dirs`). Each gets its document id (schema::DocidFor): its own for a
// paper already indexed, the first free one from its preferred id for a new
// one. Sorted by document id: a full build then appends to Xapian's tables
// (its fast case) instead of inserting all over them.
ReadPlan PlanReads(const std::filesystem::path& root,
                   const CollectionScan& scan, IndexedPapers& indexed,
                   OtherNoteDirs& note_dirs);

}  // namespace papersearch

#endif  // PAPERSEARCH_INDEXER_INDEX_PLAN_H_
