// Reading the facet dictionary of a database (schema::kFacetsKey): what the
// numbers in slot::kIdFacets stand for.
#ifndef PAPERSEARCH_SEARCHER_FACET_DICTIONARY_H_
#define PAPERSEARCH_SEARCHER_FACET_DICTIONARY_H_

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "schema.h"

namespace papersearch {

class FacetDictionary {
 public:
  // schema::FacetEntry; facet 0 for a malformed entry.
  using Entry = schema::FacetEntry;

  // Entries point into the dictionary's own text.
  FacetDictionary(const FacetDictionary&) = delete;
  FacetDictionary& operator=(const FacetDictionary&) = delete;

  // The dictionary of `db`; empty when it has none. A malformed dictionary
  // yields the entries before the damage. May throw Xapian::Error.
  explicit FacetDictionary(const Xapian::Database& db);
  // The same from the stored text.
  explicit FacetDictionary(std::string encoded);

  size_t size() const { return entries_.size(); }
  // Entry `number`; a default Entry (facet 0) past the end.
  Entry operator[](uint32_t number) const {
    return number < entries_.size() ? entries_[number] : Entry{};
  }

 private:
  std::string encoded_;
  std::vector<Entry> entries_;
};

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_FACET_DICTIONARY_H_
