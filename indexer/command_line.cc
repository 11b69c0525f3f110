#include "indexer/command_line.h"

#include <CLI/CLI.hpp>

#include "common/usage_error.h"

namespace papersearch {

std::unique_ptr<CLI::App> MakePaperindexApp(IndexCommandLine* command) {
  auto app = std::make_unique<CLI::App>(
      "paperindex: read a paper collection (meta/YEAR/ID.prototxt records and "
      "notes/YEAR/ID/note.md notes) into a Xapian database for papersearch.\n"
      "Exit status: 0 all indexed, 1 some files failed (the rest indexed), 2 "
      "could not run.",
      "paperindex");
  app->set_version_flag("--version",
                        VersionLine("paperindex", PAPERSEARCH_VERSION));
  IndexOptions& options = command->options;
  app->add_option("--root", command->root,
                  "collection root holding meta/ and notes/ (default: .)")
      ->check(CLI::Validator(CLI::ExistingDirectory).description(""))
      ->type_name("DIR");
  app->add_option("--db", options.db_path,
                  "database path (default: $PAPERSEARCH_DB, else "
                  "ROOT/.papersearch/db)")
      ->type_name("PATH");
  app->add_flag("--full", options.full,
                "rebuild from scratch beside the live database, then switch "
                "to it atomically (default: update only what changed)");
  app->add_flag("--dry-run", options.dry_run,
                "say what would be added, updated and removed; write nothing");
  app->add_option("--report", options.report_path,
                  "write a JSON report (added, updated, removed, unchanged, "
                  "failed, seconds) to this file")
      ->type_name("FILE");
  app->add_flag("-q,--quiet", options.quiet,
                "print only errors (no summary, warnings or progress)");
  app->add_option("--shard-size", options.shard_papers,
                  "a full build writes shards of at most this many papers and "
                  "merges them (default: " +
                      std::to_string(kDefaultShardPapers) + ")")
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

  CLI::App* import = app->add_subcommand(
      "import-readme",
      "convert a paper-list README (the institution-grouped Markdown view) "
      "into meta/YEAR/ID.prototxt records");
  import->add_option("FILE", command->readme_path, "the README to convert")
      ->required();
  import
      ->add_option("--out", command->out_dir,
                   "collection root to write meta/ into")
      ->required()
      ->type_name("DIR");
  import->add_flag("-q,--quiet", options.quiet, "print only errors");
  app->require_subcommand(0, 1);
  command->import_readme = import;
  return app;
}

}  // namespace papersearch
