// The terms of the built-in synonym groups (schema::prefix::kSynonymGroup):
// paperindex counts at index time what the members' queries would match at
// search time, so a database's group terms are checked against Xapian's own
// phrase matching of the members, on the fixture collection, the bundled
// one and (when ../shared is present) a real snapshot. Then papersearch must
// find the same papers with the terms as with query-time expansion.
#include "indexer/synonym_terms.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "common/synonyms.h"
#include "indexer/document_builder.h"
#include "schema.h"
#include "searcher/snippets.h"
#include "tests/support/test_support.h"

namespace papersearch {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::RunResult;
using testing::TempDir;

TEST(SynonymTerms, EveryBuiltInMemberIsCounted) {
  SynonymTerms terms;
  EXPECT_TRUE(terms.unsupported().empty())
      << "a member whose query AddTo cannot count: "
      << terms.unsupported().front();
  EXPECT_GT(terms.term_count(), 100u);
}

TEST(SynonymTerms, BuiltInGroupsHaveDistinctShortTerms) {
  std::set<std::string> seen;
  size_t built_in = 0;
  for (const Synonyms::Group& group : BuiltInSynonyms().groups()) {
    ASSERT_TRUE(group.built_in);
    ++built_in;
    const std::string term = GroupTerm(group);
    EXPECT_TRUE(seen.insert(term).second)
        << "two groups start with the same member: " << term;
    EXPECT_LE(term.size(), 200u) << term;  // Xapian's limit is 245 bytes
  }
  EXPECT_GT(built_in, 40u);
}

// Snippets mark a member's words without parsing it (MemberWords); they
// must be the words of the query the member stands for.
TEST(SynonymTerms, MemberWordsAreTheWordsOfTheMemberQuery) {
  size_t members = 0;
  for (const Synonyms::Group& group : BuiltInSynonyms().groups()) {
    for (std::string_view member : group.members) {
      std::vector<std::string> direct = MemberWords(member);
      std::vector<std::string> parsed = QueryWords(MemberQuery(member));
      EXPECT_EQ(std::set<std::string>(direct.begin(), direct.end()),
                std::set<std::string>(parsed.begin(), parsed.end()))
          << member;
      ++members;
    }
  }
  EXPECT_GT(members, 120u);
  // And for members no built-in group has.
  for (const std::string member :
       {"Mamba", "flash-attention", "pd 分离", "kv_cache", "GPT4o", "多头"}) {
    std::vector<std::string> direct = MemberWords(member);
    std::vector<std::string> parsed = QueryWords(MemberQuery(member));
    EXPECT_EQ(std::set<std::string>(direct.begin(), direct.end()),
              std::set<std::string>(parsed.begin(), parsed.end()))
        << member;
  }
}

StoredPaper Paper(const std::string& title) {
  StoredPaper paper;
  paper.set_id("2025/Ex");
  paper.set_record_path("meta/2025/Ex.prototxt");
  paper.set_note_path("notes/2025/Ex/note.md");
  paper.mutable_info()->mutable_paper()->set_title(title);
  paper.mutable_info()->mutable_pub()->set_year(2025);
  return paper;
}

NoteText Note(const std::string& body) {
  NoteText note;
  note.body = body;
  note.plain = body;
  return note;
}

Xapian::termcount WdfOf(const Xapian::Document& doc, const std::string& term) {
  Xapian::TermIterator it = doc.termlist_begin();
  it.skip_to(term);
  return it != doc.termlist_end() && *it == term ? it.get_wdf() : 0;
}

// Each occurrence counts as much as a word of its field does.
TEST(SynonymTerms, WdfWeighsEachOccurrenceByItsField) {
  DocumentBuilder builder;
  Xapian::Document doc = builder.Build(
      Paper("Example KV Cache Eviction"),
      Note("The key-value cache grows; a kvcache and a Key-Value Cache. "
           "Not a cache of the kv pairs. 键值缓存也是。"));
  // Title once (its unprefixed copy, weighted kTitle), the note four times:
  // "key-value cache" twice, "kvcache" (a stemmed word), 键值缓存.
  EXPECT_EQ(WdfOf(doc, "XSkv cache"),
            schema::field::kTitle.wdf + 4 * schema::field::kNote.wdf);
  // "eviction" is in a group of its own words.
  EXPECT_EQ(WdfOf(doc, "XSeviction"), schema::field::kTitle.wdf);
  // Members that do not occur: no term.
  EXPECT_EQ(WdfOf(doc, "XSmoe"), 0u);
  EXPECT_EQ(WdfOf(doc, "XSquantization"), 0u);

  // "cache" and "kv" apart are not the phrase.
  Xapian::Document apart =
      builder.Build(Paper("Caches"), Note("a cache of the kv pairs"));
  EXPECT_EQ(WdfOf(apart, "XSkv cache"), 0u);
  // A builder carries nothing from one paper to the next.
  Xapian::Document again = builder.Build(Paper("Example KV Cache Eviction"),
                                         Note("nothing relevant"));
  EXPECT_EQ(WdfOf(again, "XSkv cache"), schema::field::kTitle.wdf);
}

// Builds `root` with the real paperindex into `dir`/db.
std::string BuildDatabase(const fs::path& root, const TempDir& dir) {
  const std::string db = (dir.path() / "db").string();
  RunResult indexed = testing::Run({testing::PaperindexBin(), "--root",
                                    root.string(), "--db", db, "--quiet"});
  EXPECT_EQ(indexed.exit_code, 0) << indexed.err;
  return db;
}

std::set<Xapian::docid> Matches(const Xapian::Database& db,
                                const Xapian::Query& query) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  std::set<Xapian::docid> docids;
  Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
  for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it)
    docids.insert(*it);
  return docids;
}

