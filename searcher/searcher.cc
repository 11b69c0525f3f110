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
#include "searcher/execute.h"
#include "searcher/explain.h"
#include "searcher/facet_spy.h"
#include "searcher/filters.h"
#include "searcher/query_builder.h"
#include "searcher/signals.h"
#include "searcher/snippets.h"
#include "searcher/spelling.h"
#include "searcher/stopwords.h"

namespace papersearch {
namespace {

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
    const std::string_view word = schema::TermWord(term);
    if (!word.empty() && static_cast<unsigned char>(word[0]) >= 0xe2) {
      grams.push_back(term);
    }
  }
  return Xapian::Query(Xapian::Query::OP_OR, grams.begin(), grams.end());
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
  check.set_query(Xapian::Query(
      Xapian::Query::OP_FILTER, any.query,
      Xapian::Query(schema::Term(
          schema::prefix::kId, schema::IdOfDocument(db.get_document(docid))))));
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

// Adds `message` to --json's "suggestion" ("; " between messages).
void AddSuggestion(const std::string& message, SearchResults* results) {
  if (!results->suggestion.empty()) results->suggestion += "; ";
  results->suggestion += message;
}

// A message for stderr that is also a suggestion.
void Suggest(const std::string& message, SearchOutput* output) {
  output->notices.push_back(message);
  AddSuggestion(message, &output->results);
}

// One search, stage by stage (Search runs them in order): the filters; the
// query, read once, parsed, and what it names beyond its words (topics, an
// institution, an author); the papers that match all the words; a spelling
// correction when that finds more; the papers that match only some of them,
// or the topic; the totals and facets; the page of hits.
class SearchRun {
 public:
  SearchRun(const Xapian::Database& db, const SearchConfig& config,
            SearchWants wants, const Synonyms& synonyms, const Aliases& aliases)
      : db_(db),
        config_(config),
        wants_(wants),
        aliases_(aliases),
        builder_(db, synonyms, aliases) {
    results_.query = config.query;
    results_.offset = config.offset;
    if (wants.facets) dictionary_.emplace(db);
  }

  SearchOutput RunStages() {
    ReadFilters();
    if (!ReadQuery()) return std::move(output_);
    AddNamedSignals();
    run_ = Execute(db_, config_, Boosted(parsed_.query), filter_, Facets());
    TryCorrection();
    RunPartialTier();
    Summarize();
    AddHits();
    return std::move(output_);
  }

 private:
  const FacetDictionary* Facets() const {
    return dictionary_ ? &*dictionary_ : nullptr;
  }

  // The words' query with the boosts of what the query names.
  Xapian::Query Boosted(const Xapian::Query& words) const {
    if (boost_.empty() || words.empty()) return words;
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, words, boost_);
  }

  void ReadFilters() {
    filter_ = BuildFilterQuery(db_, config_, aliases_);
    for (const std::string& message : filter_.resolved) {
      output_.notices.push_back(message);
    }
    for (const std::string& message : filter_.unknown_values) {
      Suggest(message, &output_);
    }
  }

  // False when --like names no paper: the output is then complete.
  bool ReadQuery() {
    scan_ = builder_.Scan(config_.query);
    // The query is trimmed: a page sends --partial only while the text
    // typed does not end with a space.
    scan_.last_word_partial = config_.partial;
    typed_ = scan_.text;
    if (scan_.word_count > kMaxQueryWords) {
      output_.notices.push_back(
          "the query has " + std::to_string(scan_.word_count) +
          " words; only the first " + std::to_string(kMaxQueryWords) +
          " are searched");
    }
    if (!config_.like.empty()) {
      parsed_.query = LikeQuery(db_, config_.like);
      if (parsed_.query.empty()) {
        Suggest("no paper with the id or abbreviation '" + config_.like + "'",
                &output_);
        results_.parsed_query = parsed_.query.get_description();
        return false;
      }
    } else {
      parsed_ = builder_.Parse(scan_, /*all_words=*/true);
    }
    results_.names = filter_.names;
    results_.names.insert(results_.names.end(), parsed_.names.begin(),
                          parsed_.names.end());
    if (parsed_.read_as_words) {
      output_.notices.push_back(
          "the query's syntax is malformed; searched for its words instead");
    }
    return true;
  }

