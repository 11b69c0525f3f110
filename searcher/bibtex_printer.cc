#include "searcher/bibtex_printer.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "common/names.h"
#include "common/utf8.h"
#include "searcher/paper_view.h"

namespace papersearch {
namespace {

// Words a key skips at the start of a title ("Towards Efficient ...":
// "efficient").
constexpr std::string_view kKeyStopWords[] = {
    "a",  "an", "and", "are", "at",  "by", "do",      "does",   "for", "from",
    "in", "is", "of",  "on",  "the", "to", "towards", "toward", "via", "with"};

// Venues that say a paper was not published at a conference or in a
// journal (compared in lower case; "arXiv..." too).
constexpr std::string_view kUnpublishedVenues[] = {
    "github", "blog", "preprint", "website", "web", "online"};

template <typename Words>
bool Contains(const Words& words, std::string_view word) {
  return std::find(std::begin(words), std::end(words), word) != std::end(words);
}

// Of a key part: the text folded (lower case, accents off Latin letters)
// with everything but ASCII letters and digits dropped ("H$_2$O" -> "h2o").
std::string KeyText(std::string_view text) {
  std::string out;
  for (char c : FoldName(text)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
  }
  return out;
}

constexpr size_t kMaxKeyWord = 24;

// The first word of the title that is not a stop word (or the first word
// when all are), as KeyText; "" for a title with no letters or digits.
std::string TitleWord(std::string_view title) {
  std::string first;
  size_t start = 0;
  while (start < title.size()) {
    size_t end = title.find_first_of(" \t\r\n", start);
    if (end == std::string_view::npos) end = title.size();
    std::string word = KeyText(title.substr(start, end - start));
    if (!word.empty()) {
      if (!Contains(kKeyStopWords, word)) return word;
      if (first.empty()) first = word;
    }
    start = end + 1;
  }
  return first;
}

std::string BaseKey(const StoredPaper& paper) {
  const auto& info = paper.info().paper();
  std::string surname;
  std::vector<std::string> names = SplitAuthors(info.authors());
  if (!names.empty()) {
    std::string folded = FoldName(names.front());
    surname = KeyText(folded.substr(folded.rfind(' ') + 1));
  }
  std::string word = KeyText(info.abbr());
  if (word.empty()) word = TitleWord(info.title());
  if (word.size() > kMaxKeyWord) word.resize(kMaxKeyWord);
  std::string year;
  if (std::optional<int> y = PaperYear(paper)) year = std::to_string(*y);
  if (!surname.empty()) return surname + year + word;
  if (!word.empty()) return word + year;
  return "paper" + year;
}

// "a", "b", ... "z", "aa", "ab", ...: the n-th suffix (0-based).
std::string Suffix(size_t n) {
  std::string out;
  for (++n; n > 0; n = (n - 1) / 26) {
    out.insert(out.begin(), static_cast<char>('a' + (n - 1) % 26));
  }
  return out;
}

// Whether the record's venue is where the paper was published: a
// conference or journal, not a preprint server, a repository or a blog.
bool IsPublishedVenue(const StoredPaper& paper) {
  std::string venue = AsciiLower(TrimAsciiSpace(paper.info().pub().where()));
  if (venue.empty() || venue.starts_with("arxiv")) return false;
  return !Contains(kUnpublishedVenues, venue);
}

// The arXiv identifier of an arxiv.org/abs/ID (or /pdf/ID) URL: new-style
// "2306.14048v2" or old-style "cs/0112017"; "" for any other URL.
std::string ArxivId(std::string_view url) {
  for (std::string_view page : {"arxiv.org/abs/", "arxiv.org/pdf/"}) {
    size_t at = url.find(page);
    if (at == std::string_view::npos) continue;
    std::string_view host = url.substr(0, at);
    // Only the host arxiv.org or one of its subdomains (export., www.).
    if (!host.empty() && !host.ends_with("//") && !host.ends_with(".")) {
      continue;
    }
    std::string_view id = url.substr(at + page.size());
    id = id.substr(0, id.find_first_of("?#"));
    while (id.ends_with('/')) id.remove_suffix(1);
    if (id.ends_with(".pdf")) id.remove_suffix(4);
    bool digit = false;
    for (char c : id) {
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   c == '.' || c == '/' || c == '-')) {
        return "";
      }
    }
    return digit ? std::string(id) : "";
  }
  return "";
}

// A URL as a field body: braces, backslashes, spaces and control
// characters percent-encoded (they are not valid in a URL anyway), so that
// braces stay balanced and \url{} reads it whole.
std::string EscapeUrl(std::string_view url) {
  std::string out;
  for (char c : SanitizeUtf8(TrimAsciiSpace(url))) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '{' || c == '}' || c == '\\' || c == ' ' || c == '"' ||
        byte < 0x20 || byte == 0x7f) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

// open + body + close (appended, not added: GCC 12 warns wrongly about
// `"{" + std::string(...)`, -Wrestrict).
std::string Wrap(std::string_view open, std::string_view body,
                 std::string_view close) {
  std::string out;
  out.reserve(open.size() + body.size() + close.size());
  out.append(open).append(body).append(close);
  return out;
}

