// Snippets: a short piece of a paper's note (or title) around the query's
// words, with the matches marked.
#ifndef PAPERSEARCH_SEARCHER_SNIPPETS_H_
#define PAPERSEARCH_SEARCHER_SNIPPETS_H_

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

#include "searcher/search_results.h"

namespace papersearch {

// About this many bytes of note text are shown.
inline constexpr size_t kSnippetBytes = 200;

// The bare words of a query's terms (prefixes and the stem marker removed),
// lower-case, for locating the first match in a text cheaply.
std::vector<std::string> QueryWords(const Xapian::Query& query);

// The part of `text` worth giving to MSet::snippet: a window of at most about
// kSnippetWindowBytes around the first place one of `words` occurs
// (case-insensitive), or the start of the text when none does. Stemming every
// word of a 16 KB note for ten hits is most of a search's time otherwise.
std::string_view SnippetWindow(std::string_view text,
                               const std::vector<std::string>& words);
// Xapian stems every word of the text it is given, which made snippets a
// third of a whole run at 2 KB; twice the snippet leaves room to pick the best
// 200 bytes near the first match.
inline constexpr size_t kSnippetWindowBytes = 400;

// Fills hit->snippet from the note text when the query's words occur in it,
// else from the title. Uses MSet::snippet without the background model (its
// default is far slower) on a window of the note (see SnippetWindow).
// `mset` must be the match set `hit` came from, `words` QueryWords of its
// query. May throw Xapian::Error.
void MakeSnippet(const Xapian::MSet& mset,
                 const std::vector<std::string>& words, Hit* hit);

// Splits text marked with kMatchStart/kMatchEnd into parts; exposed for tests.
std::vector<SnippetPart> SplitMarked(const std::string& marked);

// Markers MSet::snippet puts around matches: control characters that
// MakeSnippet removes from the input first, so they cannot be confused.
inline constexpr char kMatchStart = '\x01';
inline constexpr char kMatchEnd = '\x02';

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_SNIPPETS_H_
