// Names as people type them (issue 27): authors split out of joined
// strings and matched without case, accents or middle initials; a bare name
// ranks its papers first; institutions and venues by acronym, alias or a
// part of the name. Unit tables for common/names.h, then the real binaries
// on the 2026-04-08 snapshot (skipped when ../shared is absent) against
// figures computed from the record files with regexes of this file's own.
#include "common/names.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "common/aliases.h"
#include "common/synonyms.h"
#include "tests/support/test_support.h"

namespace papersearch {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::RunResult;

TEST(Names, SplitsJoinedAuthorStrings) {
  EXPECT_EQ(SplitAuthorField("Ji Lin, Jiaming Tang, and Song Han"),
            (std::vector<std::string>{"Ji Lin", "Jiaming Tang", "Song Han"}));
  EXPECT_EQ(SplitAuthorField("Ada Park and Lin Zhao"),
            (std::vector<std::string>{"Ada Park", "Lin Zhao"}));
  EXPECT_EQ(SplitAuthorField("A. Smith & B. Jones; C. Wu"),
            (std::vector<std::string>{"A. Smith", "B. Jones", "C. Wu"}));
  EXPECT_EQ(SplitAuthorField("Song Han"), std::vector<std::string>{"Song Han"});
  EXPECT_EQ(SplitAuthorField(" , ,"), std::vector<std::string>{});
  // "Alexander" holds "and" but no " and ".
  EXPECT_EQ(SplitAuthorField("Alexander Anderson"),
            std::vector<std::string>{"Alexander Anderson"});
}

TEST(Names, FoldsCaseAccentsAndInitials) {
  EXPECT_EQ(FoldName("Bernhard Schölkopf"), "bernhard scholkopf");
  EXPECT_EQ(FoldName("DAN ALISTARH"), "dan alistarh");
  EXPECT_EQ(FoldName("Łukasz  Kaiser"), "lukasz kaiser");
  EXPECT_EQ(FoldName("Joseph E. Gonzalez"), "joseph e gonzalez");
  EXPECT_EQ(FoldName("Jean-Paul Dupré"), "jean paul dupre");
  EXPECT_EQ(FoldName("张三"), "张三");
  EXPECT_EQ(WithoutMiddleInitials("joseph e gonzalez"), "joseph gonzalez");
  EXPECT_EQ(WithoutMiddleInitials("michael w mahoney"), "michael mahoney");
  EXPECT_EQ(WithoutMiddleInitials("ji lin"), "ji lin");
  EXPECT_EQ(NameKeys("Joseph E. Gonzalez"),
            (std::vector<std::string>{"joseph e gonzalez", "joseph gonzalez"}));
}

TEST(Names, AcronymsAliasesAndParts) {
  EXPECT_EQ(Acronym("massachusetts institute of technology"), "mit");
  EXPECT_EQ(Acronym("carnegie mellon university"), "cmu");
  EXPECT_EQ(Acronym("the chinese university of hong kong"), "cuhk");
  EXPECT_EQ(Acronym("hong kong university of science and technology"), "hkust");
  EXPECT_EQ(Acronym("nvidia"), "");
  EXPECT_TRUE(ContainsWords("university of california, berkeley", "berkeley"));
  EXPECT_TRUE(ContainsWords("microsoft research asia", "microsoft research"));
  EXPECT_FALSE(ContainsWords("metamaterials lab", "meta"));
  EXPECT_FALSE(ContainsWords("research microsoft", "microsoft research"));
  EXPECT_TRUE(
      ContainsWords("the university of hong kong", "university of hong kong"));
  EXPECT_FALSE(ContainsWords("chinese university of hong kong",
                             "university of hong kong"));
  EXPECT_FALSE(
      ContainsWords("city university of hong kong", "university of hong kong"));
  EXPECT_EQ(BuiltInAliases().Targets("venue", "nips"),
            std::vector<std::string>{"NeurIPS"});
  EXPECT_EQ(BuiltInAliases().Targets("institution", "PKU"),
            std::vector<std::string>{"Peking University"});
  EXPECT_TRUE(BuiltInAliases().Targets("venue", "PKU").empty());
}

// The alias format: every built-in line parses; a user's malformed lines are
// named by file and line and the good ones still count; later lines add
// names to an alias rather than replacing them.
TEST(Names, AliasFileFormat) {
  Aliases parsed;
  EXPECT_EQ(
      parsed.Add(testing::ReadFile(testing::SourceDir() / "common/aliases.txt"),
                 "aliases.txt"),
      std::vector<std::string>{});
  Aliases aliases;
  const std::vector<std::string> messages = aliases.Add(
      "# comment\n\n"
      "institution: Tsing Hua U = Tsinghua University\n"
      "institution Tsinghua\n"
      "planet: Mars = Red Planet\n"
      "venue: = NeurIPS\n"
      "venue: NIPS =  ; \n"
      "institution: TSING HUA U = THU;  Tsinghua  \r\n",
      "mine.txt");
  EXPECT_EQ(
      messages,
      (std::vector<std::string>{
          "mine.txt:4: expected 'institution: ALIAS = NAME; NAME ...' "
          "or 'venue: ALIAS = NAME; ...'",
          "mine.txt:5: unknown kind 'planet'; an alias is for an "
          "'institution' or a 'venue'",
          "mine.txt:6: no alias before '='", "mine.txt:7: no name after '='"}));
  EXPECT_EQ(
      aliases.Targets("institution", "tsing hua u"),
      (std::vector<std::string>{"Tsinghua University", "THU", "Tsinghua"}));
  EXPECT_FALSE(aliases.Has("venue", "tsing hua u"));

  // Spellings of one institution: the table's lines, and "The".
  const Aliases& built_in = BuiltInAliases();
  auto key = [&](const char* name) {
    return built_in.SpellingKey("institution", name);
  };
  EXPECT_EQ(key("UC Berkeley"), key("University of California, Berkeley"));
  EXPECT_EQ(key("The University of Texas at Austin"),
            key("university of texas at austin"));
  EXPECT_EQ(key("ETH Zürich"), key("ETH Zurich"));
  EXPECT_NE(key("Google"), key("Google DeepMind"));
  EXPECT_NE(key("The Chinese University of Hong Kong"),
            key("The University of Hong Kong"));
  EXPECT_EQ(built_in.SpellingKey("venue", "NIPS"), "nips");
}

// The records of a collection as this test reads them: authors split at
// commas and " and ", institutions and venue as written.
struct Record {
  std::vector<std::string> authors, institutions;
  std::string venue, abbr;
};

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
      std::istringstream lines(testing::ReadFile(file.path()));
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

// Each test runs on both snapshots (the parameter: a directory of
// ../shared/corpus), each indexed once for all the tests.
class NamesSnapshotTest : public ::testing::TestWithParam<const char*> {
 protected:
  struct Snapshot {
    fs::path root;
    testing::TempDir dir;
    std::string db;
    bool indexed = false;
    std::map<std::string, Record> records;
  };

