// Unit tests of how papersearch reads its command line: the options'
// validation (searcher/options.h), the parsing of argv with and without
// CLI11 (searcher/command_line.h), and the colour decision from the
// environment (searcher/environment.h).
#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "searcher/command_line.h"
#include "searcher/environment.h"
#include "searcher/options.h"

namespace papersearch {
namespace {

// ---------------------------------------------------------------------------
// Options.

SearchConfig Valid(const Options& options) {
  Result<SearchConfig> result = ValidateOptions(options);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.ok() ? *result : SearchConfig{};
}

std::string Invalid(const Options& options) {
  Result<SearchConfig> result = ValidateOptions(options);
  EXPECT_FALSE(result.ok());
  return result.status().message();
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

}  // namespace
}  // namespace papersearch
