// `--format bibtex` (issue 24, searcher/bibtex_printer.h): escaping and
// citation keys on crafted results, then the real papersearch over the
// bundled collection (and both snapshots of ../shared when present), its
// output read by a real BibTeX parser (pybtex, in strict mode) and compared
// with the --json output of the same query.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "searcher/bibtex_printer.h"
#include "searcher/options.h"
#include "tests/support/test_support.h"

namespace papersearch {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::RunResult;

// ---------------------------------------------------------------------------
// The BibTeX parser: pybtex (Debian's python3-pybtex, deploy/install-deps),
// which reads braces and @-commands as BibTeX does and, in strict mode,
// fails on any syntax error and on a repeated key (keys compared without
// case, as BibTeX does).

constexpr char kPython[] = "/usr/bin/python3";

// Reads BibTeX on stdin; prints a JSON array with one object per entry in
// file order: key, type, fields (as parsed, braces inside kept), plain (the
// fields with the printer's escapes undone), title (without its extra
// braces, the escapes undone), authors (the number of names pybtex reads).
// Exits 1 on any parse error.
constexpr char kParseScript[] = R"PY(
import json, re, sys
import pybtex.errors
from pybtex.database.input import bibtex
pybtex.errors.set_strict_mode(True)
data = bibtex.Parser().parse_string(sys.stdin.read())
words = {'textbackslash': '\\', 'textbraceleft': '{', 'textbraceright': '}',
         'textasciitilde': '~', 'textasciicircum': '^'}
escape = re.compile(r'\\([a-z]+)\{\}|\\([%&$#_])')
def plain(text):
    return escape.sub(lambda m: words[m.group(1)] if m.group(1) else m.group(2),
                      text)
entries = []
for key, entry in data.entries.items():
    title = entry.fields.get('title', '')
    wrapped = title.startswith('{') and title.endswith('}')
    entries.append({
        'key': key,
        'type': entry.type.lower(),
        'fields': {name.lower(): value for name, value in entry.fields.items()},
        'plain': {name.lower(): plain(value)
                  for name, value in entry.fields.items()},
        'title': plain(title[1:-1]) if wrapped else None,
        'authors': len(entry.persons.get('author', [])),
    })
print(json.dumps(entries))
)PY";

// Whether pybtex can be imported; the message for GTEST_SKIP() otherwise.
std::optional<std::string> PybtexMissing() {
  RunResult r = testing::Run({kPython, "-c", "import pybtex.database"});
  if (r.exit_code == 0) return std::nullopt;
  // The last line of a traceback ("ModuleNotFoundError: ...").
  std::string said = r.err;
  while (!said.empty() && said.back() == '\n') said.pop_back();
  said = said.substr(said.rfind('\n') + 1);
  return "pybtex (the BibTeX parser these tests check the output with) is "
         "not installed: apt-get install python3-pybtex (deploy/install-deps "
         "installs it); " +
         std::string(kPython) + " said: " + said;
}

// The entries pybtex reads in `bibtex`; fails the test when it rejects it.
json ParseWithPybtex(const std::string& bibtex) {
  testing::RunOptions options;
  options.stdin_data = bibtex;
  RunResult r = testing::Run({kPython, "-c", kParseScript}, options);
  EXPECT_EQ(r.exit_code, 0) << "pybtex rejected the output:\n" << r.err;
  json parsed = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_TRUE(parsed.is_array()) << r.out;
  return parsed.is_array() ? parsed : json::array();
}

// Whether every brace of `text` closes one opened before it, and all
// close: what BibTeX needs of a braced field (it counts `\{` too).
bool BracesBalance(std::string_view text) {
  int depth = 0;
  for (char c : text) {
    if (c == '{') ++depth;
    if (c == '}' && --depth < 0) return false;
  }
  return depth == 0;
}

bool IsKey(const std::string& key) {
  return std::regex_match(key, std::regex("[A-Za-z0-9:_-]+"));
}

// ---------------------------------------------------------------------------
// Crafted results.

// Every member has an initialiser, so that designated initialisers may
// leave any out (-Wmissing-field-initializers).
struct PaperSpec {
  std::string title = "";
  std::string abbr = "";
  std::vector<std::string> authors = {};
  std::optional<int> year = 2024;
  std::string venue = "";  // the record's; "" for none (arXiv)
  std::string url = "";
  std::vector<std::string> keywords = {};
};

