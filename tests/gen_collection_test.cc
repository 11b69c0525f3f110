// End-to-end tests of benchmarks/gen_collection on the real 2026-04-08
// snapshot.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "indexer/record_reader.h"
#include "tests/support/test_support.h"

namespace papersearch {
namespace {

namespace fs = std::filesystem;
using ::papersearch::testing::PaperindexBin;
using ::papersearch::testing::ReadFile;
using ::papersearch::testing::RunResult;
using ::papersearch::testing::SharedDir;
using ::papersearch::testing::SharedMissingMessage;
using ::papersearch::testing::TempDir;
using ::papersearch::testing::WriteFile;

constexpr int kPapers = 200;

// <build>/indexer/paperindex -> <build>/benchmarks/gen_collection
fs::path GeneratorBin() {
  return fs::path(PaperindexBin()).parent_path().parent_path() / "benchmarks" /
         "gen_collection";
}

// Relative path -> content of every file under `root`.
std::map<std::string, std::string> Tree(const fs::path& root) {
  std::map<std::string, std::string> tree;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) {
      tree[fs::relative(entry.path(), root).string()] = ReadFile(entry.path());
    }
  }
  return tree;
}

bool IsHan(uint32_t cp) {
  return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2A6DF);
}

// Counted as a reader would, written apart from the generator's counter:
// each whitespace-separated token with an ASCII letter or digit is one word,
// and every Han character is one word.
size_t CountNoteWords(const std::string& text) {
  size_t words = 0;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() &&
           std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
    bool alnum = false;
    while (i < text.size() &&
           !std::isspace(static_cast<unsigned char>(text[i]))) {
      unsigned char c = text[i];
      if (c < 0x80) {
        alnum = alnum || std::isalnum(c);
        ++i;
        continue;
      }
      int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      uint32_t cp = c & (len == 4 ? 0x07 : len == 3 ? 0x0F : 0x1F);
      for (int k = 1; k < len && i + k < text.size(); ++k) {
        cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
      }
      words += IsHan(cp);
      i += len;
    }
    words += alnum;
  }
  return words;
}

bool HasHan(const std::string& text) {
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    unsigned char c = text[i];
    if (c >= 0xE3 && c <= 0xE9) {  // 3-byte sequences covering U+3000-U+9FFF
      uint32_t cp = ((c & 0x0F) << 12) |
                    ((static_cast<unsigned char>(text[i + 1]) & 0x3F) << 6) |
                    (static_cast<unsigned char>(text[i + 2]) & 0x3F);
      if (IsHan(cp)) return true;
    }
  }
  return false;
}

class GenCollectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::optional<fs::path> shared = SharedDir();
    if (!shared) GTEST_SKIP() << SharedMissingMessage();
    from_ = *shared / "corpus/efficientpaper-2026-04-08";
    ASSERT_TRUE(fs::exists(GeneratorBin()))
        << GeneratorBin() << " is not built (PAPERSEARCH_BUILD_BENCHMARKS)";
  }

  RunResult Generate(int papers, int seed, const fs::path& out) {
    return testing::Run({GeneratorBin().string(), "--papers",
                         std::to_string(papers), "--seed", std::to_string(seed),
                         "--from", from_.string(), "--out", out.string()});
  }

  fs::path from_;
  TempDir tmp_;
};

TEST_F(GenCollectionTest, SameSeedSameBytesOtherSeedDiffers) {
  for (const char* name : {"a", "b"}) {
    RunResult r = Generate(kPapers, 7, tmp_.path() / name);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  RunResult r = Generate(kPapers, 8, tmp_.path() / "c");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, std::string> a = Tree(tmp_.path() / "a");
  EXPECT_TRUE(a == Tree(tmp_.path() / "b"));
  EXPECT_FALSE(a == Tree(tmp_.path() / "c"));
}

TEST_F(GenCollectionTest, RecordsParseAndNotesHaveTheRightShape) {
  fs::path out = tmp_.path() / "out";
  RunResult r = Generate(kPapers, 1, out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::set<std::string> ids;
  std::set<std::string> ids_with_note;
  size_t records = 0;
  for (const auto& entry : fs::recursive_directory_iterator(out / "meta")) {
    if (!entry.is_regular_file()) continue;
    ++records;
    fs::path rel = fs::relative(entry.path(), out);
    SCOPED_TRACE(rel.string());
    EXPECT_EQ(entry.path().extension(), ".prototxt");
    ParsedRecord record = ParseRecord(ReadFile(entry.path()), rel.string());
    ASSERT_TRUE(record.ok) << record.error.ToString();
    EXPECT_TRUE(record.warnings.empty());
    EXPECT_FALSE(record.info.paper().title().empty());
    std::string id = entry.path().stem().string();
    std::string year = entry.path().parent_path().filename().string();
    EXPECT_EQ(record.info.paper().abbr(), id);
    EXPECT_EQ(std::to_string(record.info.pub().year()), year);
    EXPECT_TRUE(ids.insert(id).second) << "duplicate ID " << id;
    bool has_note = fs::exists(out / "notes" / year / id / "note.md");
    EXPECT_EQ(record.info.note().url() == "note.md", has_note);
    if (has_note) ids_with_note.insert(id);
  }
  EXPECT_EQ(records, static_cast<size_t>(kPapers));

  size_t notes = 0, chinese = 0;
  for (const auto& entry : fs::recursive_directory_iterator(out / "notes")) {
    if (!entry.is_regular_file()) continue;
    ++notes;
    SCOPED_TRACE(entry.path().string());
    EXPECT_EQ(entry.path().filename(), "note.md");
    EXPECT_TRUE(ids_with_note.count(entry.path().parent_path().filename()));
    std::string note = ReadFile(entry.path());
    size_t words = CountNoteWords(note);
    EXPECT_GE(words, 100u);
    EXPECT_LE(words, 600u);
    EXPECT_EQ(note.rfind("# ", 0), 0u);  // opens with the title heading
    chinese += HasHan(note);
  }
  EXPECT_EQ(notes, ids_with_note.size());
  // The real snapshot has notes for 84% of its papers.
  EXPECT_GE(notes, kPapers * 6 / 10);
  EXPECT_LT(notes, static_cast<size_t>(kPapers));
  EXPECT_GT(chinese, 0u);
  EXPECT_LT(chinese, notes);
}

TEST_F(GenCollectionTest, RefusesBadInputWithExitTwo) {
  RunResult r = testing::Run({GeneratorBin().string(), "--papers", "5",
                              "--from", (tmp_.path() / "missing").string(),
                              "--out", (tmp_.path() / "x").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing"), std::string::npos) << r.err;

  WriteFile(tmp_.path() / "full" / "keep.txt", "mine");
  r = Generate(5, 1, tmp_.path() / "full");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not empty"), std::string::npos) << r.err;
  EXPECT_EQ(ReadFile(tmp_.path() / "full" / "keep.txt"), "mine");

  fs::path empty = tmp_.path() / "empty";
  fs::create_directories(empty / "meta");
  r = testing::Run({GeneratorBin().string(), "--papers", "5", "--from",
                    empty.string(), "--out", (tmp_.path() / "y").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no readable paper record"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace papersearch
