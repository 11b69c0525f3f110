// Statistics of a real paper collection, learned once and sampled from by the
// benchmark collection generator (gen_collection).
#ifndef PAPERSEARCH_BENCHMARKS_COLLECTION_STATS_H_
#define PAPERSEARCH_BENCHMARKS_COLLECTION_STATS_H_

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/diagnostic.h"

namespace papersearch::bench {

// xoshiro256** seeded through SplitMix64: the same numbers on every platform
// and standard library, unlike std:: distributions. Not thread-safe.
class Rng {
 public:
  explicit Rng(uint64_t seed);
  uint64_t Next();
  // Uniform in [0, n); n must be > 0. Unbiased (rejection sampling).
  uint64_t Below(uint64_t n);
  // Uniform in [lo, hi]; requires lo <= hi.
  int64_t Between(int64_t lo, int64_t hi);
  // True with probability `p` (in [0, 1]), to 2^-53 resolution.
  bool Chance(double p);

 private:
  uint64_t s_[4];
};

// A categorical distribution over values seen with counts. Values are kept
// in sorted order, so a model built from the same data samples the same way
// whatever order the data arrived in.
template <typename T>
class Categorical {
 public:
  void Add(const T& value, uint64_t count = 1) { counts_[value] += count; }
  // Freezes the counts into a sampling table; call after the last Add.
  void Finish();
  bool empty() const { return values_.empty(); }
  // A value drawn in proportion to its count; requires !empty().
  const T& Sample(Rng& rng) const;
  // The fraction of the total count held by values for which pred is true.
  template <typename Pred>
  double Fraction(Pred pred) const;

 private:
  std::map<T, uint64_t> counts_;
  std::vector<T> values_;
  std::vector<uint64_t> cumulative_;
};

// Words a reader would count in `text`: each whitespace-separated token
// counts one if it holds an ASCII letter or digit, plus one per Han
// character in it (Chinese is written without spaces).
size_t CountWords(std::string_view text);

// A bigram model over tokens with unigram back-off. Generated sequences
// follow the bigram table; with probability kBackoff, or when a token has no
// successor, the next token is drawn from the unigram table instead.
class TokenModel {
 public:
  static constexpr double kBackoff = 0.2;
  // Learns from one sequence (a title, a paragraph); empty ones are ignored.
  void AddSequence(const std::vector<std::string>& tokens);
  void Finish();
  bool empty() const { return unigram_.empty(); }
  // A token following `previous` ("" at the start of a sequence).
  const std::string& Next(const std::string& previous, Rng& rng) const;
  // A token drawn from the unigram table among those with CountWords >= 1;
  // lets a generator leave a run of punctuation. Requires has_words().
  const std::string& NextWord(Rng& rng) const { return words_.Sample(rng); }
  bool has_words() const { return !words_.empty(); }
  // Draws a sequence length as seen in training (tokens per sequence).
  size_t SampleLength(Rng& rng) const { return lengths_.Sample(rng); }

 private:
  Categorical<std::string> unigram_;
  Categorical<std::string> words_;
  Categorical<std::string> starts_;
  std::unordered_map<std::string, Categorical<std::string>> bigram_;
  Categorical<size_t> lengths_;
};

// Everything gen_collection draws from, learned from a collection root.
struct CollectionStats {
  size_t papers = 0;  // records read
  size_t notes = 0;   // notes read

  Categorical<int> years;
  Categorical<std::string> venues;  // "" when the record has none
  Categorical<size_t> authors_per_paper;
  Categorical<std::string> first_names;  // author names split at the last space
  Categorical<std::string> last_names;
  Categorical<size_t> institutions_per_paper;
  Categorical<std::string> institutions;
  Categorical<size_t> keywords_per_paper;
  Categorical<int> keywords;            // efficient_paper::Keyword::Word values
  Categorical<std::string> code_types;  // "" when the record has no code
  double code_url_fraction = 0;         // of records with code, with a url
  Categorical<int> ratings;             // 0 when the record has none
  Categorical<std::string> covers;      // "" when none
  Categorical<size_t> baselines_per_paper;
  Categorical<std::string> baseline_methods;
  int64_t min_update_time = 0, max_update_time = 0;
  double update_time_fraction = 0;
  double named_abbr_fraction = 0;  // abbrs that are names, not random IDs

  double note_fraction = 0;     // papers with a note beside them
  double chinese_fraction = 0;  // notes with Chinese text
  TokenModel titles;            // tokens of paper titles
  TokenModel english;           // paragraphs of notes without Han text
  TokenModel chinese;           // paragraphs of notes with Han text
  // Section headings (up to four words) of 2+ notes, each weighted alike.
  Categorical<std::string> headings;
};

// Reads every record under root/meta (skipping meta/search) and every note
// under root/notes. Unreadable records are skipped with a warning in
// `warnings`. Fails (returns false with `error` set) when root has no
// readable record or no note.
bool LearnCollectionStats(const std::filesystem::path& root,
                          CollectionStats& stats,
                          std::vector<Diagnostic>& warnings,
                          std::string& error);

template <typename T>
void Categorical<T>::Finish() {
  values_.clear();
  cumulative_.clear();
  uint64_t total = 0;
  for (const auto& [value, count] : counts_) {
    if (count == 0) continue;
    total += count;
    values_.push_back(value);
    cumulative_.push_back(total);
  }
}

template <typename T>
const T& Categorical<T>::Sample(Rng& rng) const {
  uint64_t r = rng.Below(cumulative_.back());
  size_t lo = 0, hi = cumulative_.size() - 1;
  while (lo < hi) {  // the first index whose cumulative count exceeds r
    size_t mid = lo + (hi - lo) / 2;
    if (cumulative_[mid] > r) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return values_[lo];
}

template <typename T>
template <typename Pred>
double Categorical<T>::Fraction(Pred pred) const {
  uint64_t total = 0, matching = 0;
  for (const auto& [value, count] : counts_) {
    total += count;
    if (pred(value)) matching += count;
  }
  return total == 0 ? 0.0 : static_cast<double>(matching) / total;
}

}  // namespace papersearch::bench

#endif  // PAPERSEARCH_BENCHMARKS_COLLECTION_STATS_H_
