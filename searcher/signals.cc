#include "searcher/signals.h"

#include "common/document_data.h"
#include "common/names.h"
#include "schema.h"
#include "searcher/filters.h"
#include "searcher/query_builder.h"
#include "searcher/searcher.h"

namespace papersearch {
namespace {

// Relevance feedback picks terms of the paper's title, keyword labels,
// baselines and note: what it is about, not who wrote it or where. Only
// words of two or more letters that some other paper has too (a word only
// this paper has finds nothing else).
class TopicTerms : public Xapian::ExpandDecider {
 public:
  explicit TopicTerms(const Xapian::Database& db) : db_(db) {}

  bool operator()(const std::string& term) const override {
    return IsTopicTerm(term) && db_.get_termfreq(term) >= 2;
  }

 private:
  static bool IsTopicTerm(const std::string& term) {
    for (const char* prefix :
         {schema::prefix::kTitle, schema::prefix::kKeyword,
          schema::prefix::kBaseline, schema::prefix::kNote}) {
      std::string stemmed = std::string("Z") + prefix;
      if (term.size() > stemmed.size() + 1 &&
          term.compare(0, stemmed.size(), stemmed) == 0 &&
          !(term[stemmed.size()] >= 'A' && term[stemmed.size()] <= 'Z')) {
        return true;
      }
    }
    return false;
  }

  const Xapian::Database& db_;
};

// The paper --like names, by id or else by abbreviation (any case); 0 when
// there is none.
Xapian::docid FindPaper(const Xapian::Database& db, const std::string& like) {
  for (const std::string& term :
       {schema::prefix::kId + like,
        schema::FilterTerm(schema::prefix::kAbbrExact, like)}) {
    Xapian::PostingIterator it = db.postlist_begin(term);
    if (it != db.postlist_end(term)) return *it;
  }
  return 0;
}

}  // namespace

Xapian::Query TopicBoost(
    const std::vector<std::vector<std::string>>& sections) {
  std::vector<Xapian::Query> parts;
  for (const std::vector<std::string>& section : sections) {
    std::vector<Xapian::Query> labels;
    for (const std::string& label : section) {
      labels.emplace_back(KeywordFilterTerm(label));
    }
    parts.push_back(FixedBoost(
        kTopicWeight,
        Xapian::Query(Xapian::Query::OP_OR, labels.begin(), labels.end())));
  }
  return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

std::string AuthorNamed(const Xapian::Database& db, const QueryScan& scan) {
  if (!scan.plain || scan.words.size() < 2) return "";  // one word: no name
  for (const std::string& key : NameKeys(scan.text)) {
    std::string term = schema::NameTerm(schema::prefix::kAuthorFilter, key);
    if (db.term_exists(term)) return term;
  }
  return "";
}

void NamedPapersMatch(const Xapian::Query& named, Xapian::Query* words,
                      Xapian::Query* boost) {
  const Xapian::Query weighed = FixedBoost(kAuthorWeight, named);
  *boost = boost->empty()
               ? weighed
               : Xapian::Query(Xapian::Query::OP_OR, *boost, weighed);
  if (!words->empty()) {
    *words = Xapian::Query(
        Xapian::Query::OP_OR, *words,
        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, named, 0.0));
  }
}

Xapian::Query LikeQuery(const Xapian::Database& db, const std::string& like) {
  Xapian::docid docid = FindPaper(db, like);
  if (docid == 0) return Xapian::Query();
  Xapian::RSet rset;
  rset.add_document(docid);
  Xapian::Enquire enquire(db);
  TopicTerms decider(db);
  Xapian::ESet eset = enquire.get_eset(kLikeTerms, rset, &decider);
  std::vector<std::string> terms(eset.begin(), eset.end());
  // The words of its keyword labels are common, so feedback ranks them low,
  // but they say best what the paper is about: always use them.
  const std::string keyword_stems = std::string("Z") + schema::prefix::kKeyword;
  Xapian::Document doc = db.get_document(docid);
  for (Xapian::TermIterator it = doc.termlist_begin(); it != doc.termlist_end();
       ++it) {
    it.skip_to(keyword_stems);
    if (it == doc.termlist_end() ||
        (*it).compare(0, keyword_stems.size(), keyword_stems) != 0) {
      break;
    }
    terms.push_back(*it);
  }
  Xapian::Query related(Xapian::Query::OP_OR, terms.begin(), terms.end());
  // Papers filed under the same sections come first: each shared label
  // counts as a topic the query names.
  std::vector<std::vector<std::string>> labels;
  StoredPaper paper;
  if (DecodeDocumentData(doc.get_data(), &paper)) {
    for (const std::string& label : KeywordLabels(paper)) {
      labels.push_back({label});
    }
  }
  if (!labels.empty()) {
    related = Xapian::Query(Xapian::Query::OP_OR, related, TopicBoost(labels));
  }
  const std::string id = schema::IdOfDocument(doc);
  Xapian::Query self(schema::prefix::kId + id);
  return Xapian::Query(Xapian::Query::OP_AND_NOT, related, self);
}

}  // namespace papersearch
