// paperindex's command line: one CLI11 app, read by main.cc to parse and by
// tools/docgen for the man page and the shell completions.
#ifndef PAPERSEARCH_INDEXER_COMMAND_LINE_H_
#define PAPERSEARCH_INDEXER_COMMAND_LINE_H_

#include <memory>
#include <string>

#include "indexer/indexer.h"

namespace CLI {
class App;
}  // namespace CLI

namespace papersearch {

// What the command line says.
struct IndexCommandLine {
  IndexOptions options;
  std::string root = ".";
  // `paperindex import-readme FILE --out DIR`: set when that subcommand ran.
  CLI::App* import_readme = nullptr;
  std::string readme_path;
  std::string out_dir;
};

// The app that fills `command` when it parses; `command` must outlive it.
std::unique_ptr<CLI::App> MakePaperindexApp(IndexCommandLine* command);

}  // namespace papersearch

#endif  // PAPERSEARCH_INDEXER_COMMAND_LINE_H_
