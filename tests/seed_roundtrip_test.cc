// The bundled meta/ rendered by institution reproduces the seed list byte for
// byte, except the seed's own garbled MIRAGE rows. Also reports (without
// failing) how far the 2025-08-29 snapshot renders from the seed, and why.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/seed_markdown.h"
#include "indexer/record_reader.h"
#include "tests/support/test_support.h"

namespace papersearch {
namespace {

namespace fs = std::filesystem;
using testing::Lines;
using testing::ReadFile;
using testing::SharedDir;
using testing::SharedMissingMessage;
using testing::SourceDir;

constexpr char kSeedFile[] = "seed/000_2a657fad1eb053b3.txt";
constexpr char kSnapshot[] = "corpus/efficientpaper-2025-08-29";
constexpr char kMirageGroup[] = "The University of Texas at Austin";

// Every paper record under root/meta (meta/search/ holds other messages).
std::vector<StoredPaper> LoadCollection(const fs::path& root,
                                        std::vector<std::string>* errors) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root / "meta")) {
    if (entry.is_regular_file() && entry.path().extension() == ".prototxt") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<StoredPaper> papers;
  for (const fs::path& file : files) {
    std::string rel = fs::relative(file, root / "meta")
                          .replace_extension("")
                          .generic_string();
    if (rel.starts_with("search/")) continue;
    ParsedRecord record =
        ReadRecordFile(file.string(), "meta/" + rel + ".prototxt");
    if (!record.ok) {
      errors->push_back(record.error.ToString());
      continue;
    }
    StoredPaper& paper = papers.emplace_back();
    paper.set_id(rel);
    *paper.mutable_info() = record.info;
    for (const auto& label : record.extra_keywords) {
      paper.add_extra_keywords(label);
    }
  }
  return papers;
}

std::vector<std::string> Cells(const std::string& row) {
  std::vector<std::string> cells;
  std::string body = row.substr(2, row.size() - 4);
  size_t pos = 0;
  while (true) {
    size_t bar = body.find(" | ", pos);
    cells.push_back(body.substr(pos, bar - pos));
    if (bar == std::string::npos) break;
    pos = bar + 3;
  }
  return cells;
}

// The id in a row's Meta link, "YEAR/NAME".
std::string RowId(const std::string& row) {
  size_t start = row.find("(./meta/") + 8;
  return row.substr(start, row.find(".prototxt)") - start);
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return s;
}

// (group, row) for every row of a grouped document.
std::vector<std::pair<std::string, std::string>> GroupedRows(
    const std::vector<std::string>& lines) {
  std::vector<std::pair<std::string, std::string>> rows;
  const std::string open = "<details open><summary><b>";
  std::string group;
  for (const std::string& line : lines) {
    if (line.starts_with(open)) {
      group = line.substr(open.size(), line.find("</b>") - open.size());
    } else if (line.starts_with("| [")) {
      rows.emplace_back(group, line);
    }
  }
  return rows;
}

TEST(SeedRoundTripTest, BundledCollectionRendersTheSeed) {
  std::vector<std::string> errors;
  std::vector<StoredPaper> papers = LoadCollection(SourceDir(), &errors);
  EXPECT_TRUE(errors.empty()) << errors.front();
  ASSERT_EQ(papers.size(), 295u);
  std::string ours = RenderGrouped(papers, GroupBy::kInstitution);

  auto shared = SharedDir();
  if (!shared) GTEST_SKIP() << SharedMissingMessage();
  const std::string seed = ReadFile(*shared / kSeedFile);
  if (ours == seed) FAIL() << "expected the MIRAGE difference; none found";

  // The seed's garbled rows: exactly two, both 2025/MIRAGE in kMirageGroup.
  std::vector<std::string> seed_lines = Lines(seed);
  std::vector<std::string> expected;
  size_t garbled_at = 0;
  int garbled = 0;
  std::string group;
  for (size_t i = 0; i < seed_lines.size(); ++i) {
    const std::string& line = seed_lines[i];
    if (line.starts_with("<details open><summary><b>")) group = line;
    if (line.find("badge/-![Publish]") != std::string::npos) {
      ++garbled;
      EXPECT_EQ(RowId(line), "2025/MIRAGE") << "seed line " << i + 1;
      EXPECT_NE(group.find(kMirageGroup), std::string::npos);
      garbled_at = expected.size();
      continue;
    }
    expected.push_back(line);
  }
  ASSERT_EQ(garbled, 2) << "the seed should garble exactly the two MIRAGE "
                           "rows in \""
                        << kMirageGroup << "\"";

  // Ours is the seed less those two lines plus one correct MIRAGE row.
  std::vector<std::string> our_lines = Lines(ours);
  ASSERT_EQ(our_lines.size(), expected.size() + 1)
      << "the only difference must be the MIRAGE rows in \"" << kMirageGroup
      << "\"";
  size_t first_diff = 0;
  while (first_diff < expected.size() &&
         our_lines[first_diff] == expected[first_diff]) {
    ++first_diff;
  }
  const auto mirage = std::find_if(papers.begin(), papers.end(), [](auto& p) {
    return p.id() == "2025/MIRAGE";
  });
  ASSERT_NE(mirage, papers.end());
  std::string mirage_row = RenderRow(*mirage);
  mirage_row.pop_back();
  EXPECT_EQ(our_lines[first_diff], mirage_row)
      << "the single difference from the seed must be one correct row of "
         "2025/MIRAGE in \""
      << kMirageGroup << "\" (seed line " << first_diff + 1 << ")";
  our_lines.erase(our_lines.begin() + first_diff);
  EXPECT_TRUE(our_lines == expected)
      << "apart from the MIRAGE rows in \"" << kMirageGroup
      << "\" the rendering must equal the seed byte for byte";
  EXPECT_EQ(ours.back(), '\n');
  EXPECT_TRUE(ours.ends_with("</p>\n</details>\n\n"));

  // In kMirageGroup, near the garbled rows, and in sorted place.
  std::string our_group;
  for (size_t i = first_diff; i-- > 0;) {
    if (our_lines[i].starts_with("<details open><summary><b>")) {
      our_group = our_lines[i];
      break;
    }
  }
  EXPECT_NE(our_group.find(kMirageGroup), std::string::npos);
  EXPECT_LE(first_diff - garbled_at, 10u);
  auto key = [](const std::string& row) {
    auto c = Cells(row);
    return std::make_pair(c[3], c[1]);
  };
  if (our_lines[first_diff - 1].starts_with("| [")) {
    EXPECT_LE(key(our_lines[first_diff - 1]), key(mirage_row));
  }
  if (our_lines[first_diff].starts_with("| [")) {
    EXPECT_LE(key(mirage_row), key(our_lines[first_diff]));
  }
  RecordProperty("seed_difference",
                 "2 garbled 2025/MIRAGE rows replaced by 1 correct row at "
                 "line " +
                     std::to_string(first_diff + 1));
}