Hit MakeHit(const PaperSpec& spec) {
  static unsigned rank = 0;
  Hit hit;
  hit.rank = ++rank;
  hit.paper.set_id("2024/P" + std::to_string(rank));
  auto* info = hit.paper.mutable_info();
  info->mutable_paper()->set_title(spec.title);
  if (!spec.abbr.empty()) info->mutable_paper()->set_abbr(spec.abbr);
  for (const std::string& author : spec.authors) {
    info->mutable_paper()->add_authors(author);
  }
  if (!spec.url.empty()) info->mutable_paper()->set_url(spec.url);
  if (spec.year) info->mutable_pub()->set_year(*spec.year);
  if (!spec.venue.empty()) info->mutable_pub()->set_where(spec.venue);
  hit.keywords = spec.keywords;
  return hit;
}

SearchResults Results(const std::vector<PaperSpec>& specs) {
  SearchResults results;
  for (const PaperSpec& spec : specs) results.hits.push_back(MakeHit(spec));
  results.total = results.total_all_words = results.hits.size();
  return results;
}

TEST(BibtexEscape, EachSpecialCharacter) {
  EXPECT_EQ(EscapeBibtex("a{b}c\\d%e&f$g#h_i~j^k"),
            "a\\textbraceleft{}b\\textbraceright{}c\\textbackslash{}d\\%e\\&f"
            "\\$g\\#h\\_i\\textasciitilde{}j\\textasciicircum{}k");
  EXPECT_EQ(EscapeBibtex("no specials: \"quoted\" @ 100"),
            "no specials: \"quoted\" @ 100");
}

TEST(BibtexEscape, UnbalancedBracesBecomeBalancedCommands) {
  for (const char* text : {"{", "}", "}{", "a {b", "a} b}", "\\{", "{{{"}) {
    std::string escaped = EscapeBibtex(text);
    EXPECT_TRUE(BracesBalance(escaped)) << text << " -> " << escaped;
  }
}

TEST(BibtexEscape, KeepsUtf8AndCleansTheRest) {
  EXPECT_EQ(EscapeBibtex("Týr-the-Pruner: 50% für 大模型"),
            "Týr-the-Pruner: 50\\% für 大模型");
  // Invalid UTF-8 becomes U+FFFD; control characters become spaces; the
  // ends are trimmed.
  EXPECT_EQ(EscapeBibtex("  bad \xff byte\tand\nlines \x01 "),
            "bad \xef\xbf\xbd byte and lines");
}

TEST(BibtexPrinter, NoHitsNoOutput) {
  EXPECT_EQ(FormatBibtex(SearchResults{}), "");
}

TEST(BibtexPrinter, PublishedPaperIsInproceedings) {
  std::string out = FormatBibtex(
      Results({{.title = "AWQ: Activation-aware Weight Quantization for LLM "
                         "Compression and Acceleration",
                .abbr = "AWQ",
                .authors = {"Ji Lin, Jiaming Tang, and Song Han"},
                .venue = "MLSys",
                .url = "https://arxiv.org/abs/2306.00978",
                .keywords = {"quantization", "kv_cache"}}}));
  EXPECT_EQ(out,
            "@inproceedings{lin2024awq,\n"
            "  title = {{AWQ: Activation-aware Weight Quantization for LLM "
            "Compression and Acceleration}},\n"
            "  author = {Ji Lin and Jiaming Tang and Song Han},\n"
            "  booktitle = {MLSys},\n"
            "  year = {2024},\n"
            "  url = {https://arxiv.org/abs/2306.00978},\n"
            "  keywords = {quantization, kv\\_cache}\n"
            "}\n");
}

TEST(BibtexPrinter, PreprintIsMiscWithEprint) {
  std::string out =
      FormatBibtex(Results({{.title = "H$_2$O: Heavy-Hitter Oracle",
                             .abbr = "H$_2$O",
                             .year = 2023,
                             .url = "https://arxiv.org/abs/2306.14048v2"}}));
  EXPECT_EQ(out,
            "@misc{h2o2023,\n"
            "  title = {{H\\$\\_2\\$O: Heavy-Hitter Oracle}},\n"
            "  year = {2023},\n"
            "  howpublished = {\\url{https://arxiv.org/abs/2306.14048v2}},\n"
            "  eprint = {2306.14048v2},\n"
            "  archivePrefix = {arXiv},\n"
            "  url = {https://arxiv.org/abs/2306.14048v2}\n"
            "}\n");
  // A record that names arXiv as its venue is a preprint too; the PDF link
  // gives the same eprint.
  out = FormatBibtex(Results({{.title = "Old Style",
                               .venue = "arXiv",
                               .url = "http://arxiv.org/pdf/cs/0112017.pdf"}}));
  EXPECT_NE(out.find("@misc{old2024,"), std::string::npos) << out;
  EXPECT_NE(out.find("eprint = {cs/0112017}"), std::string::npos) << out;
}

