#include "indexer/prepare_paper.h"

#include <utility>

#include "common/file_reader.h"
#include "common/status.h"
#include "common/utf8.h"
#include "indexer/note_text.h"
#include "indexer/record_reader.h"

namespace papersearch {
namespace fs = std::filesystem;

namespace {

// Reads `path` (a regular file only, at most `limit` bytes: a larger one is
// truncated) and fingerprints what was read. A failure's message follows the
// file's name.
Status ReadFingerprinted(const fs::path& path, size_t limit, std::string* text,
                         FileFingerprint* print) {
  FileRead file;
  if (Status read = ReadRegularFile(path.string(), {limit, true}, &file);
      !read.ok()) {
    return read;
  }
  *text = std::move(file.text);
  *print = StatFingerprint(file.info);
  print->hash = ContentHash(*text);
  return Status();
}

// A paper read from its files, ready to build.
struct LoadedPaper {
  bool ok = false;  // the record parsed; false: keep any earlier version
  StoredPaper paper;
  NoteText note;
  SourceState state;
  std::vector<Diagnostic> warnings;
  std::vector<Diagnostic> failed;
};

LoadedPaper LoadPaper(const fs::path& root, const RecordFile& file) {
  LoadedPaper loaded;
  loaded.state.id = file.id;
  std::string text;
  if (Status read = ReadFingerprinted(file.Path(root), kMaxRecordBytes + 1,
                                      &text, &loaded.state.record);
      !read.ok()) {
    loaded.failed.push_back({file.relative, 0, 0, read.message()});
    return loaded;
  }
  ParsedRecord record = ParseRecord(text, file.relative);
  loaded.warnings = std::move(record.warnings);
  if (!record.ok) {
    loaded.failed.push_back(std::move(record.error));
    return loaded;
  }
  StoredPaper& paper = loaded.paper;
  paper.set_id(file.id);
  *paper.mutable_info() = std::move(record.info);
  for (std::string& label : record.extra_keywords) {
    paper.add_extra_keywords(std::move(label));
  }
  paper.set_record_path(file.relative);

  loaded.state.note_url = paper.info().note().url();
  std::string note_rel = FindNote(root, file.id, loaded.state.note_url);
  loaded.state.note_path = note_rel;
  if (!note_rel.empty()) {
    std::string markdown;
    if (Status read = ReadFingerprinted(root / note_rel, kMaxNoteBytes + 1,
                                        &markdown, &loaded.state.note);
        !read.ok()) {
      // Indexing the paper without its note would lose what the index knew
      // of it; report, and let the caller keep any earlier version.
      loaded.failed.push_back({note_rel, 0, 0, read.message()});
      return loaded;
    }
    if (markdown.size() > kMaxNoteBytes) {
      markdown.resize(TruncateUtf8(markdown, kMaxNoteBytes).size());
      loaded.warnings.push_back({note_rel, 0, 0,
                                 "note is larger than " +
                                     std::to_string(kMaxNoteBytes >> 20) +
                                     " MiB; only its beginning is indexed"});
    }
    if (size_t bad = FindInvalidUtf8(markdown); bad != std::string::npos) {
      TextPosition at = PositionOf(markdown, bad);
      loaded.warnings.push_back(
          {note_rel, at.line, at.column,
           "invalid UTF-8 (indexed as U+FFFD); save the note as UTF-8"});
    }
    loaded.note = ExtractNoteText(markdown);
    loaded.note.source = std::move(markdown);
    paper.set_note_path(note_rel);
  }
  loaded.ok = true;
  return loaded;
}

// True when the paper's content is what was indexed, although a stat
// differed (a fresh checkout, a touch).
bool SameContent(const SourceState& now, const SourceState& old) {
  return now.record.hash == old.record.hash && now.note_url == old.note_url &&
         now.note_path == old.note_path &&
         (now.note_path.empty() || now.note.hash == old.note.hash);
}

}  // namespace

Prepared PreparePaper(const fs::path& root, const RecordFile& file,
                      const SourceState* old, DocumentBuilder& builder) {
  Prepared prepared;
  LoadedPaper loaded = LoadPaper(root, file);
  prepared.warnings = std::move(loaded.warnings);
  prepared.failed = std::move(loaded.failed);
  prepared.note_path = loaded.state.note_path;
  if (!loaded.ok) {
    prepared.outcome = Prepared::kFailed;
  } else if (old && SameContent(loaded.state, *old)) {
    prepared.outcome = Prepared::kTouched;
    prepared.state = EncodeSourceState(loaded.state);
  } else {
    prepared.outcome = Prepared::kChanged;
    prepared.document =
        builder.Build(std::move(loaded.paper), loaded.note, &prepared.facets);
    prepared.document.add_value(schema::slot::kSourceState,
                                EncodeSourceState(loaded.state));
  }
  return prepared;
}

}  // namespace papersearch
