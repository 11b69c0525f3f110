// The seed-format renderer on hand-written papers: every cell shape, badge
// colours, sorting, grouping and merging.
#include "common/seed_markdown.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace papersearch {
namespace {

struct PaperSpec {
  std::string id = "2024/Example";
  std::string title = "Example Sparse Paper";
  std::string abbr = "ExSparse";
  std::string url = "https://example.org/paper";
  std::string venue = "ICML";
  int year = 2024;
  std::vector<std::string> institutions = {"Example University"};
  std::string code_type;
  std::string code_url;
  std::string cover;
  std::string note;
};

StoredPaper Make(const PaperSpec& spec) {
  StoredPaper p;
  p.set_id(spec.id);
  auto* paper = p.mutable_info()->mutable_paper();
  paper->set_title(spec.title);
  if (!spec.abbr.empty()) paper->set_abbr(spec.abbr);
  if (!spec.url.empty()) paper->set_url(spec.url);
  for (const auto& inst : spec.institutions) paper->add_institutions(inst);
  if (!spec.venue.empty())
    p.mutable_info()->mutable_pub()->set_where(spec.venue);
  p.mutable_info()->mutable_pub()->set_year(spec.year);
  if (!spec.code_type.empty()) {
    p.mutable_info()->mutable_code()->set_type(spec.code_type);
  }
  if (!spec.code_url.empty()) {
    p.mutable_info()->mutable_code()->set_url(spec.code_url);
  }
  if (!spec.cover.empty())
    p.mutable_info()->mutable_cover()->set_url(spec.cover);
  if (!spec.note.empty()) p.mutable_info()->mutable_note()->set_url(spec.note);
  return p;
}

TEST(SeedMarkdownTest, RowWithEveryCellFilled) {
  PaperSpec spec;
  spec.code_url = "https://github.com/example-org/example-repo/tree/main/sub";
  spec.code_type = "Pytorch";
  spec.cover = "fig1.png";
  spec.note = "note.md";
  EXPECT_EQ(RenderRow(Make(spec)),
            "| [ExSparse](./meta/2024/Example.prototxt) | "
            "[Example Sparse Paper](https://example.org/paper) | "
            "![cover](./notes/2024/Example/fig1.png) | "
            "![Publish](https://img.shields.io/badge/2024-ICML-FF8C00) | "
            "[![GitHub Repo stars](https://img.shields.io/github/stars/"
            "example-org/example-repo)](https://github.com/example-org/"
            "example-repo) | [note](./notes/2024/Example/note.md) |\n");
}

TEST(SeedMarkdownTest, RowWithEmptyCellsAndNoAbbr) {
  PaperSpec spec;
  spec.abbr = "";
  EXPECT_EQ(RenderRow(Make(spec)),
            "| [m](./meta/2024/Example.prototxt) | "
            "[Example Sparse Paper](https://example.org/paper) |  | "
            "![Publish](https://img.shields.io/badge/2024-ICML-FF8C00) |  |  "
            "|\n");
}

TEST(SeedMarkdownTest, NonGitHubCodeShowsItsType) {
  PaperSpec spec;
  spec.code_type = "Website";
  spec.code_url = "https://example.org/project";
  EXPECT_NE(RenderRow(Make(spec))
                .find(" | [Website](https://example.org/"
                      "project) | "),
            std::string::npos);
  spec.code_type = "";
  EXPECT_NE(RenderRow(Make(spec))
                .find(" | [code](https://example.org/"
                      "project) | "),
            std::string::npos);
}

TEST(SeedMarkdownTest, GitHubUrlWithStraySpaceStillGetsTheBadge) {
  PaperSpec spec;
  spec.code_url = " https://github.com/example-org/tool";
  EXPECT_NE(RenderRow(Make(spec)).find("(https://github.com/example-org/tool)"),
            std::string::npos);
}

TEST(SeedMarkdownTest, TitleWithoutUrlIsPlainText) {
  PaperSpec spec;
  spec.url = "";
  EXPECT_NE(RenderRow(Make(spec)).find(" | Example Sparse Paper | "),
            std::string::npos);
}

TEST(SeedMarkdownTest, PipesAndNewlinesCannotBreakTheTable) {
  PaperSpec spec;
  spec.title = "Pipes | and\nlines";
  std::string row = RenderRow(Make(spec));
  EXPECT_NE(row.find("[Pipes \\| and lines]"), std::string::npos);
  EXPECT_EQ(row.find('\n'), row.size() - 1);
}

TEST(SeedMarkdownTest, NotesLinkForms) {
  EXPECT_EQ(NotesLink("2023/Example", ""), "");
  EXPECT_EQ(NotesLink("2023/Example", "note.md"),
            "./notes/2023/Example/note.md");
  EXPECT_EQ(NotesLink("2023/Example", "old_dir/index.md"),
            "./notes/2023/old_dir/index.md");
  EXPECT_EQ(NotesLink("2023/Example", "../shared/fig.jpg"),
            "./notes/shared/fig.jpg");
  EXPECT_EQ(NotesLink("2023/Example", "/note.md"), "note.md");
  EXPECT_EQ(NotesLink("2023/Example", "https://example.org/fig.png"),
            "https://example.org/fig.png");
}

TEST(SeedMarkdownTest, NotesUrlFromLinkInvertsNotesLink) {
  const std::string id = "2023/Example";
  for (std::string link :
       {"./notes/2023/Example/note.md", "./notes/2023/old_dir/index.md",
        "./notes/shared/fig.jpg", "./notes/2023/fig.jpg", "note.md",
        "./notes/2023/Example/sub/fig.png", "https://example.org/fig.png",
        "/abs/fig.png", "./notes/../elsewhere.png"}) {
    std::string url = NotesUrlFromLink(id, link);
    EXPECT_EQ(NotesLink(id, url), link) << "url " << url;
  }
  EXPECT_EQ(NotesUrlFromLink(id, "./notes/2023/Example/note.md"), "note.md");
  EXPECT_EQ(NotesUrlFromLink(id, "./notes/2023/old_dir/index.md"),
            "old_dir/index.md");
  EXPECT_EQ(NotesUrlFromLink(id, "./notes/shared/fig.jpg"),
            "../shared/fig.jpg");
  EXPECT_EQ(NotesUrlFromLink(id, "note.md"), "/note.md");
}

TEST(SeedMarkdownTest, BadgeColours) {
  const std::vector<std::pair<std::string, std::string>> table = {
      {"ICML", "FF8C00"},
      {"arXiv", "1E88E5"},
      {"ICLR", "FF6B6B"},
      {"NeurIPS", "FF1493"},
      {"AutoML Workshop", "A9A9A9"},
      {"Neuromorphic Computing and Engineering", "40E0D0"},
      {"ICLR oral", "green"},
      {"Unknown Venue", "green"},
  };
  for (const auto& [venue, color] : table) {
    EXPECT_EQ(VenueBadgeColor(venue), color) << venue;
  }
}

TEST(SeedMarkdownTest, PublishBadgeUnderscoresSpacesAndDefaultsToArxiv) {
  PaperSpec spec;
  spec.venue = "AutoML Workshop";
  spec.year = 2023;
  EXPECT_EQ(PublishBadge(Make(spec)),
            "![Publish](https://img.shields.io/badge/2023-AutoML_Workshop-"
            "A9A9A9)");
  spec.venue = "";
  EXPECT_EQ(PublishBadge(Make(spec)),
            "![Publish](https://img.shields.io/badge/2023-arXiv-1E88E5)");
}

// Splits a grouped document into (group name, rows) in document order.
std::vector<std::pair<std::string, std::vector<std::string>>> Groups(
    const std::string& doc) {
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;
  size_t pos = 0;
  while (pos < doc.size()) {
    size_t eol = doc.find('\n', pos);
    std::string line = doc.substr(pos, eol - pos);
    pos = eol + 1;
    const std::string open = "<details open><summary><b>";
    if (line.starts_with(open)) {
      groups.push_back(
          {line.substr(open.size(), line.find("</b>") - open.size()), {}});
    } else if (line.starts_with("| [") && !groups.empty()) {
      groups.back().second.push_back(line);
    }
  }
  return groups;
}

TEST(SeedMarkdownTest, GroupedLayoutIsExact) {
  PaperSpec spec;
  std::string doc = RenderGrouped({Make(spec)}, GroupBy::kInstitution);
  EXPECT_EQ(doc,
            "<details open><summary>\n\n### institution\n</summary> \n<p>\n\n"
            "<details open><summary><b>Example University</b></summary> \n"
            "<p>\n\n\n" +
                std::string(TableHeader()) + RenderRow(Make(spec)) +
                "</p>\n</details>\n</p>\n</details>\n\n");
  EXPECT_EQ(TableHeader(),
            "| Meta | Title | Cover | Publish | Code | Note |\n"
            "|:-----|:------|:------|:--------|:-----|:-----|\n");
}

TEST(SeedMarkdownTest, GroupsByteOrderedAndRowsByBadgeThenTitle) {
  PaperSpec a;  // 2024-ICML, title "Zeta ..."
  a.id = "2024/Zeta";
  a.title = "Zeta Pruning Study";
  a.institutions = {"beta Lab", "Alpha Institute"};
  PaperSpec b;  // 2023-ICML sorts before 2024-ICML
  b.id = "2023/Omega";
  b.title = "Omega Quantization Study";
  b.year = 2023;
  b.institutions = {"Alpha Institute"};
  PaperSpec c;  // same badge as a, title sorts first
  c.id = "2024/Alpha";
  c.title = "Alpha Attention Study";
  c.institutions = {"Alpha Institute", "Zulu Center"};
  std::string doc =
      RenderGrouped({Make(a), Make(b), Make(c)}, GroupBy::kInstitution);
  auto groups = Groups(doc);
  ASSERT_EQ(groups.size(), 3u);
  // Byte order: upper case before lower case.
  EXPECT_EQ(groups[0].first, "Alpha Institute");
  EXPECT_EQ(groups[1].first, "Zulu Center");
  EXPECT_EQ(groups[2].first, "beta Lab");
  ASSERT_EQ(groups[0].second.size(), 3u);
  EXPECT_NE(groups[0].second[0].find("2023/Omega"), std::string::npos);
  EXPECT_NE(groups[0].second[1].find("2024/Alpha"), std::string::npos);
  EXPECT_NE(groups[0].second[2].find("2024/Zeta"), std::string::npos);
}

TEST(SeedMarkdownTest, DuplicateInstitutionGivesOneRow) {
  PaperSpec spec;
  spec.institutions = {"Example University", "Other Lab", "Example University"};
  auto groups = Groups(RenderGrouped({Make(spec)}, GroupBy::kInstitution));
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].second.size(), 1u);
  EXPECT_EQ(groups[1].second.size(), 1u);
}

