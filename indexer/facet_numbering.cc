#include "indexer/facet_numbering.h"

#include <algorithm>
#include <vector>

namespace papersearch {

namespace {

std::string Key(char facet, std::string_view value) {
  std::string key;
  key.reserve(value.size() + 1);
  key.push_back(facet);
  key += value;
  return key;
}

}  // namespace

std::optional<FacetNumbering> FacetNumbering::Continue(
    const Xapian::Database& db) {
  FacetNumbering numbering;
  numbering.encoded_ = db.get_metadata(schema::kFacetsKey);
  uint32_t number = 0;
  bool valid = true;
  bool whole =
      schema::ForEachInList(numbering.encoded_, [&](std::string_view encoded) {
        schema::FacetEntry entry;
        if (!schema::DecodeFacetEntry(encoded, &entry)) {
          valid = false;
          return;
        }
        // Encode never repeats an entry, and a group's first number is its
        // own or an earlier one's: anything else is damage.
        const std::string folded = schema::FoldForFilter(entry.value);
        const uint32_t group =
            numbering.groups_.emplace(Key(entry.facet, folded), number)
                .first->second;
        if (group != entry.group) valid = false;
        if (!numbering.numbers_.emplace(Key(entry.facet, entry.value), number)
                 .second) {
          valid = false;
        }
        ++number;
      });
  if (!whole || !valid) return std::nullopt;
  return numbering;
}

std::optional<uint32_t> FacetNumbering::NumberOf(char facet,
                                                 std::string_view value) {
  std::string key = Key(facet, value);
  if (auto known = numbers_.find(key); known != numbers_.end()) {
    return known->second;
  }
  // A value of white space alone is no value (as in its filter term).
  std::string folded = schema::FoldForFilter(value);
  if (folded.empty()) return std::nullopt;
  const uint32_t number = static_cast<uint32_t>(numbers_.size());
  numbers_.emplace(std::move(key), number);
  const uint32_t group =
      groups_.emplace(Key(facet, folded), number).first->second;
  schema::AppendToList(encoded_,
                       schema::EncodeFacetEntry({facet, group, value}));
  unsaved_ = true;
  return number;
}

std::string FacetNumbering::Encode(const schema::FacetValues& values) {
  std::vector<uint32_t> numbers;
  auto add = [&](char facet, std::string_view value) {
    std::optional<uint32_t> number = NumberOf(facet, value);
    if (number &&
        std::find(numbers.begin(), numbers.end(), *number) == numbers.end()) {
      numbers.push_back(*number);
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
