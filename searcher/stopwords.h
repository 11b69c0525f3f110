// Words that never make a query narrower: English function words and the
// filler of a researcher's question ("methods for ...", "how to ..."), and
// the Chinese particles and question words that mean the same. A query word
// in this list is dropped by the parser (unless it is the whole query, in a
// phrase, or given with '+'); see QueryBuilder.
#ifndef PAPERSEARCH_SEARCHER_STOPWORDS_H_
#define PAPERSEARCH_SEARCHER_STOPWORDS_H_

#include <xapian.h>

#include <string>
#include <string_view>

namespace papersearch {

// The English stopper, built once. Words are lower case and unstemmed, as
// the parser hands them over.
const Xapian::Stopper& EnglishStopper();

// `text` with the Chinese function words of a question ("的", "如何",
// "什么", ...) turned into spaces, outside quoted phrases, so that CJK
// n-grams are not made of them. Text without CJK comes back as it is.
std::string DropChineseFunctionWords(std::string_view text);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_STOPWORDS_H_
