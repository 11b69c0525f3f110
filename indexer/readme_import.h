// Bootstrapping a collection from a paper list rendered in the seed's
// institution-grouped Markdown (common/seed_markdown.h is the inverse).
#ifndef PAPERSEARCH_INDEXER_README_IMPORT_H_
#define PAPERSEARCH_INDEXER_README_IMPORT_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostic.h"
#include "common/status.h"
#include "stored_paper.pb.h"

namespace papersearch {

struct ImportedCollection {
  // One per distinct Meta link, in the order first seen; `id` ("YEAR/NAME",
  // from the Meta link) and `info` set, nothing else.
  std::vector<StoredPaper> papers;
  // Rows or lines that could not be read, and rows that disagree with an
  // earlier row of the same paper; each names the file and line.
  std::vector<Diagnostic> warnings;
};

// Reads every table row of `markdown`. A paper listed in several groups gets
// every group name as an institution, in order of appearance, each once (when
// the outer heading is "### institution"; other groupings give one warning
// and no institutions). Its fields come from its first well-formed row; a row
// that does not parse is a warning but still adds its group to the paper named
// by its Meta link. A paper with no well-formed row is left out with a
// warning. `display_path` names the file in warnings. Never throws.
ImportedCollection ImportReadme(std::string_view markdown,
                                const std::string& display_path);

// Reads the README at `readme_path` (a regular file, at most
// 64 MiB) and imports it. Fails when it cannot be read.
Result<ImportedCollection> ImportReadmeFile(const std::string& readme_path);

// Writes OUT_DIR/meta/YEAR/NAME.prototxt for each paper of `collection`
// (FormatRecord), replacing files of the same name and leaving others alone.
// Fails at the first directory or file it cannot write.
Status WriteRecords(const ImportedCollection& collection,
                    const std::string& out_dir);

}  // namespace papersearch

#endif  // PAPERSEARCH_INDEXER_README_IMPORT_H_
