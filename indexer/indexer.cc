// A run of the indexer, stage by stage: scan the collection, plan what to
// read (index_plan), build documents on worker threads (prepare_paper),
// write them in document id order on this one (index_writer), switch to the
// new generation, and report.
#include "indexer/indexer.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <thread>

#include "indexer/collection.h"
#include "indexer/document_builder.h"
#include "indexer/facet_numbering.h"
#include "indexer/index_plan.h"
#include "indexer/index_store.h"
#include "indexer/index_writer.h"
#include "indexer/ordered_pool.h"
#include "indexer/prepare_paper.h"

namespace papersearch {
namespace fs = std::filesystem;

namespace {

// Preparing is most of the work and parallel; writing is one thread.
unsigned WorkerThreads() {
  unsigned cores = std::thread::hardware_concurrency();
  return cores > 1 ? cores : 0;
}

// Prepared papers in flight between the workers and the writer.
constexpr size_t kPipelineWindow = 64;

// Opens the live generation `live` to update it in place, or starts a full
// build when the run asks for one or the live database cannot be updated
// (the notice says why). Fills `indexed` and `facets` from what is kept.
void OpenOrRebuild(const IndexOptions& options, std::optional<int> live,
                   size_t papers, IndexWriter& writer, IndexedPapers& indexed,
                   FacetNumbering& facets, std::vector<std::string>& notices) {
  if (!options.full && live) {
    try {
      const Xapian::Database& db = writer.OpenLive(*live);
      std::string reason = RebuildReason(db, options.db_path, papers);
      if (reason.empty()) {
        if (std::optional<FacetNumbering> numbering =
                FacetNumbering::Continue(db)) {
          facets = std::move(*numbering);
          indexed = LoadIndexed(db);
          return;
        }
        reason = "the database's facet dictionary is damaged; rebuilding it";
      }
      notices.push_back(std::move(reason));
    } catch (const Xapian::DatabaseOpeningError& e) {
      notices.push_back("cannot open the live database (" + e.get_msg() +
                        "); rebuilding it");
    }
  }
  indexed.clear();
  facets = FacetNumbering();
  writer.StartFull(live ? *live + 1 : 1);
}

// Reads, builds and writes every record of `plan`, then removes the papers
// whose records are gone.
void IndexPapers(const IndexOptions& options, const CollectionScan& scan,
                 const ReadPlan& plan, IndexedPapers& indexed,
                 IndexWriter& writer, OtherNoteDirs& note_dirs,
                 const ProgressFn& progress, IndexReport& report) {
  // Workers stat, read, parse and build documents; this thread writes them
  // in id order (Xapian has one writer), so output does not depend on
  // thread timing.
  auto prepare = [&](size_t k) {
    thread_local DocumentBuilder builder;
    const RecordFile& file = scan.records[plan.order[k].record];
    auto known = indexed.find(file.id);
    return PreparePaper(options.root, file,
                        known == indexed.end() ? nullptr : &known->second.state,
                        builder);
  };
  auto apply = [&](size_t k, Prepared prepared) {
    if (progress) progress(k, plan.order.size());
    const RecordFile& file = scan.records[plan.order[k].record];
    auto known = indexed.find(file.id);
    Indexed* old = known == indexed.end() ? nullptr : &known->second;
    if (old) old->seen = true;
    // A record that failed keeps its indexed version, and with it its note.
    note_dirs.Add(file, prepared.outcome == Prepared::kFailed &&
                                prepared.note_path.empty() && old
                            ? old->state.note_path
                            : prepared.note_path);
    for (Diagnostic& d : prepared.warnings) {
      report.warnings.push_back(std::move(d));
    }
    for (Diagnostic& d : prepared.failed) report.failed.push_back(std::move(d));
    switch (prepared.outcome) {
      case Prepared::kFailed: return;  // an indexed version, if any, stays
      case Prepared::kTouched:
        writer.Touch(old->docid, prepared.state);
        ++report.unchanged;
        return;
      case Prepared::kChanged:
        (old ? report.updated : report.added).push_back(file.id);
        writer.Put(plan.order[k].docid, old != nullptr, file.id,
                   prepared.facets, std::move(prepared.document));
        return;
    }
  };
  ForEachInOrder<Prepared>(plan.order.size(), WorkerThreads(), kPipelineWindow,
                           prepare, apply);
  for (const auto& [id, paper] : indexed) {
    if (paper.seen || InUnreadDirectory(scan, id)) continue;
    report.removed.push_back(id);
    writer.Remove(paper.docid);
  }
}

}  // namespace

std::string DefaultDatabasePath(const fs::path& root) {
  if (const char* env = std::getenv("PAPERSEARCH_DB"); env && *env) return env;
  return (root / ".papersearch" / "db").string();
}

Result<IndexReport> UpdateIndex(const IndexOptions& options,
                                const ProgressFn& progress) {
  const auto start = std::chrono::steady_clock::now();
  const std::string& db_path = options.db_path;
  Result<CollectionScan> scanned = ScanCollection(options.root);
  if (!scanned.ok()) return scanned.status();
  const CollectionScan& scan = *scanned;

  std::optional<WriterLock> lock;
  if (!options.dry_run) {
    std::error_code ec;
    if (fs::path parent = fs::path(db_path).parent_path(); !parent.empty()) {
      fs::create_directories(parent, ec);
    }
    Result<WriterLock> locked = WriterLock::TryAcquire(db_path);
    if (!locked.ok()) return locked.status();
    lock.emplace(std::move(locked).value());
  }
  Result<std::optional<int>> live = CurrentGeneration(db_path);
  if (!live.ok()) return live.status();

  IndexReport report;
  if (!scan.not_records.empty()) {
    std::string notice = "skipped " + std::to_string(scan.not_records.size()) +
                         " file(s) under meta/ that are not paper records "
                         "(records are meta/YEAR/ID.prototxt): ";
    for (size_t i = 0; i < scan.not_records.size(); ++i) {
      notice += (i ? ", " : "") + scan.not_records[i];
    }
    report.notices.push_back(std::move(notice));
  }
  report.failed = scan.problems;
  report.warnings = scan.warnings;

  FacetNumbering facets;
  IndexWriter writer(db_path, options.dry_run, options.shard_papers, &facets);
  OtherNoteDirs note_dirs;
  try {
    IndexedPapers indexed;
    OpenOrRebuild(options, *live, scan.records.size(), writer, indexed, facets,
                  report.notices);
    report.full = writer.full();
    const ReadPlan plan = PlanReads(options.root, scan, indexed, note_dirs);
    report.unchanged = plan.unchanged;
    IndexPapers(options, scan, plan, indexed, writer, note_dirs, progress,
                report);
    writer.Finish(fs::absolute(options.root).lexically_normal().string());
    report.papers = writer.papers();
    report.notes = writer.notes();
  } catch (const Xapian::Error& e) {
    writer.Discard();
    return Status::Error("cannot update " + writer.path() + ": " +
                         e.get_description());
  } catch (const std::exception& e) {
    // Out of memory, a file system error outside Xapian.
    writer.Discard();
    return Status::Error("cannot update " + writer.path() + ": " + e.what());
  }

  if (!options.dry_run) {
    if (report.full) {
      if (Status switched = SwitchToGeneration(db_path, writer.generation());
          !switched.ok()) {
        writer.Discard();
        return switched;
      }
    }
    // The previous generation after a switch, and the debris of a rebuild
    // that was killed before its switch.
    RemoveOtherGenerations(db_path, writer.generation());
  }

  // Every run, like the scan's messages: they describe the collection, not
  // what changed.
  for (Diagnostic& d :
       FindNotesWithoutRecord(options.root, scan, note_dirs.Take())) {
    report.warnings.push_back(std::move(d));
  }
  std::sort(report.added.begin(), report.added.end());
  std::sort(report.updated.begin(), report.updated.end());
  std::sort(report.removed.begin(), report.removed.end());
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return report;
}

}  // namespace papersearch
