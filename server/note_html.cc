#include "server/note_html.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <cstdlib>
#include <mutex>

namespace papersearch {

std::string RenderNoteHtml(std::string_view markdown) {
  // Without CMARK_OPT_UNSAFE, cmark-gfm omits raw HTML and dangerous URLs.
  const int options = CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_FOOTNOTES;
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  cmark_gfm_core_extensions_ensure_registered();
  cmark_parser* parser = cmark_parser_new(options);
  for (const char* name :
       {"table", "strikethrough", "autolink", "tagfilter", "tasklist"}) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser, ext);
    }
  }
  cmark_parser_feed(parser, markdown.data(), markdown.size());
  cmark_node* root = cmark_parser_finish(parser);
  char* html = cmark_render_html(root, options,
                                 cmark_parser_get_syntax_extensions(parser));
  std::string out = html != nullptr ? html : "";
  std::free(html);
  cmark_node_free(root);
  cmark_parser_free(parser);
  return out;
}

}  // namespace papersearch
