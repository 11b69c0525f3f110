// Writing paper records in the collection's text format.
#ifndef PAPERSEARCH_COMMON_RECORD_FORMAT_H_
#define PAPERSEARCH_COMMON_RECORD_FORMAT_H_

#include <string>

#include "paper.pb.h"

namespace papersearch {

// `info` in protobuf text format as the collections write it: two-space
// indentation, one field per line, UTF-8 kept as is (not octal-escaped),
// ending in a newline. ParseRecord (indexer/record_reader.h) reads it back
// to an equal message.
std::string FormatRecord(const efficient_paper::PaperInfo& info);

}  // namespace papersearch

#endif  // PAPERSEARCH_COMMON_RECORD_FORMAT_H_
