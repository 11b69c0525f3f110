// papersearch --values FIELD: the values of a facet field in a database.
#ifndef PAPERSEARCH_SEARCHER_FIELD_VALUES_H_
#define PAPERSEARCH_SEARCHER_FIELD_VALUES_H_

#include <xapian.h>

#include <string>
#include <vector>

namespace papersearch {

struct FieldValue {
  std::string value;  // as displayed: one spelling of each
  Xapian::doccount papers = 0;
};

// The distinct values of `facet` (schema::facet::kInstitution, kVenue,
// kKeyword or kYear) in `db`, from its facet dictionary, each spelling group
// once (as first spelt), most papers first, then by value. May throw
// Xapian::Error.
std::vector<FieldValue> FieldValues(const Xapian::Database& db, char facet);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_FIELD_VALUES_H_
