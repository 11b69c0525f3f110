#include "searcher/snippets.h"

#include <algorithm>

#include "common/utf8.h"
#include "searcher/query_builder.h"

namespace papersearch {
namespace {

std::string WithoutMarkers(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == kMatchStart || c == kMatchEnd) continue;
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  return out;
}

std::string Snippet(const Xapian::MSet& mset, std::string_view text,
                    size_t length, unsigned flags) {
  return mset.snippet(WithoutMarkers(std::string(text)), length, EnglishStemmer(),
                      flags | Xapian::MSet::SNIPPET_CJK_NGRAM,
                      std::string(1, kMatchStart), std::string(1, kMatchEnd),
                      "…");
}

// ASCII lower-casing; other bytes kept, so offsets stay the same.
std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Moves `pos` back to the start of a UTF-8 sequence.
size_t CharStart(std::string_view text, size_t pos) {
  while (pos > 0 && pos < text.size() &&
         (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) {
    --pos;
  }
  return pos;
}

}  // namespace

std::vector<std::string> QueryWords(const Xapian::Query& query) {
  std::vector<std::string> words;
  for (auto it = query.get_unique_terms_begin();
       it != query.get_unique_terms_end(); ++it) {
    std::string term = *it;
    // Prefixes are upper-case (Z marks a stem); the word follows.
    size_t start = 0;
    while (start < term.size() && term[start] >= 'A' && term[start] <= 'Z') {
      ++start;
    }
    std::string word = AsciiLower(term.substr(start));
    if (!word.empty() &&
        std::find(words.begin(), words.end(), word) == words.end()) {
      words.push_back(word);
    }
  }
  return words;
}

std::string_view SnippetWindow(std::string_view text,
                               const std::vector<std::string>& words) {
  if (text.size() <= kSnippetWindowBytes) return text;
  std::string lower = AsciiLower(text);
  size_t first = std::string::npos;
  for (const std::string& word : words) {
    first = std::min(first, lower.find(word));
  }
  if (first == std::string::npos) first = 0;
  // Some context before the match, most of the window after it.
  size_t begin = CharStart(text, first > kSnippetWindowBytes / 4
                                     ? first - kSnippetWindowBytes / 4
                                     : 0);
  return TruncateUtf8(text.substr(begin), kSnippetWindowBytes);
}

std::vector<SnippetPart> SplitMarked(const std::string& marked) {
  std::vector<SnippetPart> parts;
  bool matched = false;
  std::string current;
  auto flush = [&] {
    if (current.empty()) return;
    if (!parts.empty() && parts.back().matched == matched) {
      parts.back().text += current;
    } else {
      parts.push_back({current, matched});
    }
    current.clear();
  };
  for (char c : marked) {
    if (c == kMatchStart || c == kMatchEnd) {
      flush();
      matched = c == kMatchStart;
    } else {
      current += c;
    }
  }
  flush();
  return parts;
}

void MakeSnippet(const Xapian::MSet& mset,
                 const std::vector<std::string>& words, Hit* hit) {
  const std::string& note = hit->paper.note_text();
  if (!note.empty()) {
    std::string marked = Snippet(mset, SnippetWindow(note, words),
                                 kSnippetBytes,
                                 Xapian::MSet::SNIPPET_EMPTY_WITHOUT_MATCH);
    if (!marked.empty()) {
      hit->snippet = SplitMarked(marked);
      hit->snippet_from_note = true;
      return;
    }
  }
  const std::string& title = hit->paper.info().paper().title();
  // The whole title, with whatever words of the query it holds marked.
  hit->snippet = SplitMarked(Snippet(mset, title, title.size() + 1, 0));
  hit->snippet_from_note = false;
}

}  // namespace papersearch
