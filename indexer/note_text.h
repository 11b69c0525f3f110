// Turning a Markdown note (`notes/YEAR/ID/note.md`) into searchable text.
#ifndef PAPERSEARCH_INDEXER_NOTE_TEXT_H_
#define PAPERSEARCH_INDEXER_NOTE_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace papersearch {

// The visible text of a note, split by role. Every field is valid UTF-8 with
// runs of whitespace inside a block collapsed to one space; no line is empty.
struct NoteText {
  std::string headings;  // text of every heading, one heading per line
  std::string body;      // all other text, one block per line
  std::string plain;     // headings and body in document order, blocks
                         // separated by "\n"; for snippets
  std::string source;    // the Markdown itself, for the paper view; set by
                         // the caller (ExtractNoteText leaves it empty)
};

// Extracts the searchable text of a GitHub-flavoured Markdown note, parsed by
// cmark-gfm with the table, strikethrough, autolink, tagfilter and tasklist
// extensions. Kept: text of headings, paragraphs, list items, table cells
// (one row per line, cells separated by a space), block quotes, code spans
// and code blocks, link text, image alt text, strikethrough text, and the
// text between HTML tags. Dropped: link and image destinations, bare URLs
// (autolinks, whose visible text is their destination), HTML tags and
// comments, task-list markers. `$...$` math stays literal, emphasis
// delimiters inside it included. Invalid UTF-8 and NUL become U+FFFD.
// Thread-safe: cmark-gfm parsing is serialised inside.
// Throws only std::bad_alloc. Linear time and bounded stack on any input:
// the AST is walked iteratively, input past kNoteParseChunkBytes is parsed
// in pieces, and the table shapes on which cmark-gfm 0.29.0.gfm.6 goes
// quadratic are read as plain paragraphs instead (same words).
NoteText ExtractNoteText(std::string_view markdown);

// Notes up to this size are parsed in one piece (real notes stay under
// 5 KB). Larger input is cut into pieces of about this size, preferring
// blank lines, then line ends, then spaces, so that cmark-gfm's few
// super-linear corner cases stay bounded by the piece size.
inline constexpr size_t kNoteParseChunkBytes = 32 * 1024;

}  // namespace papersearch

#endif  // PAPERSEARCH_INDEXER_NOTE_TEXT_H_
