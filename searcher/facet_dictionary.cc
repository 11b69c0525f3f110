#include "searcher/facet_dictionary.h"

#include <utility>

#include "schema.h"

namespace papersearch {

FacetDictionary::FacetDictionary(const Xapian::Database& db)
    : FacetDictionary(db.get_metadata(schema::kFacetsKey)) {}

FacetDictionary::FacetDictionary(std::string encoded)
    : encoded_(std::move(encoded)) {
  const std::string_view all = encoded_;
  schema::ForEachInList(all, [&](std::string_view item) {
    spans_.push_back({static_cast<uint32_t>(item.data() - all.data()),
                      static_cast<uint32_t>(item.size())});
  });
}

FacetDictionary::Entry FacetDictionary::operator[](uint32_t number) const {
  if (number >= spans_.size()) return Entry{};
  const Span span = spans_[number];
  Entry entry;
  // An entry's group is its own number or an earlier one's.
  if (!schema::DecodeFacetEntry(
          std::string_view(encoded_).substr(span.begin, span.size), &entry) ||
      entry.group > number) {
    return Entry{};
  }
  return entry;
}

}  // namespace papersearch
