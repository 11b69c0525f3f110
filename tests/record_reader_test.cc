// Record parsing: valid records, every way a record can be wrong, and the
// real snapshots (each record must parse unchanged).
#include "indexer/record_reader.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/test_support.h"

namespace papersearch {
namespace {

namespace fs = std::filesystem;
using testing::SharedDir;
using testing::SharedMissingMessage;

constexpr char kGood[] = R"(paper {
  title: "Example Sparse Attention for Long Context"
  abbr: "ExSA"
  url: "https://example.org/exsa"
  authors: "Ada Lovelace"
  authors: "Alan Turing"
  institutions: "Example University"
}
pub {
  where: "ICML"
  year: 2025
}
code {
  type: "Pytorch"
  url: "https://github.com/example/exsa"
}
note {
  url: "note.md"
}
keyword {
  words: attention_sparsity
  words: kv_cache
}
update_time: 1767939862
rating: 4
)";

TEST(RecordReader, ParsesEveryField) {
  ParsedRecord r = ParseRecord(kGood, "meta/2025/ExSA.prototxt");
  ASSERT_TRUE(r.ok) << r.error.ToString();
  EXPECT_EQ(r.info.paper().title(),
            "Example Sparse Attention for Long Context");
  EXPECT_EQ(r.info.paper().abbr(), "ExSA");
  ASSERT_EQ(r.info.paper().authors_size(), 2);
  EXPECT_EQ(r.info.paper().authors(1), "Alan Turing");
  EXPECT_EQ(r.info.pub().where(), "ICML");
  EXPECT_EQ(r.info.pub().year(), 2025);
  EXPECT_EQ(r.info.code().url(), "https://github.com/example/exsa");
  ASSERT_EQ(r.info.keyword().words_size(), 2);
  EXPECT_EQ(r.info.keyword().words(1), efficient_paper::Keyword::kv_cache);
  EXPECT_EQ(r.info.update_time(), 1767939862);
  EXPECT_EQ(r.info.rating(), 4);
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_TRUE(r.extra_keywords.empty());
}

TEST(RecordReader, UnknownKeywordLabelIsKeptWithWarning) {
  std::string text = kGood;
  text.replace(text.find("words: kv_cache\n"), 16,
               "words: mixture_of_depths\n  words: kv_cache\n");
  ParsedRecord r = ParseRecord(text, "meta/2025/ExSA.prototxt");
  ASSERT_TRUE(r.ok) << r.error.ToString();
  ASSERT_EQ(r.extra_keywords.size(), 1u);
  EXPECT_EQ(r.extra_keywords[0], "mixture_of_depths");
  // The known labels around it survive.
  ASSERT_EQ(r.info.keyword().words_size(), 2);
  EXPECT_EQ(r.info.keyword().words(0),
            efficient_paper::Keyword::attention_sparsity);
  EXPECT_EQ(r.info.keyword().words(1), efficient_paper::Keyword::kv_cache);
  ASSERT_EQ(r.warnings.size(), 1u);
  // Line 22 holds the unknown label (1-based), after "  words: ".
  EXPECT_EQ(r.warnings[0].line, 22);
  EXPECT_EQ(r.warnings[0].column, 10);
  EXPECT_NE(r.warnings[0].ToString().find("meta/2025/ExSA.prototxt:22:10:"),
            std::string::npos)
      << r.warnings[0].ToString();
  // Everything after the label still parsed.
  EXPECT_EQ(r.info.rating(), 4);
}

TEST(RecordReader, SeveralUnknownLabelsInListSyntax) {
  ParsedRecord r = ParseRecord(
      "paper { title: \"T\" }\nkeyword { words: [newa, quantization, newb] }\n",
      "meta/2024/T.prototxt");
  ASSERT_TRUE(r.ok) << r.error.ToString();
  EXPECT_EQ(r.extra_keywords, (std::vector<std::string>{"newa", "newb"}));
  ASSERT_EQ(r.info.keyword().words_size(), 1);
  EXPECT_EQ(r.info.keyword().words(0), efficient_paper::Keyword::quantization);
  EXPECT_EQ(r.warnings.size(), 2u);
}

struct BadRecord {
  const char* name;
  std::string text;
  int line;
  int column;
  const char* message_part;
};

class RecordReaderErrors : public ::testing::TestWithParam<BadRecord> {};

