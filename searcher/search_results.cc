#include "searcher/search_results.h"

namespace papersearch {

std::string PartialSummary(const SearchResults& results) {
  const std::string some = (results.some_words_is_exact ? "" : "about ") +
                           std::to_string(results.total_some_words);
  if (results.total_all_words == 0) {
    return "none matches all the words, " + some +
           " partly (some of the words, or the topic)";
  }
  return std::to_string(results.total_all_words) + " " +
         (results.total_all_words == 1 ? "matches" : "match") +
         " all the words, " + some +
         " partly (some of the words, or the topic)";
}

}  // namespace papersearch
