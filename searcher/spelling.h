// Spelling: whether a query's words are worth correcting, and checks on a
// correction. The corrections themselves are QueryBuilder::Correct and
// QueryBuilder::CorrectRare, defined in spelling.cc beside these.
#ifndef PAPERSEARCH_SEARCHER_SPELLING_H_
#define PAPERSEARCH_SEARCHER_SPELLING_H_

#include <xapian.h>

#include <string>

namespace papersearch {

// True when `corrected` puts a stopword where `query` had another word: a
// correction into a function word finds everything and means nothing.
bool IntoStopword(const std::string& query, const std::string& corrected);

// True when some word of `query` is in no field of the index, or in no more
// than `rare` papers in any: the only words worth a spelling correction.
// Terms are compared without their field and stem prefixes (the capitals
// before the word), so a word known in any field is known.
bool HasUnknownWord(const Xapian::Database& db, const Xapian::Query& query,
                    Xapian::doccount rare);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_SPELLING_H_
