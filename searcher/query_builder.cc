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

// The field name MarkSynonymSpans gives replaced spans; the parser hands its
// value (the span's number) to SynonymFieldProcessor.
constexpr char kSynonymField[] = "papersearchsynonym";

constexpr unsigned kFullSyntax =
    Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_PURE_NOT | Xapian::QueryParser::FLAG_CJK_NGRAM;
constexpr unsigned kPlainWords = Xapian::QueryParser::FLAG_CJK_NGRAM;

// The field name MarkKeywordValues gives `keyword:` values; the parser hands
// its value (the value's number) to KeywordFieldProcessor.
constexpr char kKeywordField[] = "papersearchkeyword";

// True when the parser reads `name:` as a field: the query's fields and our
// markers; otherwise `name:x` is words (`n:m`, `2:4`).
bool IsFieldName(std::string_view name) {
  return schema::IsQueryFieldName(name) || name == kKeywordField ||
         name == kSynonymField;
}

// The number N of a marker `<field>:N` (MarkKeywordValues,
// MarkSynonymSpans) when it is one of the `count` the text was given;
// nullopt for anything else, such as a number the user typed.
std::optional<size_t> MarkerIndex(const std::string& number, size_t count) {
  size_t index = 0;
  auto [ptr, ec] =
      std::from_chars(number.data(), number.data() + number.size(), index);
  if (ec != std::errc() || ptr != number.data() + number.size() ||
      index >= count) {
    return std::nullopt;
  }
  return index;
}

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

bool IsOperator(std::string_view word) {
  return word == "AND" || word == "OR" || word == "NOT" || word == "XOR" ||
         word == "NEAR" || word == "ADJ";
}

// NEAR, NEAR/3, ADJ, ADJ/2.
bool IsProximityOperator(std::string_view word) {
  if (word.starts_with("NEAR") || word.starts_with("ADJ")) {
    std::string_view rest = word.substr(word[0] == 'N' ? 4 : 3);
    return rest.empty() ||
           (rest[0] == '/' && rest.size() > 1 &&
            rest.find_first_not_of("0123456789", 1) == std::string_view::npos);
  }
  return false;
}

// The double quotes Xapian's parser opens and closes phrases with (1.4.22:
// '"', U+201C and U+201D), and the other two of their block, which it may
// one day: taking too many for quotes is safe here (see MarkKeywordValues).
bool IsDoubleQuote(unsigned ch) {
  return ch == '"' || (ch >= 0x201C && ch <= 0x201F);
}

