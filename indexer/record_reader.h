// Reading one paper record (`meta/YEAR/ID.prototxt`) from protobuf text.
#ifndef PAPERSEARCH_INDEXER_RECORD_READER_H_
#define PAPERSEARCH_INDEXER_RECORD_READER_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostic.h"
#include "paper.pb.h"

namespace papersearch {

// Records larger than this are refused unread: no real record is near it,
// and parsing is linear but the document would be useless.
inline constexpr size_t kMaxRecordBytes = 4 * 1024 * 1024;
// The most values of one repeated field (authors, institutions, baseline
// methods, keyword labels) that are indexed; the rest are dropped with a
// warning. Large collaborations sign papers with about 5,000 authors.
inline constexpr size_t kMaxFieldValues = 20000;

struct ParsedRecord {
  bool ok = false;
  efficient_paper::PaperInfo info;  // meaningful when ok
  // Keyword labels the format does not know (people add labels), in the
  // order written. The paper keeps them; each also gives a warning.
  std::vector<std::string> extra_keywords;
  std::vector<Diagnostic> warnings;
  Diagnostic error;  // meaningful when !ok: file:line:col and what is wrong
};

// Parses `text` as an efficient_paper.PaperInfo. `display_path` names the
// file in diagnostics. Rejects, with a located error: invalid UTF-8, NUL
// bytes, unknown fields, syntax errors, text over kMaxRecordBytes, and a
// record without a title. Unknown keyword labels are not errors (see
// ParsedRecord::extra_keywords). When `display_path` is
// "meta/YEAR/ID.prototxt" and pub.year is not YEAR, a warning located at the
// year field says so (the id keeps YEAR). Never throws.
ParsedRecord ParseRecord(std::string_view text,
                         const std::string& display_path);

// Reads and parses the file at `path` (a read failure is an error with
// line 0).
ParsedRecord ReadRecordFile(const std::string& path,
                            const std::string& display_path);

}  // namespace papersearch

#endif  // PAPERSEARCH_INDEXER_RECORD_READER_H_
