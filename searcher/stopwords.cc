#include "searcher/stopwords.h"

#include <array>

namespace papersearch {
namespace {

// Snowball's English stop list without the words that carry meaning in
// this field's queries ("not", "no", "only", "over", "off", "few", "same"),
// plus question filler. Not stopped: "efficient", "llm" and other words that
// are merely frequent here; BM25 already weighs those lightly.
constexpr std::array kEnglish = {
    "a",         "about",      "above",   "after",   "again",    "against",
    "all",       "am",         "an",      "and",     "any",      "are",
    "as",        "at",         "be",      "because", "been",     "before",
    "being",     "below",      "between", "both",    "but",      "by",
    "can",       "could",      "did",     "do",      "does",     "doing",
    "down",      "during",     "each",    "for",     "from",     "further",
    "had",       "has",        "have",    "having",  "he",       "her",
    "here",      "hers",       "him",     "his",     "how",      "i",
    "if",        "in",         "into",    "is",      "it",       "its",
    "itself",    "me",         "more",    "most",    "my",       "of",
    "on",        "once",       "or",      "other",   "our",      "ours",
    "out",       "own",        "she",     "should",  "so",       "some",
    "such",      "than",       "that",    "the",     "their",    "theirs",
    "them",      "then",       "there",   "these",   "they",     "this",
    "those",     "through",    "to",      "too",     "under",    "until",
    "up",        "very",       "was",     "we",      "were",     "what",
    "when",      "where",      "which",   "while",   "who",      "whom",
    "why",       "will",       "with",    "would",   "you",      "your",
    "yours",     "using",      "use",     "via",     "towards",  "toward",
    "paper",     "papers",     "method",  "methods", "approach", "approaches",
    "technique", "techniques", "work",    "works",   "find",     "show",
    "list",      "recent",     "new",     "way",     "ways",     "people",
    "make",      "makes",      "making",
};

// Chinese function words of questions; multi-character ones first, so that
// "如何" goes before any single character in it would.
constexpr std::array<std::string_view, 14> kChinese = {
    "如何", "怎么", "怎样", "什么", "哪些", "一种", "关于",
    "有关", "方法", "的",   "了",   "和",   "与",   "及",
};

// Words in which a Chinese function character is part of the meaning.
constexpr std::array<std::string_view, 6> kChineseKeep = {
    "目的", "的确", "了解", "和谐", "总和", "参与",
};

bool IsCjkLead(unsigned char c) { return c >= 0xe2; }

}  // namespace

const Xapian::Stopper& EnglishStopper() {
  static const Xapian::SimpleStopper* const kStopper = [] {
    auto* stopper = new Xapian::SimpleStopper;
    for (const char* word : kEnglish) stopper->add(word);
    return stopper;
  }();
  return *kStopper;
}

std::string DropChineseFunctionWords(std::string_view text) {
  bool has_cjk = false;
  for (unsigned char c : text) has_cjk |= IsCjkLead(c);
  if (!has_cjk) return std::string(text);
  std::string out;
  out.reserve(text.size());
  bool quoted = false;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '"') quoted = !quoted;
    if (!quoted && IsCjkLead(static_cast<unsigned char>(text[i]))) {
      bool kept = false;
      for (std::string_view keep : kChineseKeep) {
        if (text.substr(i).starts_with(keep)) {
          out.append(keep);
          i += keep.size();
          kept = true;
          break;
        }
      }
      if (kept) continue;
      bool dropped = false;
      for (std::string_view word : kChinese) {
        if (text.substr(i).starts_with(word)) {
          out.push_back(' ');
          i += word.size();
          dropped = true;
          break;
        }
      }
      if (dropped) continue;
    }
    out.push_back(text[i++]);
  }
  return out;
}

}  // namespace papersearch
