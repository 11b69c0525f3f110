// How the values that proto/schema.h names are encoded on disk: filter
// terms, sort keys, varints, lists, the facet dictionary's entries and the
// tie-break value. Part of the schema: changing an encoding means bumping
// schema::kVersion. Included by schema.h; include that.
#ifndef PAPERSEARCH_PROTO_ENCODING_H_
#define PAPERSEARCH_PROTO_ENCODING_H_

#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schema.h"

namespace papersearch::schema {

// Lower-cases every letter (Unicode-aware) and collapses runs of white space
// to one space, trimming both ends. Used for every filter term, so that
// `--venue github` finds "Github" and "github".
inline std::string FoldForFilter(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  auto append = [&](unsigned ch) {
    if (Xapian::Unicode::is_whitespace(ch)) {
      pending_space = !out.empty();
      return;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    if (ch < 0x80) {
      out.push_back(static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch));
    } else {
      Xapian::Unicode::append_utf8(out, Xapian::Unicode::tolower(ch));
    }
  };
  // Most values are ASCII, which needs no UTF-8 decoding (the facet counter
  // folds every distinct value it saw, for every search).
  if (std::all_of(value.begin(), value.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x80;
      })) {
    for (char c : value) append(static_cast<unsigned char>(c));
  } else {
    for (Xapian::Utf8Iterator it(value.data(), value.size()), end; it != end;
         ++it) {
      append(*it);
    }
  }
  if (out.size() > kMaxTermBytes) {
    size_t cut = kMaxTermBytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    out.resize(cut);
  }
  return out;
}

// `prefix` followed by `word`. (Rather than `prefix + std::string(...)`,
// about which GCC 12 warns, falsely, -Wrestrict.)
inline std::string Term(std::string_view prefix, std::string_view word) {
  std::string term;
  term.reserve(prefix.size() + word.size());
  term.append(prefix).append(word);
  return term;
}

// The word of a term: what follows its prefix, which is capital letters ("Z"
// marking a stem included); the words themselves are lower case.
inline std::string_view TermWord(std::string_view term) {
  size_t start = 0;
  while (start < term.size() && term[start] >= 'A' && term[start] <= 'Z') {
    ++start;
  }
  return term.substr(start);
}

// The boolean term for `value` under a filter prefix.
inline std::string FilterTerm(std::string_view filter_prefix,
                              std::string_view value) {
  std::string term(filter_prefix);
  term += FoldForFilter(value);
  return term;
}

// The filter term of a keyword label, at index and at query time: folded,
// with spaces and hyphens as underscores, so that "KV cache sparse" is the
// label kv_cache_sparse.
inline std::string KeywordFilterTerm(std::string_view label) {
  std::string term = FilterTerm(prefix::kKeywordFilter, label);
  for (size_t i = std::string_view(prefix::kKeywordFilter).size();
       i < term.size(); ++i) {
    if (term[i] == ' ' || term[i] == '-') term[i] = '_';
  }
  return term;
}

// A filter term for a name already folded (common/names.h, FoldName):
// `filter_prefix` + `folded`, cut at kMaxTermBytes on a UTF-8 boundary.
inline std::string NameTerm(std::string_view filter_prefix,
                            std::string_view folded) {
  size_t cut = std::min(folded.size(), kMaxTermBytes);
  while (cut > 0 && cut < folded.size() &&
         (static_cast<unsigned char>(folded[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  std::string term(filter_prefix);
  term.append(folded.substr(0, cut));
  return term;
}

// The filter term of `value` of `field` (its filter_prefix and fold); a
// kName field's value is a name already folded (common/names.h). "" for a
// field without filter terms.
inline std::string FieldFilterTerm(const TextField& field,
                                   std::string_view value) {
  switch (field.fold) {
    case Fold::kNone: return "";
    case Fold::kValue: return FilterTerm(field.filter_prefix, value);
    case Fold::kLabel: return KeywordFilterTerm(value);
    case Fold::kName: return NameTerm(field.filter_prefix, value);
  }
  return "";
}

// Bytes of the id's name (after "YEAR/") in NewestFirstKey.
inline constexpr size_t kNewestNameBytes = 5;

// `n` as `bytes` big-endian bytes of (2^(8*bytes) - 2) - n, n clamped to
// [0, 2^(8*bytes) - 2], so that ascending byte order is descending n; an
// absent number is all 0xFF bytes and sorts after every present one.
inline void AppendDescending(std::string& out, std::optional<int64_t> n,
                             int bytes) {
  const uint64_t absent = (uint64_t{1} << (8 * bytes)) - 1;
  uint64_t descending = absent;
  if (n) {
    const uint64_t clamped =
        *n < 0 ? 0 : std::min(static_cast<uint64_t>(*n), absent - 1);
    descending = absent - 1 - clamped;
  }
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((descending >> shift) & 0xFF));
  }
}

inline void AppendBigEndian32(std::string& out, uint32_t n) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((n >> shift) & 0xFF));
  }
}

