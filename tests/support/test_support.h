// Helpers for tests that run the real binaries on real files.
#ifndef PAPERSEARCH_TESTS_SUPPORT_TEST_SUPPORT_H_
#define PAPERSEARCH_TESTS_SUPPORT_TEST_SUPPORT_H_

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace papersearch::testing {

// Paths of the built programs and of the source tree (set by CMake).
// PAPERSEARCH_TEST_PAPERINDEX and PAPERSEARCH_TEST_PAPERSEARCH, when set,
// name other binaries to run (.ci/tsan runs the tests against a paperindex
// built with ThreadSanitizer; an older build shows what a test catches).
std::string PaperindexBin();
std::string PapersearchBin();
std::filesystem::path SourceDir();

// ../shared beside the source tree, or nullopt when it is absent (a user's
// fresh clone has none). Tests that need it call GTEST_SKIP() with the
// message from SharedMissingMessage().
std::optional<std::filesystem::path> SharedDir();
std::string SharedMissingMessage();

// The result of running a program to completion.
struct RunResult {
  int exit_code = -1;  // the exit status, or 128+signal if it was killed
  std::string out;     // everything written to stdout
  std::string err;     // everything written to stderr
};

struct RunOptions {
  std::filesystem::path cwd;               // empty: inherit
  std::map<std::string, std::string> env;  // added or overridden
  std::vector<std::string> unset_env;      // removed
  std::string stdin_data;                  // fed to stdin, then EOF
  int timeout_seconds = 120;               // killed after this
  // Limits for the child, 0 for none: its address space (RLIMIT_AS), and
  // the size of any file it writes (RLIMIT_FSIZE, with SIGXFSZ ignored, so
  // that a write past it fails as on a full disk).
  uint64_t max_memory_bytes = 0;
  uint64_t max_file_bytes = 0;
};

// Runs argv[0] with the given arguments (no shell involved), capturing both
// output streams. Never throws; a program that cannot start gives exit 127.
RunResult Run(const std::vector<std::string>& argv,
              const RunOptions& options = {});

// A fresh directory under the system temp dir, removed when this goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Writes `content` to root/relative, creating parent directories.
void WriteFile(const std::filesystem::path& path, const std::string& content);
std::string ReadFile(const std::filesystem::path& path);

// The lines of `text`, without their newlines (a last line without one
// counts).
std::vector<std::string> Lines(const std::string& text);

// Copies a whole tree (for tests that modify a collection from ../shared).
void CopyTree(const std::filesystem::path& from,
              const std::filesystem::path& to);

}  // namespace papersearch::testing

#endif  // PAPERSEARCH_TESTS_SUPPORT_TEST_SUPPORT_H_
