#include "searcher/options.h"

#include <charconv>

#include "common/utf8.h"
#include "schema.h"

namespace papersearch {
namespace {

// Years outside this span are typos, not papers.
constexpr int kMinYear = 0;
constexpr int kMaxYear = 9999;
// More results than any collection holds; a bound that keeps arithmetic safe.
constexpr unsigned kMaxCount = 100'000'000;

std::optional<unsigned> ParseCount(const std::string& text) {
  unsigned value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value > kMaxCount) {
    return std::nullopt;
  }
  return value;
}

std::optional<int> ParseYear(std::string_view text) {
  int value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value < kMinYear ||
      value > kMaxYear) {
    return std::nullopt;
  }
  return value;
}

// Copies trimmed values; an empty one is a usage error naming the flag.
Status CopyValues(const std::vector<std::string>& in, const char* flag,
                  std::vector<std::string>* out) {
  for (const std::string& value : in) {
    std::string trimmed(TrimAsciiSpace(value));
    if (trimmed.empty()) {
      return Status::Error(std::string(flag) + " needs a non-empty value");
    }
    out->push_back(trimmed);
  }
  return Status();
}

}  // namespace

std::optional<YearRange> ParseYearRange(const std::string& text) {
  std::string_view view = text;
  size_t dots = view.find("..");
  if (dots == std::string_view::npos) {
    std::optional<int> year = ParseYear(view);
    if (!year) return std::nullopt;
    return YearRange{*year, *year};
  }
  std::string_view low = view.substr(0, dots);
  std::string_view high = view.substr(dots + 2);
  if (low.empty() && high.empty()) return std::nullopt;
  YearRange range{kMinYear, kMaxYear};
  if (!low.empty()) {
    std::optional<int> year = ParseYear(low);
    if (!year) return std::nullopt;
    range.first = *year;
  }
  if (!high.empty()) {
    std::optional<int> year = ParseYear(high);
    if (!year) return std::nullopt;
    range.last = *year;
  }
  if (range.first > range.last) return std::nullopt;
  return range;
}

Result<ServeAddress> ParseServeAddress(std::string_view text) {
  text = TrimAsciiSpace(text);
  ServeAddress address;
  address.host = kDefaultServeHost;
  std::string_view port = text;
  if (const size_t colon = text.rfind(':'); colon != std::string_view::npos) {
    std::string_view host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
      host = host.substr(1, host.size() - 2);  // [::1]:8765
    }
    if (!host.empty()) address.host = std::string(host);
    port = text.substr(colon + 1);
  }
  unsigned value = 0;
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string_view::npos ||
      (value = static_cast<unsigned>(std::stoul(std::string(port)))) > 65535) {
    return Status::Error(
        "--serve takes [HOST:]PORT, e.g. 8765 or "
        "127.0.0.1:8765 (PORT 0 to 65535), not '" +
        std::string(text) + "'");
  }
  address.port = static_cast<int>(value);
  return address;
}

