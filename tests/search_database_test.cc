// End-to-end tests of finding and opening the database, users' settings
// files beside it, and searching while it is rebuilt.
#include <fcntl.h>
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "paper.pb.h"
#include "schema.h"
#include "searcher/query_builder.h"
#include "tests/support/search_fixture.h"
#include "tests/support/test_support.h"

namespace papersearch::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// ---------------------------------------------------------------------------
// Finding the database.

// Indexes the fixture into DIR/coll/.papersearch/db, where papersearch finds
// it by default from inside coll/; returns that path, or "" (with a failure)
// when paperindex failed.
fs::path IndexInCollection(const TempDir& dir) {
  fs::path db = dir.path() / "coll" / ".papersearch" / "db";
  RunResult indexed =
      RunProgram({testing::PaperindexBin(), "--root", FixtureRoot().string(),
                  "--db", db.string(), "--quiet"});
  EXPECT_EQ(indexed.exit_code, 0) << indexed.err;
  return indexed.exit_code == 0 ? db : fs::path();
}

TEST(SearchDatabaseTest, MissingDatabaseGivesTheCommandToBuildIt) {
  TempDir dir;
  testing::WriteFile(dir.path() / "meta/2025/X.prototxt", "paper {}\n");
  RunOptions options;
  options.cwd = dir.path() / "meta";
  options.unset_env = {"PAPERSEARCH_DB"};
  RunResult r = RunProgram({testing::PapersearchBin(), "kv"}, options);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty());
  std::string expected = "paperindex --root " + dir.path().string() + " --db " +
                         (dir.path() / ".papersearch/db").string();
  EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;

  RunResult explicit_db = RunProgram(
      {testing::PapersearchBin(), "--db", (dir.path() / "nope").string(), "kv"},
      options);
  EXPECT_EQ(explicit_db.exit_code, 2);
  EXPECT_NE(explicit_db.err.find("--db " + (dir.path() / "nope").string()),
            std::string::npos)
      << explicit_db.err;
}

