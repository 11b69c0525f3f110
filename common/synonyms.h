// Synonyms and abbreviations applied to queries: groups of words or phrases
// that mean the same ("kv cache", "key-value cache", "KVCache"), read from
// the built-in common/synonyms.txt and from users' files in its format.
#ifndef PAPERSEARCH_COMMON_SYNONYMS_H_
#define PAPERSEARCH_COMMON_SYNONYMS_H_

#include <xapian.h>

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace papersearch {

// The file papersearch looks for beside the database (so in a collection's
// `.papersearch/` by default).
inline constexpr char kSynonymsFileName[] = "synonyms.txt";
// The largest synonyms file read (a file of 4 MiB holds some 100,000 groups).
inline constexpr size_t kMaxSynonymsBytes = 4 << 20;

class Synonyms {
 public:
  struct Group {
    // As written in the file, each once (after Normalize). Views into the
    // text given to Add, which the Synonyms keeps (or which is static).
    std::vector<std::string_view> members;
    // From the built-in file (kDefaultSynonyms), whose groups paperindex
    // writes a term for.
    bool built_in = false;
  };

  Synonyms() = default;
  // Movable, not copyable: groups and keys view text the object owns.
  Synonyms(Synonyms&&) = default;
  Synonyms& operator=(Synonyms&&) = default;
  Synonyms(const Synonyms&) = delete;
  Synonyms& operator=(const Synonyms&) = delete;

  // Adds the groups in `text`: one group per line, members separated by
  // commas, `#` comments and blank lines ignored. A member that is in
  // several groups gets the alternatives of all of them. Returns one message
  // per malformed line ("SOURCE:LINE: ..."); the other lines still count.
  // `text` is copied, unless `is_static` says it outlives every Synonyms
  // (the built-in string).
  std::vector<std::string> Add(std::string_view text, const std::string& source,
                               bool built_in = false, bool is_static = false);

  // Whether `key` (a Normalize()d word or phrase) is a member of a group.
  bool Contains(std::string_view key) const;
  // The groups holding `key` (indexes into groups(), ascending); empty when
  // none.
  std::vector<uint32_t> GroupsOf(std::string_view key) const;
  const std::vector<Group>& groups() const { return groups_; }

  // Most words in one normalised member: the longest phrase worth trying.
  size_t max_words() const { return max_words_; }

  bool empty() const { return index_.empty(); }

  // Lower-cases ASCII letters, turns '-' and '_' into spaces and collapses
  // runs of spaces: "Key-Value" -> "key value". CJK text is kept as is.
  static std::string Normalize(std::string_view phrase);

 private:
  // Loading is part of every search, so it makes a handful of allocations,
  // not several per member: members and most keys are views into the text,
  // and the key index is one sorted array, not a hash map of vectors. The
  // alternatives of a member are put together only when it is looked up.
  std::vector<Group> groups_;
  // (normalised member, group) pairs, sorted: the groups of a key are one
  // run, in ascending order.
  using Index = std::vector<std::pair<std::string_view, uint32_t>>;
  Index index_;
  // Users' files and the normalised keys that differ from the member as
  // written. A deque never moves its strings, so the views stay valid.
  std::deque<std::string> owned_;
  size_t max_words_ = 0;

  // The first entry of index_ not less than `key`.
  Index::const_iterator Find(std::string_view key) const;
};

// The term paperindex writes for a built-in group: schema's kSynonymGroup
// and the group's first member, normalised ("XSkv cache").
std::string GroupTerm(const Synonyms::Group& group);

// `text` as the query parser reads bare words, without the query syntax:
// each word stemmed (STEM_SOME) under each of kBareWordPrefixes, all words
// required.
Xapian::Query BareWordsQuery(const std::string& text);

// A member of a group as BareWordsQuery reads it: the stemmed word, or
// (several words, or CJK text) a phrase. What a query finds for the member,
// and so what the indexer counts for the group's term.
Xapian::Query MemberQuery(std::string_view member);

// True when MemberQuery reads `member` as a phrase: several words, '-' or
// '_', or anything not ASCII (CJK text).
bool IsPhraseMember(std::string_view member);

// True when MemberQuery reads `member` as one stemmed word (not a phrase,
// and not capitalised, which the parser does not stem). Any bare word that
// normalises to it matches a subset of what the member matches.
bool IsStemmedWordMember(std::string_view member);

// The words of MemberQuery(member) as snippets mark them (lower case,
// stemmed as the parser stems a single word, CJK text as single
// characters), without running the query parser, which costs more than the
// search saves by reading a group's term.
std::vector<std::string> MemberWords(std::string_view member);

// A fingerprint of the built-in groups (kDefaultSynonyms), which paperindex
// keeps in the database (schema::kSynonymsKey).
const std::string& SynonymsFingerprint();

// The built-in groups (common/synonyms.txt, embedded at build time), then
// the file named by `env_path` ($PAPERSEARCH_SYNONYMS; "" when unset), then
// `db_dir`/synonyms.txt if it exists. Messages for the user (an unreadable
// $PAPERSEARCH_SYNONYMS file, malformed lines) are appended to `notices`.
// Never throws.
Synonyms LoadSynonyms(const std::string& env_path, const std::string& db_dir,
                      std::vector<std::string>* notices);

// The built-in groups alone, parsed once. Thread-safe.
const Synonyms& BuiltInSynonyms();

}  // namespace papersearch

#endif  // PAPERSEARCH_COMMON_SYNONYMS_H_
