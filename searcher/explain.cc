#include "searcher/explain.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "schema.h"
#include "searcher/filters.h"

namespace papersearch {
namespace {

// Splits a term into its stem marker ("Z" or ""), prefix and word. Terms are
// lower case after their prefix, and prefixes are upper case.
void SplitTerm(const std::string& term, std::string* stem, std::string* prefix,
               std::string* word) {
  size_t pos = 0;
  stem->clear();
  if (!term.empty() && term[0] == 'Z') {
    stem->push_back('Z');
    pos = 1;
  }
  size_t start = pos;
  while (pos < term.size() && term[pos] >= 'A' && term[pos] <= 'Z') ++pos;
  *prefix = term.substr(start, pos - start);
  *word = term.substr(pos);
}

bool DocumentHasTerm(const Xapian::Document& doc, const std::string& term) {
  Xapian::TermIterator it = doc.termlist_begin();
  it.skip_to(term);
  return it != doc.termlist_end() && *it == term;
}

// The fields of `doc` a term comes from: its prefix's field, or for an
// unprefixed term every field whose prefixed copy the document has.
std::string FieldsOf(const Xapian::Document& doc, const std::string& term) {
  std::string stem, prefix, word;
  SplitTerm(term, &stem, &prefix, &word);
  if (prefix == schema::prefix::kSynonymGroup) return "synonyms";
  std::string fields;
  for (const schema::TextField& field : schema::kTextFields) {
    if (prefix.empty() ? !DocumentHasTerm(doc, stem + field.prefix + word)
                       : prefix != field.prefix) {
      continue;
    }
    if (!fields.empty()) fields += ',';
    fields += field.name;
  }
  return fields.empty() ? "text" : fields;
}

std::string WordOf(const std::string& term) {
  std::string stem, prefix, word;
  SplitTerm(term, &stem, &prefix, &word);
  return word;
}

// The weight `query` alone gives document `id_term`'s document.
double WeightOn(const Xapian::Database& db, const Xapian::Query& query,
                const std::string& id_term) {
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(RankingWeight());
  enquire.set_query(
      Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(id_term)));
  Xapian::MSet mset = enquire.get_mset(0, 1);
  return mset.empty() ? 0.0 : mset.begin().get_weight();
}

}  // namespace

Xapian::BM25Weight RankingWeight() {
  // k1, k2, k3, b, min_normlen.
  return Xapian::BM25Weight(1.0, 0.0, 1.0, 0.5, 0.5);
}

