#include "tests/support/test_support.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace papersearch::testing {

namespace fs = std::filesystem;

std::string PaperindexBin() {
  const char* other = std::getenv("PAPERSEARCH_TEST_PAPERINDEX");
  return other && *other ? other : PAPERINDEX_BIN;
}
std::string PapersearchBin() {
  const char* other = std::getenv("PAPERSEARCH_TEST_PAPERSEARCH");
  return other && *other ? other : PAPERSEARCH_BIN;
}
fs::path SourceDir() { return PAPERSEARCH_SOURCE_DIR; }

std::optional<fs::path> SharedDir() {
  if (const char* env = std::getenv("PAPERSEARCH_SHARED_DIR")) {
    if (fs::is_directory(fs::path(env) / "corpus")) return fs::path(env);
  }
  fs::path shared = SourceDir().parent_path() / "shared";
  if (fs::is_directory(shared / "corpus")) return shared;
  return std::nullopt;
}

std::string SharedMissingMessage() {
  return "../shared (the real paper collections) is not beside the source "
         "tree at " +
         (SourceDir().parent_path() / "shared").string() +
         "; set PAPERSEARCH_SHARED_DIR to run this test";
}

RunResult Run(const std::vector<std::string>& argv, const RunOptions& options) {
  RunResult result;
  int out_pipe[2], err_pipe[2], in_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0 || pipe(in_pipe) != 0) {
    result.exit_code = 127;
    result.err = "pipe failed";
    return result;
  }
  // Build the environment before fork: only async-signal-safe calls after.
  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string kv(*e);
    size_t eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const auto& name : options.unset_env) env.erase(name);
  for (const auto& [k, v] : options.env) env[k] = v;
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> argp;
  for (auto& a : args) argp.push_back(a.data());
  argp.push_back(nullptr);
  std::string cwd = options.cwd.string();

  pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1],
                   err_pipe[0], err_pipe[1]}) {
      close(fd);
    }
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(127);
    if (options.max_memory_bytes > 0) {
      struct rlimit limit = {options.max_memory_bytes,
                             options.max_memory_bytes};
      if (setrlimit(RLIMIT_AS, &limit) != 0) _exit(127);
    }
    if (options.max_file_bytes > 0) {
      // As on a full disk: a write past the limit fails with EFBIG instead
      // of killing the program (an ignored signal stays ignored in exec).
      signal(SIGXFSZ, SIG_IGN);
      struct rlimit limit = {options.max_file_bytes, options.max_file_bytes};
      if (setrlimit(RLIMIT_FSIZE, &limit) != 0) _exit(127);
    }
    execve(argp[0], argp.data(), envp.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (pid < 0) {
    close(in_pipe[1]);
    close(out_pipe[0]);
    close(err_pipe[0]);
    result.exit_code = 127;
    return result;
  }
  // Feed stdin and drain both outputs without deadlocking.
  signal(SIGPIPE, SIG_IGN);
  size_t written = 0;
  int in_fd = in_pipe[1];
  if (options.stdin_data.empty()) {
    close(in_fd);
    in_fd = -1;
  } else {
    fcntl(in_fd, F_SETFL, O_NONBLOCK);
  }
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::seconds(options.timeout_seconds);
  bool out_open = true, err_open = true, killed = false;
  char buf[65536];
  while (out_open || err_open) {
    pollfd fds[3];
    int n = 0;
    if (out_open) fds[n++] = {out_pipe[0], POLLIN, 0};
    if (err_open) fds[n++] = {err_pipe[0], POLLIN, 0};
    if (in_fd >= 0) fds[n++] = {in_fd, POLLOUT, 0};
    int ready = poll(fds, n, 100);
    if (std::chrono::steady_clock::now() > deadline && !killed) {
      kill(pid, SIGKILL);
      killed = true;
    }
    if (ready <= 0) continue;
    for (int i = 0; i < n; ++i) {
      if (!fds[i].revents) continue;
      if (fds[i].fd == in_fd) {
        ssize_t w = write(in_fd, options.stdin_data.data() + written,
                          options.stdin_data.size() - written);
        if (w > 0) written += w;
        if (w < 0 || written == options.stdin_data.size()) {
          close(in_fd);
          in_fd = -1;
        }
        continue;
      }
      ssize_t r = read(fds[i].fd, buf, sizeof buf);
      bool is_out = fds[i].fd == out_pipe[0];
      if (r <= 0) {
        (is_out ? out_open : err_open) = false;
      } else {
        (is_out ? result.out : result.err).append(buf, r);
      }
    }
  }
  if (in_fd >= 0) close(in_fd);
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exit_code = 128 + WTERMSIG(status);
  }
  return result;
}

TempDir::TempDir() {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path candidate = fs::temp_directory_path() /
                         ("papersearch-test-" + std::to_string(rd()));
    std::error_code ec;
    if (fs::create_directory(candidate, ec)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ec;
  // Make everything removable again, in case a test took permissions away.
  for (auto it = fs::recursive_directory_iterator(
           path_, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_symlink()) {
      fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add,
                      ec);
    }
  }
  fs::remove_all(path_, ec);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void WriteFile(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void CopyTree(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  fs::copy(from, to,
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  // Sources in ../shared are read-only; the copy must be writable.
  for (auto& entry : fs::recursive_directory_iterator(to)) {
    fs::permissions(entry.path(),
                    fs::perms::owner_write | fs::perms::owner_read,
                    fs::perm_options::add);
  }
  fs::permissions(to, fs::perms::owner_all, fs::perm_options::add);
}

}  // namespace papersearch::testing
