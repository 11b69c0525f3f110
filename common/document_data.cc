#include "common/document_data.h"

#include <zlib.h>

#include <cstdint>
#include <cstdlib>

namespace papersearch {
namespace {

constexpr char kTag = 'Z';
// No stored paper comes near this (records are at most 4 MiB, stored note
// text 16 KiB); anything larger is corruption.
constexpr uint64_t kMaxDecodedBytes = 64u << 20;

}  // namespace

std::string EncodeDocumentData(const StoredPaper& paper) {
  const std::string raw = paper.SerializeAsString();
  uLongf bound = compressBound(raw.size());
  std::string out(1, kTag);
  for (uint64_t n = raw.size(); ; n >>= 7) {
    out.push_back(static_cast<char>((n & 0x7F) | (n >= 0x80 ? 0x80 : 0)));
    if (n < 0x80) break;
  }
  size_t header = out.size();
  out.resize(header + bound);
  // Level 1: the data is small and read far more often than written; the
  // point is mostly that Xapian does not compress it again.
  if (compress2(reinterpret_cast<Bytef*>(out.data() + header), &bound,
                reinterpret_cast<const Bytef*>(raw.data()), raw.size(),
                1) != Z_OK) {
    // compressBound guarantees room; zlib fails only on allocation, and a
    // stored paper is small.
    std::abort();
  }
  out.resize(header + bound);
  return out;
}

bool DecodeDocumentData(std::string_view data, StoredPaper* paper) {
  if (data.empty() || data[0] != kTag) return false;
  size_t pos = 1;
  uint64_t size = 0;
  for (int shift = 0;; shift += 7) {
    if (pos >= data.size() || shift > 56) return false;
    unsigned char byte = static_cast<unsigned char>(data[pos++]);
    size |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if (!(byte & 0x80)) break;
  }
  if (size > kMaxDecodedBytes) return false;
  std::string raw(size, '\0');
  uLongf length = size;
  if (uncompress(reinterpret_cast<Bytef*>(raw.data()), &length,
                 reinterpret_cast<const Bytef*>(data.data() + pos),
                 data.size() - pos) != Z_OK ||
      length != size) {
    return false;
  }
  return paper->ParseFromString(raw);
}

}  // namespace papersearch
