// End-to-end tests of papersearch: the real paperindex builds a database from
// the hand-written fixture collection tests/fixtures/mini, the real
// papersearch queries it, and its JSON is parsed.
#include <fcntl.h>
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "paper.pb.h"
#include "schema.h"
#include "searcher/query_builder.h"
#include "tests/support/test_support.h"

namespace papersearch {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::RunOptions;
using testing::RunResult;
using testing::TempDir;
using IdList = std::vector<std::string>;

// Not `Run`: inside a test fixture that name is testing::Test::Run.
RunResult RunProgram(const std::vector<std::string>& argv,
                     const RunOptions& options = {}) {
  return testing::Run(argv, options);
}
using IdSet = std::set<std::string>;

fs::path FixtureRoot() { return testing::SourceDir() / "tests/fixtures/mini"; }

class SearchCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    db_ = (dir_->path() / "db").string();
    RunResult indexed =
        RunProgram({testing::PaperindexBin(), "--root", FixtureRoot().string(),
                    "--db", db_, "--quiet"});
    ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  // Runs papersearch on the fixture database with `args`.
  static RunResult Search(std::vector<std::string> args,
                          RunOptions options = {}) {
    args.insert(args.begin(), {testing::PapersearchBin(), "--db", db_});
    options.unset_env.push_back("PAPERSEARCH_DB");
    return RunProgram(args, options);
  }

  // Runs with --json and parses stdout; fails the test on invalid JSON.
  static json SearchJson(std::vector<std::string> args,
                         RunResult* raw = nullptr) {
    args.push_back("--json");
    RunResult result = Search(args);
    if (raw != nullptr) *raw = result;
    EXPECT_NE(result.exit_code, 2) << result.err;
    json parsed = json::parse(result.out, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(parsed.is_discarded()) << result.out;
    return parsed;
  }

  static IdList Ids(const json& j) {
    IdList ids;
    if (!j.is_object() || !j.contains("results")) return ids;
    for (const json& hit : j["results"]) ids.push_back(hit["id"]);
    return ids;
  }
  // The papers that match every word (--all-words): what the query
  // language's tests check. The partial matches after them are tested on
  // their own (AllWordsFirstThenSome).
  static IdSet IdsOf(std::vector<std::string> args) {
    args.push_back("--all-words");
    IdList ids = Ids(SearchJson(std::move(args)));
    return IdSet(ids.begin(), ids.end());
  }

  static TempDir* dir_;
  static std::string db_;
};

TempDir* SearchCliTest::dir_ = nullptr;
std::string SearchCliTest::db_;

// ---------------------------------------------------------------------------
// The JSON schema.

TEST_F(SearchCliTest, JsonHasExactlyTheDocumentedFields) {
  json j = SearchJson({"kv cache eviction"});
  std::set<std::string> keys;
  for (auto& [key, value] : j.items()) keys.insert(key);
  EXPECT_EQ(keys,
            (std::set<std::string>{
                "query", "parsed_query", "total", "total_is_exact", "offset",
                "total_all_words", "total_some_words", "relaxed", "suggestion",
                "corrected_query", "names", "results", "facets",
                "facets_are_exact", "facets_counted"}));
  EXPECT_EQ(j["query"], "kv cache eviction");
  EXPECT_TRUE(j["total_is_exact"].get<bool>());
  EXPECT_TRUE(j["facets_are_exact"].get<bool>());
  // Facets count the papers that match every word.
  EXPECT_EQ(j["facets_counted"], j["total_all_words"]);
  EXPECT_FALSE(j["relaxed"].get<bool>());
  EXPECT_TRUE(j["suggestion"].is_null());
  ASSERT_FALSE(j["results"].empty());
  std::set<std::string> hit_keys;
  for (auto& [key, value] : j["results"][0].items()) hit_keys.insert(key);
  EXPECT_EQ(hit_keys, (std::set<std::string>{
                          "rank", "id", "score", "partial", "title", "abbr",
                          "year", "venue", "institutions", "authors",
                          "keywords", "url", "code_url", "note", "snippet"}));
  std::set<std::string> facet_keys;
  for (auto& [key, value] : j["facets"].items()) facet_keys.insert(key);
  EXPECT_EQ(facet_keys,
            (std::set<std::string>{"institution", "venue", "year", "keyword"}));
}

// How an institution name was read, by option and in the query text: PKU
// is the shipped alias of Peking University, toronto a word of University
// of Toronto.
TEST_F(SearchCliTest, JsonSaysHowANameWasRead) {
  json j = SearchJson({"inst:toronto", "--institution", "PKU"});
  ASSERT_EQ(j["names"].size(), 2u) << j["names"].dump();
  EXPECT_EQ(j["names"][0]["field"], "institution");
  EXPECT_EQ(j["names"][0]["value"], "PKU");
  EXPECT_EQ(j["names"][0]["found"],
            json::parse(R"([{"name": "Peking University", "how": "alias"}])"));
  EXPECT_EQ(j["names"][1]["value"], "toronto");
  EXPECT_EQ(
      j["names"][1]["found"],
      json::parse(R"([{"name": "University of Toronto", "how": "contains"}])"));
  EXPECT_TRUE(SearchJson({"kv"})["names"].empty());
}

TEST_F(SearchCliTest, ResultFieldsComeFromTheRecord) {
  json j = SearchJson({"tidal"});
  ASSERT_EQ(j["results"].size(), 1u);
  const json& hit = j["results"][0];
  EXPECT_EQ(hit["rank"], 1);
  EXPECT_EQ(hit["id"], "2025/TideKV");
  EXPECT_GT(hit["score"].get<double>(), 0);
  EXPECT_EQ(hit["title"],
            "TideKV: Tidal KV Cache Eviction for Long-Context Decoding");
  EXPECT_EQ(hit["abbr"], "TideKV");
  EXPECT_EQ(hit["year"], 2025);
  EXPECT_EQ(hit["venue"], "ICML");
  EXPECT_EQ(hit["institutions"],
            json::array({"Tsinghua University", "Moonshot Lab"}));
  EXPECT_EQ(hit["authors"], json::array({"Lin Zhao", "Ada Park"}));
  EXPECT_EQ(hit["keywords"], json::array({"kv_cache_sparse"}));
  EXPECT_EQ(hit["url"], "https://arxiv.org/abs/2599.00001");
  EXPECT_EQ(hit["code_url"], "https://github.com/example/tidekv");
  EXPECT_EQ(hit["note"], "notes/2025/TideKV/note.md");
  EXPECT_NE(hit["snippet"].get<std::string>().find("**"), std::string::npos);
}

TEST_F(SearchCliTest, AbsentFieldsAreNull) {
  json j = SearchJson({"magnitude pruning"});
  ASSERT_EQ(Ids(j), IdList{"2022/OldPrune"});
  const json& hit = j["results"][0];
  EXPECT_TRUE(hit["abbr"].is_null());
  EXPECT_TRUE(hit["code_url"].is_null());
  EXPECT_TRUE(hit["note"].is_null());
  // Without a note the snippet is the title, matches marked.
  EXPECT_EQ(hit["snippet"],
            "**Magnitude** **Pruning** Revisited for Transformers");
}

TEST_F(SearchCliTest, MissingVenueIsArxiv) {
  json j = SearchJson({"pagedpool"});
  ASSERT_FALSE(j["results"].empty());
  EXPECT_EQ(j["results"][0]["venue"], "arXiv");
}

// ---------------------------------------------------------------------------
// The query language.

// Papers with every word come first; the papers with only some follow,
// marked, and the header counts both. --all-words keeps only the first.
TEST_F(SearchCliTest, AllWordsFirstThenSome) {
  json strict = SearchJson({"kv cache eviction", "--all-words"});
  IdList ids = Ids(strict);
  EXPECT_EQ(IdSet(ids.begin(), ids.end()),
            (IdSet{"2025/TideKV", "2025/EvictBench"}));
  EXPECT_EQ(strict["total"], 2);
  EXPECT_EQ(strict["total_some_words"], 0);

  json j = SearchJson({"kv cache eviction"});
  ids = Ids(j);
  // PagedPool's record and note say "KV cache" but never "eviction";
  // Lantern's note says "cache".
  ASSERT_EQ(ids.size(), 4u) << j.dump();
  EXPECT_EQ(IdSet(ids.begin(), ids.begin() + 2),
            (IdSet{"2025/TideKV", "2025/EvictBench"}));
  EXPECT_EQ(IdSet(ids.begin() + 2, ids.end()),
            (IdSet{"2025/PagedPool", "2023/LanternSpec"}));
  EXPECT_EQ(j["total"], 4);
  EXPECT_EQ(j["total_all_words"], 2);
  EXPECT_EQ(j["total_some_words"], 2);
  EXPECT_FALSE(j["relaxed"].get<bool>());
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(j["results"][i]["partial"].get<bool>(), i >= 2) << i;
    EXPECT_EQ(j["results"][i]["rank"], i + 1);
  }
  // Pages are slices of one list: the page after the full matches starts
  // in the partial ones, and every page has the same totals.
  for (int offset = 0; offset < 5; ++offset) {
    json page = SearchJson({"kv cache eviction", "--offset",
                            std::to_string(offset), "--limit", "1"});
    EXPECT_EQ(page["total"], 4);
    EXPECT_EQ(page["total_all_words"], 2);
    EXPECT_EQ(Ids(page), offset < 4 ? IdList{ids[offset]} : IdList{});
    if (offset < 4) {
      EXPECT_EQ(page["results"][0]["rank"], offset + 1);
    }
  }

