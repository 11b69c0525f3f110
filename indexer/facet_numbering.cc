#include "indexer/facet_numbering.h"

#include <algorithm>
#include <vector>

namespace papersearch {

std::optional<FacetNumbering> FacetNumbering::Continue(
    const Xapian::Database& db) {
  FacetNumbering numbering;
  numbering.encoded_ = db.get_metadata(schema::kFacetsKey);
  uint32_t number = 0;
  bool whole =
      schema::ForEachInList(numbering.encoded_, [&](std::string_view entry) {
        numbering.numbers_.emplace(entry, number++);
      });
  // Encode never repeats an entry: a repeated one is damage too.
  if (!whole || numbering.numbers_.size() != number) return std::nullopt;
  return numbering;
}

uint32_t FacetNumbering::NumberOf(char facet, std::string_view value) {
  std::string entry;
  entry.reserve(value.size() + 1);
  entry.push_back(facet);
  entry += value;
  auto [it, added] = numbers_.emplace(std::move(entry),
                                      static_cast<uint32_t>(numbers_.size()));
  if (added) {
    schema::AppendToList(encoded_, it->first);
    unsaved_ = true;
  }
  return it->second;
}

std::string FacetNumbering::Encode(const schema::FacetValues& values) {
  std::vector<uint32_t> numbers;
  auto add = [&](char facet, std::string_view value) {
    if (value.empty()) return;
    uint32_t number = NumberOf(facet, value);
    if (std::find(numbers.begin(), numbers.end(), number) == numbers.end()) {
      numbers.push_back(number);
    }
  };
  for (const std::string& inst : values.institutions) {
    add(schema::facet::kInstitution, inst);
  }
  add(schema::facet::kVenue, values.venue);
  add(schema::facet::kYear, values.year);
  for (const std::string& label : values.keywords) {
    add(schema::facet::kKeyword, label);
  }
  return schema::EncodeFacetNumbers(numbers);
}

void FacetNumbering::Save(Xapian::WritableDatabase& db) {
  if (!unsaved_) return;
  db.set_metadata(schema::kFacetsKey, encoded_);
  unsaved_ = false;
}

}  // namespace papersearch
