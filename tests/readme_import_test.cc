// The import-readme converter: synthetic rows of every shape, merging and
// warnings, the command's exit codes, and the real seed list.
#include "indexer/readme_import.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "common/seed_markdown.h"
#include "indexer/run.h"
#include "tests/support/test_support.h"

namespace papersearch {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::SharedDir;
using testing::SharedMissingMessage;
using testing::TempDir;
using testing::WriteFile;

constexpr char kSeedFile[] = "seed/000_2a657fad1eb053b3.txt";

std::string Open() {
  return "<details open><summary>\n\n### institution\n</summary> \n<p>\n\n";
}
std::string Group(const std::string& name) {
  return "<details open><summary><b>" + name +
         "</b></summary> \n<p>\n\n\n| Meta | Title | Cover | Publish | Code | "
         "Note |\n|:-----|:------|:------|:--------|:-----|:-----|\n";
}
std::string CloseGroup() { return "</p>\n</details>\n"; }
std::string Close() { return "</p>\n</details>\n\n"; }

// Rows of each shape, all invented.
const char kFullRow[] =
    "| [ExSparse](./meta/2024/ExSparse.prototxt) | [Example Sparse "
    "Paper](https://example.org/sparse) | "
    "![cover](./notes/2024/ExSparse/fig1.png) | "
    "![Publish](https://img.shields.io/badge/2024-ICLR_oral-green) | "
    "[![GitHub Repo "
    "stars](https://img.shields.io/github/stars/example-org/sparse)](https://"
    "github.com/example-org/sparse) | [note](./notes/2024/ExSparse/note.md) "
    "|\n";
const char kBareRow[] =
    "| [m](./meta/2023/QX7Z1ABC.prototxt) | [Example Quantization "
    "Survey](https://example.org/quant) |  | "
    "![Publish](https://img.shields.io/badge/2023-arXiv-1E88E5) |  |  |\n";
const char kTypedCodeRow[] =
    "| [ExKV](./meta/2025/ExKV.prototxt) | [Example KV "
    "Paper](https://example.org/kv) | ![cover](./notes/2025/old_kv/cover.jpg) "
    "| ![Publish](https://img.shields.io/badge/2025-AutoML_Workshop-A9A9A9) | "
    "[Website](https://example.org/kv-site) | "
    "[note](./notes/2025/old_kv/index.md) |\n";
const char kGarbledRow[] =
    "| [ExSparse](./meta/2024/ExSparse.prototxt) | [Example Sparse "
    "Paper](https://example.org/sparse) |  | "
    "![Publish](https://img.shields.io/badge/-![Publish](https://"
    "img.shields.io/badge/2024-ICLR_oral-green)-green) | "
    "[note](./notes/2024/ExSparse/note.md) | None |\n";

const StoredPaper* Find(const ImportedCollection& c, const std::string& id) {
  for (const StoredPaper& p : c.papers) {
    if (p.id() == id) return &p;
  }
  return nullptr;
}

std::vector<std::string> Institutions(const StoredPaper& p) {
  const auto& list = p.info().paper().institutions();
  return {list.begin(), list.end()};
}

TEST(ReadmeImportTest, EveryCellShape) {
  std::string md = Open() + Group("Example University") + kFullRow + kBareRow +
                   kTypedCodeRow + CloseGroup() + Close();
  ImportedCollection c = ImportReadme(md, "list.md");
  EXPECT_TRUE(c.warnings.empty());
  ASSERT_EQ(c.papers.size(), 3u);
  EXPECT_EQ(c.papers[0].id(), "2024/ExSparse");  // first-seen order
  EXPECT_EQ(c.papers[1].id(), "2023/QX7Z1ABC");
  EXPECT_EQ(c.papers[2].id(), "2025/ExKV");

  const auto& full = c.papers[0].info();
  EXPECT_EQ(full.paper().abbr(), "ExSparse");
  EXPECT_EQ(full.paper().title(), "Example Sparse Paper");
  EXPECT_EQ(full.paper().url(), "https://example.org/sparse");
  EXPECT_EQ(full.pub().where(), "ICLR oral");
  EXPECT_EQ(full.pub().year(), 2024);
  EXPECT_EQ(full.cover().url(), "fig1.png");
  EXPECT_EQ(full.note().url(), "note.md");
  EXPECT_EQ(full.code().url(), "https://github.com/example-org/sparse");
  EXPECT_FALSE(full.code().has_type());  // not shown, so not invented
  EXPECT_EQ(Institutions(c.papers[0]),
            std::vector<std::string>{"Example University"});

  const auto& bare = c.papers[1].info();
  EXPECT_FALSE(bare.paper().has_abbr());  // "m" means none
  EXPECT_FALSE(bare.has_cover());
  EXPECT_FALSE(bare.has_code());
  EXPECT_FALSE(bare.has_note());

  const auto& typed = c.papers[2].info();
  EXPECT_EQ(typed.code().type(), "Website");
  EXPECT_EQ(typed.code().url(), "https://example.org/kv-site");
  EXPECT_EQ(typed.cover().url(), "old_kv/cover.jpg");
  EXPECT_EQ(typed.note().url(), "old_kv/index.md");
  EXPECT_EQ(typed.pub().where(), "AutoML Workshop");

  // Each row renders back to itself.
  EXPECT_EQ(RenderRow(c.papers[0]), kFullRow);
  EXPECT_EQ(RenderRow(c.papers[1]), kBareRow);
  EXPECT_EQ(RenderRow(c.papers[2]), kTypedCodeRow);
}

TEST(ReadmeImportTest, InstitutionsMergedInOrderOfAppearance) {
  std::string md = Open() + Group("Alpha Lab") + kBareRow + CloseGroup() +
                   Group("Beta Institute") + kFullRow + kBareRow +
                   CloseGroup() + Group("Gamma Center") + kBareRow +
                   CloseGroup() + Close();
  ImportedCollection c = ImportReadme(md, "list.md");
  EXPECT_TRUE(c.warnings.empty());
  ASSERT_EQ(c.papers.size(), 2u);
  EXPECT_EQ(Institutions(*Find(c, "2023/QX7Z1ABC")),
            (std::vector<std::string>{"Alpha Lab", "Beta Institute",
                                      "Gamma Center"}));
}

TEST(ReadmeImportTest, GarbledRowWarnsWithLineButKeepsItsGroup) {
  // Lines 1-6 open the list, 7-12 the first group; the good row is line 13.
  std::string md = Open() + Group("Example University") + kFullRow +
                   CloseGroup() + Group("Other Lab") + kGarbledRow +
                   kGarbledRow + CloseGroup() + Close();
  ImportedCollection c = ImportReadme(md, "list.md");
  ASSERT_EQ(c.papers.size(), 1u);
  // The garbled rows are in group "Other Lab" (line 16 opens it, rows 22, 23).
  ASSERT_EQ(c.warnings.size(), 2u);
  EXPECT_EQ(c.warnings[0].file, "list.md");
  EXPECT_EQ(c.warnings[0].line, 22);
  EXPECT_EQ(c.warnings[1].line, 23);
  EXPECT_NE(c.warnings[0].message.find("Publish"), std::string::npos);
  EXPECT_NE(c.warnings[0].message.find("2024/ExSparse"), std::string::npos);
  EXPECT_GT(c.warnings[0].column, 1);
  // Fields from the well-formed row; both groups, each once.
  EXPECT_EQ(c.papers[0].info().pub().where(), "ICLR oral");
  EXPECT_EQ(Institutions(c.papers[0]),
            (std::vector<std::string>{"Example University", "Other Lab"}));
  EXPECT_EQ(RenderRow(c.papers[0]), kFullRow);
}

TEST(ReadmeImportTest, GarbledRowFirstStillTakesFieldsFromLaterGoodRow) {
  std::string md = Open() + Group("First Lab") + kGarbledRow + CloseGroup() +
                   Group("Second Lab") + kFullRow + CloseGroup() + Close();
  ImportedCollection c = ImportReadme(md, "list.md");
  ASSERT_EQ(c.papers.size(), 1u);
  EXPECT_EQ(c.warnings.size(), 1u);
  EXPECT_EQ(RenderRow(c.papers[0]), kFullRow);
  EXPECT_EQ(Institutions(c.papers[0]),
            (std::vector<std::string>{"First Lab", "Second Lab"}));
}

TEST(ReadmeImportTest, PaperWithOnlyGarbledRowsIsLeftOutWithWarning) {
  std::string md =
      Open() + Group("Only Lab") + kGarbledRow + CloseGroup() + Close();
  ImportedCollection c = ImportReadme(md, "list.md");
  EXPECT_TRUE(c.papers.empty());
  ASSERT_EQ(c.warnings.size(), 2u);
  EXPECT_NE(c.warnings[1].message.find("not imported"), std::string::npos);
}

TEST(ReadmeImportTest, ConflictingRowsKeepTheFirstAndWarn) {
  std::string changed = kBareRow;
  changed.replace(changed.find("Survey"), 6, "Review");
  std::string md = Open() + Group("Alpha Lab") + kBareRow + CloseGroup() +
                   Group("Beta Lab") + changed + CloseGroup() + Close();
  ImportedCollection c = ImportReadme(md, "list.md");
  ASSERT_EQ(c.papers.size(), 1u);
  EXPECT_EQ(c.papers[0].info().paper().title(), "Example Quantization Survey");
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_EQ(c.warnings[0].line, 22);
  EXPECT_NE(c.warnings[0].message.find("line 13"), std::string::npos);
}

TEST(ReadmeImportTest, UnparseableMetaLinkIsSkippedWithWarning) {
  std::string md =
      Open() + Group("Alpha Lab") +
      "| [x](../../etc/passwd) | [T](u) |  |  |  |  |\n" +
      "| [y](./meta/2024/../evil.prototxt) | [T](u) |  |  |  |  |\n" +
      CloseGroup() + Close();
  ImportedCollection c = ImportReadme(md, "list.md");
  EXPECT_TRUE(c.papers.empty());
  ASSERT_EQ(c.warnings.size(), 2u);
  EXPECT_EQ(c.warnings[0].line, 13);
  EXPECT_NE(c.warnings[0].message.find("Meta"), std::string::npos);
}

TEST(ReadmeImportTest, NonInstitutionListImportsRowsWithoutGroups) {
  std::string md =
      "<details open><summary>\n\n### venue\n</summary> \n<p>\n\n" +
      Group("ICLR oral") + kFullRow + CloseGroup() + Close();
  ImportedCollection c = ImportReadme(md, "list.md");
  ASSERT_EQ(c.papers.size(), 1u);
  EXPECT_TRUE(Institutions(c.papers[0]).empty());
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_EQ(c.warnings[0].line, 3);
}

TEST(ReadmeImportTest, EmptyInputWarnsNoRows) {
  ImportedCollection c = ImportReadme("", "empty.md");
  EXPECT_TRUE(c.papers.empty());
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_EQ(c.warnings[0].ToString(), "empty.md: no paper rows found");
}

TEST(ReadmeImportTest, RunWritesRecordsAndReportsExitCodes) {
  TempDir dir;
  const fs::path list = dir.path() / "list.md";
  WriteFile(list, Open() + Group("Alpha Lab") + kFullRow + kBareRow +
                      CloseGroup() + Close());
  std::ostringstream err;
  EXPECT_EQ(
      RunImportReadme(list.string(), (dir.path() / "out").string(), false, err),
      0);
  EXPECT_NE(err.str().find("2 papers written"), std::string::npos) << err.str();
  std::string record =
      ReadFile(dir.path() / "out" / "meta" / "2024" / "ExSparse.prototxt");
  EXPECT_NE(record.find("title: \"Example Sparse Paper\""), std::string::npos);
  EXPECT_NE(record.find("institutions: \"Alpha Lab\""), std::string::npos);
  EXPECT_TRUE(
      fs::exists(dir.path() / "out" / "meta" / "2023" / "QX7Z1ABC.prototxt"));

  // Warnings: written, exit 1, each warning as file:line:col.
  WriteFile(list, Open() + Group("Alpha Lab") + kFullRow + kGarbledRow +
                      CloseGroup() + Close());
  std::ostringstream quiet_err;
  EXPECT_EQ(RunImportReadme(list.string(), (dir.path() / "out").string(), true,
                            quiet_err),
            1);
  EXPECT_NE(quiet_err.str().find(list.string() + ":14:"), std::string::npos)
      << quiet_err.str();
  EXPECT_EQ(quiet_err.str().find("papers written"), std::string::npos);

  // Could not run: missing input, output under a regular file.
  std::ostringstream missing_err;
  EXPECT_EQ(RunImportReadme((dir.path() / "absent.md").string(),
                            (dir.path() / "out").string(), false, missing_err),
            2);
  EXPECT_NE(missing_err.str().find("absent.md"), std::string::npos);
  std::ostringstream blocked_err;
  EXPECT_EQ(RunImportReadme(list.string(), list.string(), false, blocked_err),
            2);
}

// --- The real seed list -----------------------------------------------------

struct SeedRow {
  std::string abbr, year, name, title, url, badge_year, venue, code;
  std::string group;
};

// Every well-formed row of the seed, read with a regex independent of the
// converter's own parser.
std::vector<SeedRow> RegexRows(const std::string& text) {
  static const std::regex row_re(
      R"(^\| \[([^\]]*)\]\(\./meta/(\d+)/([^/)]+)\.prototxt\) \| )"
      R"(\[(.*)\]\(([^()]*)\) \| (?:!\[cover\]\([^)]*\))? \| )"
      R"(!\[Publish\]\(https://img\.shields\.io/badge/(\d+)-([^()]+)-)"
      R"([0-9A-Za-z]+\) \| (.*) \| (?:\[note\]\([^)]*\))? \|$)");
  static const std::regex group_re(
      R"(^<details open><summary><b>(.*)</b></summary> $)");
  std::vector<SeedRow> rows;
  std::string group;
  std::istringstream in(text);
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, group_re)) {
      group = m[1];
    } else if (line.starts_with("| [") && std::regex_match(line, m, row_re)) {
      rows.push_back({m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], group});
    }
  }
  return rows;
}

