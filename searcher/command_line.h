// Turning argv into Options with CLI11. Kept apart from validation so that
// the flag spelling lives in one place and ValidateOptions stays I/O-free.
#ifndef PAPERSEARCH_SEARCHER_COMMAND_LINE_H_
#define PAPERSEARCH_SEARCHER_COMMAND_LINE_H_

#include <string>

#include "searcher/options.h"

namespace papersearch {

struct CommandLine {
  Options options;
  // When set, the program prints `output` (to stdout for --help, else to
  // stderr) and exits with `exit_code` without searching.
  bool exit_now = false;
  int exit_code = 0;
  std::string output;
};

// Parses the arguments. Never throws; a usage error gives exit_now with
// exit_code 2 and a message naming the flag.
CommandLine ParseCommandLine(int argc, const char* const* argv);

// The same, always through CLI11. ParseCommandLine skips CLI11 when every
// argument is a query word, the common case (`papersearch "kv cache
// eviction"`), whose twenty options cost 0.3M instructions to set up, 6% of
// such a search; tests check that the two agree.
CommandLine ParseCommandLineWithCli11(int argc, const char* const* argv);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_COMMAND_LINE_H_
