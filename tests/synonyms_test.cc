// The synonym table itself: how a file in common/synonyms.txt's format is
// read, what a lookup returns, and that groups outlive the text they were
// read from. The expected values are written out by hand from the inputs.
#include "common/synonyms.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/support/test_support.h"

namespace papersearch {
namespace {

std::vector<std::string> Members(const Synonyms& synonyms, uint32_t group) {
  const auto& members = synonyms.groups().at(group).members;
  return {members.begin(), members.end()};
}

TEST(Synonyms, NormalizeFoldsCaseDashesAndRunsOfSpaces) {
  EXPECT_EQ(Synonyms::Normalize("Key-Value"), "key value");
  EXPECT_EQ(Synonyms::Normalize("  KV__Cache\t- x "), "kv cache x");
  EXPECT_EQ(Synonyms::Normalize("kv缓存"), "kv缓存");
  EXPECT_EQ(Synonyms::Normalize("-_-"), "");
}

TEST(Synonyms, ReadsGroupsCommentsAndBlankLines) {
  Synonyms synonyms;
  std::vector<std::string> messages = synonyms.Add(
      "# a comment\n"
      "\n"
      "kv, Key-Value\n"
      "  kv cache ,  KVCache, key-value cache, kv-cache, 键值缓存  \n"
      "ptq, post-training quantization\r\n",
      "mine.txt");
  EXPECT_TRUE(messages.empty());
  ASSERT_EQ(synonyms.groups().size(), 3u);
  EXPECT_EQ(Members(synonyms, 0),
            (std::vector<std::string>{"kv", "Key-Value"}));
  // "kv-cache" normalises to "kv cache", already a member: kept once.
  EXPECT_EQ(Members(synonyms, 1),
            (std::vector<std::string>{"kv cache", "KVCache", "key-value cache",
                                      "键值缓存"}));
  EXPECT_EQ(Members(synonyms, 2),
            (std::vector<std::string>{"ptq", "post-training quantization"}));
  EXPECT_FALSE(synonyms.groups()[0].built_in);
  EXPECT_EQ(synonyms.max_words(), 3u);  // "key value cache"

  EXPECT_TRUE(synonyms.Contains("key value"));
  EXPECT_TRUE(synonyms.Contains("kvcache"));
  EXPECT_TRUE(synonyms.Contains("post training quantization"));
  EXPECT_TRUE(synonyms.Contains("键值缓存"));
  // Keys are normalised members; lookups take normalised text.
  EXPECT_FALSE(synonyms.Contains("Key-Value"));
  EXPECT_FALSE(synonyms.Contains("cache"));
  EXPECT_FALSE(synonyms.Contains(""));
  EXPECT_EQ(synonyms.GroupsOf("kv cache"), std::vector<uint32_t>{1});
  EXPECT_TRUE(synonyms.GroupsOf("quantization").empty());
}

TEST(Synonyms, AMemberInSeveralGroupsHasAllOfThem) {
  Synonyms synonyms;
  EXPECT_TRUE(synonyms.Add("b, c\nx, y\na, b\n", "s").empty());
  EXPECT_TRUE(synonyms.Add("B, d\n", "t").empty());
  EXPECT_EQ(synonyms.GroupsOf("b"), (std::vector<uint32_t>{0, 2, 3}));
  EXPECT_EQ(synonyms.GroupsOf("a"), std::vector<uint32_t>{2});
  EXPECT_EQ(synonyms.GroupsOf("d"), std::vector<uint32_t>{3});
  EXPECT_EQ(synonyms.max_words(), 1u);
}

TEST(Synonyms, MalformedLinesAreNamedAndTheRestCounts) {
  Synonyms synonyms;
  std::vector<std::string> messages =
      synonyms.Add("lonely\nkv, KV\n\nmoe, mixture of experts\n, ,\n", "f.txt");
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[0],
            "f.txt:1: a synonym group needs at least two different members "
            "separated by commas");
  EXPECT_EQ(messages[1].substr(0, 8), "f.txt:2:");  // one member, twice
  EXPECT_EQ(messages[2].substr(0, 8), "f.txt:5:");
  ASSERT_EQ(synonyms.groups().size(), 1u);
  EXPECT_EQ(Members(synonyms, 0),
            (std::vector<std::string>{"moe", "mixture of experts"}));
  EXPECT_FALSE(synonyms.Contains("lonely"));
  EXPECT_FALSE(synonyms.Contains("kv"));
}

// Members and keys view the text given to Add; the table keeps its own
// copy, so the caller's string may go, and so may the table's old home.
TEST(Synonyms, GroupsOutliveTheTextAndSurviveAMove) {
  Synonyms moved;
  {
    Synonyms synonyms;
    std::string text = "Flash-Attention, flashattention, FA\n";
    EXPECT_TRUE(synonyms.Add(text, "heap").empty());
    text.assign(text.size(), 'x');
    moved = std::move(synonyms);
  }
  Synonyms again(std::move(moved));
  EXPECT_EQ(Members(again, 0), (std::vector<std::string>{
                                   "Flash-Attention", "flashattention", "FA"}));
  EXPECT_EQ(again.GroupsOf("flash attention"), std::vector<uint32_t>{0});
  EXPECT_EQ(again.GroupsOf("fa"), std::vector<uint32_t>{0});
}

TEST(Synonyms, LoadAddsTheUsersFilesAfterTheBuiltInGroups) {
  testing::TempDir dir;
  testing::WriteFile(dir.path() / "env.txt", "heavyhitters, Heavy Hitter\n");
  testing::WriteFile(dir.path() / kSynonymsFileName, "oops\nkv, zzkv\n");
  std::vector<std::string> notices;
  Synonyms synonyms =
      LoadSynonyms((dir.path() / "env.txt").string(), dir.path(), &notices);
  const size_t built_in = BuiltInSynonyms().groups().size();
  ASSERT_EQ(synonyms.groups().size(), built_in + 2);
  EXPECT_TRUE(synonyms.groups()[built_in - 1].built_in);
  EXPECT_FALSE(synonyms.groups()[built_in].built_in);
  EXPECT_EQ(synonyms.GroupsOf("heavy hitter"),
            std::vector<uint32_t>{static_cast<uint32_t>(built_in)});
  // "kv" is in a built-in group and in the user's.
  std::vector<uint32_t> kv = synonyms.GroupsOf("kv");
  ASSERT_EQ(kv.size(), 2u);
  EXPECT_LT(kv[0], built_in);
  EXPECT_EQ(kv[1], built_in + 1);
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0], (dir.path() / kSynonymsFileName).string() +
                            ":1: a synonym group needs at least two "
                            "different members separated by commas");

  notices.clear();
  Synonyms missing =
      LoadSynonyms((dir.path() / "nope.txt").string(), {}, &notices);
  EXPECT_EQ(missing.groups().size(), built_in);
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_NE(notices[0].find("nope.txt"), std::string::npos);
}

// Every built-in member is found under its normalised form, in its group.
TEST(Synonyms, EveryBuiltInMemberFindsItsGroup) {
  const Synonyms& synonyms = BuiltInSynonyms();
  size_t members = 0;
  for (uint32_t g = 0; g < synonyms.groups().size(); ++g) {
    for (std::string_view member : synonyms.groups()[g].members) {
      std::vector<uint32_t> groups =
          synonyms.GroupsOf(Synonyms::Normalize(member));
      EXPECT_NE(std::find(groups.begin(), groups.end(), g), groups.end())
          << member;
      ++members;
    }
  }
  EXPECT_GT(members, 120u);
}

}  // namespace
}  // namespace papersearch
