// End-to-end tests of filter options and facets, counted independently
// from the fixture files.
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

}  // namespace
}  // namespace papersearch::testing
