// The stored document data: what the indexer encodes, the searcher reads
// back, whole or note by note, and corrupt data is refused, never trusted.
#include "common/document_data.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

namespace papersearch {
namespace {

StoredPaper Example(std::string note_text) {
  StoredPaper paper;
  paper.set_id("2025/ExKV");
  paper.mutable_info()->mutable_paper()->set_title("Example KV Cache Eviction");
  paper.mutable_info()->mutable_pub()->set_year(2025);
  paper.set_note_path("notes/2025/ExKV/note.md");
  // An empty note is stored as none.
  if (!note_text.empty()) paper.set_note_text(std::move(note_text));
  return paper;
}

// Text that deflate cannot shrink to nothing: distinct words.
std::string Words(size_t bytes) {
  std::string text;
  for (int i = 0; text.size() < bytes; ++i)
    text += "w" + std::to_string(i) + " 缓存 ";
  return text;
}

TEST(DocumentData, RoundTripsWholePapers) {
  for (const std::string& text : {std::string(), std::string("short"),
                                  Words(16000), std::string(100000, 'a')}) {
    const StoredPaper paper = Example(text);
    StoredPaper decoded;
    ASSERT_TRUE(DecodeDocumentData(EncodeDocumentData(paper), &decoded));
    EXPECT_EQ(decoded.SerializeAsString(), paper.SerializeAsString());
  }
  // A paper without a note reads back without one (found by fuzz_data).
  StoredPaper bare = Example("");
  bare.clear_note_text();
  StoredPaper decoded;
  ASSERT_TRUE(DecodeDocumentData(EncodeDocumentData(bare), &decoded));
  EXPECT_FALSE(decoded.has_note_text());
  EXPECT_EQ(decoded.SerializeAsString(), bare.SerializeAsString());
}

TEST(DocumentData, RoundTripsIncompressibleBytes) {
  // Bytes that fixed Huffman codes would spend 9 bits on, as in long runs
  // of CJK text that never repeats, and random bytes.
  std::string text;
  uint32_t x = 12345;
  while (text.size() < 200000) {
    x = x * 1103515245u + 12345u;
    text.push_back(static_cast<char>(0x90 + (x >> 16) % 0x70));
  }
  const StoredPaper paper = Example(text);
  StoredPaper decoded;
  ASSERT_TRUE(DecodeDocumentData(EncodeDocumentData(paper), &decoded));
  EXPECT_EQ(decoded.note_text(), text);
}

TEST(DocumentData, NoteIsInflatedPieceByPiece) {
  const std::string text = Words(16000);
  const std::string data = EncodeDocumentData(Example(text));
  StoredPaper decoded;
  StoredNote note;
  ASSERT_TRUE(DecodeDocumentData(data, &decoded, &note));
  EXPECT_EQ(decoded.id(), "2025/ExKV");
  EXPECT_TRUE(decoded.note_text().empty());
  EXPECT_EQ(note.size(), text.size());
  EXPECT_TRUE(note.text().empty());
  ASSERT_TRUE(note.Inflate(1000));
  EXPECT_EQ(note.text(), std::string_view(text).substr(0, 1000));
  ASSERT_TRUE(note.Inflate(1));
  EXPECT_EQ(note.text().size(), 1001u);
  EXPECT_FALSE(note.complete());
  EXPECT_EQ(note.All(), text);
  EXPECT_TRUE(note.complete());
  EXPECT_FALSE(note.Inflate(1)) << "nothing after the end";
}

TEST(DocumentData, NoteCanBeSkipped) {
  StoredPaper decoded;
  ASSERT_TRUE(DecodeDocumentData(EncodeDocumentData(Example(Words(5000))),
                                 &decoded, nullptr));
  EXPECT_EQ(decoded.note_path(), "notes/2025/ExKV/note.md");
  EXPECT_TRUE(decoded.note_text().empty());
}

TEST(DocumentData, RefusesWhatItDidNotWrite) {
  StoredPaper decoded;
  EXPECT_FALSE(DecodeDocumentData("", &decoded));
  EXPECT_FALSE(DecodeDocumentData("plain text", &decoded));
  // The schema 3-5 format: 'Z', a size and one deflated StoredPaper.
  EXPECT_FALSE(DecodeDocumentData("Z\x05xxxxx", &decoded));
  const std::string data = EncodeDocumentData(Example(Words(3000)));
  // Every truncation is refused, whole or lazily read.
  for (size_t n = 0; n < data.size(); ++n) {
    StoredPaper paper;
    EXPECT_FALSE(DecodeDocumentData(data.substr(0, n), &paper)) << n;
    StoredNote note;
    if (DecodeDocumentData(data.substr(0, n), &paper, &note)) {
      EXPECT_TRUE(note.All().empty()) << n;
      EXPECT_EQ(note.size(), 0u) << n;
    }
  }
  // A byte too many.
  EXPECT_FALSE(DecodeDocumentData(data + "x", &decoded));
}

TEST(DocumentData, CorruptRecordIsRefusedEvenWhenTheNoteIsNotRead) {
  // Found by fuzz_data: the stream's checksum comes after the note, so a
  // changed byte in the record went unnoticed when the note was not read.
  const std::string data = EncodeDocumentData(Example(Words(16000)));
  size_t refused = 0, tried = 0;
  for (size_t at = 1; at < 40 && at < data.size(); ++at) {
    std::string bad = data;
    bad[at] ^= 0x20;
    StoredPaper paper;
    StoredNote note;
    ++tried;
    if (!DecodeDocumentData(bad, &paper, &note)) {
      ++refused;
      continue;
    }
    // Read: then the record must be exactly the one written.
    StoredPaper expected = Example("");
    expected.clear_note_text();
    EXPECT_EQ(paper.SerializeAsString(), expected.SerializeAsString()) << at;
  }
  EXPECT_GT(refused, tried / 2);
}

TEST(DocumentData, CorruptNoteBecomesNoNote) {
  std::string data = EncodeDocumentData(Example(Words(16000)));
  // Flip bits near the end of the deflated note (inside its last block or
  // its checksum): found only when reading gets there.
  data[data.size() - 3] ^= 0x5A;
  StoredPaper whole;
  EXPECT_FALSE(DecodeDocumentData(data, &whole));
  StoredPaper paper;
  StoredNote note;
  ASSERT_TRUE(DecodeDocumentData(data, &paper, &note));
  EXPECT_EQ(paper.id(), "2025/ExKV");
  EXPECT_TRUE(note.Inflate(100)) << "the start is intact";
  EXPECT_TRUE(note.All().empty());
  EXPECT_EQ(note.size(), 0u);
}

void AppendVarint(size_t n, std::string* out) {
  for (;; n >>= 7) {
    out->push_back(static_cast<char>((n & 0x7F) | (n >= 0x80 ? 0x80 : 0)));
    if (n < 0x80) break;
  }
}

// Data in the stored layout, written here independently of the encoder,
// with record and note sizes that may lie.
std::string HandMade(const std::string& record, size_t claimed_record,
                     const std::string& text, size_t claimed_text) {
  std::string data = "N";
  AppendVarint(claimed_record, &data);
  AppendVarint(claimed_text, &data);
  AppendVarint(crc32(0, reinterpret_cast<const Bytef*>(record.data()),
                     static_cast<uInt>(record.size())),
               &data);
  const std::string raw = record + text;
  uLongf bound = compressBound(raw.size());
  std::string deflated(bound, '\0');
  EXPECT_EQ(
      compress2(reinterpret_cast<Bytef*>(deflated.data()), &bound,
                reinterpret_cast<const Bytef*>(raw.data()), raw.size(), 9),
      Z_OK);
  deflated.resize(bound);
  return data + deflated;
}

TEST(DocumentData, SizesMustAgreeWithTheStream) {
  const std::string text = Words(4000);
  const std::string record = Example("").SerializeAsString();
  StoredPaper paper;
  // Honest sizes read, even from another compression level.
  ASSERT_TRUE(DecodeDocumentData(
      HandMade(record, record.size(), text, text.size()), &paper));
  EXPECT_EQ(paper.note_text(), text);
  for (size_t claimed : {text.size() - 1, text.size() + 1, size_t{0}}) {
    const std::string wrong = HandMade(record, record.size(), text, claimed);
    EXPECT_FALSE(DecodeDocumentData(wrong, &paper)) << claimed;
    StoredNote lazy;
    if (DecodeDocumentData(wrong, &paper, &lazy)) {
      EXPECT_TRUE(lazy.All().empty()) << claimed;
    }
  }
  // A record size that cuts the record short, or runs into the note.
  for (size_t claimed : {record.size() - 1, record.size() + 1}) {
    EXPECT_FALSE(DecodeDocumentData(
        HandMade(record, claimed, text, text.size() + record.size() - claimed),
        &paper))
        << claimed;
  }
  // A record and no note, honest and not.
  EXPECT_TRUE(
      DecodeDocumentData(HandMade(record, record.size(), "", 0), &paper));
  EXPECT_FALSE(
      DecodeDocumentData(HandMade(record, record.size() - 1, "", 0), &paper));
}

// Labels as the index's facet holds them: the record's words by name, then
// extra keywords, each once ignoring case (the first spelling kept).
TEST(KeywordLabels, WordsThenExtrasEachOnce) {
  StoredPaper paper;
  auto* keyword = paper.mutable_info()->mutable_keyword();
  keyword->add_words(efficient_paper::Keyword::kv_cache_sparse);
  keyword->add_words(efficient_paper::Keyword::quantization);
  keyword->add_words(efficient_paper::Keyword::kv_cache_sparse);
  paper.add_extra_keywords("Mixture_of_Depths");
  paper.add_extra_keywords("KV_Cache_Sparse");
  paper.add_extra_keywords("mixture_of_depths");
  paper.add_extra_keywords("");
  EXPECT_EQ(KeywordLabels(paper),
            (std::vector<std::string>{"kv_cache_sparse", "quantization",
                                      "Mixture_of_Depths"}));
  EXPECT_TRUE(KeywordLabels(StoredPaper()).empty());
}

}  // namespace
}  // namespace papersearch
