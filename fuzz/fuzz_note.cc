// Fuzzes note text extraction (ExtractNoteText over cmark-gfm) and indexing
// the extracted text, checking the contract of NoteText on every input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/utf8.h"
#include "indexer/document_builder.h"
#include "indexer/note_text.h"

namespace {

// Every field is valid UTF-8, made of lines that each end in '\n', none of
// them empty or starting or ending with a space.
void CheckField(const std::string& field) {
  if (papersearch::FindInvalidUtf8(field) != std::string_view::npos) {
    std::abort();
  }
  if (field.empty()) return;
  if (field.front() == '\n' || field.front() == ' ' || field.back() != '\n' ||
      field.find("\n\n") != std::string::npos ||
      field.find(" \n") != std::string::npos ||
      field.find("\n ") != std::string::npos) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static papersearch::DocumentBuilder* builder =
      new papersearch::DocumentBuilder;
  std::string_view markdown(reinterpret_cast<const char*>(data), size);
  papersearch::NoteText note = papersearch::ExtractNoteText(markdown);
  CheckField(note.headings);
  CheckField(note.body);
  CheckField(note.plain);

  papersearch::StoredPaper paper;
  paper.set_id("2024/Fuzz");
  paper.mutable_info()->mutable_paper()->set_title("Fuzzing notes");
  paper.set_record_path("meta/2024/Fuzz.prototxt");
  paper.set_note_path("notes/2024/Fuzz/note.md");
  builder->Build(paper, note);
  return 0;
}
