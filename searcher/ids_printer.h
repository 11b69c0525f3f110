// `--format ids`: one paper id (YEAR/NAME) per line, for scripts.
#ifndef PAPERSEARCH_SEARCHER_IDS_PRINTER_H_
#define PAPERSEARCH_SEARCHER_IDS_PRINTER_H_

#include <string>

#include "searcher/search_results.h"

namespace papersearch {

// Each hit's id followed by "\n", in rank order; "" for no hits.
std::string FormatIds(const SearchResults& results);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_IDS_PRINTER_H_
