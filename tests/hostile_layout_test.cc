// A collection laid out wrongly (see tests/support/hostile_collection.h for
// what every test checks): notes without records, note directories that are
// no orphans, notes in the wrong directory, records without notes, ids that
// differ only in case, and a year directory that disagrees with pub.year.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/support/hostile_collection.h"
#include "tests/support/test_support.h"

namespace papersearch::testing {
namespace {

using json = nlohmann::json;

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
}  // namespace papersearch::testing
