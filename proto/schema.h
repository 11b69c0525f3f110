// The index schema: every term prefix, value slot and on-disk encoding that
// paperindex writes and papersearch reads. This is the only file that spells
// them. Everything here ends up on disk: changing a name's meaning, a prefix,
// a slot number, an encoding or an index-time weight means bumping kVersion,
// and users then rebuild with `paperindex --full`.
#ifndef PAPERSEARCH_PROTO_SCHEMA_H_
#define PAPERSEARCH_PROTO_SCHEMA_H_

#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace papersearch::schema {

// Version of everything in this file and in stored_paper.proto, stored in
// every database and checked on open. What each version changed is in the
// commit log (git log -p -G kVersion proto/schema.h).
inline constexpr int kVersion = 13;

// Database metadata keys.
inline constexpr char kVersionKey[] = "papersearch.schema_version";
// The collection root the database was built from (informational).
inline constexpr char kRootKey[] = "papersearch.root";
// The block size a full build merged the database with (indexer.cc,
// MergedBlockSize), so that an update can tell when the collection has
// outgrown it.
inline constexpr char kBlockSizeKey[] = "papersearch.block_size";
// SynonymsFingerprint() of the built-in synonym groups whose terms
// (prefix::kSynonymGroup) the database holds (common/synonyms.h). A search
// uses those terms only when its own built-in groups have the same
// fingerprint, and an update rebuilds the database when they differ.
inline constexpr char kSynonymsKey[] = "papersearch.synonyms";
// The facet dictionary: every facet value the database's papers have had
// since its last full build, numbered from 0 in the order the indexer met
// them. An EncodeList of entries (EncodeFacetEntry), entry n being the value
// numbered n. Values differing only in case are separate entries of one
// group, which searches count as one value. Entries are only appended, so
// numbers never change until a full build.
inline constexpr char kFacetsKey[] = "papersearch.facets";

// The first byte of a facet dictionary entry: the facet its value is of.
namespace facet {
inline constexpr char kInstitution = 'i';
inline constexpr char kVenue = 'v';
inline constexpr char kYear = 'y';
inline constexpr char kKeyword = 'k';
}  // namespace facet

// ---------------------------------------------------------------------------
// Free-text prefixes: positional, stemmed (English, STEM_SOME), CJK n-grams.
// Every field but the note is also indexed without a prefix. The note, most
// of a paper's text, is indexed only under kNote: a second, unprefixed copy
// doubled the indexer's work. A query word without a field therefore
// searches kBareWordPrefixes (below).
namespace prefix {
inline constexpr char kTitle[] = "S";
inline constexpr char kAuthor[] = "A";
inline constexpr char kAbbr[] = "XA";
inline constexpr char kInstitution[] = "XI";
inline constexpr char kVenue[] = "XV";
inline constexpr char kKeyword[] = "XK";
inline constexpr char kNote[] = "XN";
inline constexpr char kCode[] = "XC";
inline constexpr char kBaseline[] = "XB";

// Boolean (filter) terms: prefix + FoldForFilter(value), never stemmed.
inline constexpr char kId[] = "Q";          // Q2025/ShadowKV (case kept)
inline constexpr char kYearFilter[] = "Y";  // Y2025
inline constexpr char kInstitutionFilter[] = "XFI";  // XFItsinghua university
inline constexpr char kVenueFilter[] = "XFV";        // XFVicml
inline constexpr char kKeywordFilter[] = "XFK";      // XFKkv_cache_sparse
inline constexpr char kAuthorFilter[] = "XFA";       // XFAsong han (NameTerm)
inline constexpr char kHas[] = "XH";                 // XHnote, XHcode
// The exact abbreviation, case-folded, so that a query equal to an abbr can
// be recognised and boosted: XEshadowkv.
inline constexpr char kAbbrExact[] = "XE";
// One term per built-in synonym group, named by the group's first member,
// normalised: XSkv cache. Its wdf counts the occurrences of all the group's
// members in the bare-word fields (kBareWordPrefixes), each weighted as its
// field is, so that one posting list answers what was a dozen phrase
// queries (common/synonyms.h, indexer/synonym_terms.h). No positions.
inline constexpr char kSynonymGroup[] = "XS";
}  // namespace prefix

// What a query word without a field prefix searches: every field's
// unprefixed copy, and the note.
inline constexpr const char* kBareWordPrefixes[] = {"", prefix::kNote};

// ---------------------------------------------------------------------------
// The fields of a paper, each defined once: the indexer writes them
// (indexer/document_builder.cc), the query language names them (`title:`),
// the filters and facets fold their values (FieldFilterTerm), --explain
// names them, and the docs list them from here. Snippets are drawn from the
// note's stored text (StoredPaper.note_text, at most kMaxStoredNoteText).

