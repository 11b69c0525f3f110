// The query language: turning the user's query text into a Xapian query.
#ifndef PAPERSEARCH_SEARCHER_QUERY_BUILDER_H_
#define PAPERSEARCH_SEARCHER_QUERY_BUILDER_H_

#include <xapian.h>

#include <string>
#include <vector>

#include "common/aliases.h"
#include "common/synonyms.h"
#include "searcher/query_scan.h"
#include "searcher/query_text.h"
#include "searcher/search_results.h"

namespace papersearch {

// A query and how many times its weight counts.
struct ScaledQuery {
  Xapian::Query query;
  double scale = 1.0;
};

struct ParsedQuery {
  // Empty (Query().empty()) when the text has no words to search for.
  Xapian::Query query;
  // True when the text was malformed and was re-read as plain words.
  bool read_as_words = false;
  // The synonym groups applied: each an OP_SYNONYM query that weighs as one
  // term (see Synonyms), for --explain.
  std::vector<Xapian::Query> synonym_groups;
  // The members of the built-in groups applied whose queries are the
  // groups' terms (schema::prefix::kSynonymGroup), not their words: for
  // marking their words in snippets.
  std::vector<std::string> indexed_members;
  // The abbreviation boost's query before scaling, or empty when the text is
  // not an abbreviation; it counts kAbbrBoost times. For --explain.
  Xapian::Query abbr_boost;
  // The phrase of the text's words in titles, or empty (TitlePhrase); a
  // paper it matches gains kTitlePhraseWeight. For --explain.
  Xapian::Query title_phrase;
  // The words of each phrase in title_phrase, in order, for --explain.
  std::vector<std::string> title_phrase_words;
  // Its terms that the rest of the query does not score (they only select
  // the papers the boost applies to).
  std::vector<std::string> title_phrase_only;
  // Set by Search, for --explain: the sections (FiledSections) of the
  // topics the query names; each adds kTopicWeight to the papers filed
  // under any of its labels.
  std::vector<std::vector<std::string>> topic_sections;
  // For --explain of a partial match: when not empty, only these terms
  // placed it (the others of the query matched without counting), each
  // weighing term_scale times its BM25 weight.
  std::vector<std::string> scored_terms;
  double term_scale = 1.0;
  // For --explain of a partial match: words (queries) explained as one
  // part each, their weight times their scale, before scored_terms.
  std::vector<ScaledQuery> scaled_words;
  // The institution and venue filter terms the query names as an acronym or
  // alias; each adds kAuthorWeight.
  std::vector<std::string> named_terms;
  // The author filter term of the name the query is ("" when it is none);
  // it adds kAuthorWeight.
  std::string author_term;
  // How each `inst:` and `venue:` value was read.
  std::vector<NameResolution> names;
};

// Spelling of words the index has but rarely (QueryBuilder::CorrectRare).
inline constexpr Xapian::doccount kRareWord = 2;
inline constexpr Xapian::doccount kRarerBy = 20;
inline constexpr size_t kMinCorrectedLength = 4;

// How much an exact abbreviation match outweighs ordinary field matches.
inline constexpr double kAbbrBoost = 4.0;

// What a keyword label the query names (common/topics.h) adds to the score
// of each paper filed under it: about what a title match of a rare word
// adds, so that among papers that match the words alike those filed under
// the topic come first (benchmarks/README.md, "Relevance").
inline constexpr double kTopicWeight = 10.0;

// What a title that holds the query's words as a phrase (three words or
// more, stopwords included: "structural pruning of large language models")
// adds: a known item typed from memory comes before papers that merely share
// its words, and a topic's own phrase in a title is evidence of the topic.
inline constexpr double kTitlePhraseWeight = 10.0;

// `weight` for each paper `papers` matches, whatever its terms weigh: for
// boosts that count once per paper (topics, names, title phrases).
Xapian::Query FixedBoost(double weight, const Xapian::Query& papers);

// What a query that is an author's name ("song han") adds to that author's
// papers: more than any field match, so that they come first.
inline constexpr double kAuthorWeight = 20.0;

// Among the partial matches, what the words of a synonym group's phrase (or
// a Chinese run) weigh when the paper has them apart: a paper with the
// phrase comes first.
inline constexpr double kLooseWordsWeight = 0.5;

// Xapian's parser flags for the query language, and for plain words.
inline constexpr unsigned kFullSyntax =
    Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_PURE_NOT | Xapian::QueryParser::FLAG_CJK_NGRAM;
inline constexpr unsigned kPlainWords = Xapian::QueryParser::FLAG_CJK_NGRAM;

// A wildcard (`quant*`) searches at most this many of the words it matches
// in each field, the most frequent ones. Unbounded, a short prefix in a
// large collection matches thousands of words, each a posting list to open;
// the words past the hundredth are rare, so the papers they alone would add
// are few. CappedWildcards names the wildcards cut short.
inline constexpr Xapian::termcount kMaxWildcardWords = 100;

// Parses query text with Xapian's QueryParser configured for this index:
// English stemming (STEM_SOME), CJK n-grams, phrases, AND/OR/NOT, +/-,
// parentheses, `quant*` wildcards, the field prefixes title: abbr: author:
// inst: venue: keyword: note: code: baseline: id: year:, and year ranges
// `year:2023..2025`. A query equal to a paper's abbreviation ranks that paper
// first. Plain words and phrases that are in a synonym group also match the
// group's other members, weighted as one term. Holds references to `db` and
// `synonyms`, which must outlive it. Not thread-safe.

// QueryBuilder::GroupWords: the query, the OR of its words, each scaled.
struct GroupWordsQuery {
  Xapian::Query query;
  std::vector<ScaledQuery> words;
};

class QueryBuilder {
 public:
  // `aliases` read `inst:` and `venue:` values as --institution and --venue
  // read them.
  explicit QueryBuilder(const Xapian::Database& db,
                        const Synonyms& synonyms = BuiltInSynonyms(),
                        const Aliases& aliases = BuiltInAliases());

