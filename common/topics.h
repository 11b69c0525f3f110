// Topics: which of the list's sections (keyword labels) a query names, from
// the built-in table common/topics.txt ("kv cache eviction" names
// kv_cache_sparse). A label is evidence about a whole paper, so a query
// that names it ranks the papers filed under it higher, also when their
// titles use other words.
#ifndef PAPERSEARCH_COMMON_TOPICS_H_
#define PAPERSEARCH_COMMON_TOPICS_H_

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

}  // namespace papersearch

#endif  // PAPERSEARCH_COMMON_TOPICS_H_
