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
#include "indexer/indexer.h"
#include "indexer/readme_import.h"
#include "schema.h"

namespace {

int Main(int argc, char** argv) {
  CLI::App app{
      "paperindex: read a paper collection (meta/YEAR/ID.prototxt records and "
      "notes/YEAR/ID/note.md notes) into a Xapian database for papersearch.",
      "paperindex"};
  app.set_version_flag("--version",
                       std::string("paperindex ") + PAPERSEARCH_VERSION +
                           " (database schema " +
                           std::to_string(papersearch::schema::kVersion) + ")");

  papersearch::IndexOptions options;
  std::string root = ".";
  app.add_option("--root", root,
                 "collection root holding meta/ and notes/ (default: .)")
      ->check(CLI::Validator(CLI::ExistingDirectory).description(""))
      ->type_name("DIR");
  app.add_option("--db", options.db_path,
                 "database path (default: $PAPERSEARCH_DB, else "
                 "ROOT/.papersearch/db)")
      ->type_name("PATH");
  app.add_flag("--full", options.full,
               "rebuild from scratch beside the live database, then switch to "
               "it atomically (default: update only what changed)");
  app.add_flag("--dry-run", options.dry_run,
               "say what would be added, updated and removed; write nothing");
  app.add_option("--report", options.report_path,
                 "write a JSON report (added, updated, removed, unchanged, "
                 "failed, seconds) to this file")
      ->type_name("FILE");
  app.add_flag("-q,--quiet", options.quiet,
               "print only errors (no summary, warnings or progress)");
  app.add_option("--shard-size", options.shard_papers,
                 "a full build writes shards of at most this many papers and "
                 "merges them (default: " +
                     std::to_string(papersearch::kDefaultShardPapers) + ")")
      ->check(CLI::Validator(
          [](const std::string& value) {
            int papers = 0;
            return CLI::detail::lexical_cast(value, papers) && papers > 0
                       ? std::string()
                       : "must be a number of papers, 1 or more, not '" +
                             value + "'";
          },
          ""))
      ->type_name("N");

  std::string readme_path, out_dir;
  CLI::App* import = app.add_subcommand(
      "import-readme",
      "convert a paper-list README (the institution-grouped Markdown view) "
      "into meta/YEAR/ID.prototxt records");
  import->add_option("FILE", readme_path, "the README to convert")->required();
  import->add_option("--out", out_dir, "collection root to write meta/ into")
      ->required()
      ->type_name("DIR");
  import->add_flag("-q,--quiet", options.quiet, "print only errors");
  app.require_subcommand(0, 1);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
      return app.exit(e);  // --help, --version
    }
    std::cerr << papersearch::DescribeUsageError(app, e);
    return 2;
  }

  if (import->parsed()) {
    return papersearch::RunImportReadme(readme_path, out_dir, options.quiet,
                                        std::cerr);
  }
  options.root = root;
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
