// Small text helpers (UTF-8, white space) shared by the indexer and the
// searcher.
#ifndef PAPERSEARCH_COMMON_UTF8_H_
#define PAPERSEARCH_COMMON_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace papersearch {

// Returns the byte offset of the first invalid UTF-8 sequence in `text`, or
// std::string_view::npos when it is all valid. Overlong forms, surrogates and
// code points above U+10FFFF count as invalid.
size_t FindInvalidUtf8(std::string_view text);

// Replaces each invalid sequence with U+FFFD, so the result is valid UTF-8.
std::string SanitizeUtf8(std::string_view text);

// The longest prefix of `text` of at most `max_bytes` bytes that does not cut
// a UTF-8 sequence in half.
std::string_view TruncateUtf8(std::string_view text, size_t max_bytes);

// `text` without leading and trailing ASCII white space (space, tab, CR, LF).
std::string_view TrimAsciiSpace(std::string_view text);

// True for the scripts Xapian splits into character n-grams
// (FLAG_CJK_NGRAM): CJK ideographs, kana, hangul and their punctuation.
bool IsCjk(unsigned codepoint);

// `text` with ASCII letters lower-cased; other bytes kept, so offsets stay
// the same.
std::string AsciiLower(std::string_view text);

// 1-based line and column (in bytes) of byte `offset` in `text`.
struct TextPosition {
  int line = 1;
  int column = 1;
};
TextPosition PositionOf(std::string_view text, size_t offset);

}  // namespace papersearch

#endif  // PAPERSEARCH_COMMON_UTF8_H_
