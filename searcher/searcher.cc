#include "searcher/searcher.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/document_data.h"
#include "common/names.h"
#include "common/topics.h"
#include "schema.h"
#include "searcher/explain.h"
#include "searcher/facet_spy.h"
#include "searcher/filters.h"
#include "searcher/query_builder.h"
#include "searcher/snippets.h"
#include "searcher/spelling.h"
#include "searcher/stopwords.h"

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

// Runs `words` under `filter`, returning hits [offset, offset + limit)
// (limit nullopt: every match). With `facets`, a spy counts the first
// kFacetSample matches (every match with --exact), which also makes the
// total exact up to there; without, Xapian examines only what the page needs
// and the total is an estimate.
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

// The matches Xapian examines for the total and the facets: kFacetSample,
// or every one with --exact.
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

// What the collection's own sections say: the papers filed under a section
// the query names (common/topics.h, FiledSections) get kTopicWeight added to
// their score, once per section (FixedBoost). Empty when there is none.
Xapian::Query TopicBoost(
    const std::vector<std::vector<std::string>>& sections) {
  std::vector<Xapian::Query> parts;
  for (const std::vector<std::string>& section : sections) {
    std::vector<Xapian::Query> labels;
    for (const std::string& label : section) {
      labels.emplace_back(KeywordFilterTerm(label));
    }
    parts.push_back(FixedBoost(
        kTopicWeight,
        Xapian::Query(Xapian::Query::OP_OR, labels.begin(), labels.end())));
  }
  return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

// The value ranges (`year:2023..2025`) that `query` requires: those reached
// from its root through AND and FILTER. They stay required in the papers
// that match only some of the words, where the parser's default OR would
// make them optional.
void RequiredRanges(const Xapian::Query& query,
                    std::vector<Xapian::Query>* ranges) {
  switch (query.get_type()) {
    case Xapian::Query::OP_VALUE_RANGE:
    case Xapian::Query::OP_VALUE_GE:
    case Xapian::Query::OP_VALUE_LE: ranges->push_back(query); return;
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_AND_MAYBE:
      for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
        // AND_MAYBE requires only its first subquery.
        if (query.get_type() == Xapian::Query::OP_AND_MAYBE && i > 0) break;
        RequiredRanges(query.get_subquery(i), ranges);
      }
      return;
    default: return;
  }
}

// The CJK n-gram terms of `query` (any field), ORed; empty when it has none.
Xapian::Query CjkTerms(const Xapian::Query& query) {
  std::vector<std::string> grams;
  for (auto it = query.get_unique_terms_begin();
       it != query.get_unique_terms_end(); ++it) {
    const std::string& term = *it;
    // A synonym group's term stands for its members, whose words the
    // index may have in other groups' papers; it misspells nothing.
    if (term.starts_with(schema::prefix::kSynonymGroup)) continue;
    size_t start = 0;
    while (start < term.size() && term[start] >= 'A' && term[start] <= 'Z') {
      ++start;
    }
    if (start < term.size() &&
        static_cast<unsigned char>(term[start]) >= 0xe2) {
      grams.push_back(term);
    }
  }
  return Xapian::Query(Xapian::Query::OP_OR, grams.begin(), grams.end());
}

// The author filter term of the name `query` is, when it is one in the
// index (as typed or without middle initials); "" otherwise. Only plain
// words: a query with field prefixes, quotes or operators is not a name.
std::string AuthorNamed(const Xapian::Database& db, const QueryScan& scan) {
  if (!scan.plain || scan.words.size() < 2) return "";  // one word: no name
  for (const std::string& key : NameKeys(scan.text)) {
    std::string term = schema::NameTerm(schema::prefix::kAuthorFilter, key);
    if (db.term_exists(term)) return term;
  }
  return "";
}

// The papers `named` matches (an author's, an institution's) match the
// query, as papers with its words do, without weighing by its terms
// (`words` gains them at weight 0), and weigh kAuthorWeight (`boost` gains
// them).
void NamedPapersMatch(const Xapian::Query& named, Xapian::Query* words,
                      Xapian::Query* boost) {
  const Xapian::Query weighed = FixedBoost(kAuthorWeight, named);
  *boost = boost->empty()
               ? weighed
               : Xapian::Query(Xapian::Query::OP_OR, *boost, weighed);
  if (!words->empty()) {
    *words = Xapian::Query(
        Xapian::Query::OP_OR, *words,
        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, named, 0.0));
  }
}

