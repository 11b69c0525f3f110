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

// A MatchSpy counting the values of one value slot, case-insensitively:
// "Github" and "github" are one value, shown in its most common spelling
// (ties: the smaller in bytes). Not thread-safe; one per Enquire. Not
// serialisable (local databases only).
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
  Xapian::valueno slot_;
  Encoding encoding_;
  Xapian::doccount documents_seen_ = 0;
  // Looks up a std::string key by std::string_view, so counting a list
  // item that was seen before allocates nothing.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>()(s);
    }
  };
  void Count(std::string_view value);

  // Counts by value exactly as stored; values are folded and merged once
  // each in Top(), not once per match (folding every value of every match
  // was two thirds of a broad search at 10,000 papers).
  std::unordered_map<std::string, unsigned, Hash, std::equal_to<>> raw_counts_;
};

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_FACET_SPY_H_
