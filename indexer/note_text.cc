#include "indexer/note_text.h"

#include <cmark-gfm.h>

#include <cstring>
#include <optional>
#include <vector>

#include "common/utf8.h"
#include "markdown/gfm.h"

namespace papersearch {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

// Appends `text` to `out` with every whitespace run turned into one space.
// Leading and trailing spaces are trimmed later, when the block is flushed.
void AppendCollapsed(std::string_view text, std::string& out) {
  for (char c : text) {
    if (IsSpace(c)) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
}

void AppendSeparator(std::string& out) {
  if (!out.empty() && out.back() != ' ') out.push_back(' ');
}

// Appends the text of raw HTML with its tags and comments removed; each tag
// becomes a space so that "a<br>b" stays two words. An unterminated tag or
// comment is kept as text. Linear: each search either moves past what it
// scanned or proves that no later search can succeed.
void AppendWithoutTags(std::string_view html, std::string& out) {
  bool no_more_gt = false;
  bool no_more_comment_end = false;
  size_t i = 0;
  while (i < html.size()) {
    size_t lt = html.find('<', i);
    if (lt == std::string_view::npos) {
      AppendCollapsed(html.substr(i), out);
      return;
    }
    AppendCollapsed(html.substr(i, lt - i), out);
    size_t end = std::string_view::npos;
    if (html.substr(lt).starts_with("<!--")) {
      if (!no_more_comment_end) {
        size_t close = html.find("-->", lt + 4);
        if (close == std::string_view::npos) {
          no_more_comment_end = true;
        } else {
          end = close + 3;
        }
      }
    } else if (lt + 1 < html.size()) {
      char next = html[lt + 1];
      bool tag_start = (next >= 'a' && next <= 'z') ||
                       (next >= 'A' && next <= 'Z') || next == '/' ||
                       next == '!' || next == '?';
      if (tag_start && !no_more_gt) {
        size_t gt = html.find('>', lt + 1);
        if (gt == std::string_view::npos) {
          no_more_gt = true;
        } else {
          end = gt + 1;
        }
      }
    }
    if (end == std::string_view::npos) {
      AppendCollapsed("<", out);
      i = lt + 1;
    } else {
      AppendSeparator(out);
      i = end;
    }
  }
}

// True when a link's only visible text is its own destination: an autolink
// (`<https://x>`, a bare `https://x` or `www.x`) or `[https://x](https://x)`.
bool IsUrlShownAsText(cmark_node* link) {
  const char* url = cmark_node_get_url(link);
  cmark_node* child = cmark_node_first_child(link);
  if (url == nullptr || child == nullptr || cmark_node_next(child) != nullptr ||
      cmark_node_get_type(child) != CMARK_NODE_TEXT) {
    return false;
  }
  const char* text = cmark_node_get_literal(child);
  if (text == nullptr || *text == '\0') return false;
  std::string_view u(url), t(text);
  if (u == t) return true;
  for (std::string_view scheme : {"http://", "https://", "mailto:"}) {
    if (u.starts_with(scheme) && u.substr(scheme.size()) == t) return true;
  }
  return false;
}

// Accumulates blocks into a NoteText. A block is a leaf block of the
// document (paragraph, heading, code block, HTML block, table row).
class NoteTextBuilder {
 public:
  explicit NoteTextBuilder(NoteText& out) : out_(out) {}

  std::string& block() { return block_; }

  // Whether the current block has an odd number of '$' so far, i.e. the
  // walk is inside `$...$`. Counts only what was appended since the last
  // call, so a block with many emphases stays linear.
  bool InsideMath() {
    for (; dollars_counted_ < block_.size(); ++dollars_counted_) {
      dollars_ += block_[dollars_counted_] == '$';
    }
    return dollars_ % 2 == 1;
  }

  void Flush(bool heading) {
    std::string_view text = block_;
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    if (!text.empty()) {
      std::string& target = heading ? out_.headings : out_.body;
      target.append(text);
      target.push_back('\n');
      out_.plain.append(text);
      out_.plain.push_back('\n');
    }
    block_.clear();
    dollars_counted_ = 0;
    dollars_ = 0;
  }

 private:
  NoteText& out_;
  std::string block_;
  size_t dollars_counted_ = 0;
  size_t dollars_ = 0;
};

// Byte offsets where each line of `source` starts, for cmark's 1-based
// (line, column) source positions.
std::vector<size_t> LineStarts(std::string_view source) {
  std::vector<size_t> starts{0};
  for (size_t i = 0; i < source.size(); ++i) {
    if (source[i] == '\n') starts.push_back(i + 1);
  }
  return starts;
}

// The delimiter character ('*' or '_') an emphasis node was written with,
// read from the source; '_' when the position is unusable.
char EmphasisDelimiter(cmark_node* node, std::string_view source,
                       const std::vector<size_t>& line_starts) {
  int line = cmark_node_get_start_line(node);
  int column = cmark_node_get_start_column(node);
  if (line >= 1 && column >= 1 &&
      static_cast<size_t>(line) <= line_starts.size()) {
    size_t offset = line_starts[line - 1] + static_cast<size_t>(column) - 1;
    if (offset < source.size() &&
        (source[offset] == '*' || source[offset] == '_')) {
      return source[offset];
    }
  }
  return '_';
}

void AppendDelimiters(cmark_node* node, std::string_view source,
                      const std::vector<size_t>& line_starts,
                      std::string& out) {
  size_t count = cmark_node_get_type(node) == CMARK_NODE_STRONG ? 2 : 1;
  out.append(count, EmphasisDelimiter(node, source, line_starts));
}

// Walks one parsed piece of the note and appends its blocks to `builder`.
void ExtractPiece(std::string_view piece, NoteTextBuilder& builder) {
  std::string defused;
  const std::string_view source = DefuseTables(piece, &defused);
  cmark_node* root =
      ParseGfm(source, CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SOURCEPOS);
  if (root == nullptr) return;
  std::vector<size_t> line_starts;  // computed on first use (math only)
  cmark_iter* iter = cmark_iter_new(root);
  cmark_event_type event;
  while ((event = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
    cmark_node* node = cmark_iter_get_node(iter);
    bool enter = event == CMARK_EVENT_ENTER;
    std::string& block = builder.block();
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_PARAGRAPH:
        if (!enter) builder.Flush(false);
        break;
      case CMARK_NODE_HEADING:
        if (!enter) builder.Flush(true);
        break;
      case CMARK_NODE_CODE_BLOCK:
        AppendCollapsed(cmark_node_get_literal(node), block);
        builder.Flush(false);
        break;
      case CMARK_NODE_HTML_BLOCK:
        AppendWithoutTags(cmark_node_get_literal(node), block);
        builder.Flush(false);
        break;
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        AppendCollapsed(cmark_node_get_literal(node), block);
        break;
      case CMARK_NODE_HTML_INLINE:
        AppendWithoutTags(cmark_node_get_literal(node), block);
        AppendSeparator(block);
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK: AppendSeparator(block); break;
      case CMARK_NODE_LINK:
        if (enter && IsUrlShownAsText(node)) {
          cmark_iter_reset(iter, node, CMARK_EVENT_EXIT);
        }
        break;
      case CMARK_NODE_EMPH:
      case CMARK_NODE_STRONG:
        // Inside `$...$` the delimiters are part of the formula.
        if (builder.InsideMath()) {
          if (line_starts.empty()) line_starts = LineStarts(source);
          AppendDelimiters(node, source, line_starts, block);
        }
        break;
      default: {
        const char* type = cmark_node_get_type_string(node);
        if (std::strcmp(type, "table_row") == 0 ||
            std::strcmp(type, "table_header") == 0) {
          if (!enter) builder.Flush(false);
        } else if (std::strcmp(type, "table_cell") == 0) {
          AppendSeparator(block);
        }
        break;
      }
    }
  }
  cmark_iter_free(iter);
  cmark_node_free(root);
}

// The end of the next piece of `text` starting at `begin`: all of it when
// short enough, else the last blank line, line end or space in the second
// half of a kNoteParseChunkBytes window, else a UTF-8 boundary.
size_t PieceEnd(std::string_view text, size_t begin) {
  if (text.size() - begin <= kNoteParseChunkBytes) return text.size();
  size_t limit = begin + kNoteParseChunkBytes;
  std::string_view window =
      text.substr(begin + kNoteParseChunkBytes / 2, kNoteParseChunkBytes / 2);
  size_t window_start = begin + kNoteParseChunkBytes / 2;
  for (std::string_view cut : {"\n\n", "\n", " "}) {
    size_t at = window.rfind(cut);
    if (at != std::string_view::npos) return window_start + at + cut.size();
  }
  while (limit > begin + 1 &&
         (static_cast<unsigned char>(text[limit]) & 0xC0) == 0x80) {
    --limit;
  }
  return limit;
}

}  // namespace

NoteText ExtractNoteText(std::string_view markdown) {
  NoteText out;
  NoteTextBuilder builder(out);
  // The per-piece counter of '$' would misjudge math across a cut; pieces
  // only occur in notes far larger than any real one.
  size_t begin = 0;
  while (begin < markdown.size()) {
    size_t end = PieceEnd(markdown, begin);
    ExtractPiece(markdown.substr(begin, end - begin), builder);
    begin = end;
  }
  for (std::string* field : {&out.headings, &out.body, &out.plain}) {
    if (FindInvalidUtf8(*field) != std::string_view::npos) {
      *field = SanitizeUtf8(*field);
    }
  }
  return out;
}

}  // namespace papersearch
