#include "indexer/collection.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <optional>
#include <unordered_map>

#include "common/utf8.h"

namespace papersearch {
namespace fs = std::filesystem;

namespace {

bool IsYear(std::string_view name) {
  return name.size() == 4 && std::all_of(name.begin(), name.end(), [](char c) {
           return c >= '0' && c <= '9';
         });
}

constexpr std::string_view kRecordSuffix = ".prototxt";

// Records live at depth 1 (meta/YEAR/ID.prototxt); directories are listed
// down to this depth so that stray records are reported, not ignored.
constexpr int kMaxScanDepth = 3;

// `name` with control characters written as \n, \t or \xHH, so that a
// message naming it stays on one line.
std::string EscapeControl(std::string_view name) {
  std::string out;
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

bool HasControl(std::string_view name) {
  return std::any_of(name.begin(), name.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
}

void CannotList(const std::string& rel, const std::error_code& ec,
                CollectionScan& scan) {
  scan.problems.push_back(
      {rel, 0, 0,
       "cannot list directory (" + ec.message() +
           "); papers indexed from it are kept as they were"});
  scan.unread_dirs.push_back(rel);
}

// The record meta/YEAR/NAME.prototxt, found as `name` in `year_dir`.
RecordFile RecordFromName(const fs::path& year_dir, const std::string& name,
                          std::string relative) {
  RecordFile record;
  record.id = year_dir.filename().string() + "/" +
              name.substr(0, name.size() - kRecordSuffix.size());
  record.relative = std::move(relative);
  return record;
}

// Lists `dir` (at `depth` below meta/, 0 for meta/ itself) and what lies
// below it. Every directory is read with its own iterator, so one that
// cannot be read is reported and skipped without ending the walk.
void ScanDirectory(const fs::path& root, const fs::path& dir, int depth,
                   CollectionScan& scan) {
  const std::string dir_rel = dir.lexically_relative(root).generic_string();
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    CannotList(dir_rel, ec, scan);
    return;
  }
  const bool year_dir = depth == 1 && IsYear(dir.filename().string());
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    const fs::directory_entry& entry = *it;
    std::string rel_str =
        entry.path().lexically_relative(root).generic_string();
    const std::string name = entry.path().filename().string();
    if (FindInvalidUtf8(rel_str) != std::string_view::npos) {
      scan.problems.push_back({SanitizeUtf8(EscapeControl(rel_str)), 0, 0,
                               "file name is not valid UTF-8; rename it"});
      continue;
    }
    if (HasControl(name)) {
      scan.problems.push_back(
          {EscapeControl(rel_str), 0, 0,
           "file name contains a control character (such as a line break); "
           "rename it"});
      continue;
    }
    const bool is_record_name =
        name.size() > kRecordSuffix.size() && name.ends_with(kRecordSuffix);
    std::error_code type_ec;
    if (year_dir && is_record_name && !entry.is_regular_file(type_ec)) {
      // Something that is not a readable file where a record belongs (a
      // directory, a FIFO, a device, a symlink loop): still the record of
      // its paper, so reading it reports the problem by name and the paper
      // keeps its indexed version. Only a removed file removes a paper.
      scan.records.push_back(RecordFromName(dir, name, rel_str));
      continue;
    }
    if (entry.is_directory(type_ec)) {
      if (entry.is_symlink(type_ec)) {
        scan.problems.push_back(
            {rel_str, 0, 0, "directory symlink not followed"});
      } else if (depth < kMaxScanDepth) {
        ScanDirectory(root, entry.path(), depth + 1, scan);
      }
      continue;
    }
    if (!entry.is_regular_file(type_ec)) {
      if (entry.is_symlink(type_ec)) {
        scan.problems.push_back(
            {rel_str, 0, 0, "broken symlink or symlink loop; skipped"});
      }
      continue;
    }
    if (!is_record_name) continue;  // images, editor backups, READMEs
    if (!year_dir) {
      scan.not_records.push_back(rel_str);
      continue;
    }
    scan.records.push_back(RecordFromName(dir, name, rel_str));
  }
  // A listing that failed part way is as good as none: keep what was
  // indexed from this directory.
  if (ec) CannotList(dir_rel, ec, scan);
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; }

// FNV-1a of `id` with ASCII letters in lower case; other bytes (UTF-8
// included) as they are.
uint64_t FoldedHash(std::string_view id) {
  uint64_t hash = 14695981039346656037u;
  for (char c : id) {
    hash ^= static_cast<unsigned char>(AsciiLower(c));
    hash *= 1099511628211u;
  }
  return hash;
}

bool EqualFolded(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return AsciiLower(x) == AsciiLower(y);
         });
}

