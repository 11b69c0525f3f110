#include "indexer/source_state.h"

#include <sys/stat.h>

#include <vector>

#include "schema.h"

namespace papersearch {
namespace {

void PutFixed64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}

bool GetFixed64(std::string_view& in, uint64_t* v) {
  if (in.size() < 8) return false;
  *v = 0;
  for (int i = 0; i < 8; ++i) {
    *v |= static_cast<uint64_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  }
  in.remove_prefix(8);
  return true;
}

void PutFingerprint(std::string& out, const FileFingerprint& f) {
  PutFixed64(out, f.size);
  PutFixed64(out, static_cast<uint64_t>(f.mtime_ns));
  PutFixed64(out, f.hash);
}

bool GetFingerprint(std::string_view& in, FileFingerprint* f) {
  uint64_t mtime = 0;
  if (!GetFixed64(in, &f->size) || !GetFixed64(in, &mtime) ||
      !GetFixed64(in, &f->hash)) {
    return false;
  }
  f->mtime_ns = static_cast<int64_t>(mtime);
  return true;
}

// Format tag, so that a state written by a later layout is not misread.
constexpr char kTag = 1;

}  // namespace

uint64_t ContentHash(std::string_view bytes) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::optional<FileFingerprint> StatFile(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return StatFingerprint(st);
}

FileFingerprint StatFingerprint(const struct stat& st) {
  FileFingerprint f;
  f.size = static_cast<uint64_t>(st.st_size);
  f.mtime_ns =
      static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return f;
}

std::string EncodeSourceState(const SourceState& state) {
  std::string out(1, kTag);
  PutFingerprint(out, state.record);
  PutFingerprint(out, state.note);
  out += schema::EncodeList({state.id, state.note_url, state.note_path});
  return out;
}

std::optional<SourceState> DecodeSourceState(std::string_view in) {
  if (in.empty() || in[0] != kTag) return std::nullopt;
  in.remove_prefix(1);
  SourceState state;
  if (!GetFingerprint(in, &state.record) || !GetFingerprint(in, &state.note)) {
    return std::nullopt;
  }
  std::vector<std::string> parts;
  schema::ForEachInList(in, [&](std::string_view s) { parts.emplace_back(s); });
  if (parts.size() != 3) return std::nullopt;
  state.id = std::move(parts[0]);
  state.note_url = std::move(parts[1]);
  state.note_path = std::move(parts[2]);
  return state;
}

}  // namespace papersearch
