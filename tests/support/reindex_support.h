// Helpers of the reindex tests (tests/reindex_*_test.cc): the real paperindex
// and papersearch run on a collection and a database, generated collections,
// and two databases compared document for document.
#ifndef PAPERSEARCH_TESTS_SUPPORT_REINDEX_SUPPORT_H_
#define PAPERSEARCH_TESTS_SUPPORT_REINDEX_SUPPORT_H_

#include <xapian.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace papersearch::testing {

using Json = nlohmann::json;

// paperindex --root ROOT --db DB EXTRA...
RunResult Index(const std::filesystem::path& root, const std::string& db,
                std::vector<std::string> extra = {});

// papersearch --db DB ARGS...
RunResult Search(const std::string& db, std::vector<std::string> args);

std::vector<std::string> StringArray(const Json& v);

// A generated collection big enough that a rebuild takes a while: `papers`
// records with notes under `root`; another `variant` changes every title
// and note.
void Generate(const std::filesystem::path& root, int papers, int variant);

int DocCount(const std::string& db);

// Asserts that two databases hold the same documents (id, data and terms),
// naming the first one that differs and the first differing term or data.
void ExpectSameDocuments(const std::string& a_path, const std::string& b_path);

// The spelling data ("did you mean") as word -> frequency.
std::map<std::string, Xapian::doccount> SpellingsOf(const std::string& db_path);

// The directories in DB.d: the live generation, and nothing else once a run
// has finished (no shards, no debris).
std::vector<std::string> GenerationEntries(const std::string& db);

}  // namespace papersearch::testing

#endif  // PAPERSEARCH_TESTS_SUPPORT_REINDEX_SUPPORT_H_
