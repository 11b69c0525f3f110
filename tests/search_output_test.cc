// End-to-end tests of papersearch's output: the JSON schema, paging and
// sorting, the ids, Markdown and text formats, colour and a closed pipe.
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

}  // namespace
}  // namespace papersearch::testing
