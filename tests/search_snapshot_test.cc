// papersearch on the real 2026-04-08 snapshot in ../shared (skipped when it
// is absent): the everyday query returns ranked results with snippets and
// facets, an abbreviation finds its paper first, and the unknown-value
// suggestion names the real spelling.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/test_support.h"

namespace papersearch {
namespace {

using nlohmann::json;
using testing::RunResult;

class SearchSnapshotTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::optional<std::filesystem::path> shared = testing::SharedDir();
    if (!shared) return;
    dir_ = new testing::TempDir();
    db_ = (dir_->path() / "db").string();
    RunResult indexed =
        testing::Run({testing::PaperindexBin(), "--root",
                      (*shared / "corpus/efficientpaper-2026-04-08").string(),
                      "--db", db_, "--quiet"});
    indexed_ = indexed.exit_code == 0;
    if (!indexed_) ADD_FAILURE() << indexed.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!testing::SharedDir()) GTEST_SKIP() << testing::SharedMissingMessage();
    ASSERT_TRUE(indexed_);
  }

  static RunResult Search(std::vector<std::string> args) {
    args.insert(args.begin(), {testing::PapersearchBin(), "--db", db_});
    return testing::Run(args);
  }

  static testing::TempDir* dir_;
  static std::string db_;
  static bool indexed_;
};

testing::TempDir* SearchSnapshotTest::dir_ = nullptr;
std::string SearchSnapshotTest::db_;
bool SearchSnapshotTest::indexed_ = false;

TEST_F(SearchSnapshotTest, KvCacheEvictionHasResultsSnippetsAndFacets) {
  RunResult r = Search({"kv cache eviction", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_FALSE(j["relaxed"].get<bool>());
  EXPECT_GE(j["total"].get<int>(), 10);
  ASSERT_EQ(j["results"].size(), 10u);
  int with_marks = 0;
  for (const json& hit : j["results"]) {
    EXPECT_FALSE(hit["snippet"].get<std::string>().empty()) << hit["id"];
    if (hit["snippet"].get<std::string>().find("**") != std::string::npos) {
      ++with_marks;
    }
  }
  EXPECT_EQ(with_marks, 10);
  for (const char* facet : {"institution", "venue", "year", "keyword"}) {
    EXPECT_FALSE(j["facets"][facet].empty()) << facet;
  }
  // Facets count every paper that matches all the words: the venue counts
  // add up to their number.
  int venues = 0;
  for (const json& entry : j["facets"]["venue"]) {
    venues += entry["count"].get<int>();
  }
  if (j["facets"]["venue"].size() < 10) {
    EXPECT_EQ(venues, j["total_all_words"].get<int>());
  }
}

TEST_F(SearchSnapshotTest, TextOutputWithFacets) {
  RunResult r = Search({"kv cache eviction", "--facets"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1. "), std::string::npos);
  EXPECT_NE(r.out.find("keywords: kv_cache_sparse"), std::string::npos)
      << r.out;
}

TEST_F(SearchSnapshotTest, AbbreviationFindsItsPaperFirst) {
  RunResult r = Search({"shadowkv", "--format", "ids", "--limit", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "2025/ShadowKV\n");
}

TEST_F(SearchSnapshotTest, UnknownInstitutionSuggestsTheRealName) {
  RunResult r = Search({"--institution", "Tsinghua Univ"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("did you mean 'Tsinghua University'"), std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace papersearch