  // The topics the query names, and an institution, venue or author it is.
  void AddNamedSignals() {
    if (!config_.like.empty()) return;
    // The topics of a synonym group's every member: `sd` names speculative
    // decoding as `speculative decoding` does.
    parsed_.topic_sections =
        FiledSections(db_, TopicsOf(builder_.WithSynonyms(scan_)));
    boost_ = TopicBoost(parsed_.topic_sections);
    // A query that is an institution's acronym or alias ("MIT", "PKU") or a
    // venue's alias ("NIPS") ranks their papers first, and lists them among
    // the partial matches.
    if (scan_.plain) {
      const size_t first = results_.names.size();
      const std::vector<std::string> named =
          InstitutionsAndVenuesNamed(db_, typed_, aliases_, &results_.names);
      SayWhatElseNamed(first);
      if (!named.empty()) {
        // Their papers match the query, as papers with its words do
        // ("SJTU" is Shanghai Jiao Tong University's papers, not only those
        // whose text spells it), and weigh by the boost.
        NamedPapersMatch(
            Xapian::Query(Xapian::Query::OP_OR, named.begin(), named.end()),
            &parsed_.query, &boost_);
        parsed_.named_terms.insert(parsed_.named_terms.end(), named.begin(),
                                   named.end());
      }
    }
    // A query that is an author's name ranks that author's papers first,
    // and they match it even where the text spells the name otherwise
    // ("Christopher Re" for "Christopher Ré").
    if (std::string term = AuthorNamed(db_, scan_); !term.empty()) {
      parsed_.author_term = term;
      NamedPapersMatch(Xapian::Query(term), &parsed_.query, &boost_);
    }
  }

  // Says what else the bare query found as a name (results_.names from
  // `first`), as a filter says it ("NIPS": NeurIPS).
  void SayWhatElseNamed(size_t first) {
    constexpr size_t kShownNames = 5;
    std::vector<std::string> also;
    for (size_t i = first; i < results_.names.size(); ++i) {
      for (const NameResolution::Found& found : results_.names[i].found) {
        if (found.how != "exact") {
          also.push_back(found.name + " (" + found.how + ")");
        }
      }
    }
    if (also.empty()) return;
    std::string list;
    for (size_t i = 0; i < also.size() && i < kShownNames; ++i) {
      list += (i ? ", " : "") + also[i];
    }
    if (also.size() > kShownNames) {
      list += " and " + std::to_string(also.size() - kShownNames) + " more";
    }
    output_.notices.push_back("'" + typed_ + "' also finds the papers of " +
                              list);
  }

  // Spelling: only when a word is in no field of the index, or (when
  // hardly any paper has all the words) in so few that it is likely a typo
  // there too ("atention"); a query of real words is relaxed below, never
  // rewritten; and only a correction that finds more papers than the words
  // as typed. A query that names an institution, a venue or an author is
  // not a misspelling of other words, whatever words it has ("HUST",
  // "UIUC").
  void TryCorrection() {
    const bool few = run_.mset.get_matches_upper_bound() <= kRareWord;
    if (!config_.like.empty() || parsed_.query.empty() ||
        !parsed_.named_terms.empty() || !parsed_.author_term.empty() ||
        !HasUnknownWord(db_, parsed_.query, few ? kRareWord : 0)) {
      return;
    }
    std::string corrected = builder_.Correct(scan_);
    if (few) {
      if (std::string rare =
              builder_.CorrectRare(corrected.empty() ? typed_ : corrected);
          !rare.empty()) {
        corrected = std::move(rare);
      }
    }
    if (IntoStopword(typed_, corrected)) return;  // 'foo' -> 'for'
    if (corrected.empty()) return;
    QueryScan fixed_scan = builder_.Scan(corrected);
    ParsedQuery fixed = builder_.Parse(fixed_scan, /*all_words=*/true);
    fixed.topic_sections = parsed_.topic_sections;
    fixed.author_term = parsed_.author_term;
    fixed.named_terms = parsed_.named_terms;
    Run fixed_run =
        Execute(db_, config_, Boosted(fixed.query), filter_, Facets());
    if (fixed_run.mset.get_matches_estimated() <=
        run_.mset.get_matches_estimated()) {
      return;
    }
    const std::string message = "did you mean '" + corrected + "'?";
    if (run_.mset.get_matches_upper_bound() > 0) {
      Suggest(message, &output_);
      return;
    }
    run_ = std::move(fixed_run);
    parsed_ = std::move(fixed);
    scan_ = std::move(fixed_scan);
    results_.corrected_query = corrected;
    output_.notices.push_back("no paper matches '" + typed_ +
                              "'; showing results for '" + corrected + "'");
    AddSuggestion(message, &results_);
  }

