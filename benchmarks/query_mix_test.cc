// The query mix reader: how a line becomes papersearch's arguments, and that
// the committed mix parses as papersearch would parse it.
#include "benchmarks/query_mix.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

namespace papersearch::bench {
namespace {

using Args = std::vector<std::string>;

struct SplitCase {
  std::string line;
  Args args;
};

TEST(SplitMixLine, QueryTextIsOneArgumentAfterTheOptions) {
  const SplitCase cases[] = {
      {"kv cache eviction", {"--", "kv cache eviction"}},
      {"  title:\"kv cache\"  ", {"--", "title:\"kv cache\""}},
      {"speculative decoding --year 2024..2025",
       {"--year", "2024..2025", "--", "speculative decoding"}},
      {"pruning --institution \"Tsinghua University\" --has-code",
       {"--institution", "Tsinghua University", "--has-code", "--", "pruning"}},
      {"--venue ICML --year 2024", {"--venue", "ICML", "--year", "2024"}},
      {"kv cache -quantization", {"--", "kv cache -quantization"}},
  };
  for (const SplitCase& c : cases) {
    Result<Args> split = SplitMixLine(c.line);
    ASSERT_TRUE(split.ok()) << c.line;
    EXPECT_EQ(*split, c.args) << c.line;
  }
}

TEST(SplitMixLine, UnterminatedQuoteInOptionsIsAnError) {
  EXPECT_FALSE(SplitMixLine("pruning --institution \"Tsinghua").ok());
}

TEST(ReadQueryMix, CommittedMixHasAtLeastFiftyValidQueries) {
  Result<std::vector<MixQuery>> mix = ReadQueryMix(PAPERSEARCH_QUERY_MIX);
  ASSERT_TRUE(mix.ok()) << mix.status().message();
  const std::vector<MixQuery>& queries = *mix;
  EXPECT_GE(queries.size(), 50u);
  bool filtered = false, phrase = false, field = false;
  for (const MixQuery& q : queries) {
    EXPECT_EQ(q.config.limit, 10u) << q.line;
    filtered |= !q.config.years.empty() || !q.config.venues.empty();
    phrase |= q.config.query.find('"') != std::string::npos;
    field |= q.config.query.find("title:") != std::string::npos;
  }
  EXPECT_TRUE(filtered && phrase && field);
}

TEST(ReadQueryMix, BadOptionNamesItsLine) {
  std::string path = testing::TempDir() + "/bad_mix.txt";
  std::ofstream(path) << "# comment\n\nkv cache\nquantization --year 20x4\n";
  Result<std::vector<MixQuery>> mix = ReadQueryMix(path);
  ASSERT_FALSE(mix.ok());
  EXPECT_NE(mix.status().message().find("bad_mix.txt:4: "), std::string::npos)
      << mix.status().message();
}

}  // namespace
}  // namespace papersearch::bench
