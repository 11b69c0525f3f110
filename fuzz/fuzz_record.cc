// Fuzzes reading a paper record into a document: ParseRecord, then
// DocumentBuilder::Build as paperindex does for every record that parses.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/document_data.h"
#include "common/utf8.h"
#include "indexer/document_builder.h"
#include "indexer/record_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static papersearch::DocumentBuilder* builder =
      new papersearch::DocumentBuilder;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  papersearch::ParsedRecord record =
      papersearch::ParseRecord(text, "meta/2024/Fuzz.prototxt");
  if (!record.ok) {
    // A failure always says what is wrong, at a place inside the file.
    if (record.error.message.empty() || record.error.line < 0 ||
        record.error.column < 0) {
      std::abort();
    }
    return 0;
  }
  papersearch::StoredPaper paper;
  paper.set_id("2024/Fuzz");
  *paper.mutable_info() = record.info;
  for (const std::string& label : record.extra_keywords) {
    paper.add_extra_keywords(label);
  }
  paper.set_record_path("meta/2024/Fuzz.prototxt");
  Xapian::Document doc = builder->Build(paper, papersearch::NoteText{});
  // The stored data must read back: the searcher prints from it.
  papersearch::StoredPaper stored;
  if (!DecodeDocumentData(doc.get_data(), &stored)) std::abort();
  return 0;
}
