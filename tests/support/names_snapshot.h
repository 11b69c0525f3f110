// The fixture of the names tests (issue 27): each test runs on both real
// snapshots of ../shared/corpus (skipped when ../shared is absent), each
// indexed by the real paperindex once per test binary, against figures
// computed from the record files with regexes of the tests' own.
#ifndef PAPERSEARCH_TESTS_SUPPORT_NAMES_SNAPSHOT_H_
#define PAPERSEARCH_TESTS_SUPPORT_NAMES_SNAPSHOT_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/test_support.h"

namespace papersearch::testing {

// The records of a collection as these tests read them: authors split at
// commas and " and ", institutions and venue as written.
struct Record {
  std::vector<std::string> authors, institutions;
  std::string venue, abbr;
};

std::map<std::string, Record> ReadRecords(const std::filesystem::path& root);

// The parameter of NamesSnapshotTest: the snapshots (directories of
// ../shared/corpus), and the name of a test on one ('_' for '-'). Each test
// file instantiates the tests it defines with
//   INSTANTIATE_TEST_SUITE_P(Snapshots, NamesSnapshotTest,
//                            ::testing::ValuesIn(kNamesSnapshots),
//                            NamesSnapshotName);
inline constexpr const char* kNamesSnapshots[] = {"efficientpaper-2026-04-08",
                                                  "efficientpaper-2025-08-29"};
std::string NamesSnapshotName(
    const ::testing::TestParamInfo<const char*>& info);

// Each test runs on both snapshots (the parameter: a directory of
// ../shared/corpus), each indexed once for all the tests.
class NamesSnapshotTest : public ::testing::TestWithParam<const char*> {
 protected:
  struct Snapshot {
    std::filesystem::path root;
    TempDir dir;
    std::string db;
    bool indexed = false;
    std::map<std::string, Record> records;
  };

  static void TearDownTestSuite() {
    delete snapshots_;
    snapshots_ = nullptr;
  }
  void SetUp() override;

  static bool Newest() {
    return std::string_view(GetParam()) == "efficientpaper-2026-04-08";
  }

  // papersearch --format ids --limit all ARGS on the snapshot's database.
  static std::vector<std::string> Ids(std::vector<std::string> args,
                                      std::string* err = nullptr);

  // The ids of the records with a value `pick` says matches.
  template <typename Pick>
  static std::set<std::string> Where(Pick pick) {
    std::set<std::string> ids;
    for (const auto& [id, record] : *records_) {
      if (pick(record)) ids.insert(id);
    }
    return ids;
  }

  inline static std::map<std::string, Snapshot>* snapshots_ = nullptr;
  // The snapshot of the running test.
  inline static std::filesystem::path root_;
  inline static std::string db_;
  inline static std::map<std::string, Record>* records_ = nullptr;
};

}  // namespace papersearch::testing

#endif  // PAPERSEARCH_TESTS_SUPPORT_NAMES_SNAPSHOT_H_
