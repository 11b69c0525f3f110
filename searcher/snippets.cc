#include "searcher/snippets.h"

#include <algorithm>
#include <cstdint>

#include "common/synonyms.h"
#include "common/utf8.h"
#include "schema.h"
#include "searcher/query_builder.h"

namespace papersearch {
namespace {

// `text` without match markers, and with line breaks and tabs as spaces.
std::string WithoutMarkers(std::string_view text) {
  std::string out(text.size(), '\0');
  char* to = out.data();
  for (char c : text) {
    if (c == kMatchStart || c == kMatchEnd) continue;
    *to++ = c == '\n' || c == '\r' || c == '\t' ? ' ' : c;
  }
  out.resize(static_cast<size_t>(to - out.data()));
  return out;
}

// The code point at text[i] and its length in bytes; an invalid byte reads
// as U+FFFD of length 1.
unsigned DecodeAt(std::string_view text, size_t i, size_t* length) {
  unsigned char b0 = static_cast<unsigned char>(text[i]);
  size_t n = b0 < 0x80         ? 1
             : (b0 >> 5) == 6  ? 2
             : (b0 >> 4) == 14 ? 3
             : (b0 >> 3) == 30 ? 4
                               : 0;
  if (n == 0 || i + n > text.size()) {
    *length = 1;
    return 0xFFFD;
  }
  unsigned ch = n == 1 ? b0 : b0 & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    unsigned char b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xC0) != 0x80) {
      *length = 1;
      return 0xFFFD;
    }
    ch = (ch << 6) | (b & 0x3F);
  }
  *length = n;
  return ch;
}

bool IsAsciiWordChar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}

// The first (up to) three bytes of `word`, packed, for comparing a text
// word's beginning with every query word as one integer comparison.
uint32_t PrefixKey(std::string_view word) {
  uint32_t key = 0;
  for (size_t i = 0; i < 3; ++i) {
    key = (key << 8) |
          (i < word.size() ? static_cast<unsigned char>(word[i]) : 0);
  }
  return key;
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

std::vector<std::string> QueryWords(
    const Xapian::Query& query,
    const std::vector<std::string>& indexed_members) {
  std::vector<std::string> words;
  auto add = [&words](std::string word) {
    if (!word.empty() &&
        std::find(words.begin(), words.end(), word) == words.end()) {
      words.push_back(std::move(word));
    }
  };
  for (auto it = query.get_unique_terms_begin();
       it != query.get_unique_terms_end(); ++it) {
    const std::string& term = *it;
    // A synonym group's term: its members' words come below.
    if (term.starts_with(schema::prefix::kSynonymGroup)) continue;
    add(AsciiLower(schema::TermWord(term)));
  }
  for (const std::string& member : indexed_members) {
    for (std::string& word : MemberWords(member)) add(std::move(word));
  }
  return words;
}

std::string_view SnippetWindow(StoredNote& note,
                               const std::vector<std::string>& words) {
  if (note.size() <= kSnippetWindowBytes) return note.All();
  size_t longest = 0;
  for (const std::string& word : words)
    longest = std::max(longest, word.size());
  // Inflate a little at a time until the first match and the window after
  // it are in: most notes match in their first kilobyte or two.
  std::string lower;  // ASCII lower-case copy of note.text()
  size_t first = std::string::npos;
  size_t chunk = 1024;
  for (;;) {
    std::string_view text = note.text();
    if (text.size() < lower.size()) {  // corrupt data: the note is gone
      lower.clear();
      first = std::string::npos;
    }
    // Matches that straddled the end of the previous piece are found now.
    const size_t from = lower.size() > longest ? lower.size() - longest : 0;
    lower += AsciiLower(text.substr(lower.size()));
    for (const std::string& word : words) {
      first = std::min(first, lower.find(word, from));
    }
    if (first != std::string::npos &&
        text.size() >= first + kSnippetWindowBytes) {
      break;
    }
    const size_t need = first != std::string::npos
                            ? first + kSnippetWindowBytes - text.size()
                            : chunk;
    if (!note.Inflate(need)) break;
    chunk *= 2;
  }
  std::string_view text = note.text();
  if (first == std::string::npos || first >= text.size()) first = 0;
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

SnippetMaker::SnippetMaker(std::vector<std::string> words)
    : words_(std::move(words)) {
  for (size_t w = 0; w < words_.size(); ++w) {
    if (words_[w].empty()) continue;
    size_t length;
    unsigned first = DecodeAt(words_[w], 0, &length);
    if (IsCjk(first)) {
      cjk_words_.push_back({first, w});
    } else {
      latin_words_.push_back({PrefixKey(words_[w]), w});
      first_bytes_[static_cast<unsigned char>(words_[w][0])] = true;
    }
  }
}

const std::string& SnippetMaker::Stem(const std::string& lower) {
  // One a thread: a Xapian::Stem keeps state while it stems.
  thread_local const Xapian::Stem stemmer = schema::Stemmer();
  auto [it, added] = stems_.try_emplace(lower);
  if (added) it->second = stemmer(lower);
  return it->second;
}

// Finds the query's words in `text`: a word of the text matches a query
// word when, lower-cased, it equals it or its English stem does (query
// terms are stems for most words); CJK query words match as substrings, as
// n-grams do in the index. Only words that share the first letters of some
// query word are stemmed, each once per search, and ASCII is classified
// inline.
std::vector<SnippetMaker::Match> SnippetMaker::FindMatches(
    std::string_view text) {
  const std::vector<std::string>& words = words_;
  std::vector<Match> matches;
  std::string lower;
  size_t i = 0;
  while (i < text.size()) {
    size_t length = 1;
    unsigned char c = static_cast<unsigned char>(text[i]);
    unsigned ch = c < 0x80 ? c : DecodeAt(text, i, &length);
    if (c >= 0x80 && IsCjk(ch)) {
      size_t best = words.size();
      for (const Candidate& cand : cjk_words_) {
        if (cand.key != ch) continue;
        const std::string& w = words[cand.word];
        if (text.substr(i).starts_with(w) &&
            (best == words.size() || w.size() > words[best].size())) {
          best = cand.word;
        }
      }
      if (best != words.size()) {
        matches.push_back({i, i + words[best].size(), best});
        i += words[best].size();
      } else {
        i += length;
      }
      continue;
    }
    bool word_char =
        c < 0x80 ? IsAsciiWordChar(c) : Xapian::Unicode::is_wordchar(ch);
    if (!word_char) {
      i += length;
      continue;
    }
    // A word: up to the next non-word character (or CJK, which is split).
    const size_t begin = i;
    if (c < 0x80 && !first_bytes_[c >= 'A' && c <= 'Z' ? c + 32 : c]) {
      // No query word starts with its letter: skip it.
      while (i < text.size()) {
        c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
          if (!IsAsciiWordChar(c)) break;
          ++i;
          continue;
        }
        ch = DecodeAt(text, i, &length);
        if (IsCjk(ch) || !Xapian::Unicode::is_wordchar(ch)) break;
        i += length;
      }
      continue;
    }
    lower.clear();
    while (i < text.size()) {
      c = static_cast<unsigned char>(text[i]);
      if (c < 0x80) {
        if (!IsAsciiWordChar(c)) break;
        lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32)
                                             : static_cast<char>(c));
        ++i;
        continue;
      }
      ch = DecodeAt(text, i, &length);
      if (IsCjk(ch) || !Xapian::Unicode::is_wordchar(ch)) break;
      Xapian::Unicode::append_utf8(lower, Xapian::Unicode::tolower(ch));
      i += length;
    }
    const uint32_t key = PrefixKey(lower);
    const std::string* stem = nullptr;
    for (const Candidate& cand : latin_words_) {
      const std::string& q = words[cand.word];
      // Words of three or more letters share their first three with their
      // stem; shorter query words must be the whole word's beginning.
      if (q.size() >= 3 ? cand.key != key
                        : lower.compare(0, q.size(), q) != 0) {
        continue;
      }
      if (lower != q) {
        if (stem == nullptr) stem = &Stem(lower);
        if (*stem != q) continue;
      }
      matches.push_back({begin, i, cand.word});
      break;
    }
  }
  return matches;
}

