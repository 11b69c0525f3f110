#include "searcher/query_text.h"

#include <xapian.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include "common/utf8.h"
#include "schema.h"

namespace papersearch {

// The number N of a marker `<field>:N` (MarkKeywordValues,
// MarkSynonymSpans) when it is one of the `count` the text was given;
// nullopt for anything else, such as a number the user typed.
std::optional<size_t> MarkerIndex(const std::string& number, size_t count) {
  size_t index = 0;
  auto [ptr, ec] =
      std::from_chars(number.data(), number.data() + number.size(), index);
  if (ec != std::errc() || ptr != number.data() + number.size() ||
      index >= count) {
    return std::nullopt;
  }
  return index;
}

bool IsOperator(std::string_view word) {
  return word == "AND" || word == "OR" || word == "NOT" || word == "XOR" ||
         word == "NEAR" || word == "ADJ";
}

bool IsProximityOperator(std::string_view word) {
  if (word.starts_with("NEAR") || word.starts_with("ADJ")) {
    std::string_view rest = word.substr(word[0] == 'N' ? 4 : 3);
    return rest.empty() ||
           (rest[0] == '/' && rest.size() > 1 &&
            rest.find_first_not_of("0123456789", 1) == std::string_view::npos);
  }
  return false;
}

CodePoint CodePointAt(std::string_view text, size_t pos) {
  Xapian::Utf8Iterator it;  // assign(): GCC 12 sees nothing uninitialized
  it.assign(text.data() + pos, text.size() - pos);
  const unsigned ch = *it;
  ++it;
  return {ch, static_cast<size_t>(it.raw() - (text.data() + pos))};
}

namespace {

// True when the parser reads `name:` as a field: the query's fields and our
// markers; otherwise `name:x` is words (`n:m`, `2:4`).
bool IsFieldName(std::string_view name) {
  return schema::IsQueryFieldName(name) || name == kKeywordField ||
         name == kSynonymField;
}

// NEAR, NEAR/3, ADJ, ADJ/2.

// The double quotes Xapian's parser opens and closes phrases with (1.4.22:
// '"', U+201C and U+201D), and the other two of their block, which it may
// one day: taking too many for quotes is safe here (see MarkKeywordValues).
bool IsDoubleQuote(unsigned ch) {
  return ch == '"' || (ch >= 0x201C && ch <= 0x201F);
}

// Characters that join the words either side into a phrase (`kv-cache`).
bool IsPhraseGenerator(unsigned ch) {
  return ch == '.' || ch == '-' || ch == '/' || ch == ':' || ch == '\\' ||
         ch == '@';
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

// The end of the phrase opened by the double quote at `pos`: just past its
// closing quote, or the end of the text (Xapian closes an unclosed quote
// there). `*close`, when given, is where the closing quote starts, or the
// end of the text.
size_t QuotedEnd(std::string_view text, size_t pos, size_t* close = nullptr) {
  pos += CodePointAt(text, pos).size;
  while (pos < text.size()) {
    const CodePoint cp = CodePointAt(text, pos);
    if (IsDoubleQuote(cp.ch)) {
      if (close != nullptr) *close = pos;
      return pos + cp.size;
    }
    pos += cp.size;
  }
  if (close != nullptr) *close = text.size();
  return text.size();
}

// Just past the ')' that closes the '(' at `open` (quoted text skipped), or
// the end of the text when it is unclosed.
size_t GroupEnd(std::string_view text, size_t open) {
  size_t pos = open + 1;
  int depth = 1;
  while (pos < text.size()) {
    if (IsDoubleQuote(CodePointAt(text, pos).ch)) {
      pos = QuotedEnd(text, pos);
      continue;
    }
    if (text[pos] == '(') ++depth;
    if (text[pos] == ')' && --depth == 0) return pos + 1;
    ++pos;
  }
  return text.size();
}

// `keyword:(a "b c" -d)`, the group at `open` (its '('), as
// `(keyword:a keyword:"b c" -keyword:d)` when `field_name` is "keyword:":
// each word or phrase gets the field, as Xapian's parser gives a field to a
// group; AND, OR, NOT and XOR stay; NEAR and ADJ become AND (they take plain
// terms). A group of another field inside keeps its field (`title:(x)`);
// `keyword:(` inside is a plain
// group, so that nesting costs one pass. Sets `*end` just past the group's
// ')', or to the end of the text when it is unclosed.
std::string DistributeKeywordGroup(std::string_view text, size_t open,
                                   std::string_view field_name, size_t* end) {
  std::string out = "(";
  size_t pos = open + 1;
  int depth = 1;
  while (pos < text.size() && depth > 0) {
    if (IsAsciiSpace(text[pos])) {
      out += text[pos++];
      continue;
    }
    // One piece: leading '(' '+' '-', then a phrase or a word, then ')'s.
    while (pos < text.size() &&
           (text[pos] == '(' || text[pos] == '+' || text[pos] == '-')) {
      if (text[pos] == '(') ++depth;
      out += text[pos++];
    }
    const size_t start = pos;
    if (pos < text.size() && IsDoubleQuote(CodePointAt(text, pos).ch)) {
      pos = QuotedEnd(text, pos);
    } else {
      while (pos < text.size() && !IsAsciiSpace(text[pos]) &&
             text[pos] != '(' && text[pos] != ')') {
        pos += CodePointAt(text, pos).size;
      }
    }
    const std::string_view core = text.substr(start, pos - start);
    const bool field_group =
        core.ends_with(':') && pos < text.size() && text[pos] == '(';
    if (core.empty() || (field_group && core == field_name)) {
      // Nothing before a '(' or ')', or `keyword:` inside its own group.
    } else if (field_group) {
      const size_t group_end = GroupEnd(text, pos);
      out += text.substr(start, group_end - start);
      pos = group_end;
    } else if (IsProximityOperator(core)) {
      out += "AND";
    } else if (IsOperator(core) || core.find(':') != std::string_view::npos) {
      out += core;  // an operator, or a word with its own field
    } else {
      out += field_name;
      out += core;
    }
    while (pos < text.size() && text[pos] == ')' && depth > 0) {
      --depth;
      out += text[pos++];
    }
  }
  if (depth > 0) out += ')';
  *end = pos;
  return out;
}

// Replaces each NEAR or ADJ beside a keyword value with AND: Xapian 1.4.22
// builds no query for NEAR between two field-processor terms (and crashes
// on `a +keyword:x NEAR keyword:y`), and cannot put one inside NEAR.
std::string ProximityBesideKeywordToAnd(const std::string& text,
                                        std::string_view field) {
  std::vector<std::pair<size_t, size_t>> words;  // offset, length
  for (size_t pos = 0; pos < text.size();) {
    while (pos < text.size() && IsAsciiSpace(text[pos])) ++pos;
    const size_t start = pos;
    while (pos < text.size() && !IsAsciiSpace(text[pos])) ++pos;
    if (pos > start) words.emplace_back(start, pos - start);
  }
  const std::string marker = std::string(field) + ":";
  auto has_field = [&](size_t i) {
    return i < words.size() && std::string_view(text)
                                       .substr(words[i].first, words[i].second)
                                       .find(marker) != std::string_view::npos;
  };
  std::string out;
  size_t copied = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    const auto [start, length] = words[i];
    if (!IsProximityOperator(std::string_view(text).substr(start, length)) ||
        !((i > 0 && has_field(i - 1)) || has_field(i + 1))) {
      continue;
    }
    out.append(text, copied, start - copied);
    out += "AND";
    copied = start + length;
  }
  out.append(text, copied);
  return out;
}

// MarkKeywordValues, for `text` and for each group it distributes,
// appending to `result`.
void MarkKeywordValuesInto(std::string_view text, const std::string& field,
                           MarkedKeywords* result) {
  static constexpr std::string_view kValueFields[] = {
      "keyword:", "inst:", "venue:"};
  const std::string reserved[] = {field + ":",
                                  kSynonymField + std::string(":")};
  std::string& out = result->text;
  bool in_quotes = false;
  bool after_word = false;  // the last code point was a (non-CJK) word char
  bool phrased = false;     // ...then phrase generators: `kv-`
  size_t pos = 0;
  while (pos < text.size()) {
    const std::string_view rest = text.substr(pos);
    if (!after_word) {
      // Our own field names, typed: words (their values are ours to give).
      bool was_reserved = false;
      for (const std::string& name : reserved) {
        if (!rest.starts_with(name)) continue;
        out.append(name, 0, name.size() - 1);
        out += ' ';
        pos += name.size();
        was_reserved = true;
        break;
      }
      if (was_reserved) {
        after_word = phrased = false;
        continue;
      }
    }
    const std::string_view* value_field =
        after_word
            ? nullptr
            : std::find_if(std::begin(kValueFields), std::end(kValueFields),
                           [&](std::string_view name) {
                             return rest.starts_with(name);
                           });
    if (value_field != nullptr && value_field != std::end(kValueFields)) {
      const std::string_view name = *value_field;
      const size_t start = pos + name.size();
      const bool value_follows =
          start < text.size() &&
          static_cast<unsigned char>(text[start]) > ' ' && text[start] != ')';
      if (in_quotes || phrased || !value_follows) {
        // Words: inside a phrase, after `kv-`, or with nothing after it.
        out += name.substr(0, name.size() - 1);
        out += ' ';
        pos = start;
        after_word = phrased = false;
        continue;
      }
      if (text[start] == '(') {
        size_t end = 0;
        MarkKeywordValuesInto(DistributeKeywordGroup(text, start, name, &end),
                              field, result);
        pos = end;
        after_word = phrased = false;
        continue;
      }
      size_t end = start;
      std::string value;
      const CodePoint open = CodePointAt(text, start);
      if (IsDoubleQuote(open.ch)) {
        size_t close = 0;
        end = QuotedEnd(text, start, &close);
        value = text.substr(start + open.size, close - start - open.size);
      } else {
        while (end < text.size() && !IsAsciiSpace(text[end]) &&
               text[end] != ')') {
          ++end;
        }
        value = text.substr(start, end - start);
      }
      out += field;
      out += ':';
      out += std::to_string(result->values.size());
      result->values.push_back(std::move(value));
      result->written.emplace_back(text.substr(start, end - start));
      result->fields.emplace_back(name.substr(0, name.size() - 1));
      pos = end;
      // `keyword:"kv cache"-x`: the marker is one term, not part of a
      // phrase with `x`.
      if (pos < text.size() && !IsAsciiSpace(text[pos]) && text[pos] != ')') {
        out += ' ';
      }
      after_word = phrased = false;
      continue;
    }
    const CodePoint cp = CodePointAt(text, pos);
    if (IsDoubleQuote(cp.ch)) in_quotes = !in_quotes;
    phrased = (after_word || phrased) && IsPhraseGenerator(cp.ch);
    after_word = Xapian::Unicode::is_wordchar(cp.ch) && !IsCjk(cp.ch);
    out.append(text, pos, cp.size);
    pos += cp.size;
  }
}

}  // namespace

MarkedKeywords MarkKeywordValues(const std::string& text,
                                 const std::string& field) {
  MarkedKeywords result;
  MarkKeywordValuesInto(text, field, &result);
  if (!result.values.empty()) {
    result.text = ProximityBesideKeywordToAnd(result.text, field);
  }
  return result;
}

std::string UnmarkKeywordValues(const std::string& text,
                                const MarkedKeywords& marked,
                                const std::string& field) {
  const std::string marker = field + ":";
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t found = text.find(marker, pos);
    if (found == std::string::npos) break;
    size_t end = found + marker.size();
    size_t index = 0;
    auto [ptr, ec] =
        std::from_chars(text.data() + end, text.data() + text.size(), index);
    out.append(text, pos, found - pos);
    if (ec != std::errc() || index >= marked.written.size()) {
      out += marker;
      pos = end;
      continue;
    }
    out += marked.fields[index];
    out += ':';
    out += marked.written[index];
    pos = static_cast<size_t>(ptr - text.data());
  }
  out.append(text, pos);
  return out;
}

