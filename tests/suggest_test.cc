// Unit tests of the suggestions for a filter value that matches nothing
// (common/suggest.h): edit distances in code points, and the closest values,
// checked against the rules written out naively on random values.
#include "common/suggest.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace papersearch {
namespace {

TEST(SuggestTest, EditDistanceCountsCodePoints) {
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("清华大学", "清华大"), 1u);
  EXPECT_EQ(EditDistance("icml", "icml"), 0u);
}

TEST(SuggestTest, ClosestValues) {
  std::vector<std::string> values = {
      "tsinghua university", "peking university", "mit", "icml", "iclr",
      "summit lab"};
  auto names = [&](std::string_view wanted) {
    std::vector<std::string> out;
    for (size_t i : ClosestValues(wanted, values, 3)) out.push_back(values[i]);
    return out;
  };
  EXPECT_EQ(names("tsinghua univ"),
            std::vector<std::string>{"tsinghua university"});
  EXPECT_EQ(names("tsinghua"), std::vector<std::string>{"tsinghua university"});
  EXPECT_EQ(EditDistance("iclm", "icml"), 1u);
  EXPECT_EQ(names("iclm"), (std::vector<std::string>{"icml", "iclr"}));
  EXPECT_EQ(names("mit"), std::vector<std::string>{"mit"});
  EXPECT_TRUE(names("quantum physics").empty());
}

// The suggestion rules written out naively, apart from the finder (which
// bounds its edit distances and keeps only the best as it goes): a full
// optimal-string-alignment table for every pair, words split into vectors.
std::vector<unsigned> NaiveCodePoints(std::string_view text) {
  std::vector<unsigned> out;
  for (Xapian::Utf8Iterator it(text.data(), text.size()), end; it != end;
       ++it) {
    out.push_back(*it);
  }
  return out;
}

size_t NaiveDistance(std::string_view a, std::string_view b) {
  const std::vector<unsigned> x = NaiveCodePoints(a), y = NaiveCodePoints(b);
  std::vector<std::vector<size_t>> d(x.size() + 1,
                                     std::vector<size_t>(y.size() + 1));
  for (size_t i = 0; i <= x.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= y.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= x.size(); ++i) {
    for (size_t j = 1; j <= y.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (x[i - 1] != y[j - 1])});
      if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[x.size()][y.size()];
}

std::vector<std::string> NaiveWords(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : std::string(text) + " ") {
    if (c != ' ') {
      word += c;
    } else if (!word.empty()) {
      words.push_back(word);
      word.clear();
    }
  }
  return words;
}

// `inner`'s words, in order and adjacent, among `outer`'s.
bool NaiveContains(std::string_view outer, std::string_view inner) {
  const auto o = NaiveWords(outer), i = NaiveWords(inner);
  if (i.empty()) return false;
  for (size_t start = 0; start + i.size() <= o.size(); ++start) {
    if (std::equal(i.begin(), i.end(), o.begin() + start)) return true;
  }
  return false;
}

bool NaiveAbbreviates(std::string_view abbreviated, std::string_view full) {
  const auto a = NaiveWords(abbreviated), f = NaiveWords(full);
  if (a.empty() || a.size() > f.size()) return false;
  for (size_t k = 0; k < a.size(); ++k) {
    if (f[k].rfind(a[k], 0) != 0) return false;
  }
  return true;
}

std::vector<size_t> NaiveClosest(std::string_view wanted,
                                 const std::vector<std::string>& candidates,
                                 size_t max_results) {
  const size_t length = NaiveCodePoints(wanted).size();
  const size_t limit = std::max<size_t>(2, length / 3);
  std::vector<std::tuple<int, size_t, size_t>> scored;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const size_t d = NaiveDistance(wanted, candidates[i]);
    if (NaiveContains(candidates[i], wanted) ||
        NaiveContains(wanted, candidates[i]) ||
        NaiveAbbreviates(wanted, candidates[i])) {
      scored.emplace_back(0, d, i);
    } else if (d <= limit && d < length) {
      scored.emplace_back(1, d, i);
    }
  }
  std::sort(scored.begin(), scored.end());
  std::vector<size_t> out;
  for (size_t k = 0; k < scored.size() && k < max_results; ++k) {
    out.push_back(std::get<2>(scored[k]));
  }
  return out;
}

TEST(SuggestTest, AgreesWithTheNaiveRulesOnRandomValues) {
  // Few letters, so that words repeat, contain and abbreviate one another;
  // one two-byte and one three-byte letter. Single spaces between words, as
  // FoldForFilter leaves them.
  const std::vector<std::string> letters = {"a", "b", "c", "é", "清"};
  uint64_t state = 12345;
  auto next = [&](uint64_t n) {
    state = state * 6364136223846793005u + 1442695040888963407u;
    return (state >> 33) % n;
  };
  auto random_value = [&] {
    std::string value;
    const uint64_t words = next(4);
    for (uint64_t w = 0; w < words; ++w) {
      if (w) value += ' ';
      const uint64_t length = 1 + next(5);
      for (uint64_t k = 0; k < length; ++k) value += letters[next(5)];
    }
    return value;
  };
  size_t suggested = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const std::string wanted = random_value();
    std::vector<std::string> candidates;
    const uint64_t count = next(60);
    for (uint64_t k = 0; k < count; ++k) candidates.push_back(random_value());
    const size_t max_results = 1 + next(4);
    const std::vector<size_t> expected =
        NaiveClosest(wanted, candidates, max_results);
    ASSERT_EQ(ClosestValues(wanted, candidates, max_results), expected)
        << "wanted '" << wanted << "', trial " << trial;
    suggested += !expected.empty();
    const std::string& other = candidates.empty() ? wanted : candidates[0];
    ASSERT_EQ(EditDistance(wanted, other), NaiveDistance(wanted, other))
        << "'" << wanted << "' against '" << other << "'";
  }
  // The trials exercise both outcomes.
  EXPECT_GT(suggested, 500u);
  EXPECT_LT(suggested, 2900u);
}

// A finder offered far more candidates than it keeps (it trims as it goes)
// returns the best overall, with their values.
TEST(SuggestTest, FinderKeepsTheBestOfManyCandidates) {
  ClosestValueFinder finder("song han", 3);
  for (int i = 0; i < 10000; ++i) {
    finder.Offer("author " + std::to_string(i));
    if (i == 7000) finder.Offer("song hun");      // distance 1, index 7002
    if (i == 9000) finder.Offer("song han lab");  // contains it, 9003
    if (i == 100) finder.Offer("sang hen");       // distance 2, index 101
  }
  std::vector<ClosestValueFinder::Match> best = finder.Best();
  ASSERT_EQ(best.size(), 3u);
  EXPECT_EQ(best[0].value, "song han lab");
  EXPECT_EQ(best[0].index, 9003u);
  EXPECT_EQ(best[1].value, "song hun");
  EXPECT_EQ(best[1].index, 7002u);
  EXPECT_EQ(best[2].value, "sang hen");
  EXPECT_EQ(best[2].index, 101u);
}

}  // namespace
}  // namespace papersearch
