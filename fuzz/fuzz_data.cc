// Fuzzes reading stored document data (common/document_data.h), as
// papersearch does for every hit: corrupt data must be refused or read as
// no note, never crash, hang or disagree between the whole and the lazy
// reader.
//
// The first input byte picks what the rest is:
//   even: document data as stored, read as it is;
//   odd:  a paper (title, then note text after the first 0 byte) that is
//         encoded, must read back, and is then read again with one byte
//         changed (at a position taken from the second input byte), so
//         that corruption reaches every part of a valid stream.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/document_data.h"
#include "searcher/snippets.h"

namespace {

using papersearch::StoredNote;
using papersearch::StoredPaper;

// Reads `data` both ways and checks that they agree.
void ReadBothWays(std::string_view data) {
  StoredPaper whole;
  const bool whole_ok = papersearch::DecodeDocumentData(data, &whole);
  StoredPaper record;
  StoredNote note;
  const bool lazy_ok = papersearch::DecodeDocumentData(data, &record, &note);
  if (whole_ok && !lazy_ok) std::abort();
  if (!lazy_ok) return;
  if (!record.note_text().empty()) std::abort();
  // Read in odd steps, then the rest.
  const size_t size = note.size();
  for (size_t step = 1; note.Inflate(step); step = step * 3 + 1) {
    if (note.text().size() > size) std::abort();
  }
  const std::string_view all = note.All();
  if (!all.empty() && all.size() != size) std::abort();
  if (whole_ok) {
    if (all != whole.note_text()) std::abort();
    whole.clear_note_text();
    if (whole.SerializeAsString() != record.SerializeAsString()) std::abort();
  }
  // What a search does with a note: a window around query words.
  StoredPaper again;
  StoredNote fresh;
  if (!papersearch::DecodeDocumentData(data, &again, &fresh)) std::abort();
  papersearch::SnippetWindow(fresh, {"cach", "kv", "键值"});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    ReadBothWays(rest);
    return 0;
  }
  const size_t flip_at = rest.empty() ? 0 : static_cast<unsigned char>(rest[0]);
  if (!rest.empty()) rest.remove_prefix(1);
  StoredPaper paper;
  paper.set_id("2024/Fuzz");
  const size_t zero = rest.find('\0');
  paper.mutable_info()->mutable_paper()->set_title(
      std::string(rest.substr(0, zero)));
  // An empty note is stored as none, so only a non-empty one is set.
  if (zero != std::string_view::npos && zero + 1 < rest.size()) {
    paper.set_note_text(std::string(rest.substr(zero + 1)));
  }
  std::string encoded = papersearch::EncodeDocumentData(paper);
  StoredPaper decoded;
  if (!papersearch::DecodeDocumentData(encoded, &decoded) ||
      decoded.SerializeAsString() != paper.SerializeAsString()) {
    std::abort();
  }
  ReadBothWays(encoded);
  encoded[flip_at % encoded.size()] ^= static_cast<char>(1 + data[0] / 2);
  ReadBothWays(encoded);
  return 0;
}
