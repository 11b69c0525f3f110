#include "benchmarks/collection_stats.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "indexer/note_text.h"
#include "indexer/record_reader.h"

namespace papersearch::bench {
namespace {

namespace fs = std::filesystem;

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

bool IsHan(uint32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2A6DF);
}

// Decodes the code point starting at text[i] and advances i past it. Input
// is valid UTF-8 (it comes from ExtractNoteText); stray bytes count as one.
uint32_t DecodeAt(std::string_view text, size_t& i) {
  unsigned char c = text[i];
  int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  uint32_t cp = extra == 0 ? c : c & (0x3F >> extra);
  ++i;
  for (int k = 0; k < extra && i < text.size(); ++k, ++i) {
    cp = (cp << 6) | (static_cast<unsigned char>(text[i]) & 0x3F);
  }
  return cp;
}

bool HasHan(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    if (IsHan(DecodeAt(text, i))) return true;
  }
  return false;
}

std::vector<std::string> SplitSpaces(std::string_view text) {
  std::vector<std::string> tokens;
  std::string token;
  for (char c : text) {
    if (IsAsciiSpace(c)) {
      if (!token.empty()) tokens.push_back(std::move(token));
      token.clear();
    } else {
      token.push_back(c);
    }
  }
  if (!token.empty()) tokens.push_back(std::move(token));
  return tokens;
}

// Chinese text as tokens: every non-ASCII code point is one token (Han
// characters and full-width punctuation), runs of ASCII are words.
std::vector<std::string> SplitChinese(std::string_view text) {
  std::vector<std::string> tokens;
  std::string ascii;
  auto end_ascii = [&] {
    if (!ascii.empty()) tokens.push_back(std::move(ascii));
    ascii.clear();
  };
  for (size_t i = 0; i < text.size();) {
    size_t start = i;
    uint32_t cp = DecodeAt(text, i);
    if (cp < 0x80) {
      if (IsAsciiSpace(static_cast<char>(cp))) {
        end_ascii();
      } else {
        ascii.push_back(static_cast<char>(cp));
      }
    } else {
      end_ascii();
      tokens.emplace_back(text.substr(start, i - start));
    }
  }
  end_ascii();
  return tokens;
}

// Random IDs in the real collections are eight digits or capitals.
bool IsRandomId(std::string_view abbr) {
  return abbr.size() == 8 && std::all_of(abbr.begin(), abbr.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
         });
}

std::vector<fs::path> SortedFiles(const fs::path& dir, std::string_view ext,
                                  const fs::path& skip) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return files;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory() && it->path() == skip) {
      it.disable_recursion_pending();
    } else if (it->is_regular_file() && it->path().extension() == ext) {
      files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());  // directory order is not portable
  return files;
}

void LearnRecord(const efficient_paper::PaperInfo& info, CollectionStats& s,
                 size_t& with_code, size_t& with_code_url,
                 size_t& with_update_time, size_t& named_abbrs) {
  const efficient_paper::Paper& paper = info.paper();
  s.titles.AddSequence(SplitSpaces(paper.title()));
  named_abbrs += !IsRandomId(paper.abbr());
  s.authors_per_paper.Add(paper.authors_size());
  for (const std::string& author : paper.authors()) {
    size_t space = author.rfind(' ');
    if (space == std::string::npos) {
      s.first_names.Add("");
      s.last_names.Add(author);
    } else {
      s.first_names.Add(author.substr(0, space));
      s.last_names.Add(author.substr(space + 1));
    }
  }
  s.institutions_per_paper.Add(paper.institutions_size());
  for (const std::string& name : paper.institutions()) s.institutions.Add(name);
  if (info.pub().has_year()) s.years.Add(info.pub().year());
  s.venues.Add(info.pub().where());
  s.keywords_per_paper.Add(info.keyword().words_size());
  for (int word : info.keyword().words()) s.keywords.Add(word);
  if (info.has_code()) {
    ++with_code;
    with_code_url += !info.code().url().empty();
    s.code_types.Add(info.code().type().empty() ? "Pytorch"
                                                : info.code().type());
  } else {
    s.code_types.Add("");
  }
  s.ratings.Add(info.has_rating() ? info.rating() : 0);
  s.covers.Add(info.cover().url());
  s.baselines_per_paper.Add(info.baseline().methods_size());
  for (const std::string& m : info.baseline().methods()) {
    s.baseline_methods.Add(m);
  }
  if (info.has_update_time()) {
    if (with_update_time == 0) {
      s.min_update_time = s.max_update_time = info.update_time();
    }
    ++with_update_time;
    s.min_update_time =
        std::min<int64_t>(s.min_update_time, info.update_time());
    s.max_update_time =
        std::max<int64_t>(s.max_update_time, info.update_time());
  }
}

}  // namespace

Rng::Rng(uint64_t seed) {
  for (uint64_t& word : s_) word = SplitMix64(seed);
}

uint64_t Rng::Next() {
  uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

uint64_t Rng::Below(uint64_t n) {
  uint64_t threshold = (0 - n) % n;  // 2^64 mod n: values below are biased
  for (;;) {
    uint64_t r = Next();
    if (r >= threshold) return r % n;
  }
}

int64_t Rng::Between(int64_t lo, int64_t hi) {
  return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
}

bool Rng::Chance(double p) {
  return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p;
}

size_t CountWords(std::string_view text) {
  size_t words = 0;
  bool alnum = false;  // the current token has an ASCII letter or digit
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    if (IsAsciiSpace(c)) {
      words += alnum;
      alnum = false;
      ++i;
    } else if (static_cast<unsigned char>(c) < 0x80) {
      alnum = alnum || IsAsciiAlnum(c);
      ++i;
    } else {
      words += IsHan(DecodeAt(text, i));
    }
  }
  return words + alnum;
}

