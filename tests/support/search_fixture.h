// The fixture of papersearch's end-to-end tests: the real paperindex builds a
// database from the hand-written collection tests/fixtures/mini once per
// test binary, and the tests run the real papersearch on it and parse its
// output.
#ifndef PAPERSEARCH_TESTS_SUPPORT_SEARCH_FIXTURE_H_
#define PAPERSEARCH_TESTS_SUPPORT_SEARCH_FIXTURE_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace papersearch::testing {

using IdList = std::vector<std::string>;
using IdSet = std::set<std::string>;

// Not `Run`: inside a test fixture that name is testing::Test::Run.
inline RunResult RunProgram(const std::vector<std::string>& argv,
                            const RunOptions& options = {}) {
  return Run(argv, options);
}

inline std::filesystem::path FixtureRoot() {
  return SourceDir() / "tests/fixtures/mini";
}

class SearchCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    db_ = (dir_->path() / "db").string();
    RunResult indexed =
        RunProgram({PaperindexBin(), "--root", FixtureRoot().string(), "--db",
                    db_, "--quiet"});
    ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  // Runs papersearch on the fixture database with `args`.
  static RunResult Search(std::vector<std::string> args,
                          RunOptions options = {}) {
    args.insert(args.begin(), {PapersearchBin(), "--db", db_});
    options.unset_env.push_back("PAPERSEARCH_DB");
    return RunProgram(args, options);
  }

  // Runs with --json and parses stdout; fails the test on invalid JSON.
  static nlohmann::json SearchJson(std::vector<std::string> args,
                                   RunResult* raw = nullptr) {
    args.push_back("--json");
    RunResult result = Search(args);
    if (raw != nullptr) *raw = result;
    EXPECT_NE(result.exit_code, 2) << result.err;
    nlohmann::json parsed =
        nlohmann::json::parse(result.out, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(parsed.is_discarded()) << result.out;
    return parsed;
  }

  static IdList Ids(const nlohmann::json& j) {
    IdList ids;
    if (!j.is_object() || !j.contains("results")) return ids;
    for (const nlohmann::json& hit : j["results"]) ids.push_back(hit["id"]);
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

  inline static TempDir* dir_ = nullptr;
  inline static std::string db_;
};

}  // namespace papersearch::testing

#endif  // PAPERSEARCH_TESTS_SUPPORT_SEARCH_FIXTURE_H_
