#include "searcher/query_scan.h"

#include <algorithm>

namespace papersearch {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The runs of `text` between white space.
std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  for (size_t pos = 0; pos < text.size();) {
    while (pos < text.size() && IsSpace(text[pos])) ++pos;
    const size_t start = pos;
    while (pos < text.size() && !IsSpace(text[pos])) ++pos;
    if (pos > start) words.push_back(text.substr(start, pos - start));
  }
  return words;
}

// Whether the quotes pair up and the parentheses outside quotes close.
bool Balanced(std::string_view text) {
  bool quoted = false;
  int depth = 0;
  for (char c : text) {
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && c == '(') {
      ++depth;
    } else if (!quoted && c == ')') {
      if (--depth < 0) return false;
    }
  }
  return !quoted && depth == 0;
}

}  // namespace

QueryScan ScanQuery(const std::string& text, const Synonyms& synonyms) {
  QueryScan scan;
  const std::vector<std::string_view> words = Words(text);
  scan.word_count = words.size();
  scan.text = words.size() > kMaxQueryWords
                  ? text.substr(0, words[kMaxQueryWords].data() - text.data())
                  : text;
  for (size_t i = 0; i < words.size() && i < kMaxQueryWords; ++i) {
    scan.words.emplace_back(words[i]);
  }
  scan.keywords = MarkKeywordValues(scan.text, kKeywordField);
  scan.balanced = Balanced(scan.keywords.text);
  scan.plain = scan.text.find_first_of("\":()*") == std::string::npos;
  // Of keywords.text, where NEAR and ADJ beside a value became AND.
  for (std::string_view word : Words(scan.keywords.text)) {
    if (IsProximityOperator(word)) scan.proximity = true;
  }
  for (const std::string& word : scan.words) {
    if (IsOperator(word) || IsProximityOperator(word) || word[0] == '+' ||
        word[0] == '-') {
      scan.plain = false;
    }
  }
  scan.marked = MarkSynonymSpans(scan.keywords.text, synonyms, kSynonymField,
                                 &scan.spans);
  return scan;
}

}  // namespace papersearch
