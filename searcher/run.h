// One papersearch invocation from a validated config to its output: find and
// open the database (retrying while a writer commits), search, print.
#ifndef PAPERSEARCH_SEARCHER_RUN_H_
#define PAPERSEARCH_SEARCHER_RUN_H_

#include <string>

#include "common/database_open.h"
#include "searcher/db_locator.h"
#include "searcher/environment.h"
#include "searcher/options.h"
#include "searcher/search_results.h"
#include "searcher/searcher.h"

namespace papersearch {

// Exit statuses, as ripgrep's: 0 matches, 1 none, 2 error.
enum class RunStatus { kFound = 0, kNothingFound = 1, kError = 2 };

struct RunOutput {
  RunStatus status = RunStatus::kError;
  std::string out;  // for stdout
  std::string err;  // for stderr: notices and errors, one per line
};

// How often the database is reopened when a writer commits or replaces it
// during the search, before giving up.
inline constexpr int kOpenAttempts = 5;

// What `config`'s output format shows of a search (snippets, facets).
SearchWants WantsFor(const SearchConfig& config);

// The results in `config`'s output format.
std::string FormatResults(const SearchConfig& config, const Environment& env,
                          const SearchResults& results);

// How the database at `location` may be opened: a database found by walking
// up is local only; stub programs run only with --allow-stub-programs.
OpenPolicy PolicyFor(const DbLocation& location, const SearchConfig& config);

// Runs the search. kFound when at least one paper matches (even if none is on
// the requested page). Never throws: errors (missing or wrong-version
// database, Xapian errors) become kError with a message in `err`.
RunOutput RunSearch(const SearchConfig& config, const Environment& env);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_RUN_H_
