// Unit tests of how a hit is shown: its snippet (searcher/snippets.h), cut
// from the note, inflated only as far as needed, or the title with its
// matches marked; and the JSON and text printers (searcher/json_printer.h,
// searcher/text_printer.h).
#include <gtest/gtest.h>
#include <xapian.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/document_data.h"
#include "common/utf8.h"
#include "searcher/json_printer.h"
#include "searcher/snippets.h"
#include "searcher/text_printer.h"

namespace papersearch {
namespace {

// ---------------------------------------------------------------------------
// Snippets.

TEST(SnippetTest, SplitMarked) {
  std::string marked = std::string("a ") + kMatchStart + "kv" + kMatchEnd +
                       " " + kMatchStart + "cache" + kMatchEnd + " end";
  std::vector<SnippetPart> parts = SplitMarked(marked);
  ASSERT_EQ(parts.size(), 5u);
  EXPECT_EQ(parts[0].text, "a ");
  EXPECT_FALSE(parts[0].matched);
  EXPECT_EQ(parts[1].text, "kv");
  EXPECT_TRUE(parts[1].matched);
  EXPECT_EQ(parts[4].text, " end");
}

TEST(SnippetTest, QueryWordsDropPrefixes) {
  std::vector<Xapian::Query> terms = {
      Xapian::Query("Zevict"), Xapian::Query("XNtide"), Xapian::Query("kv"),
      Xapian::Query("Zkv")};
  Xapian::Query query(Xapian::Query::OP_AND, terms.begin(), terms.end());
  std::vector<std::string> words = QueryWords(query);
  EXPECT_EQ(std::set<std::string>(words.begin(), words.end()),
            (std::set<std::string>{"kv", "tide", "evict"}));
  EXPECT_EQ(words.size(), 3u);
}

TEST(SnippetTest, WindowStartsNearTheFirstMatch) {
  std::string text(10000, 'a');
  text.replace(6000, 8, "Eviction");
  auto note = StoredNote::FromText(text);
  std::string_view window = SnippetWindow(*note, {"evict"});
  EXPECT_LE(window.size(), kSnippetWindowBytes);
  EXPECT_NE(window.find("Eviction"), std::string_view::npos);
  // No match: the start of the text.
  EXPECT_EQ(SnippetWindow(*StoredNote::FromText(text), {"zzz"}),
            text.substr(0, kSnippetWindowBytes));
  // Short texts are passed whole.
  EXPECT_EQ(SnippetWindow(*StoredNote::FromText("short"), {"x"}), "short");
}

// The note as the index stores it: deflated, to be inflated on demand.
std::unique_ptr<StoredNote> CompressedNote(const std::string& text) {
  StoredPaper paper;
  paper.set_id("2025/X");
  paper.set_note_text(text);
  auto note = std::make_unique<StoredNote>();
  StoredPaper decoded;
  EXPECT_TRUE(
      DecodeDocumentData(EncodeDocumentData(paper), &decoded, note.get()));
  EXPECT_TRUE(decoded.note_text().empty());
  return note;
}

// A 16 KB note of distinct words (so that it does not compress to nothing)
// with `word`, between spaces, at byte `at`.
std::string LongNote(const std::string& word, size_t at) {
  std::string text;
  for (int i = 0; text.size() < 16000; ++i)
    (text += 'w') += std::to_string(i) + " ";
  if (!word.empty()) text.replace(at, word.size() + 2, " " + word + " ");
  return text;
}

TEST(SnippetTest, NoteIsInflatedOnlyAsFarAsTheWindow) {
  const std::string text = LongNote("Eviction", 300);
  auto note = CompressedNote(text);
  std::string_view window = SnippetWindow(*note, {"evict"});
  EXPECT_NE(window.find("Eviction"), std::string_view::npos);
  EXPECT_EQ(window, SnippetWindow(*StoredNote::FromText(text), {"evict"}));
  EXPECT_LT(note->text().size(), 4096u) << "inflated more than needed";
  EXPECT_EQ(note->size(), text.size());
}

TEST(SnippetTest, CompressedNoteGivesTheSameWindowWhereverTheMatchIs) {
  // Around each inflation step (2 KB, then 4 KB, 8 KB more), at the end,
  // and nowhere.
  for (size_t at : {0u, 2044u, 2046u, 2048u, 6140u, 6142u, 14330u, 15990u}) {
    const std::string text = LongNote("Eviction", at);
    auto note = CompressedNote(text);
    std::string expected(SnippetWindow(*StoredNote::FromText(text), {"evict"}));
    EXPECT_EQ(SnippetWindow(*note, {"evict"}), expected) << "match at " << at;
    EXPECT_NE(expected.find("Eviction"), std::string::npos) << at;
  }
  const std::string text = LongNote("", 0);
  auto note = CompressedNote(text);
  EXPECT_EQ(SnippetWindow(*note, {"zzz"}), text.substr(0, kSnippetWindowBytes));
  EXPECT_TRUE(note->complete());
}

TEST(SnippetTest, EarlierMatchOfALongerWordAcrossAStepWins) {
  // "quantization" starts before "kv" but ends after the first 2 KB step.
  std::string text = LongNote("kv", 2100);
  text.replace(2040, 12, "quantization");
  auto note = CompressedNote(text);
  std::string_view window = SnippetWindow(*note, {"kv", "quantization"});
  EXPECT_EQ(window,
            SnippetWindow(*StoredNote::FromText(text), {"kv", "quantization"}));
}

TEST(SnippetTest, TitleIsShownWholeWithMatchesMarked) {
  Hit hit;
  hit.paper.mutable_info()->mutable_paper()->set_title(
      "Adaptive Holistic Attention-Driven Budgets for KV Cache Eviction");
  MakeSnippet({"kv", "cach"}, nullptr, &hit);
  EXPECT_FALSE(hit.snippet_from_note);
  ASSERT_GE(hit.snippet.size(), 3u);
  // Nothing cut from the start, although the first match is far in.
  EXPECT_EQ(hit.snippet[0].text,
            "Adaptive Holistic Attention-Driven Budgets for ");
  EXPECT_FALSE(hit.snippet[0].matched);
  EXPECT_EQ(hit.snippet[1].text, "KV");
  EXPECT_TRUE(hit.snippet[1].matched);
  EXPECT_EQ(hit.snippet[3].text, "Cache");
  EXPECT_TRUE(hit.snippet[3].matched);
}

TEST(SnippetTest, NoteWithoutTheWordsFallsBackToTheTitle) {
  Hit hit;
  hit.paper.mutable_info()->mutable_paper()->set_title("KV Cache Eviction");
  auto note = CompressedNote(LongNote("", 0));
  MakeSnippet({"evict"}, note.get(), &hit);
  EXPECT_FALSE(hit.snippet_from_note);
  auto with_word = CompressedNote(LongNote("evicting", 9000));
  MakeSnippet({"evict"}, with_word.get(), &hit);
  ASSERT_TRUE(hit.snippet_from_note);
  ASSERT_GE(hit.snippet.size(), 2u);
  EXPECT_EQ(hit.snippet[1].text, "evicting");
  EXPECT_TRUE(hit.snippet[1].matched);
}

// One SnippetMaker serves every hit of a search and remembers the stems of
// the words it has seen: a word stemmed for one hit must match (or not) in
// the next exactly as in a fresh maker.
TEST(SnippetTest, OneMakerForManyHitsMarksAsFreshOnesDo) {
  const std::vector<std::string> words = {"evict", "cach", "kv"};
  const std::vector<std::string> titles = {
      "Evicting Caches: KV Cache Eviction at Scale",
      "Cached evictions and an evicted cache",
      "Eviction, evictions, EVICTED, caching, cacheless, kv",
  };
  SnippetMaker shared(words);
  for (const std::string& title : titles) {
    Hit reused, fresh;
    reused.paper.mutable_info()->mutable_paper()->set_title(title);
    fresh.paper.mutable_info()->mutable_paper()->set_title(title);
    shared.Make(nullptr, &reused);
    SnippetMaker(words).Make(nullptr, &fresh);
    ASSERT_EQ(reused.snippet.size(), fresh.snippet.size()) << title;
    for (size_t i = 0; i < fresh.snippet.size(); ++i) {
      EXPECT_EQ(reused.snippet[i].text, fresh.snippet[i].text) << title;
      EXPECT_EQ(reused.snippet[i].matched, fresh.snippet[i].matched) << title;
    }
  }
  // And what is marked is right: every form of the words, no other word.
  Hit hit;
  hit.paper.mutable_info()->mutable_paper()->set_title(titles[2]);
  shared.Make(nullptr, &hit);
  std::vector<std::string> marked;
  for (const SnippetPart& part : hit.snippet) {
    if (part.matched) marked.push_back(part.text);
  }
  const std::vector<std::string> expected = {"Eviction", "evictions", "EVICTED",
                                             "caching", "kv"};
  EXPECT_EQ(marked, expected);
}

TEST(SnippetTest, WindowNeverCutsAUtf8Sequence) {
  std::string text;
  while (text.size() < 9000) text += "缓存";
  text += " match ";
  while (text.size() < 18000) text += "缓存";
  std::unique_ptr<StoredNote> notes[] = {StoredNote::FromText(text),
                                         CompressedNote(text)};
  for (auto& note : notes) {
    std::string_view window = SnippetWindow(*note, {"match"});
    EXPECT_EQ(FindInvalidUtf8(window), std::string_view::npos);
    EXPECT_NE(window.find("match"), std::string_view::npos);
  }
}

// ---------------------------------------------------------------------------
// Printers.

SearchResults OneHit(const std::string& title, const std::string& note_path) {
  SearchResults results;
  results.query = "q";
  results.total = 1;
  Hit hit;
  hit.rank = 1;
  hit.score = 1.5;
  hit.paper.set_id("2025/X");
  hit.paper.mutable_info()->mutable_paper()->set_title(title);
  hit.paper.set_note_path(note_path);
  hit.snippet = {{"before ", false}, {"match", true}, {" after", false}};
  hit.snippet_from_note = true;
  results.hits.push_back(hit);
  return results;
}

TEST(JsonPrinterTest, AlwaysValidUtf8AndEscaped) {
  SearchResults results =
      OneHit("bad \xff\xfe bytes, \"quotes\", tab\t and \x01 control", "");
  results.facets.venue = {{"ICML", 3}};
  std::string out = FormatJson(results);
  ASSERT_EQ(out.back(), '\n');
  nlohmann::json j = nlohmann::json::parse(out);
  EXPECT_EQ(j["results"][0]["title"],
            "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes, \"quotes\", tab\t and \x01 "
            "control");
  EXPECT_EQ(j["results"][0]["snippet"], "before **match** after");
  EXPECT_TRUE(j["results"][0]["note"].is_null());
  EXPECT_TRUE(j["results"][0]["year"].is_null());
  EXPECT_EQ(j["results"][0]["venue"], "arXiv");
  EXPECT_EQ(j["facets"]["venue"][0]["count"], 3);
  EXPECT_EQ(j["facets"]["institution"].size(), 0u);
}

TEST(TextPrinterTest, NoEscapeSequencesFromRecords) {
  SearchResults results = OneHit("evil \x1b[2J title", "notes/x.md");
  std::string plain = FormatText(results, {false, false});
  EXPECT_EQ(plain.find('\x1b'), std::string::npos) << plain;
  EXPECT_NE(plain.find("[match]"), std::string::npos) << plain;
  std::string colour = FormatText(results, {true, false});
  EXPECT_NE(colour.find("\x1b[1;31mmatch\x1b[0m"), std::string::npos);
  EXPECT_EQ(colour.find("\x1b[2J"), std::string::npos);
}

TEST(TextPrinterTest, EstimatedTotalsAndFacetsAreMarked) {
  SearchResults results = OneHit("t", "");
  results.total = 120000;
  results.total_is_exact = false;
  results.facets.exact = false;
  std::string out = FormatText(results, {false, true});
  EXPECT_NE(out.find("about 120000 papers"), std::string::npos) << out;
  EXPECT_NE(out.find("facet counts are estimates from a sample"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace papersearch
