// Unit tests of the searcher's parts that need no paperindex: option
// validation, database discovery, suggestions, facet counting, snippets,
// JSON printing.
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <tuple>
#include <variant>

#include "common/document_data.h"
#include "common/suggest.h"
#include "common/utf8.h"
#include "indexer/facet_numbering.h"
#include "schema.h"
#include "searcher/command_line.h"
#include "searcher/db_locator.h"
#include "searcher/environment.h"
#include "searcher/facet_dictionary.h"
#include "searcher/facet_spy.h"
#include "searcher/json_printer.h"
#include "searcher/options.h"
#include "searcher/query_builder.h"
#include "searcher/snippets.h"
#include "searcher/text_printer.h"
#include "tests/support/test_support.h"

namespace papersearch {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------
// Options.

SearchConfig Valid(const Options& options) {
  auto result = ValidateOptions(options);
  EXPECT_TRUE(std::holds_alternative<SearchConfig>(result))
      << std::get<std::string>(result);
  return std::holds_alternative<SearchConfig>(result)
             ? std::get<SearchConfig>(result)
             : SearchConfig{};
}

std::string Invalid(const Options& options) {
  auto result = ValidateOptions(options);
  EXPECT_TRUE(std::holds_alternative<std::string>(result));
  return std::holds_alternative<std::string>(result)
             ? std::get<std::string>(result)
             : "";
}

TEST(OptionsTest, Defaults) {
  SearchConfig config = Valid(Options{});
  EXPECT_EQ(config.query, "");
  EXPECT_EQ(config.limit, 10u);
  EXPECT_EQ(config.offset, 0u);
  EXPECT_EQ(config.sort, SortOrder::kRelevance);
  EXPECT_EQ(config.format, OutputFormat::kText);
  EXPECT_EQ(config.color, ColorMode::kAuto);
  EXPECT_EQ(config.group_by, GroupField::kNone);
}

TEST(OptionsTest, QueryWordsAreJoined) {
  Options options;
  options.query_words = {" kv ", "cache", "", "eviction"};
  EXPECT_EQ(Valid(options).query, "kv cache eviction");
}

TEST(OptionsTest, TableOfInvalidValues) {
  struct Case {
    void (*set)(Options&);
    const char* mentions;
  };
  const Case cases[] = {
      {[](Options& o) { o.limit = "ten"; }, "--limit"},
      {[](Options& o) { o.limit = "-3"; }, "--limit"},
      {[](Options& o) { o.offset = "1.5"; }, "--offset"},
      {[](Options& o) { o.sort = "date"; }, "--sort"},
      {[](Options& o) { o.format = "xml"; }, "--format"},
      {[](Options& o) { o.color = "yes"; }, "--color"},
      {[](Options& o) { o.group_by = "planet"; }, "--group-by"},
      {[](Options& o) { o.years = {"2025..2023"}; }, "--year"},
      {[](Options& o) { o.years = {"twenty"}; }, "--year"},
      {[](Options& o) { o.venues = {"  "}; }, "--venue"},
      {[](Options& o) {
         o.json = true;
         o.format = "ids";
       },
       "--json"},
      {[](Options& o) {
         o.group_by = "venue";
         o.format = "text";
       },
       "--group-by"},
  };
  for (const Case& c : cases) {
    Options options;
    c.set(options);
    std::string message = Invalid(options);
    EXPECT_NE(message.find(c.mentions), std::string::npos) << message;
  }
}

TEST(OptionsTest, GroupByImpliesMarkdownAndEveryMatch) {
  Options options;
  options.group_by = "institution";
  SearchConfig config = Valid(options);
  EXPECT_EQ(config.format, OutputFormat::kMarkdown);
  EXPECT_EQ(config.group_by, GroupField::kInstitution);
  EXPECT_FALSE(config.limit.has_value());
  options.limit = "5";
  EXPECT_EQ(Valid(options).limit, 5u);
}

TEST(OptionsTest, LimitAllAndJsonShorthand) {
  Options options;
  options.limit = "all";
  options.json = true;
  SearchConfig config = Valid(options);
  EXPECT_FALSE(config.limit.has_value());
  EXPECT_EQ(config.format, OutputFormat::kJson);
}

TEST(OptionsTest, YearRanges) {
  struct Case {
    const char* text;
    int first, last;
  };
  for (const Case& c :
       {Case{"2024", 2024, 2024}, Case{"2023..2025", 2023, 2025},
        Case{"2023..", 2023, 9999}, Case{"..2022", 0, 2022}}) {
    std::optional<YearRange> range = ParseYearRange(c.text);
    ASSERT_TRUE(range) << c.text;
    EXPECT_EQ(range->first, c.first) << c.text;
    EXPECT_EQ(range->last, c.last) << c.text;
  }
  for (const char* bad :
       {"", "..", "2024..2023", "20 24", "2024...2025", "99999", "x..2024"}) {
    EXPECT_FALSE(ParseYearRange(bad)) << bad;
  }
}

TEST(CommandLineTest, FlagsLandInOptions) {
  const char* argv[] = {"papersearch", "kv",         "cache",  "--venue",
                        "ICML",        "--venue",    "ICLR",   "--has-note",
                        "--limit",     "3",          "--json", "--year",
                        "2024..2025",  "--group-by", "venue"};
  CommandLine command = ParseCommandLine(std::size(argv), argv);
  ASSERT_FALSE(command.exit_now) << command.output;
  const Options& o = command.options;
  EXPECT_EQ(o.query_words, (std::vector<std::string>{"kv", "cache"}));
  EXPECT_EQ(o.venues, (std::vector<std::string>{"ICML", "ICLR"}));
  EXPECT_TRUE(o.has_note);
  EXPECT_EQ(o.limit, "3");
  EXPECT_TRUE(o.json);
  EXPECT_EQ(o.years, (std::vector<std::string>{"2024..2025"}));
  EXPECT_EQ(o.group_by, "venue");
}

// What ParseCommandLine and ParseCommandLineWithCli11 make of `argv` must be
// the same. Returns "" when it is, else what differs.
std::string Disagreement(const std::vector<const char*>& argv) {
  const int argc = static_cast<int>(argv.size());
  CommandLine fast = ParseCommandLine(argc, argv.data());
  CommandLine cli11 = ParseCommandLineWithCli11(argc, argv.data());
  std::string differs;
  if (fast.exit_now != cli11.exit_now) differs += " exit_now";
  if (fast.exit_code != cli11.exit_code) differs += " exit_code";
  if (fast.output != cli11.output) differs += " output";
  if (!(fast.options == cli11.options)) differs += " options";
  return differs.empty() ? ""
                         : ::testing::PrintToString(std::vector<std::string>(
                               argv.begin(), argv.end())) +
                               ":" + differs;
}

// ParseCommandLine reads the common command lines without CLI11; the result
// must be CLI11's own, and those lines must really take the fast path.
TEST(CommandLineTest, SimpleCommandLinesParseAsCli11ParsesThem) {
  const std::vector<std::vector<const char*>> fast_cases = {
      {"papersearch"},
      {"papersearch", "kv cache eviction"},
      {"papersearch", "kv", "cache", "eviction"},
      {"papersearch", " padded  words "},
      {"papersearch", "title:quant*", "year:2023..2025"},
      {"papersearch", "a=b", "x,y", "/etc/passwd", "help", "h"},
      {"papersearch", "\"unbalanced", "(", "NOT"},
      {"papersearch", "稀疏注意力 缓存"},
      {"papersearch", "kv", "-cache"},
      {"papersearch", "--", "-x"},
      {"papersearch", "--db", "/tmp/db", "--facets", "kv cache eviction"},
      {"papersearch", "kv", "--institution", "Tsinghua University", "--year",
       "2024..2025", "--institution", "Peking University"},
      {"papersearch", "--venue=ICML", "--keyword=kv_cache", "--author", "Song",
       "--has-note", "--has-code", "--json", "--explain", "--exact"},
      {"papersearch", "-n", "5", "--offset", "10", "--sort", "year", "--format",
       "markdown", "--group-by", "venue", "--color", "never"},
      {"papersearch", "-n5", "-nvidia", "--like", "2024/SnapKV"},
      {"papersearch", "-nall", "kv", "-", "--db=a=b"},
      {"papersearch", "kv", "--", "--venue", "-n", "--help", "--"},
      {"papersearch", "-hello", "-n=5", "-help"},
      {"papersearch", "--venue", "-odd", "--db", "--json", "-n", "-x"},
  };
  for (const std::vector<const char*>& argv : fast_cases) {
    EXPECT_EQ(Disagreement(argv), "");
    EXPECT_TRUE(
        ParseCommandLineFast(static_cast<int>(argv.size()), argv.data()))
        << ::testing::PrintToString(
               std::vector<std::string>(argv.begin(), argv.end()));
  }
  // Left to CLI11, which decides or explains them.
  const std::vector<std::vector<const char*>> cli11_cases = {
      {"papersearch", "--help"},
      {"papersearch", "-h"},
      {"papersearch", "--version"},
      {"papersearch", "--nope"},
      {"papersearch", "kv", ""},
      {"papersearch", "kv", "--venue"},
      {"papersearch", "--venue", ""},
      {"papersearch", "--venue="},
      {"papersearch", "--db", "a", "--db", "b"},
      {"papersearch", "-n5", "--limit", "6"},
      {"papersearch", "--json", "--json"},
      {"papersearch", "--json=false"},
      {"papersearch", "---db", "x"},
      {"papersearch", "-nall", "--limit=3"},
      {"papersearch", "--", ""},
  };
  for (const std::vector<const char*>& argv : cli11_cases) {
    EXPECT_EQ(Disagreement(argv), "");
    EXPECT_FALSE(
        ParseCommandLineFast(static_cast<int>(argv.size()), argv.data()))
        << ::testing::PrintToString(
               std::vector<std::string>(argv.begin(), argv.end()));
  }
  // Not vacuous: CLI11 does keep every word, in order, and every value.
  const char* argv[] = {"papersearch", "kv cache", "--venue", "ICML",
                        "eviction"};
  CommandLine cli11 = ParseCommandLineWithCli11(5, argv);
  EXPECT_EQ(cli11.options.query_words,
            (std::vector<std::string>{"kv cache", "eviction"}));
  EXPECT_EQ(cli11.options.venues, (std::vector<std::string>{"ICML"}));
}

// Random command lines from the options' pieces: whichever way each is
// read, the result is CLI11's.
TEST(CommandLineTest, RandomCommandLinesParseAsCli11ParsesThem) {
  // clang-format off
  const std::vector<const char*> pieces = {
      "--db", "--institution", "--venue", "--year", "--keyword", "--author",
      "--has-note", "--has-code", "--limit", "-n", "--offset", "--sort",
      "--format", "--json", "--color", "--facets", "--group-by", "--like",
      "--explain", "--exact", "--help", "--version", "-h", "--nope", "--",
      "-", "", "-n5", "-nall", "-n5x", "-nvidia", "-eviction", "-h2",
      "--venue=ICML", "--venue=", "--json=true", "--json=false", "--facets=0",
      "--limit=3", "--db=a=b", "kv", "cache", "kv cache", "ICML",
      "2024..2025", "3", "all", "Tsinghua", "title:\"kv", "a=b", "-x",
      "--x=1", "稀疏", " ", "json", "year"};
  // clang-format on
  std::mt19937 random(20261125);
  std::uniform_int_distribution<size_t> piece(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 7);
  int fast = 0;
  constexpr int kLines = 20'000;
  for (int i = 0; i < kLines; ++i) {
    std::vector<const char*> argv = {"papersearch"};
    for (int n = length(random); n > 0; --n)
      argv.push_back(pieces[piece(random)]);
    const std::string differs = Disagreement(argv);
    ASSERT_EQ(differs, "");
    if (ParseCommandLineFast(static_cast<int>(argv.size()), argv.data())) {
      ++fast;
    }
  }
  // Both paths are exercised: the comparison means something either way.
  EXPECT_GT(fast, kLines / 10);
  EXPECT_LT(fast, kLines * 9 / 10);
}

// A query word may begin with a dash (`-eviction` excludes a word) and
// stand anywhere among the options; an option's value is its value even
// when it begins with a dash; `-n` is the only short option with a value.
TEST(CommandLineTest, DashWordsAreQueryWords) {
  struct Case {
    std::vector<const char*> argv;
    std::vector<std::string> words;
    std::string limit;
    std::vector<std::string> venues;
  };
  const std::vector<Case> cases = {
      {{"papersearch", "cache", "-eviction", "--limit", "3"},
       {"cache", "-eviction"},
       "3",
       {}},
      {{"papersearch", "-eviction", "cache"}, {"-eviction", "cache"}, "", {}},
      {{"papersearch", "-n", "5", "kv"}, {"kv"}, "5", {}},
      {{"papersearch", "-n5", "-nvidia"}, {"-nvidia"}, "5", {}},
      {{"papersearch", "-nall", "kv", "-"}, {"kv", "-"}, "all", {}},
      {{"papersearch", "--venue", "-odd", "kv"}, {"kv"}, "", {"-odd"}},
      {{"papersearch", "--venue=ICML", "-x", "--json"}, {"-x"}, "", {"ICML"}},
      // Flags take no value: the words after them stay words.
      {{"papersearch", "--has-note", "--facets", "-x", "kv"},
       {"-x", "kv"},
       "",
       {}},
      {{"papersearch", "kv", "--", "--venue", "-n"},
       {"kv", "--venue", "-n"},
       "",
       {}},
  };
  for (const Case& c : cases) {
    const std::string shown = ::testing::PrintToString(
        std::vector<std::string>(c.argv.begin(), c.argv.end()));
    CommandLine command =
        ParseCommandLine(static_cast<int>(c.argv.size()), c.argv.data());
    ASSERT_FALSE(command.exit_now) << shown << ": " << command.output;
    EXPECT_EQ(command.options.query_words, c.words) << shown;
    EXPECT_EQ(command.options.limit, c.limit) << shown;
    EXPECT_EQ(command.options.venues, c.venues) << shown;
  }
}

TEST(CommandLineTest, UnknownFlagIsUsageError) {
  const char* argv[] = {"papersearch", "--nope"};
  CommandLine command = ParseCommandLine(2, argv);
  EXPECT_TRUE(command.exit_now);
  EXPECT_EQ(command.exit_code, 2);
  EXPECT_EQ(command.output,
            "papersearch: unknown option '--nope'\n"
            "Run 'papersearch --help' for usage.\n");
}

TEST(EnvironmentTest, ColourDecision) {
  Environment tty;
  tty.stdout_is_tty = true;
  EXPECT_TRUE(ShouldUseColor(ColorMode::kAuto, tty));
  Environment no_color = tty;
  no_color.no_color = true;
  EXPECT_FALSE(ShouldUseColor(ColorMode::kAuto, no_color));
  EXPECT_TRUE(ShouldUseColor(ColorMode::kAlways, no_color));
  Environment dumb = tty;
  dumb.dumb_terminal = true;
  EXPECT_FALSE(ShouldUseColor(ColorMode::kAuto, dumb));
  Environment pipe;
  EXPECT_FALSE(ShouldUseColor(ColorMode::kAuto, pipe));
  EXPECT_FALSE(ShouldUseColor(ColorMode::kNever, tty));
}

// ---------------------------------------------------------------------------
// Database discovery.

TEST(DbLocatorTest, OrderOfPrecedence) {
  testing::TempDir dir;
  fs::create_directories(dir.path() / "explicit");
  fs::create_directories(dir.path() / "env");
  fs::create_directories(dir.path() / "up/.papersearch/db");
  fs::create_directories(dir.path() / "up/a/b");
  fs::path cwd = dir.path() / "up/a/b";

  auto located = [](const auto& result) {
    EXPECT_TRUE(std::holds_alternative<DbLocation>(result));
    return std::holds_alternative<DbLocation>(result)
               ? fs::path(std::get<DbLocation>(result).path)
               : fs::path();
  };
  EXPECT_EQ(located(LocateDatabase("../../../explicit", "", cwd)),
            dir.path() / "explicit");
  EXPECT_EQ(located(LocateDatabase("", (dir.path() / "env").string(), cwd)),
            dir.path() / "env");
  EXPECT_EQ(located(LocateDatabase("", "", cwd)),
            dir.path() / "up/.papersearch/db");
  // A stub file (what paperindex writes) is a database too.
  testing::WriteFile(dir.path() / "stub", "auto stub.d/1\n");
  EXPECT_EQ(located(LocateDatabase((dir.path() / "stub").string(), "", cwd)),
            dir.path() / "stub");
}

TEST(DbLocatorTest, ParentDirectoryAsFilesystemGivesIt) {
  for (const char* path :
       {"/a/b", "/a/b/c.d", "/a", "/", "a/b", "a", "", "/a//b", "//a"}) {
    EXPECT_EQ(ParentDirectory(path), fs::path(path).parent_path().string())
        << path;
  }
  // Trailing slashes name the directory itself, not an empty last part.
  EXPECT_EQ(ParentDirectory("/a/b/"), "/a");
  EXPECT_EQ(ParentDirectory("/a/b//"), "/a");
  EXPECT_EQ(ParentDirectory("a/"), "");
}

// From `/`, the walk looks in `/` itself and stops.
TEST(DbLocatorTest, WalkEndsAtTheRoot) {
  auto result = LocateDatabase("", "", "/");
  ASSERT_TRUE(std::holds_alternative<std::string>(result));
  EXPECT_NE(std::get<std::string>(result).find(" in / or any parent"),
            std::string::npos)
      << std::get<std::string>(result);
}

TEST(DbLocatorTest, MissingGivesTheCommand) {
  testing::TempDir dir;
  fs::create_directories(dir.path() / "coll/meta/2025");
  auto result = LocateDatabase("", "", dir.path() / "coll/meta/2025");
  ASSERT_TRUE(std::holds_alternative<std::string>(result));
  std::string message = std::get<std::string>(result);
  std::string root = (dir.path() / "coll").string();
  EXPECT_NE(message.find("paperindex --root " + root + " --db " + root +
                         "/.papersearch/db"),
            std::string::npos)
      << message;

  // Outside any collection the root is left for the user to fill in.
  fs::create_directories(dir.path() / "elsewhere");
  message =
      std::get<std::string>(LocateDatabase("", "", dir.path() / "elsewhere"));
  EXPECT_NE(message.find("paperindex --root DIR --db "), std::string::npos)
      << message;
}

TEST(DbLocatorTest, ShellQuote) {
  EXPECT_EQ(ShellQuote("/a/b-c_d.e"), "/a/b-c_d.e");
  EXPECT_EQ(ShellQuote("/a b"), "'/a b'");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
}

// ---------------------------------------------------------------------------
// Suggestions.

TEST(SuggestTest, EditDistanceCountsCodePoints) {
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("清华大学", "清华大"), 1u);
  EXPECT_EQ(EditDistance("icml", "icml"), 0u);
}

