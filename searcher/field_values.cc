#include "searcher/field_values.h"

#include <algorithm>

#include "schema.h"
#include "searcher/facet_dictionary.h"
#include "searcher/filters.h"

namespace papersearch {

std::vector<FieldValue> FieldValues(const Xapian::Database& db, char facet) {
  const FacetDictionary dictionary(db);
  std::vector<FieldValue> values;
  for (uint32_t number = 0; number < dictionary.size(); ++number) {
    const FacetDictionary::Entry entry = dictionary[number];
    // Other spellings of a value (other case, spacing) are its group's.
    if (entry.facet != facet || entry.group != number) continue;
    std::string term;
    switch (facet) {
      case schema::facet::kInstitution:
        term = InstitutionFilterTerm(entry.value);
        break;
      case schema::facet::kVenue: term = VenueFilterTerm(entry.value); break;
      case schema::facet::kKeyword:
        term = KeywordFilterTerm(entry.value);
        break;
      case schema::facet::kYear:
        term = schema::Term(schema::prefix::kYearFilter, entry.value);
        break;
      default: continue;
    }
    const Xapian::doccount papers = db.get_termfreq(term);
    if (papers > 0) values.push_back({std::string(entry.value), papers});
  }
  std::sort(values.begin(), values.end(),
            [](const FieldValue& a, const FieldValue& b) {
              return a.papers != b.papers ? a.papers > b.papers
                                          : a.value < b.value;
            });
  return values;
}

}  // namespace papersearch
