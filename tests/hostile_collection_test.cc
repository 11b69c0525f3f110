// Collections written by hand, by scripts and by accident: the real
// paperindex on a good collection (tests/fixtures/mini), then again after one
// hostile file is added. Each test checks that the run ends with a clear
// message naming the file, that the rest is indexed, that every paper indexed
// before is still found, and that time and memory stay bounded.
//
// Bounds (Release build; scaled below for Debug and sanitizer builds): a
// reindex with one hostile file takes under 5 s, a 50 MB note under 20 s;
// no program a test runs goes above 512 MB of resident memory.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
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

// Unoptimised and sanitized builds are slower and bigger; the bounds stated
// above are for Release.
#if defined(__SANITIZE_ADDRESS__)
constexpr double kSlowdown = 12;
constexpr long kExtraMb = 1536;  // shadow memory and quarantine
#elif !defined(NDEBUG)
constexpr double kSlowdown = 4;
constexpr long kExtraMb = 0;
#else
constexpr double kSlowdown = 1;
constexpr long kExtraMb = 0;
#endif

constexpr double kReindexSeconds = 5;
constexpr double kHugeNoteSeconds = 20;
constexpr long kMaxRssMb = 512;

constexpr size_t kFiftyMb = 50u << 20;

// Every paper of tests/fixtures/mini.
const std::vector<std::string> kFixtureIds = {
    "2022/OldPrune",   "2023/LanternSpec", "2024/QuietExperts",
    "2024/QuillQuant", "2024/SparrowAttn", "2025/EvictBench",
    "2025/PagedPool",  "2025/TideKV"};

// The largest resident set of any child this process has waited for, in MB.
long PeakChildRssMb() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  return usage.ru_maxrss / 1024;
}

class HostileCollection : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::CopyTree(testing::SourceDir() / "tests/fixtures/mini", root_);
    RunResult first = Index();
    ASSERT_EQ(first.exit_code, 0) << first.err;
    ASSERT_EQ(Report()["papers"], kFixtureIds.size());
  }

  // Runs paperindex on the collection (incremental after SetUp), timing it.
  RunResult Index(const std::vector<std::string>& prefix = {}) {
    std::vector<std::string> argv = prefix;
    argv.insert(argv.end(), {PaperindexBin(), "--root", root_.string(), "--db",
                             db_.string(), "--report", report_.string()});
    auto start = std::chrono::steady_clock::now();
    RunResult result = testing::Run(argv);
    seconds_ =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    return result;
  }

  json Report() const { return json::parse(testing::ReadFile(report_)); }

  // Ids papersearch returns for `query` (every paper for ""), in rank order.
  std::vector<std::string> Ids(const std::string& query) const {
    RunResult r = testing::Run({PapersearchBin(), "--db", db_.string(),
                                "--format", "ids", "--limit", "all", query});
    EXPECT_LE(r.exit_code, 1) << r.err;
    std::vector<std::string> ids;
    std::string line;
    for (char c : r.out) {
      if (c == '\n') {
        ids.push_back(line);
        line.clear();
      } else {
        line += c;
      }
    }
    return ids;
  }

  bool Found(const std::string& query, const std::string& id) const {
    std::vector<std::string> ids = Ids(query);
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }

  // The papers indexed in SetUp are all still there and searchable by their
  // words and their notes' words.
  void ExpectFixtureStillFound() const {
    std::vector<std::string> all = Ids("");
    for (const std::string& id : kFixtureIds) {
      EXPECT_NE(std::find(all.begin(), all.end(), id), all.end()) << id;
    }
    EXPECT_TRUE(Found("TideKV", "2025/TideKV"));
    EXPECT_TRUE(Found("verification cache", "2023/LanternSpec"));
  }

  void ExpectBounded(double seconds = kReindexSeconds) const {
    std::cout << "[ measured ] reindex " << seconds_ << " s, peak RSS "
              << PeakChildRssMb() << " MB\n";
    EXPECT_LT(seconds_, seconds * kSlowdown) << "paperindex took " << seconds_;
    EXPECT_LT(PeakChildRssMb(), kMaxRssMb + kExtraMb);
  }

  // Writes a record with `title` at meta/YEAR/NAME.prototxt.
  void AddRecord(const std::string& id, const std::string& title) const {
    WriteFile(root_ / "meta" / (id + ".prototxt"),
              "paper {\n  title: \"" + title +
                  "\"\n}\npub {\n  year: " + id.substr(0, 4) + "\n}\n");
  }

  // A stderr line of the last run that names `file`, or "".
  static std::string LineNaming(const RunResult& r, const std::string& file) {
    size_t at = r.err.find(file);
    if (at == std::string::npos) return "";
    size_t begin = r.err.rfind('\n', at);
    begin = begin == std::string::npos ? 0 : begin + 1;
    return r.err.substr(begin, r.err.find('\n', at) - begin);
  }

  TempDir dir_;
  fs::path root_ = dir_.path() / "coll";
  fs::path db_ = dir_.path() / "db";
  fs::path report_ = dir_.path() / "report.json";
  double seconds_ = 0;
};

