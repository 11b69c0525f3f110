#include "markdown/gfm.h"

#include <cmark-gfm-core-extensions.h>

#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace papersearch {
namespace {

// The one lock of every cmark-gfm call in the process.
std::mutex& GfmMutex() {
  static std::mutex mutex;
  return mutex;
}

// Lines with more pipes than this have them turned into spaces: cmark-gfm
// 0.29.0.gfm.6 parses a table row in time quadratic in its cells, and no
// real table is this wide. A pipe carries no searchable text.
constexpr size_t kMaxPipesPerLine = 256;

// A line's content after block-quote markers and indentation.
std::string_view LineContent(std::string_view line) {
  size_t i = 0;
  while (i < line.size() &&
         (line[i] == '>' || line[i] == ' ' || line[i] == '\t')) {
    ++i;
  }
  return line.substr(i);
}

// The number of columns of a GFM table delimiter row ("|--|:-:|"), or 0
// when `content` is not one.
size_t DelimiterColumns(std::string_view content) {
  size_t pipes = 0, columns = 0;
  bool dash_in_cell = false;
  for (char c : content) {
    if (c == '|') {
      ++pipes;
      columns += dash_in_cell;
      dash_in_cell = false;
    } else if (c == '-') {
      dash_in_cell = true;
    } else if (c != ':' && c != ' ' && c != '\t' && c != '\r') {
      return 0;
    }
  }
  columns += dash_in_cell;
  return pipes == 0 ? 0 : columns;
}

// Returns `piece` with the pathological table shapes of cmark-gfm
// 0.29.0.gfm.6 made harmless, or nullopt when there are none (the usual
// case). Besides wide rows (kMaxPipesPerLine), cmark fills every short row
// of a table with empty cells up to the column count, so a wide delimiter
// row over many one-cell lines costs columns x lines in time and memory. A
// delimiter row whose table could need more cells than it has bytes is
// blanked: the table reads as paragraphs, its text unchanged. Linear.
std::optional<std::string> DefusedCopy(std::string_view piece) {
  struct Line {
    size_t begin, end;  // [begin, end) in piece, without the '\n'
  };
  std::vector<Line> lines;
  for (size_t begin = 0; begin <= piece.size();) {
    size_t end = piece.find('\n', begin);
    if (end == std::string_view::npos) end = piece.size();
    lines.push_back({begin, end});
    begin = end + 1;
  }
  std::optional<std::string> out;
  auto edit = [&](size_t from, size_t to, bool all) {
    if (!out) out.emplace(piece);
    for (size_t i = from; i < to; ++i) {
      char& c = (*out)[i];
      if (c == '|' || (all && (c == '-' || c == ':'))) c = ' ';
    }
  };
  // Walk each run of non-blank lines backwards, keeping the line count and
  // byte count of the lines below the current one.
  size_t i = lines.size();
  size_t rows_below = 0, bytes_below = 0;
  while (i-- > 0) {
    std::string_view line =
        piece.substr(lines[i].begin, lines[i].end - lines[i].begin);
    std::string_view content = LineContent(line);
    if (content.empty() || content == "\r") {
      rows_below = bytes_below = 0;
      continue;
    }
    size_t pipes = 0;
    for (char c : line) pipes += c == '|';
    if (pipes > kMaxPipesPerLine) {
      edit(lines[i].begin, lines[i].end, false);
    } else if (size_t columns = DelimiterColumns(content); columns > 0) {
      size_t header_bytes = i > 0 ? lines[i - 1].end - lines[i - 1].begin : 0;
      if (columns * rows_below > bytes_below + header_bytes + line.size()) {
        edit(lines[i].begin, lines[i].end, true);
      }
    }
    ++rows_below;
    bytes_below += line.size() + 1;
  }
  return out;
}

}  // namespace

std::string_view DefuseTables(std::string_view piece, std::string* storage) {
  std::optional<std::string> defused = DefusedCopy(piece);
  if (!defused) return piece;
  *storage = std::move(*defused);
  return *storage;
}

cmark_node* ParseGfm(std::string_view markdown, int options) {
  // cmark-gfm 0.29 is not re-entrant: parsers share one table of special
  // inline characters that attaching extensions rewrites (github/cmark-gfm
  // #176), and extension registration is an unguarded check-then-set.
  // Parsing is a small part of indexing a paper or answering a request, so
  // it is serialised, for every caller in the process; the walk of the
  // finished tree runs in parallel.
  std::lock_guard lock(GfmMutex());
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
  cmark_parser_free(parser);
  return root;
}

std::string RenderGfmHtml(std::string_view markdown) {
  std::string defused;
  const std::string_view source = DefuseTables(markdown, &defused);
  // Without CMARK_OPT_UNSAFE, cmark-gfm omits raw HTML and dangerous URLs.
  const int options = CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_FOOTNOTES;
  cmark_node* root = ParseGfm(source, options);
  if (root == nullptr) return "";
  // Rendering runs the extensions' code too: serialised like parsing.
  std::lock_guard lock(GfmMutex());
  cmark_llist* extensions = nullptr;
  cmark_mem* mem = cmark_get_default_mem_allocator();
  for (const char* name :
       {"table", "strikethrough", "autolink", "tagfilter", "tasklist"}) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) {
      extensions = cmark_llist_append(mem, extensions, ext);
    }
  }
  char* html = cmark_render_html(root, options, extensions);
  cmark_llist_free(mem, extensions);
  std::string out = html != nullptr ? html : "";
  std::free(html);
  cmark_node_free(root);
  return out;
}

}  // namespace papersearch
