#include "searcher/query_builder.h"

#include <cctype>

#include "schema.h"
#include "searcher/filters.h"

namespace papersearch {
namespace {

// How much an exact abbreviation match outweighs ordinary field matches.
constexpr double kAbbrBoost = 4.0;

constexpr unsigned kFullSyntax =
    Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_PURE_NOT | Xapian::QueryParser::FLAG_CJK_NGRAM;
constexpr unsigned kPlainWords = Xapian::QueryParser::FLAG_CJK_NGRAM;

// `keyword:` takes a label as written in records (kv_cache_sparse) or as
// words (kv cache): the exact label's filter term, or the words under the
// keyword prefix.
class KeywordFieldProcessor : public Xapian::FieldProcessor {
 public:
  explicit KeywordFieldProcessor(const Xapian::Database& db) : db_(db) {}

  Xapian::Query operator()(const std::string& text) override {
    std::string words = text;
    for (char& c : words) {
      if (c == '_' || c == '"') c = ' ';
    }
    Xapian::QueryParser parser;
    parser.set_database(db_);
    parser.set_stemmer(EnglishStemmer());
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser.set_default_op(Xapian::Query::OP_AND);
    Xapian::Query by_words = parser.parse_query(
        "\"" + words + "\"",
        Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_CJK_NGRAM,
        schema::prefix::kKeyword);
    Xapian::Query label(KeywordFilterTerm(text));
    return Xapian::Query(Xapian::Query::OP_OR, label, by_words);
  }

 private:
  Xapian::Database db_;
};

// Xapian 1.4 does not hand a quoted value to a field processor
// (`keyword:"kv cache"` parses to nothing), so such a value is rewritten to
// the label form first: `keyword:kv_cache`.
std::string UnquoteKeywordValues(const std::string& text) {
  static constexpr std::string_view kField = "keyword:\"";
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t found = text.find(kField, pos);
    size_t close = found == std::string::npos
                       ? std::string::npos
                       : text.find('"', found + kField.size());
    if (close == std::string::npos) break;
    bool at_word_start = found == 0 || text[found - 1] == ' ' ||
                         text[found - 1] == '(' || text[found - 1] == '+' ||
                         text[found - 1] == '-';
    out.append(text, pos, found - pos);
    if (!at_word_start) {
      out.append(kField);
      pos = found + kField.size();
      continue;
    }
    std::string value = text.substr(found + kField.size(),
                                    close - found - kField.size());
    for (char& c : value) {
      if (c == ' ') c = '_';
    }
    out += "keyword:" + value;
    pos = close + 1;
  }
  out.append(text, pos);
  return out;
}

}  // namespace

Xapian::Stem EnglishStemmer() { return Xapian::Stem("english"); }

QueryBuilder::QueryBuilder(const Xapian::Database& db) : db_(db) {}

Xapian::Query QueryBuilder::ParseWithFlags(const std::string& text,
                                           unsigned flags,
                                           bool all_words) const {
  Xapian::QueryParser parser;
  parser.set_database(db_);
  parser.set_stemmer(EnglishStemmer());
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.set_default_op(all_words ? Xapian::Query::OP_AND
                                  : Xapian::Query::OP_OR);
  for (const char* bare : schema::kBareWordPrefixes) parser.add_prefix("", bare);
  parser.add_prefix("title", schema::prefix::kTitle);
  parser.add_prefix("abbr", schema::prefix::kAbbr);
  parser.add_prefix("author", schema::prefix::kAuthor);
  parser.add_prefix("inst", schema::prefix::kInstitution);
  parser.add_prefix("venue", schema::prefix::kVenue);
  parser.add_prefix("note", schema::prefix::kNote);
  parser.add_prefix("code", schema::prefix::kCode);
  parser.add_prefix("baseline", schema::prefix::kBaseline);
  parser.add_prefix("keyword", (new KeywordFieldProcessor(db_))->release());
  parser.add_boolean_prefix("id", schema::prefix::kId);
  parser.add_boolean_prefix("year", schema::prefix::kYearFilter);
  parser.add_rangeprocessor(
      (new Xapian::NumberRangeProcessor(schema::slot::kYear, "year:"))
          ->release());
  return parser.parse_query(text, flags);
}

Xapian::Query QueryBuilder::AbbrBoost(const std::string& text) const {
  std::string term = schema::FilterTerm(schema::prefix::kAbbrExact, text);
  if (term.size() == std::string_view(schema::prefix::kAbbrExact).size() ||
      !db_.term_exists(term)) {
    return Xapian::Query();
  }
  Xapian::QueryParser parser;
  parser.set_stemmer(EnglishStemmer());
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.set_default_op(Xapian::Query::OP_AND);
  Xapian::Query abbr_words =
      parser.parse_query(text, kPlainWords, schema::prefix::kAbbr);
  if (abbr_words.empty()) return Xapian::Query();
  return Xapian::Query(
      Xapian::Query::OP_SCALE_WEIGHT,
      Xapian::Query(Xapian::Query::OP_FILTER, abbr_words, Xapian::Query(term)),
      kAbbrBoost);
}

ParsedQuery QueryBuilder::Parse(const std::string& text, bool all_words) const {
  ParsedQuery result;
  try {
    result.query =
        ParseWithFlags(UnquoteKeywordValues(text), kFullSyntax, all_words);
  } catch (const Xapian::QueryParserError&) {
    result.read_as_words = true;
  }
  if (result.read_as_words) {
    // Keep only letters, digits and CJK; punctuation is what was malformed.
    std::string words;
    for (unsigned char c : text) {
      words += (c >= 0x80 || std::isalnum(c)) ? static_cast<char>(c) : ' ';
    }
    try {
      result.query = ParseWithFlags(words, kPlainWords, all_words);
    } catch (const Xapian::QueryParserError&) {
      result.query = Xapian::Query();
    }
  }
  if (result.query.empty()) return result;
  Xapian::Query boost = AbbrBoost(text);
  if (!boost.empty()) {
    result.query =
        Xapian::Query(Xapian::Query::OP_AND_MAYBE, result.query, boost);
  }
  return result;
}

}  // namespace papersearch
