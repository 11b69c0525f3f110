// Unit tests of how papersearch finds its database (searcher/db_locator.h):
// --db, then PAPERSEARCH_DB, then .papersearch/db in the working directory or
// a parent; the message with the command to run when there is none.
#include "searcher/db_locator.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <variant>

#include "tests/support/test_support.h"

namespace papersearch {
namespace {

namespace fs = std::filesystem;

TEST(DbLocatorTest, OrderOfPrecedence) {
  testing::TempDir dir;
  fs::create_directories(dir.path() / "explicit");
  fs::create_directories(dir.path() / "env");
  fs::create_directories(dir.path() / "up/.papersearch/db");
  fs::create_directories(dir.path() / "up/a/b");
  fs::path cwd = dir.path() / "up/a/b";

  auto located = [](const Result<DbLocation>& result) {
    EXPECT_TRUE(result.ok()) << result.status().message();
    return result.ok() ? fs::path(result->path) : fs::path();
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
  Result<DbLocation> result = LocateDatabase("", "", "/");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find(" in / or any parent"),
            std::string::npos)
      << result.status().message();
}

TEST(DbLocatorTest, MissingGivesTheCommand) {
  testing::TempDir dir;
  fs::create_directories(dir.path() / "coll/meta/2025");
  Result<DbLocation> result =
      LocateDatabase("", "", dir.path() / "coll/meta/2025");
  ASSERT_FALSE(result.ok());
  std::string message = result.status().message();
  std::string root = (dir.path() / "coll").string();
  EXPECT_NE(message.find("paperindex --root " + root + " --db " + root +
                         "/.papersearch/db"),
            std::string::npos)
      << message;

  // Outside any collection the root is left for the user to fill in.
  fs::create_directories(dir.path() / "elsewhere");
  message = LocateDatabase("", "", dir.path() / "elsewhere").status().message();
  EXPECT_NE(message.find("paperindex --root DIR --db "), std::string::npos)
      << message;
}

TEST(DbLocatorTest, ShellQuote) {
  EXPECT_EQ(ShellQuote("/a/b-c_d.e"), "/a/b-c_d.e");
  EXPECT_EQ(ShellQuote("/a b"), "'/a b'");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
}

}  // namespace
}  // namespace papersearch