// A 15-byte key whose ascending byte order is: by year, newest first
// (2 bytes; years past 65534 count as 65534), papers without one last; then
// by update time the same way (4 bytes of Unix seconds, so until 2106);
// then by the first kNewestNameBytes bytes of the id's name, NUL-padded;
// then by IdHash(id). So papers of one year and update time (most papers
// have no update time) list by name, near enough: names sharing their
// first five bytes go in the hash's order, which is fixed.
inline std::string NewestFirstKey(std::optional<int64_t> year,
                                  std::optional<int64_t> updated,
                                  std::string_view id) {
  std::string key;
  key.reserve(15);
  AppendDescending(key, year, 2);
  AppendDescending(key, updated, 4);
  const size_t slash = id.find('/');
  std::string_view name =
      slash == std::string_view::npos ? id : id.substr(slash + 1);
  name = name.substr(0, kNewestNameBytes);
  key += name;
  key.append(kNewestNameBytes - name.size(), '\0');
  AppendBigEndian32(key, IdHash(id));
  return key;
}

// Base-128 varints: seven bits a byte, low bits first, the high bit set on
// every byte but the last.
inline void AppendVarint(std::string& out, uint64_t n) {
  while (n >= 0x80) {
    out.push_back(static_cast<char>((n & 0x7F) | 0x80));
    n >>= 7;
  }
  out.push_back(static_cast<char>(n));
}