Result<SearchConfig> ValidateOptions(const Options& options) {
  SearchConfig config;
  for (const std::string& word : options.query_words) {
    std::string trimmed(TrimAsciiSpace(word));
    if (trimmed.empty()) continue;
    if (!config.query.empty()) config.query += ' ';
    config.query += trimmed;
  }
  config.db = options.db;

  if (Status copied = CopyValues(options.institutions, "--institution",
                                 &config.institutions);
      !copied.ok()) {
    return copied;
  }
  if (Status copied = CopyValues(options.venues, "--venue", &config.venues);
      !copied.ok()) {
    return copied;
  }
  if (Status copied =
          CopyValues(options.keywords, "--keyword", &config.keywords);
      !copied.ok()) {
    return copied;
  }
  if (Status copied = CopyValues(options.authors, "--author", &config.authors);
      !copied.ok()) {
    return copied;
  }
  for (const std::string& year : options.years) {
    std::optional<YearRange> range =
        ParseYearRange(std::string(TrimAsciiSpace(year)));
    if (!range) {
      return Status::Error(
          "--year '" + year +
          "' is not a year or a range like 2024, 2023..2025, 2023.. or "
          "..2024");
    }
    config.years.push_back(*range);
  }
  config.has_note = options.has_note;
  config.has_code = options.has_code;

  if (options.format.empty() || options.format == "text") {
    config.format = OutputFormat::kText;
  } else if (options.format == "json") {
    config.format = OutputFormat::kJson;
  } else if (options.format == "markdown") {
    config.format = OutputFormat::kMarkdown;
  } else if (options.format == "ids") {
    config.format = OutputFormat::kIds;
  } else if (options.format == "bibtex") {
    config.format = OutputFormat::kBibtex;
  } else {
    return Status::Error(
        "--format must be text, json, markdown, ids or bibtex, not '" +
        options.format + "'");
  }
  if (options.json) {
    if (!options.format.empty() && config.format != OutputFormat::kJson) {
      return Status::Error("--json contradicts --format " + options.format);
    }
    config.format = OutputFormat::kJson;
  }

  if (options.group_by.empty()) {
    config.group_by = GroupField::kNone;
  } else if (options.group_by == "institution") {
    config.group_by = GroupField::kInstitution;
  } else if (options.group_by == "venue") {
    config.group_by = GroupField::kVenue;
  } else if (options.group_by == "year") {
    config.group_by = GroupField::kYear;
  } else if (options.group_by == "keyword") {
    config.group_by = GroupField::kKeyword;
  } else if (options.group_by == "author") {
    config.group_by = GroupField::kAuthor;
  } else {
    return Status::Error(
        "--group-by must be institution, venue, year, keyword or author, "
        "not '" +
        options.group_by + "'");
  }
  if (config.group_by != GroupField::kNone) {
    // Grouping is the seed's Markdown layout; it implies --format markdown.
    if (options.json ||
        (!options.format.empty() && config.format != OutputFormat::kMarkdown)) {
      return Status::Error("--group-by needs --format markdown");
    }
    config.format = OutputFormat::kMarkdown;
  }

  if (options.limit.empty()) {
    // A grouped list is a README section: every match, unless limited.
    config.limit = config.group_by == GroupField::kNone
                       ? std::optional<unsigned>(10)
                       : std::nullopt;
  } else if (options.limit == "all") {
    config.limit = std::nullopt;
  } else {
    config.limit = ParseCount(options.limit);
    if (!config.limit) {
      return Status::Error(
          "--limit must be a number of results (0 or more) or 'all', not '" +
          options.limit + "'");
    }
  }
  if (!options.offset.empty()) {
    std::optional<unsigned> offset = ParseCount(options.offset);
    if (!offset) {
      return Status::Error("--offset must be a number (0 or more), not '" +
                           options.offset + "'");
    }
    config.offset = *offset;
  }

  if (options.sort.empty() || options.sort == "relevance") {
    config.sort = SortOrder::kRelevance;
  } else if (options.sort == "year") {
    config.sort = SortOrder::kYear;
  } else if (options.sort == "updated") {
    config.sort = SortOrder::kUpdated;
  } else if (options.sort == "rating") {
    config.sort = SortOrder::kRating;
  } else {
    return Status::Error(
        "--sort must be relevance, year, updated or rating, not '" +
        options.sort + "'");
  }

  if (options.color.empty() || options.color == "auto") {
    config.color = ColorMode::kAuto;
  } else if (options.color == "always") {
    config.color = ColorMode::kAlways;
  } else if (options.color == "never") {
    config.color = ColorMode::kNever;
  } else {
    return Status::Error("--color must be auto, always or never, not '" +
                         options.color + "'");
  }
  config.show_facets = options.facets;
  config.like = std::string(TrimAsciiSpace(options.like));
  if (!options.like.empty() && config.like.empty()) {
    return Status::Error("--like needs a paper id or abbreviation");
  }
  if (!config.like.empty() && !config.query.empty()) {
    return Status::Error(
        "--like lists papers related to one paper and takes no query "
        "words (filters are fine)");
  }
  if (!options.values.empty()) {
    const std::string_view field = TrimAsciiSpace(options.values);
    if (field == "institution") {
      config.values_of = schema::facet::kInstitution;
    } else if (field == "venue") {
      config.values_of = schema::facet::kVenue;
    } else if (field == "keyword") {
      config.values_of = schema::facet::kKeyword;
    } else if (field == "year") {
      config.values_of = schema::facet::kYear;
    } else {
      return Status::Error(
          "--values must be institution, venue, keyword or year, not '" +
          options.values + "'");
    }
    if (!config.query.empty() || !config.like.empty()) {
      return Status::Error(
          "--values lists a field's values and takes no query words or "
          "--like");
    }
  }
  config.explain = options.explain;
  config.exact = options.exact;
  config.allow_stub_programs = options.allow_stub_programs;
  config.quiet = options.quiet;
  if (!options.serve.empty()) {
    Result<ServeAddress> address = ParseServeAddress(options.serve);
    if (!address.ok()) return address.status();
    config.serve_host = address->host;
    config.serve_port = address->port;
    // The page and the API take the query and filters per request.
    Options served;
    served.db = options.db;
    served.serve = options.serve;
    served.quiet = options.quiet;
    served.allow_stub_programs = options.allow_stub_programs;
    if (!(options == served)) {
      return Status::Error(
          "--serve takes only --db, --quiet and --allow-stub-programs: the "
          "query and filters come with each request");
    }
  } else if (options.quiet) {
    return Status::Error(
        "--quiet goes with --serve (it silences the access "
        "log)");
  }
  // A grouped list is a README section of the papers the query names: those
  // with every word.
  config.all_words = options.all_words || config.group_by != GroupField::kNone;
  config.partial = options.partial;
  return config;
}

}  // namespace papersearch