// How many papers match: an estimate unless `exact`.
struct Count {
  Xapian::doccount estimated = 0;
  bool exact = true;
};

// The number of matches of `query`, exact up to `check`.
Count CountMatches(const Xapian::Database& db, const Xapian::Query& query,
                   Xapian::doccount check) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  const Xapian::MSet mset = enquire.get_mset(0, 1, check);
  return {mset.get_matches_estimated(),
          mset.get_matches_lower_bound() == mset.get_matches_upper_bound()};
}

// The number of matches of `query` from Xapian's statistics alone (no
// match is examined): exact when its bounds meet.
Count EstimateMatches(const Xapian::Database& db, const Xapian::Query& query) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  const Xapian::MSet mset = enquire.get_mset(0, 0);
  return {mset.get_matches_estimated(),
          mset.get_matches_lower_bound() == mset.get_matches_upper_bound()};
}

// What placed partial match `docid`, for --explain: the any-word query
// `any` when the paper matches it, else its words one by one
// (`loose_words`), which weigh kLooseWordsWeight, those of synonym groups
// (`group_words`) each times its scale.
ParsedQuery PartialWords(const Xapian::Database& db, const ParsedQuery& any,
                         const Xapian::Query& loose_words,
                         const std::vector<ScaledQuery>& group_words,
                         Xapian::docid docid) {
  ParsedQuery scored = any;
  Xapian::Enquire check(db);
  // Appended, not prepended: GCC 12 warns (-Wrestrict, falsely) about
  // const char* + std::string&& here.
  std::string id_term = schema::prefix::kId;
  id_term += schema::IdOfDocument(db.get_document(docid));
  check.set_query(Xapian::Query(Xapian::Query::OP_FILTER, any.query,
                                Xapian::Query(id_term)));
  const bool in_any = !check.get_mset(0, 1).empty();
  const Xapian::Query& from =
      in_any || loose_words.empty() ? any.query : loose_words;
  scored.scored_terms.assign(from.get_unique_terms_begin(),
                             from.get_unique_terms_end());
  if (!in_any) {
    scored.synonym_groups.clear();
    scored.abbr_boost = Xapian::Query();
    scored.term_scale = kLooseWordsWeight;
    for (const ScaledQuery& word : group_words) {
      scored.scaled_words.push_back(
          {word.query, kLooseWordsWeight * word.scale});
    }
  }
  return scored;
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
  // Papers filed under the same sections come first: each shared label
  // counts as a topic the query names.
  std::vector<std::vector<std::string>> labels;
  StoredPaper paper;
  if (DecodeDocumentData(doc.get_data(), &paper)) {
    for (const std::string& label : KeywordLabels(paper)) {
      labels.push_back({label});
    }
  }
  if (!labels.empty()) {
    related = Xapian::Query(Xapian::Query::OP_OR, related, TopicBoost(labels));
  }
  const std::string id = schema::IdOfDocument(doc);
  Xapian::Query self(schema::prefix::kId + id);
  return Xapian::Query(Xapian::Query::OP_AND_NOT, related, self);
}

}  // namespace

