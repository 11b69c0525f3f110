// The field processors of the query language's markers (query_text.h):
// Xapian's parser hands each `<field>:N` marker's N to one of these, which
// turns value N into its query.
#ifndef PAPERSEARCH_SEARCHER_QUERY_FIELDS_H_
#define PAPERSEARCH_SEARCHER_QUERY_FIELDS_H_

#include <xapian.h>

#include <string>
#include <vector>

#include "common/aliases.h"
#include "common/synonyms.h"
#include "searcher/query_builder.h"
#include "searcher/query_text.h"

namespace papersearch {

// For kKeywordField: value N of MarkKeywordValues (`marked`) as the query of
// a `keyword:` label or words, or of an `inst:` or `venue:` name (how each
// name was read goes to `parsed`, when not null); anything else (a number
// the user typed after the field name) matches nothing. Never empty: a value
// with no words matches nothing rather than vanishing from the query (which
// would list every paper). `marked` must outlive the processor. Released:
// the parser owns it.
Xapian::FieldProcessor* NewValueFieldProcessor(const Xapian::Database& db,
                                               const Aliases& aliases,
                                               const MarkedKeywords& marked,
                                               ParsedQuery* parsed);

// For kSynonymField: span N of MarkSynonymSpans (`spans`) as one OP_SYNONYM
// query, recorded in `parsed` (not null). `spans` must outlive the
// processor. Released: the parser owns it.
Xapian::FieldProcessor* NewSynonymFieldProcessor(
    const Synonyms& synonyms, bool group_terms,
    const std::vector<std::string>& spans, ParsedQuery* parsed);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_QUERY_FIELDS_H_
