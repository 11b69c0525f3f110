// "Did you mean": the existing values closest to one that matched nothing.
#ifndef PAPERSEARCH_SEARCHER_SUGGEST_H_
#define PAPERSEARCH_SEARCHER_SUGGEST_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace papersearch {

// Edit distance between `a` and `b` in Unicode code points: insertions,
// deletions, substitutions and swaps of neighbours each count one.
size_t EditDistance(std::string_view a, std::string_view b);

// Up to `max_results` of `candidates` that are plausibly what `wanted` meant,
// best first: candidates containing `wanted` (or contained in it) as a whole
// word sequence or whose words `wanted`'s words begin ("tsinghua univ"), then
// those within an edit distance of about a third of its length. All strings are
// compared as given (callers pass folded values). Returns indices into
// `candidates`.
std::vector<size_t> ClosestValues(std::string_view wanted,
                                  const std::vector<std::string>& candidates,
                                  size_t max_results);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_SUGGEST_H_
