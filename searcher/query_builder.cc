#include "searcher/query_builder.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "common/utf8.h"
#include "schema.h"
#include "searcher/filters.h"

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

// `keyword:` takes a label as written in records (kv_cache_sparse) or as
// words (kv cache): the exact label's filter term, or the words under the
// keyword prefix.
class KeywordFieldProcessor : public Xapian::FieldProcessor {
 public:
  explicit KeywordFieldProcessor(const Xapian::Database& db) : db_(db) {}

  Xapian::Query operator()(const std::string& text) override {
    std::string words = text;
    for (char& c : words) {
      if (c == '_' || c == '"') c = ' ';
    }
    Xapian::QueryParser parser;
    parser.set_database(db_);
    parser.set_stemmer(EnglishStemmer());
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser.set_default_op(Xapian::Query::OP_AND);
    Xapian::Query by_words = parser.parse_query(
        "\"" + words + "\"",
        Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_CJK_NGRAM,
        schema::prefix::kKeyword);
    Xapian::Query label(KeywordFilterTerm(text));
    return Xapian::Query(Xapian::Query::OP_OR, label, by_words);
  }

 private:
  Xapian::Database db_;
};

// Xapian 1.4 does not hand a quoted value to a field processor
// (`keyword:"kv cache"` parses to nothing), so such a value is rewritten to
// the label form first: `keyword:kv_cache`. A ':' in a keyword value becomes
// '_' too: Xapian 1.4.22's parser dereferences a null query on
// `a +keyword:x:z` (a field processor's value holding ':' after another
// term; found by fuzz_query). Labels never hold a ':', and as words it
// separates them anyway.
std::string UnquoteKeywordValues(const std::string& text) {
  static constexpr std::string_view kField = "keyword:";
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t found = text.find(kField, pos);
    if (found == std::string::npos) break;
    const bool at_word_start = found == 0 || text[found - 1] == ' ' ||
                               text[found - 1] == '(' ||
                               text[found - 1] == '+' || text[found - 1] == '-';
    const size_t start = found + kField.size();
    out.append(text, pos, start - pos);
    pos = start;
    if (!at_word_start) continue;
    const bool quoted = start < text.size() && text[start] == '"';
    const size_t end = quoted ? text.find('"', start + 1)
                              : text.find_first_of(" \t\r\n()", start);
    if (quoted && end == std::string::npos) continue;  // left to the parser
    const size_t stop = end == std::string::npos ? text.size() : end;
    std::string value = text.substr(start + quoted, stop - start - quoted);
    for (char& c : value) {
      if (c == ':' || (quoted && c == ' ')) c = '_';
    }
    out += value;
    pos = quoted ? stop + 1 : stop;
  }
  out.append(text, pos);
  return out;
}

