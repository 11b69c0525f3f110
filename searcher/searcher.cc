#include "searcher/searcher.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/document_data.h"
#include "schema.h"
#include "searcher/explain.h"
#include "searcher/facet_spy.h"
#include "searcher/filters.h"
#include "searcher/query_builder.h"
#include "searcher/snippets.h"

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

struct Run {
  Xapian::MSet mset;
  std::unique_ptr<FacetSpy> facet_spy;       // null when facets are not wanted
  std::unique_ptr<Xapian::Enquire> enquire;  // for --explain's matching terms
  Xapian::Query query;  // the whole query, filters included
  Xapian::Query words;  // the part from the query text
};

Run Execute(const Xapian::Database& db, const SearchConfig& config,
            const Xapian::Query& words, const FilterQuery& filter,
            const FacetDictionary* facets) {
  Run run;
  run.words = words;
  run.query = FilterWords(words, filter);
  bool has_words = !words.empty();
  const Xapian::Query& query = run.query;
  // check_at_least makes Xapian examine every match up to the sample, which
  // also makes the total exact; the facet spy counts those and no more.
  const Xapian::doccount sample =
      config.exact ? db.get_doccount() : kFacetSample;
  if (facets) run.facet_spy = std::make_unique<FacetSpy>(*facets, sample);
  run.enquire = std::make_unique<Xapian::Enquire>(db);
  Xapian::Enquire& enquire = *run.enquire;
  enquire.set_weighting_scheme(RankingWeight());
  enquire.set_query(query);
  SetOrder(enquire, config.sort, has_words);
  if (run.facet_spy) enquire.add_matchspy(run.facet_spy.get());
  Xapian::doccount limit = config.limit ? *config.limit : db.get_doccount();
  run.mset = enquire.get_mset(config.offset, limit, sample);
  return run;
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

// Relevance feedback picks terms of the paper's title, keyword labels,
// baselines and note: what it is about, not who wrote it or where. Only
// words of two or more letters that some other paper has too (a word only
// this paper has finds nothing else).
class TopicTerms : public Xapian::ExpandDecider {
 public:
  explicit TopicTerms(const Xapian::Database& db) : db_(db) {}

  bool operator()(const std::string& term) const override {
    return IsTopicTerm(term) && db_.get_termfreq(term) >= 2;
  }

 private:
  static bool IsTopicTerm(const std::string& term) {
    for (const char* prefix :
         {schema::prefix::kTitle, schema::prefix::kKeyword,
          schema::prefix::kBaseline, schema::prefix::kNote}) {
      std::string stemmed = std::string("Z") + prefix;
      if (term.size() > stemmed.size() + 1 &&
          term.compare(0, stemmed.size(), stemmed) == 0 &&
          !(term[stemmed.size()] >= 'A' && term[stemmed.size()] <= 'Z')) {
        return true;
      }
    }
    return false;
  }

  const Xapian::Database& db_;
};

// The paper --like names, by id or else by abbreviation (any case); 0 when
// there is none.
Xapian::docid FindPaper(const Xapian::Database& db, const std::string& like) {
  for (const std::string& term :
       {schema::prefix::kId + like,
        schema::FilterTerm(schema::prefix::kAbbrExact, like)}) {
    Xapian::PostingIterator it = db.postlist_begin(term);
    if (it != db.postlist_end(term)) return *it;
  }
  return 0;
}

// The query of --like: the paper's best relevance-feedback terms, ORed, and
// never the paper itself. Empty when the paper is not found.
Xapian::Query LikeQuery(const Xapian::Database& db, const std::string& like) {
  Xapian::docid docid = FindPaper(db, like);
  if (docid == 0) return Xapian::Query();
  Xapian::RSet rset;
  rset.add_document(docid);
  Xapian::Enquire enquire(db);
  TopicTerms decider(db);
  Xapian::ESet eset = enquire.get_eset(kLikeTerms, rset, &decider);
  std::vector<std::string> terms(eset.begin(), eset.end());
  // The words of its keyword labels are common, so feedback ranks them low,
  // but they say best what the paper is about: always use them.
  const std::string keyword_stems = std::string("Z") + schema::prefix::kKeyword;
  Xapian::Document doc = db.get_document(docid);
  for (Xapian::TermIterator it = doc.termlist_begin(); it != doc.termlist_end();
       ++it) {
    it.skip_to(keyword_stems);
    if (it == doc.termlist_end() ||
        (*it).compare(0, keyword_stems.size(), keyword_stems) != 0) {
      break;
    }
    terms.push_back(*it);
  }
  Xapian::Query related(Xapian::Query::OP_OR, terms.begin(), terms.end());
  const std::string id = schema::IdOfDocument(doc);
  Xapian::Query self(schema::prefix::kId + id);
  return Xapian::Query(Xapian::Query::OP_AND_NOT, related, self);
}

// At most this many whitespace-separated words of a query are searched: a
// 10,000-character query of operators parsed into thousands of terms and
// took seconds, and no one types more than a few dozen words.
constexpr size_t kMaxQueryWords = 64;

// The first kMaxQueryWords words of `text` (as written, separators kept), and
// how many words it had.
std::string CapQueryWords(const std::string& text, size_t* words) {
  *words = 0;
  size_t pos = 0, cut = text.size();
  while (pos < text.size()) {
    pos = text.find_first_not_of(" \t\n\r", pos);
    if (pos == std::string::npos) break;
    if (++*words == kMaxQueryWords + 1) cut = pos;
    pos = text.find_first_of(" \t\n\r", pos);
    if (pos == std::string::npos) break;
  }
  return text.substr(0, cut);
}

}  // namespace