TEST(SuggestTest, ClosestValues) {
  std::vector<std::string> values = {
      "tsinghua university", "peking university", "mit", "icml", "iclr",
      "summit lab"};
  auto names = [&](std::string_view wanted) {
    std::vector<std::string> out;
    for (size_t i : ClosestValues(wanted, values, 3)) out.push_back(values[i]);
    return out;
  };
  EXPECT_EQ(names("tsinghua univ"),
            std::vector<std::string>{"tsinghua university"});
  EXPECT_EQ(names("tsinghua"), std::vector<std::string>{"tsinghua university"});
  EXPECT_EQ(EditDistance("iclm", "icml"), 1u);
  EXPECT_EQ(names("iclm"), (std::vector<std::string>{"icml", "iclr"}));
  EXPECT_EQ(names("mit"), std::vector<std::string>{"mit"});
  EXPECT_TRUE(names("quantum physics").empty());
}

// The suggestion rules written out naively, apart from the finder (which
// bounds its edit distances and keeps only the best as it goes): a full
// optimal-string-alignment table for every pair, words split into vectors.
std::vector<unsigned> NaiveCodePoints(std::string_view text) {
  std::vector<unsigned> out;
  for (Xapian::Utf8Iterator it(text.data(), text.size()), end; it != end;
       ++it) {
    out.push_back(*it);
  }
  return out;
}

