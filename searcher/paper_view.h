// The fields of a stored paper as every printer and filter shows them.
#ifndef PAPERSEARCH_SEARCHER_PAPER_VIEW_H_
#define PAPERSEARCH_SEARCHER_PAPER_VIEW_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/document_data.h"  // KeywordLabels
#include "searcher/search_results.h"
#include "stored_paper.pb.h"

namespace papersearch {

// The venue as displayed: the record's, or "arXiv" when it names none.
std::string DisplayVenue(const StoredPaper& paper);

// The publication year, if the record has one.
std::optional<int> PaperYear(const StoredPaper& paper);

// The snippet with each matched part wrapped in `start` and `end`.
std::string MarkSnippet(const std::vector<SnippetPart>& parts,
                        std::string_view start, std::string_view end);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_PAPER_VIEW_H_
