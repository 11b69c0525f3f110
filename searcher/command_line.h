// Turning argv into Options: CLI11, and a fast path for the common command
// lines. Kept apart from validation so that the flag spelling lives in one
// place (the option table in command_line.cc) and ValidateOptions stays
// I/O-free.
#ifndef PAPERSEARCH_SEARCHER_COMMAND_LINE_H_
#define PAPERSEARCH_SEARCHER_COMMAND_LINE_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "searcher/options.h"

namespace CLI {
class App;
}  // namespace CLI

namespace papersearch {

// papersearch's command line as a CLI11 app that writes into `options`: the
// option table in command_line.cc, in --help's order. Parsing, --help, the
// man page and the shell completions (tools/docgen) all read it.
std::unique_ptr<CLI::App> MakePapersearchApp(Options* options);

// The values option `name` ("--sort") takes, as the table lists them for the
// shell completions; empty for an option that takes any value.
std::vector<std::string> OptionChoices(std::string_view name);

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

// The same, always through CLI11, which also writes --help, --version and
// every usage error.
CommandLine ParseCommandLineWithCli11(int argc, const char* const* argv);

// The common command lines read without CLI11: query words, `--`, and the
// options of the table in command_line.cc as `--name value`, `--name=value`,
// `-n N` or `-nN`: setting up CLI11's twenty options is a noticeable part
// of a whole search. Returns nullopt for anything CLI11 must judge or
// describe: --help, --version, an unknown option, a flag given a value or
// twice, a single-valued option given twice, a missing or empty value, an
// empty argument. What it returns is what
// CLI11 makes of the same arguments (tests compare the two on random command
// lines).
std::optional<Options> ParseCommandLineFast(int argc, const char* const* argv);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_COMMAND_LINE_H_
