// Fuzzes the README converter: ImportReadme, then writing each paper as a
// record (FormatRecord) and reading it back (ParseRecord), as
// `paperindex import-readme` and a later `paperindex` do, and rendering the
// papers back into the grouped Markdown.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/record_format.h"
#include "common/seed_markdown.h"
#include "indexer/readme_import.h"
#include "indexer/record_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view markdown(reinterpret_cast<const char*>(data), size);
  papersearch::ImportedCollection imported =
      papersearch::ImportReadme(markdown, "README.md");
  for (const papersearch::StoredPaper& paper : imported.papers) {
    // Every record the converter writes must be one paperindex accepts, with
    // the same content.
    std::string text = papersearch::FormatRecord(paper.info());
    papersearch::ParsedRecord back =
        papersearch::ParseRecord(text, "meta/" + paper.id() + ".prototxt");
    if (!back.ok) std::abort();
    if (back.info.SerializeAsString() != paper.info().SerializeAsString()) {
      std::abort();
    }
    papersearch::RenderRow(paper);
  }
  papersearch::RenderGrouped(imported.papers,
                             papersearch::GroupBy::kInstitution);
  return 0;
}