size_t NaiveDistance(std::string_view a, std::string_view b) {
  const std::vector<unsigned> x = NaiveCodePoints(a), y = NaiveCodePoints(b);
  std::vector<std::vector<size_t>> d(x.size() + 1,
                                     std::vector<size_t>(y.size() + 1));
  for (size_t i = 0; i <= x.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= y.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= x.size(); ++i) {
    for (size_t j = 1; j <= y.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (x[i - 1] != y[j - 1])});
      if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[x.size()][y.size()];
}

std::vector<std::string> NaiveWords(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : std::string(text) + " ") {
    if (c != ' ') {
      word += c;
    } else if (!word.empty()) {
      words.push_back(word);
      word.clear();
    }
  }
  return words;
}

// `inner`'s words, in order and adjacent, among `outer`'s.
bool NaiveContains(std::string_view outer, std::string_view inner) {
  const auto o = NaiveWords(outer), i = NaiveWords(inner);
  if (i.empty()) return false;
  for (size_t start = 0; start + i.size() <= o.size(); ++start) {
    if (std::equal(i.begin(), i.end(), o.begin() + start)) return true;
  }
  return false;
}

bool NaiveAbbreviates(std::string_view abbreviated, std::string_view full) {
  const auto a = NaiveWords(abbreviated), f = NaiveWords(full);
  if (a.empty() || a.size() > f.size()) return false;
  for (size_t k = 0; k < a.size(); ++k) {
    if (f[k].rfind(a[k], 0) != 0) return false;
  }
  return true;
}