TEST(ReadmeImportTest, RealSeedList) {
  auto shared = SharedDir();
  if (!shared) GTEST_SKIP() << SharedMissingMessage();
  const fs::path seed_path = *shared / kSeedFile;
  const std::string text = ReadFile(seed_path);
  ImportedCollection c = ImportReadme(text, "seed.md");
  EXPECT_EQ(c.papers.size(), 295u);

  // The only warnings are the two garbled MIRAGE rows, at their real lines.
  std::vector<int> garbled_lines;
  {
    std::istringstream in(text);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      if (line.find("badge/-![Publish]") != std::string::npos) {
        garbled_lines.push_back(n);
      }
    }
  }
  ASSERT_EQ(garbled_lines.size(), 2u);
  ASSERT_EQ(c.warnings.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(c.warnings[i].line, garbled_lines[i]);
    EXPECT_NE(c.warnings[i].message.find("2025/MIRAGE"), std::string::npos);
  }

  // Independently: fields of each paper's first row and its groups in order.
  std::vector<SeedRow> rows = RegexRows(text);
  EXPECT_EQ(rows.size(), 567u);  // 569 rows less the two garbled ones
  std::map<std::string, SeedRow> first;
  std::map<std::string, std::vector<std::string>> groups;
  for (const SeedRow& row : rows) {
    std::string id = row.year + "/" + row.name;
    first.try_emplace(id, row);
    auto& g = groups[id];
    if (std::find(g.begin(), g.end(), row.group) == g.end()) {
      g.push_back(row.group);
    }
  }
  EXPECT_EQ(first.size(), 295u);
  // MIRAGE's garbled rows still add their group.
  groups["2025/MIRAGE"].push_back("The University of Texas at Austin");

  for (const auto& [id, row] : first) {
    const StoredPaper* p = Find(c, id);
    ASSERT_NE(p, nullptr) << id;
    const auto& info = p->info();
    EXPECT_EQ(info.paper().abbr(), row.abbr == "m" ? "" : row.abbr) << id;
    EXPECT_EQ(info.paper().title(), row.title) << id;
    EXPECT_EQ(info.paper().url(), row.url) << id;
    EXPECT_EQ(std::to_string(info.pub().year()), row.badge_year) << id;
    std::string venue = row.venue;
    std::replace(venue.begin(), venue.end(), '_', ' ');
    EXPECT_EQ(info.pub().where(), venue) << id;
    EXPECT_EQ(Institutions(*p), groups[id]) << id;
    if (row.code.empty()) {
      EXPECT_FALSE(info.has_code()) << id;
    } else {
      EXPECT_NE(row.code.find("](" + info.code().url() + ")"),
                std::string::npos)
          << id;
    }
  }

  // Spot checks of the irregular cells named in the issue.
  const StoredPaper* wd = Find(c, "2023/WDCO13S6");
  ASSERT_NE(wd, nullptr);
  EXPECT_EQ(wd->info().cover().url(), "nas_pruning/nas_pruning.jpg");
  EXPECT_FALSE(wd->info().paper().has_abbr());
  EXPECT_EQ(wd->info().pub().where(), "AutoML Workshop");
  const StoredPaper* vit = Find(c, "2023/SparseViT");
  ASSERT_NE(vit, nullptr);
  EXPECT_EQ(vit->info().note().url(), "sparsevit/index.md");
  EXPECT_EQ(vit->info().cover().url(), "sparsevit.jpg");
  const StoredPaper* mirage = Find(c, "2025/MIRAGE");
  ASSERT_NE(mirage, nullptr);
  EXPECT_EQ(mirage->info().pub().where(), "arXiv");
  EXPECT_FALSE(mirage->info().has_code());
}

}  // namespace
}  // namespace papersearch
