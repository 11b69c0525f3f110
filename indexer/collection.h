// Finding the papers of a collection: `meta/YEAR/ID.prototxt` records and the
// notes beside them under `notes/`.
#ifndef PAPERSEARCH_INDEXER_COLLECTION_H_
#define PAPERSEARCH_INDEXER_COLLECTION_H_

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostic.h"
#include "common/status.h"
#include "indexer/source_state.h"

namespace papersearch {

// One record file found under meta/.
// Kept for every paper of the collection for a whole run, so it holds no
// std::filesystem::path: libstdc++ splits one into components, two dozen
// allocations and about 600 bytes per paper (600 MB of a 1M-paper run).
struct RecordFile {
  std::string id;        // "YEAR/NAME": the path below meta/ without .prototxt
  std::string relative;  // "meta/YEAR/NAME.prototxt", for messages and storage

  // The file itself, below the collection root.
  std::filesystem::path Path(const std::filesystem::path& root) const {
    return root / relative;
  }
};

struct CollectionScan {
  std::vector<RecordFile> records;  // sorted by id (bytes)
  // Files under meta/ that are not meta/YEAR/ID.prototxt (e.g. the real
  // collections' meta/search/*.prototxt): skipped, reported once.
  std::vector<std::string> not_records;
  // Things that stop a file or directory from being read (permissions,
  // symlink loops, names that are not valid UTF-8 or hold control
  // characters).
  std::vector<Diagnostic> problems;
  // Directories under meta/ that could not be listed ("meta/2024"): which
  // records they hold is unknown, so papers indexed from them must be kept.
  std::vector<std::string> unread_dirs;
  // Records whose ids differ from an earlier id only in ASCII case
  // ("2025/tidekv" after "2025/TideKV"): both are indexed (ids are paths),
  // each named with the id it collides with.
  std::vector<Diagnostic> warnings;
};

// Walks root/meta. Does not follow directory symlinks (so loops cannot
// hang it); follows file symlinks. A directory that cannot be listed is a
// problem (and an unread_dirs entry), never the end of the walk. Fails, with
// what to fix, only when the collection cannot be read at all (no meta/
// directory, or it is not a directory). Never throws.
Result<CollectionScan> ScanCollection(const std::filesystem::path& root);

// Notes that no record owns, as warnings naming them: a directory
// notes/YEAR/NAME/ holding a note.md (or index.md) whose YEAR/NAME is neither
// the id of a record in `scan` nor one of `other_note_dirs` (the
// NoteDirectory of each note that a record's note url places outside the
// record's own notes/ID/). The message names the record expected, and a
// record of the same NAME under another year, or differing only in case,
// when there is one. Lists each notes/YEAR/ once and stats only directories
// that match nothing, so one that holds only images costs nothing and is no
// warning. Skips years whose meta/YEAR/ could not be listed, and notes/
// directories that cannot be listed (their notes are reported when their
// records read them). Sorted by file. Never throws.
std::vector<Diagnostic> FindNotesWithoutRecord(
    const std::filesystem::path& root, const CollectionScan& scan,
    std::vector<std::string> other_note_dirs);

// "YEAR/NAME" for a note path "notes/YEAR/NAME/...", or "" for any other.
std::string_view NoteDirectory(std::string_view note_path);

// True when paper `id`'s record would lie in one of scan.unread_dirs, so that
// its absence from scan.records does not mean it was deleted.
bool InUnreadDirectory(const CollectionScan& scan, const std::string& id);

// The note of paper `id` under `root`, as a path relative to root
// ("notes/2025/X/note.md"), or "" when it has none. Looks where the record's
// note url points (relative to notes/YEAR/ID/, or to notes/YEAR/ when it
// contains a '/'), then at notes/YEAR/ID/note.md and notes/YEAR/ID/index.md.
// A candidate that exists but cannot be stat'ed (permissions, a symlink
// loop, a dangling symlink) is returned, so that reading it reports the
// problem. Costs one stat per candidate. When `found` is given and the note
// is a regular file, it receives the note's size and modification time (so
// that a caller comparing them saves a second stat). `notes_year_fd`, when
// not -1, is an open directory descriptor of root/notes/YEAR: candidates are
// then stat'ed relative to it, which spares the kernel walking the whole
// path each time.
std::string FindNote(const std::filesystem::path& root, const std::string& id,
                     const std::string& note_url,
                     std::optional<FileFingerprint>* found = nullptr,
                     int notes_year_fd = -1);

}  // namespace papersearch

#endif  // PAPERSEARCH_INDEXER_COLLECTION_H_
