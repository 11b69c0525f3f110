#include "searcher/command_line.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/usage_error.h"

namespace papersearch {

namespace {

// Every option, once: CLI11 is set up from this table (in this order, which
// is --help's), and ParseCommandLineFast reads the common command lines with
// it. Exactly one of value, values and flag is set.
struct OptionSpec {
  const char* name;                                     // "--limit"
  const char* short_name = nullptr;                     // "-n"
  std::string Options::*value = nullptr;                // given once
  std::vector<std::string> Options::*values = nullptr;  // repeatable
  bool Options::*flag = nullptr;                        // no value
  const char* type_name = nullptr;
  const char* help;
  // The values it takes, for the shell completions ("" for any value).
  const char* choices = "";
};

constexpr OptionSpec kOptionSpecs[] = {
    {.name = "--db",
     .value = &Options::db,
     .type_name = "PATH",
     .help = "Database path (default: $PAPERSEARCH_DB, else .papersearch/db "
             "in this or a parent directory)"},
    {.name = "--institution",
     .values = &Options::institutions,
     .type_name = "NAME",
     .help = "Only papers from this institution (exact, any case; repeat to "
             "allow several)"},
    {.name = "--venue",
     .values = &Options::venues,
     .type_name = "NAME",
     .help = "Only papers at this venue (repeatable)"},
    {.name = "--year",
     .values = &Options::years,
     .type_name = "YEAR|Y1..Y2",
     .help = "Only papers of this year or range: 2024, 2023..2025 "
             "(repeatable)"},
    {.name = "--keyword",
     .values = &Options::keywords,
     .type_name = "LABEL",
     .help = "Only papers with this keyword label, e.g. kv_cache_sparse "
             "(repeatable)"},
    {.name = "--author",
     .values = &Options::authors,
     .type_name = "NAME",
     .help = "Only papers by this author (repeatable)"},
    {.name = "--has-note",
     .flag = &Options::has_note,
     .help = "Only papers with a note"},
    {.name = "--has-code",
     .flag = &Options::has_code,
     .help = "Only papers with a code link"},
    {.name = "--limit",
     .short_name = "-n",
     .value = &Options::limit,
     .type_name = "N|all",
     .help = "Results to show (default 10; 'all' for every match)"},
    {.name = "--offset",
     .value = &Options::offset,
     .type_name = "N",
     .help = "Skip this many results (default 0)"},
    {.name = "--sort",
     .value = &Options::sort,
     .type_name = "ORDER",
     .help = "relevance (default), year, updated or rating",
     .choices = "relevance year updated rating"},
    {.name = "--format",
     .value = &Options::format,
     .type_name = "FORMAT",
     .help = "text (default), json, markdown, ids or bibtex",
     .choices = "text json markdown ids bibtex"},
    {.name = "--json", .flag = &Options::json, .help = "Same as --format json"},
    {.name = "--color",
     .value = &Options::color,
     .type_name = "WHEN",
     .help = "auto (default: colour on a terminal unless NO_COLOR is set), "
             "always or never",
     .choices = "auto always never"},
    {.name = "--facets",
     .flag = &Options::facets,
     .help = "Show facet counts (institutions, venues, years, keywords) in "
             "text output"},
    {.name = "--group-by",
     .value = &Options::group_by,
     .type_name = "FIELD",
     .help = "institution, venue, year, keyword or author: Markdown grouped "
             "as in "
             "the seed list (implies --format markdown, every match, and "
             "--all-words)",
     .choices = "institution venue year keyword author"},
    {.name = "--like",
     .value = &Options::like,
     .type_name = "PAPER",
     .help = "List papers related to this one (an id like 2024/SnapKV, or an "
             "abbreviation), from its own words"},
    {.name = "--all-words",
     .flag = &Options::all_words,
     .help = "Only papers that match every word (by default the papers that "
             "match partly, some of the words or the topic, follow them, "
             "marked as such)"},
    {.name = "--partial",
     .flag = &Options::partial,
     .help = "The last word is still being typed: it also matches the words "
             "it begins ('spec' finds speculative), as a search-as-you-type "
             "page asks"},
    {.name = "--explain",
     .flag = &Options::explain,
     .help = "Show for each result which fields and words matched and how "
             "much each added to its score"},
    {.name = "--exact",
     .flag = &Options::exact,
     .help = "Count every match for the total and the facets, however many "
             "(by default a match set over 2,000 papers is sampled and its "
             "counts estimated)"},
    {.name = "--values",
     .value = &Options::values,
     .type_name = "FIELD",
     .help = "List the database's institutions, venues, keyword labels or "
             "years, one a line, most papers first, instead of searching "
             "(for scripts and the shell completions)",
     .choices = "institution venue keyword year"},
    {.name = "--allow-stub-programs",
     .flag = &Options::allow_stub_programs,
     .help = "Let a database stub's 'remote :PROGRAM' line run PROGRAM. "
             "Only for a --db or $PAPERSEARCH_DB you trust: whoever wrote the "
             "stub chooses the program (a database found from the current "
             "directory never runs one)"},
    {.name = "--serve",
     .value = &Options::serve,
     .type_name = "[HOST:]PORT",
     .help = "Serve the search page and its JSON API over HTTP instead of "
             "searching once (default 127.0.0.1:8765; HOST defaults to "
             "127.0.0.1: name another address to be reachable from other "
             "machines). Read-only; serves each new index generation as it "
             "appears"},
    {.name = "--quiet",
     .flag = &Options::quiet,
     .help = "With --serve: no access log on stderr"},
};

const OptionSpec* FindSpec(std::string_view name) {
  for (const OptionSpec& spec : kOptionSpecs) {
    if (name == spec.name ||
        (spec.short_name != nullptr && name == spec.short_name)) {
      return &spec;
    }
  }
  return nullptr;
}

// `-n5`, `-nall`: the limit with its value attached (digits or "all").
bool IsAttachedLimit(std::string_view arg) {
  if (arg.size() <= 2 || !arg.starts_with("-n")) return false;
  const std::string_view rest = arg.substr(2);
  return rest == "all" || std::all_of(rest.begin(), rest.end(), [](char c) {
           return c >= '0' && c <= '9';
         });
}

}  // namespace

std::vector<std::string> OptionChoices(std::string_view name) {
  std::vector<std::string> choices;
  const OptionSpec* spec = FindSpec(name);
  if (spec == nullptr) return choices;
  std::string_view rest = spec->choices;
  while (!rest.empty()) {
    const size_t space = rest.find(' ');
    choices.emplace_back(rest.substr(0, space));
    rest.remove_prefix(space == std::string_view::npos ? rest.size()
                                                       : space + 1);
  }
  return choices;
}

std::optional<Options> ParseCommandLineFast(int argc, const char* const* argv) {
  Options options;
  std::vector<const OptionSpec*> given;
  // Takes `value` for `spec`; false when CLI11 should judge it: an empty
  // value, or a second value for an option that holds one. A value may begin
  // with a dash (`--venue -odd`, `--db --json`), as for CLI11.
  auto take = [&](const OptionSpec& spec, std::string_view value) {
    if (value.empty()) return false;
    if (spec.values != nullptr) {
      (options.*spec.values).emplace_back(value);
      return true;
    }
    if (std::find(given.begin(), given.end(), &spec) != given.end()) {
      return false;
    }
    given.push_back(&spec);
    options.*spec.value = value;
    return true;
  };
  bool words_only = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.empty()) return std::nullopt;
    if (words_only || arg[0] != '-' || arg == "-") {
      options.query_words.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      words_only = true;
      continue;
    }
    if (IsAttachedLimit(arg)) {
      if (!take(*FindSpec("-n"), arg.substr(2))) return std::nullopt;
      continue;
    }
    if (!arg.starts_with("--") && arg != "-n" && arg != "-h") {
      options.query_words.emplace_back(arg);  // `-eviction` excludes a word
      continue;
    }
    // `--name`, `--name=value` or `-n`; `--help`, `--version`, `-h` and
    // unknown options are not in the table.
    const size_t equals = arg.find('=');
    const OptionSpec* spec = FindSpec(arg.substr(0, equals));
    if (spec == nullptr) return std::nullopt;
    if (spec->flag != nullptr) {
      if (equals != std::string_view::npos || options.*spec->flag) {
        return std::nullopt;
      }
      options.*spec->flag = true;
      continue;
    }
    std::string_view value;
    if (equals != std::string_view::npos) {
      value = arg.substr(equals + 1);
    } else if (i + 1 < argc) {
      value = argv[++i];
    }
    if (!take(*spec, value)) return std::nullopt;
  }
  return options;
}

