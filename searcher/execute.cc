#include "searcher/execute.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "schema.h"
#include "searcher/explain.h"
#include "searcher/searcher.h"

namespace papersearch {
namespace {

void SetOrder(Xapian::Enquire& enquire, SortOrder sort, bool has_words) {
  switch (sort) {
    case SortOrder::kRelevance:
      // Without words every paper weighs the same: newest first instead.
      // Equal scores go by the id's year, oldest first, then by a hash of
      // the id (schema::TieKey), not by document number, so that an updated
      // index answers in the same order as a fresh build.
      if (has_words) {
        enquire.set_sort_by_relevance_then_value(schema::slot::kTieFacets,
                                                 false);
      } else {
        enquire.set_sort_by_value(schema::slot::kNewest, false);
      }
      return;
    case SortOrder::kYear:
      enquire.set_sort_by_value_then_relevance(schema::slot::kYear, true);
      return;
    case SortOrder::kUpdated:
      enquire.set_sort_by_value_then_relevance(schema::slot::kUpdated, true);
      return;
    case SortOrder::kRating:
      enquire.set_sort_by_value_then_relevance(schema::slot::kRating, true);
      return;
  }
}

// `count` of `counted` sampled matches, scaled to `total` matches and
// rounded to two significant digits (the sample supports no more).
unsigned ScaleCount(unsigned count, Xapian::doccount counted,
                    Xapian::doccount total) {
  if (counted == 0 || total <= counted) return count;
  double scaled = static_cast<double>(count) * total / counted;
  double unit = 1;
  while (scaled >= 100 * unit) unit *= 10;
  return static_cast<unsigned>(std::max(1.0, std::round(scaled / unit) * unit));
}

// A filter option given one value keeps only papers with that value
// (`--venue ICML`), so every match has it: its count is the total, whatever
// share of the sample had it. Scaled up from the sample and rounded, it
// read "quantization (13000)" beside "12854 papers".
void CountRequiredValue(std::vector<FacetCount>* counts,
                        const std::vector<std::string>& values,
                        std::string (*term_of)(std::string_view),
                        unsigned total) {
  if (values.size() != 1) return;
  const std::string required = term_of(values.front());
  for (FacetCount& c : *counts) {
    if (term_of(c.value) == required) c.count = total;
  }
}

// A filter's own value counts every match (CountRequiredValue), which can
// move it up the list.
void CountRequiredValues(const SearchConfig& config, unsigned total,
                         Facets* facets) {
  CountRequiredValue(&facets->institution, config.institutions,
                     InstitutionFilterTerm, total);
  CountRequiredValue(&facets->venue, config.venues, VenueFilterTerm, total);
  CountRequiredValue(&facets->keyword, config.keywords, KeywordFilterTerm,
                     total);
  if (config.years.size() == 1 &&
      config.years.front().first == config.years.front().last) {
    const std::string year = std::to_string(config.years.front().first);
    for (FacetCount& c : facets->year) {
      if (c.value == year) c.count = total;
    }
  }
  for (auto* counts : {&facets->institution, &facets->venue, &facets->year,
                       &facets->keyword}) {
    // Stable: values whose rounded counts are equal keep the order of
    // their sampled counts.
    std::stable_sort(counts->begin(), counts->end(),
                     [](const FacetCount& a, const FacetCount& b) {
                       return a.count > b.count;
                     });
  }
}

}  // namespace

Run Execute(const Xapian::Database& db, const SearchConfig& config,
            const Xapian::Query& words, const FilterQuery& filter,
            const FacetDictionary* facets, Xapian::doccount offset,
            std::optional<Xapian::doccount> limit,
            Xapian::doccount check_at_least) {
  Run run;
  run.words = words;
  run.query = FilterWords(words, filter);
  bool has_words = !words.empty();
  const Xapian::Query& query = run.query;
  if (facets)
    run.facet_spy = std::make_unique<FacetSpy>(*facets, check_at_least);
  run.enquire = std::make_unique<Xapian::Enquire>(db);
  Xapian::Enquire& enquire = *run.enquire;
  enquire.set_weighting_scheme(RankingWeight());
  enquire.set_query(query);
  SetOrder(enquire, config.sort, has_words);
  if (run.facet_spy) enquire.add_matchspy(run.facet_spy.get());
  run.mset = enquire.get_mset(offset, limit ? *limit : db.get_doccount(),
                              check_at_least);
  return run;
}

Xapian::doccount Sample(const Xapian::Database& db,
                        const SearchConfig& config) {
  return config.exact ? db.get_doccount() : kFacetSample;
}

Run Execute(const Xapian::Database& db, const SearchConfig& config,
            const Xapian::Query& words, const FilterQuery& filter,
            const FacetDictionary* facets) {
  std::optional<Xapian::doccount> limit;
  if (config.limit) limit = *config.limit;
  return Execute(db, config, words, filter, facets, config.offset, limit,
                 Sample(db, config));
}

Count CountMatches(const Xapian::Database& db, const Xapian::Query& query,
                   Xapian::doccount check) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  const Xapian::MSet mset = enquire.get_mset(0, 1, check);
  return {mset.get_matches_estimated(),
          mset.get_matches_lower_bound() == mset.get_matches_upper_bound()};
}

Count EstimateMatches(const Xapian::Database& db, const Xapian::Query& query) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  const Xapian::MSet mset = enquire.get_mset(0, 0);
  return {mset.get_matches_estimated(),
          mset.get_matches_lower_bound() == mset.get_matches_upper_bound()};
}

Facets CollectFacets(const Run& run, const SearchConfig& config) {
  Facets facets;
  if (!run.facet_spy) return facets;
  auto tops = run.facet_spy->Tops(kFacetValues);
  facets.institution = std::move(tops[FacetSpy::kInstitution]);
  facets.venue = std::move(tops[FacetSpy::kVenue]);
  facets.year = std::move(tops[FacetSpy::kYear]);
  facets.keyword = std::move(tops[FacetSpy::kKeyword]);
  facets.counted = run.facet_spy->documents_seen();
  facets.exact = facets.counted >= run.mset.get_matches_upper_bound();
  if (!facets.exact) {
    const Xapian::doccount total = run.mset.get_matches_estimated();
    for (auto* counts :
         {&facets.institution, &facets.venue, &facets.year, &facets.keyword}) {
      // No more than the total: a count rounded up can be.
      for (FacetCount& c : *counts)
        c.count = std::min(ScaleCount(c.count, facets.counted, total), total);
    }
    CountRequiredValues(config, total, &facets);
  }
  return facets;
}

}  // namespace papersearch
