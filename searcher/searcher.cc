#include "searcher/searcher.h"

#include <algorithm>
#include <memory>

#include "schema.h"
#include "searcher/facet_spy.h"
#include "searcher/filters.h"
#include "searcher/query_builder.h"
#include "searcher/snippets.h"

namespace papersearch {
namespace {

// The spies counting the four facets of one search.
struct FacetSpies {
  FacetSpy institution{schema::slot::kInstitutions, FacetSpy::Encoding::kList};
  FacetSpy venue{schema::slot::kVenue, FacetSpy::Encoding::kString};
  FacetSpy year{schema::slot::kYear, FacetSpy::Encoding::kSortable};
  FacetSpy keyword{schema::slot::kKeywords, FacetSpy::Encoding::kList};

  void AttachTo(Xapian::Enquire& enquire) {
    enquire.add_matchspy(&institution);
    enquire.add_matchspy(&venue);
    enquire.add_matchspy(&year);
    enquire.add_matchspy(&keyword);
  }
};

void SetOrder(Xapian::Enquire& enquire, SortOrder sort, bool has_words,
              Xapian::KeyMaker* newest_first) {
  switch (sort) {
    case SortOrder::kRelevance:
      // Without words every paper weighs the same: newest first instead.
      // Equal scores go by id, not by document number, so that an updated
      // index answers in the same order as a fresh build.
      if (has_words) {
        enquire.set_sort_by_relevance_then_value(schema::slot::kId, false);
      } else {
        enquire.set_sort_by_key(newest_first, false);
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

Xapian::Query Combine(const Xapian::Query& words, const FilterQuery& filter) {
  Xapian::Query base = words.empty() ? Xapian::Query::MatchAll : words;
  if (!filter.any) return base;
  return Xapian::Query(Xapian::Query::OP_FILTER, base, filter.query);
}

struct Run {
  Xapian::MSet mset;
  std::unique_ptr<FacetSpies> spies;
  Xapian::Query query;  // the whole query, filters included
  Xapian::Query words;  // the part from the query text
};

Run Execute(const Xapian::Database& db, const SearchConfig& config,
            const Xapian::Query& words, const FilterQuery& filter) {
  Run run;
  run.words = words;
  run.query = Combine(words, filter);
  bool has_words = !words.empty();
  const Xapian::Query& query = run.query;
  run.spies = std::make_unique<FacetSpies>();
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  Xapian::MultiValueKeyMaker newest_first;
  newest_first.add_value(schema::slot::kYear, true);
  newest_first.add_value(schema::slot::kUpdated, true);
  newest_first.add_value(schema::slot::kId, false);
  SetOrder(enquire, config.sort, has_words, &newest_first);
  run.spies->AttachTo(enquire);
  Xapian::doccount limit = config.limit ? *config.limit : db.get_doccount();
  // check_at_least makes Xapian examine (and the spies count) every match up
  // to the cap, which also makes the total exact.
  run.mset = enquire.get_mset(config.offset, limit, kFacetExactLimit);
  return run;
}

Facets CollectFacets(const Run& run) {
  Facets facets;
  facets.institution = run.spies->institution.Top(kFacetValues);
  facets.venue = run.spies->venue.Top(kFacetValues);
  facets.year = run.spies->year.Top(kFacetValues);
  facets.keyword = run.spies->keyword.Top(kFacetValues);
  facets.exact = run.spies->institution.documents_seen() >=
                 run.mset.get_matches_upper_bound();
  return facets;
}

}  // namespace

SearchOutput Search(const Xapian::Database& db, const SearchConfig& config,
                    bool want_snippets) {
  SearchOutput output;
  SearchResults& results = output.results;
  results.query = config.query;
  results.offset = config.offset;

  FilterQuery filter = BuildFilterQuery(db, config);
  for (const std::string& message : filter.unknown_values) {
    output.notices.push_back(message);
    if (!results.suggestion.empty()) results.suggestion += "; ";
    results.suggestion += message;
  }

  QueryBuilder builder(db);
  ParsedQuery parsed = builder.Parse(config.query, /*all_words=*/true);
  if (parsed.read_as_words) {
    output.notices.push_back("the query's syntax is malformed; searched for "
                             "its words instead");
  }
  Run run = Execute(db, config, parsed.query, filter);

  if (run.mset.get_matches_upper_bound() == 0 && !parsed.query.empty()) {
    ParsedQuery any = builder.Parse(config.query, /*all_words=*/false);
    if (!any.query.empty() && any.query.get_description() !=
                                  parsed.query.get_description()) {
      Run relaxed = Execute(db, config, any.query, filter);
      if (relaxed.mset.get_matches_upper_bound() > 0) {
        run = std::move(relaxed);
        results.relaxed = true;
        output.notices.push_back(
            "no paper matches all the words; showing papers that match any "
            "of them");
      }
    }
  }

  results.parsed_query = run.query.get_description();
  results.total = run.mset.get_matches_estimated();
  results.total_is_exact = run.mset.get_matches_lower_bound() ==
                           run.mset.get_matches_upper_bound();
  results.facets = CollectFacets(run);

  std::vector<std::string> words;
  if (want_snippets) words = QueryWords(run.words);
  unsigned rank = config.offset;
  for (Xapian::MSetIterator it = run.mset.begin(); it != run.mset.end(); ++it) {
    Hit hit;
    hit.rank = ++rank;
    hit.score = it.get_weight();
    Xapian::Document doc = it.get_document();
    hit.paper.ParseFromString(doc.get_data());
    schema::ForEachInList(doc.get_value(schema::slot::kKeywords),
                          [&hit](std::string_view label) {
                            hit.keywords.emplace_back(label);
                          });
    if (want_snippets) MakeSnippet(run.mset, words, &hit);
    results.hits.push_back(std::move(hit));
  }
  return output;
}

}  // namespace papersearch