std::string MarkSynonymSpans(const std::string& text, const Synonyms& synonyms,
                             const std::string& field,
                             std::vector<std::string>* spans) {
  if (synonyms.empty()) return text;
  // The text as pieces: plain words (candidates) and everything else,
  // copied as it is. `space_before`: the piece followed white space.
  struct Piece {
    std::string text;
    bool word = false;
    bool space_before = false;
    bool hyphen_before = false;  // a part of a hyphenated word after the first
  };
  std::vector<Piece> pieces;
  size_t pos = 0;
  const size_t n = text.size();
  bool space = false;
  while (pos < n) {
    if (text[pos] == ' ' || text[pos] == '\t') {
      space = true;
      ++pos;
      continue;
    }
    size_t end = pos;
    bool quoted = false;
    while (end < n && text[end] != ' ' && text[end] != '\t') {
      if (text[end] == '"') {
        quoted = true;
        size_t close = text.find('"', end + 1);
        end = close == std::string::npos ? n : close + 1;
      } else {
        ++end;
      }
    }
    std::string_view chunk(text.data() + pos, end - pos);
    auto literal = [&](std::string_view part) {
      if (part.empty()) return;
      pieces.push_back({std::string(part), false, space});
      space = false;
    };
    if (quoted) {
      literal(chunk);
    } else {
      size_t open = chunk.find_first_not_of('(');
      if (open == std::string_view::npos) open = chunk.size();
      literal(chunk.substr(0, open));
      size_t close = chunk.find_last_not_of(')');
      close =
          close == std::string_view::npos || close < open ? open : close + 1;
      std::string_view core = chunk.substr(open, close - open);
      // `n:m` is a word to the parser, `title:x` a field.
      const size_t colon = core.find(':');
      const bool field = colon != std::string_view::npos &&
                         (colon == 0 || colon + 1 == core.size() ||
                          IsFieldName(core.substr(0, colon)));
      if (core.empty() || field ||
          core.find_first_of("*()/\\") != std::string::npos ||
          core.front() == '+' || core.front() == '-' || IsOperator(core)) {
        literal(core);
      } else {
        // Split at the borders between CJK and other text ("KV压缩"), and
        // at hyphens inside a word, so that a member can start or end in
        // it ("self-speculative decoding" has `speculative decoding`).
        size_t start = 0;
        bool start_cjk = false;
        bool hyphen = false;
        for (Xapian::Utf8Iterator it(core.data(), core.size()), stop;
             it != stop; ++it) {
          size_t at = it.raw() - core.data();
          bool cjk = IsCjk(*it);
          if (at == 0) {
            start_cjk = cjk;
          } else if (*it == '-' && at > start && at + 1 < core.size() &&
                     core[at + 1] != '-') {
            pieces.push_back({std::string(core.substr(start, at - start)), true,
                              space, hyphen});
            space = false;
            hyphen = true;
            start = at + 1;
            start_cjk = at + 1 < core.size() &&
                        static_cast<unsigned char>(core[at + 1]) >= 0x80;
          } else if (at > start && cjk != start_cjk) {
            pieces.push_back({std::string(core.substr(start, at - start)), true,
                              space, hyphen});
            space = false;
            hyphen = false;
            start = at;
            start_cjk = cjk;
          }
        }
        pieces.push_back(
            {std::string(core.substr(start)), true, space, hyphen});
        space = false;
      }
      literal(chunk.substr(close));
    }
    pos = end;
  }

  std::string out;
  bool after_span = false;
  auto append = [&](const Piece& piece) {
    // A hyphenated word's part keeps its hyphen, unless a span ended
    // before it: `kv-cache-aware` is `<span> aware`, not `<span> -aware`.
    if (piece.hyphen_before && !after_span) {
      out += '-';
    } else if ((piece.space_before || piece.hyphen_before) && !out.empty()) {
      out += ' ';
    }
    out += piece.text;
    after_span = false;
  };
  for (size_t i = 0; i < pieces.size();) {
    size_t matched = 0;
    bool joined = false;  // the member is the pieces as typed, not spaced
    if (pieces[i].word) {
      size_t run = 0;
      while (i + run < pieces.size() && pieces[i + run].word) ++run;
      for (size_t len = std::min(run, synonyms.max_words()); len > 0; --len) {
        // The pieces as typed (`kv缓存`, `post-training`: one member),
        // then spaced.
        std::string typed, spaced;
        for (size_t k = i; k < i + len; ++k) {
          const std::string piece = Synonyms::Normalize(pieces[k].text);
          if (k > i && (pieces[k].space_before || pieces[k].hyphen_before)) {
            typed += ' ';
          }
          typed += piece;
          if (k > i) spaced += ' ';
          spaced += piece;
        }
        if (synonyms.Contains(typed) || synonyms.Contains(spaced)) {
          matched = len;
          joined = synonyms.Contains(typed);
          break;
        }
      }
    }
    if (matched == 0) {
      append(pieces[i]);
      ++i;
      continue;
    }
    std::string words;
    for (size_t k = i; k < i + matched; ++k) {
      if (k > i && pieces[k].hyphen_before) {
        words += '-';
      } else if (k > i && (!joined || pieces[k].space_before)) {
        words += ' ';
      }
      words += pieces[k].text;
    }
    if (!out.empty()) out += ' ';
    out += field + ":" + std::to_string(spans->size());
    out += ' ';
    after_span = true;
    spans->push_back(std::move(words));
    i += matched;
  }
  return out;
}

}  // namespace papersearch
