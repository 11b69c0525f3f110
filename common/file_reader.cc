#include "common/file_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace papersearch {
namespace {

Status Reason(int error) {
  switch (error) {
    case ENOENT: return Status::Error("no such file");
    case ELOOP:
      return Status::Error(
          "a symlink loop (too many levels of symbolic links)");
    case ENOTDIR:
      return Status::Error(
          "no such file (a part of its path is not a directory)");
    default:
      return Status::Error(std::string("cannot read it (") +
                           std::strerror(error) + ")");
  }
}

Status NotRegular(mode_t mode) {
  return Status::Error(std::string("not a regular file but ") + FileKind(mode));
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

const char* FileKind(mode_t mode) {
  if (S_ISREG(mode)) return "a regular file";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISLNK(mode)) return "a symbolic link";
  return "not a file";
}

Status ReadRegularFile(const std::string& path, const ReadLimits& limits,
                       FileRead* out) {
  out->text.clear();
  out->truncated = false;
  // A stat first, so that a device is never opened at all (opening some has
  // effects); the fstat after the open is what counts.
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return Reason(errno);
  if (!S_ISREG(st.st_mode)) return NotRegular(st.st_mode);
  Fd fd(open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (fd.get() < 0) return Reason(errno);
  if (fstat(fd.get(), &out->info) != 0) return Reason(errno);
  if (!S_ISREG(out->info.st_mode)) return NotRegular(out->info.st_mode);

  const size_t want = limits.max_bytes + 1;  // one more tells "larger"
  const size_t size = static_cast<size_t>(out->info.st_size);
  out->text.resize(size > 0 && size < want ? size
                                           : std::min<size_t>(want, 65536));
  size_t have = 0;
  for (;;) {
    if (have == out->text.size()) {
      if (have >= want) break;
      out->text.resize(std::min(want, out->text.size() * 2));
    }
    ssize_t n =
        read(fd.get(), out->text.data() + have, out->text.size() - have);
    if (n < 0) {
      if (errno == EINTR) continue;
      out->text.clear();
      return Reason(errno);
    }
    if (n == 0) break;
    have += static_cast<size_t>(n);
  }
  out->text.resize(have);
  if (have > limits.max_bytes) {
    if (!limits.truncate) {
      const std::string actual = size > limits.max_bytes
                                     ? " (" + std::to_string(size) + " bytes)"
                                     : "";
      out->text.clear();
      return Status::Error("larger than the " +
                           std::to_string(limits.max_bytes) + "-byte limit" +
                           actual);
    }
    out->text.resize(limits.max_bytes);
    out->truncated = true;
  }
  return Status();
}

std::vector<SettingsFile> ReadSettingsFiles(const std::string& env_path,
                                            std::string_view env_name,
                                            const std::string& db_dir,
                                            std::string_view file_name,
                                            std::string_view what,
                                            size_t max_bytes,
                                            std::vector<std::string>* notices) {
  std::vector<SettingsFile> files;
  const ReadLimits limits{max_bytes, false};
  FileRead file;
  if (!env_path.empty()) {
    if (Status read = ReadRegularFile(env_path, limits, &file); read.ok()) {
      files.push_back({env_path, std::move(file.text)});
    } else {
      notices->push_back(env_path + " (" + std::string(env_name) +
                         "): " + read.message() + "; using the built-in " +
                         std::string(what));
    }
  }
  // lstat(2), not std::filesystem: this runs on every search.
  if (db_dir.empty()) return files;
  const std::string beside_db =
      db_dir + (db_dir.ends_with('/') ? "" : "/") + std::string(file_name);
  struct stat st;
  if (lstat(beside_db.c_str(), &st) != 0) return files;
  if (Status read = ReadRegularFile(beside_db, limits, &file); read.ok()) {
    files.push_back({beside_db, std::move(file.text)});
  } else {
    notices->push_back(beside_db + ": " + read.message() + "; this " +
                       std::string(what) + " file is ignored");
  }
  return files;
}

}  // namespace papersearch
