// The fixture of the hostile-collection tests (tests/hostile_*_test.cc):
// collections written by hand, by scripts and by accident. The real
// paperindex indexes a good collection (tests/fixtures/mini), then again
// after a test adds hostile files. Each test checks that the run ends with a
// clear message naming the file, that the rest is indexed, that every paper
// indexed before is still found, and that time and memory stay bounded.
//
// Bounds (Release build; scaled below for Debug and sanitizer builds): a
// reindex with one hostile file takes under 5 s, a 50 MB note under 20 s;
// no program a test runs goes above 512 MB of resident memory.
#ifndef PAPERSEARCH_TESTS_SUPPORT_HOSTILE_COLLECTION_H_
#define PAPERSEARCH_TESTS_SUPPORT_HOSTILE_COLLECTION_H_

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace papersearch::testing {

// Unoptimised and sanitized builds are slower and bigger; the bounds stated
// above are for Release.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr double kSlowdown = 12;
inline constexpr long kExtraMb = 1536;  // shadow memory and quarantine
#elif !defined(NDEBUG)
inline constexpr double kSlowdown = 4;
inline constexpr long kExtraMb = 0;
#else
inline constexpr double kSlowdown = 1;
inline constexpr long kExtraMb = 0;
#endif

inline constexpr double kReindexSeconds = 5;
inline constexpr double kHugeNoteSeconds = 20;
inline constexpr long kMaxRssMb = 512;

// Every paper of tests/fixtures/mini.
inline const std::vector<std::string> kFixtureIds = {
    "2022/OldPrune",   "2023/LanternSpec", "2024/QuietExperts",
    "2024/QuillQuant", "2024/SparrowAttn", "2025/EvictBench",
    "2025/PagedPool",  "2025/TideKV"};

// The largest resident set of any child this process has waited for, in MB.
inline long PeakChildRssMb() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  return usage.ru_maxrss / 1024;
}

class HostileCollection : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::CopyTree(testing::SourceDir() / "tests/fixtures/mini", root_);
    RunResult first = Index();
    ASSERT_EQ(first.exit_code, 0) << first.err;
    ASSERT_EQ(Report()["papers"], kFixtureIds.size());
  }

  // Runs paperindex on the collection (incremental after SetUp), timing it.
  RunResult Index(const std::vector<std::string>& prefix = {}) {
    std::vector<std::string> argv = prefix;
    argv.insert(argv.end(), {PaperindexBin(), "--root", root_.string(), "--db",
                             db_.string(), "--report", report_.string()});
    auto start = std::chrono::steady_clock::now();
    RunResult result = testing::Run(argv);
    seconds_ =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    return result;
  }

  nlohmann::json Report() const {
    return nlohmann::json::parse(testing::ReadFile(report_));
  }

  // Ids papersearch returns for `query` (every paper for ""), in rank order.
  std::vector<std::string> Ids(const std::string& query) const {
    RunResult r = testing::Run({PapersearchBin(), "--db", db_.string(),
                                "--format", "ids", "--limit", "all", query});
    EXPECT_LE(r.exit_code, 1) << r.err;
    std::vector<std::string> ids;
    std::string line;
    for (char c : r.out) {
      if (c == '\n') {
        ids.push_back(line);
        line.clear();
      } else {
        line += c;
      }
    }
    return ids;
  }

  bool Found(const std::string& query, const std::string& id) const {
    std::vector<std::string> ids = Ids(query);
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }

  // The papers indexed in SetUp are all still there and searchable by their
  // words and their notes' words.
  void ExpectFixtureStillFound() const {
    std::vector<std::string> all = Ids("");
    for (const std::string& id : kFixtureIds) {
      EXPECT_NE(std::find(all.begin(), all.end(), id), all.end()) << id;
    }
    EXPECT_TRUE(Found("TideKV", "2025/TideKV"));
    EXPECT_TRUE(Found("verification cache", "2023/LanternSpec"));
  }

  void ExpectBounded(double seconds = kReindexSeconds) const {
    std::cout << "[ measured ] reindex " << seconds_ << " s, peak RSS "
              << PeakChildRssMb() << " MB\n";
    EXPECT_LT(seconds_, seconds * kSlowdown) << "paperindex took " << seconds_;
    EXPECT_LT(PeakChildRssMb(), kMaxRssMb + kExtraMb);
  }

  // Writes a record with `title` at meta/YEAR/NAME.prototxt.
  void AddRecord(const std::string& id, const std::string& title) const {
    WriteFile(root_ / "meta" / (id + ".prototxt"),
              "paper {\n  title: \"" + title +
                  "\"\n}\npub {\n  year: " + id.substr(0, 4) + "\n}\n");
  }

  // A stderr line of the last run that names `file`, or "".
  static std::string LineNaming(const RunResult& r, const std::string& file) {
    size_t at = r.err.find(file);
    if (at == std::string::npos) return "";
    size_t begin = r.err.rfind('\n', at);
    begin = begin == std::string::npos ? 0 : begin + 1;
    return r.err.substr(begin, r.err.find('\n', at) - begin);
  }

  TempDir dir_;
  std::filesystem::path root_ = dir_.path() / "coll";
  std::filesystem::path db_ = dir_.path() / "db";
  std::filesystem::path report_ = dir_.path() / "report.json";
  double seconds_ = 0;
};

}  // namespace papersearch::testing

#endif  // PAPERSEARCH_TESTS_SUPPORT_HOSTILE_COLLECTION_H_
