// Institutions and venues as people name them where no rule derives it:
// "PKU" for Peking University, "NIPS" for NeurIPS. The built-in table is
// common/aliases.txt; users add their own lines in its format, as they add
// synonyms (GUIDE.md, "Filters").
#ifndef PAPERSEARCH_COMMON_ALIASES_H_
#define PAPERSEARCH_COMMON_ALIASES_H_

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace papersearch {

// The file papersearch looks for beside the database.
inline constexpr char kAliasesFileName[] = "aliases.txt";

// The largest aliases file read.
inline constexpr size_t kMaxAliasesBytes = 4 << 20;

class Aliases {
 public:
  // Adds the aliases in `text`: one a line, `KIND: ALIAS = NAME; NAME ...`
  // with KIND `institution` or `venue`; `#` comments and blank lines
  // ignored. Returns one message per malformed line ("SOURCE:LINE: ...");
  // the other lines still count.
  std::vector<std::string> Add(std::string_view text,
                               const std::string& source);

  // The names given for `alias` of `kind` ("institution" or "venue"),
  // compared as filters compare values (schema::FoldForFilter), in the
  // order added: "PKU" -> {"Peking University"}. Empty when none.
  std::vector<std::string> Targets(std::string_view kind,
                                   std::string_view alias) const;

  // The key under which spellings of one institution count as one name in
  // facets and --group-by: its folded form (schema::FoldForFilter) without
  // a leading "the ", or, when a line lists it (as the alias or a name), the
  // first name of its lines' group (lines that share a name are one group):
  // "UC Berkeley" and "University of California, Berkeley" have one key,
  // as have "The University of Texas at Austin" and "University of Texas at
  // Austin". Institutions only; a venue's key is its folded form.
  std::string SpellingKey(std::string_view kind, std::string_view value) const;

  // The other folded names (without "the ") of `value`'s spelling group
  // (SpellingKey), and `value` itself without or with "the ": the names a
  // filter for `value` also takes.
  std::vector<std::string> SameNames(std::string_view kind,
                                     std::string_view value) const;

  // Whether `alias` of `kind` has a line of its own.
  bool Has(std::string_view kind, std::string_view alias) const {
    return !Targets(kind, alias).empty();
  }

 private:
  struct Alias {
    std::string kind;
    std::string alias;  // folded
    std::vector<std::string> names;
  };
  std::vector<Alias> aliases_;
  // Folded institution name (without "the ") -> its group's key; built by
  // Add.
  std::unordered_map<std::string, std::string> same_;
  void Join(const Alias& alias);
};

// The built-in table (common/aliases.txt, embedded at build time), parsed
// once. Thread-safe.
const Aliases& BuiltInAliases();

// The built-in table, then the file named by `env_path` ($PAPERSEARCH_ALIASES;
// "" when unset), then `db_dir`/aliases.txt if it exists. Messages for the
// user (an unreadable file, malformed lines) are appended to `notices`.
// Never throws.
Aliases LoadAliases(const std::string& env_path, const std::string& db_dir,
                    std::vector<std::string>* notices);

}  // namespace papersearch

#endif  // PAPERSEARCH_COMMON_ALIASES_H_
