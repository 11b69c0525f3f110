// `--format markdown`: the seed list's table rows, optionally grouped in its
// <details> layout (common/seed_markdown.h), ready to paste into a README.
#ifndef PAPERSEARCH_SEARCHER_MARKDOWN_PRINTER_H_
#define PAPERSEARCH_SEARCHER_MARKDOWN_PRINTER_H_

#include <string>

#include "searcher/options.h"
#include "searcher/search_results.h"

namespace papersearch {

// GroupField::kNone: one table of the hits in rank order. Otherwise the
// grouped document, groups and rows sorted as the seed sorts them. "" when
// there are no hits.
std::string FormatMarkdown(const SearchResults& results, GroupField group_by);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_MARKDOWN_PRINTER_H_
