// Databases, stubs, settings files, records and notes prepared by someone
// else or broken by accident, tried with the real binaries: nothing named by
// a file runs or connects, nothing crashes or hangs, and nothing indexed is
// lost because a file turned bad (issue 28). Each case failed on the code
// before common/database_open and common/file_reader: a planted stub ran a
// program, a stub cycle crashed papersearch (SIGSEGV), /dev/zero as the
// synonyms file aborted it and a FIFO hung it, a record turned into a FIFO or
// a directory removed its paper, a FIFO note was silently dropped, and a
// full disk left a half-written generation behind.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace papersearch {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using testing::PaperindexBin;
using testing::PapersearchBin;
using testing::RunOptions;
using testing::RunResult;
using testing::TempDir;
using testing::WriteFile;

// A child killed by a signal exits with 128 + the signal; these tests expect
// a clean 0, 1 or 2 every time.
void ExpectCleanExit(const RunResult& r, int code) {
  EXPECT_EQ(r.exit_code, code) << "stdout:\n" << r.out << "stderr:\n" << r.err;
}

// The address-space limit for a search that must not grow: none under
// AddressSanitizer, which reserves terabytes of address space for its
// shadow memory and aborts under any such limit.
#if defined(__SANITIZE_ADDRESS__)
constexpr uint64_t kMemoryLimit = 0;
#else
constexpr uint64_t kMemoryLimit = 1ull << 30;
#endif

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class HostileFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::CopyTree(testing::SourceDir() / "tests/fixtures/mini", root_);
    RunResult first = Index();
    ASSERT_EQ(first.exit_code, 0) << first.err;
  }

  RunResult Index(const std::vector<std::string>& extra = {},
                  const RunOptions& options = {}) const {
    std::vector<std::string> argv = {PaperindexBin(), "--root", root_.string(),
                                     "--db", db_.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return testing::Run(argv, options);
  }

  RunResult Search(const std::vector<std::string>& args,
                   const RunOptions& options = {}) const {
    std::vector<std::string> argv = {PapersearchBin()};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::Run(argv, options);
  }

  // Ids papersearch returns from our database for `query`, in rank order.
  std::vector<std::string> Ids(const std::string& query) const {
    RunResult r = Search({"--db", db_.string(), "--format", "ids", "--limit",
                          "all", "--", query});
    EXPECT_LE(r.exit_code, 1) << r.err;
    std::vector<std::string> ids;
    size_t start = 0;
    for (size_t end; (end = r.out.find('\n', start)) != std::string::npos;
         start = end + 1) {
      ids.push_back(r.out.substr(start, end - start));
    }
    return ids;
  }

  bool Found(const std::string& query, const std::string& id) const {
    std::vector<std::string> ids = Ids(query);
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }

  // The generation directories beside the database (db.d/N, N.shards).
  std::vector<std::string> Generations() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(db_.string() + ".d")) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  TempDir dir_;
  fs::path root_ = dir_.path() / "coll";
  fs::path db_ = dir_.path() / "db";
};

// --- Database stubs -------------------------------------------------------

// A cloned paper list with a planted `.papersearch/db` whose stub line would
// run a program: searching anywhere inside it runs nothing, however the
// database is named, unless --allow-stub-programs is given with --db.
TEST_F(HostileFiles, PlantedStubRunsNoProgram) {
  const fs::path clone = dir_.path() / "clone";
  const fs::path marker = dir_.path() / "RAN";
  fs::create_directories(clone / "meta/2024");
  WriteFile(clone / ".papersearch/db",
            "remote :/usr/bin/touch " + marker.string() + "\n");
  const std::string stub = (clone / ".papersearch/db").string();

  RunOptions inside;
  inside.cwd = clone / "meta/2024";
  inside.unset_env = {"PAPERSEARCH_DB"};
  RunResult walked = Search({"kv"}, inside);
  ExpectCleanExit(walked, 2);
  EXPECT_TRUE(Contains(walked.err, stub + ":1: refusing a 'remote :PROGRAM'"))
      << walked.err;
  EXPECT_TRUE(Contains(walked.err, "found by walking up")) << walked.err;

  // Found by walking up, it stays local even when programs are allowed.
  ExpectCleanExit(Search({"--allow-stub-programs", "kv"}, inside), 2);

  RunResult named = Search({"--db", stub, "kv"});
  ExpectCleanExit(named, 2);
  EXPECT_TRUE(Contains(named.err, "--allow-stub-programs")) << named.err;

  RunOptions env;
  env.env = {{"PAPERSEARCH_DB", stub}};
  ExpectCleanExit(Search({"kv"}, env), 2);
  EXPECT_FALSE(fs::exists(marker));

  // The option does what it says: with it, the named stub's program runs
  // (it is no Xapian server, so the search then fails cleanly).
  RunResult allowed = Search({"--db", stub, "--allow-stub-programs", "kv"});
  ExpectCleanExit(allowed, 2);
  EXPECT_TRUE(fs::exists(marker)) << allowed.err;
}

