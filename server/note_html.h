// A note's Markdown as HTML for the paper view.
#ifndef PAPERSEARCH_SERVER_NOTE_HTML_H_
#define PAPERSEARCH_SERVER_NOTE_HTML_H_

#include <string>
#include <string_view>

namespace papersearch {

// Renders GitHub-flavoured Markdown (tables, strikethrough, autolinks,
// task lists) with cmark-gfm in its safe mode: raw HTML in the note becomes
// a comment, and links and images whose URL is javascript:, vbscript:,
// file: or data: (other than images) lose their URL; the tagfilter
// extension escapes <script>, <iframe> and the like besides. Invalid UTF-8
// becomes U+FFFD. The page shows the result with a Content-Security-Policy
// that runs no inline script either. Thread-safe (cmark-gfm is not
// re-entrant: calls are serialised).
std::string RenderNoteHtml(std::string_view markdown);

}  // namespace papersearch

#endif  // PAPERSEARCH_SERVER_NOTE_HTML_H_
