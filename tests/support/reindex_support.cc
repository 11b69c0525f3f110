// Helpers of the reindex tests; see reindex_support.h.
#include "tests/support/reindex_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "schema.h"

namespace papersearch::testing {

namespace fs = std::filesystem;

namespace {

// Every document's id, data and terms, for comparing two databases.
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

}  // namespace

RunResult Index(const fs::path& root, const std::string& db,
                std::vector<std::string> extra) {
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

std::vector<std::string> StringArray(const Json& v) {
  return v.get<std::vector<std::string>>();
}

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

std::map<std::string, Xapian::doccount> SpellingsOf(
    const std::string& db_path) {
  Xapian::Database db(db_path);
  std::map<std::string, Xapian::doccount> words;
  for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) {
    words[*it] = it.get_termfreq();
  }
  return words;
}

std::vector<std::string> GenerationEntries(const std::string& db) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(db + ".d"))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace papersearch::testing