// Xapian's "stub directory" (a XAPIANDB file inside a directory) is a stub
// too, and a planted one is refused the same way.
TEST_F(HostileFiles, PlantedStubDirectoryRunsNoProgram) {
  const fs::path marker = dir_.path() / "RAN";
  const fs::path planted = dir_.path() / "planted";
  WriteFile(planted / "XAPIANDB", "# looks harmless\nremote :/usr/bin/touch " +
                                      marker.string() + "\n");
  RunResult r = Search({"--db", planted.string(), "kv"});
  ExpectCleanExit(r, 2);
  EXPECT_TRUE(Contains(r.err, (planted / "XAPIANDB").string() + ":2:"))
      << r.err;
  EXPECT_FALSE(fs::exists(marker));
}

// paperindex opens only its own generation directories as glass databases:
// a XAPIANDB stub planted in one (in a shared collection's .papersearch/)
// is never followed; the database is rebuilt instead.
TEST_F(HostileFiles, PlantedStubInGenerationIsNotFollowedByPaperindex) {
  const fs::path marker = dir_.path() / "RAN";
  const std::string generation = testing::ReadFile(db_);  // "auto db.d/N\n"
  const fs::path live =
      db_.parent_path() / generation.substr(5, generation.size() - 6);
  fs::remove_all(live);
  WriteFile(live / "XAPIANDB",
            "remote :/usr/bin/touch " + marker.string() + "\n");
  RunResult r = Index();
  ExpectCleanExit(r, 0);
  EXPECT_TRUE(Contains(r.err, "rebuilding")) << r.err;
  EXPECT_FALSE(fs::exists(marker));
  EXPECT_TRUE(Found("TideKV", "2025/TideKV"));
}

// A database found by walking up is local only: a remote line is refused
// without connecting. Named with --db, it is tried (nothing listens on the
// port, so the search fails with the connection's error).
TEST_F(HostileFiles, WalkedUpStubNeverConnects) {
  const fs::path clone = dir_.path() / "clone";
  fs::create_directories(clone / "meta");
  WriteFile(clone / ".papersearch/db", "remote 127.0.0.1:1\n");
  RunOptions inside;
  inside.cwd = clone / "meta";
  inside.unset_env = {"PAPERSEARCH_DB"};
  RunResult walked = Search({"kv"}, inside);
  ExpectCleanExit(walked, 2);
  EXPECT_TRUE(Contains(walked.err, "refusing a 'remote HOST:PORT' line"))
      << walked.err;

  RunResult named =
      Search({"--db", (clone / ".papersearch/db").string(), "kv"});
  ExpectCleanExit(named, 2);
  EXPECT_FALSE(Contains(named.err, "refusing")) << named.err;
}

