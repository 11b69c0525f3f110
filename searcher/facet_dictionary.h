// Reading the facet dictionary of a database (schema::kFacetsKey): what the
// numbers in slot::kTieFacets stand for.
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

  size_t size() const { return spans_.size(); }
  // Entry `number`, decoded now; a default Entry (facet 0) past the end or
  // for a malformed entry.
  Entry operator[](uint32_t number) const;

 private:
  std::string encoded_;
  // Where each entry is in encoded_. A search looks up only the numbers its
  // matches have, so entries are decoded when asked for, and a dictionary
  // costs 8 bytes an entry, not a 32-byte decoded entry grown by doubling
  // (550 entries on the snapshot: 4.4 KB against 17-35 KB of heap).
  struct Span {
    uint32_t begin;
    uint32_t size;
  };
  std::vector<Span> spans_;
};

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_FACET_DICTIONARY_H_