  // The papers that match only some of the words follow those that match
  // them all (unless --all-words): the page is filled from them, and their
  // number is counted either way.
  void RunPartialTier() {
    all_ = run_.mset.get_matches_estimated();
    if (!config_.like.empty() || config_.all_words || parsed_.query.empty()) {
      return;
    }
    // One token parses the same either way: spare the second parse.
    const bool one_token =
        scan_.words.size() == 1 &&
        std::all_of(scan_.text.begin(), scan_.text.end(), [](char c) {
          return static_cast<unsigned char>(c) < 0x80;
        });
    any_ = one_token ? parsed_ : builder_.Parse(scan_, /*all_words=*/false);
    any_.topic_sections = parsed_.topic_sections;
    any_.author_term = parsed_.author_term;
    any_.named_terms = parsed_.named_terms;
    if (any_.query.empty() ||
        (boost_.empty() && any_.synonym_groups.empty() &&
         CjkTerms(any_.query).empty() &&
         any_.query.get_description() == parsed_.query.get_description())) {
      return;  // no paper matches some but not all
    }
    const Xapian::Query some = SomeWordsQuery();
    const Xapian::doccount shown = run_.mset.size();
    std::optional<Xapian::doccount> room;
    if (config_.limit) {
      room = *config_.limit > shown ? *config_.limit - shown : 0;
    }
    if (!room || *room > 0) {
      // The page has room after the full matches: fill it, counting
      // exactly up to kPartialSample.
      const Xapian::doccount offset =
          config_.offset > all_ ? config_.offset - all_ : 0;
      // Facets count the papers that match every word; only when there
      // are none, the partial matches.
      const bool count = all_ == 0 && Facets() != nullptr;
      partial_.emplace(Execute(
          db_, config_, some, filter_, count ? Facets() : nullptr, offset, room,
          count || config_.exact ? Sample(db_, config_) : kPartialSample));
      some_count_ = {partial_->mset.get_matches_estimated(),
                     partial_->mset.get_matches_lower_bound() ==
                         partial_->mset.get_matches_upper_bound()};
    } else {
      // A page of full matches: the partial ones are only counted. In a
      // large collection from Xapian's statistics alone: running the
      // any-word query costs several times the all-words one there.
      some_count_ =
          db_.get_doccount() > kCountPartialUpTo
              ? EstimateMatches(db_, FilterWords(some, filter_))
              : CountMatches(db_, FilterWords(some, filter_), kPartialSample);
    }
  }

  // The partial tier's query: any of the words, the synonym groups' words
  // one by one, the n-grams of a Chinese run, or the topic; never a paper
  // of the full tier.
  Xapian::Query SomeWordsQuery() {
    // Papers filed under a topic the query names are among the partial
    // matches even when their text has none of the words.
    std::vector<Xapian::Query> candidates{any_.query};
    // The words of a synonym group's phrases count one by one too, the
    // words of every member whichever was typed, so that every member
    // gives the same results (`pd disaggregation`, `disaggregated
    // serving`). Only for papers the groups' phrases miss, so no word
    // counts twice. They weigh half: a paper with the phrase comes before
    // one with its words apart.
    if (!any_.synonym_groups.empty()) {
      GroupWordsQuery grouped = builder_.GroupWords(scan_);
      if (!grouped.query.empty()) {
        loose_words_ = grouped.query;
        group_words_ = std::move(grouped.words);
        candidates.emplace_back(
            Xapian::Query::OP_SCALE_WEIGHT,
            Xapian::Query(Xapian::Query::OP_AND_NOT, loose_words_, any_.query),
            kLooseWordsWeight);
      }
    }
    // Chinese typed without spaces is one run of n-grams that the parser
    // requires together; its n-grams count one by one here.
    if (Xapian::Query grams = CjkTerms(any_.query); !grams.empty()) {
      loose_words_ = loose_words_.empty() ? grams
                                          : Xapian::Query(Xapian::Query::OP_OR,
                                                          loose_words_, grams);
      candidates.emplace_back(
          Xapian::Query::OP_SCALE_WEIGHT,
          Xapian::Query(Xapian::Query::OP_AND_NOT, grams, any_.query),
          kLooseWordsWeight);
    }
    if (!boost_.empty()) candidates.push_back(boost_);
    const Xapian::Query either(Xapian::Query::OP_OR, candidates.begin(),
                               candidates.end());
    Xapian::Query some(Xapian::Query::OP_AND_NOT, either, parsed_.query);
    std::vector<Xapian::Query> ranges;
    RequiredRanges(parsed_.query, &ranges);
    if (!ranges.empty()) {
      // The ranges stay required, and a paper must have one of the words
      // (not only be in the range).
      ranges.emplace_back(Xapian::Query::OP_OR, either.get_unique_terms_begin(),
                          either.get_unique_terms_end());
      some = Xapian::Query(
          Xapian::Query::OP_FILTER, some,
          Xapian::Query(Xapian::Query::OP_AND, ranges.begin(), ranges.end()));
    }
    return some;
  }

