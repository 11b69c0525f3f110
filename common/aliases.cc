#include "common/aliases.h"

#include "common/aliases_default.h"
#include "common/file_reader.h"
#include "schema.h"

namespace papersearch {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string WithoutThe(std::string folded) {
  if (folded.starts_with("the ")) folded.erase(0, 4);
  return folded;
}

}  // namespace

void Aliases::Join(const Alias& alias) {
  if (alias.kind != "institution") return;
  std::vector<std::string> names{WithoutThe(alias.alias)};
  for (const std::string& name : alias.names) {
    names.push_back(WithoutThe(schema::FoldForFilter(name)));
  }
  // The key of a name already in a group wins; every other name of the
  // line, and every name of a group it meets, takes it.
  std::string key = names[1];
  for (const std::string& name : names) {
    if (auto it = same_.find(name); it != same_.end()) {
      key = it->second;
      break;
    }
  }
  for (const std::string& name : names) {
    auto [it, added] = same_.emplace(name, key);
    if (!added && it->second != key) {
      const std::string old = it->second;
      for (auto& [other, other_key] : same_) {
        if (other_key == old) other_key = key;
      }
    }
  }
}

std::string Aliases::SpellingKey(std::string_view kind,
                                 std::string_view value) const {
  std::string folded = schema::FoldForFilter(value);
  if (kind != "institution") return folded;
  folded = WithoutThe(std::move(folded));
  if (auto it = same_.find(folded); it != same_.end()) return it->second;
  return folded;
}

std::vector<std::string> Aliases::SameNames(std::string_view kind,
                                            std::string_view value) const {
  std::vector<std::string> names;
  if (kind != "institution") return names;
  const std::string folded = schema::FoldForFilter(value);
  const std::string bare = WithoutThe(folded);
  names.push_back(bare == folded ? "the " + bare : bare);
  const std::string key = SpellingKey(kind, value);
  for (const auto& [name, name_key] : same_) {
    if (name_key == key && name != bare) {
      names.push_back(name);
      names.push_back("the " + name);
    }
  }
  return names;
}

std::vector<std::string> Aliases::Add(std::string_view text,
                                      const std::string& source) {
  std::vector<std::string> messages;
  auto complain = [&](size_t line_number, const std::string& why) {
    messages.push_back(source + ":" + std::to_string(line_number) + ": " + why);
  };
  for (size_t line_number = 1; !text.empty(); ++line_number) {
    const size_t end = text.find('\n');
    std::string_view line = Trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty() || line.front() == '#') continue;
    const size_t colon = line.find(':');
    const size_t equals = line.find('=');
    if (colon == std::string_view::npos || equals == std::string_view::npos ||
        equals < colon) {
      complain(line_number,
               "expected 'institution: ALIAS = NAME; NAME ...' or "
               "'venue: ALIAS = NAME; ...'");
      continue;
    }
    Alias alias;
    alias.kind = std::string(Trim(line.substr(0, colon)));
    if (alias.kind != "institution" && alias.kind != "venue") {
      complain(line_number, "unknown kind '" + alias.kind +
                                "'; an alias is for an 'institution' or a "
                                "'venue'");
      continue;
    }
    alias.alias =
        schema::FoldForFilter(Trim(line.substr(colon + 1, equals - colon - 1)));
    std::string_view rest = line.substr(equals + 1);
    while (!rest.empty()) {
      const size_t semicolon = rest.find(';');
      std::string_view name = Trim(rest.substr(0, semicolon));
      rest.remove_prefix(semicolon == std::string_view::npos ? rest.size()
                                                             : semicolon + 1);
      if (!name.empty()) alias.names.emplace_back(name);
    }
    if (alias.alias.empty() || alias.names.empty()) {
      complain(line_number, alias.alias.empty() ? "no alias before '='"
                                                : "no name after '='");
      continue;
    }
    Join(alias);
    aliases_.push_back(std::move(alias));
  }
  return messages;
}

std::vector<std::string> Aliases::Targets(std::string_view kind,
                                          std::string_view alias) const {
  const std::string folded = schema::FoldForFilter(alias);
  std::vector<std::string> names;
  for (const Alias& entry : aliases_) {
    if (entry.kind == kind && entry.alias == folded) {
      names.insert(names.end(), entry.names.begin(), entry.names.end());
    }
  }
  return names;
}

const Aliases& BuiltInAliases() {
  static const Aliases* const kBuiltIn = [] {
    auto* aliases = new Aliases;
    aliases->Add(kDefaultAliases, "common/aliases.txt");
    return aliases;
  }();
  return *kBuiltIn;
}

Aliases LoadAliases(const std::string& env_path, const std::string& db_dir,
                    std::vector<std::string>* notices) {
  Aliases aliases = BuiltInAliases();
  for (const SettingsFile& file : ReadSettingsFiles(
           env_path, "PAPERSEARCH_ALIASES", db_dir, kAliasesFileName, "aliases",
           kMaxAliasesBytes, notices)) {
    for (std::string& message : aliases.Add(file.text, file.source)) {
      notices->push_back(std::move(message));
    }
  }
  return aliases;
}

}  // namespace papersearch