TEST_F(HostileFiles, StubCyclesAndDepthAreErrors) {
  const fs::path stubs = dir_.path() / "stubs";
  WriteFile(stubs / "self", "auto self\n");
  WriteFile(stubs / "a", "auto b\n");
  WriteFile(stubs / "b", "# b names a\nauto a\n");
  for (const char* name : {"self", "a"}) {
    RunResult r = Search({"--db", (stubs / name).string(), "kv"});
    ExpectCleanExit(r, 2);
    EXPECT_TRUE(Contains(r.err, "cycle")) << r.err;
  }
  RunResult cycle = Search({"--db", (stubs / "a").string(), "kv"});
  EXPECT_TRUE(Contains(cycle.err, (stubs / "a").string() + " -> " +
                                      (stubs / "b").string() + " -> "))
      << cycle.err;

  // A chain of ten stubs, each naming the next, ends at our database.
  for (int i = 0; i < 10; ++i) {
    WriteFile(stubs / ("chain" + std::to_string(i)),
              "auto " +
                  (i == 9 ? db_.string() : "chain" + std::to_string(i + 1)) +
                  "\n");
  }
  RunResult deep = Search({"--db", (stubs / "chain0").string(), "kv"});
  ExpectCleanExit(deep, 2);
  EXPECT_TRUE(Contains(deep.err, "nested more than 8 deep")) << deep.err;
  RunResult shallow = Search(
      {"--db", (stubs / "chain4").string(), "--format", "ids", "TideKV"});
  ExpectCleanExit(shallow, 0);
  EXPECT_EQ(shallow.out, "2025/TideKV\n");
}

// Stubs we do not write are refused with the file and line, never echoing
// the line (the file may be something else entirely).
TEST_F(HostileFiles, StubsOfOtherFormsAreRefusedByLine) {
  const fs::path stubs = dir_.path() / "stubs";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"inmemory\n", ":1: not a database line"},
      {"chert /tmp\n", ":1: not a database line"},
      {"\n# nothing\n", "lists no database"},
      {"root:x:0:0:root:/root:/bin/bash\n", ":1: not a database line"},
      {"remote somehost\n", ":1: a remote line needs HOST:PORT"},
      {"remote host:99999\n", "port from 1 to 65535"},
  };
  int i = 0;
  for (const auto& [text, message] : cases) {
    const fs::path stub = stubs / std::to_string(i++);
    WriteFile(stub, text);
    RunResult r = Search({"--db", stub.string(), "kv"});
    ExpectCleanExit(r, 2);
    EXPECT_TRUE(Contains(r.err, message)) << text << r.err;
    EXPECT_FALSE(Contains(r.err, "/bin/bash")) << r.err;
  }
  // A FIFO or a device as the database path: refused at once, not read.
  const fs::path fifo = dir_.path() / "fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  RunOptions quick;
  quick.timeout_seconds = 10;
  for (const std::string& path : {fifo.string(), std::string("/dev/zero")}) {
    RunResult r = Search({"--db", path, "kv"}, quick);
    ExpectCleanExit(r, 2);
  }
}

// What paperindex writes, and stubs a deployment lists by hand, still open:
// a relative `auto` line, a `glass` line, comments, CRLF line ends.
TEST_F(HostileFiles, StubsWeWriteAndListStillOpen) {
  const std::string generation = testing::ReadFile(db_);
  const std::string live = generation.substr(5, generation.size() - 6);
  WriteFile(dir_.path() / "by-hand", "# the nightly database\r\nauto db\r\n");
  WriteFile(dir_.path() / "glass", "glass " + live + "\n");
  for (const char* name : {"by-hand", "glass"}) {
    RunResult r = Search(
        {"--db", (dir_.path() / name).string(), "--format", "ids", "TideKV"});
    ExpectCleanExit(r, 0);
    EXPECT_EQ(r.out, "2025/TideKV\n");
  }
}

// --- Settings files ---------------------------------------------------------