// For every built-in group: the papers holding its term are exactly the
// papers its members' queries match. Returns how many (group, paper) pairs
// there were, so that callers can tell the check was not vacuous.
size_t ExpectTermsMatchMemberQueries(const std::string& db_path) {
  Xapian::Database db(db_path);
  EXPECT_EQ(db.get_metadata(schema::kSynonymsKey), SynonymsFingerprint());
  std::map<std::string, std::vector<Xapian::Query>> members_of;
  for (const Synonyms::Group& group : BuiltInSynonyms().groups()) {
    for (std::string_view member : group.members)
      members_of[GroupTerm(group)].push_back(MemberQuery(member));
  }
  size_t pairs = 0;
  for (const auto& [term, members] : members_of) {
    std::set<Xapian::docid> indexed;
    for (Xapian::PostingIterator it = db.postlist_begin(term);
         it != db.postlist_end(term); ++it) {
      indexed.insert(*it);
      EXPECT_GT(it.get_wdf(), 0u) << term;
    }
    std::set<Xapian::docid> queried = Matches(
        db,
        Xapian::Query(Xapian::Query::OP_OR, members.begin(), members.end()));
    EXPECT_EQ(indexed, queried) << term;
    pairs += indexed.size();
  }
  return pairs;
}

TEST(SynonymTermsInDatabase, MatchWhatMemberQueriesMatchOnTheFixtures) {
  TempDir dir;
  const std::string db =
      BuildDatabase(testing::SourceDir() / "tests/fixtures/mini", dir);
  EXPECT_GT(ExpectTermsMatchMemberQueries(db), 10u);
}

TEST(SynonymTermsInDatabase,
     MatchWhatMemberQueriesMatchOnTheBundledCollection) {
  TempDir dir;
  const std::string db = BuildDatabase(testing::SourceDir(), dir);
  EXPECT_GT(ExpectTermsMatchMemberQueries(db), 100u);
}

TEST(SynonymTermsInDatabase, MatchWhatMemberQueriesMatchOnASnapshot) {
  if (!testing::SharedDir()) GTEST_SKIP() << testing::SharedMissingMessage();
  TempDir dir;
  const std::string db = BuildDatabase(
      *testing::SharedDir() / "corpus/efficientpaper-2026-04-08", dir);
  EXPECT_GT(ExpectTermsMatchMemberQueries(db), 1000u);
}

