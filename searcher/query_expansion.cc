// What the query adds beyond its words as parsed: the abbreviation it is,
// the title phrase it may be, the words of its synonym groups one by one,
// and its groups' every member for the topics it names.
#include <algorithm>
#include <optional>

#include "common/utf8.h"
#include "schema.h"
#include "searcher/query_builder.h"

namespace papersearch {

Xapian::Query QueryBuilder::AbbrBoost(const std::string& text) const {
  std::string term = schema::FilterTerm(schema::prefix::kAbbrExact, text);
  if (term.size() == std::string_view(schema::prefix::kAbbrExact).size()) {
    return Xapian::Query();
  }
  // An abbreviation typed in pieces ("snap kv", "squeeze llm") is the
  // abbreviation.
  std::string words = text;
  if (!db_.term_exists(term)) {
    const size_t spaces = std::count(text.begin(), text.end(), ' ');
    if (spaces == 0 || spaces > 3) return Xapian::Query();
    words.erase(std::remove(words.begin(), words.end(), ' '), words.end());
    term = schema::FilterTerm(schema::prefix::kAbbrExact, words);
    if (!db_.term_exists(term)) return Xapian::Query();
  }
  Xapian::QueryParser parser;
  parser.set_stemmer(schema::Stemmer());
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.set_default_op(Xapian::Query::OP_AND);
  Xapian::Query abbr_words =
      parser.parse_query(words, kPlainWords, schema::prefix::kAbbr);
  if (abbr_words.empty()) return Xapian::Query();
  return Xapian::Query(Xapian::Query::OP_FILTER, abbr_words,
                       Xapian::Query(term));
}

namespace {

// Fewer words are a topic's name more often than a title's words.
constexpr size_t kMinTitlePhraseWords = 3;
constexpr size_t kMaxTitlePhraseWords = 16;

// The title terms of `text`'s words (lower case; a word is a run of word
// characters, so "Dense-and-Sparse" is three); false when it has CJK text
// (indexed as n-grams, not words).
bool TitleTerms(std::string_view text, std::vector<std::string>* terms) {
  std::string word;
  auto flush = [&] {
    if (!word.empty()) terms->push_back(schema::prefix::kTitle + word);
    word.clear();
  };
  for (Xapian::Utf8Iterator it(text.data(), text.size()), end; it != end;
       ++it) {
    const unsigned ch = *it;
    if (IsCjk(ch)) return false;
    if (Xapian::Unicode::is_wordchar(ch)) {
      Xapian::Unicode::append_utf8(word, Xapian::Unicode::tolower(ch));
    } else {
      flush();
    }
  }
  flush();
  return true;
}

// Phrases tried for one query: the text with each synonym span replaced by
// each member of its groups, in the groups' order, so that every member of
// a group gives the same phrases.
constexpr size_t kMaxTitlePhrases = 16;

}  // namespace

Xapian::Query QueryBuilder::TitlePhrase(const QueryScan& scan,
                                        std::vector<std::string>* words) const {
  if (!scan.plain) return {};
  // The text as tokens, a synonym span as the alternatives of its groups
  // (a plain text has no keyword values: scan.marked is the text with its
  // spans marked).
  const std::vector<std::string>& spans = scan.spans;
  const std::string& marked = scan.marked;
  const std::string marker = kSynonymField + std::string(":");
  std::vector<std::vector<std::string>> slots;
  size_t start = 0;
  while (start < marked.size()) {
    const size_t end = std::min(marked.find(' ', start), marked.size());
    const std::string_view token(marked.data() + start, end - start);
    start = end + 1;
    if (token.empty()) continue;
    std::optional<size_t> span;
    if (token.starts_with(marker)) {
      span =
          MarkerIndex(std::string(token.substr(marker.size())), spans.size());
    }
    if (!span) {
      slots.push_back({std::string(token)});
      continue;
    }
    std::vector<std::string> members;
    for (uint32_t g : synonyms_.GroupsOf(Synonyms::Normalize(spans[*span]))) {
      for (std::string_view member : synonyms_.groups()[g].members) {
        if (std::find(members.begin(), members.end(), member) ==
            members.end()) {
          members.emplace_back(member);
        }
      }
    }
    if (members.empty()) members.push_back(spans[*span]);
    slots.push_back(std::move(members));
  }
  // Each combination, up to kMaxTitlePhrases, whose words are all title
  // words.
  std::vector<Xapian::Query> phrases;
  std::vector<size_t> choice(slots.size(), 0);
  for (size_t tried = 0; tried < kMaxTitlePhrases && !slots.empty(); ++tried) {
    std::string variant;
    for (size_t i = 0; i < slots.size(); ++i) {
      variant += slots[i][choice[i]] + " ";
    }
    std::vector<std::string> terms;
    if (TitleTerms(variant, &terms) && terms.size() >= kMinTitlePhraseWords &&
        terms.size() <= kMaxTitlePhraseWords &&
        std::all_of(terms.begin(), terms.end(), [&](const std::string& term) {
          return db_.term_exists(term);
        })) {
      phrases.emplace_back(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(),
                           static_cast<Xapian::termcount>(terms.size()));
      std::string line;
      for (const std::string& term : terms) {
        if (!line.empty()) line += ' ';
        line += term.substr(std::string_view(schema::prefix::kTitle).size());
      }
      words->push_back(std::move(line));
    }
    // The next combination, the last slot fastest.
    size_t i = slots.size();
    while (i > 0 && ++choice[i - 1] == slots[i - 1].size()) {
      choice[--i] = 0;
    }
    if (i == 0) break;
  }
  if (phrases.empty()) return {};
  return phrases.size() == 1 ? phrases.front()
                             : Xapian::Query(Xapian::Query::OP_OR,
                                             phrases.begin(), phrases.end());
}
GroupWordsQuery QueryBuilder::GroupWords(const std::string& text) const {
  return GroupWords(Scan(text));
}

GroupWordsQuery QueryBuilder::GroupWords(const QueryScan& scan) const {
  const std::vector<std::string>& spans = scan.spans;
  // Each member's words: `kv cache` and `key-value cache` give kv, cache
  // and key-value (a phrase still: `key` and `value` alone are other
  // topics).
  struct Member {
    uint32_t group;
    std::vector<std::string> tokens;
  };
  std::vector<Member> members;
  for (const std::string& span : spans) {
    for (uint32_t g : synonyms_.GroupsOf(Synonyms::Normalize(span))) {
      for (std::string_view member : synonyms_.groups()[g].members) {
        std::string lower(member);
        for (char& c : lower) {
          if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        }
        // Split at spaces and where CJK text meets other text (`kv缓存`).
        // Braces: Clang 14 has no parenthesised aggregate initialisation.
        members.push_back(Member{g, {}});
        std::vector<std::string>& tokens = members.back().tokens;
        std::string token;
        bool cjk = false;
        for (size_t pos = 0; pos < lower.size();) {
          const CodePoint cp = CodePointAt(lower, pos);
          const bool is_cjk = IsCjk(cp.ch);
          if (lower[pos] == ' ' || (!token.empty() && is_cjk != cjk)) {
            if (!token.empty()) tokens.push_back(std::move(token));
            token.clear();
          }
          if (lower[pos] != ' ') token.append(lower, pos, cp.size);
          cjk = is_cjk;
          pos += cp.size;
        }
        if (!token.empty()) tokens.push_back(std::move(token));
      }
    }
  }
  // A token's query (one word, stemmed, in the bare-word fields), parsed
  // once; empty for a stopword.
  std::vector<std::pair<std::string, Xapian::Query>> parsed;
  auto word_query = [&](const std::string& token) -> const Xapian::Query& {
    for (const auto& [known, query] : parsed) {
      if (known == token) return query;
    }
    Xapian::Query query;
    // One at a time: Xapian 1.4.22's parser failed on some runs of Latin
    // and CJK members that it reads one by one.
    try {
      query = ParseWithFlags(token, nullptr, nullptr, kPlainWords,
                             /*all_words=*/false, nullptr, nullptr);
    } catch (const Xapian::QueryParserError&) {
    }
    return parsed.emplace_back(token, std::move(query)).second;
  };
  // Each word once, weighing the number of its group's members that have
  // it (members that read alike once stemmed, `reasoning model` and
  // `reasoning models`, counting once; in several groups, the most): the
  // group's core word (`disaggregation` of `pd disaggregation`,
  // `prefill-decode disaggregation`, `disaggregated serving`) says more of
  // its topic than a word one member adds (`serving`). Counted per spelling
  // instead, a group of plurals made `model` weigh four times; summed over
  // groups, `bit` of `8-bit floating point` and `4-bit floating point`
  // outweighed `fp8`.
  struct Word {
    std::string description;
    Xapian::Query query;
    std::vector<std::pair<uint32_t, double>> members;  // per group
  };
  std::vector<Word> words;
  std::vector<std::pair<uint32_t, std::vector<std::string>>> members_seen;
  for (const Member& member : members) {
    std::vector<std::string> descriptions;
    for (const std::string& token : member.tokens) {
      const Xapian::Query& query = word_query(token);
      if (!query.empty()) descriptions.push_back(query.get_description());
    }
    auto seen = std::make_pair(member.group, descriptions);
    if (std::find(members_seen.begin(), members_seen.end(), seen) !=
        members_seen.end()) {
      continue;
    }
    members_seen.push_back(std::move(seen));
    std::sort(descriptions.begin(), descriptions.end());
    descriptions.erase(std::unique(descriptions.begin(), descriptions.end()),
                       descriptions.end());
    for (const std::string& description : descriptions) {
      auto word = std::find_if(words.begin(), words.end(), [&](const Word& w) {
        return w.description == description;
      });
      if (word == words.end()) {
        for (const std::string& token : member.tokens) {
          const Xapian::Query& query = word_query(token);
          if (!query.empty() && query.get_description() == description) {
            words.push_back({description, query, {}});
            break;
          }
        }
        word = words.end() - 1;
      }
      auto in_group =
          std::find_if(word->members.begin(), word->members.end(),
                       [&](const auto& m) { return m.first == member.group; });
      if (in_group == word->members.end()) {
        word->members.emplace_back(member.group, 1);
      } else {
        in_group->second += 1;
      }
    }
  }
  GroupWordsQuery result;
  std::vector<Xapian::Query> weighed;
  for (const Word& word : words) {
    double scale = 0;
    for (const auto& [group, count] : word.members) {
      scale = std::max(scale, count);
    }
    weighed.push_back(scale == 1 ? word.query
                                 : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                                 word.query, scale));
    result.words.push_back({word.query, scale});
  }
  result.query =
      Xapian::Query(Xapian::Query::OP_OR, weighed.begin(), weighed.end());
  return result;
}

std::string QueryBuilder::WithSynonyms(const QueryScan& scan) const {
  std::string out = scan.text;
  for (const std::string& span : scan.spans) {
    for (uint32_t g : synonyms_.GroupsOf(Synonyms::Normalize(span))) {
      for (std::string_view member : synonyms_.groups()[g].members) {
        out += ' ';
        out += member;
      }
    }
  }
  return out;
}

}  // namespace papersearch
