#include "common/topics.h"

#include <xapian.h>

#include <algorithm>
#include <string_view>

#include "common/topics_default.h"
#include "schema.h"

namespace papersearch {
namespace {

bool IsWordChar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

// One a thread: a Xapian::Stem keeps state while it stems, and its copies
// share it (papersearch --serve searches on several threads).
const Xapian::Stem& Stemmer() {
  thread_local const Xapian::Stem stem = schema::Stemmer();
  return stem;
}

// The stemmed Latin words of `text`, lower case. With `skip_excluded`, a
// word right after '-' at a word start, and a `field:` prefix with its
// value, are left out.
std::vector<std::string> StemmedWords(std::string_view text,
                                      bool skip_excluded) {
  std::vector<std::string> words;
  size_t i = 0;
  bool quoted = false;
  while (i < text.size()) {
    if (skip_excluded && text[i] == '"') quoted = !quoted;
    if (!IsWordChar(static_cast<unsigned char>(text[i])) ||
        (skip_excluded && quoted)) {
      ++i;
      continue;
    }
    const size_t start = i;
    while (i < text.size() && IsWordChar(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
    std::string word(text.substr(start, i - start));
    std::transform(word.begin(), word.end(), word.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (skip_excluded) {
      const bool excluded = start > 0 && text[start - 1] == '-' &&
                            (start == 1 || text[start - 2] == ' ');
      // `author:x` (`n:m` and `2:4` are words).
      const bool field =
          i < text.size() && text[i] == ':' &&
          schema::IsQueryFieldName(text.substr(start, i - start));
      if (field) {
        // Skip the value too.
        while (i < text.size() && text[i] != ' ') ++i;
        continue;
      }
      if (excluded) continue;
    }
    words.push_back(Stemmer()(word));
  }
  return words;
}

struct Phrase {
  std::vector<std::string> words;  // stemmed Latin words
  std::vector<std::string> cjk;    // parts with non-ASCII text, as written
  std::string text;
};

struct Topic {
  std::string label;
  std::string broader;  // "" when the table names none
  std::vector<Phrase> phrases;
};

Phrase MakePhrase(std::string_view text) {
  Phrase phrase;
  phrase.text = std::string(text);
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    const size_t start = i;
    while (i < text.size() && text[i] != ' ') ++i;
    std::string_view part = text.substr(start, i - start);
    if (part.empty()) continue;
    const bool cjk = std::any_of(part.begin(), part.end(), [](char c) {
      return static_cast<unsigned char>(c) >= 0x80;
    });
    if (cjk) {
      phrase.cjk.emplace_back(part);
    } else {
      for (std::string& w : StemmedWords(part, false)) {
        phrase.words.push_back(std::move(w));
      }
    }
  }
  return phrase;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

const std::vector<Topic>& Table() {
  static const std::vector<Topic>* const kTable = [] {
    auto* table = new std::vector<Topic>;
    std::string_view text = kDefaultTopics;
    while (!text.empty()) {
      const size_t end = text.find('\n');
      std::string_view line = Trim(text.substr(0, end));
      text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
      if (line.empty() || line.front() == '#') continue;
      const size_t colon = line.find(": ");
      if (colon == std::string_view::npos) continue;
      Topic topic;
      std::string_view label = Trim(line.substr(0, colon));
      if (const size_t lt = label.find(" < "); lt != std::string_view::npos) {
        topic.broader = std::string(Trim(label.substr(lt + 3)));
        label = Trim(label.substr(0, lt));
      }
      topic.label = std::string(label);
      std::string own = topic.label;
      std::replace(own.begin(), own.end(), '_', ' ');
      topic.phrases.push_back(MakePhrase(own));
      std::string_view rest = line.substr(colon + 2);
      while (!rest.empty()) {
        const size_t comma = rest.find(',');
        std::string_view item = Trim(rest.substr(0, comma));
        rest.remove_prefix(comma == std::string_view::npos ? rest.size()
                                                           : comma + 1);
        if (!item.empty()) topic.phrases.push_back(MakePhrase(item));
      }
      table->push_back(std::move(topic));
    }
    return table;
  }();
  return *kTable;
}

}  // namespace

std::vector<TopicMatch> TopicsOf(std::string_view query) {
  std::vector<TopicMatch> matches;
  const std::vector<std::string> words = StemmedWords(query, true);
  // A quoted phrase asks for itself, not for a topic.
  std::string unquoted;
  bool quoted = false;
  for (char c : query) {
    if (c == '"') quoted = !quoted;
    unquoted.push_back(quoted || c == '"' ? ' ' : c);
  }
  auto has_word = [&](const std::string& w) {
    return std::find(words.begin(), words.end(), w) != words.end();
  };
  for (const Topic& topic : Table()) {
    for (const Phrase& phrase : topic.phrases) {
      if (phrase.words.empty() && phrase.cjk.empty()) continue;
      const bool all_words =
          std::all_of(phrase.words.begin(), phrase.words.end(), has_word);
      const bool all_cjk = std::all_of(
          phrase.cjk.begin(), phrase.cjk.end(), [&](const std::string& part) {
            return unquoted.find(part) != std::string::npos;
          });
      if (all_words && all_cjk) {
        matches.push_back({topic.label, phrase.text});
        break;
      }
    }
  }
  return matches;
}

std::vector<std::vector<std::string>> FiledSections(
    const Xapian::Database& db, const std::vector<TopicMatch>& topics) {
  auto filed = [&](const std::string& label) {
    return db.term_exists(schema::KeywordFilterTerm(label));
  };
  std::vector<std::vector<std::string>> sections;
  auto add = [&](std::vector<std::string> section) {
    if (section.empty()) return;
    if (std::find(sections.begin(), sections.end(), section) ==
        sections.end()) {
      sections.push_back(std::move(section));
    }
  };
  for (const TopicMatch& topic : topics) {
    if (filed(topic.label)) {
      add({topic.label});
      continue;
    }
    auto in_table =
        std::find_if(Table().begin(), Table().end(),
                     [&](const Topic& t) { return t.label == topic.label; });
    if (in_table != Table().end() && !in_table->broader.empty() &&
        filed(in_table->broader)) {
      add({in_table->broader});
      continue;
    }
    std::vector<std::string> narrower;
    for (const Topic& t : Table()) {
      if (t.broader == topic.label && filed(t.label)) {
        narrower.push_back(t.label);
      }
    }
    add(std::move(narrower));
  }
  return sections;
}

}  // namespace papersearch