// How a field's value becomes its filter term (FieldFilterTerm).
enum class Fold {
  kNone,   // no filter term
  kValue,  // FoldForFilter: case and white space (institutions, venues)
  kLabel,  // KeywordFilterTerm: also spaces and hyphens as '_' (labels)
  kName,   // NameTerm of a name folded by common/names.h (authors)
};

struct TextField {
  const char* name;        // in --explain and the docs: "institution"
  const char* query_name;  // in the query language: "inst"; nullptr: none
  const char* prefix;      // terms: prefix + word, "Z" + prefix + stem
  Xapian::termcount wdf;   // index-time weight of each occurrence
  // Also indexed without a prefix, where a word without a field searches
  // (kBareWordPrefixes). Not the note: most of a paper's text, a second
  // copy doubled the indexer's work; a bare word searches the note's prefix.
  bool bare;
  const char* about;  // what it holds, for the docs
  // Its words are also indexed as stems (Stemmer, STEM_SOME), and CJK text
  // as n-grams (FLAG_CJK_NGRAM), which the query parser matches.
  bool stemmed = true;
  bool cjk_ngrams = true;
  // Its values as filters (--institution, `inst:`) and facets: the prefix
  // of their boolean terms, and how a value is folded into one.
  const char* filter_prefix = nullptr;
  Fold fold = Fold::kNone;
};

// The title weighs most of the fields a paper is about, so that a title
// match beats a passing mention in a note; the abbreviation more, so that
// "shadowkv" finds ShadowKV first.
namespace field {
inline constexpr TextField kTitle{.name = "title",
                                  .query_name = "title",
                                  .prefix = prefix::kTitle,
                                  .wdf = 6,
                                  .bare = true,
                                  .about = "the title"};
// Its exact value, case-folded (kAbbrExact), recognises a query that is an
// abbreviation.
inline constexpr TextField kAbbr{.name = "abbr",
                                 .query_name = "abbr",
                                 .prefix = prefix::kAbbr,
                                 .wdf = 8,
                                 .bare = true,
                                 .about = "the abbreviation (ShadowKV)",
                                 .filter_prefix = prefix::kAbbrExact,
                                 .fold = Fold::kValue};
inline constexpr TextField kAuthor{.name = "author",
                                   .query_name = "author",
                                   .prefix = prefix::kAuthor,
                                   .wdf = 2,
                                   .bare = true,
                                   .about = "the authors' names",
                                   .filter_prefix = prefix::kAuthorFilter,
                                   .fold = Fold::kName};
inline constexpr TextField kInstitution{
    .name = "institution",
    .query_name = "inst",
    .prefix = prefix::kInstitution,
    .wdf = 1,
    .bare = true,
    .about = "the institutions' names",
    .filter_prefix = prefix::kInstitutionFilter,
    .fold = Fold::kValue};
inline constexpr TextField kVenue{
    .name = "venue",
    .query_name = "venue",
    .prefix = prefix::kVenue,
    .wdf = 1,
    .bare = true,
    .about = "the venue (arXiv when the record has none)",
    .filter_prefix = prefix::kVenueFilter,
    .fold = Fold::kValue};
// A label's words ("kv cache sparse"); `keyword:` names a label, a filter.
inline constexpr TextField kKeyword{
    .name = "keyword",
    .query_name = nullptr,
    .prefix = prefix::kKeyword,
    .wdf = 3,
    .bare = false,
    .about =
        "the words of the keyword labels (kv_cache_sparse: kv cache sparse)",
    .filter_prefix = prefix::kKeywordFilter,
    .fold = Fold::kLabel};
inline constexpr TextField kCode{
    .name = "code",
    .query_name = "code",
    .prefix = prefix::kCode,
    .wdf = 1,
    .bare = true,
    .about = "the words of the code link (owner and repository)"};
inline constexpr TextField kBaseline{
    .name = "baseline",
    .query_name = "baseline",
    .prefix = prefix::kBaseline,
    .wdf = 1,
    .bare = true,
    .about = "the baseline methods the paper compares with"};
// The note's body; its headings weigh kNoteHeadingWdf.
inline constexpr TextField kNote{
    .name = "note",
    .query_name = "note",
    .prefix = prefix::kNote,
    .wdf = 1,
    .bare = false,
    .about = "the note: its headings and text, English and Chinese"};
inline constexpr Xapian::termcount kNoteHeadingWdf = 2;
}  // namespace field
inline constexpr TextField kTextFields[] = {
    field::kTitle,       field::kAbbr,  field::kAuthor,
    field::kInstitution, field::kVenue, field::kKeyword,
    field::kNote,        field::kCode,  field::kBaseline,
};

