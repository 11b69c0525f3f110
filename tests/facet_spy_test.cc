// Unit tests of facet counting (searcher/facet_spy.h): the institutions,
// venues and years of the matching papers, counted from their numbered
// facet values, case-insensitively and under the common spelling.
#include "searcher/facet_spy.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <string>
#include <vector>

#include "indexer/facet_numbering.h"
#include "schema.h"
#include "searcher/facet_dictionary.h"

namespace papersearch {
namespace {

TEST(FacetSpyTest, CountsListsCaseInsensitivelyWithTheCommonSpelling) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  FacetNumbering numbering;
  auto add = [&](std::vector<std::string> institutions, std::string venue,
                 std::string year) {
    Xapian::Document doc;
    doc.add_value(
        schema::slot::kTieFacets,
        schema::TieFacetsValue(
            schema::TieKey("2024/P" + std::to_string(db.get_doccount())),
            numbering.Encode({institutions, venue, year, {}})));
    doc.add_term("x");
    db.add_document(doc);
  };
  add({"MIT", "Tsinghua University"}, "Github", "2024");
  add({"mit"}, "github", "2024");
  add({"MIT", "MIT"}, "Github", "2025");  // listed twice, counted once
  add({}, "ICML", "2023");
  numbering.Save(db);

  FacetDictionary dictionary(db);
  FacetSpy spy(dictionary);
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query("x"));
  enquire.add_matchspy(&spy);
  enquire.get_mset(0, 1, 100);
  EXPECT_EQ(spy.documents_seen(), 4u);

  const auto all = spy.Tops(0);
  const std::vector<FacetCount>& inst = all[FacetSpy::kInstitution];
  ASSERT_EQ(inst.size(), 2u);
  EXPECT_EQ(inst[0].value, "MIT");
  EXPECT_EQ(inst[0].count, 3u);
  EXPECT_EQ(inst[1].value, "Tsinghua University");
  EXPECT_EQ(inst[1].count, 1u);

  const std::vector<FacetCount>& venue = all[FacetSpy::kVenue];
  ASSERT_EQ(venue.size(), 2u);
  EXPECT_EQ(venue[0].value, "Github");
  EXPECT_EQ(venue[0].count, 3u);

  std::vector<FacetCount> year = spy.Tops(1)[FacetSpy::kYear];
  ASSERT_EQ(year.size(), 1u);
  EXPECT_EQ(year[0].value, "2024");
  EXPECT_EQ(year[0].count, 2u);
}

}  // namespace
}  // namespace papersearch
