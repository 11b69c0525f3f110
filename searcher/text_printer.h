// `--format text`: results for a person at a terminal.
#ifndef PAPERSEARCH_SEARCHER_TEXT_PRINTER_H_
#define PAPERSEARCH_SEARCHER_TEXT_PRINTER_H_

#include <string>

#include "searcher/search_results.h"

namespace papersearch {

struct TextStyle {
  bool color = false;        // ANSI colours; matches highlighted in bold red
  bool show_facets = false;  // append the facet counts
};

// Without colour, matched words in snippets are wrapped in these.
inline constexpr char kPlainMatchStart[] = "[";
inline constexpr char kPlainMatchEnd[] = "]";

// A summary line, then one block per hit: rank, title and abbr, venue and
// year, institutions, paper, code and note, and the snippet; then the facets
// when asked for.
std::string FormatText(const SearchResults& results, const TextStyle& style);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_TEXT_PRINTER_H_
