#include "searcher/facet_spy.h"

#include <algorithm>
#include <cmath>

#include "schema.h"

namespace papersearch {

FacetSpy::FacetSpy(Xapian::valueno slot, Encoding encoding)
    : slot_(slot), encoding_(encoding) {}

void FacetSpy::operator()(const Xapian::Document& doc, double) {
  ++documents_seen_;
  std::string value = doc.get_value(slot_);
  if (value.empty()) return;
  switch (encoding_) {
    case Encoding::kList: {
      // A paper listing one value twice still counts once.
      std::vector<std::string> seen;
      schema::ForEachInList(value, [&](std::string_view item) {
        std::string folded = schema::FoldForFilter(item);
        if (folded.empty() ||
            std::find(seen.begin(), seen.end(), folded) != seen.end()) {
          return;
        }
        seen.push_back(folded);
        Add(item);
      });
      break;
    }
    case Encoding::kString:
      Add(value);
      break;
    case Encoding::kSortable: {
      double number = Xapian::sortable_unserialise(value);
      if (std::isfinite(number)) {
        Add(std::to_string(static_cast<long long>(std::llround(number))));
      }
      break;
    }
  }
}

void FacetSpy::Add(std::string_view value) {
  std::string folded = schema::FoldForFilter(value);
  if (folded.empty()) return;
  Entry& entry = counts_[folded];
  ++entry.count;
  for (auto& [spelling, n] : entry.spellings) {
    if (spelling == value) {
      ++n;
      return;
    }
  }
  entry.spellings.emplace_back(std::string(value), 1);
}

std::vector<FacetCount> FacetSpy::Top(size_t max_values) const {
  std::vector<FacetCount> out;
  out.reserve(counts_.size());
  for (const auto& [folded, entry] : counts_) {
    const std::pair<std::string, unsigned>* best = &entry.spellings.front();
    for (const auto& spelling : entry.spellings) {
      if (spelling.second > best->second) best = &spelling;
    }
    out.push_back({best->first, entry.count});
  }
  std::sort(out.begin(), out.end(), [](const FacetCount& a, const FacetCount& b) {
    if (a.count != b.count) return a.count > b.count;
    return a.value < b.value;
  });
  if (max_values != 0 && out.size() > max_values) out.resize(max_values);
  return out;
}

}  // namespace papersearch
