#include "searcher/db_locator.h"

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
bool IsDatabase(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec) || fs::is_regular_file(path, ec);
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

std::string Missing(const std::string& what, const fs::path& db,
                    const fs::path& cwd) {
  return what + "; build it with:\n  " + BuildCommand(db, cwd);
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

std::variant<DbLocation, std::string> LocateDatabase(
    const std::string& explicit_db, const std::string& env_db,
    const fs::path& cwd) {
  auto absolute = [&](const std::string& path) {
    fs::path p(path);
    return p.is_absolute() ? p : (cwd / p).lexically_normal();
  };
  if (!explicit_db.empty()) {
    fs::path db = absolute(explicit_db);
    if (!IsDatabase(db)) {
      return Missing("no database at " + db.string() + " (from --db)", db, cwd);
    }
    return DbLocation{db, "--db"};
  }
  if (!env_db.empty()) {
    fs::path db = absolute(env_db);
    if (!IsDatabase(db)) {
      return Missing("no database at " + db.string() + " (from PAPERSEARCH_DB)",
                     db, cwd);
    }
    return DbLocation{db, "PAPERSEARCH_DB"};
  }
  for (fs::path dir = cwd; !dir.empty(); dir = dir.parent_path()) {
    fs::path db = dir / kDefaultDbDir;
    if (IsDatabase(db)) return DbLocation{db, "found from " + cwd.string()};
    if (dir == dir.parent_path()) break;
  }
  fs::path root = FindCollectionRoot(cwd);
  fs::path db = (root.empty() ? cwd : root) / kDefaultDbDir;
  return Missing(
      "no database: --db not given, PAPERSEARCH_DB not set, and no " +
          std::string(kDefaultDbDir) + " in " + cwd.string() +
          " or any parent directory",
      db, cwd);
}

}  // namespace papersearch
