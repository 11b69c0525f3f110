// Ranking measured on judged queries (tests/relevance/queries.tsv) over the
// bundled collection and, when ../shared is present, the two real snapshots:
// Success@1 for known-item queries and nDCG@10 for topical ones must not
// drop below the figures recorded in benchmarks/README.md ("Relevance").
// Also end-to-end checks of synonyms, spelling correction, --like and
// --explain on the bundled collection.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace papersearch {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::RunResult;

struct JudgedQuery {
  std::string kind;  // known, topic or topic:notes
  std::string query;
  std::map<std::string, int> grades;  // id -> 1 or 2
};

std::vector<JudgedQuery> ReadQueries() {
  std::ifstream in(testing::SourceDir() / "tests/relevance/queries.tsv");
  std::vector<JudgedQuery> queries;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    JudgedQuery q;
    std::string ids;
    std::getline(fields, q.kind, '\t');
    std::getline(fields, q.query, '\t');
    std::getline(fields, ids);
    std::istringstream words(ids);
    std::string item;
    while (words >> item) {
      size_t eq = item.find('=');
      q.grades[item.substr(0, eq)] =
          eq == std::string::npos ? 1 : std::stoi(item.substr(eq + 1));
    }
    queries.push_back(std::move(q));
  }
  return queries;
}

// The ids (YEAR/ID) of a collection's records.
std::set<std::string> CollectionIds(const fs::path& root) {
  std::set<std::string> ids;
  for (const auto& year : fs::directory_iterator(root / "meta")) {
    if (!year.is_directory()) continue;
    for (const auto& file : fs::directory_iterator(year.path())) {
      if (file.path().extension() != ".prototxt") continue;
      ids.insert(year.path().filename().string() + "/" +
                 file.path().stem().string());
    }
  }
  return ids;
}

struct Figures {
  double success_at_1 = 0;
  double ndcg_at_10 = 0;
  int known = 0;
  int topics = 0;
};

Figures Measure(const fs::path& root, const std::string& db) {
  std::set<std::string> ids = CollectionIds(root);
  bool has_notes = fs::is_directory(root / "notes");
  Figures figures;
  double successes = 0, ndcg = 0;
  for (const JudgedQuery& q : ReadQueries()) {
    std::map<std::string, int> grades;
    for (const auto& [id, grade] : q.grades) {
      if (ids.count(id)) grades[id] = grade;
    }
    if (grades.empty() || (q.kind == "topic:notes" && !has_notes)) continue;
    RunResult r =
        testing::Run({testing::PapersearchBin(), "--db", db, "--format", "ids",
                      "--limit", "10", "--", q.query});
    std::vector<std::string> ranked;
    std::istringstream out(r.out);
    for (std::string id; out >> id;) ranked.push_back(id);
    if (q.kind == "known") {
      bool first = !ranked.empty() && grades.count(ranked[0]);
      successes += first;
      ++figures.known;
      if (!first) std::cout << "  miss: " << q.query << "\n";
      continue;
    }
    double dcg = 0, ideal = 0;
    for (size_t i = 0; i < ranked.size() && i < 10; ++i) {
      auto found = grades.find(ranked[i]);
      int grade = found == grades.end() ? 0 : found->second;
      dcg += (std::pow(2, grade) - 1) / std::log2(i + 2.0);
    }
    std::vector<int> best;
    for (const auto& entry : grades) best.push_back(entry.second);
    std::sort(best.rbegin(), best.rend());
    for (size_t i = 0; i < best.size() && i < 10; ++i) {
      ideal += (std::pow(2, best[i]) - 1) / std::log2(i + 2.0);
    }
    ndcg += dcg / ideal;
    ++figures.topics;
  }
  figures.success_at_1 = figures.known ? successes / figures.known : 0;
  figures.ndcg_at_10 = figures.topics ? ndcg / figures.topics : 0;
  return figures;
}

// Indexes `root` into a fresh database and checks its figures against the
// floors (benchmarks/README.md records how they were reached).
void ExpectFigures(const fs::path& root, double min_success, double min_ndcg) {
  testing::TempDir dir;
  std::string db = (dir.path() / "db").string();
  RunResult indexed = testing::Run({testing::PaperindexBin(), "--root",
                                    root.string(), "--db", db, "--quiet"});
  ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
  Figures figures = Measure(root, db);
  std::cout << root.filename().string() << ": Success@1 "
            << figures.success_at_1 << " over " << figures.known
            << " known-item queries, nDCG@10 " << figures.ndcg_at_10 << " over "
            << figures.topics << " topical queries\n";
  EXPECT_GE(figures.known, 40);
  EXPECT_GE(figures.topics, 15);
  EXPECT_GE(figures.success_at_1, min_success);
  EXPECT_GE(figures.ndcg_at_10, min_ndcg);
}

TEST(RelevanceTest, BundledCollection) {
  ExpectFigures(testing::SourceDir(), 0.97, 0.79);
}