TEST(SeedMarkdownTest, PaperWithoutInstitutionIsLeftOut) {
  PaperSpec spec;
  spec.institutions = {};
  auto groups = Groups(RenderGrouped({Make(spec)}, GroupBy::kInstitution));
  EXPECT_TRUE(groups.empty());
}

TEST(SeedMarkdownTest, GroupByVenueYearKeyword) {
  PaperSpec a;
  a.id = "2024/A";
  a.venue = "";  // displayed as arXiv
  PaperSpec b;
  b.id = "2023/B";
  b.venue = "ICLR oral";
  b.year = 2023;
  StoredPaper pa = Make(a);
  StoredPaper pb = Make(b);
  pa.mutable_info()->mutable_keyword()->add_words(
      efficient_paper::Keyword::kv_cache_sparse);
  pa.mutable_info()->mutable_keyword()->add_words(
      efficient_paper::Keyword::quantization);
  pb.mutable_info()->mutable_keyword()->add_words(
      efficient_paper::Keyword::quantization);
  pb.add_extra_keywords("custom_label");

  std::string venue_doc = RenderGrouped({pa, pb}, GroupBy::kVenue);
  EXPECT_NE(venue_doc.find("\n### venue\n"), std::string::npos);
  auto venues = Groups(venue_doc);
  ASSERT_EQ(venues.size(), 2u);
  EXPECT_EQ(venues[0].first, "ICLR oral");
  EXPECT_EQ(venues[1].first, "arXiv");

  auto years = Groups(RenderGrouped({pa, pb}, GroupBy::kYear));
  ASSERT_EQ(years.size(), 2u);
  EXPECT_EQ(years[0].first, "2023");
  EXPECT_EQ(years[1].first, "2024");

  std::string keyword_doc = RenderGrouped({pa, pb}, GroupBy::kKeyword);
  EXPECT_NE(keyword_doc.find("\n### keyword\n"), std::string::npos);
  auto keywords = Groups(keyword_doc);
  ASSERT_EQ(keywords.size(), 3u);
  EXPECT_EQ(keywords[0].first, "custom_label");
  EXPECT_EQ(keywords[1].first, "kv_cache_sparse");
  EXPECT_EQ(keywords[2].first, "quantization");
  EXPECT_EQ(keywords[2].second.size(), 2u);
}

