#include "common/suggest.h"

#include <xapian.h>

#include <algorithm>
#include <tuple>

namespace papersearch {
namespace {

// Large enough for any distance, small enough that adding one cannot wrap.
constexpr size_t kUnbounded = static_cast<size_t>(-1) / 2;

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

// True when every word of `abbreviated` begins the word of `full` at the
// same place: "tsinghua univ" abbreviates "tsinghua university". Words are
// separated by runs of spaces.
bool AbbreviatesWords(std::string_view abbreviated, std::string_view full) {
  size_t a = 0, f = 0;
  bool any = false;
  while (true) {
    while (a < abbreviated.size() && abbreviated[a] == ' ') ++a;
    while (f < full.size() && full[f] == ' ') ++f;
    if (a == abbreviated.size()) return any;
    if (f == full.size()) return false;  // more words than `full` has
    const size_t a_end = std::min(abbreviated.find(' ', a), abbreviated.size());
    const size_t f_end = std::min(full.find(' ', f), full.size());
    if (!full.substr(f, f_end - f)
             .starts_with(abbreviated.substr(a, a_end - a))) {
      return false;
    }
    any = true;
    a = a_end;
    f = f_end;
  }
}

// The optimal-string-alignment distance between `x` and `y` (a swap of two
// neighbours, "iclm" for "icml", is one typo, not two) when it is at most
// `bound`; otherwise something above `bound`, found as soon as it is
// certain. `rows` is scratch.
size_t BoundedDistance(const std::vector<unsigned>& x,
                       const std::vector<unsigned>& y, size_t bound,
                       std::vector<size_t> (&rows)[3]) {
  const size_t gap =
      x.size() > y.size() ? x.size() - y.size() : y.size() - x.size();
  if (gap > bound) return bound + 1;  // each extra code point costs one
  for (std::vector<size_t>& row : rows) row.assign(y.size() + 1, 0);
  std::vector<size_t>* before = &rows[0];
  std::vector<size_t>* previous = &rows[1];
  std::vector<size_t>* current = &rows[2];
  for (size_t j = 0; j <= y.size(); ++j) (*previous)[j] = j;
  for (size_t i = 1; i <= x.size(); ++i) {
    std::vector<size_t>& c = *current;
    const std::vector<size_t>& p = *previous;
    const std::vector<size_t>& b = *before;
    c[0] = i;
    size_t row_min = i;
    for (size_t j = 1; j <= y.size(); ++j) {
      const size_t cost = x[i - 1] == y[j - 1] ? 0 : 1;
      size_t d = std::min({p[j] + 1, c[j - 1] + 1, p[j - 1] + cost});
      if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1]) {
        d = std::min(d, b[j - 2] + 1);
      }
      c[j] = d;
      row_min = std::min(row_min, d);
    }
    // No cell is below the smallest of the row above: the row above and
    // the cell to its left give at least that, and a swap (the cell two
    // rows up and two columns left, plus one) gives no less than the cell
    // diagonally above, which is at most that same cell plus one. So once
    // a row exceeds the bound, every row after it does.
    if (row_min > bound) return bound + 1;
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return (*previous)[y.size()];
}

void Decode(std::string_view text, std::vector<unsigned>* out) {
  out->clear();
  for (Xapian::Utf8Iterator it(text.data(), text.size()), end; it != end;
       ++it) {
    out->push_back(*it);
  }
}

}  // namespace

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<unsigned> x, y;
  Decode(a, &x);
  Decode(b, &y);
  std::vector<size_t> rows[3];
  return BoundedDistance(x, y, kUnbounded, rows);
}

ClosestValueFinder::ClosestValueFinder(std::string_view wanted,
                                       size_t max_results)
    : wanted_(wanted), max_results_(max_results) {
  Decode(wanted_, &wanted_points_);
  limit_ = std::max<size_t>(2, wanted_points_.size() / 3);
}

void ClosestValueFinder::Offer(std::string_view candidate) {
  const size_t index = offered_++;
  if (max_results_ == 0) return;
  const bool contained = ContainsWords(candidate, wanted_) ||
                         ContainsWords(wanted_, candidate) ||
                         AbbreviatesWords(wanted_, candidate);
  // Close means a distance within the limit and short of retyping all of
  // `wanted`.
  if (!contained && wanted_points_.empty()) return;
  const size_t bound =
      contained ? kUnbounded : std::min(limit_, wanted_points_.size() - 1);
  Decode(candidate, &candidate_);
  const size_t distance =
      BoundedDistance(wanted_points_, candidate_, bound, rows_);
  if (distance > bound) return;
  scored_.emplace_back(std::make_tuple(contained ? 0 : 1, distance, index),
                       std::string(candidate));
  if (scored_.size() >= 8 * max_results_ + 64) Trim();
}

void ClosestValueFinder::Trim() {
  // (tier, distance, index) is unique per candidate: the best stay the same
  // whatever is cut.
  auto by_score = [](const auto& a, const auto& b) {
    return a.first < b.first;
  };
  if (scored_.size() > max_results_) {
    std::partial_sort(scored_.begin(), scored_.begin() + max_results_,
                      scored_.end(), by_score);
    scored_.resize(max_results_);
  } else {
    std::sort(scored_.begin(), scored_.end(), by_score);
  }
}

std::vector<ClosestValueFinder::Match> ClosestValueFinder::Best() {
  Trim();
  std::vector<Match> out;
  for (auto& [score, value] : scored_) {
    out.push_back({std::get<2>(score), value});
  }
  return out;
}

std::vector<size_t> ClosestValues(std::string_view wanted,
                                  const std::vector<std::string>& candidates,
                                  size_t max_results) {
  ClosestValueFinder finder(wanted, max_results);
  for (const std::string& candidate : candidates) finder.Offer(candidate);
  std::vector<size_t> out;
  for (const ClosestValueFinder::Match& match : finder.Best()) {
    out.push_back(match.index);
  }
  return out;
}

}  // namespace papersearch