std::vector<size_t> NaiveClosest(std::string_view wanted,
                                 const std::vector<std::string>& candidates,
                                 size_t max_results) {
  const size_t length = NaiveCodePoints(wanted).size();
  const size_t limit = std::max<size_t>(2, length / 3);
  std::vector<std::tuple<int, size_t, size_t>> scored;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const size_t d = NaiveDistance(wanted, candidates[i]);
    if (NaiveContains(candidates[i], wanted) ||
        NaiveContains(wanted, candidates[i]) ||
        NaiveAbbreviates(wanted, candidates[i])) {
      scored.emplace_back(0, d, i);
    } else if (d <= limit && d < length) {
      scored.emplace_back(1, d, i);
    }
  }
  std::sort(scored.begin(), scored.end());
  std::vector<size_t> out;
  for (size_t k = 0; k < scored.size() && k < max_results; ++k) {
    out.push_back(std::get<2>(scored[k]));
  }
  return out;
}

TEST(SuggestTest, AgreesWithTheNaiveRulesOnRandomValues) {
  // Few letters, so that words repeat, contain and abbreviate one another;
  // one two-byte and one three-byte letter. Single spaces between words, as
  // FoldForFilter leaves them.
  const std::vector<std::string> letters = {"a", "b", "c", "é", "清"};
  uint64_t state = 12345;
  auto next = [&](uint64_t n) {
    state = state * 6364136223846793005u + 1442695040888963407u;
    return (state >> 33) % n;
  };
  auto random_value = [&] {
    std::string value;
    const uint64_t words = next(4);
    for (uint64_t w = 0; w < words; ++w) {
      if (w) value += ' ';
      const uint64_t length = 1 + next(5);
      for (uint64_t k = 0; k < length; ++k) value += letters[next(5)];
    }
    return value;
  };
  size_t suggested = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const std::string wanted = random_value();
    std::vector<std::string> candidates;
    const uint64_t count = next(60);
    for (uint64_t k = 0; k < count; ++k) candidates.push_back(random_value());
    const size_t max_results = 1 + next(4);
    const std::vector<size_t> expected =
        NaiveClosest(wanted, candidates, max_results);
    ASSERT_EQ(ClosestValues(wanted, candidates, max_results), expected)
        << "wanted '" << wanted << "', trial " << trial;
    suggested += !expected.empty();
    const std::string& other = candidates.empty() ? wanted : candidates[0];
    ASSERT_EQ(EditDistance(wanted, other), NaiveDistance(wanted, other))
        << "'" << wanted << "' against '" << other << "'";
  }
  // The trials exercise both outcomes.
  EXPECT_GT(suggested, 500u);
  EXPECT_LT(suggested, 2900u);
}

