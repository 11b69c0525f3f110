// Snippets: a short piece of a paper's note (or title) around the query's
// words, with the matches marked.
#ifndef PAPERSEARCH_SEARCHER_SNIPPETS_H_
#define PAPERSEARCH_SEARCHER_SNIPPETS_H_

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/document_data.h"
#include "searcher/search_results.h"

namespace papersearch {

// About this many bytes of note text are shown.
inline constexpr size_t kSnippetBytes = 200;

// The bare words of a query's terms (prefixes and the stem marker removed),
// lower-case, for locating the first match in a text cheaply, and the words
// of `indexed_members` (ParsedQuery::indexed_members), whose synonym group
// the query has as one term.
std::vector<std::string> QueryWords(
    const Xapian::Query& query,
    const std::vector<std::string>& indexed_members = {});

// The part of a note worth highlighting: a window of at most about
// kSnippetWindowBytes around the first place one of `words` occurs
// (case-insensitive), or the start of the note when none does. The note is
// inflated only that far, so that a 16 KB note costs little more than a
// short one. The view is into note.text().
std::string_view SnippetWindow(StoredNote& note,
                               const std::vector<std::string>& words);
inline constexpr size_t kSnippetWindowBytes = 768;

// Makes the snippets of one search: about kSnippetBytes of a hit's note
// around the densest group of matches in a window of it (see SnippetWindow)
// when the query's words occur there, else the hit's whole title, with the
// matches marked. A word of the text matches a query word when it, or its
// English stem, equals it; CJK words match as substrings. Not Xapian's
// MSet::snippet, which stems every word of its text and was a third of a
// whole search. Built once per search: the words' lookup tables and the
// stems of the text's words (the same words recur from note to note) serve
// every hit.
class SnippetMaker {
 public:
  // `words`: QueryWords of the query.
  explicit SnippetMaker(std::vector<std::string> words);

  // Fills hit->snippet and hit->snippet_from_note. `note` may be null (no
  // note). Never throws.
  void Make(StoredNote* note, Hit* hit);

 private:
  struct Match {  // a matched span of a text, in bytes, and its query word
    size_t begin;
    size_t end;
    size_t word;
  };
  struct Candidate {  // a query word by the first bytes it can match
    uint32_t key;
    size_t word;
  };

  std::vector<Match> FindMatches(std::string_view text);
  std::string Highlight(std::string_view text, size_t length,
                        bool empty_without_match);
  // The English stem of `lower` (a lower-case word), computed once.
  const std::string& Stem(const std::string& lower);

  std::vector<std::string> words_;
  // CJK query words by their first character; other words by the key of
  // their first three bytes (a word of one or two letters matches only text
  // words that start with exactly it, as its stem would).
  std::vector<Candidate> cjk_words_, latin_words_;
  // The first bytes of the latin words: a text word can match only if it
  // starts with one (stems keep the first letter), so the others are skipped
  // without being lower-cased or compared.
  bool first_bytes_[256] = {};
  // Lower-case text word -> its stem.
  std::unordered_map<std::string, std::string> stems_;
};

// One snippet, as SnippetMaker(words).Make(note, hit) makes it.
void MakeSnippet(const std::vector<std::string>& words, StoredNote* note,
                 Hit* hit);

// Splits text marked with kMatchStart/kMatchEnd into parts; exposed for tests.
std::vector<SnippetPart> SplitMarked(const std::string& marked);

// Markers put around matches: control characters that MakeSnippet removes
// from the input first, so they cannot be confused.
inline constexpr char kMatchStart = '\x01';
inline constexpr char kMatchEnd = '\x02';

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_SNIPPETS_H_
