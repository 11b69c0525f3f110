// Nightly reindexing makes the database a fresh build would: an update from
// the 2025-08-29 snapshot to the 2026-04-08 one (skipped when ../shared is
// absent) against the change computed independently from the two file trees,
// full builds in shards of every size, and a database that outgrows its
// small blocks.
#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "schema.h"
#include "tests/support/reindex_support.h"
#include "tests/support/test_support.h"

namespace papersearch::testing {
namespace {

namespace fs = std::filesystem;

// --- Independent model of a collection: ids and the bytes behind each ----

// The note a record points at, by the list's rules, from the file tree alone:
// its note url (relative to notes/YEAR/ID/, or notes/YEAR/ with a '/'), else
// notes/YEAR/ID/note.md, else index.md.
std::string NoteBytes(const fs::path& root, const std::string& id,
                      const std::string& record) {
  static const std::regex kNoteUrl(R"re(note\s*\{\s*url:\s*"([^"]*)")re");
  std::string year = id.substr(0, 4);
  std::vector<fs::path> candidates;
  std::smatch m;
  if (std::regex_search(record, m, kNoteUrl) && !m[1].str().empty()) {
    std::string url = m[1];
    candidates.push_back(url.find('/') == std::string::npos
                             ? root / "notes" / id / url
                             : root / "notes" / year / url);
  }
  candidates.push_back(root / "notes" / id / "note.md");
  candidates.push_back(root / "notes" / id / "index.md");
  for (const fs::path& p : candidates) {
    if (fs::is_regular_file(p)) {
      return fs::relative(p, root).string() + "\n" + ReadFile(p);
    }
  }
  return "";
}

// id -> record bytes + note path and bytes.
std::map<std::string, std::string> Snapshot(const fs::path& root) {
  std::map<std::string, std::string> papers;
  for (const auto& year : fs::directory_iterator(root / "meta")) {
    std::string y = year.path().filename().string();
    if (y.size() != 4 ||
        y.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    for (const auto& file : fs::directory_iterator(year.path())) {
      std::string id = y + "/" + file.path().stem().string();
      std::string record = ReadFile(file.path());
      papers[id] = record + "\n--\n" + NoteBytes(root, id, record);
    }
  }
  return papers;
}

void ReplaceTree(const fs::path& from, const fs::path& root) {
  fs::remove_all(root / "meta");
  fs::remove_all(root / "notes");
  testing::CopyTree(from / "meta", root / "meta");
  testing::CopyTree(from / "notes", root / "notes");
}

TEST(Reindex, RealUpdateMatchesIndependentDiffAndFreshBuild) {
  auto shared = SharedDir();
  if (!shared) GTEST_SKIP() << SharedMissingMessage();
  const fs::path older = *shared / "corpus/efficientpaper-2025-08-29";
  const fs::path newer = *shared / "corpus/efficientpaper-2026-04-08";
  TempDir tmp;
  const fs::path root = tmp.path() / "collection";
  const std::string db = (tmp.path() / "db").string();
  ReplaceTree(older, root);
  RunResult r = Index(root, db);
  ASSERT_EQ(r.exit_code, 0) << r.err;

  ReplaceTree(newer, root);
  const std::string report_path = (tmp.path() / "report.json").string();
  r = Index(root, db, {"--report", report_path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json report = Json::parse(ReadFile(report_path));

  // The expected change, from the two file trees alone.
  auto before = Snapshot(older), after = Snapshot(newer);
  std::vector<std::string> added, updated, removed;
  int unchanged = 0;
  for (const auto& [id, bytes] : after) {
    auto old = before.find(id);
    if (old == before.end()) {
      added.push_back(id);
    } else if (old->second != bytes) {
      updated.push_back(id);
    } else {
      ++unchanged;
    }
  }
  for (const auto& [id, bytes] : before) {
    if (!after.count(id)) removed.push_back(id);
  }
  ASSERT_FALSE(added.empty());
  ASSERT_FALSE(updated.empty());
  ASSERT_FALSE(removed.empty());
  EXPECT_EQ(StringArray(report["added"]), added);
  EXPECT_EQ(StringArray(report["updated"]), updated);
  EXPECT_EQ(StringArray(report["removed"]), removed);
  EXPECT_EQ(report["unchanged"].get<int>(), unchanged);
  EXPECT_TRUE(report["failed"].empty());
  std::cout << "[ report   ] 2025-08-29 -> 2026-04-08: " << added.size()
            << " added, " << updated.size() << " updated, " << removed.size()
            << " removed, " << unchanged << " unchanged\n";

  // The updated database equals a fresh build, document for document...
  const std::string fresh = (tmp.path() / "fresh").string();
  ASSERT_EQ(Index(newer, fresh).exit_code, 0);
  ExpectSameDocuments(db, fresh);
  // ...with the same spelling data (an updated paper's old words removed)...
  EXPECT_FALSE(SpellingsOf(fresh).empty());
  EXPECT_TRUE(SpellingsOf(db) == SpellingsOf(fresh));
  // ...and answers queries with the same ids in the same order.
  for (const char* query :
       {"kv cache eviction", "quantization", "sparse attention", "pruning llm",
        "speculative decoding", "稀疏", "title:cache", "author:song",
        "keyword:quant*", "\"key value\"", ""}) {
    RunResult a = Search(db, {"--format", "ids", "--limit", "40", query});
    RunResult b = Search(fresh, {"--format", "ids", "--limit", "40", query});
    EXPECT_EQ(a.exit_code, b.exit_code) << query;
    EXPECT_EQ(a.out, b.out) << "query: " << query;
  }
  // ...with the same facet counts, though the update numbered the facet
  // values it had not seen after the older snapshot's (schema::kFacetsKey).
  EXPECT_NE(Xapian::Database(db).get_metadata(schema::kFacetsKey),
            Xapian::Database(fresh).get_metadata(schema::kFacetsKey));
  for (const char* query : {"", "kv cache", "quantization", "稀疏"}) {
    Json a = Json::parse(Search(db, {"--json", "--exact", query}).out);
    Json b = Json::parse(Search(fresh, {"--json", "--exact", query}).out);
    EXPECT_FALSE(a["facets"]["institution"].empty()) << query;
    EXPECT_EQ(a["facets"], b["facets"]) << "query: " << query;
  }
}

// Each paper's document id, by paper id.
std::map<std::string, Xapian::docid> DocidsOf(const std::string& db_path) {
  Xapian::Database db(db_path);
  std::map<std::string, Xapian::docid> docids;
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    docids[schema::IdOfDocument(db.get_document(*it))] = *it;
  }
  return docids;
}

// A full build writes shards and merges them: however many shards, the
// database is the same, document ids included, and updates as usual.
TEST(Reindex, ShardedFullBuildEqualsOneShard) {
  TempDir tmp;
  const fs::path root = tmp.path() / "c";
  constexpr int kPapers = 230;
  Generate(root, kPapers, 0);
  const std::string one = (tmp.path() / "one").string();
  ASSERT_EQ(
      Index(root, one, {"--full", "--quiet", "--shard-size", "1000"}).exit_code,
      0);
  ASSERT_EQ(DocCount(one), kPapers);
  // Two shards are merged in one pass, more than three in several.
  for (const char* size : {"200", "7"}) {
    SCOPED_TRACE(std::string("--shard-size ") + size);
    const std::string db = (tmp.path() / (std::string("s") + size)).string();
    RunResult r = Index(root, db, {"--full", "--shard-size", size});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find(std::to_string(kPapers) + " papers"),
              std::string::npos)
        << r.err;
    ExpectSameDocuments(db, one);
    EXPECT_TRUE(DocidsOf(db) == DocidsOf(one));
    EXPECT_FALSE(SpellingsOf(one).empty());
    EXPECT_TRUE(SpellingsOf(db) == SpellingsOf(one));
    EXPECT_EQ(GenerationEntries(db), std::vector<std::string>{"1"});
    for (const char* query : {"sparse attention", "cache", "memory latency",
                              "attentoin", "year:2021..2022 kernel", ""}) {
      RunResult a = Search(db, {"--json", "--limit", "30", query});
      RunResult b = Search(one, {"--json", "--limit", "30", query});
      EXPECT_EQ(a.exit_code, b.exit_code) << query;
      Json ja = Json::parse(a.out), jb = Json::parse(b.out);
      ASSERT_EQ(ja["results"].size(), jb["results"].size()) << query;
      for (size_t i = 0; i < ja["results"].size(); ++i) {
        EXPECT_EQ(ja["results"][i]["id"], jb["results"][i]["id"]) << query;
        EXPECT_NEAR(ja["results"][i]["score"].get<double>(),
                    jb["results"][i]["score"].get<double>(), 1e-9)
            << query;
      }
      EXPECT_EQ(ja["total"], jb["total"]) << query;
      EXPECT_EQ(ja["facets"], jb["facets"]) << query;
      EXPECT_EQ(ja["suggestion"], jb["suggestion"]) << query;
    }
  }
  // An update of a merged database equals a fresh build of the new files.
  const std::string db = (tmp.path() / "s7").string();
  Generate(root, kPapers, 5);  // every title and note changes
  fs::remove_all(root / "meta/2021/P1.prototxt");
  fs::remove_all(root / "notes/2021/P1");
  RunResult r = Index(root, db, {"--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string fresh = (tmp.path() / "fresh").string();
  ASSERT_EQ(Index(root, fresh, {"--quiet"}).exit_code, 0);
  EXPECT_EQ(DocCount(db), kPapers - 1);
  ExpectSameDocuments(db, fresh);
  EXPECT_TRUE(SpellingsOf(db) == SpellingsOf(fresh));
}

// The live generation's directory, from the stub file ("auto db.d/N").
fs::path LiveGeneration(const std::string& db) {
  std::string stub = ReadFile(db);
  stub = stub.substr(stub.find(' ') + 1);
  while (!stub.empty() && stub.back() == '\n') stub.pop_back();
  return fs::path(db).parent_path() / stub;
}

// Whether every table file of a database is a whole number of 8 KB blocks:
// always so for 8 KB blocks, and for these collections never so for 2 KB
// ones (a check of the files, independent of what paperindex records).
bool TablesInWhole8KBlocks(const std::string& db) {
  int tables = 0;
  for (const auto& e : fs::directory_iterator(LiveGeneration(db))) {
    if (e.path().extension() != ".glass") continue;
    ++tables;
    if (fs::file_size(e.path()) % 8192 != 0) return false;
  }
  return tables > 0;
}

std::string Metadata(const std::string& db, const char* key) {
  return Xapian::Database(db).get_metadata(key);
}

// A small collection's database has small blocks (fast to start searching);
// once the collection has grown well past small, an update rebuilds it with
// Xapian's default blocks by itself.
TEST(Reindex, BlockSizeFollowsCollectionSize) {
  TempDir tmp;
  const fs::path root = tmp.path() / "c";
  const std::string db = (tmp.path() / "db").string();
  Generate(root, 300, 0);
  ASSERT_EQ(Index(root, db, {"--quiet"}).exit_code, 0);
  EXPECT_EQ(Metadata(db, schema::kBlockSizeKey), "2048");
  EXPECT_FALSE(TablesInWhole8KBlocks(db));

  // 300 -> 3,000 papers: still within twice the limit, updated in place.
  Generate(root, 3000, 0);
  const std::string report_path = (tmp.path() / "report.json").string();
  RunResult r = Index(root, db, {"--report", report_path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(Json::parse(ReadFile(report_path))["full"].get<bool>());
  EXPECT_EQ(Metadata(db, schema::kBlockSizeKey), "2048");

  // 4,100 papers: rebuilt, and said so.
  Generate(root, 4100, 0);
  r = Index(root, db, {"--report", report_path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("the collection has grown to 4100 papers; rebuilding "
                       "the database with larger blocks"),
            std::string::npos)
      << r.err;
  Json report = Json::parse(ReadFile(report_path));
  EXPECT_TRUE(report["full"].get<bool>());
  EXPECT_EQ(report["papers"].get<int>(), 4100);
  EXPECT_EQ(Metadata(db, schema::kBlockSizeKey), "8192");
  EXPECT_TRUE(TablesInWhole8KBlocks(db));
  const std::string fresh = (tmp.path() / "fresh").string();
  ASSERT_EQ(Index(root, fresh, {"--quiet"}).exit_code, 0);
  ExpectSameDocuments(db, fresh);

  // And not again.
  r = Index(root, db, {"--report", report_path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(Json::parse(ReadFile(report_path))["full"].get<bool>());
  EXPECT_EQ(Json::parse(ReadFile(report_path))["unchanged"].get<int>(), 4100);
}

}  // namespace
}  // namespace papersearch::testing