// $PAPERSEARCH_SYNONYMS or $PAPERSEARCH_ALIASES naming /dev/zero (which
// grew memory until abort), a FIFO (which hung) or an oversized file, and a
// FIFO beside the database: each is a notice naming the file; the search
// answers as usual, within a memory limit and a timeout.
TEST_F(HostileFiles, SettingsFilesThatAreNotFiles) {
  const fs::path fifo = dir_.path() / "fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const fs::path huge = dir_.path() / "huge.txt";
  WriteFile(huge, std::string(5 << 20, 'a'));
  struct Case {
    std::string path, says;
  };
  for (const char* variable : {"PAPERSEARCH_SYNONYMS", "PAPERSEARCH_ALIASES"}) {
    for (const Case& c :
         {Case{"/dev/zero",
               "not a regular file but a character "
               "device"},
          Case{fifo.string(), "not a regular file but a FIFO"},
          Case{huge.string(), "larger than the"},
          Case{(dir_.path() / "absent").string(), "no such file"}}) {
      RunOptions options;
      options.env = {{variable, c.path}};
      options.timeout_seconds = 20;
      options.max_memory_bytes = kMemoryLimit;
      RunResult r =
          Search({"--db", db_.string(), "--format", "ids", "TideKV"}, options);
      ExpectCleanExit(r, 0);
      EXPECT_EQ(r.out, "2025/TideKV\n");
      EXPECT_TRUE(Contains(
          r.err, c.path + " (" + std::string(variable) + "): " + c.says))
          << r.err;
    }
  }
  for (const char* name : {"synonyms.txt", "aliases.txt"}) {
    const fs::path beside = db_.parent_path() / name;
    ASSERT_EQ(mkfifo(beside.c_str(), 0600), 0);
    RunOptions quick;
    quick.timeout_seconds = 20;
    RunResult r =
        Search({"--db", db_.string(), "--format", "ids", "TideKV"}, quick);
    ExpectCleanExit(r, 0);
    EXPECT_TRUE(Contains(r.err, beside.string() + ": not a regular file"))
        << r.err;
  }
}

// --- Records and notes that turn bad ----------------------------------------

// A good record replaced by something that is not a readable file is
// reported by name, and its paper keeps its indexed version; only removing
// the file removes the paper.
TEST_F(HostileFiles, RecordTurnedBadKeepsItsPaper) {
  const fs::path record = root_ / "meta/2025/TideKV.prototxt";
  struct Turn {
    const char* what;
    std::string says;
    void (*make)(const fs::path&);
  };
  const std::vector<Turn> turns = {
      {"FIFO", "not a regular file but a FIFO",
       [](const fs::path& p) { ASSERT_EQ(mkfifo(p.c_str(), 0600), 0); }},
      {"directory", "not a regular file but a directory",
       [](const fs::path& p) { fs::create_directory(p); }},
      {"symlink loop", "a symlink loop",
       [](const fs::path& p) { fs::create_symlink(p.filename(), p); }},
      {"symlink to /dev/zero", "not a regular file but a character device",
       [](const fs::path& p) { fs::create_symlink("/dev/zero", p); }},
  };
  const std::string original = testing::ReadFile(record);
  for (const Turn& turn : turns) {
    SCOPED_TRACE(turn.what);
    fs::remove_all(record);
    turn.make(record);
    RunOptions quick;
    quick.timeout_seconds = 30;
    RunResult r = Index({}, quick);
    ExpectCleanExit(r, 1);
    EXPECT_TRUE(Contains(r.err, "meta/2025/TideKV.prototxt: " + turn.says))
        << r.err;
    EXPECT_TRUE(Contains(r.err, "0 removed")) << r.err;
    EXPECT_TRUE(Found("TideKV", "2025/TideKV"));
    EXPECT_TRUE(Found("tidal", "2025/TideKV"));
    fs::remove_all(record);
    WriteFile(record, original);
  }
  // Removed for real: the paper leaves.
  fs::remove(record);
  RunResult gone = Index();
  ExpectCleanExit(gone, 0);
  EXPECT_FALSE(Found("TideKV", "2025/TideKV"));
}

// New files of those kinds under meta/ are reported, not skipped in silence.
TEST_F(HostileFiles, NewNonFileRecordsAreReported) {
  ASSERT_EQ(mkfifo((root_ / "meta/2024/Piped.prototxt").c_str(), 0600), 0);
  fs::create_directory(root_ / "meta/2024/Folder.prototxt");
  RunOptions quick;
  quick.timeout_seconds = 30;
  RunResult r = Index({}, quick);
  ExpectCleanExit(r, 1);
  EXPECT_TRUE(Contains(r.err,
                       "meta/2024/Piped.prototxt: not a regular file "
                       "but a FIFO"))
      << r.err;
  EXPECT_TRUE(Contains(r.err,
                       "meta/2024/Folder.prototxt: not a regular file "
                       "but a directory"))
      << r.err;
}