SearchOutput Search(const Xapian::Database& db, const SearchConfig& config,
                    SearchWants wants, const Synonyms& synonyms) {
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

  size_t word_count = 0;
  const std::string query = CapQueryWords(config.query, &word_count);
  if (word_count > kMaxQueryWords) {
    output.notices.push_back("the query has " + std::to_string(word_count) +
                             " words; only the first " +
                             std::to_string(kMaxQueryWords) + " are searched");
  }

  QueryBuilder builder(db, synonyms);
  ParsedQuery parsed;
  if (!config.like.empty()) {
    parsed.query = LikeQuery(db, config.like);
    if (parsed.query.empty()) {
      std::string message =
          "no paper with the id or abbreviation '" + config.like + "'";
      output.notices.push_back(message);
      if (!results.suggestion.empty()) results.suggestion += "; ";
      results.suggestion += message;
      results.parsed_query = parsed.query.get_description();
      return output;
    }
  } else {
    parsed = builder.Parse(query, /*all_words=*/true);
  }
  if (parsed.read_as_words) {
    output.notices.push_back(
        "the query's syntax is malformed; searched for "
        "its words instead");
  }
  std::optional<FacetDictionary> dictionary;
  if (wants.facets) dictionary.emplace(db);
  const FacetDictionary* facets = dictionary ? &*dictionary : nullptr;
  Run run = Execute(db, config, parsed.query, filter, facets);

  std::string text = query;
  if (run.mset.get_matches_upper_bound() == 0 && !parsed.query.empty() &&
      config.like.empty()) {
    std::string corrected = builder.Correct(query);
    if (!corrected.empty()) {
      ParsedQuery fixed = builder.Parse(corrected, /*all_words=*/true);
      Run fixed_run = Execute(db, config, fixed.query, filter, facets);
      std::string message = "did you mean '" + corrected + "'?";
      if (fixed_run.mset.get_matches_upper_bound() > 0) {
        run = std::move(fixed_run);
        parsed = std::move(fixed);
        text = corrected;
        results.corrected_query = corrected;
        output.notices.push_back("no paper matches '" + query +
                                 "'; showing results for '" + corrected + "'");
      } else {
        output.notices.push_back(message);
      }
      if (!results.suggestion.empty()) results.suggestion += "; ";
      results.suggestion += message;
    }
  }
  if (run.mset.get_matches_upper_bound() == 0 && !parsed.query.empty() &&
      config.like.empty()) {
    ParsedQuery any = builder.Parse(text, /*all_words=*/false);
    if (!any.query.empty() &&
        any.query.get_description() != parsed.query.get_description()) {
      Run relaxed = Execute(db, config, any.query, filter, facets);
      if (relaxed.mset.get_matches_upper_bound() > 0) {
        run = std::move(relaxed);
        parsed = std::move(any);
        results.relaxed = true;
        output.notices.push_back(
            "no paper matches all the words; showing papers that match any "
            "of them");
      }
    }
  }

  results.parsed_query = run.query.get_description();
  if (text.find('*') != std::string::npos) {
    for (const std::string& wildcard : CappedWildcards(db, run.words)) {
      output.notices.push_back(
          "'" + wildcard + "' matches more than " +
          std::to_string(kMaxWildcardWords) + " words; searched the " +
          std::to_string(kMaxWildcardWords) + " most frequent");
    }
  }
  results.total = run.mset.get_matches_estimated();
  results.total_is_exact =
      run.mset.get_matches_lower_bound() == run.mset.get_matches_upper_bound();
  results.facets = CollectFacets(run, config);

  std::optional<SnippetMaker> snippets;
  if (wants.snippets) {
    snippets.emplace(QueryWords(run.words, parsed.indexed_members));
  }
  unsigned rank = config.offset;
  for (Xapian::MSetIterator it = run.mset.begin(); it != run.mset.end(); ++it) {
    Hit hit;
    hit.rank = ++rank;
    hit.score = it.get_weight();
    Xapian::Document doc = it.get_document();
    // The note is inflated only as far as the snippet reads it, and not at
    // all without snippets.
    StoredNote note;
    DecodeDocumentData(doc.get_data(), &hit.paper,
                       wants.snippets ? &note : nullptr);
    // From the record, as the index's keyword facet was: reading the facet
    // value instead cost a value-stream cursor per hit (0.3 ms for ten).
    hit.keywords = KeywordLabels(hit.paper);
    if (snippets) snippets->Make(&note, &hit);
    if (config.explain && !run.words.empty()) {
      hit.explanation = Explain(db, *run.enquire, it, parsed);
    }
    results.hits.push_back(std::move(hit));
  }
  return output;
}

}  // namespace papersearch
