// Topics: which of the list's sections (keyword labels) a query names, from
// the built-in table common/topics.txt ("kv cache eviction" names
// kv_cache_sparse). A label is evidence about a whole paper, so a query
// that names it ranks the papers filed under it higher, also when their
// titles use other words.
#ifndef PAPERSEARCH_COMMON_TOPICS_H_
#define PAPERSEARCH_COMMON_TOPICS_H_

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

namespace papersearch {

struct TopicMatch {
  std::string label;   // "kv_cache_sparse"
  std::string phrase;  // the table's phrase the query contains
};

// The labels `query` names, each once, in the table's order. A phrase is
// contained when each of its Latin words, stemmed, is a word of the query
// (in any order) and each of its CJK parts is in the query's text. Words
// after '-' (excluded), in quoted phrases and inside field terms
// (`author:x`) do not count.
std::vector<TopicMatch> TopicsOf(std::string_view query);

// The sections of `db` that stand for the labels `topics` names, each a list
// of labels, any of which files a paper under it: a label itself when some
// paper of `db` is filed under it; else its broader section (the table's
// `label < broader`) when some paper is; else those of its narrower
// sections that have papers, together. Each section once, in the order of
// `topics`; a label with none of these is left out. May throw Xapian::Error.
std::vector<std::vector<std::string>> FiledSections(
    const Xapian::Database& db, const std::vector<TopicMatch>& topics);

}  // namespace papersearch

#endif  // PAPERSEARCH_COMMON_TOPICS_H_
