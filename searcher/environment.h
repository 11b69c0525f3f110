// What the searcher reads from its surroundings, gathered once in main so
// that everything after it is testable without touching the process.
#ifndef PAPERSEARCH_SEARCHER_ENVIRONMENT_H_
#define PAPERSEARCH_SEARCHER_ENVIRONMENT_H_

#include <string>

#include "searcher/options.h"

namespace papersearch {

struct Environment {
  std::string papersearch_db;        // $PAPERSEARCH_DB; "" when unset
  std::string papersearch_synonyms;  // $PAPERSEARCH_SYNONYMS; "" when unset
  std::string papersearch_aliases;   // $PAPERSEARCH_ALIASES; "" when unset
  bool no_color = false;             // $NO_COLOR is set to a non-empty value
  bool dumb_terminal = false;        // $TERM is "dumb"
  bool stdout_is_tty = false;
  std::string cwd;  // where the database walk starts; absolute
};

// Reads the process's environment variables, cwd and whether stdout is a
// terminal. Never throws (an unreadable cwd gives an empty path).
Environment CurrentEnvironment();

// Colour for `mode`: always/never as said; auto means stdout is a terminal,
// NO_COLOR is not set and TERM is not dumb.
bool ShouldUseColor(ColorMode mode, const Environment& env);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_ENVIRONMENT_H_
