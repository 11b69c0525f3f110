#include "common/schema_check.h"

#include "schema.h"

namespace papersearch {

Status CheckSchemaVersion(const Xapian::Database& db,
                          const std::string& db_path) {
  std::string found = db.get_metadata(schema::kVersionKey);
  if (found == std::to_string(schema::kVersion)) return Status();
  std::string what =
      found.empty() ? "has no papersearch schema version (not a paperindex "
                      "database, or one from before versions were recorded)"
                    : "has schema version " + found + ", this build reads " +
                          std::to_string(schema::kVersion);
  return Status::Error("database " + db_path + " " + what +
                       "; rebuild it with: paperindex --full --db " + db_path);
}

void WriteSchemaVersion(Xapian::WritableDatabase& db) {
  db.set_metadata(schema::kVersionKey, std::to_string(schema::kVersion));
}

}  // namespace papersearch
