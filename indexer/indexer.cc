#include "indexer/indexer.h"

#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <ostream>

#include "common/schema_check.h"
#include "common/utf8.h"
#include "indexer/collection.h"
#include "indexer/document_builder.h"
#include "indexer/index_store.h"
#include "indexer/note_text.h"
#include "indexer/record_reader.h"
#include "schema.h"

namespace papersearch {
namespace fs = std::filesystem;

namespace {

// Documents per commit: bounds the writer's memory (Xapian buffers changes
// until a commit) without paying a commit per paper.
constexpr int kCommitEvery = 5000;

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Reads a note, bounded by kMaxNoteBytes. Returns false with `problem` set
// when the file cannot be read at all.
bool ReadNote(const fs::path& path, const std::string& display,
              std::string* text, std::vector<Diagnostic>* warnings,
              Diagnostic* problem) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *problem = {display, 0, 0, "cannot open note for reading"};
    return false;
  }
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  in.seekg(0);
  if (size < 0) {
    *problem = {display, 0, 0, "cannot read note"};
    return false;
  }
  text->resize(std::min(static_cast<size_t>(size), kMaxNoteBytes + 1));
  in.read(text->data(), static_cast<std::streamsize>(text->size()));
  text->resize(static_cast<size_t>(in.gcount()));
  if (in.bad()) {
    *problem = {display, 0, 0, "read failed"};
    return false;
  }
  if (text->size() > kMaxNoteBytes) {
    text->resize(TruncateUtf8(*text, kMaxNoteBytes).size());
    warnings->push_back({display, 0, 0,
                         "note is larger than " +
                             std::to_string(kMaxNoteBytes >> 20) +
                             " MiB; only its beginning is indexed"});
  }
  if (size_t bad = FindInvalidUtf8(*text); bad != std::string::npos) {
    TextPosition at = PositionOf(*text, bad);
    warnings->push_back({display, at.line, at.column,
                         "invalid UTF-8 (replaced with U+FFFD); save the note "
                         "as UTF-8"});
    *text = SanitizeUtf8(*text);
  }
  return true;
}

// A progress line on stderr, redrawn at most ten times a second and only
// once the run has taken more than a second.
class Progress {
 public:
  Progress(bool enabled, std::ostream& err) : enabled_(enabled), err_(err) {}
  void Update(size_t done, size_t total) {
    if (!enabled_) return;
    auto now = Clock::now();
    if (now - start_ < std::chrono::seconds(1) ||
        now - last_ < std::chrono::milliseconds(100)) {
      return;
    }
    last_ = now;
    shown_ = true;
    err_ << "\rpaperindex: " << done << "/" << total << " papers" << std::flush;
  }
  void Done() {
    if (shown_) err_ << "\r\033[K" << std::flush;
  }

 private:
  bool enabled_;
  std::ostream& err_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_ = start_;
  bool shown_ = false;
};

}  // namespace

std::string DefaultDatabasePath(const fs::path& root) {
  if (const char* env = std::getenv("PAPERSEARCH_DB"); env && *env) return env;
  return (root / ".papersearch" / "db").string();
}