TEST(SearchDatabaseTest, WrongSchemaVersionSaysRebuild) {
  TempDir dir;
  std::string db = (dir.path() / "db").string();
  {
    Xapian::WritableDatabase writable(db, Xapian::DB_CREATE_OR_OPEN);
    writable.set_metadata(schema::kVersionKey, "999");
    writable.add_document(Xapian::Document());
    writable.commit();
  }
  RunResult r = RunProgram({testing::PapersearchBin(), "--db", db, "kv"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("999"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("paperindex --full --db " + db), std::string::npos)
      << r.err;
}

TEST(SearchDatabaseTest, FoundByWalkingUpAndThroughTheEnvironment) {
  TempDir dir;
  const fs::path db = IndexInCollection(dir);
  ASSERT_FALSE(db.empty());
  fs::create_directories(dir.path() / "coll/a/b");

  RunOptions walk;
  walk.cwd = dir.path() / "coll/a/b";
  walk.unset_env = {"PAPERSEARCH_DB"};
  RunResult found =
      RunProgram({testing::PapersearchBin(), "tidal", "--format", "ids"}, walk);
  EXPECT_EQ(found.exit_code, 0) << found.err;
  EXPECT_EQ(found.out, "2025/TideKV\n");

  RunOptions env;
  env.cwd = dir.path();
  env.env = {{"PAPERSEARCH_DB", db.string()}};
  RunResult from_env =
      RunProgram({testing::PapersearchBin(), "tidal", "--format", "ids"}, env);
  EXPECT_EQ(from_env.exit_code, 0) << from_env.err;

  // --db wins over the environment.
  env.env = {{"PAPERSEARCH_DB", (dir.path() / "missing").string()}};
  RunResult explicit_db = RunProgram({testing::PapersearchBin(), "--db",
                                      db.string(), "tidal", "--format", "ids"},
                                     env);
  EXPECT_EQ(explicit_db.exit_code, 0) << explicit_db.err;
}

// A synonyms.txt beside the database (in .papersearch/ by default) and the
// file $PAPERSEARCH_SYNONYMS names add groups to the built-in ones, however
// the database was found; a malformed line is named by file and line.
TEST(SearchDatabaseTest, UsersSynonymsBesideTheDatabaseAndFromTheEnvironment) {
  TempDir dir;
  const fs::path db = IndexInCollection(dir);
  ASSERT_FALSE(db.empty());
  fs::create_directories(dir.path() / "coll/a/b");
  RunOptions walk;
  walk.cwd = dir.path() / "coll/a/b";
  walk.unset_env = {"PAPERSEARCH_DB", "PAPERSEARCH_SYNONYMS"};
  const std::vector<std::string> query = {testing::PapersearchBin(), "zzflood",
                                          "--format", "ids"};
  RunResult before = RunProgram(query, walk);
  EXPECT_EQ(before.exit_code, 1) << before.out << before.err;

  const fs::path beside = dir.path() / "coll/.papersearch/synonyms.txt";
  testing::WriteFile(beside, "zzflood, tidal\nlonely\n");
  for (const RunOptions& found_by :
       {walk, RunOptions{.cwd = dir.path() / "coll",
              .env = {{"PAPERSEARCH_DB", ".papersearch/db"}},
              .unset_env = {"PAPERSEARCH_SYNONYMS"},
              .stdin_data = {}}}) {
    RunResult after = RunProgram(query, found_by);
    EXPECT_EQ(after.exit_code, 0) << after.err;
    EXPECT_EQ(after.out, "2025/TideKV\n");
    EXPECT_NE(after.err.find(beside.string() +
                             ":2: a synonym group needs at least two"),
              std::string::npos)
        << after.err;
  }

  const fs::path env_file = dir.path() / "mine.txt";
  testing::WriteFile(env_file, "zzwave, tidal\n");
  RunOptions env = walk;
  env.unset_env = {"PAPERSEARCH_DB"};
  env.env = {{"PAPERSEARCH_SYNONYMS", env_file.string()}};
  RunResult from_env =
      RunProgram({testing::PapersearchBin(), "zzwave", "--format", "ids"}, env);
  EXPECT_EQ(from_env.exit_code, 0) << from_env.err;
  EXPECT_EQ(from_env.out, "2025/TideKV\n");
}

// Users add aliases as they add synonyms: aliases.txt beside the database
// and the file $PAPERSEARCH_ALIASES names. An alias then finds its names in
// --institution, inst: in the query and a bare query, and --explain and
// --json say it was read as an alias.
TEST(SearchDatabaseTest, UsersAliasesBesideTheDatabaseAndFromTheEnvironment) {
  TempDir dir;
  const fs::path db = IndexInCollection(dir);
  ASSERT_FALSE(db.empty());
  RunOptions in_collection;
  in_collection.cwd = dir.path() / "coll";
  in_collection.unset_env = {"PAPERSEARCH_DB", "PAPERSEARCH_ALIASES"};
  auto Sorted = [](const std::string& lines) {
    std::vector<std::string> sorted = testing::Lines(lines);
    std::sort(sorted.begin(), sorted.end());
    std::string out;
    for (const std::string& line : sorted) out += line + "\n";
    return out;
  };
  auto ids = [&](std::vector<std::string> args, const RunOptions& options) {
    args.insert(args.begin(), testing::PapersearchBin());
    args.insert(args.end(), {"--format", "ids", "--limit", "all"});
    return RunProgram(args, options);
  };
  // The fixture's Tsinghua University papers, from the records.
  const std::string tsinghua =
      "2024/SparrowAttn\n2025/EvictBench\n2025/TideKV\n";
  RunResult before = ids({"--institution", "Tsing Hua U"}, in_collection);
  EXPECT_EQ(before.exit_code, 1) << before.out << before.err;

  const fs::path beside = dir.path() / "coll/.papersearch/aliases.txt";
  testing::WriteFile(beside,
                     "# ours\n"
                     "institution: Tsing Hua U = Tsinghua University\n"
                     "institution Tsinghua\n"
                     "planet: Mars = Red Planet\n");
  RunResult filtered = ids({"--institution", "tsing hua u"}, in_collection);
  EXPECT_EQ(filtered.exit_code, 0) << filtered.err;
  EXPECT_EQ(Sorted(filtered.out), tsinghua);
  EXPECT_NE(filtered.err.find(beside.string() + ":3: expected"),
            std::string::npos)
      << filtered.err;
  EXPECT_NE(filtered.err.find(beside.string() + ":4: unknown kind 'planet'"),
            std::string::npos)
      << filtered.err;
  RunResult in_query = ids({"inst:\"Tsing Hua U\""}, in_collection);
  EXPECT_EQ(Sorted(in_query.out), tsinghua) << in_query.err;

  RunResult json_run = RunProgram(
      {testing::PapersearchBin(), "--institution", "Tsing Hua U", "--json"},
      in_collection);
  json parsed = json::parse(json_run.out);
  ASSERT_EQ(parsed["names"].size(), 1u) << json_run.out;
  EXPECT_EQ(parsed["names"][0]["found"][0]["name"], "Tsinghua University");
  EXPECT_EQ(parsed["names"][0]["found"][0]["how"], "alias");

  const fs::path env_file = dir.path() / "mine.txt";
  testing::WriteFile(env_file, "institution: TLab = Moonshot Lab\n");
  RunOptions env = in_collection;
  env.unset_env = {"PAPERSEARCH_DB"};
  env.env = {{"PAPERSEARCH_ALIASES", env_file.string()}};
  RunResult from_env = ids({"--institution", "tlab"}, env);
  EXPECT_EQ(from_env.exit_code, 0) << from_env.err;
  EXPECT_EQ(Sorted(from_env.out), "2025/PagedPool\n2025/TideKV\n");
  // A bare query that is a user's alias ranks its institution's papers
  // first, as a built-in alias does.
  RunResult bare = RunProgram(
      {testing::PapersearchBin(), "TLab", "--format", "ids", "--limit", "2"},
      env);
  EXPECT_EQ(Sorted(bare.out), "2025/PagedPool\n2025/TideKV\n") << bare.err;
}

TEST(SearchDatabaseTest, SearchesSucceedWhileTheIndexIsRebuilt) {
  TempDir dir;
  std::string db = (dir.path() / "db").string();
  std::vector<std::string> index = {testing::PaperindexBin(),
                                    "--root",
                                    FixtureRoot().string(),
                                    "--db",
                                    db,
                                    "--quiet"};
  ASSERT_EQ(RunProgram(index).exit_code, 0);
  pid_t writer = fork();
  if (writer == 0) {
    std::vector<char*> argv;
    for (const std::string& arg : index)
      argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    for (int i = 0; i < 8; ++i) {
      pid_t child = fork();
      if (child == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDERR_FILENO);
        execv(argv[0], argv.data());
        _exit(127);
      }
      int status;
      waitpid(child, &status, 0);
    }
    _exit(0);
  }
  for (int i = 0; i < 20; ++i) {
    RunResult r = RunProgram(
        {testing::PapersearchBin(), "--db", db, "cache", "--format", "ids"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  int status;
  waitpid(writer, &status, 0);
}

}  // namespace
}  // namespace papersearch::testing