TEST_P(RecordReaderErrors, ReportsFileLineColumn) {
  const BadRecord& bad = GetParam();
  ParsedRecord r = ParseRecord(bad.text, "meta/2025/Bad.prototxt");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error.file, "meta/2025/Bad.prototxt");
  EXPECT_EQ(r.error.line, bad.line) << r.error.ToString();
  EXPECT_EQ(r.error.column, bad.column) << r.error.ToString();
  EXPECT_NE(r.error.message.find(bad.message_part), std::string::npos)
      << r.error.ToString();
}

INSTANTIATE_TEST_SUITE_P(
    All, RecordReaderErrors,
    ::testing::Values(
        BadRecord{"UnknownField",
                  "paper {\n  title: \"T\"\n  titel: \"x\"\n}\n", 3, 3,
                  "did you mean \"title\""},
        BadRecord{"UnknownTopLevelField",
                  "paper { title: \"T\" }\nvenue: \"x\"\n", 2, 1,
                  "unknown field \"venue\""},
        BadRecord{"UnterminatedString", "paper {\n  title: \"T\n}\n", 2, 12,
                  "String literals cannot cross line boundaries"},
        BadRecord{"MissingBrace", "paper {\n  title: \"T\"\n", 3, 1,
                  "Expected identifier"},
        BadRecord{"YearNotANumber",
                  "paper { title: \"T\" }\npub { year: twenty }\n", 2, 13,
                  "Expected integer"},
        BadRecord{"Empty", "", 0, 0, "empty file"},
        BadRecord{"OnlyWhitespace", "\n\n  \n", 0, 0, "empty file"},
        BadRecord{"NoTitle", "pub { year: 2024 }\n", 0, 0, "no paper { title"},
        BadRecord{"Binary", std::string("paper {\n\0\x01\x02", 11), 2, 1,
                  "NUL byte"},
        BadRecord{"InvalidUtf8", "paper {\n  title: \"caf\xE9\"\n}\n", 2, 14,
                  "invalid UTF-8"}),
    [](const auto& info) { return info.param.name; });

TEST(RecordReader, HugeRecordIsRefused) {
  std::string text =
      "paper { title: \"" + std::string(kMaxRecordBytes, 'x') + "\" }";
  ParsedRecord r = ParseRecord(text, "meta/2025/Huge.prototxt");
  ASSERT_FALSE(r.ok);
  EXPECT_NE(r.error.message.find("limit"), std::string::npos);
}

// Parsing adds nothing the record does not hold: an absent message stays
// absent (the limit on a field's values once set empty baseline and
// keyword messages, which changed the stored record).
TEST(RecordReader, AbsentMessagesStayAbsent) {
  ParsedRecord r =
      ParseRecord("paper {\n  title: \"T\"\n}\n", "meta/2025/T.prototxt");
  ASSERT_TRUE(r.ok) << r.error.message;
  EXPECT_FALSE(r.info.has_baseline());
  EXPECT_FALSE(r.info.has_keyword());
  EXPECT_FALSE(r.info.has_pub());
}

TEST(RecordReader, MissingFileIsAnError) {
  ParsedRecord r =
      ReadRecordFile("/nonexistent/x.prototxt", "meta/2025/x.prototxt");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error.file, "meta/2025/x.prototxt");
}

// Every paper record of both real snapshots parses with our .proto unchanged.
TEST(RecordReader, EveryRecordOfTheRealSnapshotsParses) {
  auto shared = SharedDir();
  if (!shared) GTEST_SKIP() << SharedMissingMessage();
  struct Expect {
    const char* snapshot;
    int records;
  };
  for (const Expect& e : {Expect{"efficientpaper-2025-08-29", 300},
                          Expect{"efficientpaper-2026-04-08", 433}}) {
    fs::path meta = *shared / "corpus" / e.snapshot / "meta";
    int parsed = 0, kv_cache = 0;
    for (const auto& entry : fs::recursive_directory_iterator(meta)) {
      if (!entry.is_regular_file()) continue;
      if (entry.path().parent_path().filename() == "search") continue;
      ParsedRecord r =
          ReadRecordFile(entry.path().string(), entry.path().string());
      EXPECT_TRUE(r.ok) << r.error.ToString();
      EXPECT_TRUE(r.warnings.empty()) << r.warnings[0].ToString();
      if (r.ok) ++parsed;
      for (int w : r.info.keyword().words()) {
        if (w == efficient_paper::Keyword::kv_cache) ++kv_cache;
      }
    }
    EXPECT_EQ(parsed, e.records) << e.snapshot;
    if (std::string(e.snapshot) == "efficientpaper-2025-08-29") {
      EXPECT_EQ(kv_cache, 96) << "FORMAT.md: 96 records of the older snapshot "
                                 "use kv_cache";
    }
  }
}

}  // namespace
}  // namespace papersearch
