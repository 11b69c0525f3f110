// End-to-end tests of papersearch's command line: usage errors and
// --version.
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
}  // namespace papersearch::testing