// A finder offered far more candidates than it keeps (it trims as it goes)
// returns the best overall, with their values.
TEST(SuggestTest, FinderKeepsTheBestOfManyCandidates) {
  ClosestValueFinder finder("song han", 3);
  for (int i = 0; i < 10000; ++i) {
    finder.Offer("author " + std::to_string(i));
    if (i == 7000) finder.Offer("song hun");      // distance 1, index 7002
    if (i == 9000) finder.Offer("song han lab");  // contains it, 9003
    if (i == 100) finder.Offer("sang hen");       // distance 2, index 101
  }
  std::vector<ClosestValueFinder::Match> best = finder.Best();
  ASSERT_EQ(best.size(), 3u);
  EXPECT_EQ(best[0].value, "song han lab");
  EXPECT_EQ(best[0].index, 9003u);
  EXPECT_EQ(best[1].value, "song hun");
  EXPECT_EQ(best[1].index, 7002u);
  EXPECT_EQ(best[2].value, "sang hen");
  EXPECT_EQ(best[2].index, 101u);
}

// ---------------------------------------------------------------------------
// Facet counting.

TEST(FacetSpyTest, CountsListsCaseInsensitivelyWithTheCommonSpelling) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  FacetNumbering numbering;
  auto add = [&](std::vector<std::string> institutions, std::string venue,
                 std::string year) {
    Xapian::Document doc;
    doc.add_value(
        schema::slot::kTieFacets,
        schema::TieFacetsValue(
            schema::TieKey("2024/P" + std::to_string(db.get_doccount())),
            numbering.Encode({institutions, venue, year, {}})));
    doc.add_term("x");
    db.add_document(doc);
  };
  add({"MIT", "Tsinghua University"}, "Github", "2024");
  add({"mit"}, "github", "2024");
  add({"MIT", "MIT"}, "Github", "2025");  // listed twice, counted once
  add({}, "ICML", "2023");
  numbering.Save(db);

  FacetDictionary dictionary(db);
  FacetSpy spy(dictionary);
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query("x"));
  enquire.add_matchspy(&spy);
  enquire.get_mset(0, 1, 100);
  EXPECT_EQ(spy.documents_seen(), 4u);

  const auto all = spy.Tops(0);
  const std::vector<FacetCount>& inst = all[FacetSpy::kInstitution];
  ASSERT_EQ(inst.size(), 2u);
  EXPECT_EQ(inst[0].value, "MIT");
  EXPECT_EQ(inst[0].count, 3u);
  EXPECT_EQ(inst[1].value, "Tsinghua University");
  EXPECT_EQ(inst[1].count, 1u);

  const std::vector<FacetCount>& venue = all[FacetSpy::kVenue];
  ASSERT_EQ(venue.size(), 2u);
  EXPECT_EQ(venue[0].value, "Github");
  EXPECT_EQ(venue[0].count, 3u);

  std::vector<FacetCount> year = spy.Tops(1)[FacetSpy::kYear];
  ASSERT_EQ(year.size(), 1u);
  EXPECT_EQ(year[0].value, "2024");
  EXPECT_EQ(year[0].count, 2u);
}

