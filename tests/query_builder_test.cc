// Unit tests of the query language's rewriting (searcher/query_builder.h):
// how `keyword:` values are taken out of the text before Xapian's parser
// sees it, that no query text, however it combines the parser's syntax,
// crashes the parser, which wildcards are cut short, and which rare words
// are typos.
#include "searcher/query_builder.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "common/synonyms.h"
#include "schema.h"
#include "tests/support/test_support.h"

namespace papersearch {
namespace {

constexpr char kField[] = "F";

struct MarkCase {
  std::string text;
  std::string marked;
  std::vector<std::string> values;
};

TEST(MarkKeywordValuesTest, Table) {
  const std::vector<MarkCase> cases = {
      {"keyword:kv_cache", "F:0", {"kv_cache"}},
      {"kv keyword:kv-cache eviction", "kv F:0 eviction", {"kv-cache"}},
      {"keyword:\"kv cache\" x", "F:0 x", {"kv cache"}},
      // An unclosed quote runs to the end, as Xapian closes it there: this
      // one crashed Xapian 1.4.22's parser.
      {"a +keyword:\"kv cache", "a +F:0", {"kv cache"}},
      {"a +keyword:\"x y\"-z", "a +F:0 -z", {"x y"}},
      {"(keyword:x) -keyword:y", "(F:0) -F:1", {"x", "y"}},
      {"keyword:quant*", "F:0", {"quant*"}},
      {"keyword:注意力", "F:0", {"注意力"}},
      {"keyword:“kv cache” x", "F:0 x", {"kv cache"}},
      // A field starts after any character that is not a word character,
      // and at the border of CJK text, where Xapian's parser starts a term.
      {"量化keyword:x", "量化F:0", {"x"}},
      {"a,keyword:x", "a,F:0", {"x"}},
      // ...but not inside a word.
      {"akeyword:x", "akeyword:x", {}},
      {"my_keyword:x", "my_keyword:x", {}},
      // Inside a phrase or after `kv-` the parser sees no field: words.
      {"\"a keyword:x\" keyword:y", "\"a keyword x\" F:0", {"y"}},
      {"“a keyword:x” keyword:y", "“a keyword x” F:0", {"y"}},
      {"kv-keyword:x", "kv-keyword x", {}},
      // Nothing after the colon: the word.
      {"keyword:", "keyword ", {}},
      {"keyword: x", "keyword  x", {}},
      {"keyword:)", "keyword )", {}},
      // A group gives each of its words and phrases the field.
      {"keyword:(kv \"a b\" -c)", "(F:0 F:1 -F:2)", {"kv", "a b", "c"}},
      {"keyword:((a OR b) c)", "((F:0 OR F:1) F:2)", {"a", "b", "c"}},
      {"keyword:(a title:b)", "(F:0 title:b)", {"a"}},
      {"keyword:(a title:(b c))", "(F:0 title:(b c))", {"a"}},
      {"keyword:(a keyword:(b c))", "(F:0 (F:1 F:2))", {"a", "b", "c"}},
      {"title:(a keyword:(b))", "title:(a (F:0))", {"b"}},
      {"keyword:(a b", "(F:0 F:1)", {"a", "b"}},
      // NEAR and ADJ take plain terms: beside a value they become AND.
      {"keyword:(a NEAR b)", "(F:0 AND F:1)", {"a", "b"}},
      {"keyword:x NEAR/3 keyword:y", "F:0 AND F:1", {"x", "y"}},
      {"kv ADJ keyword:y", "kv AND F:0", {"y"}},
      {"kv NEAR cache", "kv NEAR cache", {}},
      // Our own field names, typed, are words.
      {"F:0 papersearchsynonym:1", "F 0 papersearchsynonym 1", {}},
      // inst: and venue: values are taken out the same way.
      {"inst:mit venue:\"ICLR 2024\"", "F:0 F:1", {"mit", "ICLR 2024"}},
      {"inst:(mit OR cmu)", "(F:0 OR F:1)", {"mit", "cmu"}},
      {"\"a inst:x\" first:y", "\"a inst x\" first:y", {}},
  };
  for (const MarkCase& c : cases) {
    SCOPED_TRACE(c.text);
    const MarkedKeywords marked = MarkKeywordValues(c.text, kField);
    EXPECT_EQ(marked.text, c.marked);
    EXPECT_EQ(marked.values, c.values);
  }
}

TEST(MarkKeywordValuesTest, UnmarkGivesBackWhatWasWritten) {
  for (const std::string text :
       {"kv keyword:kv-cache eviction", "a +keyword:\"kv cache",
        "keyword:\"kv cache\" x", "(keyword:x) -keyword:y", "no keywords"}) {
    const MarkedKeywords marked = MarkKeywordValues(text, kField);
    EXPECT_EQ(UnmarkKeywordValues(marked.text, marked, kField), text);
  }
  // A correction of the words around a value keeps the value as written.
  const MarkedKeywords marked =
      MarkKeywordValues("specualtive keyword:\"kv cache\"", kField);
  EXPECT_EQ(UnmarkKeywordValues("speculative F:0", marked, kField),
            "speculative keyword:\"kv cache\"");
}

// Queries built from the pieces of the query language, at random: each must
// parse (or be read as words) without crashing or throwing. Before
// MarkKeywordValues, Xapian 1.4.22's parser dereferenced a null query on
// many of them (`a +keyword:"x`, `a +keyword:kv-cache`, `a +keyword:x NEAR
// keyword:y`); a crash here is a failed test.
TEST(QueryBuilderTest, RandomQueriesNeverCrashTheParser) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  Xapian::Document doc;
  doc.add_term("XKkv");
  doc.add_term("XFKkv_cache");
  db.add_document(doc);
  const QueryBuilder builder(db);
  const std::vector<std::string> pieces = {"a",
                                           "kv",
                                           "cache",
                                           "注意",
                                           "x-y",
                                           "x.y",
                                           "x:z",
                                           "+",
                                           "-",
                                           "\"",
                                           "“",
                                           "”",
                                           "(",
                                           ")",
                                           "*",
                                           " ",
                                           " ",
                                           "keyword:",
                                           "title:",
                                           "year:",
                                           "id:",
                                           "AND",
                                           "OR",
                                           "NOT",
                                           "NEAR",
                                           "ADJ/2",
                                           "papersearchsynonym:",
                                           "papersearchkeyword:",
                                           "0",
                                           "\xe5\x8c",
                                           "_",
                                           "..",
                                           "2024"};
  std::mt19937 random(20261125);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(1, 12);
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    for (int n = length(random); n > 0; --n) text += pieces[pick(random)];
    SCOPED_TRACE(text);
    for (bool all_words : {true, false}) {
      EXPECT_NO_THROW(builder.Parse(text, all_words));
    }
    EXPECT_NO_THROW(builder.Correct(builder.Scan(text)));
  }
}

