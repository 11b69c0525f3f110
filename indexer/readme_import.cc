#include "indexer/readme_import.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <unordered_map>

#include "common/file_reader.h"
#include "common/record_format.h"
#include "common/seed_markdown.h"
#include "common/utf8.h"

namespace papersearch {
namespace {

// Lists are a few hundred kilobytes; anything this large is not one.
constexpr std::uintmax_t kMaxReadmeBytes = 64u * 1024 * 1024;

constexpr std::string_view kBadgePrefix =
    "![Publish](https://img.shields.io/badge/";
constexpr std::string_view kStarsPrefix =
    "[![GitHub Repo stars](https://img.shields.io/github/stars/";

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return c >= '0' && c <= '9'; });
}

// One table cell: its text with "\|" unescaped, and its 1-based column.
struct Cell {
  std::string text;
  int column = 0;
};

// The cells between the row's outer pipes, split at unescaped '|'.
std::vector<Cell> SplitCells(std::string_view line) {
  std::vector<Cell> cells;
  size_t start = line.find('|');
  if (start == std::string_view::npos) return cells;
  size_t end = line.find_last_not_of(" \t");
  if (end == std::string_view::npos || line[end] != '|' || end == start) {
    return cells;
  }
  Cell current;
  size_t cell_start = start + 1;
  for (size_t i = start + 1; i < end; ++i) {
    if (line[i] == '\\' && i + 1 < end && line[i + 1] == '|') {
      current.text += '|';
      ++i;
    } else if (line[i] == '|') {
      current.column = static_cast<int>(cell_start) + 2;
      current.text = std::string(TrimAsciiSpace(current.text));
      cells.push_back(std::move(current));
      current = Cell();
      cell_start = i + 1;
    } else {
      current.text += line[i];
    }
  }
  current.column = static_cast<int>(cell_start) + 2;
  current.text = std::string(TrimAsciiSpace(current.text));
  cells.push_back(std::move(current));
  return cells;
}

// "[TEXT](TARGET)" split at the last "](", or nullopt.
std::optional<std::pair<std::string, std::string>> ParseLink(
    std::string_view cell) {
  if (cell.size() < 4 || cell.front() != '[' || cell.back() != ')') {
    return std::nullopt;
  }
  size_t mid = cell.rfind("](");
  if (mid == std::string_view::npos || mid == 0) return std::nullopt;
  return std::make_pair(
      std::string(cell.substr(1, mid - 1)),
      std::string(cell.substr(mid + 2, cell.size() - mid - 3)));
}

// The paper id "YEAR/NAME" of a Meta link "./meta/YEAR/NAME.prototxt".
std::optional<std::string> IdFromMetaLink(std::string_view link) {
  if (link.starts_with("./")) link.remove_prefix(2);
  if (!link.starts_with("meta/") || !link.ends_with(".prototxt")) {
    return std::nullopt;
  }
  link.remove_prefix(5);
  link.remove_suffix(9);
  size_t slash = link.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view year = link.substr(0, slash);
  std::string_view name = link.substr(slash + 1);
  // The id becomes a path: no directories, no dot files, no separators.
  if (!AllDigits(year) || name.empty() || name.front() == '.' ||
      name.find_first_of("/\\") != std::string_view::npos) {
    return std::nullopt;
  }
  return std::string(link);
}

// A row's fields, or the reason it is not well formed and where.
struct RowResult {
  std::optional<std::string> id;  // set whenever the Meta link parses
  efficient_paper::PaperInfo info;
  std::string error;  // empty: well formed
  int error_column = 0;
  std::string note;  // a remark about a well-formed row
};