// A note that becomes a FIFO or a symlink to /dev/urandom is reported by
// name; the paper keeps the note it had (which was silently dropped).
TEST_F(HostileFiles, NoteTurnedBadKeepsThePaperAsIndexed) {
  const fs::path note = root_ / "notes/2025/TideKV/note.md";
  const std::string original = testing::ReadFile(note);
  for (int turn = 0; turn < 2; ++turn) {
    fs::remove(note);
    if (turn == 0) {
      ASSERT_EQ(mkfifo(note.c_str(), 0600), 0);
    } else {
      fs::create_symlink("/dev/urandom", note);
    }
    RunOptions quick;
    quick.timeout_seconds = 30;
    RunResult r = Index({}, quick);
    ExpectCleanExit(r, 1);
    EXPECT_TRUE(
        Contains(r.err, "notes/2025/TideKV/note.md: not a regular file"))
        << r.err;
    // "sliding tide" is only in the note.
    EXPECT_TRUE(Found("note:tide", "2025/TideKV"));
    RunResult json = Search({"--db", db_.string(), "--json", "TideKV"});
    ExpectCleanExit(json, 0);
    EXPECT_EQ(json::parse(json.out)["results"][0]["note"],
              "notes/2025/TideKV/note.md");
  }
  fs::remove(note);
  WriteFile(note, original);
}

// --- A failed build
// -----------------------------------------------------------

// A full rebuild that runs out of disk (a file size limit stands in for a
// full disk) fails with a message, removes the generation it half wrote, and
// leaves the live database answering as before.
TEST_F(HostileFiles, FailedBuildRemovesWhatItWrote) {
  const std::vector<std::string> before = Generations();
  ASSERT_EQ(before.size(), 1u);
  RunOptions full_disk;
  full_disk.max_file_bytes = 16 << 10;
  RunResult r = Index({"--full"}, full_disk);
  ExpectCleanExit(r, 2);
  EXPECT_TRUE(Contains(r.err, "paperindex: cannot update")) << r.err;
  EXPECT_EQ(Generations(), before);
  EXPECT_TRUE(Found("TideKV", "2025/TideKV"));
  // And the next run succeeds.
  ExpectCleanExit(Index({"--full"}), 0);
  EXPECT_EQ(Generations().size(), 1u);
}

// --- A record with very many values -----------------------------------------

// 100,000 authors in one record (3.6 MB, under the 4 MiB record limit): the
// first 20,000 are indexed, with a warning that names the limit, instead of
// a run that took minutes (time was quadratic in the authors). Timing is in
// benchmarks/many_values.sh.
TEST_F(HostileFiles, RecordWithHundredThousandAuthors) {
  std::string text = "paper {\n  title: \"Crowded Collaboration\"\n";
  for (int i = 0; i < 100000; ++i) {
    text += "  authors: \"Person" + std::to_string(i) + " Surname\"\n";
  }
  text += "}\npub {\n  year: 2024\n}\n";
  WriteFile(root_ / "meta/2024/Crowded.prototxt", text);
  RunOptions bounded;
  bounded.timeout_seconds = 120;
  RunResult r = Index({}, bounded);
  ExpectCleanExit(r, 0);
  EXPECT_TRUE(Contains(r.err,
                       "meta/2024/Crowded.prototxt: the record lists "
                       "100000 authors; only the first 20000 are "
                       "indexed"))
      << r.err;
  EXPECT_TRUE(Found("crowded collaboration", "2024/Crowded"));
  RunResult first = Search(
      {"--db", db_.string(), "--format", "ids", "--author", "Person0 Surname"});
  ExpectCleanExit(first, 0);
  EXPECT_EQ(first.out, "2024/Crowded\n");
  RunResult last = Search({"--db", db_.string(), "--format", "ids", "--author",
                           "Person19999 Surname"});
  ExpectCleanExit(last, 0);
  RunResult beyond = Search({"--db", db_.string(), "--format", "ids",
                             "--author", "Person20000 Surname"});
  ExpectCleanExit(beyond, 1);
}

}  // namespace
}  // namespace papersearch
