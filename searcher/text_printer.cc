#include "searcher/text_printer.h"

#include <cstdio>

#include "common/names.h"
#include "common/utf8.h"
#include "searcher/paper_view.h"

namespace papersearch {
namespace {

constexpr char kReset[] = "\x1b[0m";
constexpr char kBold[] = "\x1b[1m";
constexpr char kMatch[] = "\x1b[1;31m";
constexpr char kDim[] = "\x1b[2m";
constexpr char kGreen[] = "\x1b[32m";
constexpr char kCyan[] = "\x1b[36m";
constexpr char kBlue[] = "\x1b[34m";

// Strips bytes that would move the cursor or start escape sequences, so a
// record cannot repaint the terminal.
std::string Clean(std::string_view text) {
  std::string out = SanitizeUtf8(text);
  for (char& c : out) {
    unsigned char byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) c = ' ';
  }
  return out;
}

class Painter {
 public:
  explicit Painter(bool color) : color_(color) {}
  std::string operator()(const char* code, std::string_view text) const {
    if (!color_) return std::string(text);
    return std::string(code) + std::string(text) + kReset;
  }
  // `resume`: the colour to return to after a match (inside a bold title).
  std::string Snippet(const std::vector<SnippetPart>& parts,
                      const std::string& resume = "") const {
    std::vector<SnippetPart> cleaned = parts;
    for (SnippetPart& part : cleaned) part.text = Clean(part.text);
    if (color_) return MarkSnippet(cleaned, kMatch, kReset + resume);
    return MarkSnippet(cleaned, kPlainMatchStart, kPlainMatchEnd);
  }

 private:
  bool color_;
};

std::string JoinItems(
    const google::protobuf::RepeatedPtrField<std::string>& items,
    std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::string Summary(const SearchResults& results) {
  std::string total = std::to_string(results.total);
  if (!results.total_is_exact) total = "about " + total;
  std::string line = total + (results.total == 1 ? " paper" : " papers");
  if (!results.hits.empty()) {
    line += ", showing " + std::to_string(results.hits.front().rank) + "-" +
            std::to_string(results.hits.back().rank);
  } else if (results.total > 0) {
    line += ", none shown (past --offset or --limit 0)";
  }
  if (results.total_some_words > 0) line += ": " + PartialSummary(results);
  return line + "\n";
}

void AppendHit(const Hit& hit, const Painter& paint, std::string* out) {
  const StoredPaper& paper = hit.paper;
  const auto& info = paper.info();
  std::string indent(std::to_string(hit.rank).size() + 2, ' ');
  std::string title = hit.snippet_from_note || hit.snippet.empty()
                          ? Clean(info.paper().title())
                          : paint.Snippet(hit.snippet, kBold);
  out->append("\n").append(paint(kBold, std::to_string(hit.rank) + "."));
  out->append(" ");
  if (!info.paper().abbr().empty()) {
    out->append(paint(kCyan, Clean(info.paper().abbr()))).append(": ");
  }
  out->append(paint(kBold, title)).append("\n");
  std::string where = DisplayVenue(paper);
  if (std::optional<int> year = PaperYear(paper)) {
    where.append(" ").append(std::to_string(*year));
  }
  *out += indent + paint(kGreen, Clean(where));
  std::string institutions = JoinItems(info.paper().institutions(), "; ");
  if (!institutions.empty()) out->append(" · ").append(Clean(institutions));
  *out += "\n";
  auto line = [&](const char* label, const std::string& value) {
    if (value.empty()) return;
    *out += indent + paint(kDim, label) + paint(kBlue, Clean(value)) + "\n";
  };
  const std::string authors =
      ShortAuthorList(SplitAuthors(paper.info().paper().authors()));
  if (!authors.empty()) {
    *out += indent + paint(kDim, "by    ") + Clean(authors) + "\n";
  }
  line("paper ", info.paper().url());
  line("code  ", info.code().url());
  line("note  ", paper.note_path());
  if (hit.snippet_from_note && !hit.snippet.empty()) {
    *out += indent + paint.Snippet(hit.snippet) + "\n";
  }
  if (hit.explanation) {
    char number[32];
    std::snprintf(number, sizeof number, "%.3f", hit.score);
    std::string why = "score " + std::string(number) + " =";
    bool first = true;
    for (const ScorePart& part : hit.explanation->parts) {
      std::snprintf(number, sizeof number, "%.3f", part.weight);
      why += (first ? " " : " + ") + std::string(number) + " " +
             Clean(part.fields) + ":" + Clean(part.words);
      first = false;
    }
    if (hit.explanation->parts.empty()) {
      why += " nothing that weighs (a filter or a name matched)";
    }
    if (hit.explanation->rest != 0) {
      std::snprintf(number, sizeof number, "%.3f", hit.explanation->rest);
      why += " + " + std::string(number) + " (repeated terms)";
    }
    *out += indent + paint(kDim, "why   ") + why + "\n";
  }
}

void AppendFacet(const char* name, const std::vector<FacetCount>& counts,
                 const Painter& paint, std::string* out) {
  *out += paint(kBold, name) + ":";
  if (counts.empty()) *out += " -";
  for (size_t i = 0; i < counts.size(); ++i) {
    *out += (i == 0 ? " " : ", ") + Clean(counts[i].value) + " (" +
            std::to_string(counts[i].count) + ")";
  }
  *out += "\n";
}

}  // namespace

std::string FormatText(const SearchResults& results, const TextStyle& style) {
  Painter paint(style.color);
  std::string out = Summary(results);
  // With --explain, how each institution and venue name was read.
  const bool explain =
      !results.hits.empty() && results.hits.front().explanation.has_value();
  for (const NameResolution& name :
       explain ? results.names : std::vector<NameResolution>()) {
    std::string found;
    for (const NameResolution::Found& each : name.found) {
      found += (found.empty() ? "" : ", ") + Clean(each.name) + " (" +
               each.how + ")";
    }
    out += paint(kDim, name.field + " '" + Clean(name.value) + "': ") +
           (found.empty() ? "nothing in the index" : found) + "\n";
  }
  bool partial = false;
  for (const Hit& hit : results.hits) {
    if (hit.partial && !partial && results.total_all_words > 0) {
      out +=
          "\n" +
          paint(kBold, "Partly matching (some of the words, or the topic):") +
          "\n";
    }
    partial = hit.partial;
    AppendHit(hit, paint, &out);
  }
  if (style.show_facets) {
    out += "\n";
    if (!results.facets.exact) {
      out += "(facet counts are estimates from a sample of " +
             std::to_string(results.facets.counted) +
             " matches; --exact counts them all)\n";
    }
    AppendFacet("institutions", results.facets.institution, paint, &out);
    AppendFacet("venues", results.facets.venue, paint, &out);
    AppendFacet("years", results.facets.year, paint, &out);
    AppendFacet("keywords", results.facets.keyword, paint, &out);
  }
  return out;
}

}  // namespace papersearch
