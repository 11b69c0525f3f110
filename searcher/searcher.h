// Running a search: the query and filters against the index, returning the
// page of hits, the total, facet counts over all matches, and snippets.
#ifndef PAPERSEARCH_SEARCHER_SEARCHER_H_
#define PAPERSEARCH_SEARCHER_SEARCHER_H_

#include <xapian.h>

#include <string>
#include <vector>

#include "common/aliases.h"
#include "common/synonyms.h"
#include "searcher/options.h"
#include "searcher/search_results.h"

namespace papersearch {

// The total and the facet counts are exact up to this many matches. A larger
// match set is sampled: Xapian examines this many matches (and then only
// those that could still reach the page, or every match when the results
// are ordered by a value), the facets are counted on the first this many
// it examines, scaled up and marked as estimates (Facets::exact = false).
// The sample is uniform because document ids are hashes of paper ids
// (schema::DocidFor), and Xapian examines matches in document id order
// (FacetSpy). The sample bounds the cost of a broad query in a large
// collection; its standard error on a facet value held by a tenth of the
// matches is about 7%.
// SearchConfig::exact (--exact) examines every match instead.
inline constexpr Xapian::doccount kFacetSample = 2'000;

// The partial matches are counted exactly up to this many (then estimated,
// "about"), unless they are all there is and facets count them: an any-word
// query matches much of a large collection, and only its first page is
// shown.
inline constexpr Xapian::doccount kPartialSample = 200;
// Up to this many papers the partial matches behind a page of full ones are
// counted (as above); in a larger collection they are estimated from
// Xapian's statistics, since counting runs the any-word query, which there
// costs several times the all-words one.
inline constexpr Xapian::doccount kCountPartialUpTo = 20'000;
// Values shown per facet.
inline constexpr size_t kFacetValues = 10;

struct SearchOutput {
  SearchResults results;
  // Messages for stderr: unknown filter values, the any-word fallback, a
  // malformed query read as words.
  std::vector<std::string> notices;
};

// What a search's output shows: each costs time, so a printer that shows
// none asks for none.
struct SearchWants {
  bool snippets = true;  // Hit::snippet
  bool facets = true;    // SearchResults::facets (else left empty)
};

// Runs `config`'s query on `db`, with `synonyms` applied to its words and
// `aliases` to institution and venue names (by default the built-in ones),
// computing what `wants` names. When no paper
// has all the words and Xapian's spelling data knows a correction, the
// corrected query runs instead (SearchResults::corrected_query); then the
// any-word fallback. Throws Xapian::Error (including DatabaseModifiedError
// when a writer commits meanwhile: reopen and retry).
SearchOutput Search(const Xapian::Database& db, const SearchConfig& config,
                    SearchWants wants,
                    const Synonyms& synonyms = BuiltInSynonyms(),
                    const Aliases& aliases = BuiltInAliases());

// Terms of the paper's own text that --like searches with: this many of the
// best relevance-feedback terms (Xapian's ESet).
inline constexpr Xapian::termcount kLikeTerms = 40;

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_SEARCHER_H_
