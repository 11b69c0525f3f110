// The seed list's Markdown: papers as table rows inside <details> groups,
// exactly as the public efficient-paper list renders them. Used by the
// round-trip test (bundled meta/ back to the seed, byte for byte) and by
// `papersearch --format markdown`.
#ifndef PAPERSEARCH_COMMON_SEED_MARKDOWN_H_
#define PAPERSEARCH_COMMON_SEED_MARKDOWN_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "stored_paper.pb.h"

namespace papersearch {

enum class GroupBy { kInstitution, kVenue, kYear, kKeyword, kAuthor };

// "institution", "venue", "year", "keyword", "author": the heading of the
// outer block.
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
// A '|' inside a cell is written "\|" and line breaks as spaces, so any text
// keeps the table intact (the seed has neither).
std::string RenderRow(const StoredPaper& paper);

// The link a row writes for a cover or note url of the paper `id`
// ("YEAR/NAME"), resolved without touching the file system:
//   ""                     -> "" (no link)
//   "fig1.png"             -> "./notes/YEAR/NAME/fig1.png" (beside the note)
//   "dir/fig.png"          -> "./notes/YEAR/dir/fig.png"
//   "../dir/fig.png"       -> "./notes/dir/fig.png" (".." taken lexically)
//   "/note.md"             -> "note.md" (from the list's own directory)
//   "https://host/x.png"   -> unchanged (anything with "://")
std::string NotesLink(std::string_view id, std::string_view url);

// The inverse of NotesLink: the shortest url in the forms above for which
// NotesLink(id, url) == link. Every link has one.
std::string NotesUrlFromLink(std::string_view id, std::string_view link);

// The table header (two lines) that precedes rows.
std::string_view TableHeader();

// The whole grouped document: an outer <details> block headed
// "### <GroupByName(by)>", one inner block per group sorted by name (bytes),
// each a table whose rows are sorted by Publish badge then title link (bytes).
// A paper appears once in each of its groups (duplicate names merged); a paper
// with no value for `by` is left out. Keyword groups are the label names,
// including `extra_keywords`; venue groups the displayed venue ("arXiv" when
// missing). With GroupBy::kInstitution on the
// bundled collection this reproduces the seed list.
// `key_of`, when set, says which group names are spellings of one (the
// same key): they form one group, named by its most common spelling among
// `papers`. The seed list's own grouping has none.
using GroupKey = std::function<std::string(const std::string&)>;
std::string RenderGrouped(const std::vector<StoredPaper>& papers, GroupBy by,
                          const GroupKey& key_of = {});

// A single table (header and rows) in the order given: for search results.
// `with_authors`: with an Authors column after Title (the first few and
// "et al."), which the list's own table does not have.
std::string RenderTable(const std::vector<const StoredPaper*>& papers,
                        bool with_authors = false);

}  // namespace papersearch

#endif  // PAPERSEARCH_COMMON_SEED_MARKDOWN_H_
