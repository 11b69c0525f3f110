#include "searcher/facet_dictionary.h"

#include <utility>

#include "schema.h"

namespace papersearch {

FacetDictionary::FacetDictionary(const Xapian::Database& db)
    : FacetDictionary(db.get_metadata(schema::kFacetsKey)) {}

FacetDictionary::FacetDictionary(std::string encoded)
    : encoded_(std::move(encoded)) {
  schema::ForEachInList(encoded_, [this](std::string_view encoded) {
    Entry entry;
    if (!schema::DecodeFacetEntry(encoded, &entry) ||
        entry.group > entries_.size()) {
      entry = Entry();
    }
    entries_.push_back(entry);
  });
}

}  // namespace papersearch
