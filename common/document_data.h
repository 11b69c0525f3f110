// The data a paper's Xapian document carries: its StoredPaper, compressed
// by us, with the note text apart so that a search inflates only as much of
// a note as its snippet needs.
//
// Why not let Xapian compress it: Xapian 1.4.22 writes some highly
// compressible tags over 8 KB (a note that repeats one word) that it then
// cannot read back ("DatabaseCorruptError: Too few chunks of compressed
// data"), so one odd note made every search reaching its paper fail. Data
// that is already compressed does not shrink again, and Xapian stores it
// as it is.
#ifndef PAPERSEARCH_COMMON_DOCUMENT_DATA_H_
#define PAPERSEARCH_COMMON_DOCUMENT_DATA_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stored_paper.pb.h"

struct z_stream_s;

namespace papersearch {

// A stored note's text, inflated only as far as it is read. A snippet needs
// the text around the first match, most often in the first kilobyte or two
// of a note of up to 16 KB; inflating whole notes was a tenth of a search.
class StoredNote {
 public:
  StoredNote();
  ~StoredNote();
  StoredNote(const StoredNote&) = delete;
  StoredNote& operator=(const StoredNote&) = delete;

  // A note that is already text (tests, and notes read elsewhere).
  static std::unique_ptr<StoredNote> FromText(std::string text);

  // Bytes in the whole text, known before any is inflated.
  size_t size() const { return size_; }
  // The text inflated so far: the first text().size() bytes of the note.
  std::string_view text() const { return text_; }
  bool complete() const { return text_.size() == size_; }

  // Inflates up to `bytes` more of the text. Returns false when nothing more
  // can be read: at the end, or when the data turns out to be corrupt, in
  // which case the note becomes empty (size() 0), as if there were none.
  bool Inflate(size_t bytes);
  // Inflates the rest; the whole text, or "" for corrupt data.
  std::string_view All();

 private:
  friend bool DecodeDocumentData(std::string_view, StoredPaper*, StoredNote*);
  // Starts reading `deflated`: its first `record_size` bytes inflated go to
  // *record, the `note_size` after them are the note. `keep`: the note will
  // be read, after `deflated` is gone, so keep a copy. False for corrupt
  // data.
  bool Start(std::string_view deflated, size_t record_size, size_t note_size,
             bool keep, std::string* record);
  // Inflates into out[0, n); the number of bytes written, or -1 for corrupt
  // data. `ends`: these n bytes are the last, so the stream must end, with
  // its checksum, exactly after them (and must not end anywhere else).
  long InflateInto(char* out, size_t n, bool ends);
  void Fail();

  struct StreamDeleter {
    void operator()(z_stream_s* stream) const;
  };
  std::string compressed_;
  std::string text_;
  size_t size_ = 0;
  std::unique_ptr<z_stream_s, StreamDeleter> stream_;
};

// 'N'; the sizes of the serialized StoredPaper without its note_text and of
// the note text, and the CRC-32 of the former (base-128 varints); then the
// two deflated as one stream, record first. One stream: setting up an
// inflate costs as much as inflating a few kilobytes. The record's own
// checksum: the stream's is at its end, which a snippet seldom reads.
// Takes `paper` by value: callers done with it move it in.
std::string EncodeDocumentData(StoredPaper paper);

// Reads what EncodeDocumentData wrote into `paper`, note_text included.
// Returns false for data it did not write (another schema version,
// corruption); never throws.
bool DecodeDocumentData(std::string_view data, StoredPaper* paper);

// The same, but leaves paper->note_text empty: the note is kept in `note`,
// to be inflated as far as it is read, or skipped when `note` is null. The
// record is checked (its CRC-32); the note only when it is read to the end
// (the stream's Adler-32), so a corrupt note can show garbage in a snippet
// before it is found out, never in a record.
bool DecodeDocumentData(std::string_view data, StoredPaper* paper,
                        StoredNote* note);

// A note's Markdown as stored in slot::kNoteSource: 'Z', its size (a
// base-128 varint), then zlib's compress2 of it.
std::string EncodeNoteSource(std::string_view markdown);
// The Markdown back; false for data EncodeNoteSource did not write. Never
// throws.
bool DecodeNoteSource(std::string_view value, std::string* markdown);

// A paper's keyword labels: its record's keyword words (by name), then its
// extra keywords, each once (ignoring case, the first spelling kept). What
// the index's keyword filter terms and facet are made of, and what a result
// shows.
std::vector<std::string> KeywordLabels(const StoredPaper& paper);

}  // namespace papersearch

#endif  // PAPERSEARCH_COMMON_DOCUMENT_DATA_H_