// ---------------------------------------------------------------------------
// Wildcards.

// CappedWildcards reads each wildcard's pattern from Xapian's description of
// it: this pins that form, and which wildcards count as cut short.
TEST(WildcardTest, CappedWildcardsNamesThoseOverTheLimitOnce) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  Xapian::Document doc;
  // kMaxWildcardWords + 1 unprefixed words "zyx...", as many "zyw..." only
  // in titles (S), and exactly kMaxWildcardWords words "zyv...".
  for (Xapian::termcount i = 0; i <= kMaxWildcardWords; ++i) {
    doc.add_term("zyx" + std::to_string(i));
    doc.add_term(std::string(schema::prefix::kTitle) + "zyw" +
                 std::to_string(i));
    if (i > 0) doc.add_term("zyv" + std::to_string(i));
  }
  db.add_document(doc);
  QueryBuilder builder(db);
  auto capped = [&](const std::string& text) {
    return CappedWildcards(db, builder.Parse(text, true).query);
  };
  EXPECT_EQ(capped("zyx* zyv* zyx*"), (std::vector<std::string>{"zyx*"}));
  EXPECT_EQ(capped("title:zyw* zyw*"), (std::vector<std::string>{"zyw*"}));
  EXPECT_TRUE(capped("zyv*").empty());
  EXPECT_TRUE(capped("zyx1*").empty());  // zyx1, zyx10-19, zyx100
  EXPECT_TRUE(capped("zyx").empty());
  Xapian::Query wildcard(Xapian::Query::OP_WILDCARD, "XNzyx");
  EXPECT_EQ(wildcard.get_description(), "Query(WILDCARD SYNONYM XNzyx)");
}

// ---------------------------------------------------------------------------
// Spelling of words the index has but rarely.

// A word in one paper next to a common word one edit away is a typo some
// note shares ("atention"); two edits away it is a word of its own
// ("unstructured" is not "structured"); an abbreviation is never respelt.
TEST(SpellingTest, RareWordsAreTyposOnlyOneEditFromACommonWord) {
  testing::TempDir dir;
  Xapian::WritableDatabase db((dir.path() / "db").string(),
                              Xapian::DB_CREATE_OR_OVERWRITE);
  auto paper = [&](std::initializer_list<const char*> words) {
    Xapian::Document doc;
    for (const char* word : words) {
      doc.add_term(word);
      db.add_spelling(word);
    }
    db.add_document(doc);
  };
  paper({"atention", "unstructured", "flashattn"});
  for (int i = 0; i < 40; ++i) paper({"attention", "structured", "flash"});
  Xapian::Document abbr;
  abbr.add_term(schema::FilterTerm(schema::prefix::kAbbrExact, "flashattn"));
  db.add_document(abbr);
  db.commit();
  QueryBuilder builder(db);
  EXPECT_EQ(builder.CorrectRare("flash atention"), "flash attention");
  EXPECT_EQ(builder.CorrectRare("unstructured pruning"), "");
  EXPECT_EQ(builder.CorrectRare("flashattn"), "");
  EXPECT_EQ(builder.CorrectRare("attention"), "");
}

// ---------------------------------------------------------------------------
// Snippets.

TEST(SnippetTest, SplitMarked) {
  std::string marked = std::string("a ") + kMatchStart + "kv" + kMatchEnd +
                       " " + kMatchStart + "cache" + kMatchEnd + " end";
  std::vector<SnippetPart> parts = SplitMarked(marked);
  ASSERT_EQ(parts.size(), 5u);
  EXPECT_EQ(parts[0].text, "a ");
  EXPECT_FALSE(parts[0].matched);
  EXPECT_EQ(parts[1].text, "kv");
  EXPECT_TRUE(parts[1].matched);
  EXPECT_EQ(parts[4].text, " end");
}

TEST(SnippetTest, QueryWordsDropPrefixes) {
  std::vector<Xapian::Query> terms = {
      Xapian::Query("Zevict"), Xapian::Query("XNtide"), Xapian::Query("kv"),
      Xapian::Query("Zkv")};
  Xapian::Query query(Xapian::Query::OP_AND, terms.begin(), terms.end());
  std::vector<std::string> words = QueryWords(query);
  EXPECT_EQ(std::set<std::string>(words.begin(), words.end()),
            (std::set<std::string>{"kv", "tide", "evict"}));
  EXPECT_EQ(words.size(), 3u);
}

