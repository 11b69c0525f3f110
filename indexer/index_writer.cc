#include "indexer/index_writer.h"

#include <filesystem>
#include <utility>

#include "common/schema_check.h"
#include "common/synonyms.h"
#include "indexer/document_builder.h"
#include "indexer/index_store.h"

namespace papersearch {
namespace fs = std::filesystem;

namespace {

// Changed documents per commit: bounds the writer's memory (Xapian buffers
// changes until a commit) without paying a commit per paper. A kill between
// commits loses at most this much work, which the next run redoes.
constexpr int kCommitEvery = 2000;

// The block size of a full build's merged database, by the collection's
// size. A search in a small collection is mostly the cost of starting a
// process, and every posting list it opens gets a block buffer: smaller
// blocks touch fewer fresh pages, each a page fault. In large collections
// small blocks make searches slower (more levels and more blocks per list),
// so they keep Xapian's default (benchmarks/README.md has the figures).
constexpr size_t kSmallCollection = 2000;
constexpr int kSmallBlockSize = 2048;
constexpr int kDefaultBlockSize = 8192;

int MergedBlockSize(size_t papers) {
  return papers <= kSmallCollection ? kSmallBlockSize : kDefaultBlockSize;
}

}  // namespace

bool OutgrownBlockSize(const std::string& block_size, size_t papers) {
  return block_size == std::to_string(kSmallBlockSize) &&
         papers > 2 * kSmallCollection;
}

IndexWriter::IndexWriter(std::string db_path, bool dry_run, int shard_papers,
                         FacetNumbering* facets)
    : db_path_(std::move(db_path)),
      dry_run_(dry_run),
      shard_papers_(shard_papers),
      facets_(facets) {}

std::string IndexWriter::path() const {
  return GenerationPath(db_path_, generation_);
}

const Xapian::Database& IndexWriter::OpenLive(int n) {
  generation_ = n;
  if (dry_run_) {
    reader_.emplace(path(), Xapian::DB_BACKEND_GLASS);
    return *reader_;
  }
  writer_.emplace(path(), Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
  return *writer_;
}

// A full build writes its papers into shards of at most shard_papers_, each
// a database of its own, and merges them with Xapian's compaction: a cheap
// sequential merge that fills every block, which halves the database, and
// picks the block size (MergedBlockSize). Shards bound the B-tree each
// commit merges into, which matters already at 100k papers; at 1M the cost
// per paper kept rising until jemalloc replaced glibc's allocator
// (indexer/CMakeLists.txt; benchmarks/HISTORY.md, "1M papers"). The shards
// are written one after another, in document id order, so each holds one
// range of ids and compaction keeps the ids.
void IndexWriter::StartFull(int n) {
  full_ = true;
  generation_ = n;
  reader_.reset();
  writer_.reset();
  if (dry_run_) return;
  std::error_code ec;
  fs::remove_all(path(), ec);  // the debris of a rebuild that was killed
  fs::remove_all(path() + ".shards", ec);
  fs::create_directories(path() + ".shards", ec);
  OpenShard();
}

void IndexWriter::OpenShard() {
  shards_.push_back(path() + ".shards/" + std::to_string(shards_.size()));
  writer_.emplace(shards_.back(),
                  Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
  in_shard_ = 0;
}

template <typename Apply>
void IndexWriter::Write(Apply&& apply) {
  if (!writer_) return;  // a dry run
  if (!shards_.empty() && in_shard_ >= shard_papers_) {
    writer_->commit();
    writer_->close();
    OpenShard();
    pending_ = 0;
  }
  apply(*writer_);
  ++in_shard_;
  wrote_ = true;
  if (++pending_ == kCommitEvery) {
    // An update in place: readers see this commit, so it must hold the
    // numbers of the papers in it. Shards are read only once merged.
    if (shards_.empty()) facets_->Save(*writer_);
    writer_->commit();
    pending_ = 0;
  }
}

void IndexWriter::Touch(Xapian::docid docid, const std::string& state) {
  Write([&](Xapian::WritableDatabase& db) {
    Xapian::Document doc = db.get_document(docid);
    doc.add_value(schema::slot::kSourceState, state);
    db.replace_document(docid, doc);
  });
}

void IndexWriter::Put(Xapian::docid docid, bool replaces, const std::string& id,
                      const schema::FacetValues& values, Xapian::Document doc) {
  Write([&](Xapian::WritableDatabase& db) {
    if (replaces) RemoveSpellings(db, db.get_document(docid));
    doc.add_value(
        schema::slot::kTieFacets,
        schema::TieFacetsValue(schema::TieKey(id), facets_->Encode(values)));
    db.replace_document(docid, doc);
    AddSpellings(db, doc);
  });
}

void IndexWriter::Remove(Xapian::docid docid) {
  Write([&](Xapian::WritableDatabase& db) {
    RemoveSpellings(db, db.get_document(docid));
    db.delete_document(docid);
  });
}

void IndexWriter::MergeShards() {
  writer_->commit();
  writer_->close();
  Xapian::Database sources;
  for (const std::string& shard : shards_) {
    sources.add_database(Xapian::Database(shard, Xapian::DB_BACKEND_GLASS));
  }
  const int block_size = MergedBlockSize(sources.get_doccount());
  sources.compact(path(),
                  Xapian::DBCOMPACT_NO_RENUMBER |
                      (shards_.size() > 3 ? Xapian::DBCOMPACT_MULTIPASS : 0),
                  block_size);
  sources.close();
  std::error_code ec;
  fs::remove_all(path() + ".shards", ec);
  shards_.clear();
  writer_.emplace(path(), Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
  writer_->set_metadata(schema::kBlockSizeKey, std::to_string(block_size));
}

void IndexWriter::Finish(const std::string& root) {
  if (!writer_) return;  // a dry run
  if (!shards_.empty()) MergeShards();
  if (wrote_ || full_ || writer_->get_metadata(schema::kRootKey) != root) {
    WriteSchemaVersion(*writer_);
    facets_->Save(*writer_);
    writer_->set_metadata(schema::kSynonymsKey, SynonymsFingerprint());
    writer_->set_metadata(schema::kRootKey, root);
    writer_->commit();
  }
  papers_ = static_cast<int>(writer_->get_doccount());
  notes_ = static_cast<int>(writer_->get_termfreq(
      std::string(schema::prefix::kHas) + schema::kHasNote));
  writer_->close();
  writer_.reset();
}

void IndexWriter::Discard() {
  if (!full_ || dry_run_) return;
  try {
    writer_.reset();  // closes its files first
  } catch (const Xapian::Error&) {
  }
  std::error_code ignored;
  fs::remove_all(path() + ".shards", ignored);
  fs::remove_all(path(), ignored);
}

}  // namespace papersearch
