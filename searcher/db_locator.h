// Finding the database: --db, else $PAPERSEARCH_DB, else `.papersearch/db`
// found by walking up from the current directory, as git finds `.git`.
#ifndef PAPERSEARCH_SEARCHER_DB_LOCATOR_H_
#define PAPERSEARCH_SEARCHER_DB_LOCATOR_H_

#include <string>
#include <string_view>

#include "common/status.h"

namespace papersearch {

// The directory, relative to a collection root, where paperindex puts the
// database by default.
inline constexpr char kDefaultDbDir[] = ".papersearch/db";

struct DbLocation {
  std::string path;
  std::string source;  // "--db", "PAPERSEARCH_DB" or "found from <cwd>"
  // Found by walking up: it may lie in a folder someone else prepared, so it
  // is opened as a local database only (common/database_open.h).
  bool walked_up = false;
};

// Returns the database to open, or fails with a message for the user that
// says what was looked for and gives the exact `paperindex --root ... --db ...`
// command that builds the missing database. `explicit_db` is --db ("" if
// absent), `env_db` is $PAPERSEARCH_DB ("" if unset), `cwd` is where the walk
// starts. Only checks that the path exists as a directory or a Xapian stub
// file; opening it is the caller's job. Paths are strings and the checks
// stat(2), as on every search: std::filesystem's path parsing cost 5 page
// faults and 40K instructions of a 4.9M-instruction search.
Result<DbLocation> LocateDatabase(const std::string& explicit_db,
                                  const std::string& env_db,
                                  const std::string& cwd);

// The directory holding `path` ("/a/b" -> "/a", "/a" -> "/", "b" -> ""),
// as std::filesystem::path::parent_path gives it for a normal path.
std::string ParentDirectory(std::string_view path);

// `path` quoted for a POSIX shell when it needs it ("a b" -> 'a b').
std::string ShellQuote(const std::string& path);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_DB_LOCATOR_H_
