#include "common/synonyms.h"

#include <algorithm>

#include "common/file_reader.h"
#include "common/synonyms_default.h"
#include "common/utf8.h"
#include "schema.h"

namespace papersearch {
namespace {

size_t WordCount(std::string_view normalized) {
  return normalized.empty()
             ? 0
             : 1 + std::count(normalized.begin(), normalized.end(), ' ');
}

// Whether Normalize(member) == member: no capital ASCII letter, '-', '_' or
// tab, and single spaces between words only.
bool IsNormalized(std::string_view member) {
  if (!member.empty() && (member.front() == ' ' || member.back() == ' '))
    return false;
  char previous = 0;
  for (char c : member) {
    if ((c >= 'A' && c <= 'Z') || c == '-' || c == '_' || c == '\t' ||
        (c == ' ' && previous == ' ')) {
      return false;
    }
    previous = c;
  }
  return true;
}

}  // namespace

std::string Synonyms::Normalize(std::string_view phrase) {
  std::string out;
  bool pending_space = false;
  for (char c : phrase) {
    if (c == '-' || c == '_' || c == ' ' || c == '\t') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

std::vector<std::string> Synonyms::Add(std::string_view text,
                                       const std::string& source, bool built_in,
                                       bool is_static) {
  if (!is_static) text = owned_.emplace_back(text);
  // One allocation for the index, and one per group for its members.
  index_.reserve(index_.size() + std::count(text.begin(), text.end(), ',') +
                 std::count(text.begin(), text.end(), '\n') + 1);
  std::vector<std::string> messages;
  std::vector<std::string_view> keys;
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view()
                                         : text.substr(end + 1);
    line = TrimAsciiSpace(line);
    if (line.empty() || line.front() == '#') continue;
    Group group{{}, built_in};
    group.members.reserve(std::count(line.begin(), line.end(), ',') + 1);
    keys.clear();
    while (true) {
      size_t comma = line.find(',');
      std::string_view member = TrimAsciiSpace(line.substr(0, comma));
      std::string normalized;
      std::string_view key = member;
      if (!IsNormalized(member)) key = normalized = Normalize(member);
      if (!key.empty() &&
          std::find(keys.begin(), keys.end(), key) == keys.end()) {
        if (!normalized.empty())
          key = owned_.emplace_back(std::move(normalized));
        group.members.push_back(member);
        keys.push_back(key);
      }
      if (comma == std::string_view::npos) break;
      line.remove_prefix(comma + 1);
    }
    if (group.members.size() < 2) {
      messages.push_back(source + ":" + std::to_string(line_number) +
                         ": a synonym group needs at least two different "
                         "members separated by commas");
      continue;
    }
    const auto id = static_cast<uint32_t>(groups_.size());
    groups_.push_back(std::move(group));
    for (std::string_view key : keys) {
      max_words_ = std::max(max_words_, WordCount(key));
      index_.emplace_back(key, id);
    }
  }
  std::sort(index_.begin(), index_.end());
  return messages;
}

Synonyms::Index::const_iterator Synonyms::Find(std::string_view key) const {
  return std::lower_bound(
      index_.begin(), index_.end(), key,
      [](const auto& entry, std::string_view k) { return entry.first < k; });
}

bool Synonyms::Contains(std::string_view key) const {
  auto found = Find(key);
  return found != index_.end() && found->first == key;
}

std::vector<uint32_t> Synonyms::GroupsOf(std::string_view key) const {
  std::vector<uint32_t> groups;
  for (auto it = Find(key); it != index_.end() && it->first == key; ++it)
    groups.push_back(it->second);
  return groups;
}

std::string GroupTerm(const Synonyms::Group& group) {
  return schema::prefix::kSynonymGroup + Synonyms::Normalize(group.members[0]);
}

bool IsPhraseMember(std::string_view member) {
  return member.find_first_of(" \t-_") != std::string_view::npos ||
         std::any_of(member.begin(), member.end(),
                     [](unsigned char c) { return c >= 0x80; });
}

bool IsStemmedWordMember(std::string_view member) {
  return !member.empty() && !IsPhraseMember(member) &&
         !(member[0] >= 'A' && member[0] <= 'Z');
}

Xapian::Query BareWordsQuery(const std::string& text) {
  Xapian::QueryParser parser;
  parser.set_stemmer(schema::Stemmer());
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.set_default_op(Xapian::Query::OP_AND);
  for (const char* bare : schema::kBareWordPrefixes)
    parser.add_prefix("", bare);
  return parser.parse_query(text, Xapian::QueryParser::FLAG_PHRASE |
                                      Xapian::QueryParser::FLAG_CJK_NGRAM);
}

Xapian::Query MemberQuery(std::string_view member) {
  std::string text(member);
  return BareWordsQuery(IsPhraseMember(member) ? "\"" + text + "\"" : text);
}

std::vector<std::string> MemberWords(std::string_view member) {
  std::vector<std::string> words;
  auto add = [&words](std::string word) {
    if (!word.empty() &&
        std::find(words.begin(), words.end(), word) == words.end()) {
      words.push_back(std::move(word));
    }
  };
  if (!IsPhraseMember(member)) {
    // The parser stems a word unless it starts with a capital (STEM_SOME).
    const bool capital = member[0] >= 'A' && member[0] <= 'Z';
    std::string lower = AsciiLower(member);
    add(capital ? lower : schema::Stemmer()(lower));
    return words;
  }
  std::string word;
  for (Xapian::Utf8Iterator it(member.data(), member.size()), end; it != end;
       ++it) {
    const unsigned ch = *it;
    const bool word_char = (ch >= 'a' && ch <= 'z') ||
                           (ch >= 'A' && ch <= 'Z') ||
                           (ch >= '0' && ch <= '9') || ch == '_';
    if (IsCjk(ch)) {
      add(AsciiLower(word));
      word.clear();
      std::string cjk;
      Xapian::Unicode::append_utf8(cjk, ch);
      add(std::move(cjk));
    } else if (word_char || ch >= 0x80) {
      Xapian::Unicode::append_utf8(word, ch);
    } else {
      add(AsciiLower(word));
      word.clear();
    }
  }
  add(AsciiLower(word));
  return words;
}

const std::string& SynonymsFingerprint() {
  static const std::string kFingerprint = [] {
    // FNV-1a, 64 bits: stable across machines, compilers and runs.
    uint64_t h = 14695981039346656037ull;
    for (unsigned char c : std::string_view(kDefaultSynonyms)) {
      h ^= c;
      h *= 1099511628211ull;
    }
    std::string hex(16, '0');
    for (int i = 15; i >= 0; --i, h >>= 4) hex[i] = "0123456789abcdef"[h & 15];
    return hex;
  }();
  return kFingerprint;
}

Synonyms LoadSynonyms(const std::string& env_path, const std::string& db_dir,
                      std::vector<std::string>* notices) {
  Synonyms synonyms;
  auto add = [&](std::string_view text, const std::string& source,
                 bool built_in = false) {
    // Only the built-in text is static; a file's text is copied.
    for (std::string& message :
         synonyms.Add(text, source, built_in, /*is_static=*/built_in)) {
      notices->push_back(std::move(message));
    }
  };
  add(kDefaultSynonyms, "common/synonyms.txt (built in)", true);
  for (const SettingsFile& file : ReadSettingsFiles(
           env_path, "PAPERSEARCH_SYNONYMS", db_dir, kSynonymsFileName,
           "synonyms", kMaxSynonymsBytes, notices)) {
    add(file.text, file.source);
  }
  return synonyms;
}

const Synonyms& BuiltInSynonyms() {
  static const Synonyms* const kBuiltIn = [] {
    auto* synonyms = new Synonyms;
    synonyms->Add(kDefaultSynonyms, "common/synonyms.txt", true, true);
    return synonyms;
  }();
  return *kBuiltIn;
}

}  // namespace papersearch
