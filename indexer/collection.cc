#include "indexer/collection.h"

#include <algorithm>

#include "common/utf8.h"
#include "indexer/source_state.h"

namespace papersearch {
namespace fs = std::filesystem;

namespace {

bool IsYear(const std::string& name) {
  return name.size() == 4 &&
         std::all_of(name.begin(), name.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

constexpr std::string_view kRecordSuffix = ".prototxt";

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
  fs::recursive_directory_iterator it(meta, fs::directory_options::none, ec);
  if (ec) {
    scan.fatal = "cannot read " + meta.string() + ": " + ec.message();
    return scan;
  }
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      scan.problems.push_back({"meta", 0, 0, "cannot read: " + ec.message()});
      ec.clear();
      // The iterator may be unusable after an error; pop out of that level.
      if (it.depth() > 0) it.pop(ec);
      if (ec || it == fs::recursive_directory_iterator()) break;
      continue;
    }
    const fs::directory_entry& entry = *it;
    fs::path rel = entry.path().lexically_relative(root);
    std::string rel_str = rel.generic_string();
    if (FindInvalidUtf8(rel_str) != std::string_view::npos) {
      scan.problems.push_back({SanitizeUtf8(rel_str), 0, 0,
                               "file name is not valid UTF-8; rename it"});
      if (entry.is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    std::error_code type_ec;
    if (entry.is_directory(type_ec)) {
      if (entry.is_symlink(type_ec)) {
        scan.problems.push_back(
            {rel_str, 0, 0, "directory symlink not followed"});
      }
      // Only meta/YEAR/ holds records; still descend elsewhere so that
      // stray records are reported rather than silently ignored.
      if (it.depth() >= 3) it.disable_recursion_pending();
      continue;
    }
    bool regular = entry.is_regular_file(type_ec);
    if (!regular) {
      if (entry.is_symlink(type_ec)) {
        scan.problems.push_back(
            {rel_str, 0, 0, "broken symlink or symlink loop; skipped"});
      }
      continue;
    }
    std::string name = entry.path().filename().string();
    bool is_record_name = name.size() > kRecordSuffix.size() &&
                          name.ends_with(kRecordSuffix);
    if (!is_record_name) continue;  // images, editor backups, READMEs
    if (it.depth() != 1 ||
        !IsYear(entry.path().parent_path().filename().string())) {
      scan.not_records.push_back(rel_str);
      continue;
    }
    RecordFile record;
    record.id = entry.path().parent_path().filename().string() + "/" +
                name.substr(0, name.size() - kRecordSuffix.size());
    record.relative = rel_str;
    record.path = entry.path();
    scan.records.push_back(std::move(record));
  }
  std::sort(scan.records.begin(), scan.records.end(),
            [](const RecordFile& a, const RecordFile& b) { return a.id < b.id; });
  std::sort(scan.not_records.begin(), scan.not_records.end());
  return scan;
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
    if (StatFile((root / candidate).string())) return candidate;
  }
  return "";
}

}  // namespace papersearch
