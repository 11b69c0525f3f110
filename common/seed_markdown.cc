#include "common/seed_markdown.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <string>
#include <utility>

#include "common/names.h"

namespace papersearch {
namespace {

// The list's own venue colours. Venues it does not name are "green".
struct VenueColor {
  std::string_view venue;
  std::string_view color;
};
constexpr VenueColor kVenueColors[] = {
    {"AAAI", "FF4500"},
    {"ICLR", "FF6B6B"},
    {"ICML", "FF8C00"},
    {"NeurIPS", "FF1493"},
    {"ACL", "4169E1"},
    {"COLM", "6495ED"},
    {"Coling", "1E90FF"},
    {"ENLSP", "00BFFF"},
    {"TACL", "87CEEB"},
    {"CVPR", "2E8B57"},
    {"ECCV", "3CB371"},
    {"ASPLOS", "9370DB"},
    {"SOSP", "8A2BE2"},
    {"ISCA", "9932CC"},
    {"MICRO", "BA55D3"},
    {"MLSys", "DDA0DD"},
    {"ATC", "DC143C"},
    {"DATE", "B22222"},
    {"SC", "CD5C5C"},
    {"TC", "F08080"},
    {"VLDB", "A52A2A"},
    {"VLSI", "8B0000"},
    {"JMLR", "008B8B"},
    {"TMLR", "20B2AA"},
    {"Neuromorphic Computing and Engineering", "40E0D0"},
    {"arXiv", "1E88E5"},
    {"AutoML Workshop", "A9A9A9"},
    {"Blog", "696969"},
    {"github", "2F4F4F"},
};

constexpr std::string_view kDefaultVenue = "arXiv";

// Text made safe for one table cell: '|' escaped, line breaks as spaces.
void AppendCell(std::string& out, std::string_view text) {
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
}

// "YEAR" and "NAME" of an id "YEAR/NAME"; an id without '/' is all name.
std::pair<std::string_view, std::string_view> SplitId(std::string_view id) {
  size_t slash = id.find('/');
  if (slash == std::string_view::npos) return {std::string_view(), id};
  return {id.substr(0, slash), id.substr(slash + 1)};
}

std::string_view DisplayedVenue(const efficient_paper::PaperInfo& info) {
  const std::string& where = info.pub().where();
  return where.empty() ? kDefaultVenue : std::string_view(where);
}

// "OWNER/REPO" when `url` is a GitHub repository (or a path inside one),
// else empty.
std::string_view GitHubRepo(std::string_view url) {
  for (std::string_view prefix :
       {"https://github.com/", "http://github.com/", "https://www.github.com/",
        "http://www.github.com/"}) {
    if (!url.starts_with(prefix)) continue;
    std::string_view rest = url.substr(prefix.size());
    size_t owner_end = rest.find('/');
    if (owner_end == 0 || owner_end == std::string_view::npos) return {};
    size_t repo_end = rest.find_first_of("/?#", owner_end + 1);
    if (repo_end == std::string_view::npos) repo_end = rest.size();
    if (repo_end == owner_end + 1) return {};
    return rest.substr(0, repo_end);
  }
  return {};
}

void AppendCodeCell(std::string& out, const efficient_paper::Code& code) {
  if (code.url().empty()) return;
  // Stray spaces around a url are typos the list tolerates (" https://...").
  std::string_view url = code.url();
  url.remove_prefix(std::min(url.find_first_not_of(" \t"), url.size()));
  url.remove_suffix(url.size() -
                    std::min(url.find_last_not_of(" \t") + 1, url.size()));
  std::string_view repo = GitHubRepo(url);
  if (!repo.empty()) {
    out += "[![GitHub Repo stars](https://img.shields.io/github/stars/";
    AppendCell(out, repo);
    out += ")](https://github.com/";
    AppendCell(out, repo);
    out += ')';
    return;
  }
  out += '[';
  AppendCell(out, code.type().empty() ? std::string_view("code")
                                      : std::string_view(code.type()));
  out += "](";
  AppendCell(out, code.url());
  out += ')';
}

// Publish badge and title cell: the two sort keys of a row, and the row.
struct RenderedRow {
  std::string badge;
  std::string title;
  std::string row;
};

// `with_authors`: an Authors cell after the title (papersearch's ranked
// table; the list's own table has none).
RenderedRow RenderParts(const StoredPaper& paper, bool with_authors = false) {
  const efficient_paper::PaperInfo& info = paper.info();
  RenderedRow r;
  r.badge = PublishBadge(paper);
  if (info.paper().url().empty()) {
    AppendCell(r.title, info.paper().title());
  } else {
    r.title += '[';
    AppendCell(r.title, info.paper().title());
    r.title += "](";
    AppendCell(r.title, info.paper().url());
    r.title += ')';
  }

  std::string& row = r.row;
  row.reserve(r.badge.size() + r.title.size() + 256);
  row += "| [";
  AppendCell(row, info.paper().abbr().empty()
                      ? std::string_view("m")
                      : std::string_view(info.paper().abbr()));
  row += "](./meta/";
  AppendCell(row, paper.id());
  row += ".prototxt) | ";
  row += r.title;
  row += " | ";
  if (with_authors) {
    AppendCell(row, ShortAuthorList(SplitAuthors(info.paper().authors())));
    row += " | ";
  }
  if (std::string link = NotesLink(paper.id(), info.cover().url());
      !link.empty()) {
    row += "![cover](";
    AppendCell(row, link);
    row += ')';
  }
  row += " | ";
  row += r.badge;
  row += " | ";
  AppendCodeCell(row, info.code());
  row += " | ";
  if (std::string link = NotesLink(paper.id(), info.note().url());
      !link.empty()) {
    row += "[note](";
    AppendCell(row, link);
    row += ')';
  }
  row += " |\n";
  return r;
}

// The names of the groups `paper` belongs to under `by`, possibly repeated.
std::vector<std::string> GroupNames(const StoredPaper& paper, GroupBy by) {
  const efficient_paper::PaperInfo& info = paper.info();
  std::vector<std::string> names;
  switch (by) {
    case GroupBy::kInstitution:
      names.assign(info.paper().institutions().begin(),
                   info.paper().institutions().end());
      break;
    case GroupBy::kVenue: names.emplace_back(DisplayedVenue(info)); break;
    case GroupBy::kYear:
      if (info.pub().has_year()) {
        names.push_back(std::to_string(info.pub().year()));
      }
      break;
    case GroupBy::kKeyword:
      for (int word : info.keyword().words()) {
        names.push_back(efficient_paper::Keyword::Word_Name(
            static_cast<efficient_paper::Keyword::Word>(word)));
      }
      names.insert(names.end(), paper.extra_keywords().begin(),
                   paper.extra_keywords().end());
      break;
    case GroupBy::kAuthor:
      // Each author once, also from a record that joins them in one string.
      names = SplitAuthors(info.paper().authors());
      break;
  }
  return names;
}

void AppendGroupName(std::string& out, std::string_view name) {
  for (char c : name) out += (c == '\n' || c == '\r') ? ' ' : c;
}

}  // namespace

std::string_view GroupByName(GroupBy by) {
  switch (by) {
    case GroupBy::kInstitution: return "institution";
    case GroupBy::kVenue: return "venue";
    case GroupBy::kYear: return "year";
    case GroupBy::kKeyword: return "keyword";
    case GroupBy::kAuthor: return "author";
  }
  return "institution";
}

std::string_view VenueBadgeColor(std::string_view venue) {
  for (const VenueColor& entry : kVenueColors) {
    if (entry.venue == venue) return entry.color;
  }
  return "green";
}

std::string PublishBadge(const StoredPaper& paper) {
  std::string_view venue = DisplayedVenue(paper.info());
  std::string out = "![Publish](https://img.shields.io/badge/";
  out += std::to_string(paper.info().pub().year());
  out += '-';
  for (char c : venue) {
    if (c == ' ') {
      out += '_';
    } else if (c == '|' || c == '\n' || c == '\r') {
      out += '_';  // keeps the table intact; never in a real venue
    } else {
      out += c;
    }
  }
  out += '-';
  out += VenueBadgeColor(venue);
  out += ')';
  return out;
}

std::string RenderRow(const StoredPaper& paper) {
  return RenderParts(paper).row;
}

std::string NotesLink(std::string_view id, std::string_view url) {
  if (url.empty()) return {};
  if (url.find("://") != std::string_view::npos) return std::string(url);
  if (url.front() == '/') return std::string(url.substr(1));
  auto [year, name] = SplitId(id);
  if (url.find('/') == std::string_view::npos) {
    std::string out = "./notes/";
    out += year;
    out += '/';
    out += name;
    out += '/';
    out += url;
    return out;
  }
  // A path with a directory is relative to notes/YEAR/; leading ".."
  // segments climb from there, lexically.
  std::vector<std::string_view> base = {"notes", year};
  while (url.starts_with("../") && !base.empty()) {
    base.pop_back();
    url.remove_prefix(3);
  }
  std::string out = ".";
  for (std::string_view segment : base) {
    out += '/';
    out += segment;
  }
  out += '/';
  out += url;
  return out;
}

std::string NotesUrlFromLink(std::string_view id, std::string_view link) {
  if (link.empty()) return {};
  std::vector<std::string> candidates;
  if (link.find("://") != std::string_view::npos) {
    candidates.emplace_back(link);
  }
  auto [year, name] = SplitId(id);
  std::string notes_year = "./notes/" + std::string(year) + "/";
  if (link.starts_with(notes_year)) {
    std::string_view rest = link.substr(notes_year.size());
    std::string beside_note = std::string(name) + "/";
    if (rest.starts_with(beside_note)) {
      candidates.emplace_back(rest.substr(beside_note.size()));
    }
    candidates.emplace_back(rest);
  }
  if (link.starts_with("./notes/")) {
    std::string above_year = "../";
    above_year += link.substr(8);
    candidates.push_back(std::move(above_year));
  }
  // Always maps back: NotesLink writes a "/..." url without its '/'.
  std::string from_list = "/";
  from_list += link;
  for (const std::string& url : candidates) {
    if (!url.empty() && NotesLink(id, url) == link) return url;
  }
  return from_list;
}

std::string_view TableHeader() {
  return "| Meta | Title | Cover | Publish | Code | Note |\n"
         "|:-----|:------|:------|:--------|:-----|:-----|\n";
}

std::string RenderGrouped(const std::vector<StoredPaper>& papers, GroupBy by,
                          const GroupKey& key_of) {
  std::vector<RenderedRow> rows;
  rows.reserve(papers.size());
  // Group name -> indices into `papers`; std::map orders names by bytes.
  std::map<std::string, std::vector<size_t>> groups;
  // With `key_of`: key -> (spelling -> papers), and the group is named by
  // its most common spelling (ties: the smaller in bytes).
  std::map<std::string, std::map<std::string, std::vector<size_t>>> spellings;
  for (size_t i = 0; i < papers.size(); ++i) {
    rows.push_back(RenderParts(papers[i]));
    for (std::string& name : GroupNames(papers[i], by)) {
      if (key_of) {
        spellings[key_of(name)][name].push_back(i);
      } else {
        groups[std::move(name)].push_back(i);
      }
    }
  }
  for (auto& [key, named] : spellings) {
    const std::string* best = nullptr;
    size_t best_count = 0;
    std::vector<size_t> members;
    for (const auto& [name, ids] : named) {
      if (ids.size() > best_count) {  // map order: ties keep the smaller
        best = &name;
        best_count = ids.size();
      }
      members.insert(members.end(), ids.begin(), ids.end());
    }
    std::vector<size_t>& group = groups[*best];
    group.insert(group.end(), members.begin(), members.end());
  }

  std::string out = "<details open><summary>\n\n### ";
  out += GroupByName(by);
  out += "\n</summary> \n<p>\n\n";
  for (auto& [name, members] : groups) {
    // A paper naming a group twice is listed once.
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    std::stable_sort(members.begin(), members.end(), [&](size_t a, size_t b) {
      if (rows[a].badge != rows[b].badge) return rows[a].badge < rows[b].badge;
      return rows[a].title < rows[b].title;
    });
    out += "<details open><summary><b>";
    AppendGroupName(out, name);
    out += "</b></summary> \n<p>\n\n\n";
    out += TableHeader();
    for (size_t i : members) out += rows[i].row;
    out += "</p>\n</details>\n";
  }
  out += "</p>\n</details>\n\n";
  return out;
}

std::string RenderTable(const std::vector<const StoredPaper*>& papers,
                        bool with_authors) {
  std::string out(
      with_authors ? "| Meta | Title | Authors | Cover | Publish | Code | "
                     "Note |\n"
                     "|:-----|:------|:--------|:------|:--------|:-----|:---"
                     "--|\n"
                   : TableHeader());
  for (const StoredPaper* paper : papers) {
    if (paper != nullptr) out += RenderParts(*paper, with_authors).row;
  }
  return out;
}

}  // namespace papersearch
