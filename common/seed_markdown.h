// The seed list's Markdown: papers as table rows inside <details> groups,
// exactly as the public efficient-paper list renders them. Used by the
// round-trip test (bundled meta/ back to the seed, byte for byte) and by
// `papersearch --format markdown`.
#ifndef PAPERSEARCH_COMMON_SEED_MARKDOWN_H_
#define PAPERSEARCH_COMMON_SEED_MARKDOWN_H_

#include <string>
#include <string_view>
#include <vector>

#include "stored_paper.pb.h"

namespace papersearch {

enum class GroupBy { kInstitution, kVenue, kYear, kKeyword };

// "institution", "venue", "year", "keyword": the heading of the outer block.
std::string_view GroupByName(GroupBy by);

// The colour the list gives a venue's Publish badge ("FF8C00" for ICML);
// "green" for venues it has no colour for.
std::string_view VenueBadgeColor(std::string_view venue);

// The Publish badge, e.g.
// "![Publish](https://img.shields.io/badge/2024-ICML-FF8C00)"; spaces in the
// venue become underscores; a missing venue is "arXiv".
std::string PublishBadge(const StoredPaper& paper);

// One table row, "| [abbr](./meta/...) | [title](url) | cover | publish |
// code | note |", followed by "\n". Only `paper.id` and `paper.info` are read.
std::string RenderRow(const StoredPaper& paper);

// The table header (two lines) that precedes rows.
std::string_view TableHeader();

// The whole grouped document: an outer <details> block headed
// "### <GroupByName(by)>", one inner block per group sorted by name (bytes),
// each a table whose rows are sorted by Publish badge then title link (bytes).
// A paper appears once in each of its groups (duplicate names merged); a paper
// with no value for `by` is left out. With GroupBy::kInstitution on the
// bundled collection this reproduces the seed list.
std::string RenderGrouped(const std::vector<StoredPaper>& papers, GroupBy by);

// A single table (header and rows) in the order given: for search results.
std::string RenderTable(const std::vector<const StoredPaper*>& papers);

}  // namespace papersearch

#endif  // PAPERSEARCH_COMMON_SEED_MARKDOWN_H_
