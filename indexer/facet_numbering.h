// Numbering facet values for slot::kTieFacets (schema::kFacetsKey): the
// writer's side of the facet dictionary.
#ifndef PAPERSEARCH_INDEXER_FACET_NUMBERING_H_
#define PAPERSEARCH_INDEXER_FACET_NUMBERING_H_

#include <xapian.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "schema.h"

namespace papersearch {

// The facet dictionary of the database being written. Numbers are given on
// the writer's thread, in the order papers are written, so a build's
// numbering does not depend on thread timing. Not thread-safe.
class FacetNumbering {
 public:
  // An empty dictionary, for a new database.
  FacetNumbering() = default;

  // Continues the numbering of `db`; nullopt when its dictionary is
  // malformed (the database must then be rebuilt: its papers' numbers would
  // be read against the wrong values). May throw Xapian::Error.
  static std::optional<FacetNumbering> Continue(const Xapian::Database& db);

  // The facet numbers of a paper with `values` (schema::TieFacetsValue's
  // `numbers`): the number of each of its values, once each, numbering the
  // values not seen before (each with its spelling group: the first number
  // of its facet whose value folds to the same, schema::FoldForFilter).
  // Empty and blank values are left out.
  std::string Encode(const schema::FacetValues& values);

  // Stores the dictionary in `db`'s metadata (committed with the next
  // commit) when it has entries that `db` has not: since construction or
  // the last Save. Call before each commit that may hold papers numbered
  // since, so that no reader sees a number its dictionary lacks.
  void Save(Xapian::WritableDatabase& db);

  size_t size() const { return numbers_.size(); }

 private:
  // The number of `value` of `facet`, numbering it if new; nullopt for a
  // value that folds to nothing (white space).
  std::optional<uint32_t> NumberOf(char facet, std::string_view value);

  std::string encoded_;  // as stored under schema::kFacetsKey
  std::unordered_map<std::string, uint32_t> numbers_;  // facet + value
  // Facet + FoldForFilter(value) -> the group's first number.
  std::unordered_map<std::string, uint32_t> groups_;
  bool unsaved_ = false;
};

}  // namespace papersearch

#endif  // PAPERSEARCH_INDEXER_FACET_NUMBERING_H_
