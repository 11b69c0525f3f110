// Reindexing while other things happen: paperindex killed with -9 at random
// moments of its run, searches during reindexes, and a second paperindex
// started while one runs.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/reindex_support.h"
#include "tests/support/test_support.h"

namespace papersearch::testing {
namespace {

namespace fs = std::filesystem;

TEST(Reindex, SurvivesKillNineAtRandomMoments) {
  TempDir tmp;
  const fs::path root = tmp.path() / "c";
  const std::string db = (tmp.path() / "db").string();
  constexpr int kPapers = 1500;
  Generate(root, kPapers, 0);
  ASSERT_EQ(Index(root, db, {"--quiet"}).exit_code, 0);
  // How long a full rebuild takes here, to aim the kills inside it.
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(
      Index(root, db, {"--full", "--quiet", "--shard-size", "400"}).exit_code,
      0);
  const auto rebuild = std::chrono::steady_clock::now() - t0;
  // Kills aim at 5-80% of that time, not 95%: under a parallel ctest the
  // timing varies enough that kills aimed late missed the run too often.
  std::mt19937 rng(20261123);
  int killed_mid_run = 0;
  for (int round = 0; round < 24; ++round) {
    bool full = round % 2 == 0;
    if (!full) Generate(root, kPapers, round);  // change every note and title
    pid_t pid = fork();
    if (pid == 0) {
      std::string bin = PaperindexBin();
      const char* args[] = {
          bin.c_str(), "--root", root.c_str(), "--db", db.c_str(), "--quiet",
          // Shards, so that kills land in every stage of a
          // full build: writing, merging, switching.
          full ? "--full" : nullptr, "--shard-size", "400", nullptr};
      int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, 2);
      execv(bin.c_str(), const_cast<char* const*>(args));
      _exit(127);
    }
    auto delay =
        std::chrono::duration_cast<std::chrono::microseconds>(rebuild) *
        std::uniform_real_distribution<double>(0.05, 0.8)(rng);
    std::this_thread::sleep_for(delay);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) ++killed_mid_run;
    // The database opens and answers a query at its last commit.
    RunResult s = Search(db, {"--format", "ids", "--limit", "5", "common"});
    EXPECT_EQ(s.exit_code, 0) << "round " << round << ": " << s.err;
    EXPECT_EQ(Lines(s.out).size(), 5u) << "round " << round;
  }
  EXPECT_GE(killed_mid_run, 20) << "kills must land while paperindex runs";
  // The next run finishes the work.
  Generate(root, kPapers, 99);
  RunResult r = Index(root, db, {"--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(DocCount(db), kPapers);
  const std::string fresh = (tmp.path() / "fresh").string();
  ASSERT_EQ(Index(root, fresh, {"--quiet"}).exit_code, 0);
  ExpectSameDocuments(db, fresh);
  // Only one generation is left behind, and no shards.
  EXPECT_EQ(GenerationEntries(db).size(), 1u);
}

TEST(Reindex, SearchesNeverFailWhileReindexing) {
  TempDir tmp;
  const fs::path root = tmp.path() / "c";
  const std::string db = (tmp.path() / "db").string();
  constexpr int kPapers = 600;
  Generate(root, kPapers, 0);
  ASSERT_EQ(Index(root, db, {"--quiet"}).exit_code, 0);
  std::atomic<bool> stop{false};
  std::atomic<int> reindexes{0}, reindex_failures{0};
  std::thread writer([&] {
    for (int round = 1; !stop; ++round) {
      if (round % 3 != 0) Generate(root, kPapers, round);
      RunResult r =
          Index(root, db,
                round % 3 == 0 ? std::vector<std::string>{"--full", "--quiet"}
                               : std::vector<std::string>{"--quiet"});
      if (r.exit_code != 0) ++reindex_failures;
      ++reindexes;
    }
  });
  int failed = 0;
  std::string first_failure;
  constexpr int kSearches = 1000;
  for (int i = 0; i < kSearches; ++i) {
    RunResult s = Search(
        db, {"--format", "ids", "--limit", "3", i % 2 ? "common" : "paper"});
    if (s.exit_code != 0 || Lines(s.out).size() != 3) {
      if (failed++ == 0) first_failure = s.err + s.out;
    }
  }
  stop = true;
  writer.join();
  EXPECT_EQ(failed, 0) << "first failure: " << first_failure;
  EXPECT_EQ(reindex_failures, 0);
  EXPECT_GE(reindexes, 3) << "searches must overlap several reindexes";
  std::cout << "[ report   ] " << kSearches << " searches during " << reindexes
            << " reindexes, " << failed << " failed\n";
}

TEST(Reindex, SecondIndexerIsRefusedWhileOneRuns) {
  TempDir tmp;
  const fs::path root = tmp.path() / "c";
  const std::string db = (tmp.path() / "db").string();
  Generate(root, 1500, 0);
  ASSERT_EQ(Index(root, db, {"--quiet"}).exit_code, 0);
  pid_t pid = fork();
  if (pid == 0) {
    std::string bin = PaperindexBin();
    execl(bin.c_str(), bin.c_str(), "--root", root.c_str(), "--db", db.c_str(),
          "--full", "--quiet", nullptr);
    _exit(127);
  }
  // Wait until the first one holds the lock (it writes its pid there).
  for (int i = 0; i < 200; ++i) {
    std::ifstream lock(db + ".lock");
    std::string content;
    std::getline(lock, content);
    if (content == std::to_string(pid)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  RunResult second = Index(root, db);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(second.exit_code, 2);
  EXPECT_NE(
      second.err.find("another paperindex (pid " + std::to_string(pid) + ")"),
      std::string::npos)
      << second.err;
  EXPECT_EQ(DocCount(db), 1500);
}

}  // namespace
}  // namespace papersearch::testing
