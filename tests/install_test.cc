// The install (issue 23): `cmake --install` puts the programs, their man
// pages, the bash, zsh and fish completions, the systemd unit and timer and
// the documents under a prefix, and `cpack -G DEB` makes a Debian package of
// the same. The tests install into a temporary prefix and read what a user
// would: `man -l` on the pages (every option --help lists is there), the
// completions run by the real shells, and the package's own programs
// indexing and searching the bundled list. A test whose tool is missing
// (man, zsh, fish, dpkg-deb) skips and says which.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace papersearch {
namespace {

namespace fs = std::filesystem;
using testing::Lines;
using testing::ReadFile;
using testing::RunOptions;
using testing::RunResult;
using testing::SourceDir;
using testing::TempDir;
using testing::WriteFile;

// Not `Run`: inside a test fixture that name is testing::Test::Run.
RunResult RunProgram(const std::vector<std::string>& argv,
                     const RunOptions& options = {}) {
  return testing::Run(argv, options);
}

// The path of program `name` on PATH, or "" when there is none.
std::string Tool(const std::string& name) {
  const RunResult found = RunProgram({"/bin/sh", "-c", "command -v " + name});
  const std::vector<std::string> lines = Lines(found.out);
  return found.exit_code == 0 && !lines.empty() ? lines.front() : "";
}

bool HaveTool(const std::string& name) { return !Tool(name).empty(); }

// The option names (`--db`, `-n`) a program's --help lists.
std::set<std::string> HelpOptions(const std::string& program) {
  const RunResult help = RunProgram({program, "--help"});
  EXPECT_EQ(help.exit_code, 0) << help.err;
  std::set<std::string> names;
  const std::regex option(R"((^|[ ,])(--?[a-z][a-z-]*))");
  for (const std::string& line : Lines(help.out)) {
    // Option lines start with spaces and a dash; the description that
    // follows may mention other options, which are options too.
    if (line.find_first_not_of(' ') == std::string::npos ||
        line[line.find_first_not_of(' ')] != '-') {
      continue;
    }
    for (std::sregex_iterator it(line.begin(), line.end(), option), end;
         it != end; ++it) {
      names.insert((*it)[2]);
    }
  }
  return names;
}

class InstallTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    prefix_ = dir_->path() / "prefix";
    const RunResult installed =
        RunProgram({CMAKE_COMMAND, "--install", PAPERSEARCH_BINARY_DIR,
                    "--prefix", prefix_.string()});
    ASSERT_EQ(installed.exit_code, 0) << installed.out << installed.err;
    // The bundled list, indexed by the installed paperindex, for the
    // completions of values.
    db_ = dir_->path() / "db";
    const RunResult indexed =
        RunProgram({(prefix_ / "bin/paperindex").string(), "--root",
                    SourceDir().string(), "--db", db_.string(), "--quiet"});
    ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  // The environment a user of the installed programs has.
  static RunOptions UserEnvironment() {
    RunOptions options;
    options.env["PATH"] =
        (prefix_ / "bin").string() + ":/usr/local/bin:/usr/bin:/bin";
    options.env["PAPERSEARCH_DB"] = db_.string();
    options.env["LC_ALL"] = "C";
    return options;
  }

  static std::set<std::string> Values(const std::string& field) {
    const RunResult values =
        RunProgram({(prefix_ / "bin/papersearch").string(), "--values", field},
                   UserEnvironment());
    EXPECT_EQ(values.exit_code, 0) << values.err;
    const std::vector<std::string> lines = Lines(values.out);
    return {lines.begin(), lines.end()};
  }

  static TempDir* dir_;
  static fs::path prefix_;
  static fs::path db_;
};

TempDir* InstallTest::dir_ = nullptr;
fs::path InstallTest::prefix_;
fs::path InstallTest::db_;

