#include "searcher/command_line.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/usage_error.h"
#include "schema.h"

namespace papersearch {

CommandLine ParseCommandLine(int argc, const char* const* argv) {
  // Words only: what CLI11 makes of them is the list itself. A flag, `--`,
  // a separate `-word` and an empty argument go through CLI11.
  for (int i = 1; i < argc; ++i) {
    if (argv[i][0] == '-' || argv[i][0] == '\0') {
      return ParseCommandLineWithCli11(argc, argv);
    }
  }
  CommandLine result;
  if (argc > 1) result.options.query_words.assign(argv + 1, argv + argc);
  return result;
}

namespace {

// Whether `name` ("--venue", "-n") is an option of `app` that takes a
// value. Asked of CLI11 itself, so that a flag added later is known here.
bool TakesValue(const CLI::App& app, std::string_view name) {
  const CLI::Option* option = app.get_option_no_throw(std::string(name));
  return option != nullptr && option->get_expected_min() > 0;
}

// `-n`, `-h`, or a short option with its value attached (`-n5`, `-nall`:
// the limit, the one short option with a value, takes a number or "all").
// Any other argument of one dash and more is a query word excluding a word
// (`-eviction`, `-nvidia`).
bool IsShortOption(const CLI::App& app, std::string_view arg) {
  const std::string_view name = arg.substr(0, 2);
  if (app.get_option_no_throw(std::string(name)) == nullptr) return false;
  if (arg.size() == 2) return true;
  const std::string_view rest = arg.substr(2);
  return TakesValue(app, name) &&
         (rest == "all" || std::all_of(rest.begin(), rest.end(), [](char c) {
            return c >= '0' && c <= '9';
          }));
}

// The arguments with every query word moved behind one `--`, in order:
// `papersearch cache -eviction --limit 3` is `papersearch --limit 3 --
// cache -eviction`, so that CLI11 takes `-eviction` for the word the README
// says it is, not for an unknown option.
std::vector<std::string> QueryWordsLast(const CLI::App& app, int argc,
                                        const char* const* argv) {
  std::vector<std::string> options, words;
  bool value_next = false, words_only = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (words_only) {
      words.emplace_back(arg);
    } else if (value_next) {
      options.emplace_back(arg);
      value_next = false;
    } else if (arg == "--") {
      words_only = true;
    } else if (arg.starts_with("--")) {
      options.emplace_back(arg);
      value_next =
          arg.find('=') == std::string_view::npos && TakesValue(app, arg);
    } else if (arg.size() > 1 && arg[0] == '-' && IsShortOption(app, arg)) {
      options.emplace_back(arg);
      value_next = arg.size() == 2 && TakesValue(app, arg);
    } else {
      words.emplace_back(arg);  // a word, `-word`, `-` or empty
    }
  }
  // An option still waiting for its value at the end (`kv --venue`) must
  // stay last, for CLI11 to say it needs one: followed by `--` and the
  // words, it would take `--` for its value.
  if (value_next) words.clear();
  std::vector<std::string> out{argc > 0 ? argv[0] : "papersearch"};
  out.insert(out.end(), options.begin(), options.end());
  if (!words.empty()) {
    out.push_back("--");
    out.insert(out.end(), words.begin(), words.end());
  }
  return out;
}

}  // namespace