TEST(SeedMarkdownTest, GroupByNames) {
  EXPECT_EQ(GroupByName(GroupBy::kInstitution), "institution");
  EXPECT_EQ(GroupByName(GroupBy::kVenue), "venue");
  EXPECT_EQ(GroupByName(GroupBy::kYear), "year");
  EXPECT_EQ(GroupByName(GroupBy::kKeyword), "keyword");
}

TEST(SeedMarkdownTest, TableKeepsGivenOrder) {
  PaperSpec a;
  a.id = "2025/Late";
  PaperSpec b;
  b.id = "2020/Early";
  StoredPaper pa = Make(a);
  StoredPaper pb = Make(b);
  std::string table = RenderTable({&pa, &pb});
  EXPECT_EQ(table, std::string(TableHeader()) + RenderRow(pa) + RenderRow(pb));
}

TEST(SeedMarkdownTest, ManyPapersRenderQuickly) {
  std::vector<StoredPaper> papers;
  for (int i = 0; i < 20000; ++i) {
    PaperSpec spec;
    spec.id = "2024/P" + std::to_string(i);
    spec.title = "Example Paper " + std::to_string(i * 7919 % 20000);
    spec.institutions = {"Lab " + std::to_string(i % 300), "Shared Lab"};
    papers.push_back(Make(spec));
  }
  auto start = std::chrono::steady_clock::now();
  std::string doc = RenderGrouped(papers, GroupBy::kInstitution);
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(Groups(doc).size(), 301u);
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

}  // namespace
}  // namespace papersearch
