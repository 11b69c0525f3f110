// Counting facet values over every match, not just the page shown.
#ifndef PAPERSEARCH_SEARCHER_FACET_SPY_H_
#define PAPERSEARCH_SEARCHER_FACET_SPY_H_

#include <xapian.h>

#include <array>
#include <string>
#include <vector>

#include "searcher/facet_dictionary.h"
#include "searcher/search_results.h"

namespace papersearch {

// A MatchSpy counting the four facets of each match (institutions, venue,
// year, keywords) from its schema::slot::kTieFacets value, the numbers of its
// facet values in `dictionary`, case-insensitively: "Github" and "github"
// are one value, shown in its most common spelling (ties: the smaller in
// bytes). Not thread-safe; one per Enquire. Not serialisable (local
// databases only).
class FacetSpy : public Xapian::MatchSpy {
 public:
  enum Facet { kInstitution, kVenue, kYear, kKeyword, kFacetCount };

  // Counts the first `sample` matches Xapian shows the spy and ignores the
  // rest. Xapian examines matches in document id order whatever the order
  // of the results, so with hashed document ids (schema::DocidFor) they are
  // a uniform sample, and the rest cost nothing: the matches a ranked
  // search examines past its check_at_least are those that might still
  // reach the page (a sample biased to high scores), and a search ordered
  // by a value examines every match. `dictionary` must outlive the spy.
  explicit FacetSpy(const FacetDictionary& dictionary,
                    Xapian::doccount sample = Xapian::doccount(-1))
      : dictionary_(dictionary), sample_(sample), counts_(dictionary.size()) {}

  void operator()(const Xapian::Document& doc, double wt) override;
  std::string name() const override { return "papersearch.FacetSpy"; }

  // Papers counted so far (at most the sample).
  Xapian::doccount documents_seen() const { return documents_seen_; }

  // The counts of each facet (indexed by Facet), most frequent first, ties
  // broken by value (bytes), at most `max_values` of each (0: all). One
  // pass over the counted numbers for all four facets: each entry is
  // decoded once.
  std::array<std::vector<FacetCount>, kFacetCount> Tops(
      size_t max_values) const;

 private:
  const FacetDictionary& dictionary_;
  Xapian::doccount sample_;
  Xapian::doccount documents_seen_ = 0;
  // By dictionary number. Numbers the dictionary lacks (a damaged
  // database) are not counted.
  std::vector<unsigned> counts_;
};

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_FACET_SPY_H_
