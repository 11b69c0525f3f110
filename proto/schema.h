// The index schema: every term prefix, field, value slot and metadata key
// that paperindex writes and papersearch reads, and (proto/encoding.h) how
// their values are encoded. These two files are the only ones that spell
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
inline constexpr int kVersion = 14;

// Database metadata keys.
inline constexpr char kVersionKey[] = "papersearch.schema_version";
// The collection root the database was built from (informational).
inline constexpr char kRootKey[] = "papersearch.root";
// The block size a full build merged the database with (index_writer.cc,
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
// EncodeNoteSource(the note's Markdown, at most kMaxStoredNoteSource
// bytes): what the paper view renders (papersearch --serve). A value, not
// part of the document data, so that a search, which reads the data of
// every hit it shows, never inflates it; absent for a paper without a note.
inline constexpr Xapian::valueno kNoteSource = 10;
}  // namespace slot

// Position gap between fields, so that phrases do not cross field boundaries.
namespace weight {
inline constexpr Xapian::termpos kFieldGap = 100;
}  // namespace weight

// Upper bound on the note text kept in the document data for snippets, bytes.
inline constexpr size_t kMaxStoredNoteText = 16 * 1024;
// Upper bound on the note Markdown kept for the paper view, bytes (real notes
// stay under 5 KB).
inline constexpr size_t kMaxStoredNoteSource = 256 * 1024;

// Xapian's hard limit on term length is 245 bytes; longer filter values are
// cut at a UTF-8 boundary below this.
inline constexpr size_t kMaxTermBytes = 240;

}  // namespace papersearch::schema

// How the values named here are written: one include gives the whole
// contract.
#include "encoding.h"  // IWYU pragma: export

#endif  // PAPERSEARCH_PROTO_SCHEMA_H_