// Reads the varint at `*pos` of `in` into `*n` and moves `*pos` past it.
// False, with `*pos` unspecified, when it is cut short or longer than 64
// bits; never reads outside `in`.
inline bool ReadVarint(std::string_view in, size_t* pos, uint64_t* n) {
  *n = 0;
  for (int shift = 0; shift <= 63; shift += 7) {
    if (*pos >= in.size()) return false;
    unsigned char byte = static_cast<unsigned char>(in[(*pos)++]);
    *n |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

// A list of strings in one value slot: each item is its byte length as a
// varint followed by its bytes.
inline void AppendToList(std::string& list, std::string_view item) {
  AppendVarint(list, item.size());
  list += item;
}

inline std::string EncodeList(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) AppendToList(out, item);
  return out;
}

// Calls fn(std::string_view) for each item of an EncodeList value. Stops at
// the first malformed byte, and then returns false; never reads outside
// `encoded`.
template <typename Fn>
bool ForEachInList(std::string_view encoded, Fn&& fn) {
  size_t pos = 0;
  while (pos < encoded.size()) {
    uint64_t n = 0;
    if (!ReadVarint(encoded, &pos, &n) || n > encoded.size() - pos) {
      return false;
    }
    fn(encoded.substr(pos, n));
    pos += n;
  }
  return true;
}

// The facet values of one paper, as displayed ("Tsinghua University",
// "ICML", "2024", "kv_cache_sparse"). The indexer numbers them (kFacetsKey)
// for slot::kTieFacets.
struct FacetValues {
  std::vector<std::string> institutions;
  std::string venue;  // "arXiv" when the record names none
  std::string year;   // decimal; "" when the record has no year
  std::vector<std::string> keywords;
};

// One entry of the facet dictionary (kFacetsKey).
struct FacetEntry {
  char facet = 0;          // facet::kInstitution...
  uint32_t group = 0;      // the first number of its facet with the same
                           // FoldForFilter(value): the value's spelling group
  std::string_view value;  // as displayed
};

// The facet as one byte, the group as a varint, then the value.
inline std::string EncodeFacetEntry(const FacetEntry& entry) {
  std::string out(1, entry.facet);
  AppendVarint(out, entry.group);
  out += entry.value;
  return out;
}

// False when `encoded` is not an EncodeFacetEntry.
inline bool DecodeFacetEntry(std::string_view encoded, FacetEntry* entry) {
  size_t pos = 1;
  uint64_t group = 0;
  if (encoded.empty() || !ReadVarint(encoded, &pos, &group) ||
      group > UINT32_MAX) {
    return false;
  }
  entry->facet = encoded[0];
  entry->group = static_cast<uint32_t>(group);
  entry->value = encoded.substr(pos);
  return true;
}

// A paper's facet value numbers, for slot::kTieFacets: varints, each number
// once.
inline std::string EncodeFacetNumbers(const std::vector<uint32_t>& numbers) {
  std::string out;
  for (uint32_t n : numbers) AppendVarint(out, n);
  return out;
}

// Calls fn(uint32_t) for each number of an EncodeFacetNumbers value; stops
// at the first malformed one.
template <typename Fn>
void ForEachFacetNumber(std::string_view encoded, Fn&& fn) {
  size_t pos = 0;
  uint64_t n = 0;
  while (pos < encoded.size() && ReadVarint(encoded, &pos, &n) &&
         n <= UINT32_MAX) {
    fn(static_cast<uint32_t>(n));
  }
}

// Bytes of a TieKey.
inline constexpr size_t kTieKeyBytes = 6;

// What orders a ranked search's equal scores: the year an id begins with
// ("2024/ShadowKV"), oldest first, as the ids themselves sort (2 bytes,
// big-endian; years past 65534 count as 65534, an id without one comes
// last), then IdHash(id). Fixed length, so that a TieFacetsValue sorts as
// its key does whatever numbers follow.
inline std::string TieKey(std::string_view id) {
  uint32_t year = 0;
  size_t digits = 0;
  while (digits < id.size() && id[digits] >= '0' && id[digits] <= '9') {
    year = std::min<uint32_t>(year * 10 + (id[digits] - '0'), 0xFFFE);
    ++digits;
  }
  if (digits == 0) year = 0xFFFF;
  std::string key;
  key.reserve(kTieKeyBytes);
  key.push_back(static_cast<char>(year >> 8));
  key.push_back(static_cast<char>(year & 0xFF));
  AppendBigEndian32(key, IdHash(id));
  return key;
}

// The slot::kTieFacets value: `tie_key` (a TieKey) and then `numbers` (an
// EncodeFacetNumbers value).
inline std::string TieFacetsValue(std::string_view tie_key,
                                  std::string_view numbers) {
  std::string out;
  out.reserve(tie_key.size() + numbers.size());
  out += tie_key;
  out += numbers;
  return out;
}

// The tie key of a slot::kTieFacets value.
inline std::string_view TieKeyOfTieFacets(std::string_view value) {
  return value.substr(0, std::min(value.size(), kTieKeyBytes));
}

// The facet numbers of a slot::kTieFacets value ("" when it has none).
inline std::string_view FacetNumbersOfTieFacets(std::string_view value) {
  return value.size() <= kTieKeyBytes ? std::string_view()
                                      : value.substr(kTieKeyBytes);
}

// The paper id of a document: its kId term, without the prefix; "" when it
// has none. Reads the document's term list.
inline std::string IdOfDocument(const Xapian::Document& doc) {
  Xapian::TermIterator it = doc.termlist_begin();
  it.skip_to(prefix::kId);
  if (it == doc.termlist_end()) return "";
  const std::string term = *it;
  const std::string_view id_prefix = prefix::kId;
  if (term.compare(0, id_prefix.size(), id_prefix) != 0) return "";
  return term.substr(id_prefix.size());
}

}  // namespace papersearch::schema

#endif  // PAPERSEARCH_PROTO_ENCODING_H_
