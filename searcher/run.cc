#include "searcher/run.h"

#include <xapian.h>

#include <chrono>
#include <thread>

#include "common/database_open.h"
#include "common/schema_check.h"
#include "searcher/bibtex_printer.h"
#include "searcher/db_locator.h"
#include "searcher/field_values.h"
#include "searcher/ids_printer.h"
#include "searcher/json_printer.h"
#include "searcher/markdown_printer.h"
#include "searcher/searcher.h"
#include "searcher/text_printer.h"

namespace papersearch {
namespace {

constexpr char kProgram[] = "papersearch: ";

// The one place a failed Status becomes papersearch's message and exit code.
RunOutput Error(const Status& status) {
  RunOutput output;
  output.status = RunStatus::kError;
  output.err = kProgram + status.message() + "\n";
  return output;
}

RunOutput Error(const std::string& message) {
  return Error(Status::Error(message));
}

}  // namespace

std::string FormatResults(const SearchConfig& config, const Environment& env,
                          const SearchResults& results) {
  switch (config.format) {
    case OutputFormat::kText:
      return FormatText(
          results, {ShouldUseColor(config.color, env), config.show_facets});
    case OutputFormat::kJson: return FormatJson(results);
    case OutputFormat::kMarkdown:
      return FormatMarkdown(results, config.group_by);
    case OutputFormat::kIds: return FormatIds(results);
    case OutputFormat::kBibtex: return FormatBibtex(results);
  }
  return "";
}

// Snippets are in text and JSON; facets in JSON always, in text with
// --facets. Markdown, ids and BibTeX show neither.
SearchWants WantsFor(const SearchConfig& config) {
  SearchWants wants;
  wants.snippets = config.format == OutputFormat::kText ||
                   config.format == OutputFormat::kJson;
  wants.facets = config.format == OutputFormat::kJson ||
                 (config.format == OutputFormat::kText && config.show_facets);
  return wants;
}

OpenPolicy PolicyFor(const DbLocation& location, const SearchConfig& config) {
  OpenPolicy policy;
  policy.allow_network = !location.walked_up;
  policy.allow_programs = config.allow_stub_programs && !location.walked_up;
  if (location.walked_up) {
    policy.local_only_reason =
        "a database found by walking up from the current directory is opened "
        "as a local database only; if you trust it, name it with --db";
  }
  return policy;
}

RunOutput RunSearch(const SearchConfig& config, const Environment& env) {
  Result<DbLocation> located =
      LocateDatabase(config.db, env.papersearch_db, env.cwd);
  if (!located.ok()) return Error(located.status());
  const DbLocation& location = *located;
  const std::string& db_path = location.path;
  const OpenPolicy policy = PolicyFor(location, config);
  std::vector<std::string> settings_notices;
  const Synonyms synonyms = LoadSynonyms(
      env.papersearch_synonyms, ParentDirectory(db_path), &settings_notices);
  const Aliases aliases = LoadAliases(
      env.papersearch_aliases, ParentDirectory(db_path), &settings_notices);

  for (int attempt = 1;; ++attempt) {
    try {
      Xapian::Database db;
      if (Status opened = OpenDatabase(db_path, policy, &db); !opened.ok()) {
        return Error(opened);
      }
      if (Status schema = CheckSchemaVersion(db, db_path); !schema.ok()) {
        return Error(schema);
      }
      if (config.values_of != 0) {
        RunOutput output;
        for (const FieldValue& value : FieldValues(db, config.values_of)) {
          // One a line, whatever a record spells.
          for (char c : value.value) {
            output.out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
          }
          output.out += '\n';
        }
        output.status =
            output.out.empty() ? RunStatus::kNothingFound : RunStatus::kFound;
        return output;
      }
      SearchOutput search =
          Search(db, config, WantsFor(config), synonyms, aliases);
      RunOutput output;
      for (const std::string& notice : settings_notices) {
        output.err += kProgram + notice + "\n";
      }
      for (const std::string& notice : search.notices) {
        output.err += kProgram + notice + "\n";
      }
      output.out = FormatResults(config, env, search.results);
      output.status = search.results.total > 0 ? RunStatus::kFound
                                               : RunStatus::kNothingFound;
      return output;
    } catch (const Xapian::DatabaseModifiedError& e) {
      // A writer committed while we read: a fresh open sees the new revision.
      if (attempt == kOpenAttempts) {
        return Error(
            "database " + db_path +
            " kept changing while being searched: " + e.get_description());
      }
    } catch (const Xapian::DatabaseOpeningError& e) {
      // A writer may be replacing the database; give it a moment.
      if (attempt == kOpenAttempts) {
        return Error("cannot open database " + db_path + ": " +
                     e.get_description());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20 << attempt));
    } catch (const Xapian::Error& e) {
      return Error("database " + db_path + ": " + e.get_description());
    }
  }
}

}  // namespace papersearch