TEST(BibtexPrinter, RepositoryAndBlogAreMiscWithANote) {
  std::string out = FormatBibtex(Results(
      {{.title = "A Tool", .venue = "github", .url = "https://github.com/x/y"},
       {.title = "A Post", .year = std::nullopt, .venue = "Blog"},
       {.title = "Not arXiv",
        .venue = "ICLR",
        .url = "https://notarxiv.org/abs/2306.00978"}}));
  EXPECT_NE(out.find("@misc{tool2024,\n  title = {{A Tool}},\n  year = "
                     "{2024},\n  howpublished = {\\url{https://github.com/x/"
                     "y}},\n  url = {https://github.com/x/y},\n  note = "
                     "{github}\n}\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("@misc{post,\n  title = {{A Post}},\n  note = {Blog}\n}"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("@inproceedings{not2024,"), std::string::npos) << out;
  EXPECT_EQ(out.find("eprint"), std::string::npos) << out;
}

// Every special character, an unbalanced brace, non-ASCII text and invalid
// bytes in the title and elsewhere.
const std::vector<PaperSpec>& HostileSpecs() {
  static const auto* specs = new std::vector<PaperSpec>{
      {.title = "Braces {KV} and } unbalanced { 100% & $x_1$ #1 ~ ^ \\cite "
                "Týr 大模型 \xff",
       .abbr = "{Hostile}",
       .authors = {"Bernhard Schölkopf", "Ada {Lovelace}, and Grace Hopper"},
       .venue = "ICML & Friends {2024}",
       .url = "https://example.org/a b/{c}\\d%20#frag",
       .keywords = {"kv_cache", "extra{label"}},
      {.title = "}", .authors = {"Anderson AND Co"}},
      {.title = "{", .venue = "arXiv"},
      {.title = "\\", .venue = "github"},
  };
  return *specs;
}

TEST(BibtexPrinter, HostileTextKeepsEveryFieldBalanced) {
  std::string out = FormatBibtex(Results(HostileSpecs()));
  EXPECT_TRUE(BracesBalance(out)) << out;
  EXPECT_NE(out.find("  title = {{Braces \\textbraceleft{}KV\\textbraceright{}"
                     " and \\textbraceright{} unbalanced \\textbraceleft{} "
                     "100\\% \\& \\$x\\_1\\$ \\#1 \\textasciitilde{} "
                     "\\textasciicircum{} \\textbackslash{}cite Týr 大模型 "
                     "\xef\xbf\xbd}},\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("  author = {Bernhard Schölkopf and Ada "
                     "\\textbraceleft{}Lovelace\\textbraceright{} and Grace "
                     "Hopper},\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("  booktitle = {ICML \\& Friends "
                     "\\textbraceleft{}2024\\textbraceright{}},\n"),
            std::string::npos)
      << out;
  // A URL's braces, backslash and space are percent-encoded.
  EXPECT_NE(out.find("  url = {https://example.org/a%20b/%7Bc%7D%5Cd%20#frag}"),
            std::string::npos)
      << out;
  // A name with the word "and" in it (any case: BibTeX's) is one name.
  EXPECT_NE(out.find("  author = {{Anderson AND Co}},\n"), std::string::npos)
      << out;
}

TEST(BibtexPrinter, HostileTextParses) {
  if (auto missing = PybtexMissing()) GTEST_SKIP() << *missing;
  SearchResults results = Results(HostileSpecs());
  json entries = ParseWithPybtex(FormatBibtex(results));
  ASSERT_EQ(entries.size(), results.hits.size());
  EXPECT_EQ(entries[0]["type"], "inproceedings");
  EXPECT_EQ(entries[0]["title"],
            "Braces {KV} and } unbalanced { 100% & $x_1$ #1 ~ ^ \\cite Týr "
            "大模型 \xef\xbf\xbd");
  EXPECT_EQ(entries[0]["authors"], 3);
  EXPECT_EQ(entries[1]["title"], "}");
  EXPECT_EQ(entries[1]["authors"], 1);
  EXPECT_EQ(entries[2]["title"], "{");
  EXPECT_EQ(entries[3]["title"], "\\");
}

TEST(BibtexKeys, SurnameYearAndWord) {
  std::vector<std::string> keys = CitationKeys(
      Results({{.title = "Kernel Methods", .authors = {"Bernhard Schölkopf"}},
               {.title = "Towards Efficient Inference", .year = 2023},
               {.title = "The", .abbr = "LLM in a flash", .year = 2023},
               {.title = "", .year = std::nullopt},
               {.title = "On the Road", .authors = {"李 明"}}})
          .hits);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"scholkopf2024kernel", "efficient2023",
                                      "llminaflash2023", "paper", "road2024"}));
}

TEST(BibtexKeys, CollisionsGetSuffixesAndStayUnique) {
  std::vector<std::string> keys = CitationKeys(
      Results({{.title = "AWQ one", .abbr = "AWQ", .authors = {"Ji Lin"}},
               {.title = "AWQ two", .abbr = "awq", .authors = {"Ji LIN"}},
               // Its base key is the first suffixed key of the two above.
               {.title = "x", .abbr = "AWQa", .authors = {"Ji Lin"}},
               {.title = "AWQ three", .abbr = "AWQ", .authors = {"J. Lin"}},
               {.title = "Other", .authors = {"Song Han"}}})
          .hits);
  EXPECT_EQ(keys, (std::vector<std::string>{"lin2024awqb", "lin2024awqc",
                                            "lin2024awqa", "lin2024awqd",
                                            "han2024other"}));
  // Many collisions run past z.
  std::vector<PaperSpec> same(30, {.title = "Same"});
  keys = CitationKeys(Results(same).hits);
  std::set<std::string> folded;
  for (const std::string& key : keys) {
    EXPECT_TRUE(IsKey(key)) << key;
    std::string lower = key;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    folded.insert(lower);
  }
  EXPECT_EQ(folded.size(), same.size());
  EXPECT_EQ(keys[0], "same2024a");
  EXPECT_EQ(keys[26], "same2024aa");
}

TEST(BibtexKeys, HostileKeysAreUniqueAndPlain) {
  std::vector<PaperSpec> specs = HostileSpecs();
  specs.insert(specs.end(), HostileSpecs().begin(), HostileSpecs().end());
  std::vector<std::string> keys = CitationKeys(Results(specs).hits);
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(),
            specs.size());
  for (const std::string& key : keys) EXPECT_TRUE(IsKey(key)) << key;
}

TEST(BibtexOptions, FormatBibtexIsAccepted) {
  Options options;
  options.format = "bibtex";
  Result<SearchConfig> config = ValidateOptions(options);
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->format, OutputFormat::kBibtex);
  options.json = true;
  EXPECT_FALSE(ValidateOptions(options).ok());
  options.format = "BibTeX";
  options.json = false;
  Result<SearchConfig> wrong = ValidateOptions(options);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("ids or bibtex"), std::string::npos);
}

