#include "searcher/suggest.h"

#include <xapian.h>

#include <algorithm>
#include <tuple>

namespace papersearch {
namespace {

std::vector<unsigned> CodePoints(std::string_view text) {
  std::vector<unsigned> out;
  for (Xapian::Utf8Iterator it(text.data(), text.size()), end; it != end;
       ++it) {
    out.push_back(*it);
  }
  return out;
}

// True when `needle` occurs in `haystack` starting and ending at word
// boundaries (space or string end), so "mit" finds "mit csail" but not
// "summit".
bool ContainsWords(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return false;
  for (size_t pos = haystack.find(needle); pos != std::string_view::npos;
       pos = haystack.find(needle, pos + 1)) {
    size_t end = pos + needle.size();
    bool starts = pos == 0 || haystack[pos - 1] == ' ';
    bool ends = end == haystack.size() || haystack[end] == ' ';
    if (starts && ends) return true;
  }
  return false;
}

}  // namespace

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<unsigned> x = CodePoints(a);
  std::vector<unsigned> y = CodePoints(b);
  std::vector<size_t> row(y.size() + 1);
  for (size_t j = 0; j <= y.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= x.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= y.size(); ++j) {
      size_t above = row[j];
      size_t cost = x[i - 1] == y[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[y.size()];
}

std::vector<size_t> ClosestValues(std::string_view wanted,
                                  const std::vector<std::string>& candidates,
                                  size_t max_results) {
  size_t wanted_length = CodePoints(wanted).size();
  size_t limit = std::max<size_t>(2, wanted_length / 3);
  // (containment first, distance, index) sorts best first and is stable.
  std::vector<std::tuple<int, size_t, size_t>> scored;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const std::string& candidate = candidates[i];
    size_t distance = EditDistance(wanted, candidate);
    bool contained = ContainsWords(candidate, wanted) ||
                     ContainsWords(wanted, candidate);
    if (contained) {
      scored.emplace_back(0, distance, i);
    } else if (distance <= limit && distance < wanted_length) {
      scored.emplace_back(1, distance, i);
    }
  }
  std::sort(scored.begin(), scored.end());
  std::vector<size_t> out;
  for (const auto& entry : scored) {
    if (out.size() == max_results) break;
    out.push_back(std::get<2>(entry));
  }
  return out;
}

}  // namespace papersearch