TEST(SnippetTest, WindowStartsNearTheFirstMatch) {
  std::string text(10000, 'a');
  text.replace(6000, 8, "Eviction");
  auto note = StoredNote::FromText(text);
  std::string_view window = SnippetWindow(*note, {"evict"});
  EXPECT_LE(window.size(), kSnippetWindowBytes);
  EXPECT_NE(window.find("Eviction"), std::string_view::npos);
  // No match: the start of the text.
  EXPECT_EQ(SnippetWindow(*StoredNote::FromText(text), {"zzz"}),
            text.substr(0, kSnippetWindowBytes));
  // Short texts are passed whole.
  EXPECT_EQ(SnippetWindow(*StoredNote::FromText("short"), {"x"}), "short");
}

// The note as the index stores it: deflated, to be inflated on demand.
std::unique_ptr<StoredNote> CompressedNote(const std::string& text) {
  StoredPaper paper;
  paper.set_id("2025/X");
  paper.set_note_text(text);
  auto note = std::make_unique<StoredNote>();
  StoredPaper decoded;
  EXPECT_TRUE(
      DecodeDocumentData(EncodeDocumentData(paper), &decoded, note.get()));
  EXPECT_TRUE(decoded.note_text().empty());
  return note;
}

// A 16 KB note of distinct words (so that it does not compress to nothing)
// with `word`, between spaces, at byte `at`.
std::string LongNote(const std::string& word, size_t at) {
  std::string text;
  for (int i = 0; text.size() < 16000; ++i)
    (text += 'w') += std::to_string(i) + " ";
  if (!word.empty()) text.replace(at, word.size() + 2, " " + word + " ");
  return text;
}

TEST(SnippetTest, NoteIsInflatedOnlyAsFarAsTheWindow) {
  const std::string text = LongNote("Eviction", 300);
  auto note = CompressedNote(text);
  std::string_view window = SnippetWindow(*note, {"evict"});
  EXPECT_NE(window.find("Eviction"), std::string_view::npos);
  EXPECT_EQ(window, SnippetWindow(*StoredNote::FromText(text), {"evict"}));
  EXPECT_LT(note->text().size(), 4096u) << "inflated more than needed";
  EXPECT_EQ(note->size(), text.size());
}

TEST(SnippetTest, CompressedNoteGivesTheSameWindowWhereverTheMatchIs) {
  // Around each inflation step (2 KB, then 4 KB, 8 KB more), at the end,
  // and nowhere.
  for (size_t at : {0u, 2044u, 2046u, 2048u, 6140u, 6142u, 14330u, 15990u}) {
    const std::string text = LongNote("Eviction", at);
    auto note = CompressedNote(text);
    std::string expected(SnippetWindow(*StoredNote::FromText(text), {"evict"}));
    EXPECT_EQ(SnippetWindow(*note, {"evict"}), expected) << "match at " << at;
    EXPECT_NE(expected.find("Eviction"), std::string::npos) << at;
  }
  const std::string text = LongNote("", 0);
  auto note = CompressedNote(text);
  EXPECT_EQ(SnippetWindow(*note, {"zzz"}), text.substr(0, kSnippetWindowBytes));
  EXPECT_TRUE(note->complete());
}

TEST(SnippetTest, EarlierMatchOfALongerWordAcrossAStepWins) {
  // "quantization" starts before "kv" but ends after the first 2 KB step.
  std::string text = LongNote("kv", 2100);
  text.replace(2040, 12, "quantization");
  auto note = CompressedNote(text);
  std::string_view window = SnippetWindow(*note, {"kv", "quantization"});
  EXPECT_EQ(window,
            SnippetWindow(*StoredNote::FromText(text), {"kv", "quantization"}));
}

TEST(SnippetTest, TitleIsShownWholeWithMatchesMarked) {
  Hit hit;
  hit.paper.mutable_info()->mutable_paper()->set_title(
      "Adaptive Holistic Attention-Driven Budgets for KV Cache Eviction");
  MakeSnippet({"kv", "cach"}, nullptr, &hit);
  EXPECT_FALSE(hit.snippet_from_note);
  ASSERT_GE(hit.snippet.size(), 3u);
  // Nothing cut from the start, although the first match is far in.
  EXPECT_EQ(hit.snippet[0].text,
            "Adaptive Holistic Attention-Driven Budgets for ");
  EXPECT_FALSE(hit.snippet[0].matched);
  EXPECT_EQ(hit.snippet[1].text, "KV");
  EXPECT_TRUE(hit.snippet[1].matched);
  EXPECT_EQ(hit.snippet[3].text, "Cache");
  EXPECT_TRUE(hit.snippet[3].matched);
}

TEST(SnippetTest, NoteWithoutTheWordsFallsBackToTheTitle) {
  Hit hit;
  hit.paper.mutable_info()->mutable_paper()->set_title("KV Cache Eviction");
  auto note = CompressedNote(LongNote("", 0));
  MakeSnippet({"evict"}, note.get(), &hit);
  EXPECT_FALSE(hit.snippet_from_note);
  auto with_word = CompressedNote(LongNote("evicting", 9000));
  MakeSnippet({"evict"}, with_word.get(), &hit);
  ASSERT_TRUE(hit.snippet_from_note);
  ASSERT_GE(hit.snippet.size(), 2u);
  EXPECT_EQ(hit.snippet[1].text, "evicting");
  EXPECT_TRUE(hit.snippet[1].matched);
}

