// GitHub-flavoured Markdown through cmark-gfm (Debian's libcmark-gfm0.29),
// for both programs that read notes: paperindex (indexer/note_text) and
// papersearch --serve (the paper view). One place, because cmark-gfm 0.29 is
// not re-entrant: every parse in the process must take the same lock.
#ifndef PAPERSEARCH_MARKDOWN_GFM_H_
#define PAPERSEARCH_MARKDOWN_GFM_H_

#include <cmark-gfm.h>

#include <string>
#include <string_view>

namespace papersearch {

// Parses `markdown` with the table, strikethrough, autolink, tagfilter and
// tasklist extensions and cmark `options`; the caller frees the tree with
// cmark_node_free. Thread-safe (serialised). Linear only on text that went
// through DefuseTables.
cmark_node* ParseGfm(std::string_view markdown, int options);

// `piece` with the table shapes on which cmark-gfm 0.29.0.gfm.6 goes
// quadratic made harmless (the text is unchanged; such a table reads as
// paragraphs). Returns `piece` itself in the usual case, else a view of
// *storage.
std::string_view DefuseTables(std::string_view piece, std::string* storage);

// `markdown` as HTML, in cmark-gfm's safe mode: raw HTML becomes a comment,
// and links and images whose URL is javascript:, vbscript:, file: or data:
// (other than images) lose their URL; the tagfilter extension escapes
// <script>, <iframe> and the like besides. Invalid UTF-8 becomes U+FFFD.
// Tables are defused first. Thread-safe.
std::string RenderGfmHtml(std::string_view markdown);

}  // namespace papersearch

#endif  // PAPERSEARCH_MARKDOWN_GFM_H_
