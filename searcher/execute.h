// Running a query on the index: a page of matches, how many match, and the
// facet counts over them, as a search's options ask.
#ifndef PAPERSEARCH_SEARCHER_EXECUTE_H_
#define PAPERSEARCH_SEARCHER_EXECUTE_H_

#include <xapian.h>

#include <memory>
#include <optional>

#include "searcher/facet_dictionary.h"
#include "searcher/facet_spy.h"
#include "searcher/filters.h"
#include "searcher/options.h"
#include "searcher/search_results.h"

namespace papersearch {

// A query run.
struct Run {
  Xapian::MSet mset;
  std::unique_ptr<FacetSpy> facet_spy;       // null when facets are not wanted
  std::unique_ptr<Xapian::Enquire> enquire;  // for --explain's matching terms
  Xapian::Query query;  // the whole query, filters included
  Xapian::Query words;  // the part from the query text
};

// Runs `words` under `filter`, returning hits [offset, offset + limit)
// (limit nullopt: every match), in the order config.sort asks. With
// `facets`, a spy counts the first `check_at_least` matches, which also
// makes the total exact up to there; without, Xapian examines only what the
// page needs and the total is an estimate.
Run Execute(const Xapian::Database& db, const SearchConfig& config,
            const Xapian::Query& words, const FilterQuery& filter,
            const FacetDictionary* facets, Xapian::doccount offset,
            std::optional<Xapian::doccount> limit,
            Xapian::doccount check_at_least);

// The same for the page `config` asks for, checking Sample matches.
Run Execute(const Xapian::Database& db, const SearchConfig& config,
            const Xapian::Query& words, const FilterQuery& filter,
            const FacetDictionary* facets);

// The matches Xapian examines for the total and the facets: kFacetSample,
// or every one with --exact.
Xapian::doccount Sample(const Xapian::Database& db, const SearchConfig& config);

// How many papers match: an estimate unless `exact`.
struct Count {
  Xapian::doccount estimated = 0;
  bool exact = true;
};

// The number of matches of `query`, exact up to `check`.
Count CountMatches(const Xapian::Database& db, const Xapian::Query& query,
                   Xapian::doccount check);

// The number of matches of `query` from Xapian's statistics alone (no
// match is examined): exact when its bounds meet.
Count EstimateMatches(const Xapian::Database& db, const Xapian::Query& query);

// The facet counts of `run` (empty without a spy): exact when the spy saw
// every match, else scaled up from the sample it saw and marked estimates;
// a filter's own value counts every match.
Facets CollectFacets(const Run& run, const SearchConfig& config);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_EXECUTE_H_
