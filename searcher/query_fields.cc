#include "searcher/query_fields.h"

#include <algorithm>
#include <optional>

#include "schema.h"
#include "searcher/filters.h"

namespace papersearch {
namespace {

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

Xapian::FieldProcessor* NewValueFieldProcessor(const Xapian::Database& db,
                                               const Aliases& aliases,
                                               const MarkedKeywords& marked,
                                               ParsedQuery* parsed) {
  return (new ValueFieldProcessor(db, aliases, marked, parsed))->release();
}

Xapian::FieldProcessor* NewSynonymFieldProcessor(
    const Synonyms& synonyms, bool group_terms,
    const std::vector<std::string>& spans, ParsedQuery* parsed) {
  return (new SynonymFieldProcessor(synonyms, group_terms, spans, parsed))
      ->release();
}

}  // namespace papersearch