// papersearch reads a group's term only when the database's groups are its
// own; otherwise it expands the members at query time. Both must find the
// same papers.
TEST(SynonymTermsInDatabase, SearchFindsTheSamePapersAsQueryTimeExpansion) {
  TempDir dir;
  const std::string db = BuildDatabase(testing::SourceDir(), dir);
  const std::vector<std::string> queries = {"kv cache eviction",
                                            "llm",
                                            "sparse attention",
                                            "quantization",
                                            "speculative decoding",
                                            "大模型",
                                            "moe inference",
                                            "kv",
                                            "long context llm",
                                            "剪枝",
                                            "Quantization kv cache",
                                            "LLM",
                                            "KV-Cache",
                                            "sparse llm pruning"};
  auto search = [&](const std::string& query) {
    RunResult r = testing::Run({testing::PapersearchBin(), "--db", db, query,
                                "--json", "--limit", "100000", "--all-words"});
    EXPECT_NE(r.exit_code, 2) << r.err;
    return json::parse(r.out);
  };
  auto ids = [](const json& j) {
    std::set<std::string> out;
    for (const json& hit : j["results"]) out.insert(hit["id"]);
    return out;
  };
  std::map<std::string, json> with_terms;
  for (const std::string& q : queries) {
    with_terms[q] = search(q);
    EXPECT_NE(with_terms[q]["parsed_query"].get<std::string>().find("XS"),
              std::string::npos)
        << q << ": " << with_terms[q]["parsed_query"];
  }
  {
    Xapian::WritableDatabase writable(db + ".d/1", Xapian::DB_OPEN);
    writable.set_metadata(schema::kSynonymsKey, "from another build");
    writable.commit();
  }
  size_t found = 0;
  for (const std::string& q : queries) {
    json expanded = search(q);
    EXPECT_EQ(expanded["parsed_query"].get<std::string>().find("XS"),
              std::string::npos)
        << q << ": " << expanded["parsed_query"];
    EXPECT_EQ(ids(with_terms[q]), ids(expanded)) << q;
    EXPECT_EQ(with_terms[q]["total"], expanded["total"]) << q;
    found += ids(expanded).size();
  }
  EXPECT_GT(found, 50u);
}

// A member found through the group's term is marked in the snippet as if
// the query had named it.
TEST(SynonymTermsInDatabase, SnippetsMarkTheMembersTheTermStandsFor) {
  TempDir dir;
  const fs::path root = dir.path() / "collection";
  testing::WriteFile(root / "meta/2025/Pool.prototxt",
                     "paper {\n  title: \"Paged Memory Pools\"\n}\n"
                     "pub {\n  year: 2025\n}\n"
                     "note {\n  url: \"note.md\"\n}\n");
  testing::WriteFile(root / "notes/2025/Pool/note.md",
                     "# Pools\n\nThis design pages the KVCache across GPUs.\n");
  const std::string db = (dir.path() / "db").string();
  RunResult indexed = testing::Run({testing::PaperindexBin(), "--root",
                                    root.string(), "--db", db, "--quiet"});
  ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
  RunResult r = testing::Run(
      {testing::PapersearchBin(), "--db", db, "kv cache", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  ASSERT_EQ(j["results"].size(), 1u) << r.out;
  EXPECT_NE(j["parsed_query"].get<std::string>().find("XSkv cache"),
            std::string::npos);
  EXPECT_NE(j["results"][0]["snippet"].get<std::string>().find("**KVCache**"),
            std::string::npos)
      << j["results"][0]["snippet"];
}

// An update of a database built with other groups rebuilds it, so that its
// terms are this build's.
TEST(SynonymTermsInDatabase, ChangedGroupsRebuildTheDatabase) {
  TempDir dir;
  const fs::path root = testing::SourceDir() / "tests/fixtures/mini";
  const std::string db = BuildDatabase(root, dir);
  {
    Xapian::WritableDatabase writable(db + ".d/1", Xapian::DB_OPEN);
    writable.set_metadata(schema::kSynonymsKey, "from another build");
    writable.commit();
  }
  RunResult update = testing::Run(
      {testing::PaperindexBin(), "--root", root.string(), "--db", db});
  ASSERT_EQ(update.exit_code, 0) << update.err;
  EXPECT_NE(update.err.find("synonym groups (common/synonyms.txt) have "
                            "changed since the database was built; "
                            "rebuilding it"),
            std::string::npos)
      << update.err;
  // The rebuild is a new generation with this build's fingerprint.
  Xapian::Database rebuilt(db);
  EXPECT_EQ(rebuilt.get_metadata(schema::kSynonymsKey), SynonymsFingerprint());
  EXPECT_GT(ExpectTermsMatchMemberQueries(db), 10u);
  // And a second update has nothing to rebuild.
  RunResult again = testing::Run(
      {testing::PaperindexBin(), "--root", root.string(), "--db", db});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.err.find("rebuilding"), std::string::npos) << again.err;
}

}  // namespace
}  // namespace papersearch
