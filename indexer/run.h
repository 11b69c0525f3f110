// paperindex's two commands from options to output: the one place where
// what the indexer did, or why it could not, becomes messages on stderr and
// an exit code.
//
// Exit codes: 0 all went well, 1 done but some files failed (paperindex) or
// gave warnings (import-readme), 2 could not run (nothing changed then).
#ifndef PAPERSEARCH_INDEXER_RUN_H_
#define PAPERSEARCH_INDEXER_RUN_H_

#include <iosfwd>
#include <string>

#include "indexer/indexer.h"

namespace papersearch {

// `paperindex`: UpdateIndex, then its notices, warnings (unless quiet),
// failures as file:line:col lines, a one-line summary (unless quiet) and
// the JSON report (--report). `report`, when not null, gets the report.
int RunIndex(const IndexOptions& options, std::ostream& err,
             IndexReport* report = nullptr);

// `paperindex import-readme FILE --out DIR`: ImportReadmeFile and
// WriteRecords, printing each warning as "file:line: message" and, unless
// `quiet`, a one-line summary to `err`.
int RunImportReadme(const std::string& readme_path, const std::string& out_dir,
                    bool quiet, std::ostream& err);

}  // namespace papersearch

#endif  // PAPERSEARCH_INDEXER_RUN_H_
