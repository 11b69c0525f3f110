// `--format json`: one JSON object per search, the stable schema documented
// in README.md (section "papersearch").
#ifndef PAPERSEARCH_SEARCHER_JSON_PRINTER_H_
#define PAPERSEARCH_SEARCHER_JSON_PRINTER_H_

#include <string>

#include "searcher/search_results.h"

namespace papersearch {

// Matched words in JSON snippets are wrapped in these (Markdown emphasis).
inline constexpr char kJsonMatchStart[] = "**";
inline constexpr char kJsonMatchEnd[] = "**";

// The results as one line of JSON followed by "\n". Always valid UTF-8.
std::string FormatJson(const SearchResults& results);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_JSON_PRINTER_H_
