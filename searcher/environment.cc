#include "searcher/environment.h"

#include <errno.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace papersearch {

Environment CurrentEnvironment() {
  Environment env;
  if (const char* db = std::getenv("PAPERSEARCH_DB")) env.papersearch_db = db;
  if (const char* synonyms = std::getenv("PAPERSEARCH_SYNONYMS")) {
    env.papersearch_synonyms = synonyms;
  }
  if (const char* aliases = std::getenv("PAPERSEARCH_ALIASES")) {
    env.papersearch_aliases = aliases;
  }
  const char* no_color = std::getenv("NO_COLOR");
  env.no_color = no_color != nullptr && no_color[0] != '\0';
  const char* term = std::getenv("TERM");
  env.dumb_terminal = term != nullptr && std::strcmp(term, "dumb") == 0;
  env.stdout_is_tty = isatty(STDOUT_FILENO) == 1;
  std::string cwd(256, '\0');
  while (getcwd(cwd.data(), cwd.size()) == nullptr) {
    if (errno != ERANGE) return env;  // cwd stays empty
    cwd.resize(cwd.size() * 2);
  }
  env.cwd = cwd.c_str();
  return env;
}

bool ShouldUseColor(ColorMode mode, const Environment& env) {
  switch (mode) {
    case ColorMode::kAlways: return true;
    case ColorMode::kNever: return false;
    case ColorMode::kAuto:
      return env.stdout_is_tty && !env.no_color && !env.dumb_terminal;
  }
  return false;
}

}  // namespace papersearch
