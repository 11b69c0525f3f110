// Counting facet values over every match, not just the page shown.
#ifndef PAPERSEARCH_SEARCHER_FACET_SPY_H_
#define PAPERSEARCH_SEARCHER_FACET_SPY_H_

#include <xapian.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "searcher/search_results.h"

namespace papersearch {

// A MatchSpy counting the values of one value slot, case-insensitively:
// "Github" and "github" are one value, shown in its most common spelling
// (ties: the first seen). Not thread-safe; one per Enquire. Not serialisable
// (local databases only).
class FacetSpy : public Xapian::MatchSpy {
 public:
  enum class Encoding {
    kList,      // schema::EncodeList, several values per paper
    kString,    // one value as stored
    kSortable,  // Xapian::sortable_serialise(number), shown as an integer
  };

  FacetSpy(Xapian::valueno slot, Encoding encoding);

  void operator()(const Xapian::Document& doc, double wt) override;
  std::string name() const override { return "papersearch.FacetSpy"; }

  // Papers seen so far.
  Xapian::doccount documents_seen() const { return documents_seen_; }

  // The counts, most frequent first, ties broken by value (bytes), at most
  // `max_values` of them (0: all).
  std::vector<FacetCount> Top(size_t max_values) const;

 private:
  struct Entry {
    unsigned count = 0;
    // Spellings of this value and how often each was seen.
    std::vector<std::pair<std::string, unsigned>> spellings;
  };
  void Add(std::string_view value);

  Xapian::valueno slot_;
  Encoding encoding_;
  Xapian::doccount documents_seen_ = 0;
  std::unordered_map<std::string, Entry> counts_;  // by folded value
};

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_FACET_SPY_H_
