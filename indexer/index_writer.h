// The indexer's write stage: the one writer of a database generation. It
// applies prepared papers in document id order, commits every
// kCommitEvery changes, writes a full build in shards that it merges at the
// end, and records the run's metadata. A dry run opens the live database
// read-only and writes nothing.
#ifndef PAPERSEARCH_INDEXER_INDEX_WRITER_H_
#define PAPERSEARCH_INDEXER_INDEX_WRITER_H_

#include <xapian.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "indexer/facet_numbering.h"
#include "schema.h"

namespace papersearch {

// Whether a database merged with `block_size` (its metadata; empty if it
// predates the choice) should be rebuilt for a collection of `papers`: only
// small blocks in a collection that has grown well past small, so that a
// collection hovering around the limit is not rebuilt back and forth.
bool OutgrownBlockSize(const std::string& block_size, size_t papers);

class IndexWriter {
 public:
  // Writes the database at `db_path`, numbering facets in `facets` (which
  // must outlive the writer); a full build's shards hold at most
  // `shard_papers` papers each.
  IndexWriter(std::string db_path, bool dry_run, int shard_papers,
              FacetNumbering* facets);
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  // Opens generation `n`, the live one, to be updated in place (read-only
  // in a dry run). Throws Xapian::DatabaseOpeningError when it cannot be.
  const Xapian::Database& OpenLive(int n);

  // Starts a full build of generation `n` (nothing on disk in a dry run),
  // removing the debris of a build that was killed.
  void StartFull(int n);

  bool full() const { return full_; }
  int generation() const { return generation_; }
  std::string path() const;

  // A paper whose files were touched but whose content is what was indexed:
  // its new source state (slot::kSourceState).
  void Touch(Xapian::docid docid, const std::string& state);
  // Writes `doc`, a new or changed paper, under `docid`, with the numbers
  // of its facet `values` after its tie key; `replaces` when it replaces
  // the paper's earlier document.
  void Put(Xapian::docid docid, bool replaces, const std::string& id,
           const schema::FacetValues& values, Xapian::Document doc);
  void Remove(Xapian::docid docid);

  // Merges a full build's shards, and records the schema version, the facet
  // dictionary, the synonym fingerprint and `root` when the run changed
  // anything (a run that changed nothing commits nothing: a new revision
  // would make every open reader reopen the database for no reason).
  // Afterwards papers() and notes() count the database's papers.
  void Finish(const std::string& root);
  int papers() const { return papers_; }
  int notes() const { return notes_; }

  // Removes an unfinished full build after a failure: the live generation
  // is untouched and stays the answer.
  void Discard();

 private:
  template <typename Apply>
  void Write(Apply&& apply);
  void OpenShard();
  void MergeShards();

  const std::string db_path_;
  const bool dry_run_;
  const int shard_papers_;
  FacetNumbering* facets_;
  bool full_ = false;
  int generation_ = 0;
  std::optional<Xapian::Database> reader_;  // a dry run's
  std::optional<Xapian::WritableDatabase> writer_;
  std::vector<std::string> shards_;  // a full build's, written in order
  int in_shard_ = 0;
  int pending_ = 0;  // changes since the last commit
  bool wrote_ = false;
  int papers_ = 0;
  int notes_ = 0;
};

}  // namespace papersearch

#endif  // PAPERSEARCH_INDEXER_INDEX_WRITER_H_
