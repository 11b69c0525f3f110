// A hostile file system under a collection (see
// tests/support/hostile_collection.h for what every test checks): symlink
// loops, unreadable files and directories, names with spaces, line breaks
// and non-ASCII letters, and meta/ that is a file.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/hostile_collection.h"
#include "tests/support/test_support.h"

namespace papersearch::testing {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

TEST_F(HostileCollection, SymlinkLoops) {
  fs::create_symlink("Self.prototxt", root_ / "meta/2024/Self.prototxt");
  fs::create_symlink("PingB.prototxt", root_ / "meta/2024/PingA.prototxt");
  fs::create_symlink("PingA.prototxt", root_ / "meta/2024/PingB.prototxt");
  fs::create_directory_symlink("..", root_ / "meta/2024/up");
  fs::create_directory_symlink(".", root_ / "meta/here");
  AddRecord("2024/LoopNote", "Paper whose note is a symlink loop");
  fs::create_directories(root_ / "notes/2024/LoopNote");
  fs::create_symlink("note.md", root_ / "notes/2024/LoopNote/note.md");
  RunResult r = Index();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  for (const char* file :
       {"meta/2024/Self.prototxt", "meta/2024/PingA.prototxt",
        "meta/2024/PingB.prototxt"}) {
    EXPECT_NE(LineNaming(r, file).find("symlink loop"), std::string::npos)
        << file << "\n"
        << r.err;
  }
  EXPECT_NE(LineNaming(r, "meta/2024/up").find("not followed"),
            std::string::npos)
      << r.err;
  EXPECT_NE(LineNaming(r, "notes/2024/LoopNote/note.md").find("symbolic"),
            std::string::npos)
      << r.err;
  ExpectFixtureStillFound();
  ExpectBounded();
}

// Changes the owner of everything under `path` (a test's own temp tree).
void ChownTree(const fs::path& path, uid_t uid, gid_t gid) {
  ASSERT_EQ(lchown(path.c_str(), uid, gid), 0) << path;
  if (!fs::is_directory(fs::symlink_status(path))) return;
  for (const fs::directory_entry& entry :
       fs::recursive_directory_iterator(path)) {
    ASSERT_EQ(lchown(entry.path().c_str(), uid, gid), 0) << entry.path();
  }
}

// Root reads every file whatever its permission bits, so as root the
// collection is handed to `nobody` and paperindex runs as nobody through
// setpriv (util-linux), which drops every privilege.
TEST_F(HostileCollection, UnreadableFilesAndDirectories) {
  AddRecord("2026/Fresh", "Fresh paper beside the unreadable ones");
  std::vector<std::string> as_user;
  if (geteuid() == 0) {
    if (access("/usr/bin/setpriv", X_OK) != 0) {
      GTEST_SKIP() << "running as root, which ignores permission bits, and "
                      "/usr/bin/setpriv (util-linux) is missing to drop "
                      "privileges";
    }
    constexpr uid_t kNobody = 65534;
    ASSERT_EQ(chmod(dir_.path().c_str(), 0755), 0);
    ChownTree(dir_.path(), kNobody, kNobody);
    as_user = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
               "--clear-groups", "--"};
  }
  // An indexed record and an indexed note made unreadable (and touched, so
  // that they look changed), a whole year directory, a note directory.
  fs::permissions(root_ / "meta/2025/TideKV.prototxt", fs::perms::none);
  fs::permissions(root_ / "notes/2023/LanternSpec/note.md", fs::perms::none);
  fs::last_write_time(root_ / "meta/2025/TideKV.prototxt",
                      fs::file_time_type::clock::now());
  fs::last_write_time(root_ / "notes/2023/LanternSpec/note.md",
                      fs::file_time_type::clock::now());
  fs::permissions(root_ / "meta/2024", fs::perms::none);
  fs::permissions(root_ / "notes/2025", fs::perms::none);
  fs::last_write_time(root_ / "meta/2025/PagedPool.prototxt",
                      fs::file_time_type::clock::now());
  RunResult r = Index(as_user);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(LineNaming(r, "meta/2025/TideKV.prototxt").find("cannot"),
            std::string::npos)
      << r.err;
  EXPECT_NE(LineNaming(r, "notes/2023/LanternSpec/note.md").find("cannot"),
            std::string::npos)
      << r.err;
  EXPECT_NE(LineNaming(r, "meta/2024:").find("cannot list directory"),
            std::string::npos)
      << r.err;
  EXPECT_NE(LineNaming(r, "notes/2025/PagedPool/note.md").find("Permission"),
            std::string::npos)
      << r.err;
  // Nothing indexed before is removed or loses its note; the new paper is in.
  EXPECT_EQ(Report()["removed"], json::array());
  EXPECT_EQ(Report()["added"], json::array({"2026/Fresh"}));
  for (const char* path : {"meta/2024", "notes/2025"}) {
    fs::permissions(root_ / path, fs::perms::owner_all);
  }
  ExpectFixtureStillFound();
  EXPECT_TRUE(Found("\"memory pooling\"", "2025/PagedPool"));
  ExpectBounded();
}

TEST_F(HostileCollection, NamesWithSpacesNewlinesAndNonAscii) {
  AddRecord("2024/With Space", "Capybara spaced paper");
  WriteFile(root_ / "notes/2024/With Space/note.md", "Okapi in a spaced note");
  AddRecord("2024/Überraschung", "Axolotl umlaut paper");
  AddRecord("2024/量化论文", "Pangolin Chinese named paper");
  AddRecord("2024/Line\nBreak", "Narwhal broken paper");
  RunResult r = Index();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  // A name with a line break is refused, and named on one line.
  EXPECT_NE(LineNaming(r, "meta/2024/Line\\nBreak.prototxt")
                .find("control character"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(Found("narwhal", "2024/Line\nBreak"));
  EXPECT_TRUE(Found("capybara", "2024/With Space"));
  EXPECT_TRUE(Found("okapi", "2024/With Space"));
  EXPECT_TRUE(Found("axolotl", "2024/Überraschung"));
  EXPECT_TRUE(Found("pangolin", "2024/量化论文"));
  ExpectFixtureStillFound();
  ExpectBounded();
}

TEST_F(HostileCollection, MetaIsAFile) {
  fs::rename(root_ / "meta", dir_.path() / "meta-moved");
  WriteFile(root_ / "meta", "not a directory\n");
  RunResult r = Index();
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("meta is not a directory"), std::string::npos) << r.err;
  // The database is left as it was.
  ExpectFixtureStillFound();
  ExpectBounded();
}

}  // namespace
}  // namespace papersearch::testing
