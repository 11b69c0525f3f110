#include "searcher/paper_view.h"

namespace papersearch {

std::string DisplayVenue(const StoredPaper& paper) {
  const std::string& where = paper.info().pub().where();
  return where.empty() ? "arXiv" : where;
}

std::optional<int> PaperYear(const StoredPaper& paper) {
  if (!paper.info().pub().has_year()) return std::nullopt;
  return paper.info().pub().year();
}

std::string MarkSnippet(const std::vector<SnippetPart>& parts,
                        std::string_view start, std::string_view end) {
  std::string out;
  for (const SnippetPart& part : parts) {
    if (part.matched) out += start;
    out += part.text;
    if (part.matched) out += end;
  }
  return out;
}

}  // namespace papersearch
