// --explain: which fields and terms of the query a hit matched, and how much
// of its score each contributed.
#ifndef PAPERSEARCH_SEARCHER_EXPLAIN_H_
#define PAPERSEARCH_SEARCHER_EXPLAIN_H_

#include <xapian.h>

#include <vector>

#include "searcher/query_builder.h"
#include "searcher/search_results.h"

namespace papersearch {

// The weighting scheme of every ranked search: BM25 with the parameters
// chosen in benchmarks/README.md ("Relevance").
Xapian::BM25Weight RankingWeight();

// The contributions to `hit`'s score (`score`) of the query `parsed`, run by
// `enquire` on `db`. Each part's weight is computed by running that part
// alone (a term, a synonym group as one OP_SYNONYM query, or the abbreviation
// boost, times kAbbrBoost) on this one document with the same weighting, so
// it is exactly what BM25 adds for it: Xapian's score is the sum of its
// matching leaves' weights. `rest` is the score minus the parts (non-zero
// only when a term occurs twice in the query). May throw Xapian::Error.
Explanation Explain(const Xapian::Database& db, const Xapian::Enquire& enquire,
                    const Xapian::MSetIterator& hit, const ParsedQuery& parsed);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_EXPLAIN_H_
