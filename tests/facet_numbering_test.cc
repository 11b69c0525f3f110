// The facet dictionary: how the indexer numbers facet values
// (indexer/facet_numbering.h), how a search reads the numbers back
// (searcher/facet_dictionary.h), and the varints both are written in
// (proto/schema.h). Expected numbers are written out by hand.
#include "indexer/facet_numbering.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "schema.h"
#include "searcher/facet_dictionary.h"

namespace papersearch {
namespace {

std::vector<uint32_t> Numbers(std::string_view encoded) {
  std::vector<uint32_t> numbers;
  schema::ForEachFacetNumber(encoded,
                             [&](uint32_t n) { numbers.push_back(n); });
  return numbers;
}

// "i0:MIT", "v2:ICML"...: a dictionary's entries (facet, spelling group,
// value), for comparing.
std::vector<std::string> Entries(const FacetDictionary& dictionary) {
  std::vector<std::string> entries;
  for (uint32_t n = 0; n < dictionary.size(); ++n) {
    std::string entry(1, dictionary[n].facet);
    entry += std::to_string(dictionary[n].group);
    entry += ':';
    entry += dictionary[n].value;
    entries.push_back(entry);
  }
  return entries;
}

std::string Entry(char facet, uint32_t group, std::string_view value) {
  return schema::EncodeFacetEntry({facet, group, value});
}

std::string Saved(FacetNumbering& numbering) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  numbering.Save(db);
  return db.get_metadata(schema::kFacetsKey);
}

TEST(Varint, RoundTripsAtEveryWidth) {
  for (uint64_t n :
       {uint64_t{0}, uint64_t{1}, uint64_t{127}, uint64_t{128}, uint64_t{16383},
        uint64_t{16384}, uint64_t{UINT32_MAX}, UINT64_MAX}) {
    std::string encoded;
    schema::AppendVarint(encoded, n);
    size_t expected_bytes = 1;
    for (uint64_t rest = n >> 7; rest != 0; rest >>= 7) ++expected_bytes;
    EXPECT_EQ(encoded.size(), expected_bytes) << n;
    size_t pos = 0;
    uint64_t read = 0;
    ASSERT_TRUE(schema::ReadVarint(encoded, &pos, &read)) << n;
    EXPECT_EQ(read, n);
    EXPECT_EQ(pos, encoded.size());
    // Cut short by one byte: never read past the end.
    pos = 0;
    EXPECT_FALSE(
        schema::ReadVarint(encoded.substr(0, encoded.size() - 1), &pos, &read))
        << n;
  }
  std::string too_long(11, '\x80');
  size_t pos = 0;
  uint64_t read = 0;
  EXPECT_FALSE(schema::ReadVarint(too_long, &pos, &read));
}

TEST(FacetNumbers, StopAtTheFirstMalformedNumber) {
  EXPECT_EQ(Numbers(schema::EncodeFacetNumbers({0, 5, 300, 127})),
            (std::vector<uint32_t>{0, 5, 300, 127}));
  std::string cut = schema::EncodeFacetNumbers({3, 300});
  cut.pop_back();  // 300 takes two bytes; keep one
  EXPECT_EQ(Numbers(cut), (std::vector<uint32_t>{3}));
  std::string too_big = schema::EncodeFacetNumbers({7});
  schema::AppendVarint(too_big, uint64_t{UINT32_MAX} + 1);
  EXPECT_EQ(Numbers(too_big), (std::vector<uint32_t>{7}));
  EXPECT_TRUE(Numbers("").empty());
}

// A ranked search breaks ties by the whole slot::kTieFacets value, so it
// must sort as the tie keys alone do, whatever numbers follow: by the year
// the id begins with, oldest first (an id without one last), then by the
// id's hash, also when the numbers would order a pair the other way.
TEST(TieFacets, SortsAsTheTieKeysWhateverTheNumbers) {
  std::vector<std::pair<std::string, std::vector<uint32_t>>> papers = {
      {"1989/obd", {UINT32_MAX}}, {"2024/H1", {300, 7}},
      {"2024/H10", {0}},          {"2024/H1A", {}},
      {"2024/H2", {1, 2, 3}},     {"2024/h1", {0}},
      {"99999/Z", {0}},           {"x/A", {5}}};
  // Within 2024, by the hash of the id.
  std::sort(papers.begin() + 1, papers.begin() + 6,
            [](const auto& a, const auto& b) {
              return schema::IdHash(a.first) < schema::IdHash(b.first);
            });
  std::vector<std::string> values;
  for (const auto& [id, numbers] : papers) {
    const std::string key = schema::TieKey(id);
    EXPECT_EQ(key.size(), schema::kTieKeyBytes);
    values.push_back(
        schema::TieFacetsValue(key, schema::EncodeFacetNumbers(numbers)));
    EXPECT_EQ(schema::TieKeyOfTieFacets(values.back()), key);
    EXPECT_EQ(Numbers(schema::FacetNumbersOfTieFacets(values.back())), numbers);
  }
  EXPECT_TRUE(std::is_sorted(values.begin(), values.end()));
  EXPECT_TRUE(std::adjacent_find(values.begin(), values.end()) == values.end());
  EXPECT_EQ(schema::TieKey("2024/H1").substr(0, 2), "\x07\xE8");
  // A value cut short (not written by paperindex) has no numbers.
  EXPECT_EQ(schema::TieKeyOfTieFacets("2024"), "2024");
  EXPECT_TRUE(schema::FacetNumbersOfTieFacets("2024").empty());
  EXPECT_TRUE(schema::FacetNumbersOfTieFacets("").empty());
}

TEST(FacetNumbering, NumbersValuesInTheOrderFirstMetEachOnce) {
  FacetNumbering numbering;
  // institutions, venue, year, keywords
  EXPECT_EQ(Numbers(numbering.Encode(
                {{"MIT", "Tsinghua University", "MIT"}, "ICML", "2024", {}})),
            (std::vector<uint32_t>{0, 1, 2, 3}));
  // Known values keep their numbers; "mit" is another spelling, numbered
  // in the group of "MIT"; "ICML" as an institution is another facet's
  // value.
  EXPECT_EQ(Numbers(numbering.Encode(
                {{"mit", "Tsinghua University", "ICML"}, "ICML", "", {"moe"}})),
            (std::vector<uint32_t>{4, 1, 5, 2, 6}));
  // Empty and blank values are not numbered.
  EXPECT_TRUE(Numbers(numbering.Encode({{"", " \t"}, " ", "", {""}})).empty());
  EXPECT_EQ(
      Numbers(numbering.Encode({{"  Tsinghua   university "}, "", "", {}})),
      (std::vector<uint32_t>{7}));
  EXPECT_EQ(numbering.size(), 8u);

  FacetDictionary dictionary(Saved(numbering));
  EXPECT_EQ(Entries(dictionary),
            (std::vector<std::string>{
                "i0:MIT", "i1:Tsinghua University", "v2:ICML", "y3:2024",
                "i0:mit", "i5:ICML", "k6:moe", "i1:  Tsinghua   university "}));
}

TEST(FacetNumbering, ContinuesASavedDictionaryAndSavesOnlyWhatIsNew) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  {
    FacetNumbering first;
    first.Encode({{"MIT"}, "ICML", "2024", {}});
    first.Save(db);
  }
  std::optional<FacetNumbering> next = FacetNumbering::Continue(db);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->size(), 3u);
  // Nothing new: Save leaves the metadata alone.
  EXPECT_EQ(Numbers(next->Encode({{"MIT"}, "ICML", "2024", {}})),
            (std::vector<uint32_t>{0, 1, 2}));
  db.set_metadata(schema::kFacetsKey, "untouched");
  next->Save(db);
  EXPECT_EQ(db.get_metadata(schema::kFacetsKey), "untouched");
  // A new value is numbered after the saved ones, and saved.
  EXPECT_EQ(Numbers(next->Encode({{"CMU", "MIT"}, "ICML", "2025", {}})),
            (std::vector<uint32_t>{3, 0, 1, 4}));
  next->Save(db);
  FacetDictionary dictionary(db);
  EXPECT_EQ(Entries(dictionary),
            (std::vector<std::string>{"i0:MIT", "v1:ICML", "y2:2024", "i3:CMU",
                                      "y4:2025"}));
  // Groups continue too: a new spelling joins a saved value's group.
  EXPECT_EQ(Numbers(next->Encode({{"cmu"}, "", "", {}})),
            (std::vector<uint32_t>{5}));
  next->Save(db);
  EXPECT_EQ(Entries(FacetDictionary(db)).back(), "i3:cmu");
}

