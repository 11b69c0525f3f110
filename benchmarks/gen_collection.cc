// gen_collection: writes a synthetic paper collection for benchmarks, with
// the statistics of a real one.
//
//   gen_collection --papers N --seed S --from DIR --out OUTDIR
//
// OUTDIR gets meta/YEAR/ID.prototxt for N papers and notes/YEAR/ID/note.md
// for about as many of them as DIR has notes for. The output depends only on
// N, S and the files under DIR. Papers are written one at a time, so memory
// does not grow with N. Exit 0 on success, 2 on any error.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "benchmarks/collection_stats.h"
#include "common/record_format.h"
#include "paper.pb.h"

namespace papersearch::bench {
namespace {

namespace fs = std::filesystem;

struct Options {
  uint64_t papers = 0;
  uint64_t seed = 1;
  fs::path from;
  fs::path out;
};

// A seed for paper `index`'s own generator, so that paper i does not depend
// on how many numbers papers before it consumed.
uint64_t PaperSeed(uint64_t seed, uint64_t index) {
  Rng mix(seed ^ (index * 0xD1B54A32D192ED03ULL));
  return mix.Next();
}

bool IsAscii(const std::string& token) {
  return !token.empty() && static_cast<unsigned char>(token[0]) < 0x80;
}

// Exactly `words` words (CountWords) from `model`. Every token the models
// hold counts at most one word; a second token in a row that counts none
// (punctuation) is replaced by a word, so the loop always ends. Chinese
// tokens are joined without spaces except around ASCII words.
std::string Words(const TokenModel& model, size_t words, bool chinese,
                  Rng& rng) {
  std::string out;
  std::string previous;
  size_t count = 0;
  bool last_counted = true;
  while (count < words) {
    const std::string* token = &model.Next(previous, rng);
    size_t n = CountWords(*token);
    if ((n == 0 && !last_counted) || n > 1) {
      token = &model.NextWord(rng);
      n = 1;
    }
    if (!out.empty() && (!chinese || IsAscii(*token) || IsAscii(previous))) {
      out.push_back(' ');
    }
    out += *token;
    count += n;
    last_counted = n > 0;
    previous = *token;
  }
  return out;
}

// A note of 100 to 600 words: the title as a heading, then sections with
// "##" headings, paragraphs and lists, some paragraphs Chinese.
std::string Note(const CollectionStats& stats, const std::string& title,
                 Rng& rng) {
  size_t target = rng.Between(100, 600);
  bool chinese =
      stats.chinese.has_words() && rng.Chance(stats.chinese_fraction);
  std::string out = "# " + title + "\n\n";
  size_t used = CountWords(title);
  bool first_section = true;
  std::set<std::string> headings;
  while (used < target) {
    size_t remaining = target - used;
    if (remaining > 20 && (first_section || rng.Chance(0.3))) {
      // Shared section names ("Abstract", "方法") once each, then headings
      // made of title words.
      std::string heading;
      if (!stats.headings.empty()) heading = stats.headings.Sample(rng);
      if (heading.empty() || !headings.insert(heading).second) {
        heading = Words(stats.titles, rng.Between(2, 4), false, rng);
      }
      size_t n = CountWords(heading);
      if (n + 10 < remaining) {
        out += "## " + heading + "\n\n";
        used += n;
        remaining -= n;
      }
      first_section = false;
    }
    if (rng.Chance(0.25)) {
      size_t items = rng.Between(2, 5);
      for (size_t i = 0; i < items && remaining > 0; ++i) {
        size_t n = std::min<size_t>(remaining, rng.Between(4, 18));
        out += "- " + Words(stats.english, n, false, rng) + "\n";
        used += n;
        remaining -= n;
      }
      out += "\n";
    } else {
      bool in_chinese = chinese && rng.Chance(0.5);
      size_t n = std::min<size_t>(remaining, rng.Between(20, 90));
      out += Words(in_chinese ? stats.chinese : stats.english, n, in_chinese,
                   rng) +
             "\n\n";
      used += n;
    }
  }
  return out;
}

// Eight digits or capitals, the first a digit, distinct for distinct
// indexes below 10 * 36^7: index * kMultiplier is a bijection mod that.
std::string RandomStyleId(uint64_t index, uint64_t seed) {
  constexpr uint64_t kPow36_7 = 78364164096ULL;
  constexpr uint64_t kModulus = 10 * kPow36_7;     // 2^15 * 3^14 * 5
  constexpr uint64_t kMultiplier = 2654435761ULL;  // prime, coprime with it
  uint64_t v = ((index % kModulus) * kMultiplier + seed % kModulus) % kModulus;
  static constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::string id(8, '0');
  id[0] = kDigits[v / kPow36_7];
  v %= kPow36_7;
  for (int i = 7; i >= 1; --i, v /= 36) id[i] = kDigits[v % 36];
  return id;
}

// Letters of up to two title words, then the index: starts with a letter,
// so it never equals a RandomStyleId, and the index makes it unique.
std::string NamedId(const std::vector<std::string>& title_words, Rng& rng,
                    uint64_t index) {
  std::string name;
  size_t take = rng.Between(1, 2);
  for (size_t w = 0; w < title_words.size() && w < take; ++w) {
    std::string part;
    for (char c : title_words[rng.Below(title_words.size())]) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) part.push_back(c);
    }
    if (part.empty()) continue;
    if (part[0] >= 'a' && part[0] <= 'z') part[0] = part[0] - 'a' + 'A';
    name += part.substr(0, 8);
  }
  if (name.empty()) name = "Paper";
  return name + std::to_string(index);
}

