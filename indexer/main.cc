// paperindex: reads a paper collection into a Xapian database.
//
//   paperindex [--root DIR] [--db PATH] [--full] [--dry-run] [--report FILE]
//              [--quiet]
//   paperindex import-readme FILE --out DIR
//
// Exit codes: 0 all indexed, 1 some files failed (the rest indexed),
// 2 could not run.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "common/usage_error.h"
#include "indexer/command_line.h"
#include "indexer/indexer.h"
#include "indexer/run.h"

namespace {

int Main(int argc, char** argv) {
  papersearch::IndexCommandLine command;
  const std::unique_ptr<CLI::App> app =
      papersearch::MakePaperindexApp(&command);
  try {
    app->parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
      return app->exit(e);  // --help, --version
    }
    std::cerr << papersearch::DescribeUsageError(*app, e);
    return 2;
  }

  papersearch::IndexOptions& options = command.options;
  if (command.import_readme->parsed()) {
    return papersearch::RunImportReadme(command.readme_path, command.out_dir,
                                        options.quiet, std::cerr);
  }
  options.root = command.root;
  if (options.db_path.empty()) {
    options.db_path = papersearch::DefaultDatabasePath(options.root);
  }
  options.progress = isatty(STDERR_FILENO);
  return papersearch::RunIndex(options, std::cerr);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "paperindex: internal error: " << e.what() << "\n";
    return 2;
  }
}
