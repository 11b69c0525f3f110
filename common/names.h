// People's names as a paper list writes them and as people type them.
//
// Records list authors one per field, but some keep them all in one string
// ("Ji Lin, Jiaming Tang, ..., and Song Han"); the index splits such
// strings and leaves the record as it is. A name is matched with its case
// and accents folded ("Schölkopf" is "scholkopf") and with or without its
// middle initials ("Joseph Gonzalez" finds "Joseph E. Gonzalez").
#ifndef PAPERSEARCH_COMMON_NAMES_H_
#define PAPERSEARCH_COMMON_NAMES_H_

#include <string>
#include <string_view>
#include <vector>

namespace papersearch {

// The names in the authors of a record, in order: each field split at
// commas, semicolons, " and " and " & ", trimmed, empty parts dropped.
// Fields holding one name come back as they are.
template <typename Range>
std::vector<std::string> SplitAuthors(const Range& fields);

// One field's names (see SplitAuthors).
std::vector<std::string> SplitAuthorField(std::string_view field);

// "Ji Lin, Jiaming Tang, Haotian Tang et al.": the first kShownAuthors of
// `names` (SplitAuthors), "" for none. For text and Markdown output.
inline constexpr size_t kShownAuthors = 3;
std::string ShortAuthorList(const std::vector<std::string>& names);

// `name` as matched: lower case, accents off Latin letters (é -> e, ø -> o,
// ß -> ss), dots and hyphens as spaces, one space between words.
std::string FoldName(std::string_view name);

// A folded name without the single letters between its first and last word
// ("joseph e gonzalez" -> "joseph gonzalez"); the name itself when it has
// none.
std::string WithoutMiddleInitials(std::string_view folded);

// The folded forms a name is found by: FoldName and, when different, its
// WithoutMiddleInitials.
std::vector<std::string> NameKeys(std::string_view name);

// Institutions and venues as people name them (with common/aliases.h).
//
// The acronym of a folded name: the first letter of each word but "of",
// "the", "and", "at", "for", "in", "de" ("massachusetts institute of
// technology" -> "mit", "the chinese university of hong kong" -> "cuhk").
// Words are runs of letters and digits. "" for a name of one word.
std::string Acronym(std::string_view folded);

// Whether `part` names a part of `name` (both folded; words are runs of
// letters and digits): one word anywhere in it ("berkeley" is in
// "university of california, berkeley"), several words as its start, after
// a "the" ("microsoft research" is in "microsoft research asia", "university
// of hong kong" in "the university of hong kong" but not in "chinese
// university of hong kong").
bool ContainsWords(std::string_view name, std::string_view part);

template <typename Range>
std::vector<std::string> SplitAuthors(const Range& fields) {
  std::vector<std::string> names;
  for (const auto& field : fields) {
    for (std::string& name : SplitAuthorField(field)) {
      names.push_back(std::move(name));
    }
  }
  return names;
}

}  // namespace papersearch

#endif  // PAPERSEARCH_COMMON_NAMES_H_
