// The query language: turning the user's query text into a Xapian query.
#ifndef PAPERSEARCH_SEARCHER_QUERY_BUILDER_H_
#define PAPERSEARCH_SEARCHER_QUERY_BUILDER_H_

#include <xapian.h>

#include <string>

namespace papersearch {

struct ParsedQuery {
  // Empty (Query().empty()) when the text has no words to search for.
  Xapian::Query query;
  // True when the text was malformed and was re-read as plain words.
  bool read_as_words = false;
};

// Parses query text with Xapian's QueryParser configured for this index:
// English stemming (STEM_SOME), CJK n-grams, phrases, AND/OR/NOT, +/-,
// parentheses, `quant*` wildcards, the field prefixes title: abbr: author:
// inst: venue: keyword: note: code: baseline: id: year:, and year ranges
// `year:2023..2025`. A query equal to a paper's abbreviation ranks that paper
// first. Holds a reference to `db`, which must outlive it. Not thread-safe.
class QueryBuilder {
 public:
  explicit QueryBuilder(const Xapian::Database& db);

  // `all_words`: plain words must all match (AND); otherwise any (OR).
  // Explicit operators keep their meaning either way. Never throws for bad
  // syntax (the text is then read as plain words); may throw Xapian::Error
  // for database errors.
  ParsedQuery Parse(const std::string& text, bool all_words) const;

 private:
  Xapian::Query ParseWithFlags(const std::string& text, unsigned flags,
                               bool all_words) const;
  // The boost for a query equal to an abbreviation, or an empty query.
  Xapian::Query AbbrBoost(const std::string& text) const;

  const Xapian::Database& db_;
};

// The stemmer used at index time and therefore for queries and snippets.
Xapian::Stem EnglishStemmer();

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_QUERY_BUILDER_H_
