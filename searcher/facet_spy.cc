#include "searcher/facet_spy.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "schema.h"

namespace papersearch {

FacetSpy::FacetSpy(Xapian::valueno slot, Encoding encoding)
    : slot_(slot), encoding_(encoding) {}

void FacetSpy::Count(std::string_view value) {
  auto it = raw_counts_.find(value);
  if (it != raw_counts_.end()) {
    ++it->second;
  } else {
    raw_counts_.emplace(value, 1);
  }
}

void FacetSpy::operator()(const Xapian::Document& doc, double) {
  ++documents_seen_;
  const std::string value = doc.get_value(slot_);
  if (value.empty()) return;
  if (encoding_ != Encoding::kList) {
    Count(value);
    return;
  }
  // A paper listing one value twice still counts once (the indexer already
  // merges values that differ only in case).
  std::string_view seen[16];
  size_t n_seen = 0;
  schema::ForEachInList(value, [&](std::string_view item) {
    if (item.empty()) return;
    for (size_t i = 0; i < n_seen; ++i) {
      if (seen[i] == item) return;
    }
    if (n_seen < std::size(seen)) seen[n_seen++] = item;
    Count(item);
  });
}

std::vector<FacetCount> FacetSpy::Top(size_t max_values) const {
  struct Entry {
    unsigned count = 0;
    const std::string* best = nullptr;  // the most common spelling
    unsigned best_count = 0;
    std::string display;  // owned copy for numbers
  };
  std::unordered_map<std::string, Entry> merged;  // by folded value
  for (const auto& [raw, n] : raw_counts_) {
    std::string display;
    if (encoding_ == Encoding::kSortable) {
      double number = Xapian::sortable_unserialise(raw);
      if (!std::isfinite(number)) continue;
      display = std::to_string(static_cast<long long>(std::llround(number)));
    }
    const std::string& shown = encoding_ == Encoding::kSortable ? display : raw;
    std::string folded = schema::FoldForFilter(shown);
    if (folded.empty()) continue;
    Entry& entry = merged[folded];
    entry.count += n;
    // Ties between spellings go to the smaller one (bytes), so the result
    // does not depend on hash order.
    if (entry.best == nullptr || n > entry.best_count ||
        (n == entry.best_count && shown < *entry.best)) {
      if (encoding_ == Encoding::kSortable) {
        entry.display = shown;
        entry.best = &entry.display;
      } else {
        entry.best = &raw;
      }
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