// ---------------------------------------------------------------------------
// The real binaries: every paper of a collection, as BibTeX and as JSON.

// The names in a JSON authors array, split as the test reads a joined
// string: at commas, semicolons, " and " and " & ".
size_t CountNames(const json& authors) {
  size_t n = 0;
  static const std::regex kSeparator(R"(\s*(,|;|\band\b|&)\s*)");
  for (const json& field : authors) {
    std::string text = field.get<std::string>();
    for (std::sregex_token_iterator
             it(text.begin(), text.end(), kSeparator, -1),
         end;
         it != end; ++it) {
      if (std::regex_search(it->str(), std::regex(R"(\S)"))) ++n;
    }
  }
  return n;
}

// Venues (in lower case) that the test expects as @misc.
bool ExpectMisc(const json& hit) {
  std::string venue = hit["venue"].get<std::string>();
  std::transform(venue.begin(), venue.end(), venue.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return venue.rfind("arxiv", 0) == 0 || venue == "github" || venue == "blog";
}

// The collections: the bundled one, and both snapshots of ../shared.
class BibtexCollectionTest : public ::testing::TestWithParam<const char*> {
 protected:
  std::optional<fs::path> Root() {
    std::string_view name = GetParam();
    if (name == "bundled") return testing::SourceDir();
    if (auto shared = testing::SharedDir()) {
      return *shared / "corpus" / std::string(name);
    }
    return std::nullopt;
  }
};

TEST_P(BibtexCollectionTest, EveryPaperParsesAndMatchesJson) {
  if (auto missing = PybtexMissing()) GTEST_SKIP() << *missing;
  std::optional<fs::path> root = Root();
  if (!root) GTEST_SKIP() << testing::SharedMissingMessage();
  testing::TempDir dir;
  const std::string db = (dir.path() / "db").string();
  RunResult indexed = testing::Run({testing::PaperindexBin(), "--root",
                                    root->string(), "--db", db, "--quiet"});
  ASSERT_EQ(indexed.exit_code, 0) << indexed.err;

  // No query words: every paper, in the same order in both formats.
  testing::RunOptions options;
  options.unset_env.push_back("PAPERSEARCH_DB");
  RunResult as_json = testing::Run(
      {testing::PapersearchBin(), "--db", db, "--limit", "all", "--json"},
      options);
  ASSERT_EQ(as_json.exit_code, 0) << as_json.err;
  json expected = json::parse(as_json.out);
  const json& hits = expected["results"];
  ASSERT_EQ(hits.size(), expected["total"].get<size_t>());
  ASSERT_GT(hits.size(), 100u);

  RunResult as_bibtex = testing::Run({testing::PapersearchBin(), "--db", db,
                                      "--limit", "all", "--format", "bibtex"},
                                     options);
  ASSERT_EQ(as_bibtex.exit_code, 0) << as_bibtex.err;
  EXPECT_EQ(as_bibtex.err, "");
  json entries = ParseWithPybtex(as_bibtex.out);
  ASSERT_EQ(entries.size(), hits.size());

  std::set<std::string> keys, titles, expected_titles;
  for (size_t i = 0; i < hits.size(); ++i) {
    const json& hit = hits[i];
    const json& entry = entries[i];
    const json& fields = entry["fields"];
    SCOPED_TRACE(hit["id"].get<std::string>() + " as " + entry.dump());
    std::string key = entry["key"];
    EXPECT_TRUE(IsKey(key));
    std::string lower = key;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    keys.insert(lower);
    // Titles as the record has them, white space at the ends aside.
    std::string title = hit["title"];
    title.erase(0, title.find_first_not_of(" \t\r\n"));
    title.erase(title.find_last_not_of(" \t\r\n") + 1);
    expected_titles.insert(title);
    ASSERT_TRUE(entry["title"].is_string());
    EXPECT_EQ(entry["title"], title);
    titles.insert(entry["title"].get<std::string>());
    if (hit["year"].is_null()) {
      EXPECT_FALSE(fields.contains("year"));
    } else {
      std::string year = std::to_string(hit["year"].get<int>());
      EXPECT_EQ(fields["year"], year);
      EXPECT_NE(key.find(year), std::string::npos);
    }
    if (hit["url"].is_string() && hit["url"].get<std::string>().find_first_of(
                                      "{}\\ ") == std::string::npos) {
      EXPECT_EQ(fields["url"], hit["url"]);
    }
    EXPECT_EQ(entry["authors"], CountNames(hit["authors"]));
    if (ExpectMisc(hit)) {
      EXPECT_EQ(entry["type"], "misc");
      EXPECT_FALSE(fields.contains("booktitle"));
      std::smatch arxiv;
      std::string url = hit["url"].is_string() ? hit["url"] : "";
      if (std::regex_search(
              url, arxiv,
              std::regex(
                  R"(^https?://(www\.)?arxiv\.org/abs/([0-9]{4}\.[0-9]{4,5}(v[0-9]+)?)/?$)"))) {
        EXPECT_EQ(fields["eprint"], arxiv[2].str());
        EXPECT_EQ(fields["archiveprefix"], "arXiv");
      }
    } else {
      EXPECT_EQ(entry["type"], "inproceedings");
      EXPECT_EQ(entry["plain"]["booktitle"], hit["venue"]);
      EXPECT_FALSE(fields.contains("eprint"));
    }
  }
  EXPECT_EQ(keys.size(), hits.size());
  EXPECT_EQ(titles, expected_titles);
}

INSTANTIATE_TEST_SUITE_P(Collections, BibtexCollectionTest,
                         ::testing::Values("bundled",
                                           "efficientpaper-2026-04-08",
                                           "efficientpaper-2025-08-29"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace papersearch
