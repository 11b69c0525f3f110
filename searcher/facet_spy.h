// Counting facet values over every match, not just the page shown.
#ifndef PAPERSEARCH_SEARCHER_FACET_SPY_H_
#define PAPERSEARCH_SEARCHER_FACET_SPY_H_

#include <xapian.h>

#include <string>
#include <vector>

#include "searcher/facet_dictionary.h"
#include "searcher/search_results.h"

namespace papersearch {

// A MatchSpy counting the four facets of each match (institutions, venue,
// year, keywords) from its schema::slot::kIdFacets value, the numbers of its
// facet values in `dictionary`, case-insensitively: "Github" and "github"
// are one value, shown in its most common spelling (ties: the smaller in
// bytes). Not thread-safe; one per Enquire. Not serialisable (local
// databases only).
class FacetSpy : public Xapian::MatchSpy {
 public:
  enum Facet { kInstitution, kVenue, kYear, kKeyword, kFacetCount };

  // `dictionary` must outlive the spy.
  explicit FacetSpy(const FacetDictionary& dictionary)
      : dictionary_(dictionary), counts_(dictionary.size()) {}

  void operator()(const Xapian::Document& doc, double wt) override;
  std::string name() const override { return "papersearch.FacetSpy"; }

  // Papers seen so far.
  Xapian::doccount documents_seen() const { return documents_seen_; }

  // The counts of one facet, most frequent first, ties broken by value
  // (bytes), at most `max_values` of them (0: all).
  std::vector<FacetCount> Top(Facet facet, size_t max_values) const;

 private:
  const FacetDictionary& dictionary_;
  Xapian::doccount documents_seen_ = 0;
  // By dictionary number. Numbers the dictionary lacks (a damaged
  // database) are not counted.
  std::vector<unsigned> counts_;
};

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_FACET_SPY_H_
