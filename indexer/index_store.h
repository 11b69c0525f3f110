// Where a database lives on disk and how it is switched atomically.
//
// A database at PATH is a Xapian stub file naming one generation directory,
// PATH.d/N. Readers open PATH and follow the stub. A full rebuild writes
// generation N+1 beside the live one and then renames a new stub over PATH,
// so a reader sees either the old index or the new one, never half of one,
// and a crash before the rename leaves the old one live. PATH.lock serialises
// writers.
#ifndef PAPERSEARCH_INDEXER_INDEX_STORE_H_
#define PAPERSEARCH_INDEXER_INDEX_STORE_H_

#include <optional>
#include <string>

#include "common/status.h"

namespace papersearch {

// The generation directory for generation `n` of the database at `db_path`.
std::string GenerationPath(const std::string& db_path, int n);

// The generation the stub at `db_path` names, or nullopt if there is no
// database there yet. Fails when something else is there (a directory, a
// stub paperindex did not write).
Result<std::optional<int>> CurrentGeneration(const std::string& db_path);

// Points the stub at `db_path` to generation `n`, atomically (write a
// temporary stub, fsync, rename over).
Status SwitchToGeneration(const std::string& db_path, int n);

// Removes every generation directory of `db_path` except `keep`, and stale
// temporary files. Best effort: a generation a reader still holds open is
// unlinked but stays readable for that reader.
void RemoveOtherGenerations(const std::string& db_path, int keep);

// The writer lock (flock on PATH.lock). At most one paperindex writes a
// database at a time; the lock dies with its process, so kill -9 cannot
// leave it stuck.
class WriterLock {
 public:
  // Takes the lock without waiting. Fails with a message naming the
  // process that holds it.
  static Result<WriterLock> TryAcquire(const std::string& db_path);
  WriterLock(WriterLock&& other) noexcept;
  WriterLock& operator=(WriterLock&& other) noexcept;
  ~WriterLock();

 private:
  explicit WriterLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace papersearch

#endif  // PAPERSEARCH_INDEXER_INDEX_STORE_H_
