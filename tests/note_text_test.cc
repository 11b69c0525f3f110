#include "indexer/note_text.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/utf8.h"
#include "tests/support/test_support.h"

namespace papersearch {
namespace {

namespace fs = std::filesystem;
using ::papersearch::testing::Lines;
using ::papersearch::testing::ReadFile;
using ::papersearch::testing::SharedDir;
using ::papersearch::testing::SharedMissingMessage;

std::string Repeat(std::string_view unit, size_t n) {
  std::string out;
  out.reserve(unit.size() * n);
  for (size_t i = 0; i < n; ++i) out.append(unit);
  return out;
}

size_t CountWords(std::string_view text) {
  size_t words = 0;
  bool in_word = false;
  for (char c : text) {
    bool space = c == ' ' || c == '\n';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

double SecondsToExtract(const std::string& markdown, NoteText* out) {
  auto start = std::chrono::steady_clock::now();
  *out = ExtractNoteText(markdown);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

// Every field must be valid UTF-8 with no empty line and no stray spaces.
void ExpectWellFormed(const NoteText& text) {
  for (const std::string* field : {&text.headings, &text.body, &text.plain}) {
    EXPECT_EQ(FindInvalidUtf8(*field), std::string_view::npos);
    for (const std::string& line : Lines(*field)) {
      EXPECT_FALSE(line.empty());
      EXPECT_NE(line.front(), ' ');
      EXPECT_NE(line.back(), ' ');
    }
  }
}

TEST(NoteTextTest, EmptyInputGivesEmptyText) {
  NoteText text = ExtractNoteText("");
  EXPECT_EQ(text.headings, "");
  EXPECT_EQ(text.body, "");
  EXPECT_EQ(text.plain, "");
}

TEST(NoteTextTest, HeadingsAndBodySplitAndPlainKeepsOrder) {
  NoteText text = ExtractNoteText(
      "# Sparse *attention* kernels\n\nFirst paragraph.\n\nSetext title\n"
      "============\n\nSecond paragraph.\n");
  EXPECT_EQ(text.headings, "Sparse attention kernels\nSetext title\n");
  EXPECT_EQ(text.body, "First paragraph.\nSecond paragraph.\n");
  EXPECT_EQ(text.plain,
            "Sparse attention kernels\nFirst paragraph.\nSetext title\n"
            "Second paragraph.\n");
}

TEST(NoteTextTest, BlocksDoNotGlueWords) {
  EXPECT_EQ(ExtractNoteText("a\n\nb").body, "a\nb\n");
  EXPECT_EQ(ExtractNoteText("# a\nb").plain, "a\nb\n");
  EXPECT_EQ(ExtractNoteText("- a\n- b\n").body, "a\nb\n");
  EXPECT_EQ(ExtractNoteText("> a\n\nb").body, "a\nb\n");
}

TEST(NoteTextTest, LineBreaksBecomeSpaces) {
  EXPECT_EQ(ExtractNoteText("soft\nbreak").body, "soft break\n");
  EXPECT_EQ(ExtractNoteText("hard  \nbreak").body, "hard break\n");
  EXPECT_EQ(ExtractNoteText("hard\\\nbreak").body, "hard break\n");
}

TEST(NoteTextTest, InlineFormattingKeepsItsText) {
  EXPECT_EQ(ExtractNoteText("*emph* **strong** `code span` ~~struck~~").body,
            "emph strong code span struck\n");
  EXPECT_EQ(ExtractNoteText("~single tilde~").body, "single tilde\n");
}

TEST(NoteTextTest, LinksKeepTextAndDropDestinations) {
  NoteText text = ExtractNoteText(
      "See [the paper](https://arxiv.org/abs/1234 \"title\") and "
      "![a diagram](fig/overview.png) and [ref][r].\n\n"
      "[r]: https://ref.example.org/\n");
  EXPECT_EQ(text.body, "See the paper and a diagram and ref.\n");
  EXPECT_FALSE(Contains(text.plain, "arxiv"));
  EXPECT_FALSE(Contains(text.plain, "overview.png"));
  EXPECT_FALSE(Contains(text.plain, "ref.example"));
}

TEST(NoteTextTest, AutolinksAreDestinationsAndDropped) {
  NoteText text = ExtractNoteText(
      "Code at <https://github.com/x/y>, www.example.com, "
      "https://bare.example.net/p and <me@example.org>.");
  EXPECT_EQ(text.body, "Code at , , and .\n");
  // Link text that only repeats the destination (scheme aside) is a URL too.
  EXPECT_EQ(ExtractNoteText("[github.com/x](https://github.com/x)").body, "");
  EXPECT_EQ(ExtractNoteText("[the repo](https://github.com/x)").body,
            "the repo\n");
}

TEST(NoteTextTest, ImageInsideLinkKeepsAltText) {
  EXPECT_EQ(
      ExtractNoteText("[![badge alt](https://img.shields.io/b.svg)](https://"
                      "github.com/x)")
          .body,
      "badge alt\n");
}

TEST(NoteTextTest, TableRowPerLineCellsSeparated) {
  NoteText text = ExtractNoteText(
      "| Method | Speedup |\n|:--|--:|\n| H2O | 2x |\n| Quest | 7x |\n");
  EXPECT_EQ(text.body, "Method Speedup\nH2O 2x\nQuest 7x\n");
  // Cells with no spaces around the pipes still make separate words.
  EXPECT_EQ(ExtractNoteText("a|b\n-|-\nc|d\n").body, "a b\nc d\n");
}

TEST(NoteTextTest, TaskListMarkersDropped) {
  EXPECT_EQ(ExtractNoteText("- [x] done item\n- [ ] open item\n").body,
            "done item\nopen item\n");
}

TEST(NoteTextTest, ListsAndQuotesNested) {
  NoteText text = ExtractNoteText(
      "1. first\n   - inner\n     > quoted\n2. second\n\n> outer\n> > inner "
      "quote\n");
  EXPECT_EQ(text.body, "first\ninner\nquoted\nsecond\nouter\ninner quote\n");
}

TEST(NoteTextTest, CodeBlocksKeptAsOneLine) {
  NoteText text = ExtractNoteText(
      "```python\ndef evict(cache):\n    return cache[:k]\n```\n\n"
      "    indented code\n    block\n");
  EXPECT_EQ(text.body,
            "def evict(cache): return cache[:k]\nindented code block\n");
  EXPECT_FALSE(Contains(text.body, "python"));  // the info string
}

TEST(NoteTextTest, HtmlTagsDroppedTextKept) {
  NoteText text = ExtractNoteText(
      "<details><summary>Abstract</summary>\nhidden <b>words</b>\n"
      "<!-- a comment -->\n</details>\n\nInline <span class=\"x\">span</span> "
      "tag<br>glue and a < b.");
  EXPECT_EQ(text.body,
            "Abstract hidden words\nInline span tag glue and a < b.\n");
  EXPECT_FALSE(Contains(text.plain, "class"));
  EXPECT_FALSE(Contains(text.plain, "comment"));
}

TEST(NoteTextTest, TagfilterTagsDroppedToo) {
  NoteText text = ExtractNoteText("<script>alert</script>\n\nafter <xmp> x");
  EXPECT_FALSE(Contains(text.plain, "script"));
  EXPECT_FALSE(Contains(text.plain, "xmp"));
  EXPECT_TRUE(Contains(text.plain, "after"));
}

TEST(NoteTextTest, MathStaysLiteral) {
  EXPECT_EQ(ExtractNoteText("Cost $O(n^2)$ and $\\alpha_t$.").body,
            "Cost $O(n^2)$ and $\\alpha_t$.\n");
  // Paired delimiters inside math are parsed as emphasis; they come back.
  EXPECT_EQ(ExtractNoteText("Loss $a_i + b_i$ and $x*y*z$ and $p**2**$.").body,
            "Loss $a_i + b_i$ and $x*y*z$ and $p**2**$.\n");
  // Outside math, emphasis delimiters stay out.
  EXPECT_EQ(ExtractNoteText("$5 and *emph*").body, "$5 and *emph*\n");
  EXPECT_EQ(ExtractNoteText("$5 and $6 and *emph*").body,
            "$5 and $6 and emph\n");
}

TEST(NoteTextTest, ChineseNote) {
  NoteText text = ExtractNoteText(
      "## 方法\n\n本文提出一种**稀疏注意力**方法，减少 KV cache "
      "的显存占用。\n\n"
      "- 优点：速度快\n- 缺点：精度下降\n");
  EXPECT_EQ(text.headings, "方法\n");
  EXPECT_EQ(text.body,
            "本文提出一种稀疏注意力方法，减少 KV cache 的显存占用。\n"
            "优点：速度快\n缺点：精度下降\n");
}

TEST(NoteTextTest, InvalidUtf8AndNulBecomeReplacementCharacters) {
  std::string junk = "ok \xff\xfe bytes \xc3";
  junk.push_back('\0');
  junk += " end\n\n# \xe4\xb8 head";
  NoteText text = ExtractNoteText(junk);
  ExpectWellFormed(text);
  EXPECT_TRUE(Contains(text.body, "ok"));
  EXPECT_TRUE(Contains(text.body, "end"));
  EXPECT_TRUE(Contains(text.body, "\xEF\xBF\xBD"));  // U+FFFD
  EXPECT_TRUE(Contains(text.headings, "head"));
}

TEST(NoteTextTest, BinaryJunkDoesNotCrash) {
  uint64_t state = 42;
  std::string junk(1 << 20, '\0');
  for (char& c : junk) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    c = static_cast<char>(state >> 56);
  }
  NoteText text;
  EXPECT_LT(SecondsToExtract(junk, &text), 10.0);
  ExpectWellFormed(text);
}

TEST(NoteTextTest, DeeplyNestedQuotesFinishQuickly) {
  NoteText text;
  EXPECT_LT(SecondsToExtract(Repeat(">", 10000) + " deep\n", &text), 2.0);
  EXPECT_EQ(text.body, "deep\n");
  // The same depth on many lines.
  EXPECT_LT(SecondsToExtract(Repeat(Repeat("> ", 10000) + "x\n", 20), &text),
            5.0);
  EXPECT_EQ(CountWords(text.body), 20u);
}

TEST(NoteTextTest, DeeplyNestedListsFinishQuickly) {
  NoteText text;
  EXPECT_LT(SecondsToExtract(Repeat("- ", 10000) + "deep\n", &text), 2.0);
  EXPECT_EQ(text.body, "deep\n");
  EXPECT_LT(SecondsToExtract(Repeat("1. ", 10000) + "deep\n", &text), 2.0);
  EXPECT_EQ(text.body, "deep\n");
  EXPECT_LT(SecondsToExtract(Repeat("> - ", 10000) + "deep\n", &text), 2.0);
  EXPECT_EQ(text.body, "deep\n");
  // Deep inline nesting too.
  EXPECT_LT(SecondsToExtract(Repeat("*", 10000) + "x" + Repeat("*", 10000) +
                                 Repeat("[", 10000) + Repeat("](u)", 10000),
                             &text),
            2.0);
}

TEST(NoteTextTest, MillionCharacterLines) {
  NoteText text;
  EXPECT_LT(SecondsToExtract(Repeat("word ", 200000), &text), 5.0);
  EXPECT_EQ(CountWords(text.body), 200000u);  // no two words glued
  // Without spaces the line is cut into pieces (separate lines), but no
  // character is lost and no UTF-8 sequence is split.
  std::string letters(1000000, 'a');
  EXPECT_LT(SecondsToExtract(letters, &text), 5.0);
  std::erase(text.body, '\n');
  EXPECT_EQ(text.body, letters);
  std::string chinese = Repeat("注意力", 111111);
  EXPECT_LT(SecondsToExtract(chinese, &text), 5.0);
  ExpectWellFormed(text);
  std::erase(text.body, '\n');
  EXPECT_EQ(text.body, chinese);
}

TEST(NoteTextTest, PathologicalTablesStayLinear) {
  // cmark-gfm fills short rows up to the column count: a wide delimiter row
  // over many one-cell lines would cost columns x lines.
  NoteText text;
  std::string wide = Repeat("|a", 1000) + "\n" + Repeat("|-", 1000) + "\n" +
                     Repeat("b\n", 100000);
  EXPECT_LT(SecondsToExtract(wide, &text), 3.0);
  EXPECT_EQ(CountWords(text.body), 1000u + 100000u);
  // A row with very many cells is quadratic to split.
  EXPECT_LT(SecondsToExtract(Repeat("|", 200000) + "\n|-|-|\n", &text), 3.0);
  EXPECT_LT(SecondsToExtract("|a|b|\n|-|-|\n" + Repeat("|\\|", 100000), &text),
            3.0);
  // Ordinary tables are unaffected by the defusing.
  EXPECT_EQ(ExtractNoteText("| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n"
                            "| 4 | 5 | 6 |\n")
                .body,
            "a b c\n1 2 3\n4 5 6\n");
}

TEST(NoteTextTest, ManyPathologicalInlinesStayFast) {
  // A megabyte of each. The bound catches quadratic behaviour (minutes at
  // this size), not slowness: the slowest, "a@" (cmark-gfm's e-mail
  // autolinks try every '@'), is linear but takes seconds here, more under
  // a loaded CI run.
  for (std::string_view unit : {"[", "![", "]", "<", "_a", "*a", "[a](", "a@",
                                "www.", "`a``", "&#", "~a~~"}) {
    NoteText text;
    EXPECT_LT(SecondsToExtract(Repeat(unit, 1000000 / unit.size()), &text),
              30.0)
        << unit;
    ExpectWellFormed(text);
  }
}

// Independent of the extractor: the http(s) destinations written as
// `](url` in `markdown` that appear nowhere else in it, so no visible text
// can contain them.
std::vector<std::string> DestinationOnlyUrls(const std::string& markdown) {
  std::vector<std::string> urls;
  for (size_t at = markdown.find("](http"); at != std::string::npos;
       at = markdown.find("](http", at + 1)) {
    size_t begin = at + 2;
    size_t end = markdown.find_first_of(") \t\n", begin);
    if (end == std::string::npos) end = markdown.size();
    std::string url = markdown.substr(begin, end - begin);
    size_t everywhere = 0, as_destination = 0;
    for (size_t p = markdown.find(url); p != std::string::npos;
         p = markdown.find(url, p + 1)) {
      ++everywhere;
      as_destination += p >= 2 && markdown.compare(p - 2, 2, "](") == 0;
    }
    if (everywhere == as_destination) urls.push_back(url);
  }
  return urls;
}

TEST(NoteTextTest, RealNotesExtractWithoutLeakingUrls) {
  std::optional<fs::path> shared = SharedDir();
  if (!shared) GTEST_SKIP() << SharedMissingMessage();
  fs::path notes = *shared / "corpus/efficientpaper-2026-04-08/notes";
  ASSERT_TRUE(fs::is_directory(notes)) << notes;
  size_t count = 0, with_links = 0;
  for (const auto& entry : fs::recursive_directory_iterator(notes)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".md") {
      continue;
    }
    ++count;
    std::string markdown = ReadFile(entry.path());
    NoteText text = ExtractNoteText(markdown);
    SCOPED_TRACE(entry.path().string());
    ExpectWellFormed(text);
    bool has_text = markdown.find_first_not_of(" \t\r\n") != std::string::npos;
    if (has_text) {
      EXPECT_FALSE(text.plain.empty());
    }
    EXPECT_EQ(text.plain.size(), text.headings.size() + text.body.size());
    std::vector<std::string> urls = DestinationOnlyUrls(markdown);
    with_links += !urls.empty();
    for (const std::string& url : urls) {
      EXPECT_FALSE(Contains(text.plain, url)) << url;
    }
  }
  EXPECT_GE(count, 300u);
  EXPECT_GT(with_links, 0u);
}

}  // namespace
}  // namespace papersearch
