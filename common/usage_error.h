// What both programs' command lines share: the --version line, and usage
// errors, worded alike by both programs, as their other errors are: the
// program's name, what is wrong, and the fix.
//
//   papersearch: unknown option '--instituion'; did you mean '--institution'?
//   Run 'papersearch --help' for usage.
#ifndef PAPERSEARCH_COMMON_USAGE_ERROR_H_
#define PAPERSEARCH_COMMON_USAGE_ERROR_H_

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>

namespace papersearch {

// What --version prints: "PROGRAM VERSION (database schema N)".
std::string VersionLine(std::string_view program, std::string_view version);

// What to print on stderr for `error`, which `app.parse` threw (not for
// --help or --version, which CLI11 also throws). Unknown options are named
// one by one, each with the closest option `app` (or a subcommand) has.
std::string DescribeUsageError(const CLI::App& app,
                               const CLI::ParseError& error);

}  // namespace papersearch

#endif  // PAPERSEARCH_COMMON_USAGE_ERROR_H_
