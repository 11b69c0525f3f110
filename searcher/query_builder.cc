#include "searcher/query_builder.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include "common/suggest.h"
#include "common/utf8.h"
#include "schema.h"
#include "searcher/filters.h"
#include "searcher/stopwords.h"

namespace papersearch {
namespace {

constexpr unsigned kFullSyntax =
    Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_PURE_NOT | Xapian::QueryParser::FLAG_CJK_NGRAM;
constexpr unsigned kPlainWords = Xapian::QueryParser::FLAG_CJK_NGRAM;

// The query for a `keyword:` value: a label as written in records
// (kv_cache_sparse) or words (kv cache), so the exact label's filter term or
// the words as a phrase under the keyword prefix. A trailing `*` makes both
// wildcards (`keyword:quant*`: labels and keyword words starting "quant").
// Never empty: a value with no words matches nothing rather than vanishing
// from the query (which would list every paper).
Xapian::Query KeywordQuery(const Xapian::Database& db,
                           const std::string& value) {
  const size_t stem = value.find_last_not_of('*') + 1;  // npos + 1 == 0
  const bool wildcard = stem > 0 && stem < value.size();
  const std::string_view unstarred = std::string_view(value).substr(0, stem);
  std::string words(unstarred);
  for (char& c : words) {
    if (c == '_' || c == '"') c = ' ';
  }
  Xapian::QueryParser parser;
  parser.set_database(db);
  parser.set_stemmer(schema::Stemmer());
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.set_default_op(Xapian::Query::OP_AND);
  Xapian::Query label;
  Xapian::Query by_words;
  if (wildcard) {
    parser.set_max_expansion(kMaxWildcardWords,
                             Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    label = Xapian::Query(Xapian::Query::OP_WILDCARD,
                          KeywordFilterTerm(unstarred), kMaxWildcardWords,
                          Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    by_words = parser.parse_query(words + "*",
                                  Xapian::QueryParser::FLAG_WILDCARD |
                                      Xapian::QueryParser::FLAG_CJK_NGRAM,
                                  schema::prefix::kKeyword);
  } else {
    label = Xapian::Query(KeywordFilterTerm(value));
    by_words = parser.parse_query(
        "\"" + words + "\"",
        Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_CJK_NGRAM,
        schema::prefix::kKeyword);
  }
  if (by_words.empty()) return label;
  return Xapian::Query(Xapian::Query::OP_OR, label, by_words);
}

// The query for an `inst:` or `venue:` value: its words as a phrase in the
// field's text (which weighs), or any institution or venue the name finds
// as --institution and --venue do (`inst:mit`: Massachusetts Institute of
// Technology, by acronym). Never empty, as KeywordQuery.
Xapian::Query NameQuery(const Xapian::Database& db, const Aliases& aliases,
                        std::string_view noun, const char* prefix,
                        const std::string& value, ParsedQuery* parsed) {
  std::string words = value;
  for (char& c : words) {
    if (c == '"') c = ' ';
  }
  Xapian::QueryParser parser;
  parser.set_database(db);
  parser.set_stemmer(schema::Stemmer());
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  std::vector<Xapian::Query> any{parser.parse_query(
      "\"" + words + "\"",
      Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_CJK_NGRAM,
      prefix)};
  if (any.front().empty()) any.clear();
  NameResolution resolution;
  for (const std::string& term : NamedFilterTerms(
           db, noun, value, aliases, parsed ? &resolution : nullptr)) {
    any.emplace_back(term);
  }
  if (parsed != nullptr) parsed->names.push_back(std::move(resolution));
  if (any.empty()) return Xapian::Query::MatchNothing;
  return Xapian::Query(Xapian::Query::OP_OR, any.begin(), any.end());
}

// Value N of MarkKeywordValues as KeywordQuery or NameQuery, by the field it
// was written after; anything else (a number the user typed after the field
// name) matches nothing.
class ValueFieldProcessor : public Xapian::FieldProcessor {
 public:
  // `parsed`: where to say how names were read, or nullptr.
  ValueFieldProcessor(const Xapian::Database& db, const Aliases& aliases,
                      const MarkedKeywords& marked, ParsedQuery* parsed)
      : db_(db), aliases_(aliases), marked_(marked), parsed_(parsed) {}

  Xapian::Query operator()(const std::string& number) override {
    const std::optional<size_t> index =
        MarkerIndex(number, marked_.values.size());
    if (!index) return Xapian::Query::MatchNothing;
    const std::string& value = marked_.values[*index];
    const std::string& field = marked_.fields[*index];
    if (field == "inst") {
      return NameQuery(db_, aliases_, "institution",
                       schema::prefix::kInstitution, value, parsed_);
    }
    if (field == "venue") {
      return NameQuery(db_, aliases_, "venue", schema::prefix::kVenue, value,
                       parsed_);
    }
    return KeywordQuery(db_, value);
  }

 private:
  Xapian::Database db_;
  const Aliases& aliases_;
  const MarkedKeywords& marked_;
  ParsedQuery* parsed_;
};

}  // namespace

namespace {

// Turns span N of MarkSynonymSpans into one OP_SYNONYM query: the words as
// the user wrote them, or any other member of their groups. A built-in group
// is its term when the database has the terms (`group_terms`), which is one
// posting list instead of a phrase query per member; other groups are their
// members' queries (MemberQuery).
class SynonymFieldProcessor : public Xapian::FieldProcessor {
 public:
  SynonymFieldProcessor(const Synonyms& synonyms, bool group_terms,
                        const std::vector<std::string>& spans,
                        ParsedQuery* parsed)
      : synonyms_(synonyms),
        group_terms_(group_terms),
        spans_(spans),
        parsed_(parsed) {}

  Xapian::Query operator()(const std::string& number) override {
    const std::optional<size_t> index = MarkerIndex(number, spans_.size());
    if (!index) return Xapian::Query::MatchNothing;
    const std::string& words = spans_[*index];
    const std::string key = Synonyms::Normalize(words);
    std::vector<Xapian::Query> members;
    // Every member of a group is one query, the same whichever member was
    // typed (`ptq` and `post-training quantization` answer alike): the
    // group's term, which holds every paper with any member as written, or
    // at query time each member's phrase. The words of a phrase member
    // that are not together find the paper among the partial matches.
    bool words_in_term = false;
    std::vector<std::string> seen{key};
    for (uint32_t g : synonyms_.GroupsOf(key)) {
      const Synonyms::Group& group = synonyms_.groups()[g];
      if (group_terms_ && group.built_in) {
        members.emplace_back(GroupTerm(group));
        for (std::string_view member : group.members) {
          parsed_->indexed_members.emplace_back(member);  // for snippets
          words_in_term = true;
        }
        continue;
      }
      for (std::string_view member : group.members) {
        std::string normalized = Synonyms::Normalize(member);
        if (std::find(seen.begin(), seen.end(), normalized) != seen.end())
          continue;
        seen.push_back(std::move(normalized));
        Xapian::Query query = MemberQuery(member);
        if (!query.empty()) members.push_back(std::move(query));
      }
    }
    if (!words_in_term) members.insert(members.begin(), MemberQuery(words));
    Xapian::Query group(Xapian::Query::OP_SYNONYM, members.begin(),
                        members.end());
    parsed_->synonym_groups.push_back(group);
    return group;
  }

 private:
  const Synonyms& synonyms_;
  const bool group_terms_;
  const std::vector<std::string>& spans_;
  ParsedQuery* parsed_;
};

}  // namespace

QueryBuilder::QueryBuilder(const Xapian::Database& db, const Synonyms& synonyms,
                           const Aliases& aliases)
    : db_(db),
      synonyms_(synonyms),
      aliases_(aliases),
      group_terms_(!synonyms.empty() && db.get_metadata(schema::kSynonymsKey) ==
                                            SynonymsFingerprint()) {}

Xapian::Query QueryBuilder::ParseWithFlags(const MarkedKeywords& keywords,
                                           unsigned flags, bool all_words,
                                           ParsedQuery* parsed,
                                           std::string* corrected) const {
  const std::string& text = keywords.text;
  Xapian::QueryParser parser;
  parser.set_database(db_);
  parser.set_stemmer(schema::Stemmer());
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.set_stopper(&EnglishStopper());
  parser.set_default_op(all_words ? Xapian::Query::OP_AND
                                  : Xapian::Query::OP_OR);
  parser.set_max_expansion(kMaxWildcardWords,
                           Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
  for (const char* bare : schema::kBareWordPrefixes)
    parser.add_prefix("", bare);
  std::vector<std::string> spans;
  std::string marked = text;
  if (parsed != nullptr) {
    marked = DropChineseFunctionWords(
        MarkSynonymSpans(text, synonyms_, kSynonymField, &spans));
    if (!spans.empty()) {
      parser.add_prefix(
          kSynonymField,
          (new SynonymFieldProcessor(synonyms_, group_terms_, spans, parsed))
              ->release());
    }
  }
  for (const schema::TextField& field : schema::kTextFields) {
    if (field.query_name != nullptr) {
      parser.add_prefix(field.query_name, field.prefix);
    }
  }
  if (!keywords.values.empty()) {
    parser.add_prefix(
        kKeywordField,
        (new ValueFieldProcessor(db_, aliases_, keywords, parsed))->release());
  }
  parser.add_boolean_prefix("id", schema::prefix::kId);
  parser.add_boolean_prefix("year", schema::prefix::kYearFilter);
  parser.add_rangeprocessor(
      (new Xapian::NumberRangeProcessor(schema::slot::kYear, "year:"))
          ->release());
  if (corrected != nullptr) {
    Xapian::Query query = parser.parse_query(
        marked, flags | Xapian::QueryParser::FLAG_SPELLING_CORRECTION);
    *corrected = parser.get_corrected_query_string();
    return query;
  }
  return parser.parse_query(marked, flags);
}

namespace {

// The term pattern of an OP_WILDCARD query ("XNspars"). Xapian 1.4 has no
// accessor for it; its description is "Query(WILDCARD OR XNspars)", the
// combining operator then the pattern (tests/search_units_test.cc pins
// this).
std::string WildcardPattern(const Xapian::Query& wildcard) {
  const std::string description = wildcard.get_description();
  const std::string_view start = "Query(WILDCARD ";
  if (description.compare(0, start.size(), start) != 0 ||
      description.back() != ')') {
    return std::string();
  }
  const size_t space = description.find(' ', start.size());
  if (space == std::string::npos) return std::string();
  return description.substr(space + 1, description.size() - space - 2);
}

void FindCappedWildcards(const Xapian::Database& db, const Xapian::Query& query,
                         std::vector<std::string>* capped) {
  if (query.get_type() != Xapian::Query::OP_WILDCARD) {
    for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
      FindCappedWildcards(db, query.get_subquery(i), capped);
    }
    return;
  }
  const std::string pattern = WildcardPattern(query);
  if (pattern.empty()) return;
  Xapian::termcount words = 0;
  for (Xapian::TermIterator it = db.allterms_begin(pattern);
       it != db.allterms_end(pattern) && words <= kMaxWildcardWords; ++it) {
    ++words;
  }
  if (words <= kMaxWildcardWords) return;
  // As written: without the field's prefix (capital letters; the words
  // themselves are lower-cased).
  size_t word = 0;
  while (word < pattern.size() && pattern[word] >= 'A' &&
         pattern[word] <= 'Z') {
    ++word;
  }
  std::string written = pattern.substr(word) + "*";
  if (std::find(capped->begin(), capped->end(), written) == capped->end()) {
    capped->push_back(std::move(written));
  }
}

}  // namespace

std::vector<std::string> CappedWildcards(const Xapian::Database& db,
                                         const Xapian::Query& query) {
  std::vector<std::string> capped;
  FindCappedWildcards(db, query, &capped);
  return capped;
}

Xapian::Query FixedBoost(double weight, const Xapian::Query& papers) {
  return Xapian::Query(
      Xapian::Query::OP_FILTER,
      Xapian::Query((new Xapian::FixedWeightPostingSource(weight))->release()),
      papers);
}

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

Xapian::Query QueryBuilder::TitlePhrase(const std::string& text,
                                        std::vector<std::string>* words) const {
  if (text.find_first_of("\":()*") != std::string::npos) return {};
  for (size_t pos = 0; pos < text.size();) {
    const size_t end = std::min(text.find(' ', pos), text.size());
    if (IsOperator(std::string_view(text).substr(pos, end - pos))) return {};
    pos = end + 1;
  }
  // The text as tokens, a synonym span as the alternatives of its groups.
  std::vector<std::string> spans;
  const std::string marked =
      MarkSynonymSpans(text, synonyms_, kSynonymField, &spans);
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

namespace {

// True when `text` uses NEAR or ADJ (NEAR/3, ADJ/2 too): they take single
// terms, and a word with synonyms is a group. Xapian's parser then either
// dropped the whole query (`kv NEAR eviction` listed every paper) or threw
// UnimplementedError (`x NEAR cache`, found by fuzz_query).
bool HasProximityOperator(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t start = text.find_first_not_of(" \t\r\n", pos);
    if (start == std::string_view::npos) break;
    size_t end = text.find_first_of(" \t\r\n", start);
    if (IsProximityOperator(text.substr(start, end - start))) return true;
    if (end == std::string_view::npos) break;
    pos = end;
  }
  return false;
}

// Whether the quotes pair up and the parentheses outside quotes close.
bool Balanced(std::string_view text) {
  bool quoted = false;
  int depth = 0;
  for (char c : text) {
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && c == '(') {
      ++depth;
    } else if (!quoted && c == ')') {
      if (--depth < 0) return false;
    }
  }
  return !quoted && depth == 0;
}

}  // namespace

ParsedQuery QueryBuilder::Parse(const std::string& text, bool all_words) const {
  ParsedQuery result;
  const MarkedKeywords keywords = MarkKeywordValues(text, kKeywordField);
  const bool proximity = HasProximityOperator(keywords.text);
  try {
    // An unclosed quote or bracket is malformed, not a phrase or a group
    // to the end: Xapian's parser would read '"draft tree' as the phrase.
    if (!Balanced(keywords.text)) {
      throw Xapian::QueryParserError("unbalanced quotes or parentheses");
    }
    result.query = ParseWithFlags(keywords, kFullSyntax, all_words,
                                  proximity ? nullptr : &result, nullptr);
  } catch (const Xapian::QueryParserError&) {
    result.read_as_words = true;
  } catch (const Xapian::UnimplementedError&) {
    result.read_as_words = true;
  }
  if (result.read_as_words) {
    result.synonym_groups.clear();
    result.indexed_members.clear();
    // Keep only letters, digits and CJK; punctuation is what was malformed.
    std::string words;
    for (unsigned char c : text) {
      words += (c >= 0x80 || std::isalnum(c)) ? static_cast<char>(c) : ' ';
    }
    try {
      result.query = ParseWithFlags(MarkedKeywords{words, {}, {}, {}},
                                    kPlainWords, all_words, nullptr, nullptr);
    } catch (const Xapian::QueryParserError&) {
      result.query = Xapian::Query();
    }
  }
  if (result.query.empty()) return result;
  result.abbr_boost = AbbrBoost(text);
  if (!result.abbr_boost.empty()) {
    const Xapian::Query scaled(Xapian::Query::OP_SCALE_WEIGHT,
                               result.abbr_boost, kAbbrBoost);
    // The abbreviation typed whole is one of the words; typed in pieces it
    // is another way to match them.
    const bool whole =
        db_.term_exists(schema::FilterTerm(schema::prefix::kAbbrExact, text));
    result.query = Xapian::Query(
        whole ? Xapian::Query::OP_AND_MAYBE : Xapian::Query::OP_OR,
        result.query, scaled);
  }
  result.title_phrase = TitlePhrase(text, &result.title_phrase_words);
  if (!result.title_phrase.empty()) {
    for (auto it = result.title_phrase.get_unique_terms_begin();
         it != result.title_phrase.get_unique_terms_end(); ++it) {
      if (std::find(result.query.get_unique_terms_begin(),
                    result.query.get_unique_terms_end(),
                    *it) == result.query.get_unique_terms_end()) {
        result.title_phrase_only.push_back(*it);
      }
    }
    result.query =
        Xapian::Query(Xapian::Query::OP_AND_MAYBE, result.query,
                      FixedBoost(kTitlePhraseWeight, result.title_phrase));
  }
  return result;
}

GroupWordsQuery QueryBuilder::GroupWords(const std::string& text) const {
  std::vector<std::string> spans;
  MarkSynonymSpans(text, synonyms_, kSynonymField, &spans);
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
      query = ParseWithFlags(MarkedKeywords{token, {}, {}, {}}, kPlainWords,
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

std::string QueryBuilder::WithSynonyms(const std::string& text) const {
  std::vector<std::string> spans;
  MarkSynonymSpans(text, synonyms_, kSynonymField, &spans);
  std::string out = text;
  for (const std::string& span : spans) {
    for (uint32_t g : synonyms_.GroupsOf(Synonyms::Normalize(span))) {
      for (std::string_view member : synonyms_.groups()[g].members) {
        out += ' ';
        out += member;
      }
    }
  }
  return out;
}

std::string QueryBuilder::Correct(const std::string& text) const {
  const MarkedKeywords keywords = MarkKeywordValues(text, kKeywordField);
  std::string corrected;
  try {
    ParseWithFlags(keywords, kFullSyntax, true, nullptr, &corrected);
  } catch (const Xapian::QueryParserError&) {
    return "";
  } catch (const Xapian::UnimplementedError&) {
    return "";
  }
  if (corrected.empty()) return "";  // Xapian's answer for no corrections
  corrected = UnmarkKeywordValues(corrected, keywords, kKeywordField);
  // Xapian may respell words the index has ("model" -> "models"): only the
  // words it does not have are corrected.
  const std::vector<std::string_view> typed = SplitSpaces(text);
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
    // Appended: GCC 12 warns (-Wrestrict, falsely) about const char* +
    // std::string.
    std::string term = prefix, stemmed = "Z";
    term += lower;
    stemmed += prefix;
    stemmed += stem;
    most = std::max({most, db_.get_termfreq(term), db_.get_termfreq(stemmed)});
  }
  return most;
}

}  // namespace papersearch