  RunResult text = Search({"kv cache eviction", "--color", "never"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_EQ(text.out.substr(0, text.out.find('\n')),
            "4 papers, showing 1-4: 2 match all the words, 2 partly (some of "
            "the words, or the topic)");
  EXPECT_NE(text.out.find("\nPartly matching (some of the words, or the "
                          "topic):\n\n3. "),
            std::string::npos)
      << text.out;
  RunResult markdown = Search({"kv cache eviction", "--format", "markdown"});
  EXPECT_EQ(markdown.out.substr(0, markdown.out.find('\n')),
            "Of 4 papers, 2 match all the words, 2 partly (some of the words, "
            "or the topic).");
  EXPECT_NE(markdown.out.find("\nPapers that match partly"), std::string::npos);
}

// Function words never make a query narrower; in a phrase they count.
TEST_F(SearchCliTest, StopwordsDoNotNarrow) {
  EXPECT_EQ(IdsOf({"kv cache eviction"}),
            IdsOf({"the eviction of a kv cache"}));
  json j = SearchJson({"methods for the eviction of kv cache"});
  EXPECT_EQ(j["total_all_words"], 2);
  // "the KV cache" is in TideKV's note and EvictBench's; "of KV cache" in
  // no text.
  EXPECT_EQ(IdsOf({"\"the kv cache\""}),
            (IdSet{"2025/TideKV", "2025/EvictBench"}));
  EXPECT_EQ(IdsOf({"\"of kv cache\""}), IdSet{});
}

TEST_F(SearchCliTest, SeveralArgumentsAreOneQuery) {
  EXPECT_EQ(Ids(SearchJson({"kv", "cache", "eviction"})),
            Ids(SearchJson({"kv cache eviction"})));
}

TEST_F(SearchCliTest, FallsBackToAnyWordAndSaysSo) {
  RunResult raw;
  json j = SearchJson({"eviction quantization"}, &raw);
  EXPECT_EQ(raw.exit_code, 0);
  EXPECT_TRUE(j["relaxed"].get<bool>());
  IdList ids = Ids(j);
  EXPECT_EQ(IdSet(ids.begin(), ids.end()),
            (IdSet{"2025/TideKV", "2025/EvictBench", "2024/QuillQuant"}));
  EXPECT_NE(raw.err.find("no paper matches all the words"), std::string::npos)
      << raw.err;
  EXPECT_EQ(j["total_all_words"], 0);
  EXPECT_EQ(j["total_some_words"], 3);
}

TEST_F(SearchCliTest, Phrase) {
  EXPECT_EQ(IdsOf({"\"draft trees\""}), IdSet{"2023/LanternSpec"});
  EXPECT_EQ(IdsOf({"\"trees draft\""}), IdSet{});
}

TEST_F(SearchCliTest, BooleanOperators) {
  EXPECT_EQ(IdsOf({"pruning OR quantization"}),
            (IdSet{"2022/OldPrune", "2024/QuillQuant"}));
  EXPECT_EQ(IdsOf({"cache NOT eviction"}),
            (IdSet{"2025/PagedPool", "2023/LanternSpec"}));
  EXPECT_EQ(IdsOf({"cache AND draft"}), IdSet{"2023/LanternSpec"});
}

TEST_F(SearchCliTest, LoveHate) {
  EXPECT_EQ(IdsOf({"cache -eviction"}),
            (IdSet{"2025/PagedPool", "2023/LanternSpec"}));
  // As separate arguments too ("several arguments are one query"), also
  // after an option: `-eviction` is a word, not an unknown option.
  EXPECT_EQ(IdsOf({"cache", "-eviction"}),
            (IdSet{"2025/PagedPool", "2023/LanternSpec"}));
  EXPECT_EQ(IdsOf({"--limit", "5", "cache", "-eviction", "--has-note"}),
            IdsOf({"cache -eviction", "--has-note"}));
  // +word stays required even when the other words fall back to any-word.
  json j = SearchJson({"+draft banana"});
  EXPECT_TRUE(j["relaxed"].get<bool>());
  EXPECT_EQ(Ids(j), IdList{"2023/LanternSpec"});
}

TEST_F(SearchCliTest, Parentheses) {
  EXPECT_EQ(IdsOf({"(speculative OR pruning) AND (draft OR transformers)"}),
            (IdSet{"2023/LanternSpec", "2022/OldPrune"}));
}

TEST_F(SearchCliTest, PrefixWildcard) {
  EXPECT_EQ(IdsOf({"quant*"}), IdSet{"2024/QuillQuant"});
  EXPECT_EQ(IdsOf({"evict*"}), (IdSet{"2025/TideKV", "2025/EvictBench"}));
}

TEST_F(SearchCliTest, FieldPrefixes) {
  EXPECT_EQ(IdsOf({"title:cache"}),
            (IdSet{"2025/EvictBench", "2025/PagedPool", "2025/TideKV"}));
  EXPECT_EQ(IdsOf({"abbr:lantern"}), IdSet{"2023/LanternSpec"});
  EXPECT_EQ(IdsOf({"author:\"ada park\""}),
            (IdSet{"2025/TideKV", "2024/QuietExperts"}));
  EXPECT_EQ(IdsOf({"inst:toronto"}), IdSet{"2022/OldPrune"});
  EXPECT_EQ(IdsOf({"venue:neurips"}), IdSet{"2023/LanternSpec"});
  EXPECT_EQ(IdsOf({"note:tide"}), IdSet{"2025/TideKV"});
  EXPECT_EQ(IdsOf({"code:quillquant"}), IdSet{"2024/QuillQuant"});
  // "verification cache" is in Lantern's note, not in its title.
  EXPECT_EQ(IdsOf({"title:verification"}), IdSet{});
  EXPECT_EQ(IdsOf({"note:verification"}), IdSet{"2023/LanternSpec"});
}

TEST_F(SearchCliTest, KeywordPrefixTakesLabelsOrWords) {
  EXPECT_EQ(IdsOf({"keyword:kv_cache_sparse"}),
            (IdSet{"2025/TideKV", "2025/EvictBench"}));
  EXPECT_EQ(IdsOf({"keyword:\"kv cache\""}),
            (IdSet{"2025/TideKV", "2025/EvictBench", "2025/PagedPool"}));
  EXPECT_EQ(IdsOf({"keyword:benchmark"}), IdSet{"2025/EvictBench"});
}

// Each form of a keyword value finds what its words do (the fixture's
// labels: kv_cache_sparse on TideKV and EvictBench, kv_cache_management on
// PagedPool, sparse_pruning and weight_sparsity on OldPrune,
// attention_sparsity on SparrowAttn, quantization on QuillQuant, benchmark
// on EvictBench, deployment on QuietExperts). Xapian's parser alone read
// `keyword:kv-cache` and `keyword:quant*` as nothing, and so listed every
// paper, and crashed on the loved forms after a word.
TEST_F(SearchCliTest, KeywordValuesInEveryForm) {
  const IdSet kv_cache{"2025/TideKV", "2025/EvictBench", "2025/PagedPool"};
  EXPECT_EQ(IdsOf({"keyword:kv-cache"}), kv_cache);
  EXPECT_EQ(IdsOf({"keyword:kv.cache"}), kv_cache);
  EXPECT_EQ(IdsOf({"keyword:\"kv cache"}), kv_cache);
  EXPECT_EQ(IdsOf({"keyword:(cache kv)"}), kv_cache);
  EXPECT_EQ(IdsOf({"keyword:(kv management)"}), IdSet{"2025/PagedPool"});
  EXPECT_EQ(IdsOf({"keyword:(benchmark OR deployment)"}),
            (IdSet{"2025/EvictBench", "2024/QuietExperts"}));
  EXPECT_EQ(IdsOf({"keyword:quant*"}), IdSet{"2024/QuillQuant"});
  EXPECT_EQ(IdsOf({"keyword:spars*"}),
            (IdSet{"2022/OldPrune", "2025/TideKV", "2025/EvictBench",
                   "2024/SparrowAttn"}));
  EXPECT_EQ(IdsOf({"keyword:benchmark NEAR keyword:kv_cache_sparse"}),
            IdSet{"2025/EvictBench"});
  // After a word and loved: the papers of both.
  const IdSet eviction = IdsOf({"eviction"});
  IdSet both;
  for (const std::string& id : eviction) {
    if (kv_cache.count(id)) both.insert(id);
  }
  ASSERT_FALSE(both.empty());
  EXPECT_EQ(IdsOf({"eviction +keyword:\"kv cache"}), both);
  EXPECT_EQ(IdsOf({"eviction +keyword:kv-cache"}), both);
  EXPECT_EQ(IdsOf({"eviction +keyword:(kv NEAR cache)"}), both);
  // A value that matches no label and no words matches nothing, rather
  // than vanishing from the query.
  RunResult raw;
  json j = SearchJson({"keyword:kv-nothing"}, &raw);
  EXPECT_EQ(raw.exit_code, 1);
  EXPECT_TRUE(j["results"].empty());
}

TEST_F(SearchCliTest, YearAndYearRange) {
  EXPECT_EQ(IdsOf({"year:2023"}), IdSet{"2023/LanternSpec"});
  EXPECT_EQ(IdsOf({"year:2022..2023"}),
            (IdSet{"2022/OldPrune", "2023/LanternSpec"}));
  EXPECT_EQ(IdsOf({"cache year:2024..2025"}),
            (IdSet{"2025/TideKV", "2025/EvictBench", "2025/PagedPool"}));
}

TEST_F(SearchCliTest, ChineseWordsFindChineseNotes) {
  EXPECT_EQ(IdsOf({"量化"}), IdSet{"2024/QuillQuant"});
  EXPECT_EQ(IdsOf({"note:缓存"}), IdSet{"2025/PagedPool"});
  // Bare 缓存 is also "cache" (common/synonyms.txt): English cache papers
  // too.
  EXPECT_EQ(IdsOf({"缓存"}), (IdSet{"2025/PagedPool", "2023/LanternSpec",
                                    "2025/EvictBench", "2025/TideKV"}));
  json j = SearchJson({"离群通道"});
  ASSERT_EQ(Ids(j), IdList{"2024/QuillQuant"});
  EXPECT_NE(j["results"][0]["snippet"].get<std::string>().find("**"),
            std::string::npos);
}

TEST_F(SearchCliTest, ExactAbbreviationRanksFirst) {
  IdList ids = Ids(SearchJson({"EvictBench"}));
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids[0], "2025/EvictBench");
  ids = Ids(SearchJson({"lantern"}));
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids[0], "2023/LanternSpec");
}