std::string Lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = c - 'A' + 'a';
    if (c == ' ') c = '-';
  }
  return text;
}

struct Paper {
  int year = 0;
  std::string id;
  efficient_paper::PaperInfo info;
  std::string note;  // empty when the paper has none
};

Paper MakePaper(const CollectionStats& stats, uint64_t seed, uint64_t index) {
  Rng rng(PaperSeed(seed, index));
  Paper p;
  efficient_paper::PaperInfo& info = p.info;
  efficient_paper::Paper& paper = *info.mutable_paper();

  size_t title_length =
      std::clamp<size_t>(stats.titles.SampleLength(rng), 3, 25);
  std::string title = Words(stats.titles, title_length, false, rng);
  std::vector<std::string> title_words;
  for (size_t b = 0, e; b < title.size(); b = e + 1) {
    e = title.find(' ', b);
    if (e == std::string::npos) e = title.size();
    title_words.push_back(title.substr(b, e - b));
  }
  p.id = rng.Chance(stats.named_abbr_fraction)
             ? NamedId(title_words, rng, index)
             : RandomStyleId(index, seed);
  p.year = stats.years.Sample(rng);
  paper.set_title(title);
  paper.set_abbr(p.id);
  char arxiv[32];
  std::snprintf(arxiv, sizeof arxiv, "%02d%02d.%05d", p.year % 100,
                static_cast<int>(rng.Between(1, 12)),
                static_cast<int>(rng.Between(0, 99999)));
  paper.set_url(std::string("https://arxiv.org/abs/") + arxiv);
  size_t authors = stats.authors_per_paper.Sample(rng);
  for (size_t i = 0; i < authors; ++i) {
    const std::string& first = stats.first_names.Sample(rng);
    const std::string& last = stats.last_names.Sample(rng);
    paper.add_authors(first.empty() ? last : first + " " + last);
  }
  size_t institutions = stats.institutions_per_paper.Sample(rng);
  std::set<std::string> seen;
  for (size_t i = 0; i < institutions && !stats.institutions.empty(); ++i) {
    const std::string& name = stats.institutions.Sample(rng);
    if (seen.insert(name).second) paper.add_institutions(name);
  }

  const std::string& venue = stats.venues.Sample(rng);
  if (!venue.empty()) info.mutable_pub()->set_where(venue);
  info.mutable_pub()->set_year(p.year);

  const std::string& code_type = stats.code_types.Sample(rng);
  if (!code_type.empty()) {
    info.mutable_code()->set_type(code_type);
    bool url = rng.Chance(stats.code_url_fraction);
    std::string owner = paper.authors_size() > 0 ? Lower(paper.authors(0))
                                                 : std::string("papers");
    info.mutable_code()->set_url(
        url ? "https://github.com/" + owner + "/" + p.id : "");
  }
  if (rng.Chance(stats.note_fraction)) {
    info.mutable_note()->set_url("note.md");
    p.note = Note(stats, title, rng);
  }
  size_t keywords = stats.keywords_per_paper.Sample(rng);
  std::set<int> seen_keywords;
  for (size_t i = 0; i < keywords && !stats.keywords.empty(); ++i) {
    int word = stats.keywords.Sample(rng);
    if (seen_keywords.insert(word).second) {
      info.mutable_keyword()->add_words(
          static_cast<efficient_paper::Keyword::Word>(word));
    }
  }
  const std::string& cover = stats.covers.Sample(rng);
  if (!cover.empty()) info.mutable_cover()->set_url(cover);
  size_t baselines = stats.baselines_per_paper.Sample(rng);
  for (size_t i = 0; i < baselines && !stats.baseline_methods.empty(); ++i) {
    info.mutable_baseline()->add_methods(stats.baseline_methods.Sample(rng));
  }
  if (rng.Chance(stats.update_time_fraction)) {
    info.set_update_time(
        rng.Between(stats.min_update_time, stats.max_update_time));
  }
  int rating = stats.ratings.Sample(rng);
  if (rating != 0) info.set_rating(rating);
  return p;
}