// A warning for each record whose id equals an earlier one's (scan.records
// is sorted by id) but for ASCII case. Sorting the hashes of the folded ids
// finds candidates in O(n log n) without copying ids; only records whose
// hash occurs twice are compared.
void FindCaseCollisions(CollectionScan& scan) {
  const std::vector<RecordFile>& records = scan.records;
  std::vector<uint64_t> hashes;
  hashes.reserve(records.size());
  for (const RecordFile& record : records) {
    hashes.push_back(FoldedHash(record.id));
  }
  std::vector<uint64_t> sorted = hashes;
  std::sort(sorted.begin(), sorted.end());
  std::vector<uint64_t> repeated;
  for (size_t i = 1; i < sorted.size(); ++i) {
    if (sorted[i] == sorted[i - 1] &&
        (repeated.empty() || repeated.back() != sorted[i])) {
      repeated.push_back(sorted[i]);
    }
  }
  if (repeated.empty()) return;
  // Records in id order, so the first of a group is the earliest id.
  std::vector<const RecordFile*> seen;
  for (size_t i = 0; i < records.size(); ++i) {
    if (!std::binary_search(repeated.begin(), repeated.end(), hashes[i])) {
      continue;
    }
    const RecordFile& later = records[i];
    auto first = std::find_if(seen.begin(), seen.end(), [&](const auto* r) {
      return EqualFolded(r->id, later.id);
    });
    if (first == seen.end()) {
      seen.push_back(&later);
      continue;
    }
    scan.warnings.push_back(
        {later.relative, 0, 0,
         "id " + later.id + " differs only in case from " + (*first)->id +
             " (" + (*first)->relative +
             "); both are indexed, but they collide on case-insensitive file "
             "systems"});
  }
}

// notes/YEAR/NAME/note.md or .../index.md (as FindNote looks for them) when
// one is a regular file, else "".
std::string NoteFileIn(const fs::path& root, const std::string& dir_rel) {
  for (const char* name : {"/note.md", "/index.md"}) {
    const std::string rel = dir_rel + name;
    struct stat st;
    if (stat((root / rel).c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      return rel;
    }
  }
  return "";
}

// The names of the entries of directory `path` but "." and "..", or nothing
// when it cannot be listed. readdir, not directory_iterator: this lists
// every note directory on every run, and a path object per entry doubled the
// cost of finding notes without a record.
std::vector<std::string> ListNames(const fs::path& path) {
  std::vector<std::string> names;
  DIR* dir = opendir(path.c_str());
  if (!dir) return names;
  while (const dirent* entry = readdir(dir)) {
    std::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  closedir(dir);
  return names;
}

// Records by NAME (the id without its year) with ASCII letters in lower
// case, for the hint of a note that has no record.
using RecordsByName =
    std::unordered_map<std::string, std::vector<const RecordFile*>>;

RecordsByName IndexByFoldedName(const std::vector<RecordFile>& records) {
  RecordsByName by_name;
  for (const RecordFile& record : records) {
    std::string name = record.id.substr(record.id.find('/') + 1);
    std::transform(name.begin(), name.end(), name.begin(), AsciiLower);
    by_name[name].push_back(&record);
  }
  return by_name;
}

// What to tell the owner of note directory notes/`year`/`name`/, which has no
// record: the record it may have been meant for, if any (the same name under
// another year, else one differing in case).
std::string NoRecordMessage(const std::string& year, const std::string& name,
                            const RecordsByName& by_name) {
  std::string message = "note has no record (expected meta/" + year + "/" +
                        name + ".prototxt); not indexed";
  std::string folded = name;
  std::transform(folded.begin(), folded.end(), folded.begin(), AsciiLower);
  auto found = by_name.find(folded);
  if (found == by_name.end()) return message;
  const std::vector<const RecordFile*>& candidates = found->second;
  const std::string slash_name = "/" + name;
  auto same_name = std::find_if(candidates.begin(), candidates.end(),
                                [&](const RecordFile* record) {
                                  return record->id.ends_with(slash_name);
                                });
  const RecordFile* best =
      same_name != candidates.end() ? *same_name : candidates.front();
  const char* how = same_name != candidates.end() ? "is under another year"
                    : best->id.starts_with(year + "/")
                        ? "differs only in case"
                        : "differs in year and case";
  return message + "; the record " + best->relative + " " + how +
         ": its note belongs in notes/" + best->id + "/";
}

}  // namespace

std::string_view NoteDirectory(std::string_view note_path) {
  constexpr std::string_view kNotes = "notes/";
  if (!note_path.starts_with(kNotes)) return {};
  std::string_view rest = note_path.substr(kNotes.size());
  size_t year_end = rest.find('/');
  if (year_end == rest.npos) return {};
  size_t name_end = rest.find('/', year_end + 1);
  if (name_end == rest.npos) return {};
  return rest.substr(0, name_end);
}

std::vector<Diagnostic> FindNotesWithoutRecord(
    const fs::path& root, const CollectionScan& scan,
    std::vector<std::string> other_note_dirs) {
  std::vector<Diagnostic> warnings;
  std::sort(other_note_dirs.begin(), other_note_dirs.end());
  const std::vector<RecordFile>& records = scan.records;
  const fs::path notes = root / "notes";
  std::optional<RecordsByName> by_name;  // built for the first note alone
  std::string id;
  for (const std::string& year : ListNames(notes)) {
    if (!IsYear(year)) continue;
    // This year's records are a range of the records (sorted by id), so
    // sorted names are matched in one walk over it, not a search each.
    const std::string from = year + "/";
    const std::string to = year + char('/' + 1);
    auto by_id = [](const RecordFile& r, const std::string& key) {
      return r.id < key;
    };
    auto record = std::lower_bound(records.begin(), records.end(), from, by_id);
    auto end = std::lower_bound(record, records.end(), to, by_id);
    auto name_of = [&](auto it) {
      return std::string_view(it->id).substr(from.size());
    };
    std::vector<std::string> names = ListNames(notes / year);
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      while (record != end && name_of(record) < name) ++record;
      if (record != end && name_of(record) == name) continue;
      id = from + name;
      if (std::binary_search(other_note_dirs.begin(), other_note_dirs.end(),
                             id)) {
        continue;
      }
      // A name the meta/ scan refuses cannot be an id; its record, if any,
      // is reported there. A record in an unread directory may exist.
      if (HasControl(name) || FindInvalidUtf8(name) != std::string::npos ||
          InUnreadDirectory(scan, id)) {
        continue;
      }
      std::string note = NoteFileIn(root, "notes/" + id);
      if (note.empty()) continue;  // covers or other files, no note
      if (!by_name) by_name = IndexByFoldedName(records);
      warnings.push_back({note, 0, 0, NoRecordMessage(year, name, *by_name)});
    }
  }
  // Directory order is the file system's; messages come in path order.
  std::sort(
      warnings.begin(), warnings.end(),
      [](const Diagnostic& a, const Diagnostic& b) { return a.file < b.file; });
  return warnings;
}