SearchOutput Search(const Xapian::Database& db, const SearchConfig& config,
                    SearchWants wants, const Synonyms& synonyms,
                    const Aliases& aliases) {
  SearchOutput output;
  SearchResults& results = output.results;
  results.query = config.query;
  results.offset = config.offset;

  FilterQuery filter = BuildFilterQuery(db, config, aliases);
  for (const std::string& message : filter.resolved) {
    output.notices.push_back(message);
  }
  for (const std::string& message : filter.unknown_values) {
    output.notices.push_back(message);
    if (!results.suggestion.empty()) results.suggestion += "; ";
    results.suggestion += message;
  }

  QueryBuilder builder(db, synonyms, aliases);
  QueryScan scan = builder.Scan(config.query);
  const std::string query = scan.text;  // as typed, kept after a correction
  if (scan.word_count > kMaxQueryWords) {
    output.notices.push_back("the query has " +
                             std::to_string(scan.word_count) +
                             " words; only the first " +
                             std::to_string(kMaxQueryWords) + " are searched");
  }

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
    parsed = builder.Parse(scan, /*all_words=*/true);
  }
  results.names = filter.names;
  results.names.insert(results.names.end(), parsed.names.begin(),
                       parsed.names.end());
  if (parsed.read_as_words) {
    output.notices.push_back(
        "the query's syntax is malformed; searched for "
        "its words instead");
  }
  std::optional<FacetDictionary> dictionary;
  if (wants.facets) dictionary.emplace(db);
  const FacetDictionary* facets = dictionary ? &*dictionary : nullptr;
  std::vector<std::vector<std::string>> topics;
  // The topics of a synonym group's every member: `sd` names speculative
  // decoding as `speculative decoding` does.
  if (config.like.empty()) {
    topics = FiledSections(db, TopicsOf(builder.WithSynonyms(scan)));
  }
  Xapian::Query boost = TopicBoost(topics);
  // Where results.names has how the bare query itself was read as names.
  size_t bare_names_begin = results.names.size();
  constexpr size_t kShownNames = 5;
  // A query that is an institution's acronym or alias ("MIT", "PKU") or a
  // venue's alias ("NIPS") ranks their papers first, and lists them among
  // the partial matches.
  if (config.like.empty() && scan.plain) {
    bare_names_begin = results.names.size();
    const std::vector<std::string> named =
        InstitutionsAndVenuesNamed(db, query, aliases, &results.names);
    // Say what else the name found, as a filter says it ("NIPS": NeurIPS).
    std::vector<std::string> also;
    for (size_t i = bare_names_begin; i < results.names.size(); ++i) {
      for (const NameResolution::Found& found : results.names[i].found) {
        if (found.how != "exact") {
          also.push_back(found.name + " (" + found.how + ")");
        }
      }
    }
    if (!also.empty()) {
      std::string list;
      for (size_t i = 0; i < also.size() && i < kShownNames; ++i) {
        list += (i ? ", " : "") + also[i];
      }
      if (also.size() > kShownNames) {
        list += " and " + std::to_string(also.size() - kShownNames) + " more";
      }
      output.notices.push_back("'" + query + "' also finds the papers of " +
                               list);
    }
    if (!named.empty()) {
      // Their papers match the query, as papers with its words do ("SJTU"
      // is Shanghai Jiao Tong University's papers, not only those whose
      // text spells it), and weigh by the boost.
      NamedPapersMatch(
          Xapian::Query(Xapian::Query::OP_OR, named.begin(), named.end()),
          &parsed.query, &boost);
      for (const std::string& term : named) {
        parsed.named_terms.push_back(term);
      }
    }
  }
  // A query that is an author's name ranks that author's papers first, and
  // they match it even where the text spells the name otherwise
  // ("Christopher Re" for "Christopher Ré").
  if (config.like.empty()) {
    if (std::string term = AuthorNamed(db, scan); !term.empty()) {
      parsed.author_term = term;
      NamedPapersMatch(Xapian::Query(term), &parsed.query, &boost);
    }
  }
  parsed.topic_sections = topics;
  auto boosted = [&](const Xapian::Query& words) {
    if (boost.empty() || words.empty()) return words;
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, words, boost);
  };
  Run run = Execute(db, config, boosted(parsed.query), filter, facets);

  // Spelling: only when a word is in no field of the index, or (when
  // hardly any paper has all the words) in so few that it is likely a typo
  // there too ("atention"); a query of real words is relaxed below, never
  // rewritten; and only a correction that finds more papers than the words as
  // typed. A query that names an institution, a venue or an author is not a
  // misspelling of other words, whatever words it has ("HUST", "UIUC").
  const bool few = run.mset.get_matches_upper_bound() <= kRareWord;
  if (config.like.empty() && !parsed.query.empty() &&
      parsed.named_terms.empty() && parsed.author_term.empty() &&
      HasUnknownWord(db, parsed.query, few ? kRareWord : 0)) {
    std::string corrected = builder.Correct(scan);
    if (few) {
      if (std::string rare =
              builder.CorrectRare(corrected.empty() ? query : corrected);
          !rare.empty()) {
        corrected = std::move(rare);
      }
    }
    if (IntoStopword(query, corrected)) corrected.clear();  // 'foo' -> 'for'
    if (!corrected.empty()) {
      QueryScan fixed_scan = builder.Scan(corrected);
      ParsedQuery fixed = builder.Parse(fixed_scan, /*all_words=*/true);
      fixed.topic_sections = parsed.topic_sections;
      fixed.author_term = parsed.author_term;
      fixed.named_terms = parsed.named_terms;
      Run fixed_run = Execute(db, config, boosted(fixed.query), filter, facets);
      const std::string message = "did you mean '" + corrected + "'?";
      if (fixed_run.mset.get_matches_estimated() >
          run.mset.get_matches_estimated()) {
        if (run.mset.get_matches_upper_bound() == 0) {
          run = std::move(fixed_run);
          parsed = std::move(fixed);
          scan = std::move(fixed_scan);
          results.corrected_query = corrected;
          output.notices.push_back("no paper matches '" + query +
                                   "'; showing results for '" + corrected +
                                   "'");
        } else {
          output.notices.push_back(message);
        }
        if (!results.suggestion.empty()) results.suggestion += "; ";
        results.suggestion += message;
      }
    }
  }

  // The papers that match only some of the words follow those that match
  // them all (unless --all-words): the page is filled from them, and their
  // number is counted either way.
  const Xapian::doccount all = run.mset.get_matches_estimated();
  std::optional<Run> partial;
  Count some_count;
  ParsedQuery any;
  Xapian::Query loose_words;             // of the partial tier, for --explain
  std::vector<ScaledQuery> group_words;  // its synonym groups' words
  if (config.like.empty() && !config.all_words && !parsed.query.empty()) {
    // One token parses the same either way: spare the second parse.
    const bool one_token =
        scan.words.size() == 1 &&
        std::all_of(scan.text.begin(), scan.text.end(), [](char c) {
          return static_cast<unsigned char>(c) < 0x80;
        });
    any = one_token ? parsed : builder.Parse(scan, /*all_words=*/false);
    any.topic_sections = parsed.topic_sections;
    any.author_term = parsed.author_term;
    any.named_terms = parsed.named_terms;
    if (!any.query.empty() &&
        (!boost.empty() || !any.synonym_groups.empty() ||
         !CjkTerms(any.query).empty() ||
         any.query.get_description() != parsed.query.get_description())) {
      // Papers filed under a topic the query names are among the partial
      // matches even when their text has none of the words.
      std::vector<Xapian::Query> candidates{any.query};
      // The words of a synonym group's phrases count one by one too, the
      // words of every member whichever was typed, so that every member
      // gives the same results (`pd disaggregation`, `disaggregated
      // serving`). Only for papers the groups' phrases miss, so no word
      // counts twice. They weigh half: a paper with the phrase comes before
      // one with its words apart.
      if (!any.synonym_groups.empty()) {
        GroupWordsQuery grouped = builder.GroupWords(scan);
        const Xapian::Query& words = grouped.query;
        if (!words.empty()) {
          loose_words = words;
          group_words = std::move(grouped.words);
          candidates.emplace_back(
              Xapian::Query::OP_SCALE_WEIGHT,
              Xapian::Query(Xapian::Query::OP_AND_NOT, words, any.query),
              kLooseWordsWeight);
        }
      }
      // Chinese typed without spaces is one run of n-grams that the parser
      // requires together; its n-grams count one by one here.
      if (Xapian::Query grams = CjkTerms(any.query); !grams.empty()) {
        loose_words = loose_words.empty() ? grams
                                          : Xapian::Query(Xapian::Query::OP_OR,
                                                          loose_words, grams);
        candidates.emplace_back(
            Xapian::Query::OP_SCALE_WEIGHT,
            Xapian::Query(Xapian::Query::OP_AND_NOT, grams, any.query),
            kLooseWordsWeight);
      }
      if (!boost.empty()) candidates.push_back(boost);
      const Xapian::Query either(Xapian::Query::OP_OR, candidates.begin(),
                                 candidates.end());
      Xapian::Query some(Xapian::Query::OP_AND_NOT, either, parsed.query);
      std::vector<Xapian::Query> ranges;
      RequiredRanges(parsed.query, &ranges);
      if (!ranges.empty()) {
        // The ranges stay required, and a paper must have one of the words
        // (not only be in the range).
        const Xapian::Query words(Xapian::Query::OP_OR,
                                  either.get_unique_terms_begin(),
                                  either.get_unique_terms_end());
        ranges.push_back(words);
        some = Xapian::Query(
            Xapian::Query::OP_FILTER, some,
            Xapian::Query(Xapian::Query::OP_AND, ranges.begin(), ranges.end()));
      }
      const Xapian::doccount shown = run.mset.size();
      std::optional<Xapian::doccount> room;
      if (config.limit) {
        room = *config.limit > shown ? *config.limit - shown : 0;
      }
      if (!room || *room > 0) {
        // The page has room after the full matches: fill it, counting
        // exactly up to kPartialSample.
        const Xapian::doccount offset =
            config.offset > all ? config.offset - all : 0;
        // Facets count the papers that match every word; only when there
        // are none, the partial matches.
        const bool count = all == 0 && facets != nullptr;
        partial.emplace(Execute(
            db, config, some, filter, count ? facets : nullptr, offset, room,
            count || config.exact ? Sample(db, config) : kPartialSample));
        some_count = {partial->mset.get_matches_estimated(),
                      partial->mset.get_matches_lower_bound() ==
                          partial->mset.get_matches_upper_bound()};
      } else {
        // A page of full matches: the partial ones are only counted. In a
        // large collection from Xapian's statistics alone: running the
        // any-word query costs several times the all-words one there.
        some_count =
            db.get_doccount() > kCountPartialUpTo
                ? EstimateMatches(db, FilterWords(some, filter))
                : CountMatches(db, FilterWords(some, filter), kPartialSample);
      }
    }
  }
  results.total_all_words = all;
  if (partial && partial->mset.empty() && some_count.estimated == 0) {
    partial.reset();
  }
  results.total_some_words = some_count.estimated;
  results.some_words_is_exact = some_count.exact;
  results.relaxed = all == 0 && results.total_some_words > 0;
  if (results.relaxed) {
    output.notices.push_back(
        "no paper matches all the words; showing papers that match some of "
        "them, or the topic");
  }

  results.parsed_query = run.query.get_description();
  if (scan.text.find('*') != std::string::npos) {
    for (const std::string& wildcard : CappedWildcards(db, run.words)) {
      output.notices.push_back(
          "'" + wildcard + "' matches more than " +
          std::to_string(kMaxWildcardWords) + " words; searched the " +
          std::to_string(kMaxWildcardWords) + " most frequent");
    }
  }
  results.total = results.total_all_words + results.total_some_words;
  results.total_is_exact = run.mset.get_matches_lower_bound() ==
                               run.mset.get_matches_upper_bound() &&
                           results.some_words_is_exact;
  results.facets = CollectFacets(results.relaxed ? *partial : run, config);

  std::optional<SnippetMaker> snippets;
  if (wants.snippets) {
    const bool some = partial.has_value();
    snippets.emplace(
        QueryWords(some ? any.query : parsed.query,
                   some ? any.indexed_members : parsed.indexed_members));
  }
  auto add_hits = [&](const Run& from, const ParsedQuery& words, unsigned rank,
                      bool is_partial) {
    for (Xapian::MSetIterator it = from.mset.begin(); it != from.mset.end();
         ++it) {
      Hit hit;
      hit.rank = ++rank;
      hit.score = it.get_weight();
      hit.partial = is_partial;
      Xapian::Document doc = it.get_document();
      // The note is inflated only as far as the snippet reads it, and not at
      // all without snippets.
      StoredNote note;
      DecodeDocumentData(doc.get_data(), &hit.paper,
                         wants.snippets ? &note : nullptr);
      // From the record, as the index's keyword facet was: reading the
      // facet value instead cost a value-stream cursor per hit.
      hit.keywords = KeywordLabels(hit.paper);
      if (snippets) snippets->Make(&note, &hit);
      if (config.explain && !from.words.empty()) {
        hit.explanation = Explain(
            db, *from.enquire, it,
            is_partial ? PartialWords(db, words, loose_words, group_words, *it)
                       : words);
      }
      results.hits.push_back(std::move(hit));
    }
  };
  add_hits(run, parsed, config.offset, false);
  if (partial) {
    add_hits(*partial, any, std::max<unsigned>(config.offset, all), true);
  }
  return output;
}

}  // namespace papersearch