CommandLine ParseCommandLine(int argc, const char* const* argv) {
  // `--serve` without an address (at the end, or before another option)
  // serves on the default one.
  std::vector<const char*> args(argv, argv + argc);
  const std::string serve_default = std::string("--serve=") +
                                    kDefaultServeHost + ":" +
                                    std::to_string(kDefaultServePort);
  for (size_t i = 1; i < args.size(); ++i) {
    if (std::string_view(args[i]) == "--") break;
    if (std::string_view(args[i]) == "--serve" &&
        (i + 1 == args.size() || args[i + 1][0] == '-')) {
      args[i] = serve_default.c_str();
    }
  }
  argc = static_cast<int>(args.size());
  argv = args.data();
  CommandLine result;
  if (std::optional<Options> options = ParseCommandLineFast(argc, argv)) {
    result.options = std::move(*options);
    return result;
  }
  return ParseCommandLineWithCli11(argc, argv);
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
// cache -eviction`, so that CLI11 takes `-eviction` for the word GUIDE.md
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

std::unique_ptr<CLI::App> MakePapersearchApp(Options* options) {
  Options& o = *options;
  auto app = std::make_unique<CLI::App>(
      "papersearch: ranked search over a paperindex database of papers.\n"
      "Exit status: 0 results found, 1 no results, 2 error.",
      "papersearch");
  app->set_version_flag("--version",
                        VersionLine("papersearch", PAPERSEARCH_VERSION));
  app->add_option("query", o.query_words,
                  "Query words; see GUIDE.md for the query language. Empty: "
                  "every paper matching the filters, newest first")
      ->type_name("WORD");
  for (const OptionSpec& spec : kOptionSpecs) {
    std::string names = spec.name;
    if (spec.short_name != nullptr) names += std::string(",") + spec.short_name;
    if (spec.flag != nullptr) {
      app->add_flag(names, o.*spec.flag, spec.help);
    } else if (spec.values != nullptr) {
      app->add_option(names, o.*spec.values, spec.help)
          ->type_name(spec.type_name)
          ->allow_extra_args(false);
    } else {
      app->add_option(names, o.*spec.value, spec.help)
          ->type_name(spec.type_name);
    }
  }
  app->footer(
      "Examples:\n"
      "  papersearch \"kv cache eviction\" --institution \"Tsinghua "
      "University\" --year 2024..2025\n"
      "  papersearch 'title:\"speculative decoding\" -survey' --json\n"
      "  papersearch --venue ICML --group-by institution > icml.md\n"
      "  papersearch 'quant*' --keyword quantization --format ids | head");
  return app;
}

CommandLine ParseCommandLineWithCli11(int argc, const char* const* argv) {
  CommandLine result;
  const std::unique_ptr<CLI::App> made = MakePapersearchApp(&result.options);
  CLI::App& app = *made;
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