TEST_F(HostileCollection, EmptyFiles) {
  WriteFile(root_ / "meta/2024/Empty.prototxt", "");
  AddRecord("2024/EmptyNote", "Paper with an empty note");
  WriteFile(root_ / "notes/2024/EmptyNote/note.md", "");
  RunResult r = Index();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(LineNaming(r, "meta/2024/Empty.prototxt").find("empty file"),
            std::string::npos)
      << r.err;
  // An empty note is no error: the paper is indexed, with its note.
  EXPECT_TRUE(Found("\"empty note\"", "2024/EmptyNote"));
  EXPECT_EQ(Report()["papers"], kFixtureIds.size() + 1);
  ExpectFixtureStillFound();
  ExpectBounded();
}

TEST_F(HostileCollection, BinaryFiles) {
  std::string binary = "\x89PNG\r\n\x1a\n";
  for (int i = 0; i < 4096; ++i) binary += static_cast<char>((i * 131) & 0xff);
  WriteFile(root_ / "meta/2024/Image.prototxt", binary);
  AddRecord("2024/BinaryNote", "Paper whose note is an image");
  WriteFile(root_ / "notes/2024/BinaryNote/note.md", binary);
  RunResult r = Index();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(LineNaming(r, "meta/2024/Image.prototxt").find("binary"),
            std::string::npos)
      << r.err;
  // A binary note is read as text with U+FFFD, and says so.
  EXPECT_NE(LineNaming(r, "notes/2024/BinaryNote/note.md").find("UTF-8"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(Found("image", "2024/BinaryNote"));
  ExpectFixtureStillFound();
  ExpectBounded();
}

TEST_F(HostileCollection, InvalidUtf8) {
  WriteFile(root_ / "meta/2024/Latin1.prototxt",
            "paper {\n  title: \"Caf\xe9 au lait\"\n}\n");
  AddRecord("2024/Latin1Note", "Paper with a Latin-1 note");
  WriteFile(root_ / "notes/2024/Latin1Note/note.md",
            "# Notes\n\nna\xefve caf\xe9 quokka\n");
  RunResult r = Index();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  // Located at the first bad byte: line 2, column 14.
  EXPECT_NE(r.err.find("meta/2024/Latin1.prototxt:2:14: invalid UTF-8"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("notes/2024/Latin1Note/note.md:3:3: invalid UTF-8"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(Found("quokka", "2024/Latin1Note"));
  ExpectFixtureStillFound();
  ExpectBounded();
}

TEST_F(HostileCollection, FiftyMegabyteRecord) {
  std::string record = "paper {\n  title: \"Huge\"\n}\n";
  record.resize(kFiftyMb, '#');  // a comment line: valid text format
  WriteFile(root_ / "meta/2024/Huge.prototxt", record);
  RunResult r = Index();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(LineNaming(r, "meta/2024/Huge.prototxt").find("limit"),
            std::string::npos)
      << r.err;
  ExpectFixtureStillFound();
  ExpectBounded();
}

TEST_F(HostileCollection, FiftyMegabyteNote) {
  AddRecord("2024/HugeNote", "Paper with a huge note");
  std::string note = "# Huge\n\nzebrafirst starts the note.\n\n";
  const std::string paragraph =
      "Attention heads prune the cache while the decoder streams tokens; "
      "quantized weights keep accuracy within a point.\n\n";
  while (note.size() + paragraph.size() < kFiftyMb) note += paragraph;
  note += "zebralast ends it.\n";
  WriteFile(root_ / "notes/2024/HugeNote/note.md", note);
  RunResult r = Index();
  // Indexed up to kMaxNoteBytes (8 MiB), with a warning.
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(LineNaming(r, "notes/2024/HugeNote/note.md").find("larger than"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(Found("zebrafirst", "2024/HugeNote"));
  EXPECT_FALSE(Found("zebralast", "2024/HugeNote"));
  ExpectFixtureStillFound();
  ExpectBounded(kHugeNoteSeconds);
}

// 10,000 levels of block quotes, of nested lists and of both, each with a
// word at the deepest level.
TEST_F(HostileCollection, DeeplyNestedMarkdown) {
  std::string quotes(10'000, '>');
  std::string lists;
  for (int i = 0; i < 10'000; ++i) lists += "- ";
  std::string mixed;
  for (int i = 0; i < 5'000; ++i) mixed += "> * ";
  AddRecord("2024/Quotes", "Deep quotes");
  WriteFile(root_ / "notes/2024/Quotes/note.md", quotes + " abyssquote\n");
  AddRecord("2024/Lists", "Deep lists");
  WriteFile(root_ / "notes/2024/Lists/note.md", lists + "abysslist\n");
  AddRecord("2024/Mixed", "Deep quotes and lists");
  WriteFile(root_ / "notes/2024/Mixed/note.md",
            mixed + "abyssmixed\n" + mixed + "\n" + quotes + "\n" + lists);
  RunResult r = Index();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Found("abyssquote", "2024/Quotes"));
  EXPECT_TRUE(Found("abysslist", "2024/Lists"));
  EXPECT_TRUE(Found("abyssmixed", "2024/Mixed"));
  ExpectFixtureStillFound();
  ExpectBounded();
}

// One line of 1,000,000 characters: a record's title, a note of words, and a
// note with no space at all.
// (Words drawn at random: a line repeating one word 100,000 times hits a
// decompression bug of Xapian 1.4.22, reported separately.)
TEST_F(HostileCollection, MillionCharacterLine) {
  const std::vector<std::string> syllables = {"ka", "lo", "mi", "ne", "tu",
                                              "ra", "so", "vi", "de", "pu"};
  std::string words;
  uint32_t state = 12345;
  while (words.size() < 1'000'000) {
    for (int i = 0; i < 3; ++i) {
      state = state * 1664525u + 1013904223u;
      words += syllables[(state >> 16) % syllables.size()];
    }
    words += ' ';
  }
  words.resize(1'000'000);
  AddRecord("2024/LongTitle", "Wombat " + words);
  AddRecord("2024/LongNote", "Paper with a long note line");
  WriteFile(root_ / "notes/2024/LongNote/note.md", words + " numbat");
  AddRecord("2024/OneWord", "Paper with one enormous word");
  WriteFile(root_ / "notes/2024/OneWord/note.md",
            std::string(1'000'000, 'x') + " dugong");
  RunResult r = Index();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Found("wombat", "2024/LongTitle"));
  EXPECT_TRUE(Found("numbat", "2024/LongNote"));
  EXPECT_TRUE(Found("dugong", "2024/OneWord"));
  ExpectFixtureStillFound();
  ExpectBounded();
}

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

// A note is indexed with its record; alone it is no paper, and a warning
// names it and the record it lacks, on every run (it describes the
// collection, not a change).
TEST_F(HostileCollection, NoteWithoutRecord) {
  WriteFile(root_ / "notes/2024/Orphan/note.md", "# Orphan\n\nplatypus\n");
  WriteFile(root_ / "notes/2025/Stray/index.md", "# Stray\n\nbandicoot\n");
  const std::string orphan =
      "paperindex: warning: notes/2024/Orphan/note.md: note has no record "
      "(expected meta/2024/Orphan.prototxt); not indexed";
  const std::string stray =
      "paperindex: warning: notes/2025/Stray/index.md: note has no record "
      "(expected meta/2025/Stray.prototxt); not indexed";
  RunResult r = Index();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(LineNaming(r, "notes/2024/Orphan/"), orphan) << r.err;
  EXPECT_EQ(LineNaming(r, "notes/2025/Stray/"), stray) << r.err;
  EXPECT_TRUE(Ids("platypus").empty());
  EXPECT_TRUE(Ids("bandicoot").empty());
  EXPECT_EQ(Report()["papers"], kFixtureIds.size());
  EXPECT_EQ(Report()["failed"], json::array());
  // The report has them too, for a nightly job run with --quiet.
  const json report = Report();
  std::set<std::string> reported;
  for (const json& w : report["warnings"]) {
    reported.insert("paperindex: warning: " + w["file"].get<std::string>() +
                    ": " + w["message"].get<std::string>());
  }
  EXPECT_TRUE(reported.count(orphan)) << report["warnings"];
  EXPECT_TRUE(reported.count(stray)) << report["warnings"];
  ExpectFixtureStillFound();
  ExpectBounded();

  RunResult again = Index();  // nothing changed: the same warnings
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(Report()["unchanged"], kFixtureIds.size());
  EXPECT_EQ(LineNaming(again, "notes/2024/Orphan/"), orphan) << again.err;
  EXPECT_EQ(LineNaming(again, "notes/2025/Stray/"), stray) << again.err;
}

// Note directories that hold only images (covers) are no notes, and a note
// that a record's note url points to is that record's, whatever its
// directory is called: no warning for either, on the first run or the next.
TEST_F(HostileCollection, NoteDirectoriesThatAreNotOrphans) {
  WriteFile(root_ / "notes/2024/CoverOnly/cover.png", "\x89PNG\r\n\x1a\n");
  WriteFile(root_ / "notes/2024/SparrowAttn/cover.png", "\x89PNG\r\n\x1a\n");
  WriteFile(root_ / "meta/2024/Pointed.prototxt",
            "paper {\n  title: \"Paper whose note lies elsewhere\"\n}\n"
            "note {\n  url: \"pointed-notes/note.md\"\n}\n");
  WriteFile(root_ / "notes/2024/pointed-notes/note.md", "quetzal\n");
  for (int run = 0; run < 2; ++run) {
    RunResult r = Index();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("warning"), std::string::npos) << r.err;
  }
  EXPECT_EQ(Ids("quetzal"), std::vector<std::string>{"2024/Pointed"});
  EXPECT_EQ(Report()["papers"], kFixtureIds.size() + 1);
  ExpectFixtureStillFound();
  ExpectBounded();

  // A record that stops parsing keeps its indexed version, note included:
  // its note is still not an orphan.
  WriteFile(root_ / "meta/2024/Pointed.prototxt", "paper {\n  title: \"\n");
  RunResult broken = Index();
  EXPECT_EQ(broken.exit_code, 1) << broken.err;
  EXPECT_NE(LineNaming(broken, "meta/2024/Pointed.prototxt"), "") << broken.err;
  EXPECT_EQ(broken.err.find("warning"), std::string::npos) << broken.err;
  EXPECT_EQ(Ids("quetzal"), std::vector<std::string>{"2024/Pointed"});
}

// A note under another year's directory, or whose directory differs from the
// record's name in case (the real 2025-08-29 list has notes/2024/Wanda/ for
// meta/2024/wanda.prototxt): the warning says where the note belongs.
TEST_F(HostileCollection, NoteInTheWrongDirectory) {
  // meta/2024/SparrowAttn.prototxt and meta/2025/EvictBench.prototxt exist.
  WriteFile(root_ / "notes/2025/SparrowAttn/note.md", "kookaburra\n");
  WriteFile(root_ / "notes/2025/evictbench/note.md", "cassowary\n");
  RunResult r = Index();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(LineNaming(r, "notes/2025/SparrowAttn/"),
            "paperindex: warning: notes/2025/SparrowAttn/note.md: note has no "
            "record (expected meta/2025/SparrowAttn.prototxt); not indexed; "
            "the record meta/2024/SparrowAttn.prototxt is under another year: "
            "its note belongs in notes/2024/SparrowAttn/")
      << r.err;
  EXPECT_EQ(LineNaming(r, "notes/2025/evictbench/"),
            "paperindex: warning: notes/2025/evictbench/note.md: note has no "
            "record (expected meta/2025/evictbench.prototxt); not indexed; "
            "the record meta/2025/EvictBench.prototxt differs only in case: "
            "its note belongs in notes/2025/EvictBench/")
      << r.err;
  // The records are indexed as they were, without these notes.
  EXPECT_TRUE(Found("SparrowAttn", "2024/SparrowAttn"));
  EXPECT_TRUE(Ids("kookaburra").empty());
  EXPECT_TRUE(Ids("cassowary").empty());
  ExpectFixtureStillFound();
  ExpectBounded();
}

TEST_F(HostileCollection, RecordWithoutNote) {
  AddRecord("2024/NoNote", "Echidna paper without a note");
  RunResult r = Index();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Report()["added"], json::array({"2024/NoNote"}));
  EXPECT_EQ(Ids("echidna"), std::vector<std::string>{"2024/NoNote"});
  EXPECT_EQ(Report()["notes"], 6);  // the fixture's six, none more
  ExpectFixtureStillFound();
  ExpectBounded();
}

// Ids are case-sensitive (they are paths): both papers are indexed, apart,
// with a warning naming both files, since the two cannot coexist on a
// case-insensitive file system (a clone on macOS or Windows).
TEST_F(HostileCollection, IdsDifferingOnlyInCase) {
  AddRecord("2025/tidekv", "Lowercase twin of a tidal paper");
  AddRecord("2025/TIDEKV", "Uppercase twin of a tidal paper");
  const std::string lower =
      "paperindex: warning: meta/2025/tidekv.prototxt: id 2025/tidekv "
      "differs only in case from 2025/TIDEKV (meta/2025/TIDEKV.prototxt); "
      "both are indexed, but they collide on case-insensitive file systems";
  const std::string mixed =
      "paperindex: warning: meta/2025/TideKV.prototxt: id 2025/TideKV "
      "differs only in case from 2025/TIDEKV (meta/2025/TIDEKV.prototxt); "
      "both are indexed, but they collide on case-insensitive file systems";
  RunResult r = Index();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // Each later id (in byte order) is named with the first one.
  EXPECT_EQ(LineNaming(r, "warning: meta/2025/tidekv.prototxt"), lower)
      << r.err;
  EXPECT_EQ(LineNaming(r, "warning: meta/2025/TideKV.prototxt"), mixed)
      << r.err;
  EXPECT_EQ(LineNaming(r, "warning: meta/2025/TIDEKV.prototxt"), "") << r.err;
  EXPECT_EQ(Report()["added"], json::array({"2025/TIDEKV", "2025/tidekv"}));
  EXPECT_EQ(Ids("lowercase twin").front(), "2025/tidekv");
  EXPECT_EQ(Ids("id:2025/TideKV"), std::vector<std::string>{"2025/TideKV"});
  EXPECT_EQ(Ids("id:2025/tidekv"), std::vector<std::string>{"2025/tidekv"});
  EXPECT_EQ(Ids("id:2025/TIDEKV"), std::vector<std::string>{"2025/TIDEKV"});
  ExpectFixtureStillFound();
  ExpectBounded();

  RunResult again = Index();  // nothing changed: the same warnings
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(Report()["unchanged"], kFixtureIds.size() + 2);
  EXPECT_EQ(LineNaming(again, "warning: meta/2025/tidekv.prototxt"), lower)
      << again.err;
  EXPECT_EQ(LineNaming(again, "warning: meta/2025/TideKV.prototxt"), mixed)
      << again.err;
}

// The id keeps the directory's year (ids come from paths); the record's
// pub.year is what year filters and facets use; a warning points at the
// year field.
TEST_F(HostileCollection, YearDirectoryDisagreesWithPubYear) {
  WriteFile(root_ / "meta/2024/Misfiled.prototxt",
            "paper {\n  title: \"Misfiled wallaby paper\"\n}\n"
            "pub {\n  where: \"ICML\"\n  year: 2023\n}\n");
  RunResult r = Index();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("meta/2024/Misfiled.prototxt:6:3: pub.year 2023 "
                       "disagrees with the directory meta/2024/"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Ids("wallaby"), std::vector<std::string>{"2024/Misfiled"});
  RunResult by_year =
      testing::Run({PapersearchBin(), "--db", db_.string(), "--format", "ids",
                    "wallaby", "--year", "2023"});
  EXPECT_EQ(by_year.out, "2024/Misfiled\n") << by_year.err;
  ExpectFixtureStillFound();
  ExpectBounded();
}

}  // namespace
}  // namespace papersearch
