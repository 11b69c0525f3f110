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
    auto split = SplitMixLine(c.line);
    ASSERT_TRUE(std::holds_alternative<Args>(split)) << c.line;
    EXPECT_EQ(std::get<Args>(split), c.args) << c.line;
  }
}

TEST(SplitMixLine, UnterminatedQuoteInOptionsIsAnError) {
  EXPECT_TRUE(std::holds_alternative<std::string>(
      SplitMixLine("pruning --institution \"Tsinghua")));
}

TEST(ReadQueryMix, CommittedMixHasAtLeastFiftyValidQueries) {
  auto mix = ReadQueryMix(PAPERSEARCH_QUERY_MIX);
  ASSERT_TRUE(std::holds_alternative<std::vector<MixQuery>>(mix))
      << std::get<std::string>(mix);
  const auto& queries = std::get<std::vector<MixQuery>>(mix);
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
  auto mix = ReadQueryMix(path);
  ASSERT_TRUE(std::holds_alternative<std::string>(mix));
  EXPECT_NE(std::get<std::string>(mix).find("bad_mix.txt:4: "),
            std::string::npos)
      << std::get<std::string>(mix);
}

}  // namespace
}  // namespace papersearch::bench
