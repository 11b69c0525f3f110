#include "indexer/collection.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>

#include "common/utf8.h"

namespace papersearch {
namespace fs = std::filesystem;

namespace {

bool IsYear(const std::string& name) {
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
    std::error_code type_ec;
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
    bool is_record_name =
        name.size() > kRecordSuffix.size() && name.ends_with(kRecordSuffix);
    if (!is_record_name) continue;  // images, editor backups, READMEs
    if (!year_dir) {
      scan.not_records.push_back(rel_str);
      continue;
    }
    RecordFile record;
    record.id = dir.filename().string() + "/" +
                name.substr(0, name.size() - kRecordSuffix.size());
    record.relative = rel_str;
    record.path = entry.path();
    scan.records.push_back(std::move(record));
  }
  // A listing that failed part way is as good as none: keep what was
  // indexed from this directory.
  if (ec) CannotList(dir_rel, ec, scan);
}

}  // namespace

CollectionScan ScanCollection(const fs::path& root) {
  CollectionScan scan;
  const fs::path meta = root / "meta";
  std::error_code ec;
  fs::file_status status = fs::status(meta, ec);
  if (ec || !fs::exists(status)) {
    scan.fatal = "no meta/ directory in " + root.string() +
                 ": expected records at meta/YEAR/ID.prototxt (use --root DIR "
                 "to name the collection)";
    return scan;
  }
  if (!fs::is_directory(status)) {
    scan.fatal = meta.string() +
                 " is not a directory: records live at meta/YEAR/ID.prototxt";
    return scan;
  }
  fs::directory_iterator probe(meta, ec);
  if (ec) {
    scan.fatal = "cannot read " + meta.string() + ": " + ec.message();
    return scan;
  }
  ScanDirectory(root, meta, 0, scan);
  std::sort(
      scan.records.begin(), scan.records.end(),
      [](const RecordFile& a, const RecordFile& b) { return a.id < b.id; });
  std::sort(scan.not_records.begin(), scan.not_records.end());
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
                     const std::string& url) {
  const std::string year = id.substr(0, id.find('/'));
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
    const std::string path = (root / candidate).string();
    struct stat st;
    if (stat(path.c_str(), &st) == 0) {
      if (S_ISREG(st.st_mode)) return candidate;
      continue;
    }
    // Present but unreadable (no permission to search its directory, a
    // symlink loop, a dangling symlink): reading it reports the problem,
    // where "no note" would silently drop the note from the index.
    if ((errno != ENOENT && errno != ENOTDIR) ||
        lstat(path.c_str(), &st) == 0) {
      return candidate;
    }
  }
  return "";
}

}  // namespace papersearch
