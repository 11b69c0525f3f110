#include "searcher/markdown_printer.h"

#include "common/seed_markdown.h"

namespace papersearch {

std::string FormatMarkdown(const SearchResults& results, GroupField group_by) {
  if (results.hits.empty()) return "";
  if (group_by == GroupField::kNone) {
    std::vector<const StoredPaper*> papers;
    for (const Hit& hit : results.hits) papers.push_back(&hit.paper);
    return RenderTable(papers);
  }
  std::vector<StoredPaper> papers;
  for (const Hit& hit : results.hits) papers.push_back(hit.paper);
  GroupBy by = GroupBy::kInstitution;
  switch (group_by) {
    case GroupField::kVenue: by = GroupBy::kVenue; break;
    case GroupField::kYear: by = GroupBy::kYear; break;
    case GroupField::kKeyword: by = GroupBy::kKeyword; break;
    case GroupField::kInstitution:
    case GroupField::kNone: by = GroupBy::kInstitution; break;
  }
  return RenderGrouped(papers, by);
}

}  // namespace papersearch