// Characters that join the words either side into a phrase (`kv-cache`).
bool IsPhraseGenerator(unsigned ch) {
  return ch == '.' || ch == '-' || ch == '/' || ch == ':' || ch == '\\' ||
         ch == '@';
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

struct CodePoint {
  unsigned ch;
  size_t size;  // in bytes; an invalid byte is a code point of its own
};

CodePoint CodePointAt(std::string_view text, size_t pos) {
  Xapian::Utf8Iterator it;  // assign(): GCC 12 sees nothing uninitialized
  it.assign(text.data() + pos, text.size() - pos);
  const unsigned ch = *it;
  ++it;
  return {ch, static_cast<size_t>(it.raw() - (text.data() + pos))};
}

// The end of the phrase opened by the double quote at `pos`: just past its
// closing quote, or the end of the text (Xapian closes an unclosed quote
// there). `*close`, when given, is where the closing quote starts, or the
// end of the text.
size_t QuotedEnd(std::string_view text, size_t pos, size_t* close = nullptr) {
  pos += CodePointAt(text, pos).size;
  while (pos < text.size()) {
    const CodePoint cp = CodePointAt(text, pos);
    if (IsDoubleQuote(cp.ch)) {
      if (close != nullptr) *close = pos;
      return pos + cp.size;
    }
    pos += cp.size;
  }
  if (close != nullptr) *close = text.size();
  return text.size();
}

// Just past the ')' that closes the '(' at `open` (quoted text skipped), or
// the end of the text when it is unclosed.
size_t GroupEnd(std::string_view text, size_t open) {
  size_t pos = open + 1;
  int depth = 1;
  while (pos < text.size()) {
    if (IsDoubleQuote(CodePointAt(text, pos).ch)) {
      pos = QuotedEnd(text, pos);
      continue;
    }
    if (text[pos] == '(') ++depth;
    if (text[pos] == ')' && --depth == 0) return pos + 1;
    ++pos;
  }
  return text.size();
}

// `keyword:(a "b c" -d)`, the group at `open` (its '('), as
// `(keyword:a keyword:"b c" -keyword:d)` when `field_name` is "keyword:":
// each word or phrase gets the field, as Xapian's parser gives a field to a
// group; AND, OR, NOT and XOR stay; NEAR and ADJ become AND (they take plain
// terms). A group of another field inside keeps its field (`title:(x)`);
// `keyword:(` inside is a plain
// group, so that nesting costs one pass. Sets `*end` just past the group's
// ')', or to the end of the text when it is unclosed.
std::string DistributeKeywordGroup(std::string_view text, size_t open,
                                   std::string_view field_name, size_t* end) {
  std::string out = "(";
  size_t pos = open + 1;
  int depth = 1;
  while (pos < text.size() && depth > 0) {
    if (IsAsciiSpace(text[pos])) {
      out += text[pos++];
      continue;
    }
    // One piece: leading '(' '+' '-', then a phrase or a word, then ')'s.
    while (pos < text.size() &&
           (text[pos] == '(' || text[pos] == '+' || text[pos] == '-')) {
      if (text[pos] == '(') ++depth;
      out += text[pos++];
    }
    const size_t start = pos;
    if (pos < text.size() && IsDoubleQuote(CodePointAt(text, pos).ch)) {
      pos = QuotedEnd(text, pos);
    } else {
      while (pos < text.size() && !IsAsciiSpace(text[pos]) &&
             text[pos] != '(' && text[pos] != ')') {
        pos += CodePointAt(text, pos).size;
      }
    }
    const std::string_view core = text.substr(start, pos - start);
    const bool field_group =
        core.ends_with(':') && pos < text.size() && text[pos] == '(';
    if (core.empty() || (field_group && core == field_name)) {
      // Nothing before a '(' or ')', or `keyword:` inside its own group.
    } else if (field_group) {
      const size_t group_end = GroupEnd(text, pos);
      out += text.substr(start, group_end - start);
      pos = group_end;
    } else if (IsProximityOperator(core)) {
      out += "AND";
    } else if (IsOperator(core) || core.find(':') != std::string_view::npos) {
      out += core;  // an operator, or a word with its own field
    } else {
      out += field_name;
      out += core;
    }
    while (pos < text.size() && text[pos] == ')' && depth > 0) {
      --depth;
      out += text[pos++];
    }
  }
  if (depth > 0) out += ')';
  *end = pos;
  return out;
}

// Replaces each NEAR or ADJ beside a keyword value with AND: Xapian 1.4.22
// builds no query for NEAR between two field-processor terms (and crashes
// on `a +keyword:x NEAR keyword:y`), and cannot put one inside NEAR.
std::string ProximityBesideKeywordToAnd(const std::string& text,
                                        std::string_view field) {
  std::vector<std::pair<size_t, size_t>> words;  // offset, length
  for (size_t pos = 0; pos < text.size();) {
    while (pos < text.size() && IsAsciiSpace(text[pos])) ++pos;
    const size_t start = pos;
    while (pos < text.size() && !IsAsciiSpace(text[pos])) ++pos;
    if (pos > start) words.emplace_back(start, pos - start);
  }
  const std::string marker = std::string(field) + ":";
  auto has_field = [&](size_t i) {
    return i < words.size() && std::string_view(text)
                                       .substr(words[i].first, words[i].second)
                                       .find(marker) != std::string_view::npos;
  };
  std::string out;
  size_t copied = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    const auto [start, length] = words[i];
    if (!IsProximityOperator(std::string_view(text).substr(start, length)) ||
        !((i > 0 && has_field(i - 1)) || has_field(i + 1))) {
      continue;
    }
    out.append(text, copied, start - copied);
    out += "AND";
    copied = start + length;
  }
  out.append(text, copied);
  return out;
}

