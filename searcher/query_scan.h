// The query text read once. Search scans the text (ScanQuery) and every step
// after reads the scan, never the text: the parser, the synonym groups'
// words, the topics, the title phrase, the names, the spelling correction.
// A corrected query is a new text and gets its own scan.
#ifndef PAPERSEARCH_SEARCHER_QUERY_SCAN_H_
#define PAPERSEARCH_SEARCHER_QUERY_SCAN_H_

#include <cstddef>
#include <string>
#include <vector>

#include "common/synonyms.h"
#include "searcher/query_text.h"

namespace papersearch {

// At most this many whitespace-separated words of a query are searched: a
// 10,000-character query of operators parsed into thousands of terms and
// took seconds, and no one types more than a few dozen words.
inline constexpr size_t kMaxQueryWords = 64;

struct QueryScan {
  // The text as typed, up to its kMaxQueryWords-th word (separators kept).
  std::string text;
  // How many words the text had before it was cut (> kMaxQueryWords when
  // it was).
  size_t word_count = 0;
  // The text's runs between white space, in order.
  std::vector<std::string> words;
  // The text with each `keyword:`, `inst:` and `venue:` value a marker
  // (MarkKeywordValues).
  MarkedKeywords keywords;
  // keywords.text with each synonym span a marker too (MarkSynonymSpans),
  // and span N's words.
  std::string marked;
  std::vector<std::string> spans;
  // The quotes pair up and the parentheses outside quotes close: otherwise
  // the text is malformed and is read as words.
  bool balanced = true;
  // NEAR or ADJ (NEAR/3, ADJ/2) is used: they take single terms, so the
  // synonym spans are not used.
  bool proximity = false;
  // Only words: no quotes, field prefixes, groups, wildcards, +/- or
  // operators. Only such a text is a title typed from memory, or a name.
  bool plain = false;
  // The last word is still being typed (--partial, and the text does not
  // end with a space): it also matches the words it begins.
  bool last_word_partial = false;
};

// Scans `text`, marking the spans that are members of `synonyms`' groups.
QueryScan ScanQuery(const std::string& text, const Synonyms& synonyms);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_QUERY_SCAN_H_
