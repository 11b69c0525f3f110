#include "common/names.h"

#include <xapian.h>

#include <algorithm>

namespace papersearch {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

// The ASCII letters of a lower-case Latin-1 or Latin Extended-A letter,
// or nullptr for any other code point.
const char* Unaccented(unsigned ch) {
  // U+00E0..U+00FF, lower case (upper case is lowered first).
  static const char* const kLatin1[] = {
      "a", "a",     "a", "a", "a", "a", "ae", "c", "e",  "e", "e",
      "e", "i",     "i", "i", "i", "d", "n",  "o", "o",  "o", "o",
      "o", nullptr, "o", "u", "u", "u", "u",  "y", "th", "y"};
  if (ch == 0xdf) return "ss";
  if (ch >= 0xe0 && ch <= 0xff) return kLatin1[ch - 0xe0];
  // U+0100..U+017F: the base letter of each (NFD's first code point, and
  // by hand for the letters without a decomposition: đ, ħ, ı, ĳ, ĸ, ŀ, ł,
  // ŉ, ŋ, œ, ŧ, ſ).
  static const char kExtendedA[] =
      "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkklllllll"
      "lllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
  if (ch >= 0x100 && ch <= 0x17f) {
    // Each entry is one letter: a pointer into a string of them.
    static const char kLetters[] =
        "a\0b\0c\0d\0e\0f\0g\0h\0i\0j\0k\0l\0m\0n\0o\0p\0q\0r\0s\0t\0u\0v\0w\0x"
        "\0y\0z";
    return kLetters + 2 * (kExtendedA[ch - 0x100] - 'a');
  }
  return nullptr;
}

// The words of a folded name: runs of letters, digits and non-ASCII.
std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  size_t i = 0;
  auto word_byte = [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
  };
  while (i < text.size()) {
    while (i < text.size() && !word_byte(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
    const size_t start = i;
    while (i < text.size() && word_byte(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

}  // namespace

std::string ShortAuthorList(const std::vector<std::string>& names) {
  std::string line;
  for (size_t i = 0; i < names.size() && i < kShownAuthors; ++i) {
    if (i > 0) line += ", ";
    line += names[i];
  }
  if (names.size() > kShownAuthors) line += " et al.";
  return line;
}

std::string Acronym(std::string_view folded) {
  static const std::string_view kSkipped[] = {"of",  "the", "and", "at",
                                              "for", "in",  "de"};
  const std::vector<std::string_view> words = Words(folded);
  if (words.size() < 2) return "";
  std::string acronym;
  for (std::string_view word : words) {
    if (std::find(std::begin(kSkipped), std::end(kSkipped), word) !=
        std::end(kSkipped)) {
      continue;
    }
    if (static_cast<unsigned char>(word.front()) >= 0x80) return "";
    acronym.push_back(word.front());
  }
  return acronym.size() >= 2 ? acronym : "";
}

bool ContainsWords(std::string_view name, std::string_view part) {
  std::vector<std::string_view> words = Words(name);
  const std::vector<std::string_view> wanted = Words(part);
  if (wanted.empty() || wanted.size() > words.size()) return false;
  if (wanted.size() == 1) {
    return std::find(words.begin(), words.end(), wanted.front()) != words.end();
  }
  // Several words are a name's start: "microsoft research" is in
  // "microsoft research asia", but "university of hong kong" is not in
  // "chinese university of hong kong".
  if (words.front() == "the" && wanted.front() != "the") {
    words.erase(words.begin());
  }
  return words.size() >= wanted.size() &&
         std::equal(wanted.begin(), wanted.end(), words.begin());
}

std::vector<std::string> SplitAuthorField(std::string_view field) {
  std::vector<std::string> names;
  auto add = [&](std::string_view part) {
    part = Trim(part);
    if (part.starts_with("and ")) part = Trim(part.substr(4));
    if (!part.empty()) names.emplace_back(part);
  };
  size_t start = 0;
  for (size_t i = 0; i <= field.size(); ++i) {
    const bool end = i == field.size();
    if (end || field[i] == ',' || field[i] == ';') {
      add(field.substr(start, i - start));
      start = i + 1;
    } else if (field.compare(i, 5, " and ") == 0 ||
               field.compare(i, 3, " & ") == 0) {
      add(field.substr(start, i - start));
      start = i + (field[i + 1] == '&' ? 3 : 5);
      i = start - 1;
    }
  }
  return names;
}

std::string FoldName(std::string_view name) {
  std::string out;
  bool space = false;
  auto put = [&](std::string_view letters) {
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.append(letters);
  };
  for (Xapian::Utf8Iterator it(name.data(), name.size()), end; it != end;
       ++it) {
    unsigned ch = Xapian::Unicode::tolower(*it);
    if (ch == '.' || ch == '-' || ch == '_' || ch == ',' ||
        Xapian::Unicode::is_whitespace(ch)) {
      space = true;
    } else if (ch < 0x80) {
      put(std::string(1, static_cast<char>(ch)));
    } else if (const char* plain = Unaccented(ch)) {
      put(plain);
    } else {
      std::string utf8;
      Xapian::Unicode::append_utf8(utf8, ch);
      put(utf8);
    }
  }
  return out;
}

std::string WithoutMiddleInitials(std::string_view folded) {
  std::vector<std::string_view> words;
  size_t start = 0;
  while (start <= folded.size()) {
    size_t end = folded.find(' ', start);
    if (end == std::string_view::npos) end = folded.size();
    if (end > start) words.push_back(folded.substr(start, end - start));
    start = end + 1;
  }
  if (words.size() < 3) return std::string(folded);
  std::string out(words.front());
  for (size_t i = 1; i + 1 < words.size(); ++i) {
    if (words[i].size() == 1) continue;
    out += ' ';
    out += words[i];
  }
  out += ' ';
  out += words.back();
  return out;
}

std::vector<std::string> NameKeys(std::string_view name) {
  std::vector<std::string> keys{FoldName(name)};
  std::string short_form = WithoutMiddleInitials(keys.front());
  if (short_form != keys.front()) keys.push_back(std::move(short_form));
  return keys;
}

}  // namespace papersearch
