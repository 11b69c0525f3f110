#include "indexer/indexer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <ostream>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "common/file_reader.h"
#include "common/schema_check.h"
#include "common/synonyms.h"
#include "common/utf8.h"
#include "indexer/collection.h"
#include "indexer/document_builder.h"
#include "indexer/facet_numbering.h"
#include "indexer/index_store.h"
#include "indexer/note_text.h"
#include "indexer/ordered_pool.h"
#include "indexer/record_reader.h"
#include "indexer/source_state.h"
#include "schema.h"

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

// Whether a database merged with `block_size` (its metadata; empty if it
// predates the choice) should be rebuilt for a collection of `papers`: only
// small blocks in a collection that has grown well past small, so that a
// collection hovering around the limit is not rebuilt back and forth.
bool OutgrownBlockSize(const std::string& block_size, size_t papers) {
  return block_size == std::to_string(kSmallBlockSize) &&
         papers > 2 * kSmallCollection;
}

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Reads `path` (a regular file only, at most `limit` bytes: a larger one is
// truncated) and fingerprints what was read. Returns "" or what went wrong,
// worded to follow the file's name.
std::string ReadFingerprinted(const fs::path& path, size_t limit,
                              std::string* text, FileFingerprint* print) {
  FileRead file;
  if (std::string why = ReadRegularFile(path.string(), {limit, true}, &file);
      !why.empty()) {
    return why;
  }
  *text = std::move(file.text);
  *print = StatFingerprint(file.info);
  print->hash = ContentHash(*text);
  return "";
}

// A paper read from its files, ready to build.
struct LoadedPaper {
  bool ok = false;  // the record parsed; false: keep any earlier version
  StoredPaper paper;
  NoteText note;
  SourceState state;
  std::vector<Diagnostic> warnings;
  std::vector<Diagnostic> failed;
};

LoadedPaper LoadPaper(const fs::path& root, const RecordFile& file) {
  LoadedPaper loaded;
  loaded.state.id = file.id;
  std::string text;
  if (std::string problem = ReadFingerprinted(
          file.Path(root), kMaxRecordBytes + 1, &text, &loaded.state.record);
      !problem.empty()) {
    loaded.failed.push_back({file.relative, 0, 0, problem});
    return loaded;
  }
  ParsedRecord record = ParseRecord(text, file.relative);
  loaded.warnings = std::move(record.warnings);
  if (!record.ok) {
    loaded.failed.push_back(std::move(record.error));
    return loaded;
  }
  StoredPaper& paper = loaded.paper;
  paper.set_id(file.id);
  *paper.mutable_info() = std::move(record.info);
  for (std::string& label : record.extra_keywords) {
    paper.add_extra_keywords(std::move(label));
  }
  paper.set_record_path(file.relative);

  loaded.state.note_url = paper.info().note().url();
  std::string note_rel = FindNote(root, file.id, loaded.state.note_url);
  loaded.state.note_path = note_rel;
  if (!note_rel.empty()) {
    std::string markdown;
    if (std::string problem = ReadFingerprinted(
            root / note_rel, kMaxNoteBytes + 1, &markdown, &loaded.state.note);
        !problem.empty()) {
      // Indexing the paper without its note would lose what the index knew
      // of it; report, and let the caller keep any earlier version.
      loaded.failed.push_back({note_rel, 0, 0, problem});
      return loaded;
    }
    if (markdown.size() > kMaxNoteBytes) {
      markdown.resize(TruncateUtf8(markdown, kMaxNoteBytes).size());
      loaded.warnings.push_back({note_rel, 0, 0,
                                 "note is larger than " +
                                     std::to_string(kMaxNoteBytes >> 20) +
                                     " MiB; only its beginning is indexed"});
    }
    if (size_t bad = FindInvalidUtf8(markdown); bad != std::string::npos) {
      TextPosition at = PositionOf(markdown, bad);
      loaded.warnings.push_back(
          {note_rel, at.line, at.column,
           "invalid UTF-8 (indexed as U+FFFD); save the note as UTF-8"});
    }
    loaded.note = ExtractNoteText(markdown);
    paper.set_note_path(note_rel);
  }
  loaded.ok = true;
  return loaded;
}

// Directory descriptors of meta/YEAR and notes/YEAR, opened once per year,
// for stat calls relative to them: a stat of a full path makes the kernel
// walk every component of it, which was most of a no-change run's system
// time at 100,000 papers. -1 for a directory that cannot be opened (the
// caller then stats the full path, and sees the error itself).
class YearDirs {
 public:
  explicit YearDirs(const fs::path& root) : root_(root) {}
  ~YearDirs() {
    for (auto* fds : {&meta_, &notes_}) {
      for (const auto& [year, fd] : *fds) {
        if (fd >= 0) close(fd);
      }
    }
  }
  YearDirs(const YearDirs&) = delete;
  YearDirs& operator=(const YearDirs&) = delete;

  int Meta(const std::string& year) { return Open(meta_, "meta", year); }
  int Notes(const std::string& year) { return Open(notes_, "notes", year); }

 private:
  int Open(std::unordered_map<std::string, int>& fds, const char* top,
           const std::string& year) {
    auto [it, inserted] = fds.try_emplace(year, -1);
    if (inserted) {
      it->second = open((root_ / top / year).c_str(),
                        O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
    return it->second;
  }

  fs::path root_;
  std::unordered_map<std::string, int> meta_, notes_;
};

// True when the files of a paper look exactly as they did when it was
// indexed: the same note is found and both stats match. Only stats files.
bool LooksUnchanged(const fs::path& root, const RecordFile& file,
                    const SourceState& old, YearDirs& dirs) {
  const size_t slash = file.id.find('/');
  const std::string year = file.id.substr(0, slash);
  std::optional<FileFingerprint> record;
  const int meta_fd = dirs.Meta(year);
  if (meta_fd >= 0 && slash != std::string::npos) {
    const std::string name = file.id.substr(slash + 1) + ".prototxt";
    struct stat st;
    if (fstatat(meta_fd, name.c_str(), &st, 0) == 0 && S_ISREG(st.st_mode)) {
      record = StatFingerprint(st);
    }
  } else {
    record = StatFile(file.Path(root).string());
  }
  if (!record || !record->SameStat(old.record)) return false;
  std::optional<FileFingerprint> note;
  if (FindNote(root, file.id, old.note_url, &note, dirs.Notes(year)) !=
      old.note_path) {
    return false;
  }
  if (old.note_path.empty()) return true;
  return note && note->SameStat(old.note);
}

// True when the paper's content is what was indexed, although a stat
// differed (a fresh checkout, a touch).
bool SameContent(const SourceState& now, const SourceState& old) {
  return now.record.hash == old.record.hash && now.note_url == old.note_url &&
         now.note_path == old.note_path &&
         (now.note_path.empty() || now.note.hash == old.note.hash);
}

// What a worker made of one record, for the writer to apply.
struct Prepared {
  enum Outcome { kTouched, kChanged, kFailed } outcome = kFailed;
  // kChanged: the new document, and its facet values, which the writer
  // numbers into it (slot::kTieFacets, after the tie key).
  Xapian::Document document;
  schema::FacetValues facets;
  std::string state;      // kTouched: the new encoded source state
  std::string note_path;  // the note found ("" none), even if unreadable
  std::vector<Diagnostic> warnings;
  std::vector<Diagnostic> failed;
};

// Reads and builds record `file`, whose files changed since the index saw
// them (`old`; null for a new paper): a new document, just new stats when
// the content is the same, or the failure.
Prepared PreparePaper(const fs::path& root, const RecordFile& file,
                      const SourceState* old, DocumentBuilder& builder) {
  Prepared prepared;
  LoadedPaper loaded = LoadPaper(root, file);
  prepared.warnings = std::move(loaded.warnings);
  prepared.failed = std::move(loaded.failed);
  prepared.note_path = loaded.state.note_path;
  if (!loaded.ok) {
    prepared.outcome = Prepared::kFailed;
  } else if (old && SameContent(loaded.state, *old)) {
    prepared.outcome = Prepared::kTouched;
    prepared.state = EncodeSourceState(loaded.state);
  } else {
    prepared.outcome = Prepared::kChanged;
    prepared.document =
        builder.Build(std::move(loaded.paper), loaded.note, &prepared.facets);
    prepared.document.add_value(schema::slot::kSourceState,
                                EncodeSourceState(loaded.state));
  }
  return prepared;
}

// Preparing is most of the work and parallel; writing is one thread.
unsigned WorkerThreads() {
  unsigned cores = std::thread::hardware_concurrency();
  return cores > 1 ? cores : 0;
}

// Prepared papers in flight between the workers and the writer.
constexpr size_t kPipelineWindow = 64;

struct Indexed {
  Xapian::docid docid = 0;
  SourceState state;
  bool seen = false;
};

// What the database knows of each paper, by id.
std::unordered_map<std::string, Indexed> LoadIndexed(
    const Xapian::Database& db) {
  std::unordered_map<std::string, Indexed> indexed;
  indexed.reserve(db.get_doccount());
  for (auto it = db.valuestream_begin(schema::slot::kSourceState);
       it != db.valuestream_end(schema::slot::kSourceState); ++it) {
    if (std::optional<SourceState> state = DecodeSourceState(*it)) {
      std::string id = state->id;
      indexed[id] = Indexed{it.get_docid(), std::move(*state), false};
    }
  }
  if (indexed.size() != db.get_doccount()) {
    // Documents whose state cannot be read: find them by their id terms so
    // they are rebuilt (or removed), never left behind.
    const std::string q = schema::prefix::kId;
    for (auto it = db.allterms_begin(q); it != db.allterms_end(q); ++it) {
      std::string id = (*it).substr(q.size());
      if (!indexed.count(id)) {
        indexed[id] = Indexed{*db.postlist_begin(*it), SourceState{}, false};
      }
    }
  }
  return indexed;
}

struct DocidAssignment {
  size_t record;  // index into the scan's records
  Xapian::docid docid;
};

// The document id of each paper to write (schema::DocidFor): its own for a
// paper already indexed, the first free one from its preferred id for a new
// one. Sorted by document id, the order the writer goes in: a full build
// then appends to Xapian's tables (its fast case) instead of inserting all
// over them.
std::vector<DocidAssignment> AssignDocids(
    const std::vector<RecordFile>& records, const std::vector<size_t>& work,
    const std::unordered_map<std::string, Indexed>& indexed) {
  std::vector<DocidAssignment> order;
  order.reserve(work.size());
  std::unordered_set<Xapian::docid> taken;
  bool taken_loaded = false;
  Xapian::docid overflow = schema::kDocidSpace;  // last id given past the space
  for (size_t i : work) {
    auto known = indexed.find(records[i].id);
    if (known != indexed.end()) {
      order.push_back({i, known->second.docid});
      continue;
    }
    if (!taken_loaded) {  // only runs that add papers pay for this
      taken.reserve(indexed.size() + work.size());
      for (const auto& [id, paper] : indexed) {
        taken.insert(paper.docid);
        overflow = std::max(overflow, paper.docid);
      }
      taken_loaded = true;
    }
    Xapian::docid docid = schema::DocidFor(records[i].id);
    int probes = 0;
    while (taken.count(docid) && ++probes < schema::kMaxDocidProbes) {
      docid = schema::NextDocid(docid);
    }
    if (taken.count(docid)) {
      while (taken.count(++overflow)) {
      }
      docid = overflow;
    }
    taken.insert(docid);
    order.push_back({i, docid});
  }
  std::sort(order.begin(), order.end(),
            [](const DocidAssignment& a, const DocidAssignment& b) {
              return a.docid < b.docid;
            });
  return order;
}

// A progress line on stderr, redrawn at most ten times a second and only
// once the run has taken more than a second.
class Progress {
 public:
  Progress(bool enabled, std::ostream& err) : enabled_(enabled), err_(err) {}
  void Update(size_t done, size_t total) {
    if (!enabled_) return;
    auto now = Clock::now();
    if (now - start_ < std::chrono::seconds(1) ||
        now - last_ < std::chrono::milliseconds(100)) {
      return;
    }
    last_ = now;
    shown_ = true;
    err_ << "\rpaperindex: " << done << "/" << total << " papers" << std::flush;
  }
  void Done() {
    if (shown_) err_ << "\r\033[K" << std::flush;
  }

 private:
  bool enabled_;
  std::ostream& err_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_ = start_;
  bool shown_ = false;
};

void PrintSummary(const IndexOptions& options, const IndexReport& r,
                  std::ostream& err) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", r.seconds);
  const char* verb = options.dry_run ? "would be " : "";
  err << "paperindex: " << (options.dry_run ? "dry run: " : "")
      << (r.full ? "full build: " : "") << r.added.size() << " " << verb
      << "added, " << r.updated.size() << " " << verb << "updated, "
      << r.removed.size() << " " << verb << "removed, " << r.unchanged
      << " unchanged, " << r.failed.size() << " failed; ";
  if (!options.dry_run) {
    err << r.papers << " papers (" << r.notes << " with notes) in "
        << options.db_path << "; ";
  }
  err << seconds << " s\n";
}

}  // namespace

std::string DefaultDatabasePath(const fs::path& root) {
  if (const char* env = std::getenv("PAPERSEARCH_DB"); env && *env) return env;
  return (root / ".papersearch" / "db").string();
}

int RunIndex(const IndexOptions& options, std::ostream& err,
             IndexReport* report_out) {
  const auto start = Clock::now();
  IndexReport report;
  const std::string& db_path = options.db_path;

  CollectionScan scan = ScanCollection(options.root);
  if (!scan.fatal.empty()) {
    err << "paperindex: " << scan.fatal << "\n";
    return 2;
  }
  std::error_code ec;
  fs::path db_parent = fs::path(db_path).parent_path();
  if (!db_parent.empty() && !options.dry_run)
    fs::create_directories(db_parent, ec);
  std::string problem;
  std::optional<WriterLock> lock;
  if (!options.dry_run) {
    lock = WriterLock::TryAcquire(db_path, &problem);
    if (!lock) {
      err << "paperindex: " << problem << "\n";
      return 2;
    }
  }
  std::optional<int> live = CurrentGeneration(db_path, &problem);
  if (!problem.empty()) {
    err << "paperindex: " << problem << "\n";
    return 2;
  }

  if (!scan.not_records.empty() && !options.quiet) {
    err << "paperindex: skipped " << scan.not_records.size()
        << " file(s) under meta/ that are not paper records "
           "(records are meta/YEAR/ID.prototxt): ";
    for (size_t i = 0; i < scan.not_records.size(); ++i) {
      err << (i ? ", " : "") << scan.not_records[i];
    }
    err << "\n";
  }
  for (const Diagnostic& d : scan.problems) report.failed.push_back(d);
  for (const Diagnostic& d : scan.warnings) report.warnings.push_back(d);
  // For finding notes that have no record: the directories of notes that a
  // record's note url places outside the record's own notes/ID/.
  std::vector<std::string> other_note_dirs;
  auto note_of = [&](const RecordFile& file, std::string_view note_path) {
    std::string_view dir = NoteDirectory(note_path);
    if (!dir.empty() && dir != file.id) other_note_dirs.emplace_back(dir);
  };

  report.full = options.full || !live;
  int generation = live.value_or(0);
  std::optional<Xapian::Database> reader;  // dry runs read the live index
  std::optional<Xapian::WritableDatabase> writer;
  // A full build that fails (a full disk, a damaged shard) removes what it
  // wrote: the live generation is untouched and stays the answer.
  auto discard_new_generation = [&] {
    if (!report.full || options.dry_run || generation == live) return;
    try {
      writer.reset();  // closes its files first
    } catch (const Xapian::Error&) {
    }
    std::error_code ignored;
    fs::remove_all(GenerationPath(db_path, generation) + ".shards", ignored);
    fs::remove_all(GenerationPath(db_path, generation), ignored);
  };
  std::unordered_map<std::string, Indexed> indexed;
  FacetNumbering facets;
  try {
    if (!report.full) {
      // Update the live database in place, if it is one we can update.
      try {
        if (options.dry_run) {
          reader.emplace(GenerationPath(db_path, generation),
                         Xapian::DB_BACKEND_GLASS);
        } else {
          writer.emplace(GenerationPath(db_path, generation),
                         Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
        }
        const Xapian::Database& db = writer ? *writer : *reader;
        if (std::optional<std::string> mismatch =
                CheckSchemaVersion(db, db_path)) {
          if (!options.quiet)
            err << "paperindex: " << *mismatch << "; rebuilding it now\n";
          report.full = true;
        } else if (OutgrownBlockSize(db.get_metadata(schema::kBlockSizeKey),
                                     scan.records.size())) {
          if (!options.quiet) {
            err << "paperindex: the collection has grown to "
                << scan.records.size()
                << " papers; rebuilding the database with larger blocks\n";
          }
          report.full = true;
        } else if (db.get_metadata(schema::kSynonymsKey) !=
                   SynonymsFingerprint()) {
          if (!options.quiet) {
            err << "paperindex: the built-in synonym groups "
                   "(common/synonyms.txt) have changed since the database "
                   "was built; rebuilding it\n";
          }
          report.full = true;
        } else if (std::optional<FacetNumbering> numbering =
                       FacetNumbering::Continue(db)) {
          facets = std::move(*numbering);
          indexed = LoadIndexed(db);
        } else {
          if (!options.quiet) {
            err << "paperindex: the database's facet dictionary is damaged; "
                   "rebuilding it\n";
          }
          report.full = true;
        }
      } catch (const Xapian::DatabaseOpeningError& e) {
        if (!options.quiet) {
          err << "paperindex: cannot open the live database (" << e.get_msg()
              << "); rebuilding it\n";
        }
        report.full = true;
      }
    }
    if (report.full) {
      writer.reset();
      reader.reset();
      indexed.clear();
      facets = FacetNumbering();
      generation = live ? *live + 1 : 1;
    }

    // A full build writes its papers into shards of at most
    // options.shard_papers, each a database of its own, and merges them with
    // Xapian's compaction: a cheap sequential merge that fills every block,
    // which halves the database, and picks the block size
    // (MergedBlockSize). Shards bound the B-tree each commit merges into,
    // which matters already at 100k papers; at 1M the cost per paper kept
    // rising until jemalloc replaced glibc's allocator
    // (indexer/CMakeLists.txt; benchmarks/HISTORY.md, "1M papers"). The
    // shards are written one after
    // another, in document id order, so each holds one range of ids and
    // compaction keeps the ids.
    const std::string shards_dir =
        GenerationPath(db_path, generation) + ".shards";
    std::vector<std::string> shards;
    int in_shard = 0;
    auto open_shard = [&] {
      shards.push_back(shards_dir + "/" + std::to_string(shards.size()));
      writer.emplace(shards.back(),
                     Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
      in_shard = 0;
    };
    if (report.full && !options.dry_run) {
      // The debris of a rebuild that was killed.
      fs::remove_all(GenerationPath(db_path, generation), ec);
      fs::remove_all(shards_dir, ec);
      fs::create_directories(shards_dir, ec);
      open_shard();
    }

    Progress progress(options.progress && !options.quiet, err);
    int pending = 0;
    bool wrote = false;
    auto write = [&](auto&& apply) {
      if (!writer) return;
      if (!shards.empty() && in_shard >= options.shard_papers) {
        writer->commit();
        writer->close();
        open_shard();
        pending = 0;
      }
      apply(*writer);
      ++in_shard;
      wrote = true;
      if (++pending == kCommitEvery) {
        // An update in place: readers see this commit, so it must hold the
        // numbers of the papers in it. Shards are read only once merged.
        if (shards.empty()) facets.Save(*writer);
        writer->commit();
        pending = 0;
      }
    };

    // Workers stat, read, parse and build documents; this thread writes them
    // in id order (Xapian has one writer), so output does not depend on
    // thread timing.
    auto prepare = [&](size_t i) {
      thread_local DocumentBuilder builder;
      const RecordFile& file = scan.records[i];
      auto known = indexed.find(file.id);
      const Indexed* old = known == indexed.end() ? nullptr : &known->second;
      return PreparePaper(options.root, file, old ? &old->state : nullptr,
                          builder);
    };
    auto apply = [&](size_t i, Xapian::docid docid, Prepared prepared) {
      const RecordFile& file = scan.records[i];
      auto known = indexed.find(file.id);
      Indexed* old = known == indexed.end() ? nullptr : &known->second;
      if (old) old->seen = true;
      // A record that failed keeps its indexed version, and with it its note.
      note_of(file, prepared.outcome == Prepared::kFailed &&
                            prepared.note_path.empty() && old
                        ? old->state.note_path
                        : prepared.note_path);
      for (Diagnostic& d : prepared.warnings)
        report.warnings.push_back(std::move(d));
      for (Diagnostic& d : prepared.failed)
        report.failed.push_back(std::move(d));
      switch (prepared.outcome) {
        case Prepared::kFailed: return;  // an indexed version, if any, stays
        case Prepared::kTouched:
          // Touched, not changed: remember the new stat, rebuild nothing.
          write([&](Xapian::WritableDatabase& db) {
            Xapian::Document doc = db.get_document(old->docid);
            doc.add_value(schema::slot::kSourceState, prepared.state);
            db.replace_document(old->docid, doc);
          });
          ++report.unchanged;
          return;
        case Prepared::kChanged:
          (old ? report.updated : report.added).push_back(file.id);
          write([&](Xapian::WritableDatabase& db) {
            if (old) RemoveSpellings(db, db.get_document(old->docid));
            prepared.document.add_value(
                schema::slot::kTieFacets,
                schema::TieFacetsValue(schema::TieKey(file.id),
                                       facets.Encode(prepared.facets)));
            db.replace_document(docid, prepared.document);
            AddSpellings(db, prepared.document);
          });
          return;
      }
    };
    // Papers whose files look as they did need one stat or two: checked
    // here, without waking the workers (handing each to a thread cost more
    // than the stat); only the rest go to the pool.
    std::vector<size_t> work;
    YearDirs year_dirs(options.root);
    for (size_t i = 0; i < scan.records.size(); ++i) {
      auto known = indexed.find(scan.records[i].id);
      if (known != indexed.end() &&
          LooksUnchanged(options.root, scan.records[i], known->second.state,
                         year_dirs)) {
        known->second.seen = true;
        ++report.unchanged;
        note_of(scan.records[i], known->second.state.note_path);
      } else {
        work.push_back(i);
      }
    }
    const std::vector<DocidAssignment> order =
        AssignDocids(scan.records, work, indexed);
    ForEachInOrder<Prepared>(
        order.size(), WorkerThreads(), kPipelineWindow,
        [&](size_t k) { return prepare(order[k].record); },
        [&](size_t k, Prepared prepared) {
          progress.Update(k, order.size());
          apply(order[k].record, order[k].docid, std::move(prepared));
        });
    for (const auto& [id, paper] : indexed) {
      if (paper.seen || InUnreadDirectory(scan, id)) continue;
      report.removed.push_back(id);
      // Captured by value: clang 14 (the fuzz build) cannot capture a
      // structured binding.
      write([docid = paper.docid](Xapian::WritableDatabase& db) {
        RemoveSpellings(db, db.get_document(docid));
        db.delete_document(docid);
      });
    }
    progress.Done();

    if (writer && !shards.empty()) {
      writer->commit();
      writer->close();
      Xapian::Database sources;
      for (const std::string& shard : shards) {
        sources.add_database(Xapian::Database(shard, Xapian::DB_BACKEND_GLASS));
      }
      const std::string path = GenerationPath(db_path, generation);
      const int block_size = MergedBlockSize(sources.get_doccount());
      sources.compact(path,
                      Xapian::DBCOMPACT_NO_RENUMBER |
                          (shards.size() > 3 ? Xapian::DBCOMPACT_MULTIPASS : 0),
                      block_size);
      sources.close();
      fs::remove_all(shards_dir, ec);
      writer.emplace(path, Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
      writer->set_metadata(schema::kBlockSizeKey, std::to_string(block_size));
    }
    if (writer) {
      // A run that changed nothing commits nothing: a new revision would
      // make every open reader reopen the database for no reason.
      const std::string root =
          fs::absolute(options.root).lexically_normal().string();
      if (wrote || report.full ||
          writer->get_metadata(schema::kRootKey) != root) {
        WriteSchemaVersion(*writer);
        facets.Save(*writer);
        writer->set_metadata(schema::kSynonymsKey, SynonymsFingerprint());
        writer->set_metadata(schema::kRootKey, root);
        writer->commit();
      }
      report.papers = static_cast<int>(writer->get_doccount());
      report.notes = static_cast<int>(writer->get_termfreq(
          std::string(schema::prefix::kHas) + schema::kHasNote));
      writer->close();
    }
  } catch (const Xapian::Error& e) {
    err << "paperindex: cannot update " << GenerationPath(db_path, generation)
        << ": " << e.get_description() << "\n";
    discard_new_generation();
    return 2;
  } catch (const std::exception& e) {
    // Out of memory, a file system error outside Xapian.
    err << "paperindex: cannot update " << GenerationPath(db_path, generation)
        << ": " << e.what() << "\n";
    discard_new_generation();
    return 2;
  }

  if (!options.dry_run) {
    if (report.full) {
      if (std::string switch_error = SwitchToGeneration(db_path, generation);
          !switch_error.empty()) {
        err << "paperindex: " << switch_error << "\n";
        discard_new_generation();
        return 2;
      }
    }
    // The previous generation after a switch, and the debris of a rebuild
    // that was killed before its switch.
    RemoveOtherGenerations(db_path, generation);
  }

  // Every run, like the scan's messages: they describe the collection, not
  // what changed.
  for (Diagnostic& d :
       FindNotesWithoutRecord(options.root, scan, std::move(other_note_dirs))) {
    report.warnings.push_back(std::move(d));
  }

  std::sort(report.added.begin(), report.added.end());
  std::sort(report.updated.begin(), report.updated.end());
  std::sort(report.removed.begin(), report.removed.end());
  if (!options.quiet) {
    for (const Diagnostic& d : report.warnings) {
      err << "paperindex: warning: " << d.ToString() << "\n";
    }
  }
  for (const Diagnostic& d : report.failed) {
    err << "paperindex: " << d.ToString() << "\n";
  }
  report.seconds = SecondsSince(start);
  if (!options.quiet) PrintSummary(options, report, err);
  int code = report.failed.empty() ? 0 : 1;
  if (!options.report_path.empty()) {
    std::ofstream out(options.report_path, std::ios::trunc);
    out << ReportJson(report, options.dry_run) << "\n";
    if (!out) {
      err << "paperindex: cannot write the report to " << options.report_path
          << "\n";
      code = 2;
    }
  }
  if (report_out) *report_out = std::move(report);
  return code;
}

}  // namespace papersearch