// One SnippetMaker serves every hit of a search and remembers the stems of
// the words it has seen: a word stemmed for one hit must match (or not) in
// the next exactly as in a fresh maker.
TEST(SnippetTest, OneMakerForManyHitsMarksAsFreshOnesDo) {
  const std::vector<std::string> words = {"evict", "cach", "kv"};
  const std::vector<std::string> titles = {
      "Evicting Caches: KV Cache Eviction at Scale",
      "Cached evictions and an evicted cache",
      "Eviction, evictions, EVICTED, caching, cacheless, kv",
  };
  SnippetMaker shared(words);
  for (const std::string& title : titles) {
    Hit reused, fresh;
    reused.paper.mutable_info()->mutable_paper()->set_title(title);
    fresh.paper.mutable_info()->mutable_paper()->set_title(title);
    shared.Make(nullptr, &reused);
    SnippetMaker(words).Make(nullptr, &fresh);
    ASSERT_EQ(reused.snippet.size(), fresh.snippet.size()) << title;
    for (size_t i = 0; i < fresh.snippet.size(); ++i) {
      EXPECT_EQ(reused.snippet[i].text, fresh.snippet[i].text) << title;
      EXPECT_EQ(reused.snippet[i].matched, fresh.snippet[i].matched) << title;
    }
  }
  // And what is marked is right: every form of the words, no other word.
  Hit hit;
  hit.paper.mutable_info()->mutable_paper()->set_title(titles[2]);
  shared.Make(nullptr, &hit);
  std::vector<std::string> marked;
  for (const SnippetPart& part : hit.snippet) {
    if (part.matched) marked.push_back(part.text);
  }
  const std::vector<std::string> expected = {"Eviction", "evictions", "EVICTED",
                                             "caching", "kv"};
  EXPECT_EQ(marked, expected);
}

TEST(SnippetTest, WindowNeverCutsAUtf8Sequence) {
  std::string text;
  while (text.size() < 9000) text += "缓存";
  text += " match ";
  while (text.size() < 18000) text += "缓存";
  std::unique_ptr<StoredNote> notes[] = {StoredNote::FromText(text),
                                         CompressedNote(text)};
  for (auto& note : notes) {
    std::string_view window = SnippetWindow(*note, {"match"});
    EXPECT_EQ(FindInvalidUtf8(window), std::string_view::npos);
    EXPECT_NE(window.find("match"), std::string_view::npos);
  }
}

// ---------------------------------------------------------------------------
// Printers.

SearchResults OneHit(const std::string& title, const std::string& note_path) {
  SearchResults results;
  results.query = "q";
  results.total = 1;
  Hit hit;
  hit.rank = 1;
  hit.score = 1.5;
  hit.paper.set_id("2025/X");
  hit.paper.mutable_info()->mutable_paper()->set_title(title);
  hit.paper.set_note_path(note_path);
  hit.snippet = {{"before ", false}, {"match", true}, {" after", false}};
  hit.snippet_from_note = true;
  results.hits.push_back(hit);
  return results;
}

TEST(JsonPrinterTest, AlwaysValidUtf8AndEscaped) {
  SearchResults results =
      OneHit("bad \xff\xfe bytes, \"quotes\", tab\t and \x01 control", "");
  results.facets.venue = {{"ICML", 3}};
  std::string out = FormatJson(results);
  ASSERT_EQ(out.back(), '\n');
  nlohmann::json j = nlohmann::json::parse(out);
  EXPECT_EQ(j["results"][0]["title"],
            "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes, \"quotes\", tab\t and \x01 "
            "control");
  EXPECT_EQ(j["results"][0]["snippet"], "before **match** after");
  EXPECT_TRUE(j["results"][0]["note"].is_null());
  EXPECT_TRUE(j["results"][0]["year"].is_null());
  EXPECT_EQ(j["results"][0]["venue"], "arXiv");
  EXPECT_EQ(j["facets"]["venue"][0]["count"], 3);
  EXPECT_EQ(j["facets"]["institution"].size(), 0u);
}

TEST(TextPrinterTest, NoEscapeSequencesFromRecords) {
  SearchResults results = OneHit("evil \x1b[2J title", "notes/x.md");
  std::string plain = FormatText(results, {false, false});
  EXPECT_EQ(plain.find('\x1b'), std::string::npos) << plain;
  EXPECT_NE(plain.find("[match]"), std::string::npos) << plain;
  std::string colour = FormatText(results, {true, false});
  EXPECT_NE(colour.find("\x1b[1;31mmatch\x1b[0m"), std::string::npos);
  EXPECT_EQ(colour.find("\x1b[2J"), std::string::npos);
}

TEST(TextPrinterTest, EstimatedTotalsAndFacetsAreMarked) {
  SearchResults results = OneHit("t", "");
  results.total = 120000;
  results.total_is_exact = false;
  results.facets.exact = false;
  std::string out = FormatText(results, {false, true});
  EXPECT_NE(out.find("about 120000 papers"), std::string::npos) << out;
  EXPECT_NE(out.find("facet counts are estimates from a sample"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace papersearch
