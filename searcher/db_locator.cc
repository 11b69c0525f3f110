#include "searcher/db_locator.h"

#include <sys/stat.h>

#include <filesystem>
#include <system_error>

namespace papersearch {
namespace {

namespace fs = std::filesystem;

bool IsDirectory(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

// A database is a directory or a Xapian stub file naming one (paperindex
// writes a stub pointing at the current generation).
bool IsDatabase(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 &&
         (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode));
}

// `dir`/`name`; `name` alone when `dir` is "".
std::string Join(std::string_view dir, std::string_view name) {
  std::string path(dir);
  if (!path.empty() && path.back() != '/') path += '/';
  path += name;
  return path;
}

// The nearest directory at or above `start` that looks like a collection
// (has meta/), or empty.
fs::path FindCollectionRoot(const fs::path& start) {
  for (fs::path dir = start; !dir.empty(); dir = dir.parent_path()) {
    if (IsDirectory(dir / "meta")) return dir;
    if (dir == dir.parent_path()) break;
  }
  return {};
}

// The command that builds `db`; the root is the collection around `cwd` when
// there is one, else a placeholder the user must fill in.
std::string BuildCommand(const fs::path& db, const fs::path& cwd) {
  fs::path root = FindCollectionRoot(cwd);
  std::string root_text =
      root.empty() ? "DIR" : ShellQuote(root.lexically_normal().string());
  std::string command =
      "paperindex --root " + root_text + " --db " + ShellQuote(db.string());
  if (root.empty()) {
    command += "\n(DIR is the collection directory holding meta/ and notes/)";
  }
  return command;
}

Status Missing(const std::string& what, const fs::path& db,
               const fs::path& cwd) {
  return Status::Error(what + "; build it with:\n  " + BuildCommand(db, cwd));
}

}  // namespace

std::string ShellQuote(const std::string& path) {
  bool plain = !path.empty();
  for (char c : path) {
    if (!(isalnum(static_cast<unsigned char>(c)) ||
          std::string_view("/._-+:,@%=").find(c) != std::string_view::npos)) {
      plain = false;
      break;
    }
  }
  if (plain) return path;
  std::string quoted = "'";
  for (char c : path) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::string ParentDirectory(std::string_view path) {
  auto trim_slashes = [](std::string_view p) {
    while (p.size() > 1 && p.back() == '/') p.remove_suffix(1);
    return p;
  };
  path = trim_slashes(path);
  const size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return "";
  if (slash == 0) return "/";
  return std::string(trim_slashes(path.substr(0, slash)));
}

Result<DbLocation> LocateDatabase(const std::string& explicit_db,
                                  const std::string& env_db,
                                  const std::string& cwd) {
  auto absolute = [&](const std::string& path) {
    if (path.starts_with('/')) return path;
    return (fs::path(cwd) / path).lexically_normal().string();
  };
  if (!explicit_db.empty()) {
    std::string db = absolute(explicit_db);
    if (!IsDatabase(db)) {
      return Missing("no database at " + db + " (from --db)", db, cwd);
    }
    return DbLocation{db, "--db"};
  }
  if (!env_db.empty()) {
    std::string db = absolute(env_db);
    if (!IsDatabase(db)) {
      return Missing("no database at " + db + " (from PAPERSEARCH_DB)", db,
                     cwd);
    }
    return DbLocation{db, "PAPERSEARCH_DB"};
  }
  for (std::string dir = cwd; !dir.empty(); dir = ParentDirectory(dir)) {
    std::string db = Join(dir, kDefaultDbDir);
    if (IsDatabase(db)) return DbLocation{db, "found from " + cwd, true};
    if (dir == "/") break;
  }
  fs::path root = FindCollectionRoot(cwd);
  fs::path db = fs::path(root.empty() ? fs::path(cwd) : root) / kDefaultDbDir;
  return Missing(
      "no database: --db not given, PAPERSEARCH_DB not set, and no " +
          std::string(kDefaultDbDir) + " in " + cwd +
          " or any parent directory",
      db, cwd);
}

}  // namespace papersearch
