// What the user asked for, in two steps as ripgrep does: `Options` holds the
// flags exactly as parsed (strings, no I/O), `ValidateOptions` checks them and
// turns them into a typed `SearchConfig` the rest of the searcher uses.
#ifndef PAPERSEARCH_SEARCHER_OPTIONS_H_
#define PAPERSEARCH_SEARCHER_OPTIONS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace papersearch {

// The command line as written. Every field's default is "not given".
struct Options {
  std::vector<std::string> query_words;   // positional arguments
  std::string db;                         // --db
  std::vector<std::string> institutions;  // --institution, repeatable
  std::vector<std::string> venues;        // --venue
  std::vector<std::string> years;         // --year Y or Y1..Y2
  std::vector<std::string> keywords;      // --keyword
  std::vector<std::string> authors;       // --author
  bool has_note = false;                  // --has-note
  bool has_code = false;                  // --has-code
  std::string limit;                      // --limit N or "all"; "": default
  std::string offset;                     // --offset N; "": 0
  std::string sort;                       // --sort; "": relevance
  std::string format;                     // --format; "": text
  bool json = false;                      // --json
  std::string color;                      // --color; "": auto
  bool facets = false;                    // --facets
  std::string group_by;                   // --group-by
  std::string like;                       // --like ID-or-abbr
  bool explain = false;                   // --explain
  bool exact = false;                     // --exact
  bool all_words = false;                 // --all-words
  bool partial = false;                   // --partial
  bool allow_stub_programs = false;       // --allow-stub-programs
  std::string values;                     // --values FIELD
  std::string serve;                      // --serve [HOST:]PORT
  bool quiet = false;                     // --quiet

  bool operator==(const Options&) const = default;
};

enum class SortOrder { kRelevance, kYear, kUpdated, kRating };
enum class OutputFormat { kText, kJson, kMarkdown, kIds, kBibtex };
enum class ColorMode { kAuto, kAlways, kNever };
enum class GroupField { kNone, kInstitution, kVenue, kYear, kKeyword, kAuthor };

// An inclusive year range; a single year has first == last.
struct YearRange {
  int first = 0;
  int last = 0;
};

// The validated request. Filters: values of one kind are ORed, kinds ANDed.
struct SearchConfig {
  std::string query;  // the words joined by single spaces; may be empty
  std::string db;     // --db as given; empty: discover
  std::vector<std::string> institutions;
  std::vector<std::string> venues;
  std::vector<YearRange> years;
  std::vector<std::string> keywords;
  std::vector<std::string> authors;
  bool has_note = false;
  bool has_code = false;
  // Results to return; nullopt: every match (the default with --group-by).
  std::optional<unsigned> limit = 10;
  unsigned offset = 0;
  SortOrder sort = SortOrder::kRelevance;
  OutputFormat format = OutputFormat::kText;
  ColorMode color = ColorMode::kAuto;
  bool show_facets = false;  // text format only; JSON always has facets
  GroupField group_by = GroupField::kNone;
  // --like: list papers related to this one (an id or an abbreviation)
  // instead of searching for words; "" for a normal search.
  std::string like;
  // --explain: fill Hit::explanation.
  bool explain = false;
  // --exact: count every match, however many (see kFacetSample).
  bool exact = false;
  // --all-words: only papers that match every word; no partial matches
  // after them.
  bool all_words = false;
  // --partial: the last word is being typed and also matches the words it
  // begins (search as you type).
  bool partial = false;
  // --allow-stub-programs: a stub's `remote :PROGRAM` lines may run
  // (common/database_open.h).
  bool allow_stub_programs = false;
  // --values: list the database's values of this facet (schema::facet::
  // kInstitution...) instead of searching; 0 for a search.
  char values_of = 0;
  // --serve: answer HTTP on this address instead of searching once
  // (server/); serve_port < 0 for a search. Port 0 takes any free port.
  std::string serve_host;
  int serve_port = -1;
  // --quiet: no access log.
  bool quiet = false;
};

// The address --serve listens on when only a port is given: loopback, so
// that reaching the page from another machine is always asked for by name.
inline constexpr char kDefaultServeHost[] = "127.0.0.1";
// The port of `--serve` given without an address.
inline constexpr int kDefaultServePort = 8765;

// Parses "2024" or "2023..2025" (either end may be left open: "..2024",
// "2023.."). Returns nullopt for anything else or a reversed range.
std::optional<YearRange> ParseYearRange(const std::string& text);

struct ServeAddress {
  std::string host;  // a numeric address or a name; kDefaultServeHost if none
  int port = 0;
};

// Parses --serve's "[HOST:]PORT" ("8765", "0.0.0.0:8765", "[::1]:8765").
Result<ServeAddress> ParseServeAddress(std::string_view text);

// Checks every flag and combination without touching the file system.
// Returns the config, or fails with a one-line message for the user (exit
// status 2).
Result<SearchConfig> ValidateOptions(const Options& options);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_OPTIONS_H_
