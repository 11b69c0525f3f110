// The indexer's build stage: one paper's files read, parsed and made into a
// document, on a worker thread.
#ifndef PAPERSEARCH_INDEXER_PREPARE_PAPER_H_
#define PAPERSEARCH_INDEXER_PREPARE_PAPER_H_

#include <xapian.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/diagnostic.h"
#include "indexer/collection.h"
#include "indexer/document_builder.h"
#include "indexer/source_state.h"
#include "schema.h"

namespace papersearch {

// Notes larger than this are indexed up to this many bytes, with a warning.
inline constexpr size_t kMaxNoteBytes = 8 * 1024 * 1024;

// What a worker made of one record, for the writer to apply.
struct Prepared {
  enum Outcome {
    kTouched,  // the content is what was indexed: only `state` is new
    kChanged,  // a new document
    kFailed,   // unreadable: any indexed version stays
  } outcome = kFailed;
  // kChanged: the whole document, its source state included, but for the
  // facet numbers, which only the writer gives (IndexWriter::Put); the
  // paper's facet values are in `facets`.
  Xapian::Document document;
  schema::FacetValues facets;
  std::string state;      // kTouched: the new encoded source state
  std::string note_path;  // the note found ("" none), even if unreadable
  std::vector<Diagnostic> warnings;
  std::vector<Diagnostic> failed;
};

// Reads and builds record `file`, whose files changed since the index saw
// them (`old`; null for a new paper): a new document, just new stats when
// the content is the same, or the failure. Thread-safe with one `builder`
// per thread.
Prepared PreparePaper(const std::filesystem::path& root, const RecordFile& file,
                      const SourceState* old, DocumentBuilder& builder);

}  // namespace papersearch

#endif  // PAPERSEARCH_INDEXER_PREPARE_PAPER_H_
