// A server thread's view of the database: opened once, brought up to date
// before each request. paperindex commits an update into the live
// generation (Xapian's reopen() sees it) and switches a rebuild in by
// renaming a new stub over the database path (a new file: the stub's inode
// changes), so a request never waits for a restart and never sees half of
// an index.
#ifndef PAPERSEARCH_SERVER_READER_H_
#define PAPERSEARCH_SERVER_READER_H_

#include <sys/types.h>
#include <xapian.h>

#include <cstdint>
#include <ctime>
#include <string>

#include "common/database_open.h"
#include "common/status.h"

namespace papersearch {

class Reader {
 public:
  // Makes db() the database at `path` as it is now: opens it the first
  // time and when the file at `path` is another one, else reopens it at its
  // latest commit. Fails when nothing is at `path` yet (then missing()),
  // else with the opener's message. Throws Xapian errors (a generation removed
  // between reading the stub and opening it), for the caller's retry.
  Status Refresh(const std::string& path, const OpenPolicy& policy);
  // Opens afresh on the next Refresh (after an error).
  void Forget() {
    open_ = false;
    ++version_;
  }
  const Xapian::Database& db() const { return db_; }
  // The last Refresh found nothing at the path.
  bool missing() const { return missing_; }
  // Changes whenever db() may answer differently: a new commit or
  // generation seen, or an error (Forget). For caches of answers.
  uint64_t version() const { return version_; }

 private:
  struct FileIdentity {
    dev_t device = 0;
    ino_t inode = 0;
    timespec modified{};
    off_t size = 0;
    bool operator==(const FileIdentity& other) const;
  };

  bool open_ = false;
  bool missing_ = false;
  uint64_t version_ = 0;
  FileIdentity identity_;
  Xapian::Database db_;
};

}  // namespace papersearch

#endif  // PAPERSEARCH_SERVER_READER_H_