// MarkKeywordValues, for `text` and for each group it distributes,
// appending to `result`.
void MarkKeywordValuesInto(std::string_view text, const std::string& field,
                           MarkedKeywords* result) {
  static constexpr std::string_view kValueFields[] = {
      "keyword:", "inst:", "venue:"};
  const std::string reserved[] = {field + ":",
                                  kSynonymField + std::string(":")};
  std::string& out = result->text;
  bool in_quotes = false;
  bool after_word = false;  // the last code point was a (non-CJK) word char
  bool phrased = false;     // ...then phrase generators: `kv-`
  size_t pos = 0;
  while (pos < text.size()) {
    const std::string_view rest = text.substr(pos);
    if (!after_word) {
      // Our own field names, typed: words (their values are ours to give).
      bool was_reserved = false;
      for (const std::string& name : reserved) {
        if (!rest.starts_with(name)) continue;
        out.append(name, 0, name.size() - 1);
        out += ' ';
        pos += name.size();
        was_reserved = true;
        break;
      }
      if (was_reserved) {
        after_word = phrased = false;
        continue;
      }
    }
    const std::string_view* value_field =
        after_word
            ? nullptr
            : std::find_if(std::begin(kValueFields), std::end(kValueFields),
                           [&](std::string_view name) {
                             return rest.starts_with(name);
                           });
    if (value_field != nullptr && value_field != std::end(kValueFields)) {
      const std::string_view name = *value_field;
      const size_t start = pos + name.size();
      const bool value_follows =
          start < text.size() &&
          static_cast<unsigned char>(text[start]) > ' ' && text[start] != ')';
      if (in_quotes || phrased || !value_follows) {
        // Words: inside a phrase, after `kv-`, or with nothing after it.
        out += name.substr(0, name.size() - 1);
        out += ' ';
        pos = start;
        after_word = phrased = false;
        continue;
      }
      if (text[start] == '(') {
        size_t end = 0;
        MarkKeywordValuesInto(DistributeKeywordGroup(text, start, name, &end),
                              field, result);
        pos = end;
        after_word = phrased = false;
        continue;
      }
      size_t end = start;
      std::string value;
      const CodePoint open = CodePointAt(text, start);
      if (IsDoubleQuote(open.ch)) {
        size_t close = 0;
        end = QuotedEnd(text, start, &close);
        value = text.substr(start + open.size, close - start - open.size);
      } else {
        while (end < text.size() && !IsAsciiSpace(text[end]) &&
               text[end] != ')') {
          ++end;
        }
        value = text.substr(start, end - start);
      }
      out += field;
      out += ':';
      out += std::to_string(result->values.size());
      result->values.push_back(std::move(value));
      result->written.emplace_back(text.substr(start, end - start));
      result->fields.emplace_back(name.substr(0, name.size() - 1));
      pos = end;
      // `keyword:"kv cache"-x`: the marker is one term, not part of a
      // phrase with `x`.
      if (pos < text.size() && !IsAsciiSpace(text[pos]) && text[pos] != ')') {
        out += ' ';
      }
      after_word = phrased = false;
      continue;
    }
    const CodePoint cp = CodePointAt(text, pos);
    if (IsDoubleQuote(cp.ch)) in_quotes = !in_quotes;
    phrased = (after_word || phrased) && IsPhraseGenerator(cp.ch);
    after_word = Xapian::Unicode::is_wordchar(cp.ch) && !IsCjk(cp.ch);
    out.append(text, pos, cp.size);
    pos += cp.size;
  }
}

}  // namespace

MarkedKeywords MarkKeywordValues(const std::string& text,
                                 const std::string& field) {
  MarkedKeywords result;
  MarkKeywordValuesInto(text, field, &result);
  if (!result.values.empty()) {
    result.text = ProximityBesideKeywordToAnd(result.text, field);
  }
  return result;
}

std::string UnmarkKeywordValues(const std::string& text,
                                const MarkedKeywords& marked,
                                const std::string& field) {
  const std::string marker = field + ":";
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t found = text.find(marker, pos);
    if (found == std::string::npos) break;
    size_t end = found + marker.size();
    size_t index = 0;
    auto [ptr, ec] =
        std::from_chars(text.data() + end, text.data() + text.size(), index);
    out.append(text, pos, found - pos);
    if (ec != std::errc() || index >= marked.written.size()) {
      out += marker;
      pos = end;
      continue;
    }
    out += marked.fields[index];
    out += ':';
    out += marked.written[index];
    pos = static_cast<size_t>(ptr - text.data());
  }
  out.append(text, pos);
  return out;
}

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

