// "Did you mean": the existing values closest to one that matched nothing.
#ifndef PAPERSEARCH_COMMON_SUGGEST_H_
#define PAPERSEARCH_COMMON_SUGGEST_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace papersearch {

// Edit distance between `a` and `b` in Unicode code points: insertions,
// deletions, substitutions and swaps of neighbours each count one.
size_t EditDistance(std::string_view a, std::string_view b);

// The values plausibly meant by `wanted`, among candidates offered one at a
// time, best first: candidates containing `wanted` (or contained in it) as
// a whole word sequence or whose words `wanted`'s words begin ("tsinghua
// univ"), by edit distance; then those within an edit distance of about a
// third of its length (and less than all of it), by distance; ties by the
// order offered. All strings are compared as given (callers pass folded
// values).
//
// Made to be offered every value of a facet (289,000 authors in a
// generated collection of 100,000 papers): nothing is allocated for a
// candidate that does not qualify (only the few that do keep a copy), and
// a candidate that is not contained costs an edit distance only as far as
// it can still be within the limit.
class ClosestValueFinder {
 public:
  ClosestValueFinder(std::string_view wanted, size_t max_results);

  // Considers the next candidate; its index is the number offered before.
  void Offer(std::string_view candidate);

  struct Match {
    size_t index;
    std::string value;
  };
  // Up to max_results matches, best first.
  std::vector<Match> Best();

 private:
  // Keeps the max_results_ best of scored_, sorted.
  void Trim();

  std::string wanted_;
  std::vector<unsigned> wanted_points_;
  size_t limit_;
  size_t max_results_;
  size_t offered_ = 0;
  // (0 contained or 1 close, distance, index), value: sorts best first.
  std::vector<std::pair<std::tuple<int, size_t, size_t>, std::string>> scored_;
  // Scratch, reused for every candidate.
  std::vector<unsigned> candidate_;
  std::vector<size_t> rows_[3];
};

// ClosestValueFinder over `candidates`; returns indices into it.
std::vector<size_t> ClosestValues(std::string_view wanted,
                                  const std::vector<std::string>& candidates,
                                  size_t max_results);

}  // namespace papersearch

#endif  // PAPERSEARCH_COMMON_SUGGEST_H_
