// Counting facet values over every match, not just the page shown.
#ifndef PAPERSEARCH_SEARCHER_FACET_SPY_H_
#define PAPERSEARCH_SEARCHER_FACET_SPY_H_

#include <xapian.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "searcher/search_results.h"

namespace papersearch {

// A MatchSpy counting the four facets of each match (institutions, venue,
// year, keywords) from its schema::slot::kFacets value, case-insensitively:
// "Github" and "github" are one value, shown in its most common spelling
// (ties: the smaller in bytes). Not thread-safe; one per Enquire. Not
// serialisable (local databases only).
class FacetSpy : public Xapian::MatchSpy {
 public:
  enum Facet { kInstitution, kVenue, kYear, kKeyword, kFacetCount };

  void operator()(const Xapian::Document& doc, double wt) override;
  std::string name() const override { return "papersearch.FacetSpy"; }

  // Papers seen so far.
  Xapian::doccount documents_seen() const { return documents_seen_; }

  // The counts of one facet, most frequent first, ties broken by value
  // (bytes), at most `max_values` of them (0: all).
  std::vector<FacetCount> Top(Facet facet, size_t max_values) const;

 private:
  // Looks up a std::string key by std::string_view, so counting a value
  // that was seen before allocates nothing.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>()(s);
    }
  };
  // Counts by value exactly as stored; values are folded and merged once
  // each in Top(), not once per match (folding every value of every match
  // was two thirds of a broad search at 10,000 papers).
  using Counts =
      std::unordered_map<std::string, unsigned, Hash, std::equal_to<>>;

  static void Count(Counts& counts, std::string_view value);
  // Counts each item of an EncodeList value once, however often it is
  // listed.
  static void CountList(Counts& counts, std::string_view encoded);

  Xapian::doccount documents_seen_ = 0;
  Counts counts_[kFacetCount];
};

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_FACET_SPY_H_
