// Words typed other than as the collection writes them (issue 27), by the
// real binaries on both snapshots: paper titles typed from memory, typos
// that some note shares, and the members of a synonym group, which answer
// alike.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/synonyms.h"
#include "tests/support/names_snapshot.h"
#include "tests/support/test_support.h"

namespace papersearch::testing {
namespace {

namespace fs = std::filesystem;

INSTANTIATE_TEST_SUITE_P(Snapshots, NamesSnapshotTest,
                         ::testing::ValuesIn(kNamesSnapshots),
                         NamesSnapshotName);

// A paper's title typed from memory, misspelt or with its abbreviation in
// pieces, still finds the paper in the top three; the title's own phrase
// counts (--explain says so), and a correction respells only the words the
// index lacks.
TEST_P(NamesSnapshotTest, TitlesTypedFromMemory) {
  struct Case {
    std::string typed, id;
    size_t within;
  };
  for (const Case& c : {
           Case{"structral pruning of large language models", "2023/LLM-Pruner",
                3},
           Case{"dense and sparse quantizaton", "2024/SqueezeLLM", 3},
           Case{"efficient streaming language models with attention sincs",
                "2024/streaming-llm", 3},
           Case{"snap kv", "2024/SnapKV", 1},
           Case{"squeeze llm", "2024/SqueezeLLM", 1},
       }) {
    std::string err;
    const std::vector<std::string> found = Ids({c.typed}, &err);
    const auto at = std::find(found.begin(), found.end(), c.id);
    EXPECT_TRUE(at != found.end() &&
                static_cast<size_t>(at - found.begin()) < c.within)
        << c.typed << " -> " << (found.empty() ? "nothing" : found[0]) << "\n"
        << err;
  }
  RunResult explained = testing::Run(
      {testing::PapersearchBin(), "--db", db_, "--explain", "--color", "never",
       "-n", "1", "structural pruning of large language models"});
  EXPECT_NE(explained.out.find(
                "title (phrase):structural pruning of large language models"),
            std::string::npos)
      << explained.out;
  // "model" is a word of the index; Xapian's corrector would make it
  // "models".
  std::string err;
  Ids({"efficent kv cache model"}, &err);
  EXPECT_NE(err.find("showing results for 'efficient kv cache model'"),
            std::string::npos)
      << err;
}

// A word that some note misspells too ("atention") is still a typo when no
// paper has the query's words; a short word is not respelt two letters away
// into another word.
TEST_P(NamesSnapshotTest, TyposThatSomeNoteShares) {
  // Counted from the notes, independently: a note has the typo. ("tidal"
  // is only ever part of "TidalDecode".)
  bool atention = false;
  for (const auto& entry : fs::recursive_directory_iterator(root_ / "notes")) {
    if (entry.is_regular_file() && entry.path().extension() == ".md" &&
        testing::ReadFile(entry.path()).find("atention") != std::string::npos) {
      atention = true;
      break;
    }
  }
  ASSERT_TRUE(atention);
  std::string err;
  std::vector<std::string> found = Ids({"flash atention"}, &err);
  EXPECT_NE(err.find("showing results for 'flash attention'"),
            std::string::npos)
      << err;
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0], "2022/flashattention");
  found = Ids({"tidal"}, &err);
  EXPECT_TRUE(found.empty()) << found[0];
  EXPECT_EQ(err.find("showing results for"), std::string::npos) << err;
}

// Every member of a synonym group gives the same results: the same papers,
// in the same order (issue 27). The one exception is a member that is also
// a paper's abbreviation (`flashattention`), which puts that paper first.
TEST_P(NamesSnapshotTest, SynonymMembersAnswerAlike) {
  std::set<std::string> abbreviations;
  for (const auto& [id, record] : *records_) {
    abbreviations.insert(Synonyms::Normalize(record.abbr));
  }
  size_t groups = 0;
  for (const Synonyms::Group& group : BuiltInSynonyms().groups()) {
    std::vector<std::string> first;
    std::string first_member;
    for (std::string_view member_view : group.members) {
      const std::string member(member_view);
      std::vector<std::string> ids = Ids({member});
      if (first_member.empty()) {
        first = ids;
        first_member = member;
        continue;
      }
      EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()),
                std::set<std::string>(first.begin(), first.end()))
          << member << " | " << first_member;
      if (!abbreviations.contains(Synonyms::Normalize(member)) &&
          !abbreviations.contains(Synonyms::Normalize(first_member))) {
        EXPECT_EQ(ids, first) << member << " | " << first_member;
      }
    }
    ++groups;
  }
  EXPECT_GT(groups, 40u);
}

}  // namespace
}  // namespace papersearch::testing