TEST_F(InstallTest, PutsEverythingUnderThePrefix) {
  for (const char* file :
       {"bin/papersearch", "bin/paperindex", "share/man/man1/papersearch.1",
        "share/man/man1/paperindex.1",
        "share/bash-completion/completions/papersearch",
        "share/bash-completion/completions/paperindex",
        "share/zsh/vendor-completions/_papersearch",
        "share/fish/vendor_completions.d/papersearch.fish",
        "lib/systemd/system/papersearch-reindex.service",
        "lib/systemd/system/papersearch-reindex.timer",
        "share/doc/papersearch/README.md", "share/doc/papersearch/GUIDE.md",
        "share/doc/papersearch/DEPLOY.md"}) {
    EXPECT_TRUE(fs::is_regular_file(prefix_ / file)) << file;
  }
  // The unit runs the paperindex of this install.
  const std::string unit =
      ReadFile(prefix_ / "lib/systemd/system/papersearch-reindex.service");
  EXPECT_NE(
      unit.find("ExecStart=" + (prefix_ / "bin/paperindex").string() + " "),
      std::string::npos)
      << unit;
  const RunResult version =
      RunProgram({(prefix_ / "bin/papersearch").string(), "--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("papersearch ", 0), 0u) << version.out;
}

TEST_F(InstallTest, ManPagesListEveryOptionHelpLists) {
  if (!HaveTool("man")) GTEST_SKIP() << "man is not installed (man-db)";
  for (const std::string program : {"papersearch", "paperindex"}) {
    RunOptions options;
    options.env["MANWIDTH"] = "200";
    options.env["LC_ALL"] = "C";
    const RunResult page =
        RunProgram({Tool("man"), "-l",
                    (prefix_ / ("share/man/man1/" + program + ".1")).string()},
                   options);
    ASSERT_EQ(page.exit_code, 0) << page.err;
    EXPECT_NE(page.out.find("NAME"), std::string::npos);
    EXPECT_NE(page.out.find("EXIT STATUS"), std::string::npos);
    if (program == "papersearch") {
      // The query language's fields, as GUIDE.md lists them.
      for (const char* field :
           {"title:", "abbr:", "author:", "inst:", "venue:", "note:", "code:",
            "baseline:", "keyword:", "year:"}) {
        EXPECT_NE(page.out.find(field), std::string::npos) << field;
      }
    }
    const std::set<std::string> options_listed =
        HelpOptions((prefix_ / "bin" / program).string());
    EXPECT_GE(options_listed.size(), 6u) << program;
    for (const std::string& option : options_listed) {
      const std::regex named("(^|[ ,])" + option + "($|[ ,=])");
      bool found = false;
      for (const std::string& line : Lines(page.out)) {
        if (std::regex_search(line, named)) found = true;
      }
      EXPECT_TRUE(found) << program << ".1 lacks " << option;
    }
  }
}

// `text` as one bash word, in single quotes.
std::string BashQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text)
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// A bash script that runs the bash completion of `program` for `words` (the
// last being the word under the cursor, as typed), leaving what it offers in
// COMPREPLY, then runs `then`.
std::string BashCompletion(const fs::path& completion,
                           const std::string& program,
                           const std::vector<std::string>& words,
                           const std::string& then) {
  // Appended piece by piece: GCC 12 warns (-Wrestrict, falsely) about
  // const char* + std::string&&.
  std::string script = "source ";
  script += BashQuote(completion.string());
  script += "\nCOMP_WORDS=(";
  for (const std::string& word : words) {
    script += ' ';
    script += BashQuote(word);
  }
  script += ")\nCOMP_CWORD=";
  script += std::to_string(words.size() - 1);
  script += "\n_";
  script += program;
  script += "\n";
  script += then;
  return script;
}

// `compgen`-style: what the bash completion offers for `words`, the last
// being the word under the cursor.
std::vector<std::string> BashComplete(const fs::path& completion,
                                      const std::string& program,
                                      const std::vector<std::string>& words,
                                      const RunOptions& options) {
  const RunResult run =
      RunProgram({Tool("bash"), "-c",
                  BashCompletion(completion, program, words,
                                 "printf '%s\\n' \"${COMPREPLY[@]}\"\n")},
                 options);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::string> out;
  for (const std::string& line : Lines(run.out)) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

// What the command gets from each word the bash completion offers for
// `words`, once bash has put it on the line as it stands (after the opening
// quote of the word under the cursor, if it has one, which bash then
// closes): the one argument it stands for, or "<N words: ...>" when it is
// not one shell word.
std::vector<std::string> BashCompletedArguments(
    const fs::path& completion, const std::string& program,
    const std::vector<std::string>& words, const RunOptions& options) {
  const std::string& typed = words.back();
  // The opening quote, as it stands inside the double-quoted eval below.
  const std::string quote = typed.starts_with('\'')  ? "'"
                            : typed.starts_with('"') ? "\\\""
                                                     : "";
  const RunResult run = RunProgram(
      {Tool("bash"), "-c",
       BashCompletion(
           completion, program, words,
           "for word in \"${COMPREPLY[@]}\"; do\n"
           "  set --; eval \"set -- " +
               quote + "$word" + quote +
               "\" || set -- x x\n"
               "  [[ $# == 1 ]] && printf '%s\\n' \"$1\" ||\n"
               "    (IFS='|'; printf '<%s words: %s>\\n' $# \"$*\")\n"
               "done\n")},
      options);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return Lines(run.out);
}

TEST_F(InstallTest, BashCompletesOptionNamesChoicesAndValues) {
  const fs::path completions = prefix_ / "share/bash-completion/completions";
  const RunOptions env = UserEnvironment();
  using Words = std::vector<std::string>;
  auto set_of = [](const std::vector<std::string>& v) {
    return std::set<std::string>(v.begin(), v.end());
  };
  EXPECT_EQ(set_of(BashComplete(completions / "papersearch", "papersearch",
                                {"papersearch", "--ve"}, env)),
            (std::set<std::string>{"--venue", "--version"}));
  EXPECT_EQ(set_of(BashComplete(completions / "papersearch", "papersearch",
                                {"papersearch", "kv", "--sort", ""}, env)),
            (std::set<std::string>{"relevance", "year", "updated", "rating"}));
  // Every option --help lists completes.
  const std::vector<std::string> all = BashComplete(
      completions / "papersearch", "papersearch", {"papersearch", "-"}, env);
  for (const std::string& option :
       HelpOptions((prefix_ / "bin/papersearch").string())) {
    EXPECT_EQ(set_of(all).count(option), 1u) << option;
  }
  // The database's own values, as --values lists them.
  const std::set<std::string> venues = Values("venue");
  ASSERT_FALSE(venues.empty());
  EXPECT_EQ(
      set_of(BashCompletedArguments(completions / "papersearch", "papersearch",
                                    {"papersearch", "--venue", ""}, env)),
      venues);
  const std::string first = *venues.begin();
  for (const std::string& offered : BashCompletedArguments(
           completions / "papersearch", "papersearch",
           {"papersearch", "--venue", first.substr(0, 2)}, env)) {
    EXPECT_EQ(offered.rfind(first.substr(0, 2), 0), 0u) << offered;
  }
  // paperindex: its subcommand, then that subcommand's options.
  EXPECT_EQ(BashComplete(completions / "paperindex", "paperindex",
                         {"paperindex", "imp"}, env),
            Words{"import-readme"});
  EXPECT_EQ(set_of(BashComplete(completions / "paperindex", "paperindex",
                                {"paperindex", "import-readme", "--o"}, env)),
            (std::set<std::string>{"--out"}));
  // --out takes a directory: only directories are offered.
  RunOptions in_source = env;
  in_source.cwd = SourceDir();
  const std::vector<std::string> dirs =
      BashComplete(completions / "paperindex", "paperindex",
                   {"paperindex", "import-readme", "--out", ""}, in_source);
  EXPECT_FALSE(dirs.empty());
  for (const std::string& offered : dirs) {
    EXPECT_TRUE(fs::is_directory(SourceDir() / offered)) << offered;
  }
}

// bash puts an offered word on the line as it stands: a value with spaces,
// quotes or `$` is offered as the one shell word that stands for it
// (ICLR\ oral, as printf %q writes it), or inside the quote the word was
// begun with; and no value runs as a command.
// A file name with spaces is one element of COMPREPLY (bash quotes it as it
// inserts it), typed plain, escaped or quoted, for an option that takes a
// file and for a subcommand's argument.
TEST_F(InstallTest, BashCompletesAFileNameWithSpacesAsOneWord) {
  TempDir dir;
  testing::WriteFile(dir.path() / "my list.md", "");
  testing::WriteFile(dir.path() / "my db", "");
  RunOptions env = UserEnvironment();
  env.cwd = dir.path();
  const fs::path completions = prefix_ / "share/bash-completion/completions";
  EXPECT_EQ(BashComplete(completions / "papersearch", "papersearch",
                         {"papersearch", "--db", "my\\ d"}, env),
            std::vector<std::string>{"my db"});
  EXPECT_EQ(BashComplete(completions / "papersearch", "papersearch",
                         {"papersearch", "--db", "'my d"}, env),
            std::vector<std::string>{"my db"});
  EXPECT_EQ(BashComplete(completions / "papersearch", "papersearch",
                         {"papersearch", "--db", "my d"}, env),
            std::vector<std::string>{"my db"});
  EXPECT_EQ(BashComplete(completions / "paperindex", "paperindex",
                         {"paperindex", "import-readme", "my l"}, env),
            std::vector<std::string>{"my list.md"});
}

TEST_F(InstallTest, BashCompletesAValueWithSpacesAsOneWord) {
  // A collection with such venues, indexed by the paperindex of this build.
  TempDir dir;
  const std::vector<std::string> venues = {"ICLR oral", "ICLR poster", "ICML",
                                           "it's $HOME & co", "$(touch ran)"};
  for (size_t i = 0; i < venues.size(); ++i) {
    const std::string n = std::to_string(i);
    WriteFile(dir.path() / "collection/meta/2024" / ("P" + n + ".prototxt"),
              "paper {\n  title: \"Paper " + n + "\"\n}\npub {\n  where: \"" +
                  venues[i] + "\"\n  year: 2024\n}\n");
  }
  const fs::path db = dir.path() / "db";
  const RunResult indexed = RunProgram({testing::PaperindexBin(), "--root",
                                        (dir.path() / "collection").string(),
                                        "--db", db.string(), "--quiet"});
  ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
  RunOptions env = UserEnvironment();
  env.env["PAPERSEARCH_DB"] = db.string();
  env.cwd = dir.path();
  const fs::path completion =
      prefix_ / "share/bash-completion/completions/papersearch";
  auto complete = [&](const std::string& typed) {
    const std::vector<std::string> arguments = BashCompletedArguments(
        completion, "papersearch", {"papersearch", "--venue", typed}, env);
    return std::set<std::string>(arguments.begin(), arguments.end());
  };
  EXPECT_EQ(complete(""), std::set<std::string>(venues.begin(), venues.end()));
  EXPECT_EQ(complete("IC"),
            (std::set<std::string>{"ICLR oral", "ICLR poster", "ICML"}));
  EXPECT_EQ(complete("ICLR\\ o"), std::set<std::string>{"ICLR oral"});
  EXPECT_EQ(complete("it\\'s"), std::set<std::string>{"it's $HOME & co"});
  EXPECT_EQ(complete("\"ICLR"),
            (std::set<std::string>{"ICLR oral", "ICLR poster"}));
  EXPECT_EQ(complete("'it"), std::set<std::string>{"it's $HOME & co"});
  EXPECT_EQ(complete("\"$("), std::set<std::string>{"$(touch ran)"});
  EXPECT_FALSE(fs::exists(dir.path() / "ran")) << "a value ran as a command";
}

TEST_F(InstallTest, FishCompletesOptionNamesChoicesAndValues) {
  if (!HaveTool("fish")) GTEST_SKIP() << "fish is not installed";
  const fs::path file =
      prefix_ / "share/fish/vendor_completions.d/papersearch.fish";
  auto complete = [&](const std::string& line) {
    const RunResult run = RunProgram(
        {Tool("fish"), "-c",
         "source '" + file.string() + "'; complete -C '" + line + "'"},
        UserEnvironment());
    EXPECT_EQ(run.exit_code, 0) << run.err;
    std::set<std::string> offered;
    for (const std::string& entry : Lines(run.out)) {
      if (!entry.empty()) offered.insert(entry.substr(0, entry.find('\t')));
    }
    return offered;
  };
  EXPECT_EQ(complete("papersearch --gr"),
            (std::set<std::string>{"--group-by"}));
  EXPECT_EQ(
      complete("papersearch --format "),
      (std::set<std::string>{"text", "json", "markdown", "ids", "bibtex"}));
  EXPECT_EQ(complete("papersearch --institution "), Values("institution"));
}

TEST_F(InstallTest, ZshCompletionParsesAndNamesEveryOption) {
  if (!HaveTool("zsh")) GTEST_SKIP() << "zsh is not installed";
  for (const std::string program : {"papersearch", "paperindex"}) {
    const fs::path file =
        prefix_ / "share/zsh/vendor-completions" / ("_" + program);
    const RunResult parsed = RunProgram({Tool("zsh"), "-n", file.string()});
    EXPECT_EQ(parsed.exit_code, 0) << parsed.err;
    const std::string text = ReadFile(file);
    EXPECT_EQ(text.rfind("#compdef " + program + "\n", 0), 0u);
    for (const std::string& option :
         HelpOptions((prefix_ / "bin" / program).string())) {
      // `'--db=[...]'`, `'*--venue=[...]'` (repeatable), `'--json[...]'`.
      EXPECT_TRUE(
          std::regex_search(text, std::regex("'\\*?" + option + "=?\\[")))
          << option;
    }
  }
}

TEST(DebPackage, InstallsUnderUsrAndItsProgramsRun) {
  for (const char* tool : {"dpkg-deb", "dpkg-query", "dpkg-shlibdeps"}) {
    if (!HaveTool(tool)) GTEST_SKIP() << tool << " is not installed (dpkg-dev)";
  }
  TempDir dir;
  const RunResult packed =
      RunProgram({CPACK_COMMAND, "-G", "DEB", "--config",
                  std::string(PAPERSEARCH_BINARY_DIR) + "/CPackConfig.cmake",
                  "-B", (dir.path() / "pkg").string()},
                 RunOptions{.cwd = {},
                            .env = {},
                            .unset_env = {},
                            .stdin_data = {},
                            .timeout_seconds = 300});
  ASSERT_EQ(packed.exit_code, 0) << packed.out << packed.err;
  fs::path deb;
  for (const auto& entry : fs::directory_iterator(dir.path() / "pkg")) {
    if (entry.path().extension() == ".deb") deb = entry.path();
  }
  ASSERT_FALSE(deb.empty()) << packed.out;

  // Every package it depends on is a Debian package this machine has.
  const RunResult depends =
      RunProgram({Tool("dpkg-deb"), "-f", deb.string(), "Depends"});
  ASSERT_EQ(depends.exit_code, 0) << depends.err;
  EXPECT_NE(depends.out.find("libxapian30"), std::string::npos) << depends.out;
  const std::regex package(R"((^|, )([a-z0-9][a-z0-9.+-]*))");
  for (std::sregex_iterator it(depends.out.begin(), depends.out.end(), package),
       end;
       it != end; ++it) {
    const RunResult status =
        RunProgram({Tool("dpkg-query"), "-W", "-f=${Status}", (*it)[2].str()});
    EXPECT_EQ(status.out, "install ok installed") << (*it)[2];
  }

  // Its files are under /usr, and its programs index and search.
  const fs::path root = dir.path() / "root";
  ASSERT_EQ(RunProgram({Tool("dpkg-deb"), "-x", deb.string(), root.string()})
                .exit_code,
            0);
  for (const char* file :
       {"usr/bin/papersearch", "usr/bin/paperindex",
        "usr/share/man/man1/papersearch.1",
        "usr/share/bash-completion/completions/papersearch",
        "usr/lib/systemd/system/papersearch-reindex.timer"}) {
    EXPECT_TRUE(fs::is_regular_file(root / file)) << file;
  }
  EXPECT_NE(
      ReadFile(root / "usr/lib/systemd/system/papersearch-reindex.service")
          .find("ExecStart=/usr/bin/paperindex "),
      std::string::npos);
  const fs::path db = dir.path() / "db";
  const RunResult indexed =
      RunProgram({(root / "usr/bin/paperindex").string(), "--root",
                  SourceDir().string(), "--db", db.string(), "--quiet"});
  ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
  const RunResult found =
      RunProgram({(root / "usr/bin/papersearch").string(), "--db", db.string(),
                  "--format", "ids", "kv cache eviction"});
  EXPECT_EQ(found.exit_code, 0) << found.err;
  EXPECT_FALSE(Lines(found.out).empty());
}

}  // namespace
}  // namespace papersearch