bool IsOperator(std::string_view word) {
  return word == "AND" || word == "OR" || word == "NOT" || word == "XOR" ||
         word == "NEAR" || word == "ADJ";
}

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

  Xapian::Query operator()(const std::string& value) override {
    size_t index = 0;
    auto [ptr, ec] =
        std::from_chars(value.data(), value.data() + value.size(), index);
    if (ec != std::errc() || ptr != value.data() + value.size() ||
        index >= spans_.size()) {
      return Xapian::Query();
    }
    const std::string& words = spans_[index];
    const std::string key = Synonyms::Normalize(words);
    std::vector<Xapian::Query> members;
    // The words as written, unless a group's term already holds every paper
    // they match: one word (not a phrase) whose member in the group is a
    // stemmed word. Several words stay: as written they need not be
    // adjacent, and the members are phrases.
    bool words_in_term = false;
    std::vector<std::string> seen{key};
    for (uint32_t g : synonyms_.GroupsOf(key)) {
      const Synonyms::Group& group = synonyms_.groups()[g];
      if (group_terms_ && group.built_in) {
        members.emplace_back(GroupTerm(group));
        for (std::string_view member : group.members) {
          if (Synonyms::Normalize(member) != key) {
            parsed_->indexed_members.emplace_back(member);
          } else if (!IsPhraseMember(words) && IsStemmedWordMember(member)) {
            words_in_term = true;
            parsed_->indexed_members.emplace_back(member);  // for snippets
          }
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
    if (!words_in_term) members.insert(members.begin(), BareWordsQuery(words));
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
      if (core.empty() || core.find_first_of(":*()/\\") != std::string::npos ||
          core.front() == '+' || core.front() == '-' || IsOperator(core)) {
        literal(core);
      } else {
        // Split at the borders between CJK and other text ("KV压缩").
        size_t start = 0;
        bool start_cjk = false;
        for (Xapian::Utf8Iterator it(core.data(), core.size()), stop;
             it != stop; ++it) {
          size_t at = it.raw() - core.data();
          bool cjk = IsCjk(*it);
          if (at == 0) {
            start_cjk = cjk;
          } else if (cjk != start_cjk) {
            pieces.push_back(
                {std::string(core.substr(start, at - start)), true, space});
            space = false;
            start = at;
            start_cjk = cjk;
          }
        }
        pieces.push_back({std::string(core.substr(start)), true, space});
        space = false;
      }
      literal(chunk.substr(close));
    }
    pos = end;
  }

  std::string out;
  auto append = [&](const std::string& piece, bool space_before) {
    if (space_before && !out.empty()) out += ' ';
    out += piece;
  };
  for (size_t i = 0; i < pieces.size();) {
    size_t matched = 0;
    if (pieces[i].word) {
      size_t run = 0;
      while (i + run < pieces.size() && pieces[i + run].word) ++run;
      for (size_t len = std::min(run, synonyms.max_words()); len > 0; --len) {
        std::string key;
        for (size_t k = i; k < i + len; ++k) {
          if (!key.empty()) key += ' ';
          key += Synonyms::Normalize(pieces[k].text);
        }
        if (synonyms.Contains(key)) {
          matched = len;
          break;
        }
      }
    }
    if (matched == 0) {
      append(pieces[i].text, pieces[i].space_before);
      ++i;
      continue;
    }
    std::string words;
    for (size_t k = i; k < i + matched; ++k) {
      if (!words.empty()) words += ' ';
      words += pieces[k].text;
    }
    append(field + ":" + std::to_string(spans->size()), true);
    out += ' ';
    spans->push_back(std::move(words));
    i += matched;
  }
  return out;
}

Xapian::Stem EnglishStemmer() { return Xapian::Stem("english"); }

QueryBuilder::QueryBuilder(const Xapian::Database& db, const Synonyms& synonyms)
    : db_(db),
      synonyms_(synonyms),
      group_terms_(!synonyms.empty() && db.get_metadata(schema::kSynonymsKey) ==
                                            SynonymsFingerprint()) {}

Xapian::Query QueryBuilder::ParseWithFlags(const std::string& text,
                                           unsigned flags, bool all_words,
                                           ParsedQuery* parsed,
                                           std::string* corrected) const {
  Xapian::QueryParser parser;
  parser.set_database(db_);
  parser.set_stemmer(EnglishStemmer());
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.set_default_op(all_words ? Xapian::Query::OP_AND
                                  : Xapian::Query::OP_OR);
  parser.set_max_expansion(kMaxWildcardWords,
                           Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
  for (const char* bare : schema::kBareWordPrefixes)
    parser.add_prefix("", bare);
  std::vector<std::string> spans;
  std::string marked = text;
  if (parsed != nullptr) {
    marked = MarkSynonymSpans(text, synonyms_, kSynonymField, &spans);
    if (!spans.empty()) {
      parser.add_prefix(
          kSynonymField,
          (new SynonymFieldProcessor(synonyms_, group_terms_, spans, parsed))
              ->release());
    }
  }
  parser.add_prefix("title", schema::prefix::kTitle);
  parser.add_prefix("abbr", schema::prefix::kAbbr);
  parser.add_prefix("author", schema::prefix::kAuthor);
  parser.add_prefix("inst", schema::prefix::kInstitution);
  parser.add_prefix("venue", schema::prefix::kVenue);
  parser.add_prefix("note", schema::prefix::kNote);
  parser.add_prefix("code", schema::prefix::kCode);
  parser.add_prefix("baseline", schema::prefix::kBaseline);
  parser.add_prefix("keyword", (new KeywordFieldProcessor(db_))->release());
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

Xapian::Query QueryBuilder::AbbrBoost(const std::string& text) const {
  std::string term = schema::FilterTerm(schema::prefix::kAbbrExact, text);
  if (term.size() == std::string_view(schema::prefix::kAbbrExact).size() ||
      !db_.term_exists(term)) {
    return Xapian::Query();
  }
  Xapian::QueryParser parser;
  parser.set_stemmer(EnglishStemmer());
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.set_default_op(Xapian::Query::OP_AND);
  Xapian::Query abbr_words =
      parser.parse_query(text, kPlainWords, schema::prefix::kAbbr);
  if (abbr_words.empty()) return Xapian::Query();
  return Xapian::Query(Xapian::Query::OP_FILTER, abbr_words,
                       Xapian::Query(term));
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
    std::string_view word = text.substr(start, end - start);
    if (word.starts_with("NEAR") || word.starts_with("ADJ")) {
      std::string_view rest = word.substr(word[0] == 'N' ? 4 : 3);
      if (rest.empty() ||
          (rest[0] == '/' && rest.size() > 1 &&
           rest.find_first_not_of("0123456789", 1) == std::string_view::npos)) {
        return true;
      }
    }
    if (end == std::string_view::npos) break;
    pos = end;
  }
  return false;
}

}  // namespace

ParsedQuery QueryBuilder::Parse(const std::string& text, bool all_words) const {
  ParsedQuery result;
  const std::string unquoted = UnquoteKeywordValues(text);
  const bool proximity = HasProximityOperator(unquoted);
  try {
    result.query = ParseWithFlags(unquoted, kFullSyntax, all_words,
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
      result.query =
          ParseWithFlags(words, kPlainWords, all_words, nullptr, nullptr);
    } catch (const Xapian::QueryParserError&) {
      result.query = Xapian::Query();
    }
  }
  if (result.query.empty()) return result;
  result.abbr_boost = AbbrBoost(text);
  if (!result.abbr_boost.empty()) {
    result.query = Xapian::Query(Xapian::Query::OP_AND_MAYBE, result.query,
                                 Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                               result.abbr_boost, kAbbrBoost));
  }
  return result;
}

std::string QueryBuilder::Correct(const std::string& text) const {
  std::string corrected;
  try {
    ParseWithFlags(UnquoteKeywordValues(text), kFullSyntax, true, nullptr,
                   &corrected);
  } catch (const Xapian::QueryParserError&) {
    return "";
  } catch (const Xapian::UnimplementedError&) {
    return "";
  }
  return corrected == text ? "" : corrected;
}

}  // namespace papersearch
