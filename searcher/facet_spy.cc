#include "searcher/facet_spy.h"

#include <algorithm>
#include <iterator>

#include "schema.h"

namespace papersearch {

void FacetSpy::Count(Counts& counts, std::string_view value) {
  if (value.empty()) return;
  auto it = counts.find(value);
  if (it != counts.end()) {
    ++it->second;
  } else {
    counts.emplace(value, 1);
  }
}

void FacetSpy::CountList(Counts& counts, std::string_view encoded) {
  // A paper listing one value twice still counts once (the indexer already
  // merges values that differ only in case).
  std::string_view seen[16];
  size_t n_seen = 0;
  schema::ForEachInList(encoded, [&](std::string_view item) {
    if (item.empty()) return;
    for (size_t i = 0; i < n_seen; ++i) {
      if (seen[i] == item) return;
    }
    if (n_seen < std::size(seen)) seen[n_seen++] = item;
    Count(counts, item);
  });
}

void FacetSpy::operator()(const Xapian::Document& doc, double) {
  ++documents_seen_;
  const std::string value = doc.get_value(schema::slot::kFacets);
  const schema::EncodedFacets facets = schema::SplitFacets(value);
  CountList(counts_[kInstitution], facets.institutions);
  Count(counts_[kVenue], facets.venue);
  Count(counts_[kYear], facets.year);
  CountList(counts_[kKeyword], facets.keywords);
}

std::vector<FacetCount> FacetSpy::Top(Facet facet, size_t max_values) const {
  struct Entry {
    unsigned count = 0;
    const std::string* best = nullptr;  // the most common spelling
    unsigned best_count = 0;
  };
  std::unordered_map<std::string, Entry> merged;  // by folded value
  for (const auto& [raw, n] : counts_[facet]) {
    std::string folded = schema::FoldForFilter(raw);
    if (folded.empty()) continue;
    Entry& entry = merged[folded];
    entry.count += n;
    // Ties between spellings go to the smaller one (bytes), so the result
    // does not depend on hash order.
    if (entry.best == nullptr || n > entry.best_count ||
        (n == entry.best_count && raw < *entry.best)) {
      entry.best = &raw;
      entry.best_count = n;
    }
  }
  std::vector<FacetCount> out;
  out.reserve(merged.size());
  for (const auto& [folded, entry] : merged) {
    out.push_back({*entry.best, entry.count});
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
