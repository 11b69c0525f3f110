#include "searcher/markdown_printer.h"

#include "common/aliases.h"
#include "common/seed_markdown.h"

namespace papersearch {

std::string FormatMarkdown(const SearchResults& results, GroupField group_by) {
  if (results.hits.empty()) return "";
  if (group_by == GroupField::kNone) {
    std::vector<const StoredPaper*> all, some;
    for (const Hit& hit : results.hits) {
      (hit.partial ? some : all).push_back(&hit.paper);
    }
    if (results.total_some_words == 0) return RenderTable(all, true);
    // Partial matches are told apart, so that a list pasted into a README
    // says which papers match the query and which only come close.
    std::string out = "Of " + std::to_string(results.total) + " papers, " +
                      PartialSummary(results) + ".\n\n";
    if (!all.empty()) out += RenderTable(all, true) + "\n";
    if (!some.empty()) {
      out += "Papers that match partly (some of the words, or the topic):\n\n" +
             RenderTable(some, true);
    }
    return out;
  }
  std::vector<StoredPaper> papers;
  for (const Hit& hit : results.hits) papers.push_back(hit.paper);
  GroupBy by = GroupBy::kInstitution;
  switch (group_by) {
    case GroupField::kVenue: by = GroupBy::kVenue; break;
    case GroupField::kYear: by = GroupBy::kYear; break;
    case GroupField::kKeyword: by = GroupBy::kKeyword; break;
    case GroupField::kAuthor: by = GroupBy::kAuthor; break;
    case GroupField::kInstitution:
    case GroupField::kNone: by = GroupBy::kInstitution; break;
  }
  if (by != GroupBy::kInstitution) return RenderGrouped(papers, by);
  // Spellings of one institution are one group, as in the facets.
  return RenderGrouped(papers, by, [](const std::string& name) {
    return BuiltInAliases().SpellingKey("institution", name);
  });
}

}  // namespace papersearch
