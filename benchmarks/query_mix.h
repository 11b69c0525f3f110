// The benchmarks' fixed query mix (benchmarks/queries.txt): each line read
// into the same SearchConfig that papersearch builds from its command line.
#ifndef PAPERSEARCH_BENCHMARKS_QUERY_MIX_H_
#define PAPERSEARCH_BENCHMARKS_QUERY_MIX_H_

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "searcher/options.h"

namespace papersearch::bench {

struct MixQuery {
  std::string line;  // as written in the file, for reports
  int line_number = 0;
  SearchConfig config;  // as papersearch would search it
};

// Splits one line of the mix into papersearch's arguments (without argv[0]):
// the query text (everything before the first " --", or nothing when the
// line starts with "--") as one argument placed after "--", preceded by the
// options, split at spaces except inside double quotes (which are removed).
// Returns the arguments, or a message for an unterminated quote.
std::variant<std::vector<std::string>, std::string> SplitMixLine(
    std::string_view line);

// Reads the mix at `path`: one query per non-blank line not starting with
// '#', each parsed with papersearch's own command line parser and validated
// with ValidateOptions. Returns the queries in file order, or a message
// "PATH:LINE: what is wrong" (unreadable file, bad option, no query).
std::variant<std::vector<MixQuery>, std::string> ReadQueryMix(
    const std::string& path);

}  // namespace papersearch::bench

#endif  // PAPERSEARCH_BENCHMARKS_QUERY_MIX_H_
