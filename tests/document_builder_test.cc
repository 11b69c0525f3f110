// Document building: which terms go under which prefix, CJK n-grams, values
// and the stored data, checked term by term against proto/schema.h.
#include "indexer/document_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <tuple>

#include "common/document_data.h"
#include "schema.h"

namespace papersearch {
namespace {

namespace prefix = schema::prefix;
namespace slot = schema::slot;

std::set<std::string> Terms(const Xapian::Document& doc) {
  std::set<std::string> terms;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    terms.insert(*it);
  }
  return terms;
}

StoredPaper ExamplePaper() {
  StoredPaper paper;
  paper.set_id("2025/ExKV");
  paper.set_record_path("meta/2025/ExKV.prototxt");
  paper.set_note_path("notes/2025/ExKV/note.md");
  auto* info = paper.mutable_info();
  info->mutable_paper()->set_title("Example KV Cache Eviction");
  info->mutable_paper()->set_abbr("ExKV");
  info->mutable_paper()->add_authors("Grace Hopper");
  info->mutable_paper()->add_institutions("Tsinghua University");
  info->mutable_paper()->add_institutions("tsinghua  university");  // dup
  info->mutable_paper()->add_institutions("Example Lab");
  info->mutable_pub()->set_where("ICLR oral");
  info->mutable_pub()->set_year(2025);
  info->mutable_code()->set_url(
      "https://github.com/example-org/ex-kv/tree/main");
  info->mutable_keyword()->add_words(efficient_paper::Keyword::kv_cache_sparse);
  info->mutable_baseline()->add_methods("StreamingLLM");
  info->set_update_time(1767939862);
  info->set_rating(5);
  paper.add_extra_keywords("mixture_of_depths");
  return paper;
}

NoteText ExampleNote() {
  NoteText note;
  note.headings = "方法\nResults";
  note.body = "我们提出稀疏注意力。\nThe eviction policy keeps heavy hitters.";
  note.plain = note.headings + "\n" + note.body;
  return note;
}

TEST(DocumentBuilder, TermsUnderEachPrefix) {
  DocumentBuilder builder;
  Xapian::Document doc = builder.Build(ExamplePaper(), ExampleNote());
  std::set<std::string> t = Terms(doc);
  auto has = [&](const std::string& term) { return t.count(term) > 0; };

  EXPECT_TRUE(has("Q2025/ExKV"));
  // Title under S and unprefixed, stemmed forms too.
  EXPECT_TRUE(has("Seviction"));
  EXPECT_TRUE(has("ZSevict"));
  EXPECT_TRUE(has("eviction"));
  EXPECT_TRUE(has("Zevict"));
  // Abbreviation: free text and the exact case-folded term.
  EXPECT_TRUE(has("XAexkv"));
  EXPECT_TRUE(has("XEexkv"));
  // Authors and institutions: words and exact filter terms.
  EXPECT_TRUE(has("Ahopper"));
  EXPECT_TRUE(has("XFAgrace hopper"));
  EXPECT_TRUE(has("XItsinghua"));
  EXPECT_TRUE(has("XFItsinghua university"));
  EXPECT_TRUE(has("XFIexample lab"));
  // Venue and year.
  EXPECT_TRUE(has("XVoral"));
  EXPECT_TRUE(has("XFViclr oral"));
  EXPECT_TRUE(has("Y2025"));
  // Keyword labels as words and as exact labels, unknown labels included.
  EXPECT_TRUE(has("XKsparse"));
  EXPECT_TRUE(has("XKcache"));
  EXPECT_TRUE(has("XFKkv_cache_sparse"));
  EXPECT_TRUE(has("XKdepths"));
  EXPECT_TRUE(has("XFKmixture_of_depths"));
  // Code: owner and repository words, not URL boilerplate.
  EXPECT_TRUE(has("XCkv"));
  EXPECT_TRUE(has("XCorg"));
  EXPECT_FALSE(has("XCgithub"));
  EXPECT_FALSE(has("XChttps"));
  EXPECT_TRUE(has("XHcode"));
  EXPECT_TRUE(has("XHnote"));
  // Baseline methods.
  EXPECT_TRUE(has("XBstreamingllm"));
  // Note text, only under its prefix, with CJK split into unigrams and
  // bigrams; headings too.
  EXPECT_TRUE(has("XNheavy"));
  EXPECT_TRUE(has("ZXNheavi"));
  EXPECT_TRUE(has("XN稀疏"));
  EXPECT_TRUE(has("XN稀"));
  EXPECT_TRUE(has("XN注意"));
  EXPECT_TRUE(has("XN方法"));
  EXPECT_FALSE(has("heavy"));
  EXPECT_FALSE(has("稀疏"));
}

TEST(DocumentBuilder, DuplicateInstitutionsCountOnce) {
  DocumentBuilder builder;
  schema::FacetValues facets;
  builder.Build(ExamplePaper(), ExampleNote(), &facets);
  EXPECT_EQ(facets.institutions,
            (std::vector<std::string>{"Tsinghua University", "Example Lab"}));
}

TEST(DocumentBuilder, Values) {
  DocumentBuilder builder;
  schema::FacetValues facets;
  Xapian::Document doc = builder.Build(ExamplePaper(), ExampleNote(), &facets);
  EXPECT_EQ(Xapian::sortable_unserialise(doc.get_value(slot::kYear)), 2025);
  EXPECT_EQ(facets.venue, "ICLR oral");
  EXPECT_EQ(facets.year, "2025");
  // The tie key: the id's year (2025 = 0x07E9), then the id's hash; no
  // facet numbers, which are the writer's (FacetNumbering).
  const uint32_t hash = schema::IdHash("2025/ExKV");
  const std::string tie_key = {'\x07',
                               '\xE9',
                               static_cast<char>(hash >> 24),
                               static_cast<char>(hash >> 16),
                               static_cast<char>(hash >> 8),
                               static_cast<char>(hash)};
  EXPECT_EQ(doc.get_value(slot::kTieFacets), tie_key);
  EXPECT_EQ(Xapian::sortable_unserialise(doc.get_value(slot::kUpdated)),
            1767939862);
  EXPECT_EQ(Xapian::sortable_unserialise(doc.get_value(slot::kRating)), 5);
  EXPECT_EQ(facets.keywords,
            (std::vector<std::string>{"kv_cache_sparse", "mixture_of_depths"}));
  EXPECT_EQ(schema::TieKeyOfTieFacets(doc.get_value(slot::kTieFacets)),
            tie_key);
  EXPECT_TRUE(
      schema::FacetNumbersOfTieFacets(doc.get_value(slot::kTieFacets)).empty());
  EXPECT_EQ(schema::IdOfDocument(doc), "2025/ExKV");
}

// slot::kNewest sorts a search without words: in ascending byte order,
// newest year first (none last), then newest update time (none last), then
// the first five bytes of the id's name, then a hash of the id. The order
// below is written out by hand, but for the hash: the last pair share their
// name's first five bytes.
TEST(DocumentBuilder, NewestFirstKeyOrdersByYearUpdateTimeAndName) {
  using Key =
      std::tuple<std::optional<int64_t>, std::optional<int64_t>, std::string>;
  const std::vector<Key> newest_first = {
      // Years past 65534 count as 65534.
      {65534, std::nullopt, "x/A"},
      {70000, std::nullopt, "x/B"},
      {2026, std::nullopt, "2026/A"},
      {2025, 1767939862, "2025/B"},
      {2025, 1767939861, "2025/A"},
      {2025, 0, "2025/C"},
      {2025, -5, "2025/D"},
      {2025, std::nullopt, "2025/A"},
      {2025, std::nullopt, "2025/AB"},
      {2025, std::nullopt, "2025/B"},
      {2024, 1767939862, "2024/Z"},
      // Update times past 2106 count as 2106's last second.
      {2023, 4294967294, "2023/A"},
      {2023, int64_t{1} << 40, "2023/B"},
      {-1, std::nullopt, "x/A"},
      {std::nullopt, 1767939862, "y/A"},
      {std::nullopt, std::nullopt, "y/A"},
  };
  for (size_t i = 0; i + 1 < newest_first.size(); ++i) {
    const auto& [y1, u1, id1] = newest_first[i];
    const auto& [y2, u2, id2] = newest_first[i + 1];
    EXPECT_LT(schema::NewestFirstKey(y1, u1, id1),
              schema::NewestFirstKey(y2, u2, id2))
        << i;
  }
  // Names alike in their first five bytes go by the hash of the id.
  std::vector<std::string> alike = {"2025/SmoothQuant", "2025/SmoothQuant+",
                                    "2025/Smoot"};
  std::sort(alike.begin(), alike.end(), [](const auto& a, const auto& b) {
    return schema::IdHash(a) < schema::IdHash(b);
  });
  for (size_t i = 0; i + 1 < alike.size(); ++i) {
    EXPECT_LT(schema::NewestFirstKey(2025, std::nullopt, alike[i]),
              schema::NewestFirstKey(2025, std::nullopt, alike[i + 1]))
        << alike[i];
  }
  // 15 bytes, whatever the id: a std::string holds that much without
  // allocating, and the matcher copies this value for every match.
  EXPECT_EQ(
      schema::NewestFirstKey(2025, 1767939862, "2025/AVeryLongName").size(),
      15u);
  EXPECT_EQ(schema::NewestFirstKey(std::nullopt, std::nullopt, "").size(), 15u);
  DocumentBuilder builder;
  Xapian::Document doc = builder.Build(ExamplePaper(), ExampleNote());
  EXPECT_EQ(doc.get_value(slot::kNewest),
            schema::NewestFirstKey(2025, 1767939862, "2025/ExKV"));
}

TEST(DocumentBuilder, DataHoldsWhatTheSearcherPrints) {
  DocumentBuilder builder;
  Xapian::Document doc = builder.Build(ExamplePaper(), ExampleNote());
  StoredPaper stored;
  ASSERT_TRUE(DecodeDocumentData(doc.get_data(), &stored));
  EXPECT_EQ(stored.id(), "2025/ExKV");
  EXPECT_EQ(stored.info().paper().title(), "Example KV Cache Eviction");
  EXPECT_EQ(stored.note_path(), "notes/2025/ExKV/note.md");
  EXPECT_EQ(stored.note_text(), ExampleNote().plain);
}

TEST(DocumentBuilder, MissingVenueIsArxivAndNoNoteMeansNoNoteTerms) {
  StoredPaper paper;
  paper.set_id("2024/Bare");
  paper.mutable_info()->mutable_paper()->set_title("Bare Record");
  DocumentBuilder builder;
  schema::FacetValues facets;
  facets.year = "left over";  // Build starts the values afresh
  Xapian::Document doc = builder.Build(paper, NoteText{}, &facets);
  std::set<std::string> t = Terms(doc);
  EXPECT_TRUE(t.count("XFVarxiv"));
  EXPECT_EQ(facets.venue, "arXiv");
  EXPECT_TRUE(facets.year.empty());
  EXPECT_FALSE(t.count("XHnote"));
  EXPECT_FALSE(t.count("XHcode"));
  EXPECT_TRUE(doc.get_value(slot::kYear).empty());
}

TEST(DocumentBuilder, NoteTextIsBounded) {
  StoredPaper paper = ExamplePaper();
  NoteText note;
  note.body = std::string(schema::kMaxStoredNoteText * 2, 'a');
  note.plain = std::string(schema::kMaxStoredNoteText - 1, 'b') + "稀疏";
  DocumentBuilder builder;
  StoredPaper stored;
  ASSERT_TRUE(
      DecodeDocumentData(builder.Build(paper, note).get_data(), &stored));
  // Cut at a character boundary, never inside the three-byte 稀.
  EXPECT_EQ(stored.note_text().size(), schema::kMaxStoredNoteText - 1);
}

TEST(FoldForFilter, AsciiAndUnicodeAlike) {
  // The ASCII fast path and the Unicode path fold the same way.
  EXPECT_EQ(schema::FoldForFilter("  Tsinghua \t University "),
            "tsinghua university");
  EXPECT_EQ(schema::FoldForFilter("Tsinghua\nUNIVERSITY"),
            "tsinghua university");
  EXPECT_EQ(schema::FoldForFilter("ÉCOLE  Polytechnique"),
            "école polytechnique");
  EXPECT_EQ(
      schema::FoldForFilter("Tsinghua\xC2\xA0University"),  // no-break space
      "tsinghua university");
  EXPECT_EQ(schema::FoldForFilter("清华大学 AI Lab"), "清华大学 ai lab");
  EXPECT_EQ(schema::FoldForFilter("   "), "");
  // Other ASCII bytes are kept as they are.
  EXPECT_EQ(schema::FoldForFilter("A-B_C.D/E"), "a-b_c.d/e");
}

TEST(KeywordLabelWords, Underscores) {
  EXPECT_EQ(KeywordLabelWords("kv_cache_sparse"), "kv cache sparse");
}

TEST(CodeUrlWords, GithubAndOthers) {
  EXPECT_EQ(CodeUrlWords("https://github.com/mit-han-lab/llm-awq"),
            "mit-han-lab llm-awq");
  EXPECT_EQ(CodeUrlWords("https://hanlab.mit.edu/projects/qserve"),
            "hanlab mit edu projects qserve");
}

}  // namespace
}  // namespace papersearch