  // The totals, what they mean, and the facets.
  void Summarize() {
    results_.total_all_words = all_;
    if (partial_ && partial_->mset.empty() && some_count_.estimated == 0) {
      partial_.reset();
    }
    results_.total_some_words = some_count_.estimated;
    results_.some_words_is_exact = some_count_.exact;
    results_.relaxed = all_ == 0 && results_.total_some_words > 0;
    if (results_.relaxed) {
      output_.notices.push_back(
          "no paper matches all the words; showing papers that match some of "
          "them, or the topic");
    }
    results_.parsed_query = run_.query.get_description();
    if (scan_.text.find('*') != std::string::npos) {
      for (const std::string& wildcard : CappedWildcards(db_, run_.words)) {
        output_.notices.push_back(
            "'" + wildcard + "' matches more than " +
            std::to_string(kMaxWildcardWords) + " words; searched the " +
            std::to_string(kMaxWildcardWords) + " most frequent");
      }
    }
    results_.total = results_.total_all_words + results_.total_some_words;
    results_.total_is_exact = run_.mset.get_matches_lower_bound() ==
                                  run_.mset.get_matches_upper_bound() &&
                              results_.some_words_is_exact;
    results_.facets =
        CollectFacets(results_.relaxed ? *partial_ : run_, config_);
  }

  void AddHits() {
    if (wants_.snippets) {
      const bool some = partial_.has_value();
      snippets_.emplace(
          QueryWords(some ? any_.query : parsed_.query,
                     some ? any_.indexed_members : parsed_.indexed_members));
    }
    AddHits(run_, parsed_, config_.offset, false);
    if (partial_) {
      AddHits(*partial_, any_, std::max<unsigned>(config_.offset, all_), true);
    }
  }

  void AddHits(const Run& from, const ParsedQuery& words, unsigned rank,
               bool is_partial) {
    for (Xapian::MSetIterator it = from.mset.begin(); it != from.mset.end();
         ++it) {
      Hit hit;
      hit.rank = ++rank;
      hit.score = it.get_weight();
      hit.partial = is_partial;
      Xapian::Document doc = it.get_document();
      // The note is inflated only as far as the snippet reads it, and not
      // at all without snippets.
      StoredNote note;
      DecodeDocumentData(doc.get_data(), &hit.paper,
                         wants_.snippets ? &note : nullptr);
      // From the record, as the index's keyword facet was: reading the
      // facet value instead cost a value-stream cursor per hit.
      hit.keywords = KeywordLabels(hit.paper);
      if (snippets_) snippets_->Make(&note, &hit);
      if (config_.explain && !from.words.empty()) {
        hit.explanation = Explain(
            db_, *from.enquire, it,
            is_partial
                ? PartialWords(db_, words, loose_words_, group_words_, *it)
                : words);
      }
      results_.hits.push_back(std::move(hit));
    }
  }

  const Xapian::Database& db_;
  const SearchConfig& config_;
  const SearchWants wants_;
  const Aliases& aliases_;
  const QueryBuilder builder_;
  SearchOutput output_;
  SearchResults& results_ = output_.results;
  std::optional<FacetDictionary> dictionary_;
  FilterQuery filter_;
  QueryScan scan_;
  std::string typed_;    // the query as typed (capped), kept after a correction
  ParsedQuery parsed_;   // all the words
  Xapian::Query boost_;  // what the query names (topics, names), weighed
  Run run_;              // the full tier
  Xapian::doccount all_ = 0;  // its matches
  // The partial tier: its query's parse, its run and count, and for
  // --explain the words that count one by one.
  ParsedQuery any_;
  std::optional<Run> partial_;
  Count some_count_;
  Xapian::Query loose_words_;
  std::vector<ScaledQuery> group_words_;
  std::optional<SnippetMaker> snippets_;
};

}  // namespace

SearchOutput Search(const Xapian::Database& db, const SearchConfig& config,
                    SearchWants wants, const Synonyms& synonyms,
                    const Aliases& aliases) {
  return SearchRun(db, config, wants, synonyms, aliases).RunStages();
}

}  // namespace papersearch
