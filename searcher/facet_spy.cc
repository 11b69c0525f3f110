#include "searcher/facet_spy.h"

#include <algorithm>
#include <unordered_map>

#include "schema.h"

namespace papersearch {

void FacetSpy::operator()(const Xapian::Document& doc, double) {
  if (documents_seen_ == sample_) return;
  ++documents_seen_;
  const std::string value = doc.get_value(schema::slot::kIdFacets);
  schema::ForEachFacetNumber(schema::FacetNumbersOfIdFacets(value),
                             [this](uint32_t number) {
                               if (number < counts_.size()) ++counts_[number];
                             });
}

std::vector<FacetCount> FacetSpy::Top(Facet facet, size_t max_values) const {
  static constexpr char kFacetOf[kFacetCount] = {
      schema::facet::kInstitution, schema::facet::kVenue, schema::facet::kYear,
      schema::facet::kKeyword};
  // A spelling group's count, and its most common spelling.
  struct Group {
    unsigned count = 0;
    std::string_view best;
    unsigned best_count = 0;
  };
  // By the group's first number: the dictionary says which spellings are
  // one value, so nothing is folded here.
  std::unordered_map<uint32_t, Group> groups;
  for (uint32_t number = 0; number < counts_.size(); ++number) {
    const unsigned n = counts_[number];
    if (n == 0) continue;
    const FacetDictionary::Entry entry = dictionary_[number];
    if (entry.facet != kFacetOf[facet] || entry.value.empty()) continue;
    Group& group = groups[entry.group];
    group.count += n;
    // Ties between spellings go to the smaller one (bytes), so the result
    // does not depend on the numbering.
    if (n > group.best_count ||
        (n == group.best_count && entry.value < group.best)) {
      group.best = entry.value;
      group.best_count = n;
    }
  }
  std::vector<const Group*> ranked;
  ranked.reserve(groups.size());
  for (const auto& [first, group] : groups) ranked.push_back(&group);
  auto before = [](const Group* a, const Group* b) {
    if (a->count != b->count) return a->count > b->count;
    return a->best < b->best;
  };
  size_t shown = ranked.size();
  if (max_values != 0 && shown > max_values) shown = max_values;
  std::partial_sort(ranked.begin(), ranked.begin() + shown, ranked.end(),
                    before);
  std::vector<FacetCount> out;
  out.reserve(shown);
  for (size_t i = 0; i < shown; ++i) {
    out.push_back({std::string(ranked[i]->best), ranked[i]->count});
  }
  return out;
}

}  // namespace papersearch
