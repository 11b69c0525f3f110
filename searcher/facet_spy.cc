#include "searcher/facet_spy.h"

#include <algorithm>
#include <string_view>

#include "common/aliases.h"
#include "schema.h"

namespace papersearch {

void FacetSpy::operator()(const Xapian::Document& doc, double) {
  if (documents_seen_ == sample_) return;
  ++documents_seen_;
  const std::string value = doc.get_value(schema::slot::kTieFacets);
  schema::ForEachFacetNumber(schema::FacetNumbersOfTieFacets(value),
                             [this](uint32_t number) {
                               if (number < counts_.size()) ++counts_[number];
                             });
}

std::array<std::vector<FacetCount>, FacetSpy::kFacetCount> FacetSpy::Tops(
    size_t max_values) const {
  // A counted dictionary number: its spelling group, facet and count.
  struct Counted {
    uint32_t group;
    Facet facet;
    unsigned count;
    std::string_view value;
    // Institutions: the spellings of one institution, as the alias table
    // knows them (UC Berkeley, University of California, Berkeley).
    std::string key;
  };
  std::vector<Counted> counted;
  for (uint32_t number = 0; number < counts_.size(); ++number) {
    const unsigned n = counts_[number];
    if (n == 0) continue;
    const FacetDictionary::Entry entry = dictionary_[number];
    if (entry.value.empty()) continue;
    Facet facet;
    switch (entry.facet) {
      case schema::facet::kInstitution: facet = kInstitution; break;
      case schema::facet::kVenue: facet = kVenue; break;
      case schema::facet::kYear: facet = kYear; break;
      case schema::facet::kKeyword: facet = kKeyword; break;
      default: continue;
    }
    counted.push_back({entry.group, facet, n, entry.value, {}});
    if (facet == kInstitution) {
      counted.back().key =
          BuiltInAliases().SpellingKey("institution", entry.value);
    }
  }
  // The spellings of a group side by side. The dictionary says which
  // spellings fold to one value; a group is its first entry's number, so
  // most are in order already. Institutions group by their spelling key.
  auto same = [](const Counted& a, const Counted& b) {
    return a.facet == b.facet &&
           (a.facet == kInstitution ? a.key == b.key : a.group == b.group);
  };
  std::stable_sort(counted.begin(), counted.end(),
                   [](const Counted& a, const Counted& b) {
                     if (a.facet != b.facet) return a.facet < b.facet;
                     if (a.facet == kInstitution) return a.key < b.key;
                     return a.group < b.group;
                   });

  // A spelling group's count, and its most common spelling.
  struct Group {
    unsigned count = 0;
    std::string_view best;
    unsigned best_count = 0;
  };
  std::array<std::vector<Group>, kFacetCount> groups;
  for (size_t i = 0; i < counted.size();) {
    Group group;
    const Counted& first = counted[i];
    for (; i < counted.size() && same(counted[i], first); ++i) {
      const Counted& spelling = counted[i];
      group.count += spelling.count;
      // Ties between spellings go to the smaller one (bytes), so the
      // result does not depend on the numbering.
      if (spelling.count > group.best_count ||
          (spelling.count == group.best_count && spelling.value < group.best)) {
        group.best = spelling.value;
        group.best_count = spelling.count;
      }
    }
    groups[first.facet].push_back(group);
  }

  std::array<std::vector<FacetCount>, kFacetCount> tops;
  auto before = [](const Group& a, const Group& b) {
    if (a.count != b.count) return a.count > b.count;
    return a.best < b.best;
  };
  for (size_t facet = 0; facet < kFacetCount; ++facet) {
    std::vector<Group>& ranked = groups[facet];
    size_t shown = ranked.size();
    if (max_values != 0 && shown > max_values) shown = max_values;
    std::partial_sort(ranked.begin(), ranked.begin() + shown, ranked.end(),
                      before);
    tops[facet].reserve(shown);
    for (size_t i = 0; i < shown; ++i) {
      tops[facet].push_back({std::string(ranked[i].best), ranked[i].count});
    }
  }
  return tops;
}

}  // namespace papersearch