TEST_F(SearchCliTest, MalformedQueriesAreNeverErrors) {
  for (const char* query :
       {"\"kv cache", "(kv cache", "kv cache)", "AND", "kv OR", "NOT", "((",
        ")", "\"", "title:", "year:..", "year:2023..abc", "*", "-", "+",
        "keyword:\"", "kv AND AND cache"}) {
    SCOPED_TRACE(query);
    RunResult raw;
    json j = SearchJson({query}, &raw);
    EXPECT_TRUE(raw.exit_code == 0 || raw.exit_code == 1) << raw.err;
    EXPECT_TRUE(j.is_object());
  }
  EXPECT_EQ(IdsOf({"\"kv cache"}),
            (IdSet{"2025/TideKV", "2025/EvictBench", "2025/PagedPool"}));
  EXPECT_EQ(IdsOf({"(kv cache"}),
            (IdSet{"2025/TideKV", "2025/EvictBench", "2025/PagedPool"}));
}

TEST_F(SearchCliTest, EmptyQueryListsEverythingNewestFirst) {
  json j = SearchJson({"--limit", "all"});
  EXPECT_EQ(Ids(j),
            (IdList{"2025/PagedPool", "2025/EvictBench", "2025/TideKV",
                    "2024/QuietExperts", "2024/QuillQuant", "2024/SparrowAttn",
                    "2023/LanternSpec", "2022/OldPrune"}));
  EXPECT_EQ(j["total"], 8);
  // With filters: only those, still newest first.
  EXPECT_EQ(Ids(SearchJson({"", "--venue", "ICML"})),
            (IdList{"2025/EvictBench", "2025/TideKV"}));
}

// An unknown --keyword that is a word of labels names them, with their
// papers (counted here from the fixture's records by hand: kv_cache_sparse
// TideKV and EvictBench, kv_cache_management PagedPool).
TEST_F(SearchCliTest, UnknownKeywordNamesTheLabelsHoldingIt) {
  RunResult raw;
  SearchJson({"--keyword", "kvcache"}, &raw);
  EXPECT_EQ(raw.exit_code, 1);
  EXPECT_NE(raw.err.find("no keyword 'kvcache' in the index; labels with it: "
                         "kv_cache_sparse (2), kv_cache_management (1)"),
            std::string::npos)
      << raw.err;
}

// A query of words the index knows is never rewritten, and no word is
// corrected into a function word ('foo' was shown as 'for').
TEST_F(SearchCliTest, SpellingNeverMakesThingsWorse) {
  RunResult raw;
  json j = SearchJson({"foo"}, &raw);
  EXPECT_EQ(raw.exit_code, 1);
  EXPECT_TRUE(j["corrected_query"].is_null());
  EXPECT_EQ(raw.err.find("'for'"), std::string::npos) << raw.err;
  j = SearchJson({"draft tree"}, &raw);
  EXPECT_TRUE(j["corrected_query"].is_null()) << raw.err;
  EXPECT_EQ(j["results"][0]["id"], "2023/LanternSpec");
  // A misspelt word still is corrected when that finds papers.
  j = SearchJson({"specualtive decoding"}, &raw);
  EXPECT_EQ(j["corrected_query"], "speculative decoding") << raw.err;
}

TEST_F(SearchCliTest, NoMatchIsExitOne) {
  RunResult raw;
  json j = SearchJson({"zyxwvut"}, &raw);
  EXPECT_EQ(raw.exit_code, 1);
  EXPECT_EQ(j["total"], 0);
  EXPECT_TRUE(j["results"].empty());
}

// ---------------------------------------------------------------------------
// Filters.

TEST_F(SearchCliTest, InstitutionFilterFindsNamesAsPeopleTypeThem) {
  EXPECT_EQ(IdsOf({"--institution", "tsinghua UNIVERSITY"}),
            (IdSet{"2025/TideKV", "2024/SparrowAttn", "2025/EvictBench"}));
  // A name finds the names that contain its words, and says so.
  RunResult raw;
  json j = SearchJson({"--institution", "Tsinghua"}, &raw);
  EXPECT_EQ(raw.exit_code, 0);
  IdList ids = Ids(j);
  EXPECT_EQ(IdSet(ids.begin(), ids.end()),
            (IdSet{"2025/TideKV", "2024/SparrowAttn", "2025/EvictBench"}));
  EXPECT_NE(raw.err.find("--institution 'Tsinghua' also finds Tsinghua "
                         "University (contains)"),
            std::string::npos)
      << raw.err;
  // Part of a word is not a word.
  json none = SearchJson({"--institution", "Tsing"}, &raw);
  EXPECT_EQ(raw.exit_code, 1);
}

TEST_F(SearchCliTest, RepeatedOptionOrsDifferentOptionsAnd) {
  EXPECT_EQ(
      IdsOf({"--institution", "Tsinghua University", "--institution", "MIT"}),
      (IdSet{"2025/TideKV", "2024/SparrowAttn", "2025/EvictBench",
             "2023/LanternSpec"}));
  EXPECT_EQ(IdsOf({"--venue", "ICML", "--year", "2025"}),
            (IdSet{"2025/TideKV", "2025/EvictBench"}));
  EXPECT_EQ(IdsOf({"--institution", "Peking University", "--year", "2024",
                   "--has-note"}),
            (IdSet{"2024/QuillQuant", "2024/QuietExperts"}));
  EXPECT_EQ(IdsOf({"cache", "--institution", "MIT"}),
            (IdSet{"2025/EvictBench", "2023/LanternSpec"}));
}

// `papersearch --venue ICML kv cache` searches "kv cache" at ICML: a filter
// option takes one value, and the words after it are the query (CLI11 lets
// a list option swallow every argument up to the next option unless told
// not to; "kv cache" then became a second venue).
TEST_F(SearchCliTest, AFilterOptionTakesOneValueAndTheWordsAfterItAreTheQuery) {
  EXPECT_EQ(IdsOf({"--institution", "MIT", "cache"}),
            (IdSet{"2025/EvictBench", "2023/LanternSpec"}));
  for (const std::vector<std::string>& option :
       std::vector<std::vector<std::string>>{{"--institution", "MIT"},
                                             {"--venue", "ICML"},
                                             {"--year", "2020..2030"},
                                             {"--keyword", "kv_cache_sparse"},
                                             {"--author", "Lin Zhao"}}) {
    std::vector<std::string> args = option;
    args.insert(args.end(), {"kv", "cache"});
    RunResult raw;
    json j = SearchJson(args, &raw);
    EXPECT_EQ(j.value("query", ""), "kv cache") << option[0];
    EXPECT_EQ(raw.err.find("no " + option[0].substr(2)), std::string::npos)
        << raw.err;
  }
}

TEST_F(SearchCliTest, VenueFilterMergesSpellings) {
  EXPECT_EQ(IdsOf({"--venue", "github"}),
            (IdSet{"2024/QuillQuant", "2024/SparrowAttn"}));
  EXPECT_EQ(IdsOf({"--venue", "GITHUB"}),
            (IdSet{"2024/QuillQuant", "2024/SparrowAttn"}));
  EXPECT_EQ(IdsOf({"--venue", "arxiv"}), IdSet{"2025/PagedPool"});
}

