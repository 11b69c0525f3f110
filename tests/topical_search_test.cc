// Topical search (issue 22): which topics a query names (common/topics.h),
// and on the real 2026-04-08 snapshot (skipped when ../shared is absent)
// what a person typing a topic gets: the papers the list files under it,
// counted and marked, with --explain naming the signals and --like keeping
// to the same sections. Expected labels are read from the record files
// with a regex, not through our parser.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "common/topics.h"
#include "schema.h"
#include "tests/support/test_support.h"

namespace papersearch {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::RunResult;

std::set<std::string> Labels(const std::string& query) {
  std::set<std::string> labels;
  for (const TopicMatch& match : TopicsOf(query)) labels.insert(match.label);
  return labels;
}

TEST(TopicsOf, NamesTheSectionsPeopleMean) {
  struct Case {
    std::string query;
    std::string label;
    bool named;
  };
  const std::vector<Case> cases = {
      {"kv cache eviction", "kv_cache_sparse", true},
      {"evict tokens from the KV cache", "kv_cache_sparse", true},
      {"Heavy Hitters", "kv_cache_sparse", true},
      {"methods for speculative decoding with a draft model",
       "speculative_decoding", true},
      {"kv cache quantization", "kv_cache_quant", true},
      {"kv_cache_quant", "kv_cache_quant", true},  // a label's own words
      {"稀疏注意力", "attention_sparsity", true},
      {"KV cache 量化", "kv_cache_quant", true},
      {"2:4 sparsity", "structured_sparsity", true},
      {"N:M sparsity", "structured_sparsity", true},  // `N:` is no field
      // A quoted phrase asks for itself; an excluded word and a field's
      // value name nothing.
      {"\"speculative decoding\"", "speculative_decoding", false},
      {"cache -pruning", "sparse_pruning", false},
      {"author:pruning", "sparse_pruning", false},
      {"keyword:pruning", "sparse_pruning", false},
      {"kv cache", "kv_cache_sparse", false},
      {"eviction policies for caches in general", "kv_cache_sparse", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Labels(c.query).count(c.label) == 1, c.named)
        << c.query << " -> " << c.label;
  }
  EXPECT_TRUE(TopicsOf("").empty());
  EXPECT_TRUE(TopicsOf("\"").empty());
}

// A collection files papers under the sections it has: a label it does not
// use stands for its broader section there (the 2025 snapshot files
// eviction papers under kv_cache), or else for its narrower ones together
// (the 2026 snapshot has kv_cache_sparse, _quant and _management, and no
// kv_cache).
TEST(FiledSections, ALabelTheCollectionLacksStandsForItsNeighbours) {
  auto collection = [](const std::vector<std::string>& labels) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    for (const std::string& label : labels) {
      Xapian::Document doc;
      doc.add_boolean_term(schema::KeywordFilterTerm(label));
      db.add_document(doc);
    }
    return db;
  };
  using Sections = std::vector<std::vector<std::string>>;
  const auto eviction = TopicsOf("kv cache eviction");
  const auto kv_cache = TopicsOf("kv cache");
  {
    const Xapian::WritableDatabase db =
        collection({"kv_cache", "sparse_pruning"});
    // kv_cache_sparse -> kv_cache, and kv_cache itself: one section.
    EXPECT_EQ(FiledSections(db, eviction), (Sections{{"kv_cache"}}));
    EXPECT_EQ(FiledSections(db, kv_cache), (Sections{{"kv_cache"}}));
  }
  {
    const Xapian::WritableDatabase db = collection(
        {"kv_cache_sparse", "kv_cache_quant", "kv_cache_management"});
    // `kv cache eviction` names kv_cache too: eviction papers weigh twice.
    EXPECT_EQ(FiledSections(db, eviction),
              (Sections{{"kv_cache_sparse"},
                        {"kv_cache_sparse", "kv_cache_quant",
                         "kv_cache_management"}}));
    EXPECT_EQ(FiledSections(db, kv_cache),
              (Sections{{"kv_cache_sparse", "kv_cache_quant",
                         "kv_cache_management"}}));
  }
  {
    const Xapian::WritableDatabase db = collection({"quantization"});
    EXPECT_TRUE(FiledSections(db, eviction).empty());
  }
}

// Keyword labels of every record of a collection, by id, from the files.
std::map<std::string, std::set<std::string>> LabelsByHand(
    const fs::path& root) {
  std::map<std::string, std::set<std::string>> labels;
  const std::regex word(R"(words:\s*([a-z_]+))");
  for (const auto& year : fs::directory_iterator(root / "meta")) {
    if (!year.is_directory()) continue;
    for (const auto& file : fs::directory_iterator(year.path())) {
      if (file.path().extension() != ".prototxt") continue;
      const std::string id =
          year.path().filename().string() + "/" + file.path().stem().string();
      const std::string text = testing::ReadFile(file.path());
      auto& set = labels[id];
      for (std::sregex_iterator it(text.begin(), text.end(), word), end;
           it != end; ++it) {
        set.insert((*it)[1]);
      }
    }
  }
  return labels;
}

class TopicalSnapshotTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::optional<fs::path> shared = testing::SharedDir();
    if (!shared) return;
    root_ = *shared / "corpus/efficientpaper-2026-04-08";
    dir_ = new testing::TempDir();
    db_ = (dir_->path() / "db").string();
    RunResult indexed = testing::Run({testing::PaperindexBin(), "--root",
                                      root_.string(), "--db", db_, "--quiet"});
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

  static json SearchJson(std::vector<std::string> args) {
    args.insert(args.begin(), {testing::PapersearchBin(), "--db", db_});
    args.push_back("--json");
    RunResult r = testing::Run(args);
    EXPECT_LE(r.exit_code, 1) << r.err;
    return json::parse(r.out);
  }

  static fs::path root_;
  static testing::TempDir* dir_;
  static std::string db_;
  static bool indexed_;
};

fs::path TopicalSnapshotTest::root_;
testing::TempDir* TopicalSnapshotTest::dir_ = nullptr;
std::string TopicalSnapshotTest::db_;
bool TopicalSnapshotTest::indexed_ = false;

// A topic in a person's own words fills the first page with the papers the
// list files under it, including those whose text lacks some of the words.
TEST_F(TopicalSnapshotTest, ATopicInOwnWordsFindsItsSection) {
  const auto labels = LabelsByHand(root_);
  struct Case {
    std::string query, label;
  };
  for (const Case& c :
       {Case{"kv cache eviction", "kv_cache_sparse"},
        Case{"how to compress the kv cache", "kv_cache_sparse"},
        Case{"sparse attention for long context", "attention_sparsity"},
        Case{"kv cache quantization", "kv_cache_quant"}}) {
    json j = SearchJson({c.query});
    ASSERT_EQ(j["results"].size(), 10u) << c.query;
    int filed = 0;
    for (const json& hit : j["results"]) {
      filed += labels.at(hit["id"]).count(c.label);
    }
    EXPECT_GE(filed, 9) << c.query << "\n" << j["results"].dump();
    // Partial matches are counted and marked, never mixed in front.
    EXPECT_EQ(j["total"], j["total_all_words"].get<int>() +
                              j["total_some_words"].get<int>());
    bool seen_partial = false;
    for (const json& hit : j["results"]) {
      if (hit["partial"].get<bool>()) seen_partial = true;
      EXPECT_FALSE(seen_partial && !hit["partial"].get<bool>()) << c.query;
    }
  }
}

// Every paper of the section is found among the results, with or without
// the words: the recall a topic query owes.
TEST_F(TopicalSnapshotTest, EveryPaperOfTheSectionIsListed) {
  const auto labels = LabelsByHand(root_);
  std::set<std::string> section;
  for (const auto& [id, set] : labels) {
    if (set.count("kv_cache_sparse")) section.insert(id);
  }
  ASSERT_GT(section.size(), 50u);
  json j = SearchJson({"kv cache eviction", "--limit", "all"});
  std::set<std::string> found;
  for (const json& hit : j["results"]) found.insert(hit["id"]);
  for (const std::string& id : section) EXPECT_TRUE(found.count(id)) << id;
}

TEST_F(TopicalSnapshotTest, ExplainNamesTheTopic) {
  json j = SearchJson({"kv cache eviction", "--explain", "--limit", "3"});
  ASSERT_FALSE(j["results"].empty());
  const std::string parts = j["results"][0]["explain"]["parts"].dump();
  EXPECT_NE(parts.find("topic (keyword label)"), std::string::npos) << parts;
  EXPECT_NE(parts.find("kv_cache_sparse"), std::string::npos) << parts;
}

// --like keeps to the paper's own sections.
TEST_F(TopicalSnapshotTest, LikeKeepsToTheSameSections) {
  const auto labels = LabelsByHand(root_);
  const std::set<std::string>& own = labels.at("2024/SnapKV");
  ASSERT_FALSE(own.empty());
  json j = SearchJson({"--like", "2024/SnapKV", "--limit", "5"});
  ASSERT_EQ(j["results"].size(), 5u);
  for (const json& hit : j["results"]) {
    const std::set<std::string>& theirs = labels.at(hit["id"]);
    EXPECT_TRUE(std::any_of(theirs.begin(), theirs.end(),
                            [&](const std::string& l) { return own.count(l); }))
        << hit["id"];
  }
}

}  // namespace
}  // namespace papersearch
