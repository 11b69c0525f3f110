// Filter options (--institution, --venue, --year, --keyword, --author,
// --has-note, --has-code) as one boolean Xapian query over the index's
// filter terms: values of one option ORed, options ANDed.
#ifndef PAPERSEARCH_SEARCHER_FILTERS_H_
#define PAPERSEARCH_SEARCHER_FILTERS_H_

#include <xapian.h>

#include <string>
#include <vector>

#include "common/aliases.h"
#include "searcher/options.h"
#include "searcher/search_results.h"

namespace papersearch {

struct FilterQuery {
  bool any = false;     // false: no filter options were given
  Xapian::Query query;  // meaningful when `any`; matches no paper if a whole
                        // option's values are all unknown
  // One message per value that no paper carries, with the closest existing
  // values: "no institution 'Tsinghua Univ'; did you mean 'Tsinghua
  // University'?". An unknown value is not an error: it contributes no papers.
  std::vector<std::string> unknown_values;
  // How institution and venue values were read when they found more than
  // their own spelling: "--institution MIT: Massachusetts Institute of
  // Technology (acronym)".
  std::vector<std::string> resolved;
  // How each --institution and --venue value was read.
  std::vector<NameResolution> names;
};

// Builds the filter for `config` against `db` (for checking that values exist
// and suggesting others). May throw Xapian::Error.
FilterQuery BuildFilterQuery(const Xapian::Database& db,
                             const SearchConfig& config,
                             const Aliases& aliases = BuiltInAliases());

// What a search runs: `words` (the parsed query text, empty for none)
// filtered by `filter`. Without words, the filter alone at weight 0, or
// every paper when there is no filter either.
Xapian::Query FilterWords(const Xapian::Query& words,
                          const FilterQuery& filter);

// The filter term of an --institution, --venue or --keyword value, or of a
// paper's value of that facet: what matches a value to the filter that
// selects it. Folded (schema::FoldForFilter); a keyword also with spaces and
// hyphens as underscores, so that "KV cache sparse" finds the label
// kv_cache_sparse.
std::string InstitutionFilterTerm(std::string_view institution);
std::string VenueFilterTerm(std::string_view venue);
std::string KeywordFilterTerm(std::string_view label);
// The institution and venue filter terms that `name` names only as an alias
// or an acronym ("MIT" -> Massachusetts Institute of Technology, "NIPS" ->
// NeurIPS), for a bare query; empty when it names none that way. When
// `resolutions` is not null, says what was found and why, per kind.
std::vector<std::string> InstitutionsAndVenuesNamed(
    const Xapian::Database& db, const std::string& name,
    const Aliases& aliases = BuiltInAliases(),
    std::vector<NameResolution>* resolutions = nullptr);

// The filter terms of the institutions (`noun` "institution") or venues
// ("venue") that `value` names, read as --institution and --venue read it:
// its own spelling, aliases, acronyms and the names that contain its words.
// For `inst:` and `venue:` in query text. When `resolution` is not null,
// says what was found and why. May throw Xapian::Error.
std::vector<std::string> NamedFilterTerms(const Xapian::Database& db,
                                          std::string_view noun,
                                          const std::string& value,
                                          const Aliases& aliases,
                                          NameResolution* resolution = nullptr);

// The filter term of an author's name as typed (common/names.h, FoldName).
std::string AuthorFilterTerm(std::string_view name);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_FILTERS_H_
