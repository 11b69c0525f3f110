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

std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    if (end > pos) words.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return words;
}

// True when every word of `abbreviated` begins the word of `full` at the
// same place: "tsinghua univ" abbreviates "tsinghua university".
bool AbbreviatesWords(std::string_view abbreviated, std::string_view full) {
  std::vector<std::string_view> short_words = Words(abbreviated);
  std::vector<std::string_view> long_words = Words(full);
  if (short_words.empty() || short_words.size() > long_words.size()) {
    return false;
  }
  for (size_t i = 0; i < short_words.size(); ++i) {
    if (!long_words[i].starts_with(short_words[i])) return false;
  }
  return true;
}

}  // namespace

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<unsigned> x = CodePoints(a);
  std::vector<unsigned> y = CodePoints(b);
  // Three rows of the optimal-string-alignment table: a swap of two
  // neighbours ("iclm" for "icml") is one typo, not two.
  std::vector<size_t> before(y.size() + 1), previous(y.size() + 1),
      current(y.size() + 1);
  for (size_t j = 0; j <= y.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= x.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= y.size(); ++j) {
      size_t cost = x[i - 1] == y[j - 1] ? 0 : 1;
      current[j] = std::min(
          {previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[y.size()];
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
                     ContainsWords(wanted, candidate) ||
                     AbbreviatesWords(wanted, candidate);
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
