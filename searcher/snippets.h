// Snippets: a short piece of a paper's note (or title) around the query's
// words, with the matches marked.
#ifndef PAPERSEARCH_SEARCHER_SNIPPETS_H_
#define PAPERSEARCH_SEARCHER_SNIPPETS_H_

#include <xapian.h>

#include <string>
#include <string_view>
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

// Fills hit->snippet from the note when the query's words occur in it,
// else from hit->paper's title: about kSnippetBytes around the densest group
// of matches in a window of the note (see SnippetWindow). A word of the text
// matches a query word when it, or its English stem, equals it; CJK words
// match as substrings. Not Xapian's MSet::snippet, which stems every word of
// its text and was a third of a whole search. `words` are QueryWords of the
// query; `note` may be null (no note). Never throws.
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
