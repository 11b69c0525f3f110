// End-to-end tests that need generated collections: equal scores in a
// stable order, wildcard limits, facet sampling.
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

}  // namespace
}  // namespace papersearch::testing
