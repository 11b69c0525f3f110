#include "searcher/query_builder.h"

#include <algorithm>
#include <cctype>

#include "schema.h"
#include "searcher/query_fields.h"
#include "searcher/stopwords.h"

namespace papersearch {

QueryBuilder::QueryBuilder(const Xapian::Database& db, const Synonyms& synonyms,
                           const Aliases& aliases)
    : db_(db),
      synonyms_(synonyms),
      aliases_(aliases),
      group_terms_(!synonyms.empty() && db.get_metadata(schema::kSynonymsKey) ==
                                            SynonymsFingerprint()) {}

Xapian::Query QueryBuilder::ParseWithFlags(
    const std::string& text, const MarkedKeywords* keywords,
    const std::vector<std::string>* spans, unsigned flags, bool all_words,
    ParsedQuery* parsed, std::string* corrected) const {
  Xapian::QueryParser parser;
  parser.set_database(db_);
  parser.set_stemmer(schema::Stemmer());
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.set_stopper(&EnglishStopper());
  parser.set_default_op(all_words ? Xapian::Query::OP_AND
                                  : Xapian::Query::OP_OR);
  parser.set_max_expansion(kMaxWildcardWords,
                           Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
  for (const char* bare : schema::kBareWordPrefixes)
    parser.add_prefix("", bare);
  if (spans != nullptr && !spans->empty()) {
    parser.add_prefix(
        kSynonymField,
        NewSynonymFieldProcessor(synonyms_, group_terms_, *spans, parsed));
  }
  for (const schema::TextField& field : schema::kTextFields) {
    if (field.query_name != nullptr) {
      parser.add_prefix(field.query_name, field.prefix);
    }
  }
  if (keywords != nullptr && !keywords->values.empty()) {
    parser.add_prefix(kKeywordField,
                      NewValueFieldProcessor(db_, aliases_, *keywords, parsed));
  }
  parser.add_boolean_prefix("id", schema::prefix::kId);
  parser.add_boolean_prefix("year", schema::prefix::kYearFilter);
  parser.add_rangeprocessor(
      (new Xapian::NumberRangeProcessor(schema::slot::kYear, "year:"))
          ->release());
  if (corrected != nullptr) {
    Xapian::Query query = parser.parse_query(
        text, flags | Xapian::QueryParser::FLAG_SPELLING_CORRECTION);
    *corrected = parser.get_corrected_query_string();
    return query;
  }
  return parser.parse_query(text, flags);
}

namespace {

// The term pattern of an OP_WILDCARD query ("XNspars"). Xapian 1.4 has no
// accessor for it; its description is "Query(WILDCARD OR XNspars)", the
// combining operator then the pattern (tests/query_builder_test.cc pins
// this).
std::string WildcardPattern(const Xapian::Query& wildcard) {
  const std::string description = wildcard.get_description();
  const std::string_view start = "Query(WILDCARD ";
  if (description.compare(0, start.size(), start) != 0 ||
      description.back() != ')') {
    return std::string();
  }
  const size_t space = description.find(' ', start.size());
  if (space == std::string::npos) return std::string();
  return description.substr(space + 1, description.size() - space - 2);
}

void FindCappedWildcards(const Xapian::Database& db, const Xapian::Query& query,
                         std::vector<std::string>* capped) {
  if (query.get_type() != Xapian::Query::OP_WILDCARD) {
    for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
      FindCappedWildcards(db, query.get_subquery(i), capped);
    }
    return;
  }
  const std::string pattern = WildcardPattern(query);
  if (pattern.empty()) return;
  Xapian::termcount words = 0;
  for (Xapian::TermIterator it = db.allterms_begin(pattern);
       it != db.allterms_end(pattern) && words <= kMaxWildcardWords; ++it) {
    ++words;
  }
  if (words <= kMaxWildcardWords) return;
  // As written: without the field's prefix.
  std::string written = std::string(schema::TermWord(pattern)) + "*";
  if (std::find(capped->begin(), capped->end(), written) == capped->end()) {
    capped->push_back(std::move(written));
  }
}

}  // namespace

std::vector<std::string> CappedWildcards(const Xapian::Database& db,
                                         const Xapian::Query& query) {
  std::vector<std::string> capped;
  FindCappedWildcards(db, query, &capped);
  return capped;
}

Xapian::Query FixedBoost(double weight, const Xapian::Query& papers) {
  return Xapian::Query(
      Xapian::Query::OP_FILTER,
      Xapian::Query((new Xapian::FixedWeightPostingSource(weight))->release()),
      papers);
}

ParsedQuery QueryBuilder::Parse(const std::string& text, bool all_words) const {
  return Parse(Scan(text), all_words);
}

ParsedQuery QueryBuilder::Parse(const QueryScan& scan, bool all_words) const {
  ParsedQuery result;
  const std::string& text = scan.text;
  try {
    // An unclosed quote or bracket is malformed, not a phrase or a group
    // to the end: Xapian's parser would read '"draft tree' as the phrase.
    if (!scan.balanced) {
      throw Xapian::QueryParserError("unbalanced quotes or parentheses");
    }
    // NEAR and ADJ take single terms, and a synonym span is a group: Xapian's
    // parser then either dropped the whole query (`kv NEAR eviction` listed
    // every paper) or threw UnimplementedError (`x NEAR cache`, found by
    // fuzz_query).
    result.query =
        scan.proximity
            ? ParseWithFlags(scan.keywords.text, &scan.keywords, nullptr,
                             kFullSyntax, all_words, nullptr, nullptr)
            : ParseWithFlags(
                  DropChineseFunctionWords(scan.marked), &scan.keywords,
                  &scan.spans,
                  kFullSyntax | (scan.last_word_partial
                                     ? static_cast<unsigned>(
                                           Xapian::QueryParser::FLAG_PARTIAL)
                                     : 0u),
                  all_words, &result, nullptr);
  } catch (const Xapian::QueryParserError&) {
    result.read_as_words = true;
  } catch (const Xapian::UnimplementedError&) {
    result.read_as_words = true;
  }
  if (result.read_as_words) {
    result.synonym_groups.clear();
    result.indexed_members.clear();
    // Keep only letters, digits and CJK; punctuation is what was malformed.
    std::string words;
    for (unsigned char c : text) {
      words += (c >= 0x80 || std::isalnum(c)) ? static_cast<char>(c) : ' ';
    }
    try {
      result.query = ParseWithFlags(words, nullptr, nullptr, kPlainWords,
                                    all_words, nullptr, nullptr);
    } catch (const Xapian::QueryParserError&) {
      result.query = Xapian::Query();
    }
  }
  if (result.query.empty()) return result;
  result.abbr_boost = AbbrBoost(text);
  if (!result.abbr_boost.empty()) {
    const Xapian::Query scaled(Xapian::Query::OP_SCALE_WEIGHT,
                               result.abbr_boost, kAbbrBoost);
    // The abbreviation typed whole is one of the words; typed in pieces it
    // is another way to match them.
    const bool whole =
        db_.term_exists(schema::FilterTerm(schema::prefix::kAbbrExact, text));
    result.query = Xapian::Query(
        whole ? Xapian::Query::OP_AND_MAYBE : Xapian::Query::OP_OR,
        result.query, scaled);
  }
  result.title_phrase = TitlePhrase(scan, &result.title_phrase_words);
  if (!result.title_phrase.empty()) {
    for (auto it = result.title_phrase.get_unique_terms_begin();
         it != result.title_phrase.get_unique_terms_end(); ++it) {
      if (std::find(result.query.get_unique_terms_begin(),
                    result.query.get_unique_terms_end(),
                    *it) == result.query.get_unique_terms_end()) {
        result.title_phrase_only.push_back(*it);
      }
    }
    result.query =
        Xapian::Query(Xapian::Query::OP_AND_MAYBE, result.query,
                      FixedBoost(kTitlePhraseWeight, result.title_phrase));
  }
  return result;
}

}  // namespace papersearch
