// Opening a database path: the one place either program turns a path into a
// Xapian::Database.
//
// A database path is untrusted input: it may lie in a folder someone else
// prepared (a cloned paper list, an unpacked archive), and Xapian's own
// opener follows a stub file's lines wherever they lead, including
// `remote :PROGRAM`, which starts PROGRAM, and stubs that name each other,
// which recurse until the stack overflows. So papersearch reads stubs itself
// and opens only what paperindex writes and what a deployment lists:
//
//   auto PATH, glass PATH   a local database (a glass directory, or another
//                           stub, followed at most kMaxStubDepth deep; a
//                           cycle is an error naming the stubs)
//   remote HOST:PORT        a shard served by xapian-tcpsrv, only when the
//                           caller allows the network
//   remote :PROGRAM ARGS    refused unless the caller allows programs
//
// Relative paths are relative to the stub's directory, blank lines and lines
// starting with '#' are ignored (Xapian's stub format). Every leaf is opened
// with an explicit backend, so Xapian itself never reads a stub.
#ifndef PAPERSEARCH_COMMON_DATABASE_OPEN_H_
#define PAPERSEARCH_COMMON_DATABASE_OPEN_H_

#include <xapian.h>

#include <string>
#include <vector>

#include "common/status.h"

namespace papersearch {

inline constexpr int kMaxStubDepth = 8;
// Databases one stub tree may list, and the most bytes one stub file holds.
inline constexpr size_t kMaxStubShards = 1024;
inline constexpr size_t kMaxStubBytes = 1 << 20;

struct OpenPolicy {
  // `remote HOST:PORT` lines. False for a database found by walking up from
  // the working directory: that one is local only.
  bool allow_network = true;
  // `remote :PROGRAM` lines: only when the user asked for it by name
  // (papersearch --allow-stub-programs).
  bool allow_programs = false;
  // Why the network or programs are not allowed, for the message
  // ("it was found by walking up from /home/me/list").
  std::string local_only_reason;
  // Milliseconds a remote shard may take to connect and to answer.
  unsigned remote_timeout_ms = 10000;
};

// One database a stub tree lists, as opened.
struct Shard {
  enum Kind { kLocal, kRemoteTcp, kRemoteProgram } kind = kLocal;
  std::string location;  // the directory, "HOST:PORT" or "PROGRAM ARGS"
};

// The shards `path` names, in order, without opening any of them. A failure's
// message names the file (and line) and says what to do. Reads
// each stub through ReadRegularFile.
Status ResolveDatabase(const std::string& path, const OpenPolicy& policy,
                       std::vector<Shard>* shards);

// Resolves `path` and opens every shard into `db`. Fails with the
// resolver's message; Xapian's own errors (a generation removed by a writer
// between reading the stub and opening it, a shard that is down) are thrown
// as Xapian exceptions, for the caller's retry.
Status OpenDatabase(const std::string& path, const OpenPolicy& policy,
                    Xapian::Database* db);

}  // namespace papersearch

#endif  // PAPERSEARCH_COMMON_DATABASE_OPEN_H_
