// Nightly reindexing: incremental updates against independently computed
// changes, kill -9 at random moments, searches while reindexing, and the
// small edits people make every day.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "schema.h"
#include "tests/support/test_support.h"

namespace papersearch {
namespace {

namespace fs = std::filesystem;
using testing::Lines;
using testing::PaperindexBin;
using testing::PapersearchBin;
using testing::ReadFile;
using testing::RunResult;
using testing::SharedDir;
using testing::SharedMissingMessage;
using testing::TempDir;
using testing::WriteFile;

RunResult Index(const fs::path& root, const std::string& db,
                std::vector<std::string> extra = {}) {
  std::vector<std::string> argv = {PaperindexBin(), "--root", root.string(),
                                   "--db", db};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return testing::Run(argv);
}

RunResult Search(const std::string& db, std::vector<std::string> args) {
  std::vector<std::string> argv = {PapersearchBin(), "--db", db};
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::Run(argv);
}

using Json = nlohmann::json;

std::vector<std::string> StringArray(const Json& v) {
  return v.get<std::vector<std::string>>();
}

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

// Every document's id, data and terms, for comparing two databases.
// (Defined below; ExpectSameDocuments names the first difference.)
std::map<std::string, std::string> DocumentsOf(const std::string& db_path) {
  Xapian::Database db(db_path);
  std::map<std::string, std::string> docs;
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    Xapian::Document doc = db.get_document(*it);
    std::string summary = doc.get_data() + "\n";
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
      summary += *t + ":" + std::to_string(t.get_wdf()) + " ";
    }
    docs[schema::IdOfDocument(doc)] = summary;
  }
  return docs;
}

// Asserts that two databases hold the same documents, naming the first one
// that differs and the first differing term or data.
void ExpectSameDocuments(const std::string& a_path, const std::string& b_path) {
  auto a = DocumentsOf(a_path), b = DocumentsOf(b_path);
  EXPECT_EQ(a.size(), b.size());
  for (const auto& [id, summary] : a) {
    auto other = b.find(id);
    if (other == b.end()) {
      ADD_FAILURE() << id << " only in " << a_path;
      return;
    }
    if (other->second != summary) {
      std::istringstream x(summary), y(other->second);
      std::string tx, ty;
      while (x >> tx && y >> ty && tx == ty) {
      }
      ADD_FAILURE() << id << " differs: '" << tx << "' in " << a_path << " vs '"
                    << ty << "' in " << b_path;
      return;
    }
  }
}

// The spelling data ("did you mean") as word -> frequency.
std::map<std::string, Xapian::doccount> SpellingsOf(
    const std::string& db_path) {
  Xapian::Database db(db_path);
  std::map<std::string, Xapian::doccount> words;
  for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) {
    words[*it] = it.get_termfreq();
  }
  return words;
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

// A generated collection big enough that a rebuild takes a while.
void Generate(const fs::path& root, int papers, int variant) {
  static const char* kWords[] = {"sparse",   "attention",  "quantization",
                                 "cache",    "eviction",   "pruning",
                                 "decoding", "kernel",     "memory",
                                 "latency",  "throughput", "mixture"};
  for (int i = 0; i < papers; ++i) {
    std::string title = "Paper " + std::to_string(i) + " on";
    for (int w = 0; w < 4; ++w)
      title += std::string(" ") + kWords[(i * 7 + w * 5 + variant) % 12];
    std::string record = "paper {\n  title: \"" + title +
                         "\"\n  institutions: \"Lab " + std::to_string(i % 17) +
                         "\"\n}\npub {\n  where: \"ICML\"\n  year: " +
                         std::to_string(2020 + i % 6) + "\n}\n";
    std::string id = std::to_string(2020 + i % 6) + "/P" + std::to_string(i);
    WriteFile(root / "meta" / (id + ".prototxt"), record);
    std::string note = "# Notes\n\n";
    for (int s = 0; s < 60; ++s) {
      note +=
          std::string(kWords[(i + s + variant) % 12]) + " common words here. ";
    }
    WriteFile(root / "notes" / id / "note.md", note);
  }
}

int DocCount(const std::string& db) {
  Xapian::Database opened(db);
  return static_cast<int>(opened.get_doccount());
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

// The directories in DB.d: the live generation, and nothing else once a run
// has finished (no shards, no debris).
std::vector<std::string> GenerationEntries(const std::string& db) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(db + ".d"))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
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

// --- Everyday edits ------------------------------------------------------

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
}  // namespace papersearch
