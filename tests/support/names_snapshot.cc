// The fixture of the names tests; see names_snapshot.h.
#include "tests/support/names_snapshot.h"

#include <algorithm>
#include <optional>
#include <regex>
#include <sstream>

namespace papersearch::testing {

namespace fs = std::filesystem;

std::map<std::string, Record> ReadRecords(const fs::path& root) {
  std::map<std::string, Record> records;
  const std::regex field(
      R"re(^\s*(authors|institutions|where|abbr):\s*"(.*)"\s*$)re");
  for (const auto& year : fs::directory_iterator(root / "meta")) {
    if (!year.is_directory()) continue;
    for (const auto& file : fs::directory_iterator(year.path())) {
      if (file.path().extension() != ".prototxt") continue;
      Record& record = records[year.path().filename().string() + "/" +
                               file.path().stem().string()];
      std::istringstream lines(ReadFile(file.path()));
      std::string line;
      while (std::getline(lines, line)) {
        std::smatch m;
        if (!std::regex_match(line, m, field)) continue;
        if (m[1] == "where") {
          record.venue = m[2];
        } else if (m[1] == "abbr") {
          record.abbr = m[2];
        } else if (m[1] == "institutions") {
          record.institutions.push_back(m[2]);
        } else {
          const std::string joined = std::regex_replace(
              std::string(m[2]), std::regex(",? and "), ", ");
          std::istringstream names(joined);
          std::string name;
          while (std::getline(names, name, ',')) {
            name = std::regex_replace(name, std::regex(R"(^\s+|\s+$)"), "");
            if (!name.empty()) record.authors.push_back(name);
          }
        }
      }
    }
  }
  return records;
}

std::string NamesSnapshotName(
    const ::testing::TestParamInfo<const char*>& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

void NamesSnapshotTest::SetUp() {
  std::optional<fs::path> shared = SharedDir();
  if (!shared) GTEST_SKIP() << SharedMissingMessage();
  if (snapshots_ == nullptr) snapshots_ = new std::map<std::string, Snapshot>;
  auto [it, added] = snapshots_->try_emplace(GetParam());
  Snapshot& snapshot = it->second;
  if (added) {
    snapshot.root = *shared / "corpus" / GetParam();
    snapshot.db = (snapshot.dir.path() / "db").string();
    // testing::Run: inside a fixture, Run is ::testing::Test::Run.
    RunResult indexed =
        testing::Run({PaperindexBin(), "--root", snapshot.root.string(), "--db",
                      snapshot.db, "--quiet"});
    snapshot.indexed = indexed.exit_code == 0;
    if (!snapshot.indexed) ADD_FAILURE() << indexed.err;
    snapshot.records = ReadRecords(snapshot.root);
  }
  ASSERT_TRUE(snapshot.indexed);
  root_ = snapshot.root;
  db_ = snapshot.db;
  records_ = &snapshot.records;
}

std::vector<std::string> NamesSnapshotTest::Ids(std::vector<std::string> args,
                                                std::string* err) {
  args.insert(args.begin(), {PapersearchBin(), "--db", db_, "--format", "ids",
                             "--limit", "all"});
  RunResult r = testing::Run(args);
  EXPECT_LE(r.exit_code, 1) << r.err;
  if (err) *err = r.err;
  std::vector<std::string> ids;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) ids.push_back(line);
  return ids;
}

}  // namespace papersearch::testing
