// What a query names beyond its words, and the queries that weigh it: the
// topics (the collection's own sections), an author, an institution or a
// venue; and --like's query, which names a paper's topics.
#ifndef PAPERSEARCH_SEARCHER_SIGNALS_H_
#define PAPERSEARCH_SEARCHER_SIGNALS_H_

#include <xapian.h>

#include <string>
#include <vector>

#include "searcher/query_scan.h"

namespace papersearch {

// What the collection's own sections say: the papers filed under a section
// the query names (common/topics.h, FiledSections) get kTopicWeight added to
// their score, once per section (FixedBoost). Empty when there is none.
Xapian::Query TopicBoost(const std::vector<std::vector<std::string>>& sections);

// The author filter term of the name the query is, when it is one in the
// index (as typed or without middle initials); "" otherwise. Only a plain
// query of two words or more is a name.
std::string AuthorNamed(const Xapian::Database& db, const QueryScan& scan);

// The papers `named` matches (an author's, an institution's) match the
// query, as papers with its words do, without weighing by its terms
// (`words` gains them at weight 0), and weigh kAuthorWeight (`boost` gains
// them).
void NamedPapersMatch(const Xapian::Query& named, Xapian::Query* words,
                      Xapian::Query* boost);

// The query of --like: the paper's best relevance-feedback terms (the id or,
// else, the abbreviation `like` names it), ORed, and never the paper itself;
// papers filed under its sections come first. Empty when the paper is not
// found.
Xapian::Query LikeQuery(const Xapian::Database& db, const std::string& like);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_SIGNALS_H_
