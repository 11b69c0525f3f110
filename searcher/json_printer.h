// `--format json`: one JSON object per search, the stable schema documented
// in README.md (section "papersearch").
#ifndef PAPERSEARCH_SEARCHER_JSON_PRINTER_H_
#define PAPERSEARCH_SEARCHER_JSON_PRINTER_H_

#include <string>
#include <vector>

#include "searcher/search_results.h"

namespace papersearch {

// Matched words in JSON snippets are wrapped in these (Markdown emphasis).
inline constexpr char kJsonMatchStart[] = "**";
inline constexpr char kJsonMatchEnd[] = "**";

class JsonWriter;

// A paper's fields as both a result and the paper view (papersearch
// --serve's /api/paper) show them, "title" to "code_url", written into an
// open object.
void WritePaperFields(JsonWriter& json, const StoredPaper& paper,
                      const std::vector<std::string>& keywords);

// The results as one line of JSON followed by "\n". Always valid UTF-8.
std::string FormatJson(const SearchResults& results);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_JSON_PRINTER_H_