RowResult ParseRow(std::string_view line) {
  RowResult r;
  std::vector<Cell> cells = SplitCells(line);
  auto fail = [&r](const Cell* cell, std::string message) {
    r.error = std::move(message);
    r.error_column = cell != nullptr ? cell->column : 1;
    return r;
  };
  if (cells.empty()) return fail(nullptr, "not a table row");

  // Meta: [ABBR](./meta/YEAR/NAME.prototxt); "m" means no abbr.
  auto meta = ParseLink(cells[0].text);
  if (meta) r.id = IdFromMetaLink(meta->second);
  if (!r.id) {
    return fail(&cells[0],
                "Meta cell is not a link to ./meta/YEAR/NAME.prototxt");
  }
  if (cells.size() != 6) {
    return fail(nullptr,
                "expected 6 cells, found " + std::to_string(cells.size()));
  }
  efficient_paper::Paper& paper = *r.info.mutable_paper();
  if (meta->first != "m") paper.set_abbr(meta->first);

  // Title: [TITLE](URL), or plain text when the paper has no url.
  const Cell& title = cells[1];
  if (title.text.empty()) return fail(&title, "empty Title cell");
  if (auto link = ParseLink(title.text)) {
    paper.set_title(link->first);
    paper.set_url(link->second);
  } else {
    paper.set_title(title.text);
  }
  if (paper.title().empty()) return fail(&title, "empty title");

  // Cover: ![cover](LINK) or empty.
  const Cell& cover = cells[2];
  if (!cover.text.empty()) {
    auto link = cover.text.starts_with("!") ? ParseLink(cover.text.substr(1))
                                            : std::nullopt;
    if (!link || link->first != "cover" || link->second.empty()) {
      return fail(&cover, "Cover cell is not ![cover](LINK)");
    }
    r.info.mutable_cover()->set_url(NotesUrlFromLink(*r.id, link->second));
  }

  // Publish: ![Publish](https://img.shields.io/badge/YEAR-VENUE-COLOR).
  const Cell& publish = cells[3];
  std::string_view badge = publish.text;
  if (!badge.starts_with(kBadgePrefix) || !badge.ends_with(")")) {
    return fail(&publish, "Publish cell is not a YEAR-VENUE-COLOR badge");
  }
  badge =
      badge.substr(kBadgePrefix.size(), badge.size() - kBadgePrefix.size() - 1);
  size_t first_dash = badge.find('-');
  size_t last_dash = badge.rfind('-');
  if (first_dash == std::string_view::npos || last_dash <= first_dash + 1 ||
      !AllDigits(badge.substr(0, first_dash)) ||
      badge.find_first_of("()[]!") != std::string_view::npos) {
    return fail(&publish, "Publish cell is not a YEAR-VENUE-COLOR badge");
  }
  std::string_view year = badge.substr(0, first_dash);
  if (year.size() > 9) return fail(&publish, "Publish year out of range");
  std::string venue(badge.substr(first_dash + 1, last_dash - first_dash - 1));
  std::replace(venue.begin(), venue.end(), '_', ' ');
  std::string_view color = badge.substr(last_dash + 1);
  r.info.mutable_pub()->set_where(venue);
  r.info.mutable_pub()->set_year(std::stoi(std::string(year)));
  if (color != VenueBadgeColor(venue)) {
    r.note = "badge colour " + std::string(color) + " for venue \"" + venue +
             "\" differs from the renderer's " +
             std::string(VenueBadgeColor(venue));
  }

  // Code: empty, a GitHub stars badge linking the repository, or [TYPE](URL).
  const Cell& code = cells[4];
  if (code.text.starts_with(kStarsPrefix)) {
    size_t mid = code.text.find(")](", kStarsPrefix.size());
    if (mid == std::string::npos || !code.text.ends_with(")") ||
        mid + 4 >= code.text.size()) {
      return fail(&code, "Code cell is a malformed GitHub badge");
    }
    // The type is not shown for GitHub code, so none is recorded.
    r.info.mutable_code()->set_url(
        code.text.substr(mid + 3, code.text.size() - mid - 4));
  } else if (!code.text.empty()) {
    auto link = ParseLink(code.text);
    if (!link || link->second.empty()) {
      return fail(&code, "Code cell is not [TYPE](URL)");
    }
    // "code" is what the list shows for code without a type.
    if (link->first != "code") r.info.mutable_code()->set_type(link->first);
    r.info.mutable_code()->set_url(link->second);
  }

  // Note: [note](LINK) or empty.
  const Cell& note = cells[5];
  if (!note.text.empty()) {
    auto link = ParseLink(note.text);
    if (!link || link->first != "note" || link->second.empty()) {
      return fail(&note, "Note cell is not [note](LINK)");
    }
    r.info.mutable_note()->set_url(NotesUrlFromLink(*r.id, link->second));
  }
  return r;
}

// The group name of "<details ...><summary><b>NAME</b></summary>", or
// nullopt for any other line.
std::optional<std::string> GroupName(std::string_view line) {
  if (!line.starts_with("<details")) return std::nullopt;
  constexpr std::string_view kOpen = "<summary><b>";
  constexpr std::string_view kClose = "</b></summary>";
  size_t open = line.find(kOpen);
  size_t close = line.rfind(kClose);
  if (open == std::string_view::npos || close == std::string_view::npos ||
      close < open + kOpen.size()) {
    return std::nullopt;
  }
  return std::string(
      line.substr(open + kOpen.size(), close - open - kOpen.size()));
}

bool IsHeaderOrRule(std::string_view line) {
  return line.starts_with("| Meta |") || line.starts_with("|:-") ||
         line.starts_with("|-") || line.starts_with("| :-") ||
         line.starts_with("| -");
}

// A paper being assembled from its rows.
struct PendingPaper {
  StoredPaper paper;
  bool has_fields = false;
  int fields_line = 0;       // the row its fields came from
  int first_line = 0;        // where it was first seen
  std::string fields_bytes;  // the row's fields, serialized, for comparison
};

}  // namespace

