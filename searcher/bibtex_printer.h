// `--format bibtex`: one BibTeX entry per hit, for a paper's bibliography
// (issue 24; the HTTP export reuses it).
//
// Every entry parses with a real BibTeX parser: the record's text is plain
// text, so LaTeX's special characters (`{ } \ % & $ # _ ~ ^`) are written as
// commands that keep braces balanced, non-ASCII text stays UTF-8, and
// citation keys are unique within the output.
#ifndef PAPERSEARCH_SEARCHER_BIBTEX_PRINTER_H_
#define PAPERSEARCH_SEARCHER_BIBTEX_PRINTER_H_

#include <string>
#include <string_view>
#include <vector>

#include "searcher/search_results.h"

namespace papersearch {

// The entries of the hits in rank order, separated by blank lines; "" when
// there are no hits. A paper whose record names a venue (a conference or a
// journal, not arXiv, GitHub or a blog) is an @inproceedings with that
// booktitle; any other is a @misc with howpublished, and eprint and
// archivePrefix when its URL is an arXiv page.
std::string FormatBibtex(const SearchResults& results);

// Plain text as the body of a BibTeX field: the special characters above
// escaped (a brace as \textbraceleft{} and \textbraceright{}, since BibTeX
// counts every brace, escaped or not), control characters as spaces,
// invalid UTF-8 replaced, the ends trimmed.
std::string EscapeBibtex(std::string_view text);

// The citation keys of the hits, in order: the first author's surname, the
// year and the abbreviation (or the first word of the title that is not a
// stop word), folded to lower-case ASCII letters and digits, as "lin2024awq"
// or, without authors, "awq2024". Keys that would be equal get the suffixes
// a, b, c... in rank order.
std::vector<std::string> CitationKeys(const std::vector<Hit>& hits);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_BIBTEX_PRINTER_H_