CommandLine ParseCommandLineWithCli11(int argc, const char* const* argv) {
  CommandLine result;
  Options& o = result.options;
  CLI::App app{
      "papersearch: ranked search over a paperindex database of papers.\n"
      "Exit status: 0 results found, 1 no results, 2 error.",
      "papersearch"};
  app.set_version_flag("--version", std::string("papersearch ") +
                                        PAPERSEARCH_VERSION +
                                        " (database schema " +
                                        std::to_string(schema::kVersion) + ")");
  app.add_option("query", o.query_words,
                 "Query words; see the README for the query language. Empty: "
                 "every paper matching the filters, newest first")
      ->type_name("WORD");
  app.add_option(
         "--db", o.db,
         "Database path (default: $PAPERSEARCH_DB, else .papersearch/db "
         "in this or a parent directory)")
      ->type_name("PATH");
  app.add_option("--institution", o.institutions,
                 "Only papers from this institution (exact, any case; "
                 "repeat to allow several)")
      ->type_name("NAME")
      ->allow_extra_args(false);
  app.add_option("--venue", o.venues, "Only papers at this venue (repeatable)")
      ->type_name("NAME")
      ->allow_extra_args(false);
  app.add_option("--year", o.years,
                 "Only papers of this year or range: 2024, 2023..2025 "
                 "(repeatable)")
      ->type_name("YEAR|Y1..Y2")
      ->allow_extra_args(false);
  app.add_option("--keyword", o.keywords,
                 "Only papers with this keyword label, e.g. kv_cache_sparse "
                 "(repeatable)")
      ->type_name("LABEL")
      ->allow_extra_args(false);
  app.add_option("--author", o.authors,
                 "Only papers by this author (repeatable)")
      ->type_name("NAME")
      ->allow_extra_args(false);
  app.add_flag("--has-note", o.has_note, "Only papers with a note");
  app.add_flag("--has-code", o.has_code, "Only papers with a code link");
  app.add_option("--limit,-n", o.limit,
                 "Results to show (default 10; 'all' for every match)")
      ->type_name("N|all");
  app.add_option("--offset", o.offset, "Skip this many results (default 0)")
      ->type_name("N");
  app.add_option("--sort", o.sort,
                 "relevance (default), year, updated or rating")
      ->type_name("ORDER");
  app.add_option("--format", o.format, "text (default), json, markdown or ids")
      ->type_name("FORMAT");
  app.add_flag("--json", o.json, "Same as --format json");
  app.add_option("--color", o.color,
                 "auto (default: colour on a terminal unless NO_COLOR is set), "
                 "always or never")
      ->type_name("WHEN");
  app.add_flag("--facets", o.facets,
               "Show facet counts (institutions, venues, years, keywords) in "
               "text output");
  app.add_option("--group-by", o.group_by,
                 "institution, venue, year or keyword: Markdown grouped as in "
                 "the seed list (implies --format markdown, all matches)")
      ->type_name("FIELD");
  app.add_option("--like", o.like,
                 "List papers related to this one (an id like 2024/SnapKV, "
                 "or an abbreviation), from its own words")
      ->type_name("PAPER");
  app.add_flag("--explain", o.explain,
               "Show for each result which fields and words matched and how "
               "much each added to its score");
  app.add_flag("--exact", o.exact,
               "Count every match for the total and the facets, however many "
               "(by default a match set over 2,000 papers is sampled and its "
               "counts estimated)");
  app.footer(
      "Examples:\n"
      "  papersearch \"kv cache eviction\" --institution \"Tsinghua "
      "University\" --year 2024..2025\n"
      "  papersearch 'title:\"speculative decoding\" -survey' --json\n"
      "  papersearch --venue ICML --group-by institution > icml.md\n"
      "  papersearch 'quant*' --keyword quantization --format ids | head");
  const std::vector<std::string> args = QueryWordsLast(app, argc, argv);
  std::vector<const char*> arg_pointers;
  for (const std::string& arg : args) arg_pointers.push_back(arg.c_str());
  try {
    app.parse(static_cast<int>(arg_pointers.size()), arg_pointers.data());
  } catch (const CLI::ParseError& e) {
    result.exit_now = true;
    // --help and --version are successes printed to stdout; anything else
    // is a usage error.
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
      std::ostringstream out, err;
      app.exit(e, out, err);
      result.exit_code = 0;
      result.output = out.str();
    } else {
      result.exit_code = 2;
      result.output = DescribeUsageError(app, e);
    }
  }
  return result;
}

}  // namespace papersearch