// Why a cell of a snapshot row differs from the seed's, from the record.
std::string Explain(const std::string& column, const StoredPaper* paper,
                    const std::string& seed_cell, const std::string& our_cell) {
  std::string what =
      column + ": seed `" + seed_cell + "`, ours `" + our_cell + "`";
  if (paper == nullptr) return what;
  const auto& info = paper->info();
  if (Lower(seed_cell) == Lower(our_cell)) {
    return what + " -- the snapshot's file is " + paper->id() +
           ".prototxt, the seed links another case of that name";
  }
  if (column == "Cover") {
    return what + " -- cover url \"" + info.cover().url() +
           "\": the list's generator links the first of notes/URL, "
           "notes/YEAR/URL, notes/YEAR/ID/URL that exists on its disk; ours, "
           "without a disk, reads a url with a directory as notes/YEAR/URL";
  }
  if (column == "Note" && !info.has_note()) {
    return what +
           " -- the record has no note field: the list's own .proto defaults "
           "note.url to \"note.md\" and, finding no such file, links the bare "
           "url; our format has no default, so no note";
  }
  return what;
}

TEST(SeedRoundTripTest, ReportSnapshotDifferenceFromSeed) {
  auto shared = SharedDir();
  if (!shared) GTEST_SKIP() << SharedMissingMessage();
  std::vector<std::string> errors;
  std::vector<StoredPaper> snapshot =
      LoadCollection(*shared / kSnapshot, &errors);
  std::vector<StoredPaper> bundled = LoadCollection(SourceDir(), &errors);
  EXPECT_TRUE(errors.empty()) << errors.front();
  const std::string seed = ReadFile(*shared / kSeedFile);
  const std::string ours = RenderGrouped(snapshot, GroupBy::kInstitution);

  std::ostringstream report;
  report << "== " << kSnapshot << " rendered by institution vs the seed ==\n";
  report << "records: snapshot " << snapshot.size() << ", bundled (seed) "
         << bundled.size() << "\n";

  std::map<std::string, const StoredPaper*> snap_by_id, bundled_by_lower;
  for (const auto& p : snapshot) snap_by_id[Lower(p.id())] = &p;
  for (const auto& p : bundled) bundled_by_lower[Lower(p.id())] = &p;
  for (const auto& p : snapshot) {
    if (bundled_by_lower.contains(Lower(p.id()))) continue;
    report << "  not in the seed: " << p.id() << " ("
           << p.info().paper().institutions_size()
           << " institutions: no group lists it)\n";
  }
  for (const auto& p : bundled) {
    auto it = snap_by_id.find(Lower(p.id()));
    if (it == snap_by_id.end()) {
      report << "  only in the seed: " << p.id() << "\n";
    } else if (it->second->id() != p.id()) {
      report << "  file name case: seed " << p.id() << ", snapshot "
             << it->second->id() << "\n";
    }
  }

  // Groups and rows.
  auto seed_rows = GroupedRows(Lines(seed));
  auto our_rows = GroupedRows(Lines(ours));
  std::set<std::string> seed_groups, our_groups;
  for (auto& [g, r] : seed_rows) seed_groups.insert(g);
  for (auto& [g, r] : our_rows) our_groups.insert(g);
  int groups_only_seed = 0, groups_only_ours = 0;
  for (auto& g : seed_groups) groups_only_seed += !our_groups.contains(g);
  for (auto& g : our_groups) groups_only_ours += !seed_groups.contains(g);
  report << "groups: seed " << seed_groups.size() << ", snapshot "
         << our_groups.size() << " (only in seed " << groups_only_seed
         << ", only in snapshot " << groups_only_ours << ")\n";

  // Match rows by (group, id ignoring case); duplicates count separately.
  std::multimap<std::pair<std::string, std::string>, std::string> ours_left;
  for (auto& [g, r] : our_rows)
    ours_left.emplace(std::pair{g, Lower(RowId(r))}, r);
  int same = 0, changed = 0, removed = 0;
  std::vector<std::string> details;
  std::map<std::string, int> changed_by_column;
  const char* kColumns[] = {"Meta",    "Title", "Cover",
                            "Publish", "Code",  "Note"};
  for (auto& [g, r] : seed_rows) {
    auto it = ours_left.find({g, Lower(RowId(r))});
    if (it == ours_left.end()) {
      ++removed;
      details.push_back(
          "removed in \"" + g + "\": " + RowId(r) +
          (r.find("badge/-![Publish]") != std::string::npos
               ? " (a garbled duplicate row: its record names this group "
                 "twice)"
               : " (no snapshot record lists it in this group)"));
      continue;
    }
    std::string our_row = it->second;
    ours_left.erase(it);
    if (our_row == r) {
      ++same;
      continue;
    }
    ++changed;
    auto sc = Cells(r), oc = Cells(our_row);
    auto paper = snap_by_id.find(Lower(RowId(r)));
    if (r.find("badge/-![Publish]") != std::string::npos) {
      ++changed_by_column["garbled row"];
      details.push_back("changed in \"" + g + "\": " + RowId(r) +
                        " -- the seed's generator garbled this row (Publish "
                        "badge nested in itself, cells shifted left) because "
                        "the record names this group twice");
      continue;
    }
    for (size_t i = 0; i < std::min(sc.size(), oc.size()); ++i) {
      if (sc[i] == oc[i]) continue;
      ++changed_by_column[kColumns[i]];
      details.push_back(
          "changed in \"" + g + "\": " + RowId(r) + " " +
          Explain(kColumns[i],
                  paper == snap_by_id.end() ? nullptr : paper->second, sc[i],
                  oc[i]));
    }
  }
  int added = static_cast<int>(ours_left.size());
  for (auto& [key, row] : ours_left) {
    details.push_back("added in \"" + key.first + "\": " + RowId(row));
  }
  report << "rows: seed " << seed_rows.size() << ", snapshot "
         << our_rows.size() << "; identical " << same << ", changed " << changed
         << ", removed " << removed << ", added " << added << "\n";
  for (auto& [column, count] : changed_by_column) {
    report << "  changed " << column << " cells: " << count << "\n";
  }

  // Record fields the seed cannot show, which the bundled records lack.
  int trimmed = 0, spaced = 0, typed = 0, authors = 0, keywords = 0;
  for (const auto& b : bundled) {
    auto it = snap_by_id.find(Lower(b.id()));
    if (it == snap_by_id.end()) continue;
    const auto& s = it->second->info();
    const std::string& url = b.info().code().url();
    if (s.code().url() != url) {
      if (s.code().url().starts_with(url + "/")) {
        ++trimmed;
      } else {
        ++spaced;
        details.push_back("code url of " + b.id() + ": snapshot \"" +
                          s.code().url() + "\", seed \"" + url + "\"");
      }
    }
    if (!s.code().type().empty() && b.info().code().type().empty()) ++typed;
    if (s.paper().authors_size() > 0) ++authors;
    if (s.keyword().words_size() > 0) ++keywords;
  }
  report << "records vs bundled: " << trimmed
         << " code urls point inside a GitHub repository, which the seed "
            "shows (and the bundled record keeps) as the repository root; "
         << spaced << " other code urls differ; " << typed
         << " code types not shown for GitHub code, " << authors
         << " with authors and " << keywords
         << " with keywords, which the seed does not show\n";

  report << "details:\n";
  for (const auto& d : details) report << "  " << d << "\n";
  std::cout << report.str();
  RecordProperty("snapshot_rows_changed", changed);
  RecordProperty("snapshot_rows_removed", removed);
  RecordProperty("snapshot_rows_added", added);
  RecordProperty("snapshot_groups", static_cast<int>(our_groups.size()));
  // Sanity, not a comparison: the snapshot is the same list that day.
  EXPECT_EQ(seed_groups, our_groups);
}

}  // namespace
}  // namespace papersearch