std::string MarkSynonymSpans(const std::string& text, const Synonyms& synonyms,
                             const std::string& field,
                             std::vector<std::string>* spans) {
  if (synonyms.empty()) return text;
  // The text as pieces: plain words (candidates) and everything else,
  // copied as it is. `space_before`: the piece followed white space.
  struct Piece {
    std::string text;
    bool word = false;
    bool space_before = false;
    bool hyphen_before = false;  // a part of a hyphenated word after the first
  };
  std::vector<Piece> pieces;
  size_t pos = 0;
  const size_t n = text.size();
  bool space = false;
  while (pos < n) {
    if (text[pos] == ' ' || text[pos] == '\t') {
      space = true;
      ++pos;
      continue;
    }
    size_t end = pos;
    bool quoted = false;
    while (end < n && text[end] != ' ' && text[end] != '\t') {
      if (text[end] == '"') {
        quoted = true;
        size_t close = text.find('"', end + 1);
        end = close == std::string::npos ? n : close + 1;
      } else {
        ++end;
      }
    }
    std::string_view chunk(text.data() + pos, end - pos);
    auto literal = [&](std::string_view part) {
      if (part.empty()) return;
      pieces.push_back({std::string(part), false, space});
      space = false;
    };
    if (quoted) {
      literal(chunk);
    } else {
      size_t open = chunk.find_first_not_of('(');
      if (open == std::string_view::npos) open = chunk.size();
      literal(chunk.substr(0, open));
      size_t close = chunk.find_last_not_of(')');
      close =
          close == std::string_view::npos || close < open ? open : close + 1;
      std::string_view core = chunk.substr(open, close - open);
      // `n:m` is a word to the parser, `title:x` a field.
      const size_t colon = core.find(':');
      const bool field = colon != std::string_view::npos &&
                         (colon == 0 || colon + 1 == core.size() ||
                          IsFieldName(core.substr(0, colon)));
      if (core.empty() || field ||
          core.find_first_of("*()/\\") != std::string::npos ||
          core.front() == '+' || core.front() == '-' || IsOperator(core)) {
        literal(core);
      } else {
        // Split at the borders between CJK and other text ("KV压缩"), and
        // at hyphens inside a word, so that a member can start or end in
        // it ("self-speculative decoding" has `speculative decoding`).
        size_t start = 0;
        bool start_cjk = false;
        bool hyphen = false;
        for (Xapian::Utf8Iterator it(core.data(), core.size()), stop;
             it != stop; ++it) {
          size_t at = it.raw() - core.data();
          bool cjk = IsCjk(*it);
          if (at == 0) {
            start_cjk = cjk;
          } else if (*it == '-' && at > start && at + 1 < core.size() &&
                     core[at + 1] != '-') {
            pieces.push_back({std::string(core.substr(start, at - start)), true,
                              space, hyphen});
            space = false;
            hyphen = true;
            start = at + 1;
            start_cjk = at + 1 < core.size() &&
                        static_cast<unsigned char>(core[at + 1]) >= 0x80;
          } else if (at > start && cjk != start_cjk) {
            pieces.push_back({std::string(core.substr(start, at - start)), true,
                              space, hyphen});
            space = false;
            hyphen = false;
            start = at;
            start_cjk = cjk;
          }
        }
        pieces.push_back(
            {std::string(core.substr(start)), true, space, hyphen});
        space = false;
      }
      literal(chunk.substr(close));
    }
    pos = end;
  }

  std::string out;
  bool after_span = false;
  auto append = [&](const Piece& piece) {
    // A hyphenated word's part keeps its hyphen, unless a span ended
    // before it: `kv-cache-aware` is `<span> aware`, not `<span> -aware`.
    if (piece.hyphen_before && !after_span) {
      out += '-';
    } else if ((piece.space_before || piece.hyphen_before) && !out.empty()) {
      out += ' ';
    }
    out += piece.text;
    after_span = false;
  };
  for (size_t i = 0; i < pieces.size();) {
    size_t matched = 0;
    bool joined = false;  // the member is the pieces as typed, not spaced
    if (pieces[i].word) {
      size_t run = 0;
      while (i + run < pieces.size() && pieces[i + run].word) ++run;
      for (size_t len = std::min(run, synonyms.max_words()); len > 0; --len) {
        // The pieces as typed (`kv缓存`, `post-training`: one member),
        // then spaced.
        std::string typed, spaced;
        for (size_t k = i; k < i + len; ++k) {
          const std::string piece = Synonyms::Normalize(pieces[k].text);
          if (k > i && (pieces[k].space_before || pieces[k].hyphen_before)) {
            typed += ' ';
          }
          typed += piece;
          if (k > i) spaced += ' ';
          spaced += piece;
        }
        if (synonyms.Contains(typed) || synonyms.Contains(spaced)) {
          matched = len;
          joined = synonyms.Contains(typed);
          break;
        }
      }
    }
    if (matched == 0) {
      append(pieces[i]);
      ++i;
      continue;
    }
    std::string words;
    for (size_t k = i; k < i + matched; ++k) {
      if (k > i && pieces[k].hyphen_before) {
        words += '-';
      } else if (k > i && (!joined || pieces[k].space_before)) {
        words += ' ';
      }
      words += pieces[k].text;
    }
    if (!out.empty()) out += ' ';
    out += field + ":" + std::to_string(spans->size());
    out += ' ';
    after_span = true;
    spans->push_back(std::move(words));
    i += matched;
  }
  return out;
}

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
        std::vector<std::string>& tokens = members.emplace_back(g).tokens;
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
    most = std::max({most, db_.get_termfreq(prefix + lower),
                     db_.get_termfreq("Z" + std::string(prefix) + stem)});
  }
  return most;
}

}  // namespace papersearch
