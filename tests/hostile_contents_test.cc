// Hostile file contents in a collection (see tests/support/hostile_collection.h
// for what every test checks): empty files, binary files, invalid UTF-8, a
// 50 MB record and a 50 MB note, markdown nested 10,000 levels deep, and a
// line of a million characters.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tests/support/hostile_collection.h"
#include "tests/support/test_support.h"

namespace papersearch::testing {
namespace {

constexpr size_t kFiftyMb = 50u << 20;

TEST_F(HostileCollection, EmptyFiles) {
  WriteFile(root_ / "meta/2024/Empty.prototxt", "");
  AddRecord("2024/EmptyNote", "Paper with an empty note");
  WriteFile(root_ / "notes/2024/EmptyNote/note.md", "");
  RunResult r = Index();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(LineNaming(r, "meta/2024/Empty.prototxt").find("empty file"),
            std::string::npos)
      << r.err;
  // An empty note is no error: the paper is indexed, with its note.
  EXPECT_TRUE(Found("\"empty note\"", "2024/EmptyNote"));
  EXPECT_EQ(Report()["papers"], kFixtureIds.size() + 1);
  ExpectFixtureStillFound();
  ExpectBounded();
}

TEST_F(HostileCollection, BinaryFiles) {
  std::string binary = "\x89PNG\r\n\x1a\n";
  for (int i = 0; i < 4096; ++i) binary += static_cast<char>((i * 131) & 0xff);
  WriteFile(root_ / "meta/2024/Image.prototxt", binary);
  AddRecord("2024/BinaryNote", "Paper whose note is an image");
  WriteFile(root_ / "notes/2024/BinaryNote/note.md", binary);
  RunResult r = Index();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(LineNaming(r, "meta/2024/Image.prototxt").find("binary"),
            std::string::npos)
      << r.err;
  // A binary note is read as text with U+FFFD, and says so.
  EXPECT_NE(LineNaming(r, "notes/2024/BinaryNote/note.md").find("UTF-8"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(Found("image", "2024/BinaryNote"));
  ExpectFixtureStillFound();
  ExpectBounded();
}

TEST_F(HostileCollection, InvalidUtf8) {
  WriteFile(root_ / "meta/2024/Latin1.prototxt",
            "paper {\n  title: \"Caf\xe9 au lait\"\n}\n");
  AddRecord("2024/Latin1Note", "Paper with a Latin-1 note");
  WriteFile(root_ / "notes/2024/Latin1Note/note.md",
            "# Notes\n\nna\xefve caf\xe9 quokka\n");
  RunResult r = Index();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  // Located at the first bad byte: line 2, column 14.
  EXPECT_NE(r.err.find("meta/2024/Latin1.prototxt:2:14: invalid UTF-8"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("notes/2024/Latin1Note/note.md:3:3: invalid UTF-8"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(Found("quokka", "2024/Latin1Note"));
  ExpectFixtureStillFound();
  ExpectBounded();
}

TEST_F(HostileCollection, FiftyMegabyteRecord) {
  std::string record = "paper {\n  title: \"Huge\"\n}\n";
  record.resize(kFiftyMb, '#');  // a comment line: valid text format
  WriteFile(root_ / "meta/2024/Huge.prototxt", record);
  RunResult r = Index();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(LineNaming(r, "meta/2024/Huge.prototxt").find("limit"),
            std::string::npos)
      << r.err;
  ExpectFixtureStillFound();
  ExpectBounded();
}

TEST_F(HostileCollection, FiftyMegabyteNote) {
  AddRecord("2024/HugeNote", "Paper with a huge note");
  std::string note = "# Huge\n\nzebrafirst starts the note.\n\n";
  const std::string paragraph =
      "Attention heads prune the cache while the decoder streams tokens; "
      "quantized weights keep accuracy within a point.\n\n";
  while (note.size() + paragraph.size() < kFiftyMb) note += paragraph;
  note += "zebralast ends it.\n";
  WriteFile(root_ / "notes/2024/HugeNote/note.md", note);
  RunResult r = Index();
  // Indexed up to kMaxNoteBytes (8 MiB), with a warning.
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(LineNaming(r, "notes/2024/HugeNote/note.md").find("larger than"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(Found("zebrafirst", "2024/HugeNote"));
  EXPECT_FALSE(Found("zebralast", "2024/HugeNote"));
  ExpectFixtureStillFound();
  ExpectBounded(kHugeNoteSeconds);
}

// 10,000 levels of block quotes, of nested lists and of both, each with a
// word at the deepest level.
TEST_F(HostileCollection, DeeplyNestedMarkdown) {
  std::string quotes(10'000, '>');
  std::string lists;
  for (int i = 0; i < 10'000; ++i) lists += "- ";
  std::string mixed;
  for (int i = 0; i < 5'000; ++i) mixed += "> * ";
  AddRecord("2024/Quotes", "Deep quotes");
  WriteFile(root_ / "notes/2024/Quotes/note.md", quotes + " abyssquote\n");
  AddRecord("2024/Lists", "Deep lists");
  WriteFile(root_ / "notes/2024/Lists/note.md", lists + "abysslist\n");
  AddRecord("2024/Mixed", "Deep quotes and lists");
  WriteFile(root_ / "notes/2024/Mixed/note.md",
            mixed + "abyssmixed\n" + mixed + "\n" + quotes + "\n" + lists);
  RunResult r = Index();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Found("abyssquote", "2024/Quotes"));
  EXPECT_TRUE(Found("abysslist", "2024/Lists"));
  EXPECT_TRUE(Found("abyssmixed", "2024/Mixed"));
  ExpectFixtureStillFound();
  ExpectBounded();
}

// One line of 1,000,000 characters: a record's title, a note of words, and a
// note with no space at all.
// (Words drawn at random: a line repeating one word 100,000 times hits a
// decompression bug of Xapian 1.4.22, reported separately.)
TEST_F(HostileCollection, MillionCharacterLine) {
  const std::vector<std::string> syllables = {"ka", "lo", "mi", "ne", "tu",
                                              "ra", "so", "vi", "de", "pu"};
  std::string words;
  uint32_t state = 12345;
  while (words.size() < 1'000'000) {
    for (int i = 0; i < 3; ++i) {
      state = state * 1664525u + 1013904223u;
      words += syllables[(state >> 16) % syllables.size()];
    }
    words += ' ';
  }
  words.resize(1'000'000);
  AddRecord("2024/LongTitle", "Wombat " + words);
  AddRecord("2024/LongNote", "Paper with a long note line");
  WriteFile(root_ / "notes/2024/LongNote/note.md", words + " numbat");
  AddRecord("2024/OneWord", "Paper with one enormous word");
  WriteFile(root_ / "notes/2024/OneWord/note.md",
            std::string(1'000'000, 'x') + " dugong");
  RunResult r = Index();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Found("wombat", "2024/LongTitle"));
  EXPECT_TRUE(Found("numbat", "2024/LongNote"));
  EXPECT_TRUE(Found("dugong", "2024/OneWord"));
  ExpectFixtureStillFound();
  ExpectBounded();
}

}  // namespace
}  // namespace papersearch::testing
