#include "searcher/snippets.h"

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

std::string Snippet(const Xapian::MSet& mset, const std::string& text,
                    size_t length, unsigned flags) {
  return mset.snippet(WithoutMarkers(text), length, EnglishStemmer(),
                      flags | Xapian::MSet::SNIPPET_CJK_NGRAM,
                      std::string(1, kMatchStart), std::string(1, kMatchEnd),
                      "…");
}

}  // namespace

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

void MakeSnippet(const Xapian::MSet& mset, Hit* hit) {
  const std::string& note = hit->paper.note_text();
  if (!note.empty()) {
    std::string marked = Snippet(mset, note, kSnippetBytes,
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
