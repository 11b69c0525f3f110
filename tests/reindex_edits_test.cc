// Reindexing after the small edits people make every day: a note deleted or
// added, a record renamed, broken and fixed, files touched without change,
// a dry run, a full rebuild, and a damaged or outdated database.
#include <gtest/gtest.h>
#include <xapian.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "schema.h"
#include "tests/support/reindex_support.h"
#include "tests/support/test_support.h"

namespace papersearch::testing {
namespace {

namespace fs = std::filesystem;

class ReindexEdits : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = tmp_.path() / "c";
    db_ = (tmp_.path() / "db").string();
    WriteFile(root_ / "meta/2024/Alpha.prototxt", Record("Alpha Sparse Paper"));
    WriteFile(root_ / "meta/2024/Beta.prototxt",
              Record("Beta Quantization Paper"));
    WriteFile(root_ / "meta/2025/Gamma.prototxt", Record("Gamma Cache Paper"));
    WriteFile(root_ / "notes/2024/Alpha/note.md",
              "# Alpha\n\nwombat heuristics\n");
    ASSERT_EQ(Index(root_, db_).exit_code, 0);
  }

  static std::string Record(const std::string& title) {
    return "paper {\n  title: \"" + title + "\"\n}\npub {\n  year: 2024\n}\n";
  }

  Json Reindex(int expected_exit = 0) {
    const std::string report = (tmp_.path() / "r.json").string();
    RunResult r = Index(root_, db_, {"--report", report});
    EXPECT_EQ(r.exit_code, expected_exit) << r.err;
    last_err_ = r.err;
    return Json::parse(ReadFile(report));
  }

  std::vector<std::string> Find(const std::string& query) {
    return Lines(Search(db_, {"--format", "ids", query}).out);
  }

  TempDir tmp_;
  fs::path root_;
  std::string db_;
  std::string last_err_;
};

TEST_F(ReindexEdits, NoteDeleted) {
  EXPECT_EQ(Find("wombat"), std::vector<std::string>{"2024/Alpha"});
  fs::remove(root_ / "notes/2024/Alpha/note.md");
  Json r = Reindex();
  EXPECT_EQ(StringArray(r["updated"]), std::vector<std::string>{"2024/Alpha"});
  EXPECT_TRUE(Find("wombat").empty());
  EXPECT_EQ(Find("alpha"), std::vector<std::string>{"2024/Alpha"});
}

TEST_F(ReindexEdits, NoteAdded) {
  WriteFile(root_ / "notes/2025/Gamma/note.md", "capybara\n");
  Json r = Reindex();
  EXPECT_EQ(StringArray(r["updated"]), std::vector<std::string>{"2025/Gamma"});
  EXPECT_EQ(Find("capybara"), std::vector<std::string>{"2025/Gamma"});
}

TEST_F(ReindexEdits, RecordRenamed) {
  fs::rename(root_ / "meta/2024/Beta.prototxt",
             root_ / "meta/2024/BetaQ.prototxt");
  Json r = Reindex();
  EXPECT_EQ(StringArray(r["added"]), std::vector<std::string>{"2024/BetaQ"});
  EXPECT_EQ(StringArray(r["removed"]), std::vector<std::string>{"2024/Beta"});
  EXPECT_EQ(r["unchanged"].get<int>(), 2);
  EXPECT_EQ(Find("quantization"), std::vector<std::string>{"2024/BetaQ"});
}

TEST_F(ReindexEdits, MalformedRecordKeepsItsLastGoodVersion) {
  WriteFile(root_ / "meta/2024/Alpha.prototxt",
            "paper {\n  title: \"Alpha Sparse Paper\n}\n");  // unterminated
  Json r = Reindex(1);
  ASSERT_EQ(r["failed"].size(), 1u);
  EXPECT_EQ(r["failed"][0]["file"].get<std::string>(),
            "meta/2024/Alpha.prototxt");
  EXPECT_EQ(r["failed"][0]["line"].get<int>(), 2);
  EXPECT_GT(r["failed"][0]["column"].get<int>(), 0);
  EXPECT_TRUE(StringArray(r["updated"]).empty());
  EXPECT_TRUE(StringArray(r["removed"]).empty());
  EXPECT_NE(last_err_.find("meta/2024/Alpha.prototxt:2:"), std::string::npos)
      << last_err_;
  // Still found, with its note, as it was.
  EXPECT_EQ(Find("sparse"), std::vector<std::string>{"2024/Alpha"});
  EXPECT_EQ(Find("wombat"), std::vector<std::string>{"2024/Alpha"});
  // Fixed: updated again.
  WriteFile(root_ / "meta/2024/Alpha.prototxt", Record("Alpha Pruned Paper"));
  r = Reindex();
  EXPECT_EQ(StringArray(r["updated"]), std::vector<std::string>{"2024/Alpha"});
  EXPECT_EQ(Find("pruned"), std::vector<std::string>{"2024/Alpha"});
}

