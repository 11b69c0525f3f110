// End-to-end: the real paperindex binary on real and hand-made collections;
// every count is read back from the database, not from the log.
#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <set>

#include "indexer/index_store.h"
#include "schema.h"
#include "tests/support/test_support.h"

namespace papersearch {
namespace {

namespace fs = std::filesystem;
using testing::PaperindexBin;
using testing::Run;
using testing::RunResult;
using testing::SharedDir;
using testing::SharedMissingMessage;
using testing::SourceDir;
using testing::TempDir;
using testing::WriteFile;

// The ids a collection holds, computed from its file tree alone.
std::set<std::string> IdsOnDisk(const fs::path& root) {
  std::set<std::string> ids;
  for (const auto& year : fs::directory_iterator(root / "meta")) {
    std::string y = year.path().filename().string();
    if (!year.is_directory() || y.size() != 4 ||
        y.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    for (const auto& file : fs::directory_iterator(year.path())) {
      if (file.path().extension() == ".prototxt") {
        ids.insert(y + "/" + file.path().stem().string());
      }
    }
  }
  return ids;
}

std::set<std::string> IdsInDatabase(const std::string& db_path) {
  Xapian::Database db(db_path);
  std::set<std::string> ids;
  const std::string q = schema::prefix::kId;
  for (auto it = db.allterms_begin(q); it != db.allterms_end(q); ++it) {
    ids.insert((*it).substr(q.size()));
  }
  return ids;
}

Xapian::doccount WithNotes(const std::string& db_path) {
  Xapian::Database db(db_path);
  return db.get_termfreq(std::string(schema::prefix::kHas) + schema::kHasNote);
}

RunResult Index(const fs::path& root, const std::string& db) {
  return testing::Run({PaperindexBin(), "--root", root.string(), "--db", db});
}

std::string Record(const std::string& title, int year) {
  return "paper {\n  title: \"" + title +
         "\"\n}\npub {\n  where: \"ICML\"\n  year: " + std::to_string(year) +
         "\n}\n";
}

TEST(Paperindex, BundledCollectionHoldsEverySeedPaper) {
  TempDir tmp;
  std::string db = (tmp.path() / "db").string();
  RunResult r = Index(SourceDir(), db);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(IdsInDatabase(db).size(), 295u);
  EXPECT_EQ(IdsInDatabase(db), IdsOnDisk(SourceDir()));
  Xapian::Database opened(db);
  EXPECT_EQ(opened.get_metadata(schema::kVersionKey),
            std::to_string(schema::kVersion));
}

struct Snapshot {
  const char* name;
  size_t papers;
  Xapian::doccount notes;
};

class RealSnapshots : public ::testing::TestWithParam<Snapshot> {};

TEST_P(RealSnapshots, IndexesEveryPaperAndNote) {
  auto shared = SharedDir();
  if (!shared) GTEST_SKIP() << SharedMissingMessage();
  const Snapshot& s = GetParam();
  fs::path root = *shared / "corpus" / s.name;
  TempDir tmp;
  std::string db = (tmp.path() / "db").string();
  RunResult r = Index(root, db);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::set<std::string> ids = IdsInDatabase(db);
  EXPECT_EQ(ids.size(), s.papers);
  EXPECT_EQ(ids, IdsOnDisk(root));
  EXPECT_EQ(WithNotes(db), s.notes);
  // The two meta/search files are named once, as not being paper records.
  EXPECT_NE(r.err.find("meta/search/references.prototxt"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(std::to_string(s.papers) + " papers (" +
                       std::to_string(s.notes) + " with notes)"),
            std::string::npos)
      << r.err;
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, RealSnapshots,
    ::testing::Values(Snapshot{"efficientpaper-2026-04-08", 433, 363},
                      Snapshot{"efficientpaper-2025-08-29", 300, 227}),
    [](const auto& info) {
      std::string name = info.param.name;
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

TEST(Paperindex, MalformedRecordIsReportedAndTheRestIndexed) {
  TempDir tmp;
  fs::path root = tmp.path() / "c";
  WriteFile(root / "meta/2024/Good.prototxt", Record("Good Paper", 2024));
  WriteFile(root / "meta/2025/Also.prototxt", Record("Also Good", 2025));
  WriteFile(root / "meta/2025/Bad.prototxt",
            "paper {\n  title: \"Bad\"\n  titel: \"oops\"\n}\n");
  WriteFile(root / "meta/2025/Empty.prototxt", "");
  std::string db = (tmp.path() / "db").string();
  RunResult r = Index(root, db);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("meta/2025/Bad.prototxt:3:3: "), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("meta/2025/Empty.prototxt: empty file"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(IdsInDatabase(db),
            (std::set<std::string>{"2024/Good", "2025/Also"}));
}

TEST(Paperindex, UnknownKeywordLabelKeepsThePaper) {
  TempDir tmp;
  fs::path root = tmp.path() / "c";
  WriteFile(root / "meta/2025/New.prototxt",
            "paper { title: \"New Label Paper\" }\nkeyword {\n  words: "
            "brand_new_label\n}\n");
  std::string db = (tmp.path() / "db").string();
  RunResult r = Index(root, db);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("meta/2025/New.prototxt:3:10: "), std::string::npos)
      << r.err;
  Xapian::Database opened(db);
  EXPECT_EQ(opened.get_termfreq("XKlabel"), 1u);
  EXPECT_EQ(opened.get_termfreq(std::string(schema::prefix::kKeywordFilter) +
                                "brand_new_label"),
            1u);
}

// Xapian 1.4.22 cannot read back some highly compressible document data
// over 8 KB that it compressed itself; a note repeating one word produced
// such data, and every search reaching the paper failed with
// DatabaseCorruptError. Our data is compressed before Xapian sees it.
TEST(Paperindex, RepetitiveNoteStaysReadable) {
  TempDir tmp;
  fs::path root = tmp.path() / "c";
  WriteFile(root / "meta/2025/Rep.prototxt", Record("Repetition Paper", 2025));
  std::string note;
  while (note.size() < 30000) note += "longline ";
  WriteFile(root / "notes/2025/Rep/note.md", note);
  std::string db = (tmp.path() / "db").string();
  RunResult r = Index(root, db);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* query : {"longline", "repetition"}) {
    RunResult s = testing::Run(
        {testing::PapersearchBin(), "--db", db, "--format", "ids", query});
    EXPECT_EQ(s.exit_code, 0) << query << ": " << s.err;
    EXPECT_EQ(s.out, "2025/Rep\n") << query;
  }
}

TEST(Paperindex, NoMetaDirectoryCannotRun) {
  TempDir tmp;
  RunResult r = Index(tmp.path(), (tmp.path() / "db").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no meta/ directory"), std::string::npos) << r.err;
}

TEST(Paperindex, MetaAsAFileCannotRun) {
  TempDir tmp;
  WriteFile(tmp.path() / "meta", "not a directory");
  RunResult r = Index(tmp.path(), (tmp.path() / "db").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is not a directory"), std::string::npos) << r.err;
}

TEST(Paperindex, DefaultDatabaseIsUnderTheRootOrPapersearchDb) {
  TempDir tmp;
  fs::path root = tmp.path() / "c";
  WriteFile(root / "meta/2024/Good.prototxt", Record("Good Paper", 2024));
  testing::RunOptions options;
  options.unset_env = {"PAPERSEARCH_DB"};
  RunResult r =
      testing::Run({PaperindexBin(), "--root", root.string()}, options);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(IdsInDatabase((root / ".papersearch/db").string()).size(), 1u);

  options.env["PAPERSEARCH_DB"] = (tmp.path() / "elsewhere").string();
  r = testing::Run({PaperindexBin(), "--root", root.string(), "--quiet"},
                   options);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");  // --quiet
  EXPECT_EQ(IdsInDatabase((tmp.path() / "elsewhere").string()).size(), 1u);
}

TEST(Paperindex, RebuildReplacesAndLeavesOneGeneration) {
  TempDir tmp;
  fs::path root = tmp.path() / "c";
  WriteFile(root / "meta/2024/A.prototxt", Record("Alpha", 2024));
  WriteFile(root / "meta/2024/B.prototxt", Record("Beta", 2024));
  std::string db = (tmp.path() / "db").string();
  ASSERT_EQ(Index(root, db).exit_code, 0);
  fs::remove(root / "meta/2024/B.prototxt");
  WriteFile(root / "meta/2025/C.prototxt", Record("Gamma", 2025));
  ASSERT_EQ(Index(root, db).exit_code, 0);
  EXPECT_EQ(IdsInDatabase(db), (std::set<std::string>{"2024/A", "2025/C"}));
  int generations = 0;
  for (const auto& e : fs::directory_iterator(db + ".d")) {
    (void)e;
    ++generations;
  }
  EXPECT_EQ(generations, 1);
}

TEST(Paperindex, SecondWriterIsRefused) {
  TempDir tmp;
  fs::path root = tmp.path() / "c";
  WriteFile(root / "meta/2024/A.prototxt", Record("Alpha", 2024));
  std::string db = (tmp.path() / "db").string();
  auto lock = WriterLock::TryAcquire(db);
  ASSERT_TRUE(lock.ok()) << lock.status().message();
  RunResult r = Index(root, db);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("another paperindex (pid " + std::to_string(getpid())),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(db));  // nothing was written
}

TEST(Paperindex, CliErrorsExitTwo) {
  RunResult r = testing::Run({PaperindexBin(), "--no-such-flag"});
  EXPECT_EQ(r.exit_code, 2);
  r = testing::Run({PaperindexBin(), "--root", "/nonexistent/dir"});
  EXPECT_EQ(r.exit_code, 2);
  r = testing::Run({PaperindexBin(), "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("import-readme"), std::string::npos);
}

// The nightly job's log says what is wrong with its command line, and the fix.
TEST(Paperindex, UsageErrorsNameTheFix) {
  const std::string help = "Run 'paperindex --help' for usage.\n";
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      // The value of a misspelt option is not reported as a second error.
      {{"--rot", "papers"},
       "paperindex: unknown option '--rot'; did you mean '--root'?\n"},
      {{"--shard-size", "0"},
       "paperindex: --shard-size: must be a number of papers, 1 or more, not "
       "'0'\n"},
      {{"--shard-size", "many"},
       "paperindex: --shard-size: must be a number of papers, 1 or more, not "
       "'many'\n"},
      {{"--db"}, "paperindex: --db needs a value\n"},
      {{"papers"}, "paperindex: unexpected argument 'papers'\n"},
      // One short option means one thing in both programs: papersearch's
      // -n is --limit, so paperindex's dry run is --dry-run only; and a
      // short option is not "corrected" into another letter.
      {{"-n"}, "paperindex: unknown option '-n'\n"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> argv{PaperindexBin()};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    RunResult r = testing::Run(argv);
    EXPECT_EQ(r.exit_code, 2) << c.message;
    EXPECT_EQ(r.err, c.message + help);
  }
}

}  // namespace
}  // namespace papersearch
