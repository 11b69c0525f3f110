#include "indexer/synonym_terms.h"

#include <algorithm>

namespace papersearch {

bool SynonymTerms::Compile(const Xapian::Query& query,
                           std::vector<NamedPattern>* patterns) {
  switch (query.get_type()) {
    case Xapian::Query::LEAF_TERM:
      patterns->push_back({{*query.get_terms_begin()}, false});
      return true;
    case Xapian::Query::OP_OR:
      for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
        if (!Compile(query.get_subquery(i), patterns)) return false;
      }
      return true;
    case Xapian::Query::OP_PHRASE: {
      // The parser's phrases are exact: the terms in order, in as many
      // positions as there are terms.
      NamedPattern phrase{{}, true};
      for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
        const Xapian::Query sub = query.get_subquery(i);
        if (sub.get_type() != Xapian::Query::LEAF_TERM) return false;
        phrase.terms.push_back(*sub.get_terms_begin());
      }
      patterns->push_back(std::move(phrase));
      return true;
    }
    default: return false;
  }
}

SynonymTerms::SynonymTerms(const Synonyms& synonyms) {
  struct NamedGroup {
    std::string term;
    std::vector<NamedPattern> patterns;
  };
  std::vector<NamedGroup> named;
  for (const Synonyms::Group& group : synonyms.groups()) {
    if (!group.built_in) continue;
    NamedGroup g{GroupTerm(group), {}};
    for (std::string_view member : group.members) {
      std::vector<NamedPattern> patterns;
      Xapian::Query query = MemberQuery(member);
      if (query.empty()) continue;
      if (!Compile(query, &patterns)) {
        unsupported_.push_back(std::string(member) + " (" +
                               query.get_description() + ")");
        continue;
      }
      for (NamedPattern& pattern : patterns) {
        // Members that read the same ("kv cache", "kv-cache") count once.
        bool known = std::any_of(
            g.patterns.begin(), g.patterns.end(), [&](const NamedPattern& p) {
              return p.terms == pattern.terms && p.phrase == pattern.phrase;
            });
        if (!known) g.patterns.push_back(std::move(pattern));
      }
    }
    // Each group has a term of its own: no two built-in groups start with
    // the same member (tests/synonym_terms_test.cc).
    named.push_back(std::move(g));
  }

  for (const NamedGroup& g : named) {
    for (const NamedPattern& p : g.patterns)
      terms_.insert(terms_.end(), p.terms.begin(), p.terms.end());
  }
  std::sort(terms_.begin(), terms_.end());
  terms_.erase(std::unique(terms_.begin(), terms_.end()), terms_.end());
  positional_.assign(terms_.size(), false);
  found_.resize(terms_.size());
  auto index_of = [this](const std::string& term) {
    return static_cast<uint32_t>(
        std::lower_bound(terms_.begin(), terms_.end(), term) - terms_.begin());
  };
  for (NamedGroup& g : named) {
    Group group{std::move(g.term), {}};
    for (const NamedPattern& p : g.patterns) {
      Pattern pattern{{}, p.phrase};
      for (const std::string& term : p.terms) {
        pattern.terms.push_back(index_of(term));
        if (p.phrase) positional_[pattern.terms.back()] = true;
      }
      group.patterns.push_back(std::move(pattern));
    }
    groups_.push_back(std::move(group));
  }
}

void SynonymTerms::AddTo(Xapian::Document& doc,
                         const std::vector<PositionRun>& runs) {
  if (terms_.empty()) return;
  // One pass over the document's terms, which are in order, as terms_ is.
  ++stamp_;
  size_t i = 0;
  for (Xapian::TermIterator it = doc.termlist_begin();
       it != doc.termlist_end() && i < terms_.size(); ++it) {
    const std::string term = *it;
    if (term < terms_[i]) continue;
    if (term > terms_[i]) {
      i = std::lower_bound(terms_.begin() + i, terms_.end(), term) -
          terms_.begin();
      if (i == terms_.size() || terms_[i] != term) continue;
    }
    Found& found = found_[i];
    found.stamp = stamp_;
    found.wdf = it.get_wdf();
    found.positions.clear();
    if (positional_[i]) {
      for (Xapian::PositionIterator p = it.positionlist_begin();
           p != it.positionlist_end(); ++p) {
        found.positions.push_back(*p);
      }
    }
    ++i;
  }

  auto has = [this](uint32_t t) { return found_[t].stamp == stamp_; };
  auto weight_at = [&runs](Xapian::termpos pos) -> Xapian::termcount {
    auto run = std::upper_bound(
        runs.begin(), runs.end(), pos,
        [](Xapian::termpos p, const PositionRun& r) { return p < r.first; });
    if (run == runs.begin()) return 1;
    --run;
    return pos <= run->last ? run->wdf : 1;
  };
  for (const Group& group : groups_) {
    Xapian::termcount wdf = 0;
    for (const Pattern& pattern : group.patterns) {
      if (!std::all_of(pattern.terms.begin(), pattern.terms.end(), has))
        continue;
      if (!pattern.phrase) {
        wdf += found_[pattern.terms[0]].wdf;
        continue;
      }
      for (Xapian::termpos start : found_[pattern.terms[0]].positions) {
        bool whole = true;
        for (size_t k = 1; k < pattern.terms.size() && whole; ++k) {
          const std::vector<Xapian::termpos>& at =
              found_[pattern.terms[k]].positions;
          whole = std::binary_search(at.begin(), at.end(), start + k);
        }
        if (whole) wdf += weight_at(start);
      }
    }
    if (wdf > 0) doc.add_term(group.term, wdf);
  }
}

}  // namespace papersearch
