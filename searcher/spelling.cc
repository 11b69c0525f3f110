#include "searcher/spelling.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <utility>
#include <vector>

#include "common/suggest.h"
#include "schema.h"
#include "searcher/query_builder.h"
#include "searcher/stopwords.h"

namespace papersearch {
namespace {

// The runs of `text` between spaces.
std::vector<std::string_view> SplitSpaces(std::string_view text) {
  std::vector<std::string_view> words;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t end = std::min(text.find(' ', pos), text.size());
    if (end > pos) words.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return words;
}

// Words of this many letters or fewer are corrected by one edit at most.
constexpr size_t kShortWord = 5;

}  // namespace

bool IntoStopword(const std::string& query, const std::string& corrected) {
  auto words = [](const std::string& text) {
    std::vector<std::string> out;
    std::string word;
    for (char c : text + " ") {
      if (c == ' ' || c == '\t') {
        if (!word.empty()) out.push_back(std::move(word));
        word.clear();
      } else {
        word.push_back(
            static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      }
    }
    return out;
  };
  const std::vector<std::string> before = words(query);
  for (const std::string& word : words(corrected)) {
    if (std::find(before.begin(), before.end(), word) == before.end() &&
        EnglishStopper()(word)) {
      return true;
    }
  }
  return false;
}

bool HasUnknownWord(const Xapian::Database& db, const Xapian::Query& query,
                    Xapian::doccount rare) {
  std::vector<std::pair<std::string, bool>> words;  // (word, known)
  for (auto it = query.get_unique_terms_begin();
       it != query.get_unique_terms_end(); ++it) {
    const std::string& term = *it;
    // A synonym group's term stands for its members, whose words the
    // index may have in other groups' papers; it misspells nothing.
    if (term.starts_with(schema::prefix::kSynonymGroup)) continue;
    std::string word(schema::TermWord(term));
    const bool known = db.get_termfreq(term) > rare;
    auto found = std::find_if(words.begin(), words.end(),
                              [&](const auto& w) { return w.first == word; });
    if (found == words.end()) {
      words.emplace_back(std::move(word), known);
    } else {
      found->second = found->second || known;
    }
  }
  return std::any_of(words.begin(), words.end(),
                     [](const auto& w) { return !w.second; });
}

std::string QueryBuilder::Correct(const QueryScan& scan) const {
  const std::string& text = scan.text;
  std::string corrected;
  try {
    ParseWithFlags(scan.keywords.text, &scan.keywords, nullptr, kFullSyntax,
                   true, nullptr, &corrected);
  } catch (const Xapian::QueryParserError&) {
    return "";
  } catch (const Xapian::UnimplementedError&) {
    return "";
  }
  if (corrected.empty()) return "";  // Xapian's answer for no corrections
  corrected = UnmarkKeywordValues(corrected, scan.keywords, kKeywordField);
  // Xapian may respell words the index has ("model" -> "models"): only the
  // words it does not have are corrected.
  const std::vector<std::string_view> typed(scan.words.begin(),
                                            scan.words.end());
  const std::vector<std::string_view> fixed = SplitSpaces(corrected);
  if (typed.size() == fixed.size()) {
    std::string kept;
    for (size_t i = 0; i < typed.size(); ++i) {
      if (!kept.empty()) kept += ' ';
      // A short word two edits away is another word, not a typo of it
      // ("tidal" is not "tian").
      const bool too_far =
          typed[i].size() <= kShortWord && EditDistance(typed[i], fixed[i]) > 1;
      kept += typed[i] != fixed[i] && (too_far || WordFrequency(typed[i]) > 0)
                  ? typed[i]
                  : fixed[i];
    }
    corrected = std::move(kept);
  }
  return corrected == text ? "" : corrected;
}

std::string QueryBuilder::CorrectRare(const std::string& text) const {
  std::string corrected;
  bool changed = false;
  for (std::string_view word : SplitSpaces(text)) {
    if (!corrected.empty()) corrected += ' ';
    const bool plain =
        word.size() >= kMinCorrectedLength &&
        std::all_of(word.begin(), word.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        });
    const Xapian::doccount freq = plain ? WordFrequency(word) : 0;
    if (freq == 0 || freq > kRareWord ||
        db_.term_exists(schema::FilterTerm(schema::prefix::kAbbrExact, word))) {
      corrected += word;
      continue;
    }
    std::string lower(word);
    for (char& c : lower) c = static_cast<char>(std::tolower(c));
    const std::string suggestion = db_.get_spelling_suggestion(lower, 2);
    // One edit only: a word the index has that is two edits from a common
    // one is more likely a word of its own ("unstructured", "structured").
    if (!suggestion.empty() && suggestion != lower &&
        EditDistance(lower, suggestion) == 1 &&
        WordFrequency(suggestion) >= kRarerBy * freq) {
      corrected += suggestion;
      changed = true;
    } else {
      corrected += word;
    }
  }
  return changed ? corrected : "";
}

Xapian::doccount QueryBuilder::WordFrequency(std::string_view word) const {
  std::string lower;
  for (Xapian::Utf8Iterator it(word.data(), word.size()), end; it != end;
       ++it) {
    if (!Xapian::Unicode::is_wordchar(*it)) return 0;
    Xapian::Unicode::append_utf8(lower, Xapian::Unicode::tolower(*it));
  }
  if (lower.empty()) return 0;
  const std::string stem = schema::Stemmer()(lower);
  Xapian::doccount most = 0;
  for (const char* prefix : schema::kBareWordPrefixes) {
    most = std::max(
        {most, db_.get_termfreq(schema::Term(prefix, lower)),
         db_.get_termfreq(schema::Term("Z", schema::Term(prefix, stem)))});
  }
  return most;
}

}  // namespace papersearch