TEST_F(ReindexEdits, TouchedWithoutChangeReindexesNothing) {
  auto later = fs::file_time_type::clock::now() + std::chrono::hours(1);
  for (const char* f : {"meta/2024/Alpha.prototxt", "meta/2024/Beta.prototxt",
                        "notes/2024/Alpha/note.md"}) {
    fs::last_write_time(root_ / f, later);
  }
  Json r = Reindex();
  EXPECT_TRUE(StringArray(r["added"]).empty());
  EXPECT_TRUE(StringArray(r["updated"]).empty());
  EXPECT_TRUE(StringArray(r["removed"]).empty());
  EXPECT_EQ(r["unchanged"].get<int>(), 3);
  // The new stat is remembered: the next run needs no reading at all, still
  // reports nothing changed, and commits nothing (no new revision for
  // readers to reopen).
  Xapian::rev before = Xapian::Database(db_).get_revision();
  r = Reindex();
  EXPECT_EQ(r["unchanged"].get<int>(), 3);
  EXPECT_EQ(Xapian::Database(db_).get_revision(), before);
}

TEST_F(ReindexEdits, DryRunWritesNothing) {
  WriteFile(root_ / "meta/2025/Delta.prototxt", Record("Delta Paper"));
  fs::remove(root_ / "meta/2025/Gamma.prototxt");
  const std::string report = (tmp_.path() / "dry.json").string();
  RunResult r = Index(root_, db_, {"--dry-run", "--report", report});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(ReadFile(report));
  EXPECT_EQ(StringArray(j["added"]), std::vector<std::string>{"2025/Delta"});
  EXPECT_EQ(StringArray(j["removed"]), std::vector<std::string>{"2025/Gamma"});
  EXPECT_TRUE(j["dry_run"].get<bool>());
  EXPECT_NE(r.err.find("would be added"), std::string::npos) << r.err;
  EXPECT_EQ(Find("gamma"), std::vector<std::string>{"2025/Gamma"});
  // title:, not a bare word: a bare word that finds nothing is searched
  // again as its spelling correction ("beta").
  EXPECT_TRUE(Find("title:delta").empty());
}

TEST_F(ReindexEdits, FullRebuildSwitchesAtomically) {
  WriteFile(root_ / "meta/2025/Delta.prototxt", Record("Delta Paper"));
  Json r = [&] {
    const std::string report = (tmp_.path() / "full.json").string();
    RunResult run = Index(root_, db_, {"--full", "--report", report});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return Json::parse(ReadFile(report));
  }();
  EXPECT_TRUE(r["full"].get<bool>());
  EXPECT_EQ(StringArray(r["added"]).size(), 4u);
  EXPECT_EQ(Find("delta"), std::vector<std::string>{"2025/Delta"});
  // The stub now names generation 2; generation 1 is gone.
  EXPECT_EQ(ReadFile(db_), "auto db.d/2\n");
  EXPECT_FALSE(fs::exists(db_ + ".d/1"));
}

TEST_F(ReindexEdits, DamagedFacetDictionaryIsRebuilt) {
  {
    Xapian::WritableDatabase w(db_ + ".d/1", Xapian::DB_OPEN);
    std::string cut = w.get_metadata(schema::kFacetsKey);
    ASSERT_FALSE(cut.empty());
    cut.pop_back();
    w.set_metadata(schema::kFacetsKey, cut);
    w.commit();
  }
  RunResult r = Index(root_, db_);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("facet dictionary is damaged"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("full build: 3 added"), std::string::npos) << r.err;
  Json out = Json::parse(Search(db_, {"--json", ""}).out);
  ASSERT_EQ(out["facets"]["year"].size(), 1u);
  EXPECT_EQ(out["facets"]["year"][0]["value"], "2024");
  EXPECT_EQ(out["facets"]["year"][0]["count"], 3);
}

TEST_F(ReindexEdits, OtherSchemaVersionIsRebuilt) {
  {
    Xapian::WritableDatabase w(db_ + ".d/1", Xapian::DB_OPEN);
    w.set_metadata(schema::kVersionKey, "0");
    w.commit();
  }
  RunResult r = Index(root_, db_);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("schema version 0"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("full build: 3 added"), std::string::npos) << r.err;
  Xapian::Database opened(db_);
  EXPECT_EQ(opened.get_metadata(schema::kVersionKey),
            std::to_string(schema::kVersion));
}

}  // namespace
}  // namespace papersearch::testing
