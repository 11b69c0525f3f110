// The benchmarks' fixed query mix (benchmarks/queries.txt): each line read
// into the same SearchConfig that papersearch builds from its command line.
#ifndef PAPERSEARCH_BENCHMARKS_QUERY_MIX_H_
#define PAPERSEARCH_BENCHMARKS_QUERY_MIX_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
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
// Fails on an unterminated quote.
Result<std::vector<std::string>> SplitMixLine(std::string_view line);

// Reads the mix at `path`: one query per non-blank line not starting with
// '#', each parsed with papersearch's own command line parser and validated
// with ValidateOptions. Returns the queries in file order, or fails with
// "PATH:LINE: what is wrong" (unreadable file, bad option, no query).
Result<std::vector<MixQuery>> ReadQueryMix(const std::string& path);

}  // namespace papersearch::bench

#endif  // PAPERSEARCH_BENCHMARKS_QUERY_MIX_H_