TEST(FacetNumbering, ADamagedDictionaryCannotBeContinued) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  EXPECT_TRUE(FacetNumbering::Continue(db).has_value());  // none: empty
  const std::string mit = Entry('i', 0, "MIT"), icml = Entry('v', 1, "ICML");
  db.set_metadata(schema::kFacetsKey, schema::EncodeList({mit, icml}));
  EXPECT_TRUE(FacetNumbering::Continue(db).has_value());
  std::string cut = schema::EncodeList({mit, icml});
  cut.pop_back();
  db.set_metadata(schema::kFacetsKey, cut);
  EXPECT_FALSE(FacetNumbering::Continue(db).has_value());
  // A repeated entry, a spelling whose group is not its first spelling's,
  // a value in another's group, and an entry without its group.
  for (const std::vector<std::string>& entries :
       {std::vector<std::string>{mit, icml, mit},
        std::vector<std::string>{mit, Entry('i', 1, "mit")},
        std::vector<std::string>{mit, Entry('i', 0, "Other")},
        std::vector<std::string>{mit, "i"}}) {
    db.set_metadata(schema::kFacetsKey, schema::EncodeList(entries));
    EXPECT_FALSE(FacetNumbering::Continue(db).has_value()) << entries.back();
  }
}

TEST(FacetDictionary, ReadsWhatItCanOfADamagedDictionary) {
  std::string cut = schema::EncodeList(
      {Entry('i', 0, "MIT"), "", Entry('v', 7, "ahead"), Entry('v', 3, "x")});
  cut.pop_back();
  FacetDictionary dictionary(cut);
  ASSERT_EQ(dictionary.size(), 3u);
  EXPECT_EQ(dictionary[0].facet, schema::facet::kInstitution);
  EXPECT_EQ(dictionary[0].group, 0u);
  EXPECT_EQ(dictionary[0].value, "MIT");
  EXPECT_EQ(dictionary[1].facet, 0);  // an empty entry
  EXPECT_EQ(dictionary[2].facet, 0);  // a group after its own number
  EXPECT_EQ(dictionary[3].facet, 0);  // past the end
  EXPECT_EQ(dictionary[UINT32_MAX].value, "");
}

}  // namespace
}  // namespace papersearch
