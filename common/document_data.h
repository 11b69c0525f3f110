// The data a paper's Xapian document carries: its StoredPaper, compressed
// by us.
//
// Why not let Xapian compress it: Xapian 1.4.22 writes some highly
// compressible tags over 8 KB (a note that repeats one word) that it then
// cannot read back ("DatabaseCorruptError: Too few chunks of compressed
// data"), so one odd note made every search reaching its paper fail. Data
// that is already compressed does not shrink again, and Xapian stores it
// as it is.
#ifndef PAPERSEARCH_COMMON_DOCUMENT_DATA_H_
#define PAPERSEARCH_COMMON_DOCUMENT_DATA_H_

#include <string>
#include <string_view>

#include "stored_paper.pb.h"

namespace papersearch {

// 'Z', the serialized StoredPaper's size as a base-128 varint, then the
// serialized StoredPaper deflated by zlib.
std::string EncodeDocumentData(const StoredPaper& paper);

// Reads what EncodeDocumentData wrote into `paper`. Returns false for data
// it did not write (another schema version, corruption); never throws.
bool DecodeDocumentData(std::string_view data, StoredPaper* paper);

}  // namespace papersearch

#endif  // PAPERSEARCH_COMMON_DOCUMENT_DATA_H_