TEST(RelevanceTest, Snapshot20260408) {
  std::optional<fs::path> shared = testing::SharedDir();
  if (!shared) GTEST_SKIP() << testing::SharedMissingMessage();
  ExpectFigures(*shared / "corpus/efficientpaper-2026-04-08", 0.96, 0.93);
}

TEST(RelevanceTest, Snapshot20250829) {
  std::optional<fs::path> shared = testing::SharedDir();
  if (!shared) GTEST_SKIP() << testing::SharedMissingMessage();
  ExpectFigures(*shared / "corpus/efficientpaper-2025-08-29", 0.99, 0.87);
}

// The features of issue 6 end to end, on the bundled collection.
class RankingFeaturesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    db_ = (dir_->path() / "db").string();
    RunResult indexed =
        testing::Run({testing::PaperindexBin(), "--root",
                      testing::SourceDir().string(), "--db", db_, "--quiet"});
    ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static json SearchJson(std::vector<std::string> args,
                         testing::RunOptions options = {}) {
    args.insert(args.begin(),
                {testing::PapersearchBin(), "--db", db_, "--json"});
    RunResult r = testing::Run(args, options);
    EXPECT_LE(r.exit_code, 1) << r.err;
    return json::parse(r.out);
  }
  static std::vector<std::string> Ids(const json& j) {
    std::vector<std::string> ids;
    for (const json& hit : j["results"]) ids.push_back(hit["id"]);
    return ids;
  }
  static testing::TempDir* dir_;
  static std::string db_;
};

testing::TempDir* RankingFeaturesTest::dir_ = nullptr;
std::string RankingFeaturesTest::db_;

TEST_F(RankingFeaturesTest, AbbreviationSynonymFindsTheLongForm) {
  // No title says "ptq"; GPTQ's says "Post-Training Quantization".
  json j = SearchJson({"ptq"});
  std::vector<std::string> ids = Ids(j);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "2023/gptq"), ids.end());
  // Through the group's index term, which holds "ptq" and its long forms.
  EXPECT_NE(j["parsed_query"].get<std::string>().find("XSptq"),
            std::string::npos)
      << j["parsed_query"];
}

TEST_F(RankingFeaturesTest, UserSynonymsFileIsApplied) {
  testing::TempDir dir;
  testing::WriteFile(dir.path() / "syn.txt",
                     "# mine\nheavyhitters, heavy hitter\n");
  testing::RunOptions options;
  options.env["PAPERSEARCH_SYNONYMS"] = (dir.path() / "syn.txt").string();
  json j = SearchJson({"heavyhitters"}, options);
  ASSERT_FALSE(j["results"].empty());
  EXPECT_EQ(j["results"][0]["id"], "2023/H2O");
}

TEST_F(RankingFeaturesTest, MisspeltQueryRunsTheCorrection) {
  RunResult r = testing::Run({testing::PapersearchBin(), "--db", db_, "--json",
                              "specualtive decoding"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.err.find("speculative decoding"), std::string::npos) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["corrected_query"], "speculative decoding");
  EXPECT_NE(j["suggestion"].get<std::string>().find("did you mean"),
            std::string::npos);
  EXPECT_FALSE(j["results"].empty());
}

TEST_F(RankingFeaturesTest, LikeListsRelatedPapersNotItself) {
  for (const char* like : {"2023/gptq", "GPTQ"}) {
    json j = SearchJson({"--like", like});
    std::vector<std::string> ids = Ids(j);
    ASSERT_FALSE(ids.empty()) << like;
    EXPECT_EQ(std::find(ids.begin(), ids.end(), "2023/gptq"), ids.end());
    // Other post-training quantization papers are its neighbours.
    EXPECT_NE(std::find(ids.begin(), ids.end(), "2023/RPTQ"), ids.end());
  }
  RunResult r = testing::Run(
      {testing::PapersearchBin(), "--db", db_, "--like", "NoSuchPaper"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("NoSuchPaper"), std::string::npos);
  r = testing::Run(
      {testing::PapersearchBin(), "--db", db_, "--like", "gptq", "words"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST_F(RankingFeaturesTest, ExplainPartsAddUpToTheScore) {
  for (const char* query : {"kv cache eviction", "shadowkv", "moe"}) {
    json j = SearchJson({"--explain", query});
    ASSERT_FALSE(j["results"].empty()) << query;
    for (const json& hit : j["results"]) {
      double sum = hit["explain"]["rest"].get<double>();
      for (const json& part : hit["explain"]["parts"]) {
        EXPECT_FALSE(part["fields"].get<std::string>().empty());
        sum += part["weight"].get<double>();
      }
      EXPECT_NEAR(sum, hit["score"].get<double>(), 1e-6) << query;
      EXPECT_NEAR(hit["explain"]["rest"].get<double>(), 0, 1e-6) << query;
    }
  }
  json j = SearchJson({"--explain", "shadowkv"});
  EXPECT_NE(j["results"][0]["explain"]["parts"].dump().find("exact"),
            std::string::npos);
}

}  // namespace
}  // namespace papersearch
