// Synonyms and abbreviations applied to queries: groups of words or phrases
// that mean the same ("kv cache", "key-value cache", "KVCache"), read from
// the built-in common/synonyms.txt and from users' files in its format.
#ifndef PAPERSEARCH_COMMON_SYNONYMS_H_
#define PAPERSEARCH_COMMON_SYNONYMS_H_

#include <xapian.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace papersearch {

// The file papersearch looks for beside the database (so in a collection's
// `.papersearch/` by default).
inline constexpr char kSynonymsFileName[] = "synonyms.txt";

class Synonyms {
 public:
  struct Group {
    // As written in the file, each once (after Normalize).
    std::vector<std::string> members;
    // From the built-in file (kDefaultSynonyms), whose groups paperindex
    // writes a term for.
    bool built_in = false;
  };

  // Adds the groups in `text`: one group per line, members separated by
  // commas, `#` comments and blank lines ignored. A member that is in
  // several groups gets the alternatives of all of them. Returns one message
  // per malformed line ("SOURCE:LINE: ..."); the other lines still count.
  std::vector<std::string> Add(std::string_view text, const std::string& source,
                               bool built_in = false);

  // Whether `key` (a Normalize()d word or phrase) is a member of a group.
  bool Contains(const std::string& key) const {
    return groups_of_.contains(key);
  }
  // The groups holding `key` (indexes into groups()); empty when none.
  const std::vector<uint32_t>& GroupsOf(const std::string& key) const;
  const std::vector<Group>& groups() const { return groups_; }

  // Most words in one normalised member: the longest phrase worth trying.
  size_t max_words() const { return max_words_; }

  bool empty() const { return groups_of_.empty(); }

  // Lower-cases ASCII letters, turns '-' and '_' into spaces and collapses
  // runs of spaces: "Key-Value" -> "key value". CJK text is kept as is.
  static std::string Normalize(std::string_view phrase);

 private:
  // Each group once, as written (loading is part of every search, so the
  // alternatives of a member are put together only when it is looked up).
  std::vector<Group> groups_;
  // Normalised member -> the groups holding it.
  std::unordered_map<std::string, std::vector<uint32_t>> groups_of_;
  size_t max_words_ = 0;
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
Xapian::Query MemberQuery(const std::string& member);

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
std::vector<std::string> MemberWords(const std::string& member);

// A fingerprint of the built-in groups (kDefaultSynonyms), which paperindex
// keeps in the database (schema::kSynonymsKey).
const std::string& SynonymsFingerprint();

// The built-in groups (common/synonyms.txt, embedded at build time), then
// the file named by `env_path` ($PAPERSEARCH_SYNONYMS; "" when unset), then
// `db_dir`/synonyms.txt if it exists. Messages for the user (an unreadable
// $PAPERSEARCH_SYNONYMS file, malformed lines) are appended to `notices`.
// Never throws.
Synonyms LoadSynonyms(const std::string& env_path,
                      const std::filesystem::path& db_dir,
                      std::vector<std::string>* notices);

// The built-in groups alone, parsed once. Thread-safe.
const Synonyms& BuiltInSynonyms();

}  // namespace papersearch

#endif  // PAPERSEARCH_COMMON_SYNONYMS_H_
