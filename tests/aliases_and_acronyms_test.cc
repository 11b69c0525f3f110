// Institutions and venues as people name them (issue 27): acronyms, the
// alias table (common/aliases.h) and a part of a name (common/names.h); then
// the real binaries on both snapshots: every alias and acronym finds its
// names' papers, the spellings of one institution count as one, and a bare
// name lists its papers first.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/aliases.h"
#include "common/names.h"
#include "tests/support/names_snapshot.h"
#include "tests/support/test_support.h"

namespace papersearch::testing {
namespace {

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

INSTANTIATE_TEST_SUITE_P(Snapshots, NamesSnapshotTest,
                         ::testing::ValuesIn(kNamesSnapshots),
                         NamesSnapshotName);

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

}  // namespace
}  // namespace papersearch::testing