void TokenModel::AddSequence(const std::vector<std::string>& tokens) {
  if (tokens.empty()) return;
  lengths_.Add(tokens.size());
  starts_.Add(tokens.front());
  for (size_t i = 0; i < tokens.size(); ++i) {
    unigram_.Add(tokens[i]);
    if (CountWords(tokens[i]) > 0) words_.Add(tokens[i]);
    if (i + 1 < tokens.size()) bigram_[tokens[i]].Add(tokens[i + 1]);
  }
}

void TokenModel::Finish() {
  unigram_.Finish();
  words_.Finish();
  starts_.Finish();
  lengths_.Finish();
  for (auto& [token, next] : bigram_) next.Finish();
}

const std::string& TokenModel::Next(const std::string& previous,
                                    Rng& rng) const {
  if (previous.empty()) return starts_.Sample(rng);
  bool backoff = rng.Chance(kBackoff);
  auto it = bigram_.find(previous);
  if (backoff || it == bigram_.end() || it->second.empty()) {
    return unigram_.Sample(rng);
  }
  return it->second.Sample(rng);
}

bool LearnCollectionStats(const fs::path& root, CollectionStats& s,
                          std::vector<Diagnostic>& warnings,
                          std::string& error) {
  size_t with_code = 0, with_code_url = 0, with_update_time = 0;
  size_t named_abbrs = 0, beside_paper = 0;
  std::set<fs::path> note_dirs;  // notes/YEAR/ID of every note
  for (const fs::path& note : SortedFiles(root / "notes", ".md", {})) {
    note_dirs.insert(note.parent_path());
  }
  for (const fs::path& path :
       SortedFiles(root / "meta", ".prototxt", root / "meta" / "search")) {
    std::string display = fs::relative(path, root).string();
    ParsedRecord record = ReadRecordFile(path.string(), display);
    if (!record.ok) {
      warnings.push_back(record.error);
      continue;
    }
    ++s.papers;
    LearnRecord(record.info, s, with_code, with_code_url, with_update_time,
                named_abbrs);
    fs::path id = fs::relative(path, root / "meta").replace_extension();
    beside_paper += note_dirs.count(root / "notes" / id);
  }
  std::map<std::string, size_t> heading_notes;  // in how many notes
  for (const fs::path& path : SortedFiles(root / "notes", ".md", {})) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    NoteText text = ExtractNoteText(buffer.str());
    ++s.notes;
    bool chinese = HasHan(text.body);
    s.chinese_fraction += chinese;
    std::istringstream body(text.body);
    for (std::string line; std::getline(body, line);) {
      // Image alt texts and stray labels ("111") are not prose.
      if (CountWords(line) < 3) continue;
      if (HasHan(line)) {
        s.chinese.AddSequence(SplitChinese(line));
      } else {
        std::vector<std::string> words;
        for (std::string& token : SplitSpaces(line)) {
          if (CountWords(token) == 1) words.push_back(std::move(token));
        }
        s.english.AddSequence(words);
      }
    }
    std::set<std::string> headings;
    std::istringstream heading_lines(text.headings);
    for (std::string line; std::getline(heading_lines, line);) {
      headings.insert(line);
    }
    for (const std::string& heading : headings) ++heading_notes[heading];
  }
  for (const auto& [heading, notes] : heading_notes) {
    // Section names, not a title some notes repeat as a heading.
    if (notes >= 2 && CountWords(heading) <= 4) s.headings.Add(heading);
  }
  if (s.papers == 0) {
    error = "no readable paper record under " + (root / "meta").string();
    return false;
  }
  if (s.notes == 0) {
    error = "no note under " + (root / "notes").string();
    return false;
  }
  s.chinese_fraction /= static_cast<double>(s.notes);
  s.note_fraction = static_cast<double>(beside_paper) / s.papers;
  s.code_url_fraction =
      with_code == 0 ? 0 : static_cast<double>(with_code_url) / with_code;
  s.update_time_fraction = static_cast<double>(with_update_time) / s.papers;
  s.named_abbr_fraction = static_cast<double>(named_abbrs) / s.papers;
  if (s.years.Fraction([](int) { return true; }) == 0) {
    s.years.Add(2024);  // no record has a year: still place the papers
  }
  for (auto* c : {&s.first_names, &s.last_names, &s.institutions, &s.venues,
                  &s.code_types, &s.covers, &s.baseline_methods}) {
    c->Finish();
  }
  for (auto* c : {&s.authors_per_paper, &s.institutions_per_paper,
                  &s.keywords_per_paper, &s.baselines_per_paper}) {
    c->Finish();
  }
  s.years.Finish();
  s.keywords.Finish();
  s.ratings.Finish();
  s.headings.Finish();
  s.titles.Finish();
  s.english.Finish();
  s.chinese.Finish();
  if (!s.titles.has_words() || !s.english.has_words()) {
    error = "the titles and notes under " + root.string() +
            " hold no words to learn from";
    return false;
  }
  return true;
}

}  // namespace papersearch::bench
