#include "searcher/facet_dictionary.h"

#include <utility>

#include "schema.h"

namespace papersearch {

FacetDictionary::FacetDictionary(const Xapian::Database& db)
    : FacetDictionary(db.get_metadata(schema::kFacetsKey)) {}

FacetDictionary::FacetDictionary(std::string encoded)
    : encoded_(std::move(encoded)) {
  schema::ForEachInList(encoded_, [this](std::string_view entry) {
    if (entry.empty()) {
      entries_.push_back({});
    } else {
      entries_.push_back({entry[0], entry.substr(1)});
    }
  });
}

}  // namespace papersearch