Result<CollectionScan> ScanCollection(const fs::path& root) {
  CollectionScan scan;
  const fs::path meta = root / "meta";
  std::error_code ec;
  fs::file_status status = fs::status(meta, ec);
  if (ec || !fs::exists(status)) {
    return Status::Error("no meta/ directory in " + root.string() +
                         ": expected records at meta/YEAR/ID.prototxt (use "
                         "--root DIR to name the collection)");
  }
  if (!fs::is_directory(status)) {
    return Status::Error(meta.string() +
                         " is not a directory: records live at "
                         "meta/YEAR/ID.prototxt");
  }
  fs::directory_iterator probe(meta, ec);
  if (ec) {
    return Status::Error("cannot read " + meta.string() + ": " + ec.message());
  }
  ScanDirectory(root, meta, 0, scan);
  std::sort(
      scan.records.begin(), scan.records.end(),
      [](const RecordFile& a, const RecordFile& b) { return a.id < b.id; });
  std::sort(scan.not_records.begin(), scan.not_records.end());
  FindCaseCollisions(scan);
  return scan;
}

bool InUnreadDirectory(const CollectionScan& scan, const std::string& id) {
  const std::string record = "meta/" + id;
  for (const std::string& dir : scan.unread_dirs) {
    if (record.size() > dir.size() && record.starts_with(dir) &&
        record[dir.size()] == '/') {
      return true;
    }
  }
  return false;
}

std::string FindNote(const fs::path& root, const std::string& id,
                     const std::string& url,
                     std::optional<FileFingerprint>* found, int notes_year_fd) {
  const std::string year = id.substr(0, id.find('/'));
  // Every candidate starts with "notes/YEAR/".
  const size_t year_prefix =
      std::string_view("notes/").size() + year.size() + 1;
  std::vector<std::string> candidates;
  if (!url.empty() && url.find("..") == std::string::npos &&
      url.front() != '/') {
    candidates.push_back(url.find('/') == std::string::npos
                             ? "notes/" + id + "/" + url
                             : "notes/" + year + "/" + url);
  }
  candidates.push_back("notes/" + id + "/note.md");
  candidates.push_back("notes/" + id + "/index.md");
  for (const std::string& candidate : candidates) {
    std::string path;
    auto stat_at = [&](struct stat* st, int flags) {
      if (notes_year_fd >= 0) {
        return fstatat(notes_year_fd, candidate.c_str() + year_prefix, st,
                       flags);
      }
      if (path.empty()) path = (root / candidate).string();
      return fstatat(AT_FDCWD, path.c_str(), st, flags);
    };
    struct stat st;
    if (stat_at(&st, 0) == 0) {
      // Not a regular file (a FIFO, a device, a directory named note.md):
      // returned all the same, so that reading it reports the problem.
      if (found && S_ISREG(st.st_mode)) *found = StatFingerprint(st);
      return candidate;
    }
    // Present but unreadable (no permission to search its directory, a
    // symlink loop, a dangling symlink): reading it reports the problem,
    // where "no note" would silently drop the note from the index.
    if ((errno != ENOENT && errno != ENOTDIR) ||
        stat_at(&st, AT_SYMLINK_NOFOLLOW) == 0) {
      return candidate;
    }
  }
  return "";
}

}  // namespace papersearch
