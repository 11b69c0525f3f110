// What the index knows about the files a paper was built from, stored in the
// paper's document (schema::slot::kSourceState) so that a reindex can tell
// unchanged papers by their files' stat alone, and a copied database carries
// that knowledge along.
#ifndef PAPERSEARCH_INDEXER_SOURCE_STATE_H_
#define PAPERSEARCH_INDEXER_SOURCE_STATE_H_

#include <sys/stat.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace papersearch {

// A file as last seen: stat fields for a cheap check, a content hash to
// confirm a change when the stat differs (a fresh checkout touches every
// file without changing any).
struct FileFingerprint {
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  uint64_t hash = 0;  // ContentHash of the bytes indexed

  bool SameStat(const FileFingerprint& other) const {
    return size == other.size && mtime_ns == other.mtime_ns;
  }
};

struct SourceState {
  std::string id;  // "YEAR/NAME"
  FileFingerprint record;
  std::string note_url;   // the record's note { url }, to find the note again
  std::string note_path;  // relative to the root; "" when there was no note
  FileFingerprint note;   // meaningful when note_path is set
};

// 64-bit FNV-1a: fast, stable across builds and platforms; for change
// detection, not security.
uint64_t ContentHash(std::string_view bytes);

// Size and modification time of `path` (hash left 0), or nullopt when it
// cannot be stat'ed or is not a regular file.
std::optional<FileFingerprint> StatFile(const std::string& path);
// The size and modification time of a stat result (hash left 0).
FileFingerprint StatFingerprint(const struct stat& st);

// The value stored in the slot, and back. Decode returns nullopt for bytes
// it did not write (another schema version, corruption).
std::string EncodeSourceState(const SourceState& state);
std::optional<SourceState> DecodeSourceState(std::string_view encoded);

}  // namespace papersearch

#endif  // PAPERSEARCH_INDEXER_SOURCE_STATE_H_