ImportedCollection ImportReadme(std::string_view markdown,
                                const std::string& display_path) {
  ImportedCollection result;
  auto warn = [&](int line, int column, std::string message) {
    result.warnings.push_back(
        Diagnostic{display_path, line, column, std::move(message)});
  };

  std::string sanitized;
  if (size_t bad = FindInvalidUtf8(markdown); bad != std::string_view::npos) {
    TextPosition pos = PositionOf(markdown, bad);
    warn(pos.line, pos.column, "invalid UTF-8; bad bytes read as U+FFFD");
    sanitized = SanitizeUtf8(markdown);
    markdown = sanitized;
  }

  std::vector<PendingPaper> pending;
  std::unordered_map<std::string, size_t> by_id;
  bool groups_are_institutions = true;
  std::optional<std::string> group;
  int depth = 0;
  int group_depth = 0;
  int rows_seen = 0;

  int line_number = 0;
  size_t pos = 0;
  while (pos <= markdown.size()) {
    size_t eol = markdown.find('\n', pos);
    if (eol == std::string_view::npos) eol = markdown.size();
    std::string_view line = markdown.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    if (line.starts_with("### ")) {
      std::string_view heading = TrimAsciiSpace(line.substr(4));
      groups_are_institutions = heading == "institution";
      if (!groups_are_institutions) {
        warn(line_number, 1,
             "list is grouped by \"" + std::string(heading) +
                 "\", not institution: group names are not imported");
      }
      continue;
    }
    if (line.starts_with("<details")) {
      ++depth;
      if (auto name = GroupName(line)) {
        group = std::move(name);
        group_depth = depth;
      }
      continue;
    }
    if (line.starts_with("</details>")) {
      if (group && depth == group_depth) group.reset();
      --depth;
      continue;
    }
    if (!line.starts_with("|") || IsHeaderOrRule(line)) continue;

    ++rows_seen;
    RowResult row = ParseRow(line);
    if (!row.error.empty()) {
      warn(line_number, row.error_column,
           row.error + (row.id ? " (row of " + *row.id + " skipped" +
                                     (group && groups_are_institutions
                                          ? "; its group still counts)"
                                          : ")")
                               : "; row skipped"));
    }
    if (!row.id) continue;

    auto [it, inserted] = by_id.try_emplace(*row.id, pending.size());
    if (inserted) {
      pending.emplace_back();
      pending.back().paper.set_id(*row.id);
      pending.back().first_line = line_number;
    }
    PendingPaper& p = pending[it->second];

    if (row.error.empty()) {
      std::string bytes = row.info.SerializeAsString();
      if (!p.has_fields) {
        p.has_fields = true;
        p.fields_line = line_number;
        p.fields_bytes = std::move(bytes);
        efficient_paper::PaperInfo& info = *p.paper.mutable_info();
        auto institutions =
            std::move(*info.mutable_paper()->mutable_institutions());
        info = std::move(row.info);
        *info.mutable_paper()->mutable_institutions() = std::move(institutions);
        if (!row.note.empty()) warn(line_number, 1, row.note);
      } else if (bytes != p.fields_bytes) {
        warn(line_number, 1,
             "row of " + *row.id + " differs from its row at line " +
                 std::to_string(p.fields_line) + "; keeping that one");
      }
    }

    if (!groups_are_institutions) continue;
    if (!group) {
      warn(line_number, 1, "row of " + *row.id + " is outside any group");
      continue;
    }
    auto* institutions =
        p.paper.mutable_info()->mutable_paper()->mutable_institutions();
    if (std::find(institutions->begin(), institutions->end(), *group) ==
        institutions->end()) {
      institutions->Add(std::string(*group));
    }
  }

  if (rows_seen == 0) warn(0, 0, "no paper rows found");
  for (PendingPaper& p : pending) {
    if (!p.has_fields) {
      warn(p.first_line, 1,
           p.paper.id() + " has no well-formed row; not imported");
      continue;
    }
    result.papers.push_back(std::move(p.paper));
  }
  std::stable_sort(
      result.warnings.begin(), result.warnings.end(),
      [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
  return result;
}

Result<ImportedCollection> ImportReadmeFile(const std::string& readme_path) {
  FileRead file;
  if (Status read =
          ReadRegularFile(readme_path, {kMaxReadmeBytes, false}, &file);
      !read.ok()) {
    return Status::Error(readme_path + ": " + read.message());
  }
  return ImportReadme(file.text, readme_path);
}

Status WriteRecords(const ImportedCollection& collection,
                    const std::string& out_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path meta = fs::path(out_dir) / "meta";
  for (const StoredPaper& paper : collection.papers) {
    const std::string& id = paper.id();
    const fs::path dir = meta / id.substr(0, id.find('/'));
    const fs::path file = meta / (id + ".prototxt");
    fs::create_directories(dir, ec);
    if (ec) {
      return Status::Error(dir.string() +
                           ": cannot create directory: " + ec.message());
    }
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << FormatRecord(paper.info());
    out.close();
    if (!out) return Status::Error(file.string() + ": cannot write");
  }
  return Status();
}

}  // namespace papersearch
