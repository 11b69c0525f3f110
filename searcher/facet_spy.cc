#include "searcher/facet_spy.h"

#include <algorithm>
#include <unordered_map>

#include "schema.h"

namespace papersearch {

void FacetSpy::operator()(const Xapian::Document& doc, double) {
  ++documents_seen_;
  // Values of up to 15 bytes, which nearly all are, need no allocation.
  const std::string value = doc.get_value(schema::slot::kFacets);
  schema::ForEachFacetNumber(value, [this](uint32_t number) {
    if (number < counts_.size()) ++counts_[number];
  });
}

std::vector<FacetCount> FacetSpy::Top(Facet facet, size_t max_values) const {
  struct Merged {
    unsigned count = 0;
    std::string_view best;  // the most common spelling
    unsigned best_count = 0;
  };
  static constexpr char kFacetOf[kFacetCount] = {
      schema::facet::kInstitution, schema::facet::kVenue, schema::facet::kYear,
      schema::facet::kKeyword};
  std::unordered_map<std::string, Merged> merged;  // by folded value
  for (uint32_t number = 0; number < counts_.size(); ++number) {
    const unsigned n = counts_[number];
    if (n == 0) continue;
    const FacetDictionary::Entry value = dictionary_[number];
    if (value.facet != kFacetOf[facet]) continue;
    std::string folded = schema::FoldForFilter(value.value);
    if (folded.empty()) continue;
    Merged& entry = merged[folded];
    entry.count += n;
    // Ties between spellings go to the smaller one (bytes), so the result
    // does not depend on the numbering.
    if (entry.best_count == 0 || n > entry.best_count ||
        (n == entry.best_count && value.value < entry.best)) {
      entry.best = value.value;
      entry.best_count = n;
    }
  }
  std::vector<FacetCount> out;
  out.reserve(merged.size());
  for (const auto& [folded, entry] : merged) {
    out.push_back({std::string(entry.best), entry.count});
  }
  std::sort(out.begin(), out.end(),
            [](const FacetCount& a, const FacetCount& b) {
              if (a.count != b.count) return a.count > b.count;
              return a.value < b.value;
            });
  if (max_values != 0 && out.size() > max_values) out.resize(max_values);
  return out;
}

}  // namespace papersearch
