// Checking that a database was written with this build's schema.
#ifndef PAPERSEARCH_COMMON_SCHEMA_CHECK_H_
#define PAPERSEARCH_COMMON_SCHEMA_CHECK_H_

#include <xapian.h>

#include <string>

#include "common/status.h"

namespace papersearch {

// Ok when `db` carries schema::kVersion; otherwise fails with a message for
// the user naming `db_path`, the version found (or that there is none) and
// the command that rebuilds it: `paperindex --full --db PATH`. May throw
// Xapian::Error from reading the metadata.
Status CheckSchemaVersion(const Xapian::Database& db,
                          const std::string& db_path);

// Records schema::kVersion in `db` (committed with the next commit).
void WriteSchemaVersion(Xapian::WritableDatabase& db);

}  // namespace papersearch

#endif  // PAPERSEARCH_COMMON_SCHEMA_CHECK_H_
