// The terms of the built-in synonym groups (schema::prefix::kSynonymGroup):
// what a document holds of each group, counted once at index time so that a
// query for "kv cache" reads one posting list instead of running a phrase
// query for each of "key-value cache", "kv-cache", "键值缓存", ...
#ifndef PAPERSEARCH_INDEXER_SYNONYM_TERMS_H_
#define PAPERSEARCH_INDEXER_SYNONYM_TERMS_H_

#include <xapian.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/synonyms.h"

namespace papersearch {

// Where a run of positions came from: positions [first, last] were indexed
// with `wdf` per occurrence (a field's index-time weight).
struct PositionRun {
  Xapian::termpos first;
  Xapian::termpos last;
  Xapian::termcount wdf;
};

class SynonymTerms {
 public:
  // The built-in groups of `synonyms` (Synonyms::Group::built_in). Each
  // member is read as MemberQuery reads it; a member whose query is not
  // terms or phrases of terms (never, for the built-in file; see
  // `unsupported`) counts nothing.
  explicit SynonymTerms(const Synonyms& synonyms = BuiltInSynonyms());

  // Adds to `doc` the term of each group it holds a member of, with as wdf
  // the member occurrences in the bare-word fields (kBareWordPrefixes):
  // a word member's stemmed term's wdf, and for a phrase member each
  // occurrence's field weight, from `runs` (in position order). Exactly the
  // documents the members' queries match get the term. Not thread-safe
  // (scratch space); use one per thread.
  void AddTo(Xapian::Document& doc, const std::vector<PositionRun>& runs);

  // Members whose queries have a shape AddTo cannot count.
  const std::vector<std::string>& unsupported() const { return unsupported_; }

  // The distinct terms the members' queries are made of.
  size_t term_count() const { return terms_.size(); }

 private:
  // A member's query under one prefix: one term, or a phrase of terms
  // (indexes into terms_).
  struct Pattern {
    std::vector<uint32_t> terms;
    bool phrase = false;
  };
  struct Group {
    std::string term;
    std::vector<Pattern> patterns;
  };
  struct Found {
    uint32_t stamp = 0;  // == stamp_ when the document has the term
    Xapian::termcount wdf = 0;
    std::vector<Xapian::termpos> positions;  // for terms of phrases
  };

  // A pattern before its terms are numbered.
  struct NamedPattern {
    std::vector<std::string> terms;
    bool phrase = false;
  };
  // Appends `query`'s patterns; false for a shape AddTo cannot count.
  static bool Compile(const Xapian::Query& query,
                      std::vector<NamedPattern>* patterns);

  std::vector<Group> groups_;
  std::vector<std::string> terms_;  // sorted, unique
  std::vector<bool> positional_;    // terms_[i] is part of a phrase
  std::vector<Found> found_;        // scratch, per terms_
  uint32_t stamp_ = 0;
  std::vector<std::string> unsupported_;
};

}  // namespace papersearch

#endif  // PAPERSEARCH_INDEXER_SYNONYM_TERMS_H_
