// The query text before Xapian's parser reads it: the scanners that take
// `keyword:`, `inst:` and `venue:` values and synonym spans out of the text
// as `<field>:N` markers, which the parser hands to QueryBuilder's field
// processors, and what the builder needs of their reading of the text.
#ifndef PAPERSEARCH_SEARCHER_QUERY_TEXT_H_
#define PAPERSEARCH_SEARCHER_QUERY_TEXT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/synonyms.h"

namespace papersearch {

// The field name MarkSynonymSpans gives replaced spans; the parser hands its
// value (the span's number) to the builder's synonym field processor.
inline constexpr char kSynonymField[] = "papersearchsynonym";
// The field name MarkKeywordValues gives `keyword:`, `inst:` and `venue:`
// values; the parser hands its value (the value's number) to the builder's
// value field processor.
inline constexpr char kKeywordField[] = "papersearchkeyword";

// Query text with each `keyword:`, `inst:` and `venue:` value taken out
// (MarkKeywordValues).
struct MarkedKeywords {
  // The text, each value replaced by `<field>:N`.
  std::string text;
  // Value N: the label, name or words, without quotes.
  std::vector<std::string> values;
  // Value N as written after its field name (quotes kept), for
  // UnmarkKeywordValues.
  std::vector<std::string> written;
  // The field name value N was written after: "keyword", "inst" or "venue".
  std::vector<std::string> fields;
};

// Rewrites the plain words of `text` that form a synonym group's member
// (longest first) into `<field>:N` tokens, N counting from `first`, and
// appends each replaced span's words to `spans`. Quoted phrases, field:value
// terms, +/- words, operators and wildcards are left alone. Exposed for
// tests.
std::string MarkSynonymSpans(const std::string& text, const Synonyms& synonyms,
                             const std::string& field,
                             std::vector<std::string>* spans);

// Takes each `keyword:VALUE`, `inst:VALUE` and `venue:VALUE` that Xapian's
// parser would read as a field out of `text`, as `<field>:N` with VALUE as
// values[N] (and its field name as fields[N]): a value in quotes (to
// the closing quote, or the end of the text when there is none) or up to
// the next space or ')'. The parser hands the field processor only N, one
// plain term, so what a value holds (quotes, `kv-cache`, CJK, `quant*`)
// cannot reach Xapian 1.4.22's parser, which builds no query for a field
// processor's phrase, n-grams or wildcard: `a +keyword:"kv cache` crashed
// it (SIGSEGV; found by fuzz_query), and `keyword:kv-cache` listed every
// paper. A group `keyword:(a b)` becomes `(keyword:a keyword:b)` first.
// `keyword:` inside a phrase or after `kv-` (where the parser sees no field)
// becomes the word `keyword` (and so for `inst:` and `venue:`), as do
// `<field>:` and the synonym field when
// the user types them. NEAR and ADJ beside a value become AND. Exposed for
// tests.
MarkedKeywords MarkKeywordValues(const std::string& text,
                                 const std::string& field);

// `text` (MarkKeywordValues's, or the parser's correction of it) with each
// `<field>:N` back as its field name and value N as written.
std::string UnmarkKeywordValues(const std::string& text,
                                const MarkedKeywords& marked,
                                const std::string& field);

// The number N of a marker `<field>:N` (MarkKeywordValues,
// MarkSynonymSpans) when it is one of the `count` the text was given;
// nullopt for anything else, such as a number the user typed.
std::optional<size_t> MarkerIndex(const std::string& number, size_t count);

// Xapian's boolean operators as written (AND, OR, NOT, XOR, NEAR, ADJ), and
// its proximity operators with an optional distance (NEAR, ADJ/3).
bool IsOperator(std::string_view word);
bool IsProximityOperator(std::string_view word);

struct CodePoint {
  unsigned ch;
  size_t size;  // in bytes; an invalid byte is a code point of its own
};
// The code point at byte `pos` of `text`.
CodePoint CodePointAt(std::string_view text, size_t pos);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_QUERY_TEXT_H_
