#include "common/synonyms.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include "common/synonyms_default.h"
#include "common/utf8.h"
#include "schema.h"

namespace papersearch {
namespace {

size_t WordCount(const std::string& normalized) {
  return normalized.empty()
             ? 0
             : 1 + std::count(normalized.begin(), normalized.end(), ' ');
}

// Reads a whole file; false when it cannot be opened.
bool ReadWholeFile(const std::filesystem::path& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *text = buffer.str();
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
                                       const std::string& source,
                                       bool built_in) {
  std::vector<std::string> messages;
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view()
                                         : text.substr(end + 1);
    line = TrimAsciiSpace(line);
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string> members;
    std::vector<std::string> keys;
    while (true) {
      size_t comma = line.find(',');
      std::string_view member = TrimAsciiSpace(line.substr(0, comma));
      std::string key = Normalize(member);
      if (!key.empty() &&
          std::find(keys.begin(), keys.end(), key) == keys.end()) {
        members.emplace_back(member);
        keys.push_back(std::move(key));
      }
      if (comma == std::string_view::npos) break;
      line.remove_prefix(comma + 1);
    }
    if (members.size() < 2) {
      messages.push_back(source + ":" + std::to_string(line_number) +
                         ": a synonym group needs at least two different "
                         "members separated by commas");
      continue;
    }
    const auto group = static_cast<uint32_t>(groups_.size());
    groups_.push_back({std::move(members), built_in});
    for (std::string& key : keys) {
      max_words_ = std::max(max_words_, WordCount(key));
      groups_of_[std::move(key)].push_back(group);
    }
  }
  return messages;
}

const std::vector<uint32_t>& Synonyms::GroupsOf(const std::string& key) const {
  static const std::vector<uint32_t> kNone;
  auto found = groups_of_.find(key);
  return found == groups_of_.end() ? kNone : found->second;
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
  parser.set_stemmer(Xapian::Stem("english"));
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.set_default_op(Xapian::Query::OP_AND);
  for (const char* bare : schema::kBareWordPrefixes)
    parser.add_prefix("", bare);
  return parser.parse_query(text, Xapian::QueryParser::FLAG_PHRASE |
                                      Xapian::QueryParser::FLAG_CJK_NGRAM);
}

Xapian::Query MemberQuery(const std::string& member) {
  return BareWordsQuery(IsPhraseMember(member) ? "\"" + member + "\"" : member);
}

std::vector<std::string> MemberWords(const std::string& member) {
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
    add(capital ? lower : Xapian::Stem("english")(lower));
    return words;
  }
  std::string word;
  for (Xapian::Utf8Iterator it(member), end; it != end; ++it) {
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

Synonyms LoadSynonyms(const std::string& env_path,
                      const std::filesystem::path& db_dir,
                      std::vector<std::string>* notices) {
  Synonyms synonyms;
  auto add = [&](std::string_view text, const std::string& source,
                 bool built_in = false) {
    for (std::string& message : synonyms.Add(text, source, built_in)) {
      notices->push_back(std::move(message));
    }
  };
  add(kDefaultSynonyms, "common/synonyms.txt (built in)", true);
  std::string text;
  if (!env_path.empty()) {
    if (ReadWholeFile(env_path, &text)) {
      add(text, env_path);
    } else {
      notices->push_back("cannot read the synonyms file " + env_path +
                         " named by PAPERSEARCH_SYNONYMS; using the built-in "
                         "synonyms");
    }
  }
  std::error_code ec;
  std::filesystem::path beside_db = db_dir / kSynonymsFileName;
  if (!db_dir.empty() && std::filesystem::is_regular_file(beside_db, ec)) {
    if (ReadWholeFile(beside_db, &text)) {
      add(text, beside_db.string());
    } else {
      notices->push_back("cannot read the synonyms file " + beside_db.string());
    }
  }
  return synonyms;
}

const Synonyms& BuiltInSynonyms() {
  static const Synonyms* const kBuiltIn = [] {
    auto* synonyms = new Synonyms;
    synonyms->Add(kDefaultSynonyms, "common/synonyms.txt", true);
    return synonyms;
  }();
  return *kBuiltIn;
}

}  // namespace papersearch