// True when `name:` starts a field in a query: a text field's query name,
// `keyword:` (a label), and the boolean `id:` and `year:`. Any other `x:y`
// is words to Xapian's parser (`n:m sparsity`, `2:4`).
inline bool IsQueryFieldName(std::string_view name) {
  return name == "keyword" || name == "id" || name == "year" ||
         std::any_of(std::begin(kTextFields), std::end(kTextFields),
                     [&](const TextField& f) {
                       return f.query_name != nullptr && name == f.query_name;
                     });
}

// The stemmer of every stemmed term ("Z" + prefix + stem), at index and at
// query time alike.
inline constexpr char kStemLanguage[] = "english";
inline Xapian::Stem Stemmer() { return Xapian::Stem(kStemLanguage); }

inline constexpr char kHasNote[] = "note";
inline constexpr char kHasCode[] = "code";

// ---------------------------------------------------------------------------
// Document ids.
//
// A paper's document id is derived from its id, not from the order papers
// were indexed in. Xapian examines matches in document id order, and a
// search that stops after the first kFacetSample matches (searcher.h) counts
// facets on those: with hashed ids they are a uniform sample of the match
// set, with sequential ids they would be its oldest papers.
//
// DocidFor(id) is a paper's preferred document id, in [1, kDocidSpace]. When
// another paper holds it, the indexer takes the next free one (NextDocid),
// and past kMaxDocidProbes of them the first id above kDocidSpace that is
// free (so any number of papers fits).
inline constexpr Xapian::docid kDocidSpace = 1u << 24;
inline constexpr int kMaxDocidProbes = 64;

// A paper id's 32-bit hash: FNV-1a, then MurmurHash3's finaliser to mix the
// low bits. Stable across machines, compilers and runs.
inline uint32_t IdHash(std::string_view id) {
  uint32_t h = 2166136261u;
  for (unsigned char c : id) {
    h ^= c;
    h *= 16777619u;
  }
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

inline Xapian::docid DocidFor(std::string_view id) {
  return IdHash(id) % kDocidSpace + 1;
}

inline Xapian::docid NextDocid(Xapian::docid docid) {
  return docid % kDocidSpace + 1;
}

// ---------------------------------------------------------------------------
// Value slots.
namespace slot {
// Xapian::sortable_serialise(year); absent when the record has no year.
inline constexpr Xapian::valueno kYear = 0;
// Slots 1, 4 and 5 held the venue, institutions and keywords until
// version 5; kTieFacets has them now.
// Xapian::sortable_serialise(update_time), Unix seconds; absent if unknown.
inline constexpr Xapian::valueno kUpdated = 2;
// Xapian::sortable_serialise(rating), 1 to 5; absent if unrated.
inline constexpr Xapian::valueno kRating = 3;
// What the indexer knew of the paper's files when it indexed them
// (indexer/source_state.h), so that a reindex can skip unchanged papers.
inline constexpr Xapian::valueno kSourceState = 6;
// TieFacetsValue(TieKey(id), EncodeFacetNumbers(the numbers of the
// paper's facet values in the facet dictionary, kFacetsKey)). What a ranked
// search reads of every match it examines, in one value, because reading a
// value of each match is what both cost: the tie key orders equal scores
// (by the id's year, oldest first, then by a hash of the id: not by document
// number, which differs between a fresh build and an updated index; the key has
// a fixed length, so the whole value sorts as the key does), the numbers are
// what facet counting reads. Numbers, not the values: a few bytes a paper
// instead of the values' text. One value instead of two slots: each slot is
// its own stream of value chunks, and a match set scattered over the
// document ids reads most chunks of every stream it reads. A short key, not
// the id: Xapian hands a value out as a std::string, which holds up to 15
// bytes without a heap allocation, and it copies the sort value of every
// match it examines.
inline constexpr Xapian::valueno kTieFacets = 7;
// NewestFirstKey(year, update time, id): what a search without words sorts
// by. One value a match instead of three through a KeyMaker, and at most
// 15 bytes (see kTieFacets).
inline constexpr Xapian::valueno kNewest = 9;
}  // namespace slot

// Position gap between fields, so that phrases do not cross field boundaries.
namespace weight {
inline constexpr Xapian::termpos kFieldGap = 100;
}  // namespace weight

// Upper bound on the note text kept in the document data for snippets, bytes.
inline constexpr size_t kMaxStoredNoteText = 16 * 1024;

// Xapian's hard limit on term length is 245 bytes; longer filter values are
// cut at a UTF-8 boundary below this.
inline constexpr size_t kMaxTermBytes = 240;

// ---------------------------------------------------------------------------
// Encodings.

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

#endif  // PAPERSEARCH_PROTO_SCHEMA_H_
