// Running a search: the query and filters against the index, returning the
// page of hits, the total, facet counts over all matches, and snippets.
#ifndef PAPERSEARCH_SEARCHER_SEARCHER_H_
#define PAPERSEARCH_SEARCHER_SEARCHER_H_

#include <xapian.h>

#include <string>
#include <vector>

#include "searcher/options.h"
#include "searcher/search_results.h"
#include "searcher/synonyms.h"

namespace papersearch {

// Facet counts are exact up to this many matches; beyond it Xapian stops
// examining matches and the counts cover only those examined (marked
// Facets::exact = false). Far above any real collection, low enough to bound
// the time of a query on a huge one.
inline constexpr Xapian::doccount kFacetExactLimit = 100'000;

// Values shown per facet.
inline constexpr size_t kFacetValues = 10;

struct SearchOutput {
  SearchResults results;
  // Messages for stderr: unknown filter values, the any-word fallback, a
  // malformed query read as words.
  std::vector<std::string> notices;
};

// Runs `config`'s query on `db`, with `synonyms` applied to its words (by
// default the built-in ones). `want_snippets`: fill Hit::snippet (costs
// time; printers that show none pass false). When no paper has all the words
// and Xapian's spelling data knows a correction, the corrected query runs
// instead (SearchResults::corrected_query); then the any-word fallback.
// Throws Xapian::Error (including DatabaseModifiedError when a writer commits
// meanwhile: reopen and retry).
SearchOutput Search(const Xapian::Database& db, const SearchConfig& config,
                    bool want_snippets,
                    const Synonyms& synonyms = BuiltInSynonyms());

// Terms of the paper's own text that --like searches with: this many of the
// best relevance-feedback terms (Xapian's ESet).
inline constexpr Xapian::termcount kLikeTerms = 40;

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_SEARCHER_H_