  // `text` scanned with this builder's synonyms (ScanQuery).
  QueryScan Scan(const std::string& text) const {
    return ScanQuery(text, synonyms_);
  }

  // `all_words`: plain words must all match (AND); otherwise any (OR).
  // Explicit operators keep their meaning either way. Never throws for bad
  // syntax (the text is then read as plain words); may throw Xapian::Error
  // for database errors.
  ParsedQuery Parse(const QueryScan& scan, bool all_words) const;
  // Parse(Scan(text)), for a text parsed once (tests, benchmarks).
  ParsedQuery Parse(const std::string& text, bool all_words) const;

  // The words of every member of each synonym group the plain words of
  // `text` name, each on its own, any of them (OR): for `pd disaggregation`
  // pd OR disaggregation OR prefill OR decode OR disaggregated OR serving
  // (stemmed), each weighing the number of the group's members that have
  // it. For the papers that match only some of the words; the same for
  // every member of a group. Empty when the text names no group.
  GroupWordsQuery GroupWords(const QueryScan& scan) const;
  GroupWordsQuery GroupWords(const std::string& text) const;

  // `text` followed by every member of each synonym group its plain words
  // name (`sd` -> `sd speculative decoding speculative sampling ...`): the
  // text whose topics (common/topics.h) a query names, the same for every
  // member of a group.
  std::string WithSynonyms(const QueryScan& scan) const;

  // `text` with each word the index does not know replaced by the closest
  // word it does know (Xapian's spelling data, written by paperindex), or ""
  // when no word was corrected. May throw Xapian::Error. In spelling.cc.
  std::string Correct(const QueryScan& scan) const;

  // The words of `text` (plain words of kMinCorrectedLength letters or more)
  // that are in the index but rare in it (kRareWord papers or fewer: a typo
  // in some note, "atention") respelt as a word one edit away and kRarerBy
  // times as common ("attention"); "" when none is. Abbreviations are never
  // respelt. In spelling.cc.
  std::string CorrectRare(const std::string& text) const;

  // In how many papers `word` (one word, any case) is a term of the
  // bare-word fields, as typed or stemmed (the larger).
  Xapian::doccount WordFrequency(std::string_view word) const;

 private:
  // Parses `text` with `flags`: the markers of `keywords`' values and, when
  // `spans` is given, of synonym spans, through their field processors
  // (query_fields.h), which record what they read in `parsed` (nullptr:
  // nowhere). `corrected`: receives the spelling correction.
  Xapian::Query ParseWithFlags(const std::string& text,
                               const MarkedKeywords* keywords,
                               const std::vector<std::string>* spans,
                               unsigned flags, bool all_words,
                               ParsedQuery* parsed,
                               std::string* corrected) const;
  // The abbreviation words of a query equal to an abbreviation (unscaled,
  // filtered to that abbreviation), or an empty query.
  Xapian::Query AbbrBoost(const std::string& text) const;
  // The text's words as a phrase in titles when it is plain and has
  // kMinTitlePhraseWords or more words, each a title word; else an empty
  // query. In query_expansion.cc, with AbbrBoost, GroupWords and
  // WithSynonyms.
  Xapian::Query TitlePhrase(const QueryScan& scan,
                            std::vector<std::string>* words) const;

  const Xapian::Database& db_;
  const Synonyms& synonyms_;
  const Aliases& aliases_;
  // The database has the terms of the built-in groups we know
  // (schema::kSynonymsKey).
  const bool group_terms_;
};

// The wildcards of `query` (a QueryBuilder's) that match more than
// kMaxWildcardWords words of `db` in some field, as the user wrote them
// (`spars*`), each once, in query order. May throw Xapian::Error.
std::vector<std::string> CappedWildcards(const Xapian::Database& db,
                                         const Xapian::Query& query);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_QUERY_BUILDER_H_