// One name of the author field: braced when BibTeX would read it as more
// than one name or as "Last, First" (a comma, or the word "and").
std::string AuthorName(std::string_view name) {
  std::string escaped = EscapeBibtex(name);
  std::string lower = Wrap(" ", AsciiLower(escaped), " ");
  if (escaped.find(',') != std::string::npos ||
      lower.find(" and ") != std::string::npos) {
    return Wrap("{", escaped, "}");
  }
  return escaped;
}

class Entry {
 public:
  Entry(std::string_view type, std::string_view key) {
    out_.append("@").append(type).append("{").append(key);
  }
  // `body` is already escaped; an empty one is left out.
  void Field(std::string_view name, const std::string& body) {
    if (body.empty()) return;
    out_ += ",\n  ";
    out_ += name;
    out_ += " = {";
    out_ += body;
    out_ += '}';
  }
  std::string Done() && { return std::move(out_) + "\n}\n"; }

 private:
  std::string out_;
};

std::string FormatEntry(const Hit& hit, const std::string& key) {
  const StoredPaper& paper = hit.paper;
  const auto& info = paper.info().paper();
  const bool published = IsPublishedVenue(paper);
  Entry entry(published ? "inproceedings" : "misc", key);
  // Double braces keep the title's capitals (acronyms, names) as written.
  entry.Field("title", Wrap("{", EscapeBibtex(info.title()), "}"));
  std::string authors;
  for (const std::string& name : SplitAuthors(info.authors())) {
    std::string one = AuthorName(name);
    if (one.empty()) continue;
    if (!authors.empty()) authors += " and ";
    authors += one;
  }
  entry.Field("author", authors);
  std::string url = EscapeUrl(info.url());
  std::string arxiv = ArxivId(url);
  if (published) entry.Field("booktitle", EscapeBibtex(DisplayVenue(paper)));
  if (std::optional<int> year = PaperYear(paper)) {
    entry.Field("year", std::to_string(*year));
  }
  if (!published) {
    if (!url.empty()) entry.Field("howpublished", Wrap("\\url{", url, "}"));
    if (!arxiv.empty()) {
      entry.Field("eprint", arxiv);
      entry.Field("archivePrefix", "arXiv");
    }
  }
  entry.Field("url", url);
  std::string keywords;
  for (const std::string& keyword : hit.keywords) {
    if (!keywords.empty()) keywords += ", ";
    keywords += EscapeBibtex(keyword);
  }
  entry.Field("keywords", keywords);
  // Where a paper that is not a preprint came out (GitHub, a blog).
  const std::string& where = paper.info().pub().where();
  if (!published && arxiv.empty() &&
      !AsciiLower(TrimAsciiSpace(where)).starts_with("arxiv")) {
    entry.Field("note", EscapeBibtex(where));
  }
  return std::move(entry).Done();
}

}  // namespace

std::string EscapeBibtex(std::string_view text) {
  std::string out;
  for (char c : SanitizeUtf8(text)) {
    switch (c) {
      case '\\': out += "\\textbackslash{}"; break;
      case '{': out += "\\textbraceleft{}"; break;
      case '}': out += "\\textbraceright{}"; break;
      case '~': out += "\\textasciitilde{}"; break;
      case '^': out += "\\textasciicircum{}"; break;
      case '%':
      case '&':
      case '$':
      case '#':
      case '_':
        out += '\\';
        out += c;
        break;
      default: {
        auto byte = static_cast<unsigned char>(c);
        out += byte < 0x20 || byte == 0x7f ? ' ' : c;
      }
    }
  }
  return std::string(TrimAsciiSpace(out));
}

std::vector<std::string> CitationKeys(const std::vector<Hit>& hits) {
  std::vector<std::string> keys;
  std::map<std::string, unsigned> count;
  for (const Hit& hit : hits) {
    keys.push_back(BaseKey(hit.paper));
    ++count[keys.back()];
  }
  // A suffixed key never equals another paper's base key ("li2024a" from
  // "li2024" must not take the key of a paper whose abbreviation is "a").
  std::set<std::string> used;
  for (const auto& [key, n] : count) used.insert(key);
  std::map<std::string, size_t> next_suffix;
  for (std::string& key : keys) {
    if (count[key] < 2) continue;
    size_t& n = next_suffix[key];
    std::string candidate;
    do {
      candidate = key + Suffix(n++);
    } while (used.contains(candidate));
    used.insert(candidate);
    key = std::move(candidate);
  }
  return keys;
}

std::string FormatBibtex(const SearchResults& results) {
  std::vector<std::string> keys = CitationKeys(results.hits);
  std::string out;
  for (size_t i = 0; i < results.hits.size(); ++i) {
    if (i > 0) out += '\n';
    out += FormatEntry(results.hits[i], keys[i]);
  }
  return out;
}

}  // namespace papersearch