  static void TearDownTestSuite() {
    delete snapshots_;
    snapshots_ = nullptr;
  }
  void SetUp() override {
    std::optional<fs::path> shared = testing::SharedDir();
    if (!shared) GTEST_SKIP() << testing::SharedMissingMessage();
    if (snapshots_ == nullptr) snapshots_ = new std::map<std::string, Snapshot>;
    auto [it, added] = snapshots_->try_emplace(GetParam());
    Snapshot& snapshot = it->second;
    if (added) {
      snapshot.root = *shared / "corpus" / GetParam();
      snapshot.db = (snapshot.dir.path() / "db").string();
      RunResult indexed = testing::Run({testing::PaperindexBin(), "--root",
                                        snapshot.root.string(), "--db",
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

  static bool Newest() {
    return std::string_view(GetParam()) == "efficientpaper-2026-04-08";
  }

  static std::vector<std::string> Ids(std::vector<std::string> args,
                                      std::string* err = nullptr) {
    args.insert(args.begin(), {testing::PapersearchBin(), "--db", db_,
                               "--format", "ids", "--limit", "all"});
    RunResult r = testing::Run(args);
    EXPECT_LE(r.exit_code, 1) << r.err;
    if (err) *err = r.err;
    std::vector<std::string> ids;
    std::istringstream lines(r.out);
    std::string line;
    while (std::getline(lines, line)) ids.push_back(line);
    return ids;
  }

  // The ids of the records with a value `pick` says matches.
  template <typename Pick>
  static std::set<std::string> Where(Pick pick) {
    std::set<std::string> ids;
    for (const auto& [id, record] : *records_) {
      if (pick(record)) ids.insert(id);
    }
    return ids;
  }

  static std::map<std::string, Snapshot>* snapshots_;
  // The snapshot of the running test.
  static fs::path root_;
  static std::string db_;
  static std::map<std::string, Record>* records_;
};

std::map<std::string, NamesSnapshotTest::Snapshot>*
    NamesSnapshotTest::snapshots_ = nullptr;
fs::path NamesSnapshotTest::root_;
std::string NamesSnapshotTest::db_;
std::map<std::string, Record>* NamesSnapshotTest::records_ = nullptr;

INSTANTIATE_TEST_SUITE_P(Snapshots, NamesSnapshotTest,
                         ::testing::Values("efficientpaper-2026-04-08",
                                           "efficientpaper-2025-08-29"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// --author finds every paper of an author, including those whose record
// joins all its authors in one string (AWQ's did; Song Han's AWQ was
// missed). Checked for every author of a joined string, every author with
// several papers, and every 20th of the rest.
TEST_P(NamesSnapshotTest, EveryAuthorFindsAllTheirPapers) {
  std::map<std::string, std::set<std::string>> papers;  // as written
  std::set<std::string> joined;
  for (const auto& [id, record] : *records_) {
    for (const std::string& author : record.authors) papers[author].insert(id);
  }
  const std::regex comma(R"re(authors:\s*".*,)re");
  for (const auto& [id, record] : *records_) {
    const fs::path file = root_ / "meta" / (id + ".prototxt");
    if (std::regex_search(testing::ReadFile(file), comma)) {
      joined.insert(record.authors.begin(), record.authors.end());
    }
  }
  ASSERT_GT(joined.size(), 100u);
  size_t checked = 0, i = 0;
  for (const auto& [author, ids] : papers) {
    if (!joined.count(author) && ids.size() < 2 && i++ % 20 != 0) continue;
    std::vector<std::string> found = Ids({"--author", author});
    std::set<std::string> got(found.begin(), found.end());
    for (const std::string& id : ids) {
      EXPECT_TRUE(got.count(id)) << author << " misses " << id;
    }
    ++checked;
  }
  EXPECT_GT(checked, 300u);
}

TEST_P(NamesSnapshotTest, NamesMatchWithoutCaseAccentsOrInitials) {
  auto gonzalez = Where([](const Record& r) {
    return std::any_of(
        r.authors.begin(), r.authors.end(), [](const std::string& a) {
          return a == "Joseph E. Gonzalez" || a == "Joseph Gonzalez";
        });
  });
  ASSERT_GE(gonzalez.size(), 3u);
  for (const char* typed :
       {"Joseph Gonzalez", "joseph e. gonzalez", "JOSEPH E GONZALEZ"}) {
    std::vector<std::string> found = Ids({"--author", typed});
    EXPECT_EQ(std::set<std::string>(found.begin(), found.end()), gonzalez)
        << typed;
  }
  // Typed without its accent, a name still matches its papers in full, as
  // a bare query too: they are not "partial matches".
  auto re = Where([](const Record& r) {
    return std::find(r.authors.begin(), r.authors.end(), "Christopher Ré") !=
           r.authors.end();
  });
  ASSERT_FALSE(re.empty());
  std::string err;
  std::vector<std::string> found = Ids({"--author", "christopher re"});
  EXPECT_EQ(std::set<std::string>(found.begin(), found.end()), re);
  found = Ids({"Christopher Re"}, &err);
  ASSERT_GE(found.size(), re.size());
  EXPECT_EQ(std::set<std::string>(found.begin(), found.begin() + re.size()),
            re);
  EXPECT_EQ(err.find("no paper matches all the words"), std::string::npos)
      << err;
}

// A bare query that is an author's name lists that author's papers first:
// Song Han's 17, not the 90-author papers with a "Song" and a "Han".
TEST_P(NamesSnapshotTest, ABareNameRanksThatAuthorFirst) {
  auto hans = Where([](const Record& r) {
    return std::count(r.authors.begin(), r.authors.end(), "Song Han") > 0;
  });
  ASSERT_GE(hans.size(), 10u);
  std::vector<std::string> found = Ids({"Song Han"});
  ASSERT_GE(found.size(), hans.size());
  EXPECT_EQ(std::set<std::string>(found.begin(), found.begin() + hans.size()),
            hans);
}

// Institutions and venues as people name them: acronyms derived from the
// collection's names, the alias table, and a name finding the names that
// contain it.
TEST_P(NamesSnapshotTest, InstitutionsAndVenuesAsPeopleNameThem) {
  auto with_institution = [&](std::function<bool(const std::string&)> pick) {
    return Where([&](const Record& r) {
      return std::any_of(r.institutions.begin(), r.institutions.end(), pick);
    });
  };
  struct Case {
    std::string typed;
    std::function<bool(const std::string&)> means;
  };
  const std::vector<Case> cases = {
      {"MIT",
       [](const std::string& i) {
         // The list also misspells it once.
         return i == "Massachusetts Institute of Technology" ||
                i == "Massachusetts Institution of Technology" || i == "MIT";
       }},
      {"CMU",
       [](const std::string& i) {
         return i == "Carnegie Mellon University" || i == "CMU";
       }},
      {"CUHK",
       [](const std::string& i) {
         return i == "The Chinese University of Hong Kong" ||
                i == "Chinese University of Hong Kong";
       }},
      {"PKU", [](const std::string& i) { return i == "Peking University"; }},
      // Not the Chinese University or City University of Hong Kong.
      {"HKU",
       [](const std::string& i) {
         return i == "The University of Hong Kong" ||
                i == "University of Hong Kong";
       }},
      {"Google",
       [](const std::string& i) { return i.rfind("Google", 0) == 0; }},
      {"Microsoft",
       [](const std::string& i) { return i.rfind("Microsoft", 0) == 0; }},
      {"Berkeley",
       [](const std::string& i) {
         return i == "UC Berkeley" || i == "University of California, Berkeley";
       }},
  };
  for (const Case& c : cases) {
    const std::set<std::string> expected = with_institution(c.means);
    ASSERT_FALSE(expected.empty()) << c.typed;
    std::string err;
    std::vector<std::string> found = Ids({"--institution", c.typed}, &err);
    EXPECT_EQ(std::set<std::string>(found.begin(), found.end()), expected)
        << c.typed;
    // The query language reads `inst:` the same way.
    found = Ids({"inst:\"" + c.typed + "\""}, &err);
    EXPECT_EQ(std::set<std::string>(found.begin(), found.end()), expected)
        << "inst:" << c.typed;
  }
  const auto neurips =
      Where([](const Record& r) { return r.venue == "NeurIPS"; });
  std::string err;
  std::vector<std::string> nips = Ids({"--venue", "NIPS"}, &err);
  EXPECT_EQ(std::set<std::string>(nips.begin(), nips.end()), neurips);
  EXPECT_NE(err.find("--venue 'NIPS' also finds NeurIPS (alias)"),
            std::string::npos)
      << err;
  nips = Ids({"venue:nips"}, &err);
  EXPECT_EQ(std::set<std::string>(nips.begin(), nips.end()), neurips);
}

// Every shipped institution alias, and every acronym derived from a name in
// the collection, finds the papers of the names it stands for (issue 27).
// The names of an alias come from common/aliases.txt, read here with a
// regex; a paper's names from its record.
TEST_P(NamesSnapshotTest, EveryAliasAndAcronymFindsItsNames) {
  auto lower = [](std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(c));
    return text;
  };
  std::map<std::string, std::set<std::string>> papers_of;  // lower name
  for (const auto& [id, record] : *records_) {
    for (const std::string& name : record.institutions) {
      papers_of[lower(name)].insert(id);
    }
  }
  // alias -> the names it stands for, lower case.
  std::map<std::string, std::vector<std::string>> aliases;
  const std::regex line(R"(^institution:\s*(.+?)\s*=\s*(.+?)\s*$)");
  std::istringstream table(
      testing::ReadFile(testing::SourceDir() / "common/aliases.txt"));
  for (std::string text; std::getline(table, text);) {
    std::smatch m;
    if (!std::regex_match(text, m, line)) continue;
    std::istringstream names(m[2].str());
    for (std::string name; std::getline(names, name, ';');) {
      name = std::regex_replace(name, std::regex(R"(^\s+|\s+$)"), "");
      aliases[m[1].str()].push_back(lower(name));
    }
  }
  ASSERT_GT(aliases.size(), 20u);
  auto check = [&](const std::string& typed,
                   const std::vector<std::string>& names) {
    std::set<std::string> expected;
    for (const std::string& name : names) {
      auto it = papers_of.find(name);
      if (it != papers_of.end()) {
        expected.insert(it->second.begin(), it->second.end());
      }
    }
    if (expected.empty()) return false;  // none of its names is here
    const std::vector<std::string> found = Ids({"--institution", typed});
    const std::set<std::string> got(found.begin(), found.end());
    for (const std::string& id : expected) {
      EXPECT_TRUE(got.contains(id)) << typed << " misses " << id;
    }
    return true;
  };
  size_t checked = 0;
  for (const auto& [alias, names] : aliases) checked += check(alias, names);
  EXPECT_GT(checked, 15u);
  // Derived acronyms: every name of two words or more whose acronym is no
  // alias of the table (an alias wins: CUHK is not City University of Hong
  // Kong's).
  std::set<std::string> alias_keys;
  for (const auto& [alias, names] : aliases) alias_keys.insert(lower(alias));
  size_t acronyms = 0;
  for (const auto& [name, ids] : papers_of) {
    const std::string acronym = Acronym(FoldName(name));
    if (acronym.size() < 2 || acronym.size() > 8 ||
        alias_keys.contains(acronym) ||
        !std::all_of(acronym.begin(), acronym.end(),
                     [](char c) { return c >= 'a' && c <= 'z'; })) {
      continue;
    }
    acronyms += check(acronym, {name});
  }
  EXPECT_GT(acronyms, 100u);
}

// Facets and --group-by count the spellings of one institution as one
// name, as filters read them: "UC Berkeley" and "University of California,
// Berkeley"; "The University of Texas at Austin" and "University of Texas
// at Austin".
TEST_P(NamesSnapshotTest, SpellingsOfOneInstitutionCountAsOne) {
  struct Case {
    std::vector<std::string> spellings;
  };
  for (const Case& c :
       {Case{{"UC Berkeley", "University of California, Berkeley"}},
        Case{{"The University of Texas at Austin",
              "University of Texas at Austin"}}}) {
    const std::set<std::string> expected = Where([&](const Record& r) {
      return std::any_of(r.institutions.begin(), r.institutions.end(),
                         [&](const std::string& i) {
                           return std::find(c.spellings.begin(),
                                            c.spellings.end(),
                                            i) != c.spellings.end();
                         });
    });
    ASSERT_FALSE(expected.empty());
    // Every spelling filters to the same papers.
    for (const std::string& spelling : c.spellings) {
      const std::vector<std::string> found = Ids({"--institution", spelling});
      EXPECT_EQ(std::set<std::string>(found.begin(), found.end()), expected)
          << spelling;
    }
    // One facet entry, counting them all, among the facets of the papers
    // they filter.
    RunResult r = testing::Run({testing::PapersearchBin(), "--db", db_,
                                "--json", "--institution", c.spellings[0]});
    const nlohmann::json j = nlohmann::json::parse(r.out);
    size_t entries = 0;
    for (const auto& facet : j["facets"]["institution"]) {
      const std::string value = facet["value"];
      if (std::find(c.spellings.begin(), c.spellings.end(), value) !=
          c.spellings.end()) {
        ++entries;
        EXPECT_EQ(facet["count"], expected.size()) << value;
      }
    }
    EXPECT_EQ(entries, 1u) << j["facets"]["institution"].dump();
    // One group in --group-by institution.
    r = testing::Run({testing::PapersearchBin(), "--db", db_, "--institution",
                      c.spellings[0], "--group-by", "institution"});
    size_t groups = 0;
    for (const std::string& spelling : c.spellings) {
      if (r.out.find("<summary><b>" + spelling + "</b>") != std::string::npos) {
        ++groups;
      }
    }
    EXPECT_EQ(groups, 1u) << r.out.substr(0, 2000);
  }
}

// A bare query that is an institution's acronym, alias or own name, or a
// venue's alias, lists their papers first, before papers whose text merely
// has the word, and even when no paper's text has it (it is not "corrected"
// into another word); stderr says what it named.
TEST_P(NamesSnapshotTest, BareNamesListTheirPapersFirst) {
  struct Case {
    std::string typed;
    std::function<bool(const Record&)> means;
  };
  auto institution = [](std::function<bool(const std::string&)> pick) {
    return [pick](const Record& r) {
      return std::any_of(r.institutions.begin(), r.institutions.end(), pick);
    };
  };
  const std::vector<Case> cases = {
      {"NIPS", [](const Record& r) { return r.venue == "NeurIPS"; }},
      {"UIUC", institution([](const std::string& i) {
         return i == "University of Illinois Urbana-Champaign" ||
                i == "University of Illinois at Urbana-Champaign";
       })},
      {"HUST", institution([](const std::string& i) {
         return i == "Huazhong University of Science and Technology" ||
                i == "Harrisburg University of Science and Technology";
       })},
      {"PKU", institution([](const std::string& i) {
         return i == "Peking University";
       })},
      {"SJTU", institution([](const std::string& i) {
         return i == "Shanghai Jiao Tong University" || i == "SJTU";
       })},
      {"Google", institution([](const std::string& i) {
         return i.rfind("Google", 0) == 0;
       })},
  };
  for (const Case& c : cases) {
    const std::set<std::string> expected = Where(c.means);
    ASSERT_FALSE(expected.empty()) << c.typed;
    std::string err;
    const std::vector<std::string> found = Ids({c.typed}, &err);
    ASSERT_GE(found.size(), expected.size()) << c.typed << "\n" << err;
    EXPECT_EQ(
        std::set<std::string>(found.begin(), found.begin() + expected.size()),
        expected)
        << c.typed << "\n"
        << err;
    EXPECT_EQ(err.find("showing results for"), std::string::npos) << err;
  }
  std::string err;
  Ids({"NIPS"}, &err);
  EXPECT_NE(err.find("'NIPS' also finds the papers of NeurIPS (alias)"),
            std::string::npos)
      << err;
}

// A paper's title typed from memory, misspelt or with its abbreviation in
// pieces, still finds the paper in the top three; the title's own phrase
// counts (--explain says so), and a correction respells only the words the
// index lacks.
TEST_P(NamesSnapshotTest, TitlesTypedFromMemory) {
  struct Case {
    std::string typed, id;
    size_t within;
  };
  for (const Case& c : {
           Case{"structral pruning of large language models", "2023/LLM-Pruner",
                3},
           Case{"dense and sparse quantizaton", "2024/SqueezeLLM", 3},
           Case{"efficient streaming language models with attention sincs",
                "2024/streaming-llm", 3},
           Case{"snap kv", "2024/SnapKV", 1},
           Case{"squeeze llm", "2024/SqueezeLLM", 1},
       }) {
    std::string err;
    const std::vector<std::string> found = Ids({c.typed}, &err);
    const auto at = std::find(found.begin(), found.end(), c.id);
    EXPECT_TRUE(at != found.end() &&
                static_cast<size_t>(at - found.begin()) < c.within)
        << c.typed << " -> " << (found.empty() ? "nothing" : found[0]) << "\n"
        << err;
  }
  RunResult explained = testing::Run(
      {testing::PapersearchBin(), "--db", db_, "--explain", "--color", "never",
       "-n", "1", "structural pruning of large language models"});
  EXPECT_NE(explained.out.find(
                "title (phrase):structural pruning of large language models"),
            std::string::npos)
      << explained.out;
  // "model" is a word of the index; Xapian's corrector would make it
  // "models".
  std::string err;
  Ids({"efficent kv cache model"}, &err);
  EXPECT_NE(err.find("showing results for 'efficient kv cache model'"),
            std::string::npos)
      << err;
}

// A word that some note misspells too ("atention") is still a typo when no
// paper has the query's words; a short word is not respelt two letters away
// into another word.
TEST_P(NamesSnapshotTest, TyposThatSomeNoteShares) {
  // Counted from the notes, independently: a note has the typo. ("tidal"
  // is only ever part of "TidalDecode".)
  bool atention = false;
  for (const auto& entry : fs::recursive_directory_iterator(root_ / "notes")) {
    if (entry.is_regular_file() && entry.path().extension() == ".md" &&
        testing::ReadFile(entry.path()).find("atention") != std::string::npos) {
      atention = true;
      break;
    }
  }
  ASSERT_TRUE(atention);
  std::string err;
  std::vector<std::string> found = Ids({"flash atention"}, &err);
  EXPECT_NE(err.find("showing results for 'flash attention'"),
            std::string::npos)
      << err;
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0], "2022/flashattention");
  found = Ids({"tidal"}, &err);
  EXPECT_TRUE(found.empty()) << found[0];
  EXPECT_EQ(err.find("showing results for"), std::string::npos) << err;
}

// Every member of a synonym group gives the same results: the same papers,
// in the same order (issue 27). The one exception is a member that is also
// a paper's abbreviation (`flashattention`), which puts that paper first.
TEST_P(NamesSnapshotTest, SynonymMembersAnswerAlike) {
  std::set<std::string> abbreviations;
  for (const auto& [id, record] : *records_) {
    abbreviations.insert(Synonyms::Normalize(record.abbr));
  }
  size_t groups = 0;
  for (const Synonyms::Group& group : BuiltInSynonyms().groups()) {
    std::vector<std::string> first;
    std::string first_member;
    for (std::string_view member_view : group.members) {
      const std::string member(member_view);
      std::vector<std::string> ids = Ids({member});
      if (first_member.empty()) {
        first = ids;
        first_member = member;
        continue;
      }
      EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()),
                std::set<std::string>(first.begin(), first.end()))
          << member << " | " << first_member;
      if (!abbreviations.contains(Synonyms::Normalize(member)) &&
          !abbreviations.contains(Synonyms::Normalize(first_member))) {
        EXPECT_EQ(ids, first) << member << " | " << first_member;
      }
    }
    ++groups;
  }
  EXPECT_GT(groups, 40u);
}

}  // namespace
}  // namespace papersearch
