// Snippets: a short piece of a paper's note (or title) around the query's
// words, with the matches marked.
#ifndef PAPERSEARCH_SEARCHER_SNIPPETS_H_
#define PAPERSEARCH_SEARCHER_SNIPPETS_H_

#include <xapian.h>

#include <string>
#include <vector>

#include "searcher/search_results.h"

namespace papersearch {

// About this many bytes of note text are shown.
inline constexpr size_t kSnippetBytes = 200;

// Fills hit->snippet from the note text when the query's words occur in it,
// else from the title. Uses MSet::snippet without the background model (its
// default is far slower) on text already bounded by the index. `mset` must be
// the match set `hit` came from. May throw Xapian::Error.
void MakeSnippet(const Xapian::MSet& mset, Hit* hit);

// Splits text marked with kMatchStart/kMatchEnd into parts; exposed for tests.
std::vector<SnippetPart> SplitMarked(const std::string& marked);

// Markers MSet::snippet puts around matches: control characters that
// MakeSnippet removes from the input first, so they cannot be confused.
inline constexpr char kMatchStart = '\x01';
inline constexpr char kMatchEnd = '\x02';

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_SNIPPETS_H_