int RunIndex(const IndexOptions& options, std::ostream& err,
             IndexSummary* summary_out) {
  const auto start = Clock::now();
  IndexSummary summary;
  const std::string& db_path = options.db_path;

  CollectionScan scan = ScanCollection(options.root);
  if (!scan.fatal.empty()) {
    err << "paperindex: " << scan.fatal << "\n";
    return 2;
  }

  std::error_code ec;
  fs::path db_parent = fs::path(db_path).parent_path();
  if (!db_parent.empty()) fs::create_directories(db_parent, ec);
  std::string problem;
  std::optional<WriterLock> lock = WriterLock::TryAcquire(db_path, &problem);
  if (!lock) {
    err << "paperindex: " << problem << "\n";
    return 2;
  }
  std::optional<int> current = CurrentGeneration(db_path, &problem);
  if (!problem.empty()) {
    err << "paperindex: " << problem << "\n";
    return 2;
  }
  const int generation = current ? *current + 1 : 1;
  const std::string generation_path = GenerationPath(db_path, generation);

  for (const Diagnostic& d : scan.problems) summary.failed.push_back(d);
  if (!scan.not_records.empty() && !options.quiet) {
    err << "paperindex: skipped " << scan.not_records.size()
        << " file(s) under meta/ that are not paper records "
           "(records are meta/YEAR/ID.prototxt): ";
    for (size_t i = 0; i < scan.not_records.size(); ++i) {
      err << (i ? ", " : "") << scan.not_records[i];
    }
    err << "\n";
  }

  try {
    fs::remove_all(generation_path, ec);  // debris of a crashed run
    fs::create_directories(fs::path(generation_path).parent_path(), ec);
    Xapian::WritableDatabase db(generation_path, Xapian::DB_CREATE_OR_OVERWRITE);
    DocumentBuilder builder;
    Progress progress(options.progress && !options.quiet, err);
    int pending = 0;
    for (size_t i = 0; i < scan.records.size(); ++i) {
      const RecordFile& file = scan.records[i];
      progress.Update(i, scan.records.size());
      ParsedRecord record = ReadRecordFile(file.path.string(), file.relative);
      for (Diagnostic& w : record.warnings) summary.warnings.push_back(std::move(w));
      if (!record.ok) {
        summary.failed.push_back(std::move(record.error));
        continue;
      }
      StoredPaper paper;
      paper.set_id(file.id);
      *paper.mutable_info() = std::move(record.info);
      for (std::string& label : record.extra_keywords) {
        paper.add_extra_keywords(std::move(label));
      }
      paper.set_record_path(file.relative);
      NoteText note;
      std::string note_rel = FindNote(options.root, file.id, paper.info());
      if (!note_rel.empty()) {
        std::string markdown;
        Diagnostic note_problem;
        if (ReadNote(options.root / note_rel, note_rel, &markdown,
                     &summary.warnings, &note_problem)) {
          note = ExtractNoteText(markdown);
          paper.set_note_path(note_rel);
          ++summary.notes;
        } else {
          summary.failed.push_back(std::move(note_problem));
        }
      }
      db.replace_document(schema::prefix::kId + file.id,
                          builder.Build(std::move(paper), note));
      if (++pending == kCommitEvery) {
        db.commit();
        pending = 0;
      }
    }
    progress.Done();
    WriteSchemaVersion(db);
    db.set_metadata(schema::kRootKey, fs::absolute(options.root).lexically_normal().string());
    db.commit();
    summary.papers = static_cast<int>(db.get_doccount());
    db.close();
  } catch (const Xapian::Error& e) {
    err << "paperindex: cannot write " << generation_path << ": "
        << e.get_description() << "\n";
    return 2;
  }

  if (std::string switch_error = SwitchToGeneration(db_path, generation);
      !switch_error.empty()) {
    err << "paperindex: " << switch_error << "\n";
    return 2;
  }
  RemoveOtherGenerations(db_path, generation);

  for (const Diagnostic& d : summary.warnings) {
    if (!options.quiet) err << "paperindex: warning: " << d.ToString() << "\n";
  }
  for (const Diagnostic& d : summary.failed) {
    err << "paperindex: " << d.ToString() << "\n";
  }
  summary.seconds = SecondsSince(start);
  if (!options.quiet) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.2f", summary.seconds);
    err << "paperindex: indexed " << summary.papers << " papers ("
        << summary.notes << " with notes) into " << db_path << "; "
        << summary.failed.size() << " file(s) failed; " << seconds << " s\n";
  }
  int code = summary.failed.empty() ? 0 : 1;
  if (summary_out) *summary_out = std::move(summary);
  return code;
}

}  // namespace papersearch