// About `length` bytes of `text` with the query's words marked, chosen to
// hold as many different query words as possible, starting a little before
// the first of them; "…" where text was cut. Empty when nothing matches and
// `empty_without_match`.
std::string SnippetMaker::Highlight(std::string_view text, size_t length,
                                    bool empty_without_match) {
  const std::vector<std::string>& words = words_;
  std::vector<Match> matches = FindMatches(text);
  if (matches.empty() && empty_without_match) return "";
  // Some context before the first match shown.
  constexpr size_t kLead = 40;
  size_t best_start = 0;
  if (!matches.empty()) {
    // A window sliding over the matches: [i, j) are those that fit after
    // match i; `in_window` counts each word's matches in it.
    std::vector<unsigned> in_window(words.size());
    size_t best_count = 0, distinct = 0, j = 0;
    for (size_t i = 0; i < matches.size(); ++i) {
      j = std::max(j, i);
      while (j < matches.size() &&
             matches[j].end <= matches[i].begin + length - kLead) {
        if (in_window[matches[j++].word]++ == 0) ++distinct;
      }
      if (distinct > best_count) best_count = distinct, best_start = i;
      if (j > i && --in_window[matches[i].word] == 0) --distinct;
    }
  }
  size_t begin = 0;
  // Text that fits is shown whole (a title); longer text starts near the
  // best group of matches.
  if (text.size() > length && !matches.empty() &&
      matches[best_start].begin > kLead) {
    begin = CharStart(text, matches[best_start].begin - kLead);
    // Start at a word boundary.
    while (begin < matches[best_start].begin && text[begin] != ' ') ++begin;
  }
  size_t stop = std::min(text.size(), begin + length);
  if (stop < text.size()) {
    size_t space = text.rfind(' ', stop);
    stop = space != std::string_view::npos && space > begin
               ? space
               : CharStart(text, stop);
  }
  std::string out;
  if (begin > 0) out += "…";
  size_t pos = begin;
  for (const Match& m : matches) {
    if (m.begin < begin) continue;
    if (m.end > stop) break;
    out.append(text.substr(pos, m.begin - pos));
    out += kMatchStart;
    out.append(text.substr(m.begin, m.end - m.begin));
    out += kMatchEnd;
    pos = m.end;
  }
  out.append(text.substr(pos, stop - pos));
  if (stop < text.size()) out += "…";
  return out;
}

void SnippetMaker::Make(StoredNote* note, Hit* hit) {
  if (note != nullptr && note->size() > 0) {
    std::string window = WithoutMarkers(SnippetWindow(*note, words_));
    std::string marked = Highlight(window, kSnippetBytes, true);
    if (!marked.empty()) {
      hit->snippet = SplitMarked(marked);
      hit->snippet_from_note = true;
      return;
    }
  }
  // The whole title, with whatever words of the query it holds marked.
  const std::string title = WithoutMarkers(hit->paper.info().paper().title());
  hit->snippet = SplitMarked(Highlight(title, title.size(), false));
  hit->snippet_from_note = false;
}

void MakeSnippet(const std::vector<std::string>& words, StoredNote* note,
                 Hit* hit) {
  SnippetMaker(words).Make(note, hit);
}

}  // namespace papersearch
