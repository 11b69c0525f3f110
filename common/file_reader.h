// Reading a file that someone names: a record, a note, a synonyms file, a
// database stub. Every such file may have been put there by someone else, so
// it is read only if it is a regular file, never more than a limit, and never
// by a call that can block (a FIFO, a terminal, a device).
#ifndef PAPERSEARCH_COMMON_FILE_READER_H_
#define PAPERSEARCH_COMMON_FILE_READER_H_

#include <sys/stat.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace papersearch {

struct ReadLimits {
  size_t max_bytes = 0;
  // A larger file: read its first max_bytes and say so (`truncated`), or
  // refuse it.
  bool truncate = false;
};

struct FileRead {
  std::string text;
  struct stat info = {};   // fstat of what was read (a regular file)
  bool truncated = false;  // only with ReadLimits::truncate
};

// Reads `path` into `out`. On failure the message says why in words that
// follow the file's name, which the caller places ("FILE: " + message, or a
// Diagnostic for FILE) ("not a regular file but a FIFO (named pipe)", "larger
// than the 1048576-byte limit (4194304 bytes)", "no such file"). Opens with
// O_NONBLOCK and checks the opened file with fstat, so a file swapped for a
// FIFO or a device between a stat and the open is still refused without
// blocking, and reads at most max_bytes + 1 bytes whatever st_size claims
// (files in /proc say 0).
Status ReadRegularFile(const std::string& path, const ReadLimits& limits,
                       FileRead* out);

// What a non-regular file is, for messages: "a directory", "a FIFO (named
// pipe)", "a character device", ...
const char* FileKind(mode_t mode);

// A user's settings file (synonyms, aliases): where it was read and its text.
struct SettingsFile {
  std::string source;  // its path, for FILE:LINE messages
  std::string text;
};

// The user's files of one kind of settings, in the order they apply: the
// file named by the environment variable `env_name` (its value `env_path`,
// "" when unset), then `file_name` in `db_dir` if it exists. A file that
// cannot be read (not a regular file, over `max_bytes`) is skipped with a
// message in `notices` that names `what` ("synonyms"). Never throws.
std::vector<SettingsFile> ReadSettingsFiles(
    const std::string& env_path, std::string_view env_name,
    const std::string& db_dir, std::string_view file_name,
    std::string_view what, size_t max_bytes, std::vector<std::string>* notices);

}  // namespace papersearch

#endif  // PAPERSEARCH_COMMON_FILE_READER_H_