TEST_F(SearchCliTest, YearFilter) {
  EXPECT_EQ(IdsOf({"--year", "2023..2024"}),
            (IdSet{"2023/LanternSpec", "2024/QuillQuant", "2024/SparrowAttn",
                   "2024/QuietExperts"}));
  EXPECT_EQ(IdsOf({"--year", "2022", "--year", "2023"}),
            (IdSet{"2022/OldPrune", "2023/LanternSpec"}));
  EXPECT_EQ(IdsOf({"--year", "..2022"}), IdSet{"2022/OldPrune"});
  RunResult bad = Search({"--year", "20x4"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--year"), std::string::npos);
}

TEST_F(SearchCliTest, KeywordAuthorNoteCodeFilters) {
  EXPECT_EQ(IdsOf({"--keyword", "kv_cache_sparse"}),
            (IdSet{"2025/TideKV", "2025/EvictBench"}));
  EXPECT_EQ(IdsOf({"--keyword", "KV cache sparse"}),
            (IdSet{"2025/TideKV", "2025/EvictBench"}));
  EXPECT_EQ(IdsOf({"--author", "ada park"}),
            (IdSet{"2025/TideKV", "2024/QuietExperts"}));
  EXPECT_EQ(IdsOf({"--has-note", "--limit", "all"}),
            (IdSet{"2025/TideKV", "2024/QuillQuant", "2023/LanternSpec",
                   "2025/PagedPool", "2025/EvictBench", "2024/QuietExperts"}));
  EXPECT_EQ(IdsOf({"--has-code"}),
            (IdSet{"2025/TideKV", "2024/QuillQuant", "2023/LanternSpec",
                   "2025/PagedPool"}));
  EXPECT_EQ(IdsOf({"--has-code", "--keyword", "speculative_decoding",
                   "--author", "Sofia Rossi"}),
            IdSet{"2023/LanternSpec"});
}

// The examples --help ends with are commands that work: each runs through
// the shell as shown (`papersearch` standing for the binary, on the fixture
// database), without a usage error.
TEST_F(SearchCliTest, HelpExamplesRun) {
  RunResult help = Search({"--help"});
  ASSERT_EQ(help.exit_code, 0);
  const std::string heading = "\nExamples:\n";
  const size_t at = help.out.find(heading);
  ASSERT_NE(at, std::string::npos) << help.out;
  std::istringstream lines(help.out.substr(at + heading.size()));
  TempDir cwd;
  int examples = 0;
  for (std::string line; std::getline(lines, line);) {
    const std::string program = "  papersearch ";
    ASSERT_EQ(line.rfind(program, 0), 0u) << line;
    ++examples;
    const std::string command =
        "\"$PAPERSEARCH\" " + line.substr(program.size());
    RunOptions options;
    options.cwd = cwd.path();
    options.env = {{"PAPERSEARCH", testing::PapersearchBin()},
                   {"PAPERSEARCH_DB", db_}};
    RunResult r =
        RunProgram({"/bin/bash", "-o", "pipefail", "-c", command}, options);
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1)
        << line << "\nexit " << r.exit_code << ": " << r.err;
  }
  EXPECT_GE(examples, 3);
}

TEST_F(SearchCliTest, UnknownValueSuggestsClosestAndFindsNothing) {
  RunResult raw;
  json j = SearchJson({"--institution", "Tsinghua Univ"}, &raw);
  EXPECT_EQ(raw.exit_code, 1);
  EXPECT_EQ(j["total"], 0);
  EXPECT_NE(raw.err.find("no institution 'Tsinghua Univ'"), std::string::npos)
      << raw.err;
  EXPECT_NE(raw.err.find("did you mean 'Tsinghua University'"),
            std::string::npos)
      << raw.err;
  ASSERT_TRUE(j["suggestion"].is_string());
  EXPECT_NE(j["suggestion"].get<std::string>().find("Tsinghua University"),
            std::string::npos);

  RunResult venue = Search({"--venue", "ICLM"});
  EXPECT_EQ(venue.exit_code, 1);
  EXPECT_NE(venue.err.find("'ICML'"), std::string::npos) << venue.err;
  RunResult year = Search({"--year", "2031"});
  EXPECT_EQ(year.exit_code, 1);
  EXPECT_NE(year.err.find("no papers from 2031 in the index; its papers are "
                          "from 2022 to 2025\n"),
            std::string::npos)
      << year.err;
  RunResult range = Search({"--year", "24..25"});
  EXPECT_EQ(range.exit_code, 1);
  EXPECT_NE(range.err.find("no papers from 24..25 in the index; its papers "
                           "are from 2022 to 2025\n"),
            std::string::npos)
      << range.err;
}

TEST_F(SearchCliTest, UnknownValueBesideAKnownOneStillSearches) {
  RunResult raw;
  json j = SearchJson(
      {"--institution", "Nowhere Institute", "--institution", "MIT"}, &raw);
  EXPECT_EQ(raw.exit_code, 0);
  EXPECT_EQ(j["total"], 2);
  EXPECT_NE(raw.err.find("Nowhere Institute"), std::string::npos);
}

// ---------------------------------------------------------------------------
// Facets, counted independently from the fixture files.

struct FixturePaper {
  std::string id;
  efficient_paper::PaperInfo info;
};

std::vector<FixturePaper> ReadFixture() {
  std::vector<FixturePaper> papers;
  for (const auto& entry :
       fs::recursive_directory_iterator(FixtureRoot() / "meta")) {
    if (entry.path().extension() != ".prototxt") continue;
    FixturePaper paper;
    paper.id = entry.path().parent_path().filename().string() + "/" +
               entry.path().stem().string();
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
        testing::ReadFile(entry.path()), &paper.info))
        << entry.path();
    papers.push_back(paper);
  }
  return papers;
}

using Counts = std::map<std::string, int>;

struct FacetCounts {
  Counts institution, venue, year, keyword;
};

FacetCounts CountByHand(const std::vector<FixturePaper>& papers,
                        const IdSet& ids) {
  FacetCounts counts;
  for (const FixturePaper& paper : papers) {
    if (!ids.count(paper.id)) continue;
    for (const std::string& inst : paper.info.paper().institutions()) {
      ++counts.institution[schema::FoldForFilter(inst)];
    }
    std::string venue = paper.info.pub().where();
    ++counts.venue[schema::FoldForFilter(venue.empty() ? "arXiv" : venue)];
    ++counts.year[std::to_string(paper.info.pub().year())];
    for (int word : paper.info.keyword().words()) {
      ++counts.keyword[efficient_paper::Keyword::Word_Name(
          static_cast<efficient_paper::Keyword::Word>(word))];
    }
  }
  return counts;
}

Counts FromJson(const json& facet) {
  Counts counts;
  for (const json& entry : facet) {
    counts[schema::FoldForFilter(entry["value"].get<std::string>())] =
        entry["count"];
  }
  return counts;
}

TEST_F(SearchCliTest, FacetsCountEveryMatchNotJustThePage) {
  std::vector<FixturePaper> papers = ReadFixture();
  ASSERT_EQ(papers.size(), 8u);
  struct Case {
    std::vector<std::string> args;
  };
  for (const Case& c : std::vector<Case>{{{"--limit", "1"}},
                                         {{"--year", "2024", "--limit", "0"}},
                                         {{"cache", "--limit", "2"}},
                                         {{"--venue", "github"}}}) {
    SCOPED_TRACE(c.args[0]);
    std::vector<std::string> all_args = c.args;
    all_args.erase(std::remove(all_args.begin(), all_args.end(), "1"),
                   all_args.end());
    // The match set, from a run that returns every match.
    std::vector<std::string> every = c.args;
    for (size_t i = 0; i + 1 < every.size(); ++i) {
      if (every[i] == "--limit") every[i + 1] = "all";
    }
    if (std::find(every.begin(), every.end(), "--limit") == every.end()) {
      every.insert(every.end(), {"--limit", "all"});
    }
    json everything = SearchJson(every);
    IdList all = Ids(everything);
    json page = SearchJson(c.args);
    EXPECT_EQ(page["total"], all.size());
    // Facets count the papers that match every word.
    IdSet full;
    for (const json& hit : everything["results"]) {
      if (!hit["partial"].get<bool>()) full.insert(hit["id"]);
    }
    EXPECT_EQ(page["total_all_words"], full.size());
    FacetCounts expected = CountByHand(papers, full);
    EXPECT_EQ(FromJson(page["facets"]["institution"]), expected.institution);
    EXPECT_EQ(FromJson(page["facets"]["venue"]), expected.venue);
    EXPECT_EQ(FromJson(page["facets"]["year"]), expected.year);
    EXPECT_EQ(FromJson(page["facets"]["keyword"]), expected.keyword);
  }
}

TEST_F(SearchCliTest, FacetShowsOneSpellingForMergedValues) {
  json j = SearchJson({"--venue", "github"});
  ASSERT_EQ(j["facets"]["venue"].size(), 1u);
  EXPECT_EQ(j["facets"]["venue"][0]["count"], 2);
  std::string shown = j["facets"]["venue"][0]["value"];
  EXPECT_TRUE(shown == "Github" || shown == "github") << shown;
}

TEST_F(SearchCliTest, TextShowsFacetsOnlyWhenAsked) {
  RunResult plain = Search({"cache", "--color", "never"});
  EXPECT_EQ(plain.out.find("institutions:"), std::string::npos);
  RunResult facets = Search({"cache", "--facets", "--color", "never"});
  EXPECT_NE(facets.out.find("institutions:"), std::string::npos);
  EXPECT_NE(facets.out.find("Tsinghua University (2)"), std::string::npos)
      << facets.out;
  // Without --facets they are not counted at all, and nothing else changes:
  // the same total and results, the facets only appended.
  EXPECT_TRUE(facets.out.starts_with(plain.out)) << plain.out << facets.out;
}

// ---------------------------------------------------------------------------
// Paging and sorting.

TEST_F(SearchCliTest, LimitAndOffset) {
  json j = SearchJson({"--limit", "3", "--offset", "2"});
  EXPECT_EQ(Ids(j),
            (IdList{"2025/TideKV", "2024/QuietExperts", "2024/QuillQuant"}));
  EXPECT_EQ(j["results"][0]["rank"], 3);
  EXPECT_EQ(j["offset"], 2);
  EXPECT_EQ(j["total"], 8);
  EXPECT_EQ(Ids(SearchJson({})).size(), 8u);  // fewer than the default 10
  RunResult past = Search({"--offset", "50"});
  EXPECT_EQ(past.exit_code, 0) << "matches exist, just not on this page";
  EXPECT_EQ(Search({"--limit", "-1"}).exit_code, 2);
}