// `n:m` and `2:4` are words to Xapian's parser (a phrase of two), so they
// start synonym spans as other words do; `title:` and our markers are
// fields and do not.
TEST(MarkSynonymSpansTest, ColonsAndHyphensInsideWords) {
  Synonyms synonyms;
  ASSERT_TRUE(synonyms
                  .Add("semi-structured sparsity, n:m sparsity, 2:4 "
                       "sparsity, fine-grained structured sparsity\n"
                       "sparsity, sparse\n",
                       "test.txt")
                  .empty());
  struct Case {
    std::string text;
    std::string marked;
    std::vector<std::string> spans;
  };
  const std::vector<Case> cases = {
      {"n:m sparsity", "F:0 ", {"n:m sparsity"}},
      {"N:M sparsity kernels", "F:0  kernels", {"N:M sparsity"}},
      {"2:4 sparsity", "F:0 ", {"2:4 sparsity"}},
      {"title:sparsity", "title:sparsity", {}},
      {"year:2024 sparsity", "year:2024 F:0 ", {"sparsity"}},
      {"n: sparsity", "n: F:0 ", {"sparsity"}},
      // A member can start or end inside a hyphenated word; the word's
      // other parts stay words, without a hyphen that would exclude them.
      {"fine-grained structured sparsity",
       "F:0 ",
       {"fine-grained structured sparsity"}},
      {"semi-structured-sparsity-aware kernels",
       "F:0  aware kernels",
       {"semi-structured-sparsity"}},
      {"block-sparsity", "block F:0 ", {"sparsity"}},
      {"x-y-z", "x-y-z", {}},
      {"-sparsity kernels", "-sparsity kernels", {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    std::vector<std::string> spans;
    EXPECT_EQ(MarkSynonymSpans(c.text, synonyms, "F", &spans), c.marked);
    EXPECT_EQ(spans, c.spans);
  }
}

// The words of a group's members each count once, however often the group
// spells them, and weigh the number of members (read alike once stemmed:
// `x transformer`, `x transformers`) that have them.
TEST(QueryBuilderTest, GroupWordsCountEachWordOncePerMember) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  Synonyms synonyms;
  ASSERT_TRUE(synonyms
                  .Add("pd disaggregation, prefill-decode disaggregation, "
                       "disaggregated serving\n"
                       "dit, diffusion transformer, diffusion transformers\n",
                       "test.txt")
                  .empty());
  const QueryBuilder builder(db, synonyms);
  auto scales = [&](const std::string& text) {
    std::vector<std::pair<std::string, double>> out;
    for (const ScaledQuery& word : builder.GroupWords(text).words) {
      std::string terms;
      for (auto it = word.query.get_unique_terms_begin();
           it != word.query.get_unique_terms_end(); ++it) {
        if (!terms.empty()) terms += ' ';
        terms += *it;
      }
      out.emplace_back(terms, word.scale);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  using Scales = std::vector<std::pair<std::string, double>>;
  // The bare-word fields: the unprefixed term and the note's (XN).
  EXPECT_EQ(scales("pd disaggregation"),
            (Scales{{"XNdecode XNprefill decode prefill", 1},
                    {"ZXNdisaggreg Zdisaggreg", 3},
                    {"ZXNpd Zpd", 1},
                    {"ZXNserv Zserv", 1}}));
  EXPECT_EQ(scales("diffusion transformers"),
            (Scales{{"ZXNdiffus Zdiffus", 1},
                    {"ZXNdit Zdit", 1},
                    {"ZXNtransform Ztransform", 1}}));
  EXPECT_TRUE(builder.GroupWords("no group here").words.empty());
}

// ---------------------------------------------------------------------------
// Wildcards.

// CappedWildcards reads each wildcard's pattern from Xapian's description of
// it: this pins that form, and which wildcards count as cut short.
TEST(WildcardTest, CappedWildcardsNamesThoseOverTheLimitOnce) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  Xapian::Document doc;
  // kMaxWildcardWords + 1 unprefixed words "zyx...", as many "zyw..." only
  // in titles (S), and exactly kMaxWildcardWords words "zyv...".
  for (Xapian::termcount i = 0; i <= kMaxWildcardWords; ++i) {
    doc.add_term("zyx" + std::to_string(i));
    doc.add_term(std::string(schema::prefix::kTitle) + "zyw" +
                 std::to_string(i));
    if (i > 0) doc.add_term("zyv" + std::to_string(i));
  }
  db.add_document(doc);
  QueryBuilder builder(db);
  auto capped = [&](const std::string& text) {
    return CappedWildcards(db, builder.Parse(text, true).query);
  };
  EXPECT_EQ(capped("zyx* zyv* zyx*"), (std::vector<std::string>{"zyx*"}));
  EXPECT_EQ(capped("title:zyw* zyw*"), (std::vector<std::string>{"zyw*"}));
  EXPECT_TRUE(capped("zyv*").empty());
  EXPECT_TRUE(capped("zyx1*").empty());  // zyx1, zyx10-19, zyx100
  EXPECT_TRUE(capped("zyx").empty());
  Xapian::Query wildcard(Xapian::Query::OP_WILDCARD, "XNzyx");
  EXPECT_EQ(wildcard.get_description(), "Query(WILDCARD SYNONYM XNzyx)");
}

// ---------------------------------------------------------------------------
// Spelling of words the index has but rarely.

// A word in one paper next to a common word one edit away is a typo some
// note shares ("atention"); two edits away it is a word of its own
// ("unstructured" is not "structured"); an abbreviation is never respelt.
TEST(SpellingTest, RareWordsAreTyposOnlyOneEditFromACommonWord) {
  testing::TempDir dir;
  Xapian::WritableDatabase db((dir.path() / "db").string(),
                              Xapian::DB_CREATE_OR_OVERWRITE);
  auto paper = [&](std::initializer_list<const char*> words) {
    Xapian::Document doc;
    for (const char* word : words) {
      doc.add_term(word);
      db.add_spelling(word);
    }
    db.add_document(doc);
  };
  paper({"atention", "unstructured", "flashattn"});
  for (int i = 0; i < 40; ++i) paper({"attention", "structured", "flash"});
  Xapian::Document abbr;
  abbr.add_term(schema::FilterTerm(schema::prefix::kAbbrExact, "flashattn"));
  db.add_document(abbr);
  db.commit();
  QueryBuilder builder(db);
  EXPECT_EQ(builder.CorrectRare("flash atention"), "flash attention");
  EXPECT_EQ(builder.CorrectRare("unstructured pruning"), "");
  EXPECT_EQ(builder.CorrectRare("flashattn"), "");
  EXPECT_EQ(builder.CorrectRare("attention"), "");
}

}  // namespace
}  // namespace papersearch