Explanation Explain(const Xapian::Database& db, const Xapian::Enquire& enquire,
                    const Xapian::MSetIterator& hit,
                    const ParsedQuery& parsed) {
  Explanation explanation;
  Xapian::Document doc = hit.get_document();
  const std::string id = schema::IdOfDocument(doc);
  const std::string id_term = schema::prefix::kId + id;
  std::set<std::string> matching(enquire.get_matching_terms_begin(hit),
                                 enquire.get_matching_terms_end(hit));
  if (!parsed.scored_terms.empty()) {
    std::set<std::string> scored;
    for (const std::string& term : matching) {
      if (std::find(parsed.scored_terms.begin(), parsed.scored_terms.end(),
                    term) != parsed.scored_terms.end() ||
          term.starts_with(schema::prefix::kKeywordFilter) ||
          std::find(parsed.named_terms.begin(), parsed.named_terms.end(),
                    term) != parsed.named_terms.end() ||
          term == parsed.author_term) {
        scored.insert(term);
      }
    }
    matching = std::move(scored);
  }
  std::set<std::string> explained;
  double sum = 0;
  auto add = [&](std::string field, std::string words, double weight) {
    if (weight <= 0) return;
    explanation.parts.push_back({std::move(field), std::move(words), weight});
    sum += weight;
  };
  // Appends each of `items` (comma-separated) to `list` unless there.
  auto merge = [](const std::string& items, char separator, std::string* list) {
    size_t pos = 0;
    while (pos <= items.size()) {
      size_t end = items.find(',', pos);
      if (end == std::string::npos) end = items.size();
      std::string item = items.substr(pos, end - pos);
      std::string padded = separator + *list + separator;
      if (padded.find(separator + item + separator) == std::string::npos) {
        if (!list->empty()) list->push_back(separator);
        *list += item;
      }
      pos = end + 1;
    }
  };
  auto describe = [&](const Xapian::Query& query, std::string* fields,
                      std::string* words) {
    for (auto it = query.get_unique_terms_begin();
         it != query.get_unique_terms_end(); ++it) {
      if (!matching.count(*it) || explained.count(*it)) continue;
      explained.insert(*it);
      merge(FieldsOf(doc, *it), ',', fields);
      merge(WordOf(*it), '|', words);
    }
  };
  for (const Xapian::Query& group : parsed.synonym_groups) {
    std::string fields, words;
    describe(group, &fields, &words);
    if (!words.empty()) add(fields, words, WeightOn(db, group, id_term));
  }
  if (!parsed.abbr_boost.empty()) {
    std::string fields, words;
    describe(parsed.abbr_boost, &fields, &words);
    if (!words.empty()) {
      add("abbr (exact, x" + std::to_string(static_cast<int>(kAbbrBoost)) + ")",
          words, kAbbrBoost * WeightOn(db, parsed.abbr_boost, id_term));
    }
  }
  if (!parsed.title_phrase.empty()) {
    // The terms only the phrase has weigh nothing themselves (they select
    // the papers the boost applies to).
    for (const std::string& term : parsed.title_phrase_only) {
      explained.insert(term);
    }
    // The phrase the title has (one of several when the query has synonyms).
    const Xapian::Query& phrases = parsed.title_phrase;
    const bool several = phrases.get_type() == Xapian::Query::OP_OR;
    const size_t count = several ? phrases.get_num_subqueries() : 1;
    std::string words;
    for (size_t i = 0; i < count && words.empty(); ++i) {
      const Xapian::Query phrase = several ? phrases.get_subquery(i) : phrases;
      if (WeightOn(db, phrase, id_term) > 0) {
        words = parsed.title_phrase_words[i];
      }
    }
    if (!words.empty()) {
      add("title (phrase)", words, kTitlePhraseWeight);
    }
  }
  // A word's weight as a whole: a phrase (`prefill-decode`) weighs only
  // where its words are together, though each of them matches apart.
  for (const ScaledQuery& word : parsed.scaled_words) {
    std::string fields, words;
    describe(word.query, &fields, &words);
    if (!words.empty()) {
      add(fields, words, word.scale * WeightOn(db, word.query, id_term));
    }
  }
  for (const std::vector<std::string>& section : parsed.topic_sections) {
    std::string labels;  // those the paper is filed under
    for (const std::string& label : section) {
      const std::string term = KeywordFilterTerm(label);
      if (!matching.count(term)) continue;
      explained.insert(term);
      labels += (labels.empty() ? "" : "|") + label;
    }
    if (!labels.empty()) add("topic (keyword label)", labels, kTopicWeight);
  }
  for (const std::string& term : parsed.named_terms) {
    if (!matching.count(term) || explained.count(term)) continue;
    explained.insert(term);
    const bool venue = term.starts_with(schema::prefix::kVenueFilter);
    add(venue ? "venue (named)" : "institution (named)",
        term.substr(std::string_view(venue ? schema::prefix::kVenueFilter
                                           : schema::prefix::kInstitutionFilter)
                        .size()),
        kAuthorWeight);
  }
  if (!parsed.author_term.empty() && matching.count(parsed.author_term)) {
    explained.insert(parsed.author_term);
    add("author (name)",
        parsed.author_term.substr(
            std::string_view(schema::prefix::kAuthorFilter).size()),
        kAuthorWeight);
  }
  for (const std::string& term : matching) {
    if (explained.count(term)) continue;
    add(FieldsOf(doc, term), WordOf(term),
        parsed.term_scale * WeightOn(db, Xapian::Query(term), id_term));
  }
  explanation.rest = hit.get_weight() - sum;
  if (std::fabs(explanation.rest) < 1e-9) explanation.rest = 0;
  return explanation;
}

}  // namespace papersearch
