#include "common/document_data.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "schema.h"

namespace papersearch {
namespace {

constexpr char kTag = 'N';
constexpr char kNoteSourceTag = 'Z';
// No stored paper comes near this (records are at most 4 MiB, stored note
// text 16 KiB); anything larger is corruption.
constexpr uint64_t kMaxDecodedBytes = 64u << 20;

void AppendDeflated(std::string_view raw, std::string* out) {
  // Level 1 with fixed Huffman codes: the data is small and read far more
  // often than written. A dynamic block makes every reader build its code
  // tables first, a large part of inflating a paper; fixed codes make the
  // document data somewhat larger and the database barely so. The point of
  // compressing at all is mostly that Xapian does not compress it again.
  z_stream stream{};
  // zlib fails here only on allocation, and a stored paper is small.
  if (deflateInit2(&stream, 1, Z_DEFLATED, 15, 8, Z_FIXED) != Z_OK)
    std::abort();
  const size_t start = out->size();
  out->resize(start + deflateBound(&stream, raw.size()));
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  stream.avail_in = static_cast<uInt>(raw.size());
  for (;;) {
    stream.next_out =
        reinterpret_cast<Bytef*>(out->data() + start + stream.total_out);
    stream.avail_out =
        static_cast<uInt>(out->size() - start - stream.total_out);
    const int status = deflate(&stream, Z_FINISH);
    if (status == Z_STREAM_END) break;
    if (status != Z_OK && status != Z_BUF_ERROR) std::abort();
    // Fixed codes can spend 9 bits on a byte where the bound assumed that
    // a stored block would be used: room for more.
    out->resize(out->size() + raw.size() / 8 + 64);
  }
  out->resize(start + stream.total_out);
  deflateEnd(&stream);
}

// CRC-32 of the serialized record (zlib's crc32).
uint64_t RecordChecksum(std::string_view raw) {
  return crc32_z(crc32_z(0, nullptr, 0),
                 reinterpret_cast<const Bytef*>(raw.data()), raw.size());
}

}  // namespace

std::string EncodeDocumentData(StoredPaper paper) {
  // The note is taken out of the record (moved, not copied: this runs for
  // every paper indexed).
  const std::string note = std::move(*paper.mutable_note_text());
  paper.clear_note_text();
  std::string raw = paper.SerializeAsString();
  std::string out(1, kTag);
  schema::AppendVarint(out, raw.size());
  schema::AppendVarint(out, note.size());
  schema::AppendVarint(out, RecordChecksum(raw));
  raw += note;
  AppendDeflated(raw, &out);
  return out;
}

bool DecodeDocumentData(std::string_view data, StoredPaper* paper,
                        StoredNote* note) {
  if (data.empty() || data[0] != kTag) return false;
  size_t pos = 1;
  uint64_t record_size = 0, note_size = 0, checksum = 0;
  if (!schema::ReadVarint(data, &pos, &record_size) ||
      !schema::ReadVarint(data, &pos, &note_size) ||
      !schema::ReadVarint(data, &pos, &checksum) ||
      record_size > kMaxDecodedBytes || note_size > kMaxDecodedBytes) {
    return false;
  }
  StoredNote skipped;
  const bool keep = note != nullptr;
  if (!keep) note = &skipped;
  std::string raw;
  // The stream's own checksum is at its end, after the note, which is often
  // not read: the record has a checksum of its own.
  if (!note->Start(data.substr(pos), record_size, note_size, keep, &raw) ||
      RecordChecksum(raw) != checksum || !paper->ParseFromString(raw)) {
    note->Fail();
    return false;
  }
  // The note is kept apart, whatever the record says.
  paper->clear_note_text();
  return true;
}

bool DecodeDocumentData(std::string_view data, StoredPaper* paper) {
  StoredNote note;
  if (!DecodeDocumentData(data, paper, &note)) return false;
  const size_t size = note.size();
  std::string_view text = note.All();
  if (text.size() != size) return false;
  // An empty note is stored as none (proto2 would otherwise mark the field
  // present, and the paper would not read back as it was written).
  if (!text.empty()) paper->set_note_text(std::string(text));
  return true;
}

StoredNote::StoredNote() = default;
StoredNote::~StoredNote() = default;

void StoredNote::StreamDeleter::operator()(z_stream_s* stream) const {
  inflateEnd(stream);
  delete stream;
}

std::unique_ptr<StoredNote> StoredNote::FromText(std::string text) {
  auto note = std::make_unique<StoredNote>();
  note->size_ = text.size();
  note->text_ = std::move(text);
  return note;
}

void StoredNote::Fail() {
  stream_.reset();
  compressed_.clear();
  text_.clear();
  size_ = 0;
}

bool StoredNote::Start(std::string_view deflated, size_t record_size,
                       size_t note_size, bool keep, std::string* record) {
  Fail();
  auto* stream = new z_stream{};
  if (inflateInit(stream) != Z_OK) {
    delete stream;
    return false;
  }
  stream_.reset(stream);
  size_ = note_size;
  if (keep && note_size > 0) {
    // The note is read later, after `deflated`'s owner is gone.
    compressed_.assign(deflated);
    deflated = compressed_;
  }
  stream_->next_in =
      reinterpret_cast<Bytef*>(const_cast<char*>(deflated.data()));
  stream_->avail_in = static_cast<uInt>(deflated.size());
  record->resize(record_size);
  size_t done = 0;
  do {
    long n =
        InflateInto(record->data() + done, record_size - done, note_size == 0);
    if (n < 0) {
      Fail();
      return false;
    }
    done += static_cast<size_t>(n);
  } while (done < record_size);
  return true;
}

long StoredNote::InflateInto(char* out, size_t n, bool ends) {
  if (!stream_) return -1;
  stream_->next_out = reinterpret_cast<Bytef*>(out);
  stream_->avail_out = static_cast<uInt>(n);
  int status = n > 0 ? inflate(stream_.get(), Z_NO_FLUSH) : Z_OK;
  const size_t written = n - stream_->avail_out;
  if (status == Z_OK && ends && written == n) {
    // All out: the stream must end here, its checksum good, with not one
    // byte more.
    Bytef extra;
    stream_->next_out = &extra;
    stream_->avail_out = 1;
    status = inflate(stream_.get(), Z_FINISH);
    if (stream_->avail_out == 0) status = Z_DATA_ERROR;
  }
  if (status == Z_STREAM_END) {
    // It ended: that must be exactly where the data and the text do.
    if (!ends || written != n || stream_->avail_in != 0) return -1;
    stream_.reset();
    return static_cast<long>(written);
  }
  if (status != Z_OK || ends || (written == 0 && n > 0)) return -1;
  return static_cast<long>(written);
}

bool StoredNote::Inflate(size_t bytes) {
  if (complete() || bytes == 0) return false;
  const size_t before = text_.size();
  const size_t want = std::min(bytes, size_ - before);
  text_.resize(before + want);
  long n = InflateInto(text_.data() + before, want, before + want == size_);
  if (n <= 0) {
    Fail();
    return false;
  }
  text_.resize(before + static_cast<size_t>(n));
  return true;
}

std::string_view StoredNote::All() {
  while (Inflate(size_ - text_.size())) {
  }
  return text_;
}

std::string EncodeNoteSource(std::string_view markdown) {
  std::string out(1, kNoteSourceTag);
  schema::AppendVarint(out, markdown.size());
  uLongf size = compressBound(markdown.size());
  const size_t start = out.size();
  out.resize(start + size);
  if (compress2(reinterpret_cast<Bytef*>(out.data() + start), &size,
                reinterpret_cast<const Bytef*>(markdown.data()),
                markdown.size(), Z_DEFAULT_COMPRESSION) != Z_OK) {
    std::abort();  // only on allocation: the bound is enough room
  }
  out.resize(start + size);
  return out;
}

bool DecodeNoteSource(std::string_view value, std::string* markdown) {
  if (value.empty() || value[0] != kNoteSourceTag) return false;
  size_t pos = 1;
  uint64_t size = 0;
  if (!schema::ReadVarint(value, &pos, &size) || size > kMaxDecodedBytes) {
    return false;
  }
  markdown->resize(size);
  uLongf written = size;
  const std::string_view deflated = value.substr(pos);
  if (uncompress(reinterpret_cast<Bytef*>(markdown->data()), &written,
                 reinterpret_cast<const Bytef*>(deflated.data()),
                 deflated.size()) != Z_OK ||
      written != size) {
    markdown->clear();
    return false;
  }
  return true;
}

std::vector<std::string> KeywordLabels(const StoredPaper& paper) {
  std::vector<std::string> labels;
  std::vector<std::string> folded;
  auto add = [&](const std::string& label) {
    if (label.empty()) return;
    std::string key = schema::FoldForFilter(label);
    if (std::find(folded.begin(), folded.end(), key) != folded.end()) return;
    folded.push_back(std::move(key));
    labels.push_back(label);
  };
  for (int word : paper.info().keyword().words()) {
    add(efficient_paper::Keyword::Word_Name(
        static_cast<efficient_paper::Keyword::Word>(word)));
  }
  for (const std::string& extra : paper.extra_keywords()) add(extra);
  return labels;
}

}  // namespace papersearch