bool WriteWhole(const fs::path& path, const std::string& content,
                std::string& error) {
  FILE* f = std::fopen(path.c_str(), "wb");
  bool ok = f != nullptr &&
            std::fwrite(content.data(), 1, content.size(), f) == content.size();
  if (f != nullptr && std::fclose(f) != 0) ok = false;
  if (!ok) error = "cannot write " + path.string();
  return ok;
}

// Writes the papers; returns 0, or 2 with a message on stderr.
int Generate(const Options& options) {
  auto start = std::chrono::steady_clock::now();
  std::error_code ec;
  if (fs::exists(options.out, ec) && !fs::is_empty(options.out, ec)) {
    std::fprintf(stderr,
                 "gen_collection: %s exists and is not empty; give a new "
                 "directory\n",
                 options.out.c_str());
    return 2;
  }
  CollectionStats stats;
  std::vector<Diagnostic> warnings;
  std::string error;
  if (!LearnCollectionStats(options.from, stats, warnings, error)) {
    std::fprintf(stderr, "gen_collection: %s\n", error.c_str());
    return 2;
  }
  for (const Diagnostic& w : warnings) {
    std::fprintf(stderr, "gen_collection: skipped %s\n", w.ToString().c_str());
  }
  std::set<int> year_dirs;
  uint64_t notes = 0;
  for (uint64_t i = 0; i < options.papers; ++i) {
    Paper p = MakePaper(stats, options.seed, i);
    std::string year = std::to_string(p.year);
    fs::path meta = options.out / "meta" / year;
    if (year_dirs.insert(p.year).second) {
      fs::create_directories(meta, ec);
      fs::create_directories(options.out / "notes" / year, ec);
    }
    if (!WriteWhole(meta / (p.id + ".prototxt"), FormatRecord(p.info), error)) {
      std::fprintf(stderr, "gen_collection: %s\n", error.c_str());
      return 2;
    }
    if (!p.note.empty()) {
      fs::path dir = options.out / "notes" / year / p.id;
      fs::create_directory(dir, ec);
      if (ec || !WriteWhole(dir / "note.md", p.note, error)) {
        std::fprintf(stderr, "gen_collection: cannot write a note under %s\n",
                     dir.c_str());
        return 2;
      }
      ++notes;
    }
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::fprintf(stderr,
               "gen_collection: %llu papers, %llu notes in %s (learned from "
               "%zu papers, %zu notes) in %.1f s\n",
               static_cast<unsigned long long>(options.papers),
               static_cast<unsigned long long>(notes), options.out.c_str(),
               stats.papers, stats.notes, seconds);
  return 0;
}

}  // namespace
}  // namespace papersearch::bench

int main(int argc, char** argv) {
  papersearch::bench::Options options;
  CLI::App app{
      "Writes a synthetic paper collection with the statistics of a "
      "real one, for benchmarks."};
  app.add_option("--papers", options.papers, "number of papers to write")
      ->required()
      ->check(CLI::Range(uint64_t{1}, uint64_t{100000000}));
  app.add_option("--seed", options.seed,
                 "random seed; the same seed and input give the same output")
      ->capture_default_str();
  app.add_option("--from", options.from,
                 "a real collection (holding meta/ and notes/) to learn from")
      ->required()
      ->check(CLI::ExistingDirectory);
  app.add_option("--out", options.out, "the directory to create")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  return papersearch::bench::Generate(options);
}
