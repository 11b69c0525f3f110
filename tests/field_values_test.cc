// papersearch --values FIELD (for scripts and the shell completions): each
// value of a field once, most papers first, checked against the values read
// from the fixture's record files with a regex, not through our parser.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "tests/support/search_fixture.h"

namespace papersearch::testing {
namespace {

namespace fs = std::filesystem;

std::string Folded(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(c));
  return text;
}

// Papers per value of `field` ("where", "institutions") in the fixture's
// records, values folded to lower case (one spelling group each). A record
// without a venue is an arXiv paper (GUIDE.md).
std::map<std::string, int> PapersByValue(const std::string& field) {
  std::map<std::string, int> papers;
  const std::regex line("^\\s*" + field + ": \"([^\"]*)\"");
  for (const auto& entry :
       fs::recursive_directory_iterator(FixtureRoot() / "meta")) {
    if (entry.path().extension() != ".prototxt") continue;
    std::map<std::string, bool> seen;
    for (const std::string& text : Lines(ReadFile(entry.path()))) {
      std::smatch m;
      if (std::regex_search(text, m, line) && !seen[Folded(m[1])]) {
        seen[Folded(m[1])] = true;
        ++papers[Folded(m[1])];
      }
    }
    if (field == "where" && seen.empty()) ++papers["arxiv"];
  }
  return papers;
}

class FieldValuesTest : public SearchCliTest {};

TEST_F(FieldValuesTest, EachValueOnceMostPapersFirst) {
  for (const auto& [field, record_field] :
       std::vector<std::pair<std::string, std::string>>{
           {"venue", "where"}, {"institution", "institutions"}}) {
    SCOPED_TRACE(field);
    const RunResult listed = Search({"--values", field});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    const std::vector<std::string> values = Lines(listed.out);
    const std::map<std::string, int> expected = PapersByValue(record_field);
    ASSERT_EQ(values.size(), expected.size()) << listed.out;
    int previous = 1 << 30;
    for (const std::string& value : values) {
      const auto found = expected.find(Folded(value));
      ASSERT_NE(found, expected.end()) << value;
      EXPECT_LE(found->second, previous) << value << " out of order";
      previous = found->second;
    }
  }
}

TEST_F(FieldValuesTest, AnUnknownFieldOrAQueryIsAUsageError) {
  RunResult bad = Search({"--values", "colour"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--values must be institution, venue, keyword or "
                         "year, not 'colour'"),
            std::string::npos)
      << bad.err;
  bad = Search({"--values", "venue", "kv", "cache"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("takes no query words"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace papersearch::testing
