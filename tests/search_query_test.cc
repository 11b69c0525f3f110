// End-to-end tests of the query language: all words then some, phrases,
// operators, wildcards, fields, keywords, years, Chinese, spelling.
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
#include "tests/support/search_fixture.h"
#include "tests/support/test_support.h"

namespace papersearch::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

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

}  // namespace
}  // namespace papersearch::testing
