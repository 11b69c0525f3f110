#include "server/reader.h"

#include <sys/stat.h>

#include "common/schema_check.h"

namespace papersearch {

bool Reader::FileIdentity::operator==(const FileIdentity& other) const {
  return device == other.device && inode == other.inode &&
         modified.tv_sec == other.modified.tv_sec &&
         modified.tv_nsec == other.modified.tv_nsec && size == other.size;
}

Status Reader::Refresh(const std::string& path, const OpenPolicy& policy) {
  struct stat st;
  missing_ = stat(path.c_str(), &st) != 0;
  if (missing_) {
    open_ = false;
    return Status::Error("no database at " + path +
                         " yet; build it with paperindex --db " + path);
  }
  FileIdentity now;
  now.device = st.st_dev;
  now.inode = st.st_ino;
  now.modified = st.st_mtim;
  now.size = st.st_size;
  if (open_ && now == identity_) {
    if (db_.reopen()) ++version_;
    return Status();
  }
  open_ = false;
  ++version_;
  Xapian::Database db;
  if (Status opened = OpenDatabase(path, policy, &db); !opened.ok()) {
    return opened;
  }
  if (Status schema = CheckSchemaVersion(db, path); !schema.ok()) {
    return schema;
  }
  db_ = std::move(db);
  identity_ = now;
  open_ = true;
  return Status();
}

}  // namespace papersearch
