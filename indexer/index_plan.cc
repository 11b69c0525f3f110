#include "indexer/index_plan.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <unordered_set>

#include "common/schema_check.h"
#include "common/synonyms.h"
#include "indexer/index_writer.h"
#include "schema.h"

namespace papersearch {
namespace fs = std::filesystem;

namespace {

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

// The document id of each paper in `work` (see PlanReads).
std::vector<DocidAssignment> AssignDocids(
    const std::vector<RecordFile>& records, const std::vector<size_t>& work,
    const IndexedPapers& indexed) {
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

}  // namespace

IndexedPapers LoadIndexed(const Xapian::Database& db) {
  IndexedPapers indexed;
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

std::string RebuildReason(const Xapian::Database& db,
                          const std::string& db_path, size_t papers) {
  if (Status schema = CheckSchemaVersion(db, db_path); !schema.ok()) {
    return schema.message() + "; rebuilding it now";
  }
  if (OutgrownBlockSize(db.get_metadata(schema::kBlockSizeKey), papers)) {
    return "the collection has grown to " + std::to_string(papers) +
           " papers; rebuilding the database with larger blocks";
  }
  if (db.get_metadata(schema::kSynonymsKey) != SynonymsFingerprint()) {
    return "the built-in synonym groups (common/synonyms.txt) have changed "
           "since the database was built; rebuilding it";
  }
  return "";
}

void OtherNoteDirs::Add(const RecordFile& file, std::string_view note_path) {
  std::string_view dir = NoteDirectory(note_path);
  if (!dir.empty() && dir != file.id) dirs_.emplace_back(dir);
}

ReadPlan PlanReads(const fs::path& root, const CollectionScan& scan,
                   IndexedPapers& indexed, OtherNoteDirs& note_dirs) {
  // Papers whose files look as they did need one stat or two: checked
  // here, without waking the workers (handing each to a thread cost more
  // than the stat); only the rest go to the pool.
  ReadPlan plan;
  std::vector<size_t> work;
  YearDirs year_dirs(root);
  for (size_t i = 0; i < scan.records.size(); ++i) {
    auto known = indexed.find(scan.records[i].id);
    if (known != indexed.end() &&
        LooksUnchanged(root, scan.records[i], known->second.state, year_dirs)) {
      known->second.seen = true;
      ++plan.unchanged;
      note_dirs.Add(scan.records[i], known->second.state.note_path);
    } else {
      work.push_back(i);
    }
  }
  plan.order = AssignDocids(scan.records, work, indexed);
  return plan;
}

}  // namespace papersearch