TEST_F(SearchCliTest, SortOrders) {
  IdList by_rating = Ids(SearchJson({"--sort", "rating", "--limit", "all"}));
  ASSERT_EQ(by_rating.size(), 8u);
  EXPECT_EQ(by_rating[0], "2023/LanternSpec");
  IdList by_updated = Ids(SearchJson({"--sort", "updated"}));
  EXPECT_EQ(by_updated[0], "2025/PagedPool");
  EXPECT_EQ(by_updated[1], "2025/EvictBench");
  IdList by_year = Ids(SearchJson({"cache", "--sort", "year", "--all-words"}));
  ASSERT_FALSE(by_year.empty());
  EXPECT_EQ(by_year.back(), "2023/LanternSpec");
  EXPECT_EQ(Search({"--sort", "banana"}).exit_code, 2);
}

// ---------------------------------------------------------------------------
// Output formats.

TEST_F(SearchCliTest, IdsFormat) {
  RunResult r = Search({"kv cache eviction", "--format", "ids", "--all-words"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(r.out == "2025/TideKV\n2025/EvictBench\n" ||
              r.out == "2025/EvictBench\n2025/TideKV\n")
      << r.out;
}

TEST_F(SearchCliTest, MarkdownIsTheSeedTable) {
  RunResult r = Search({"EvictBench", "--format", "markdown", "--limit", "1"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "| Meta | Title | Authors | Cover | Publish | Code | Note |\n"
            "|:-----|:------|:--------|:------|:--------|:-----|:-----|\n"
            "| [EvictBench](./meta/2025/EvictBench.prototxt) | "
            "[EvictBench: A Benchmark for Cache Eviction "
            "Policies](https://arxiv.org/abs/2599.00007) | "
            "Sofia Rossi, Lin Zhao |  | "
            "![Publish](https://img.shields.io/badge/2025-ICML-FF8C00) |  | "
            "[note](./notes/2025/EvictBench/note.md) |\n");
}

TEST_F(SearchCliTest, MarkdownGroupedLikeTheSeed) {
  RunResult r = Search({"--venue", "ICML", "--group-by", "institution"});
  EXPECT_EQ(r.exit_code, 0);
  const std::string& out = r.out;
  EXPECT_EQ(out.rfind("<details open><summary>\n\n### institution\n"
                      "</summary> \n<p>\n\n",
                      0),
            0u)
      << out;
  size_t mit = out.find("<summary><b>MIT</b>");
  size_t moonshot = out.find("<summary><b>Moonshot Lab</b>");
  size_t tsinghua = out.find("<summary><b>Tsinghua University</b>");
  ASSERT_NE(mit, std::string::npos);
  ASSERT_NE(moonshot, std::string::npos);
  ASSERT_NE(tsinghua, std::string::npos);
  EXPECT_LT(mit, moonshot);
  EXPECT_LT(moonshot, tsinghua);
  // TideKV is listed under each of its two institutions.
  size_t first = out.find("[TideKV](./meta/2025/TideKV.prototxt)");
  ASSERT_NE(first, std::string::npos);
  EXPECT_NE(out.find("[TideKV](./meta/2025/TideKV.prototxt)", first + 1),
            std::string::npos);
  EXPECT_TRUE(out.ends_with("</p>\n</details>\n\n"));
  // Grouping means Markdown; any other format is a usage error.
  EXPECT_EQ(Search({"--group-by", "institution", "--json"}).exit_code, 2);
  EXPECT_EQ(Search({"--group-by", "planet"}).exit_code, 2);
}

TEST_F(SearchCliTest, MarkdownGroupedByAuthor) {
  RunResult r = Search({"--group-by", "author"});
  EXPECT_EQ(r.exit_code, 0);
  const std::string& out = r.out;
  // Each author heads one group, in name order, and lists every paper they
  // wrote: Lin Zhao wrote EvictBench and TideKV; Ada Park, QuietExperts
  // and TideKV.
  auto group = [&](const std::string& name) {
    size_t begin = out.find("<summary><b>" + name + "</b>");
    size_t end = out.find("</details>", begin);
    EXPECT_NE(begin, std::string::npos) << name << "\n" << out;
    return begin == std::string::npos ? std::string()
                                      : out.substr(begin, end - begin);
  };
  std::string ada = group("Ada Park");
  std::string lin = group("Lin Zhao");
  EXPECT_NE(ada.find("[QuietExperts]"), std::string::npos) << ada;
  EXPECT_NE(ada.find("[TideKV]"), std::string::npos) << ada;
  EXPECT_EQ(ada.find("[EvictBench]"), std::string::npos) << ada;
  EXPECT_NE(lin.find("[EvictBench]"), std::string::npos) << lin;
  EXPECT_NE(lin.find("[TideKV]"), std::string::npos) << lin;
  EXPECT_EQ(lin.find("[QuietExperts]"), std::string::npos) << lin;
  EXPECT_LT(out.find("<b>Ada Park</b>"), out.find("<b>Lin Zhao</b>"));
}

TEST_F(SearchCliTest, TextOutputShowsEachField) {
  RunResult r = Search({"tidal", "--color", "never"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* expected :
       {"1 paper", "1. TideKV: ", "ICML 2025", "Tsinghua University",
        "https://arxiv.org/abs/2599.00001", "https://github.com/example/tidekv",
        "notes/2025/TideKV/note.md", "[Tidal]"}) {
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected << "\n"
                                                       << r.out;
  }
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
}

// ---------------------------------------------------------------------------
// Colour.

// Runs papersearch with stdout on a pseudo-terminal; returns what it printed.
std::string RunOnTerminal(const std::vector<std::string>& args, bool no_color) {
  int master = -1;
  pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  if (pid == 0) {
    unsetenv("NO_COLOR");
    if (no_color) setenv("NO_COLOR", "1", 1);
    setenv("TERM", "xterm", 1);
    std::vector<char*> argv;
    for (const std::string& arg : args)
      argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  std::string out;
  char buffer[4096];
  while (true) {
    ssize_t n = read(master, buffer, sizeof buffer);
    if (n <= 0) break;  // EIO once the child has exited
    out.append(buffer, n);
  }
  close(master);
  int status = 0;
  waitpid(pid, &status, 0);
  return out;
}

TEST_F(SearchCliTest, ColourOnlyOnATerminalUnlessForced) {
  std::vector<std::string> args = {testing::PapersearchBin(), "--db", db_,
                                   "tidal"};
  EXPECT_NE(RunOnTerminal(args, false).find("\x1b[1;31m"), std::string::npos);
  EXPECT_EQ(RunOnTerminal(args, true).find('\x1b'), std::string::npos)
      << "NO_COLOR is respected";
  std::vector<std::string> never = args;
  never.push_back("--color=never");
  EXPECT_EQ(RunOnTerminal(never, false).find('\x1b'), std::string::npos);

  // Through a pipe: no colour unless --color always.
  EXPECT_EQ(Search({"tidal"}).out.find('\x1b'), std::string::npos);
  RunResult forced = Search({"tidal", "--color", "always"});
  EXPECT_NE(forced.out.find("\x1b[1;31mTidal\x1b[0m"), std::string::npos)
      << forced.out;
  EXPECT_EQ(Search({"tidal", "--color", "sometimes"}).exit_code, 2);
}

// ---------------------------------------------------------------------------
// A closed pipe.

TEST_F(SearchCliTest, ClosedPipeIsNotAnError) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], STDOUT_FILENO);
    close(fds[1]);
    int null = open("/dev/null", O_WRONLY);
    dup2(null, STDERR_FILENO);
    // Default SIGPIPE disposition, as a shell gives it.
    signal(SIGPIPE, SIG_DFL);
    execl(testing::PapersearchBin().c_str(), "papersearch", "--db", db_.c_str(),
          "--limit", "all", "--color", "never", "cache",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  // Like `| head -0`: the reader goes away before anything is written.
  close(fds[0]);
  close(fds[1]);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

// ---------------------------------------------------------------------------
// Finding the database.

TEST(SearchDatabaseTest, MissingDatabaseGivesTheCommandToBuildIt) {
  TempDir dir;
  testing::WriteFile(dir.path() / "meta/2025/X.prototxt", "paper {}\n");
  RunOptions options;
  options.cwd = dir.path() / "meta";
  options.unset_env = {"PAPERSEARCH_DB"};
  RunResult r = RunProgram({testing::PapersearchBin(), "kv"}, options);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty());
  std::string expected = "paperindex --root " + dir.path().string() + " --db " +
                         (dir.path() / ".papersearch/db").string();
  EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;

  RunResult explicit_db = RunProgram(
      {testing::PapersearchBin(), "--db", (dir.path() / "nope").string(), "kv"},
      options);
  EXPECT_EQ(explicit_db.exit_code, 2);
  EXPECT_NE(explicit_db.err.find("--db " + (dir.path() / "nope").string()),
            std::string::npos)
      << explicit_db.err;
}

TEST(SearchDatabaseTest, WrongSchemaVersionSaysRebuild) {
  TempDir dir;
  std::string db = (dir.path() / "db").string();
  {
    Xapian::WritableDatabase writable(db, Xapian::DB_CREATE_OR_OPEN);
    writable.set_metadata(schema::kVersionKey, "999");
    writable.add_document(Xapian::Document());
    writable.commit();
  }
  RunResult r = RunProgram({testing::PapersearchBin(), "--db", db, "kv"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("999"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("paperindex --full --db " + db), std::string::npos)
      << r.err;
}

TEST(SearchDatabaseTest, FoundByWalkingUpAndThroughTheEnvironment) {
  TempDir dir;
  fs::path db = dir.path() / "coll" / ".papersearch" / "db";
  RunResult indexed =
      RunProgram({testing::PaperindexBin(), "--root", FixtureRoot().string(),
                  "--db", db.string(), "--quiet"});
  ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
  fs::create_directories(dir.path() / "coll/a/b");

  RunOptions walk;
  walk.cwd = dir.path() / "coll/a/b";
  walk.unset_env = {"PAPERSEARCH_DB"};
  RunResult found =
      RunProgram({testing::PapersearchBin(), "tidal", "--format", "ids"}, walk);
  EXPECT_EQ(found.exit_code, 0) << found.err;
  EXPECT_EQ(found.out, "2025/TideKV\n");

  RunOptions env;
  env.cwd = dir.path();
  env.env = {{"PAPERSEARCH_DB", db.string()}};
  RunResult from_env =
      RunProgram({testing::PapersearchBin(), "tidal", "--format", "ids"}, env);
  EXPECT_EQ(from_env.exit_code, 0) << from_env.err;

  // --db wins over the environment.
  env.env = {{"PAPERSEARCH_DB", (dir.path() / "missing").string()}};
  RunResult explicit_db = RunProgram({testing::PapersearchBin(), "--db",
                                      db.string(), "tidal", "--format", "ids"},
                                     env);
  EXPECT_EQ(explicit_db.exit_code, 0) << explicit_db.err;
}

// A synonyms.txt beside the database (in .papersearch/ by default) and the
// file $PAPERSEARCH_SYNONYMS names add groups to the built-in ones, however
// the database was found; a malformed line is named by file and line.
TEST(SearchDatabaseTest, UsersSynonymsBesideTheDatabaseAndFromTheEnvironment) {
  TempDir dir;
  fs::path db = dir.path() / "coll" / ".papersearch" / "db";
  RunResult indexed =
      RunProgram({testing::PaperindexBin(), "--root", FixtureRoot().string(),
                  "--db", db.string(), "--quiet"});
  ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
  fs::create_directories(dir.path() / "coll/a/b");
  RunOptions walk;
  walk.cwd = dir.path() / "coll/a/b";
  walk.unset_env = {"PAPERSEARCH_DB", "PAPERSEARCH_SYNONYMS"};
  const std::vector<std::string> query = {testing::PapersearchBin(), "zzflood",
                                          "--format", "ids"};
  RunResult before = RunProgram(query, walk);
  EXPECT_EQ(before.exit_code, 1) << before.out << before.err;

  const fs::path beside = dir.path() / "coll/.papersearch/synonyms.txt";
  testing::WriteFile(beside, "zzflood, tidal\nlonely\n");
  for (const RunOptions& found_by :
       {walk, RunOptions{.cwd = dir.path() / "coll",
              .env = {{"PAPERSEARCH_DB", ".papersearch/db"}},
              .unset_env = {"PAPERSEARCH_SYNONYMS"},
              .stdin_data = {}}}) {
    RunResult after = RunProgram(query, found_by);
    EXPECT_EQ(after.exit_code, 0) << after.err;
    EXPECT_EQ(after.out, "2025/TideKV\n");
    EXPECT_NE(after.err.find(beside.string() +
                             ":2: a synonym group needs at least two"),
              std::string::npos)
        << after.err;
  }

  const fs::path env_file = dir.path() / "mine.txt";
  testing::WriteFile(env_file, "zzwave, tidal\n");
  RunOptions env = walk;
  env.unset_env = {"PAPERSEARCH_DB"};
  env.env = {{"PAPERSEARCH_SYNONYMS", env_file.string()}};
  RunResult from_env =
      RunProgram({testing::PapersearchBin(), "zzwave", "--format", "ids"}, env);
  EXPECT_EQ(from_env.exit_code, 0) << from_env.err;
  EXPECT_EQ(from_env.out, "2025/TideKV\n");
}

// Users add aliases as they add synonyms: aliases.txt beside the database
// and the file $PAPERSEARCH_ALIASES names. An alias then finds its names in
// --institution, inst: in the query and a bare query, and --explain and
// --json say it was read as an alias.
TEST(SearchDatabaseTest, UsersAliasesBesideTheDatabaseAndFromTheEnvironment) {
  TempDir dir;
  fs::path db = dir.path() / "coll" / ".papersearch" / "db";
  RunResult indexed =
      RunProgram({testing::PaperindexBin(), "--root", FixtureRoot().string(),
                  "--db", db.string(), "--quiet"});
  ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
  RunOptions in_collection;
  in_collection.cwd = dir.path() / "coll";
  in_collection.unset_env = {"PAPERSEARCH_DB", "PAPERSEARCH_ALIASES"};
  auto Sorted = [](const std::string& lines) {
    std::vector<std::string> sorted = testing::Lines(lines);
    std::sort(sorted.begin(), sorted.end());
    std::string out;
    for (const std::string& line : sorted) out += line + "\n";
    return out;
  };
  auto ids = [&](std::vector<std::string> args, const RunOptions& options) {
    args.insert(args.begin(), testing::PapersearchBin());
    args.insert(args.end(), {"--format", "ids", "--limit", "all"});
    return RunProgram(args, options);
  };
  // The fixture's Tsinghua University papers, from the records.
  const std::string tsinghua =
      "2024/SparrowAttn\n2025/EvictBench\n2025/TideKV\n";
  RunResult before = ids({"--institution", "Tsing Hua U"}, in_collection);
  EXPECT_EQ(before.exit_code, 1) << before.out << before.err;

  const fs::path beside = dir.path() / "coll/.papersearch/aliases.txt";
  testing::WriteFile(beside,
                     "# ours\n"
                     "institution: Tsing Hua U = Tsinghua University\n"
                     "institution Tsinghua\n"
                     "planet: Mars = Red Planet\n");
  RunResult filtered = ids({"--institution", "tsing hua u"}, in_collection);
  EXPECT_EQ(filtered.exit_code, 0) << filtered.err;
  EXPECT_EQ(Sorted(filtered.out), tsinghua);
  EXPECT_NE(filtered.err.find(beside.string() + ":3: expected"),
            std::string::npos)
      << filtered.err;
  EXPECT_NE(filtered.err.find(beside.string() + ":4: unknown kind 'planet'"),
            std::string::npos)
      << filtered.err;
  RunResult in_query = ids({"inst:\"Tsing Hua U\""}, in_collection);
  EXPECT_EQ(Sorted(in_query.out), tsinghua) << in_query.err;

  RunResult json_run = RunProgram(
      {testing::PapersearchBin(), "--institution", "Tsing Hua U", "--json"},
      in_collection);
  json parsed = json::parse(json_run.out);
  ASSERT_EQ(parsed["names"].size(), 1u) << json_run.out;
  EXPECT_EQ(parsed["names"][0]["found"][0]["name"], "Tsinghua University");
  EXPECT_EQ(parsed["names"][0]["found"][0]["how"], "alias");

  const fs::path env_file = dir.path() / "mine.txt";
  testing::WriteFile(env_file, "institution: TLab = Moonshot Lab\n");
  RunOptions env = in_collection;
  env.unset_env = {"PAPERSEARCH_DB"};
  env.env = {{"PAPERSEARCH_ALIASES", env_file.string()}};
  RunResult from_env = ids({"--institution", "tlab"}, env);
  EXPECT_EQ(from_env.exit_code, 0) << from_env.err;
  EXPECT_EQ(Sorted(from_env.out), "2025/PagedPool\n2025/TideKV\n");
  // A bare query that is a user's alias ranks its institution's papers
  // first, as a built-in alias does.
  RunResult bare = RunProgram(
      {testing::PapersearchBin(), "TLab", "--format", "ids", "--limit", "2"},
      env);
  EXPECT_EQ(Sorted(bare.out), "2025/PagedPool\n2025/TideKV\n") << bare.err;
}

TEST(SearchDatabaseTest, SearchesSucceedWhileTheIndexIsRebuilt) {
  TempDir dir;
  std::string db = (dir.path() / "db").string();
  std::vector<std::string> index = {testing::PaperindexBin(),
                                    "--root",
                                    FixtureRoot().string(),
                                    "--db",
                                    db,
                                    "--quiet"};
  ASSERT_EQ(RunProgram(index).exit_code, 0);
  pid_t writer = fork();
  if (writer == 0) {
    std::vector<char*> argv;
    for (const std::string& arg : index)
      argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    for (int i = 0; i < 8; ++i) {
      pid_t child = fork();
      if (child == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDERR_FILENO);
        execv(argv[0], argv.data());
        _exit(127);
      }
      int status;
      waitpid(child, &status, 0);
    }
    _exit(0);
  }
  for (int i = 0; i < 20; ++i) {
    RunResult r = RunProgram(
        {testing::PapersearchBin(), "--db", db, "cache", "--format", "ids"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  int status;
  waitpid(writer, &status, 0);
}

// NEAR and ADJ take single terms; a word with synonyms ("kv", "cache") is a
// group, and Xapian then dropped the whole query (every paper listed) or
// refused it (exit 2). Such a query runs without synonyms.
TEST_F(SearchCliTest, NearOverAWordWithSynonymsRunsWithoutThem) {
  for (const char* query : {"kv NEAR cache", "kv NEAR/3 eviction",
                            "cache ADJ eviction", "x NEAR cache"}) {
    RunResult raw;
    json j = SearchJson({query}, &raw);
    EXPECT_LE(raw.exit_code, 1) << query << ": " << raw.err;
    const std::string parsed = j["parsed_query"].get<std::string>();
    EXPECT_TRUE(parsed.find("NEAR") != std::string::npos ||
                parsed.find("PHRASE") != std::string::npos)
        << query << ": " << parsed;
  }
  EXPECT_FALSE(Ids(SearchJson({"kv NEAR cache"})).empty());
}

// Equal scores go by the year the paper id begins with, oldest first (as the
// ids sort), then by the id's hash (schema::TieKey), on every page, whatever
// the order of the document ids:
// a search answers alike from a fresh build and from an updated index,
// whose document ids may differ. Papers with the same title score alike:
// four "H" papers score higher for "common" than twelve "L" papers, half of
// each from 2025 and half from 2024; pages start and end inside runs of
// equal scores and between them.
TEST(TieOrderTest, EqualScoresGoByYearThenIdHashOnEveryPage) {
  TempDir dir;
  IdList high, low;
  for (int i = 0; i < 16; ++i) {
    char name[8];
    std::snprintf(name, sizeof name, "%s%02d", i < 4 ? "H" : "L",
                  i < 4 ? i : i - 4);
    const int year = i % 2 == 0 ? 2025 : 2024;
    const std::string id = std::to_string(year) + "/" + name;
    (i < 4 ? high : low).push_back(id);
    testing::WriteFile(
        dir.path() / "meta" / (id + ".prototxt"),
        std::string("paper {\n  title: \"") +
            (i < 4 ? "Tied common common" : "Tied common plus other words") +
            "\"\n}\npub {\n  year: " + std::to_string(year) + "\n}\n");
  }
  // The expected order, from the ids themselves: 2024 before 2025, then
  // by IdHash.
  auto tie_order = [](IdList ids) {
    std::sort(ids.begin(), ids.end(), [](const auto& a, const auto& b) {
      if (a.substr(0, 4) != b.substr(0, 4)) return a < b;
      return schema::IdHash(a) < schema::IdHash(b);
    });
    return ids;
  };
  high = tie_order(high);
  low = tie_order(low);
  // The test means something only if neither the document ids nor the ids
  // themselves are in that order.
  auto by_docid = [](IdList ids) {
    std::sort(ids.begin(), ids.end(), [](const auto& a, const auto& b) {
      return schema::DocidFor(a) < schema::DocidFor(b);
    });
    return ids;
  };
  ASSERT_NE(by_docid(high), high);
  ASSERT_NE(by_docid(low), low);
  IdList sorted_low = low;
  std::sort(sorted_low.begin(), sorted_low.end());
  ASSERT_NE(sorted_low, low);
  const std::string db = (dir.path() / "db").string();
  RunResult indexed = RunProgram({testing::PaperindexBin(), "--root",
                                  dir.path().string(), "--db", db, "--quiet"});
  ASSERT_EQ(indexed.exit_code, 0) << indexed.err;

  IdList all = high;
  all.insert(all.end(), low.begin(), low.end());
  auto slice = [&](size_t offset, size_t limit) {
    return IdList(all.begin() + offset,
                  all.begin() + std::min(all.size(), offset + limit));
  };
  for (auto [offset, limit] : std::vector<std::pair<size_t, size_t>>{
           {0, 20}, {0, 4}, {2, 2}, {0, 3}, {4, 5}, {2, 5}, {15, 10}}) {
    SCOPED_TRACE("--offset " + std::to_string(offset) + " --limit " +
                 std::to_string(limit));
    RunResult r = RunProgram({testing::PapersearchBin(), "--db", db, "--json",
                              "--offset", std::to_string(offset), "--limit",
                              std::to_string(limit), "common"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json page = json::parse(r.out);
    IdList ids;
    for (const json& hit : page["results"]) {
      ids.push_back(hit["id"]);
      // The two runs of equal scores are what the titles make them.
      const json& first_of_run = page["results"][0];
      if ((hit["id"].get<std::string>()[5] == 'H') ==
          (first_of_run["id"].get<std::string>()[5] == 'H')) {
        EXPECT_EQ(hit["score"], first_of_run["score"]) << hit["id"];
      } else {
        EXPECT_LT(hit["score"], first_of_run["score"]) << hit["id"];
      }
    }
    EXPECT_EQ(ids, slice(offset, limit));
  }
}

// A wildcard searches at most kMaxWildcardWords of the words it matches,
// the most frequent, and says so when it matched more. Here each of 150
// papers has one word of its own, "zyx000" to "zyx149".
TEST(WildcardLimitTest, AWildcardOfTooManyWordsSearchesTheMostFrequent) {
  TempDir dir;
  for (int i = 0; i < 150; ++i) {
    char word[8];
    std::snprintf(word, sizeof word, "zyx%03d", i);
    testing::WriteFile(
        dir.path() / "meta/2024" / (std::string("P") + word + ".prototxt"),
        std::string("paper {\n  title: \"Method ") + word +
            "\"\n}\npub {\n  year: 2024\n}\n");
  }
  const std::string db = (dir.path() / "db").string();
  RunResult indexed = RunProgram({testing::PaperindexBin(), "--root",
                                  dir.path().string(), "--db", db, "--quiet"});
  ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
  auto search = [&](const std::string& query) {
    return RunProgram({testing::PapersearchBin(), "--db", db, "--format", "ids",
                       "--limit", "all", query});
  };
  RunResult all = search("zyx*");
  EXPECT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(std::count(all.out.begin(), all.out.end(), '\n'),
            kMaxWildcardWords);
  EXPECT_NE(all.err.find("'zyx*' matches more than 100 words; searched the "
                         "100 most frequent"),
            std::string::npos)
      << all.err;
  // zyx100 to zyx149: under the limit, every one, and nothing said.
  RunResult some = search("zyx1*");
  EXPECT_EQ(some.exit_code, 0) << some.err;
  EXPECT_EQ(std::count(some.out.begin(), some.out.end(), '\n'), 50);
  EXPECT_EQ(some.err, "");
}

// Over kFacetSample (2,000) matches, facet counts come from the first 2,000
// matches Xapian examines, scaled up. Those are a uniform sample only because
// document ids are hashes of paper ids: with ids in indexing order (here, by
// year) the sample would hold the oldest years and no 2023 or 2024 at all.
TEST(FacetSampleTest, LargeMatchSetsAreSampledUniformlyAndExactOnRequest) {
  constexpr int kPapers = 3000;
  // "common" one to ten times: papers of equal weight are all candidates for
  // the page (ties go by id), so a collection of equals would be examined
  // whole, as no real one is.
  auto Words = [](int n) {
    std::string words;
    for (int k = 0; k <= n; ++k) words += " common";
    return words;
  };
  TempDir dir;
  std::map<std::string, int> years, venues;  // the exact counts
  for (int i = 0; i < kPapers; ++i) {
    const int year = 2018 + i % 7;
    const std::string venue = "Venue" + std::to_string(i % 3);
    ++years[std::to_string(year)];
    ++venues[venue];
    char id[16];
    std::snprintf(id, sizeof id, "P%04d", i);
    testing::WriteFile(dir.path() / "meta" / std::to_string(year) /
                           (std::string(id) + ".prototxt"),
                       "paper {\n  title: \"Method " + std::to_string(i) +
                           Words(i % 10) + "\"\n}\npub {\n  where: \"" + venue +
                           "\"\n  year: " + std::to_string(year) + "\n}\n");
  }
  const std::string db = (dir.path() / "db").string();
  RunResult indexed = RunProgram({testing::PaperindexBin(), "--root",
                                  dir.path().string(), "--db", db, "--quiet"});
  ASSERT_EQ(indexed.exit_code, 0) << indexed.err;

  auto search = [&](std::vector<std::string> extra,
                    std::vector<std::string> query = {"common"}) {
    std::vector<std::string> argv = {testing::PapersearchBin(), "--db", db,
                                     "--json"};
    argv.insert(argv.end(), query.begin(), query.end());
    argv.insert(argv.end(), extra.begin(), extra.end());
    RunResult r = RunProgram(argv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  };
  auto counts = [](const json& facet) {
    std::map<std::string, int> out;
    for (const json& c : facet) out[c["value"]] = c["count"];
    return out;
  };

  json sampled = search({});
  EXPECT_FALSE(sampled["facets_are_exact"].get<bool>());
  EXPECT_EQ(sampled["facets_counted"], 2000);
  std::map<std::string, int> sampled_years = counts(sampled["facets"]["year"]);
  ASSERT_EQ(sampled_years.size(), years.size()) << sampled["facets"]["year"];
  for (const auto& [year, exact] : years) {
    // About 286 of each year in a sample of 2,000: a standard error near 5%.
    EXPECT_NEAR(sampled_years[year], exact, exact * 0.2) << year;
  }
  for (const auto& [venue, exact] : counts(sampled["facets"]["venue"])) {
    EXPECT_NEAR(exact, 1000, 200) << venue;
  }

  // Which sample: the first 2,000 matches in document id order, whatever
  // order the results are in; every paper matches here, so they are the
  // index's first 2,000 documents. Their years, read from the index, scaled
  // to the 3,000 matches and rounded to two significant digits:
  std::map<std::string, int> expected_years;
  {
    Xapian::Database index(db);
    std::map<std::string, int> first;
    int seen = 0;
    for (Xapian::PostingIterator it = index.postlist_begin("");
         it != index.postlist_end("") && seen < 2000; ++it, ++seen) {
      Xapian::Document doc = index.get_document(*it);
      Xapian::TermIterator term = doc.termlist_begin();
      term.skip_to(schema::prefix::kYearFilter);
      ASSERT_NE(term, doc.termlist_end());
      ++first[(*term).substr(1)];
    }
    for (const auto& [year, n] : first) {
      const double scaled = n * 3000.0 / 2000;  // 400 to 450 here
      expected_years[year] = static_cast<int>(std::lround(scaled / 10) * 10);
    }
  }
  EXPECT_EQ(sampled_years, expected_years);
  // The same sample when the results are ordered by a value, which makes
  // Xapian examine every match: newest first (no words) or --sort year.
  for (const json& ordered : {search({}, {}), search({"--sort", "year"}),
                              search({"--sort", "rating", "--limit", "3"})}) {
    EXPECT_TRUE(ordered["total_is_exact"].get<bool>());
    EXPECT_EQ(ordered["total"], kPapers);
    EXPECT_FALSE(ordered["facets_are_exact"].get<bool>());
    EXPECT_EQ(ordered["facets_counted"], 2000);
    EXPECT_EQ(counts(ordered["facets"]["year"]), expected_years);
  }

  json all = search({"--exact"});
  EXPECT_TRUE(all["facets_are_exact"].get<bool>());
  EXPECT_TRUE(all["total_is_exact"].get<bool>());
  EXPECT_EQ(all["total"], kPapers);
  EXPECT_EQ(all["facets_counted"], kPapers);
  EXPECT_EQ(counts(all["facets"]["year"]), years);
  EXPECT_EQ(counts(all["facets"]["venue"]), venues);

  // Text output says the counts are estimates, and how to get exact ones.
  RunResult text = RunProgram({testing::PapersearchBin(), "--db", db,
                               "--facets", "--color", "never", "common"});
  EXPECT_NE(text.out.find("facet counts are estimates from a sample of"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("--exact"), std::string::npos);
}

// A filter option given one value keeps only papers with it, so that value's
// count is the total even when the counts are estimates; and no estimate is
// more than the total. Scaled from the sample and rounded to two digits,
// `--keyword quantization` once showed "quantization (13000)" for 12,854
// matches.
TEST(FacetSampleTest, FilterValuesCountEveryMatchAndNoCountExceedsTheTotal) {
  constexpr int kPapers = 2600;
  // Chosen so that rounding to two significant digits moves each count:
  // 2,237 -> 2,200, 2,251 -> 2,300, 2,333 -> 2,300.
  constexpr int kIcml = 2237, kYear2024 = 2251, kSparse = 2333;
  TempDir dir;
  for (int i = 0; i < kPapers; ++i) {
    const int year = i < kYear2024 ? 2024 : 2023;
    char id[16];
    std::snprintf(id, sizeof id, "P%04d", i);
    testing::WriteFile(
        dir.path() / "meta" / std::to_string(year) /
            (std::string(id) + ".prototxt"),
        "paper {\n  title: \"Method " + std::to_string(i) +
            "\"\n  institutions: \"" +
            (i < kYear2024 ? "Tsinghua University" : "Peking University") +
            "\"\n}\npub {\n  where: \"" + (i < kIcml ? "ICML" : "NeurIPS") +
            "\"\n  year: " + std::to_string(year) +
            "\n}\nkeyword {\n  words: " +
            (i < kSparse ? "sparse_pruning" : "quantization") + "\n}\n");
  }
  const std::string db = (dir.path() / "db").string();
  RunResult indexed = RunProgram({testing::PaperindexBin(), "--root",
                                  dir.path().string(), "--db", db, "--quiet"});
  ASSERT_EQ(indexed.exit_code, 0) << indexed.err;

  auto search = [&](std::vector<std::string> filters) {
    std::vector<std::string> argv = {
        testing::PapersearchBin(), "--db", db, "--json", "--limit", "1"};
    argv.insert(argv.end(), filters.begin(), filters.end());
    RunResult r = RunProgram(argv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  };
  auto count = [](const json& facet, const std::string& value) {
    for (const json& c : facet) {
      if (c["value"] == value) return c["count"].get<int>();
    }
    return -1;
  };

  // The filter's value (matched as the filter matches: any case, spaces
  // for underscores) counts every match.
  json icml = search({"--venue", "icml"});
  EXPECT_EQ(icml["total"], kIcml);
  EXPECT_TRUE(icml["total_is_exact"].get<bool>());
  EXPECT_FALSE(icml["facets_are_exact"].get<bool>());
  EXPECT_EQ(count(icml["facets"]["venue"], "ICML"), kIcml) << icml["facets"];
  // Every ICML paper is from 2024 too, but no filter says so: an estimate.
  EXPECT_EQ(count(icml["facets"]["year"], "2024"), 2200) << icml["facets"];

  json sparse = search({"--keyword", "Sparse Pruning"});
  EXPECT_EQ(sparse["total"], kSparse);
  EXPECT_FALSE(sparse["facets_are_exact"].get<bool>());
  EXPECT_EQ(count(sparse["facets"]["keyword"], "sparse_pruning"), kSparse)
      << sparse["facets"];

  // Rounded up, every 2024 paper's institution would read 2,300 of 2,251.
  json y2024 = search({"--year", "2024"});
  EXPECT_EQ(y2024["total"], kYear2024);
  EXPECT_FALSE(y2024["facets_are_exact"].get<bool>());
  EXPECT_EQ(count(y2024["facets"]["year"], "2024"), kYear2024);
  EXPECT_EQ(count(y2024["facets"]["institution"], "Tsinghua University"),
            kYear2024)
      << y2024["facets"];
  // The range of one year is that year.
  EXPECT_EQ(count(search({"--year", "2024..2024"})["facets"]["year"], "2024"),
            kYear2024);

  // Two values of one option: neither is in every match, both estimated,
  // and the order is by count.
  json both = search({"--venue", "ICML", "--venue", "NeurIPS"});
  EXPECT_EQ(both["total"], kPapers);
  EXPECT_FALSE(both["facets_are_exact"].get<bool>());
  const int icml_estimate = count(both["facets"]["venue"], "ICML");
  EXPECT_NEAR(icml_estimate, kIcml, 150) << both["facets"];
  EXPECT_NE(icml_estimate, kPapers);
  EXPECT_EQ(both["facets"]["venue"][0]["value"], "ICML");

  // No estimate is more than the total, in any facet of any of these.
  for (const json& result : {icml, sparse, y2024, both}) {
    for (const auto& [facet, counts] : result["facets"].items()) {
      for (const json& c : counts) {
        EXPECT_LE(c["count"].get<int>(), result["total"].get<int>())
            << facet << " " << c;
      }
    }
  }

  // Text shows the same counts.
  RunResult text =
      RunProgram({testing::PapersearchBin(), "--db", db, "--facets", "--color",
                  "never", "--venue", "ICML"});
  EXPECT_NE(text.out.find("ICML (2237)"), std::string::npos) << text.out;
}

TEST(SearchUsageTest, BadFlagsAreExitTwoAndHelpIsExitZero) {
  RunResult bad = RunProgram({testing::PapersearchBin(), "--frobnicate"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_FALSE(bad.err.empty());
  RunResult help = RunProgram({testing::PapersearchBin(), "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--institution"), std::string::npos);
  EXPECT_NE(help.out.find("--version"), std::string::npos);
}

// Usage errors read like papersearch's other errors: the program's name,
// what is wrong, the closest option when one was misspelt, and where help is.
TEST(SearchUsageTest, UsageErrorsNameTheFix) {
  const std::string help = "Run 'papersearch --help' for usage.\n";
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--instituion", "MIT", "kv cache"},
       "papersearch: unknown option '--instituion'; did you mean "
       "'--institution'?\n"},
      {{"kv", "--inst=MIT"},
       "papersearch: unknown option '--inst'; did you mean '--institution'?\n"},
      {{"--years", "2024"},
       "papersearch: unknown option '--years'; did you mean '--year'?\n"},
      {{"--frobnicate", "--lmit", "3"},
       "papersearch: unknown option '--frobnicate'\n"
       "papersearch: unknown option '--lmit'; did you mean '--limit'?\n"},
      {{"kv", "--venue"}, "papersearch: --venue needs a value\n"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> argv{testing::PapersearchBin()};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    RunResult r = RunProgram(argv);
    EXPECT_EQ(r.exit_code, 2) << c.message;
    EXPECT_EQ(r.err, c.message + help);
    EXPECT_EQ(r.out, "");
  }
}

TEST(SearchUsageTest, VersionNamesTheDatabaseSchema) {
  for (const std::string& bin :
       {testing::PapersearchBin(), testing::PaperindexBin()}) {
    RunResult version = RunProgram({bin, "--version"});
    EXPECT_EQ(version.exit_code, 0) << bin;
    EXPECT_TRUE(version.err.empty()) << version.err;
    const std::string name = bin.substr(bin.rfind('/') + 1);
    EXPECT_EQ(version.out.rfind(name + " ", 0), 0u) << version.out;
    EXPECT_NE(version.out.find("(database schema " +
                               std::to_string(schema::kVersion) + ")"),
              std::string::npos)
        << version.out;
  }
}

}  // namespace
}  // namespace papersearch
