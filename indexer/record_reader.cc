#include "indexer/record_reader.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>

#include "common/file_reader.h"
#include "common/suggest.h"
#include "common/utf8.h"

namespace papersearch {
namespace {

namespace pb = google::protobuf;

// Collects the parser's first error (protobuf stops there) and its warnings.
// Lines and columns arrive 0-based.
class Collector : public pb::io::ErrorCollector {
 public:
  void AddError(int line, pb::io::ColumnNumber column,
                const std::string& message) override {
    if (!has_error) {
      has_error = true;
      error_line = line;
      error_column = column;
      error_message = message;
    }
  }
  void AddWarning(int, pb::io::ColumnNumber, const std::string&) override {}

  bool has_error = false;
  int error_line = 0;
  int error_column = 0;
  std::string error_message;
};

constexpr std::string_view kUnknownEnumPrefix =
    "Unknown enumeration value of \"";

// The protobuf message for an unknown enum value names the value; returns it,
// or "" when `message` is about something else.
std::string UnknownEnumValue(const std::string& message) {
  if (message.rfind(kUnknownEnumPrefix, 0) != 0) return "";
  size_t start = kUnknownEnumPrefix.size();
  size_t end = message.find('"', start);
  if (end == std::string::npos) return "";
  return message.substr(start, end - start);
}

size_t OffsetOf(std::string_view text, int line0, int column0) {
  size_t offset = 0;
  for (int line = 0; line < line0 && offset < text.size(); ++offset) {
    if (text[offset] == '\n') ++line;
  }
  return std::min(text.size(), offset + static_cast<size_t>(column0));
}

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

// Protobuf reports some errors at the token after the offending one. Returns
// the offset of the last whole-identifier occurrence of `token` at or before
// `offset`, or `offset` when there is none.
size_t LocateToken(std::string_view text, size_t offset,
                   std::string_view token) {
  if (token.empty()) return offset;
  size_t limit = std::min(offset, text.size());
  size_t pos = text.substr(0, limit).rfind(token);
  while (pos != std::string_view::npos) {
    bool starts = pos == 0 || !IsIdentChar(text[pos - 1]);
    size_t end = pos + token.size();
    bool ends = end >= text.size() || !IsIdentChar(text[end]);
    if (starts && ends) return pos;
    if (pos == 0) break;
    pos = text.substr(0, pos).rfind(token);
  }
  return offset;
}

// The field name in 'Message type "X" has no field named "y".', or "".
std::string UnknownFieldName(const std::string& message) {
  const std::string marker = "has no field named \"";
  size_t start = message.find(marker);
  if (start == std::string::npos) return "";
  start += marker.size();
  size_t end = message.find('"', start);
  return end == std::string::npos ? "" : message.substr(start, end - start);
}

// Blanks out (with spaces, so later positions keep their line and column) the
// value token at `offset` together with what makes it a list element or a
// field: "words: foo", ", foo" or "foo," inside [...]. Returns false when the
// text around it has a shape we do not recognise.
bool BlankEnumValue(std::string& text, size_t offset) {
  size_t value_end = offset;
  while (value_end < text.size() && IsIdentChar(text[value_end])) ++value_end;
  if (value_end == offset) return false;
  size_t before = offset;
  while (before > 0 &&
         std::isspace(static_cast<unsigned char>(text[before - 1]))) {
    --before;
  }
  size_t from = offset, to = value_end;
  if (before > 0 && text[before - 1] == ':') {
    // "words: foo": blank the field name too.
    size_t name_end = before - 1;
    while (name_end > 0 &&
           std::isspace(static_cast<unsigned char>(text[name_end - 1]))) {
      --name_end;
    }
    size_t name_start = name_end;
    while (name_start > 0 && IsIdentChar(text[name_start - 1])) --name_start;
    if (name_start == name_end) return false;
    from = name_start;
  } else if (before > 0 && text[before - 1] == ',') {
    from = before - 1;  // ", foo" inside a list
  } else if (before > 0 && text[before - 1] == '[') {
    size_t after = value_end;
    while (after < text.size() &&
           std::isspace(static_cast<unsigned char>(text[after]))) {
      ++after;
    }
    if (after < text.size() && text[after] == ',') to = after + 1;
  } else {
    return false;
  }
  for (size_t i = from; i < to; ++i) {
    if (text[i] != '\n') text[i] = ' ';
  }
  return true;
}

// For 'Message type "X" has no field named "y".' appends the fields X has,
// and the closest one, so the user sees the fix.
std::string ExplainUnknownField(const std::string& message) {
  const std::string type_marker = "Message type \"";
  const std::string field_marker = "has no field named \"";
  if (message.rfind(type_marker, 0) != 0) return message;
  size_t type_end = message.find('"', type_marker.size());
  size_t field_pos = message.find(field_marker);
  if (type_end == std::string::npos || field_pos == std::string::npos) {
    return message;
  }
  std::string type_name =
      message.substr(type_marker.size(), type_end - type_marker.size());
  size_t field_start = field_pos + field_marker.size();
  std::string field =
      message.substr(field_start, message.find('"', field_start) - field_start);
  const pb::Descriptor* descriptor =
      pb::DescriptorPool::generated_pool()->FindMessageTypeByName(type_name);
  if (descriptor == nullptr) return message;
  std::string names, closest;
  size_t best = std::string::npos;
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const std::string& name = descriptor->field(i)->name();
    names += (i ? ", " : "") + name;
    size_t d = EditDistance(field, name);
    if (d < best) best = d, closest = name;
  }
  std::string out = "unknown field \"" + field + "\" in " + type_name +
                    " (fields: " + names + ")";
  if (best <= 2) out += "; did you mean \"" + closest + "\"?";
  return out;
}

// The directory year of a record path "meta/YEAR/ID.prototxt" ("YEAR"), or
// "" for a path of another shape.
std::string DirectoryYear(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return "";
  std::string_view dir = path.substr(0, slash);
  size_t start = dir.rfind('/');
  std::string_view year =
      dir.substr(start == std::string_view::npos ? 0 : start + 1);
  if (year.size() != 4 || !std::all_of(year.begin(), year.end(), [](char c) {
        return c >= '0' && c <= '9';
      })) {
    return "";
  }
  return std::string(year);
}

// A warning, at the year field, when pub.year disagrees with the directory
// the record lies in; the id keeps the directory's year.
void CheckYear(std::string_view text, const std::string& path,
               pb::TextFormat::ParseInfoTree& locations, ParsedRecord& result) {
  std::string dir_year = DirectoryYear(path);
  if (dir_year.empty() || !result.info.pub().has_year()) return;
  std::string year = std::to_string(result.info.pub().year());
  if (year == dir_year) return;
  const pb::FieldDescriptor* pub =
      efficient_paper::PaperInfo::descriptor()->FindFieldByName("pub");
  const pb::FieldDescriptor* year_field =
      pub->message_type()->FindFieldByName("year");
  TextPosition at{0, 0};
  if (pb::TextFormat::ParseInfoTree* pub_tree =
          locations.GetTreeForNested(pub, -1)) {
    pb::TextFormat::ParseLocation location =
        pub_tree->GetLocation(year_field, -1);
    if (location.line >= 0) {
      at = PositionOf(text, OffsetOf(text, location.line, location.column));
    }
  }
  result.warnings.push_back(
      {path, at.line, at.column,
       "pub.year " + year + " disagrees with the directory meta/" + dir_year +
           "/: the paper's id keeps " + dir_year +
           " (ids come from paths) while year filters, facets and sorting "
           "use " +
           year + "; move the file to meta/" + year + "/ or fix the year"});
}

ParsedRecord Fail(const std::string& path, int line, int column,
                  std::string message) {
  ParsedRecord result;
  result.error = {path, line, column, std::move(message)};
  return result;
}

ParsedRecord TooLarge(const std::string& path, size_t size) {
  return Fail(path, 0, 0,
              "record is " + std::to_string(size) + " bytes, over the " +
                  std::to_string(kMaxRecordBytes) +
                  "-byte limit for a paper record; is this the right file?");
}

// Keeps at most kMaxFieldValues of each repeated field, with a warning: a
// record of 4 MiB could list 100,000 authors, and indexing each costs the
// writer (spelling data, one filter term each) about as much as a small
// paper, so such a record would stall a nightly build.
template <typename Repeated>
void LimitField(const std::string& path, const char* field, Repeated* values,
                ParsedRecord& result) {
  if (values->size() <= static_cast<int>(kMaxFieldValues)) return;
  result.warnings.push_back(
      {path, 0, 0,
       "the record lists " + std::to_string(values->size()) + " " + field +
           "; only the first " + std::to_string(kMaxFieldValues) +
           " are indexed (the limit for one field)"});
  values->erase(values->begin() + static_cast<int>(kMaxFieldValues),
                values->end());
}

void LimitValues(const std::string& path, ParsedRecord& result) {
  efficient_paper::PaperInfo& info = result.info;
  // Only messages the record has: a mutable_ accessor would add an empty
  // one, which changes what the record serialises to (fuzz_readme's round
  // trip caught it).
  if (info.has_paper()) {
    LimitField(path, "authors", info.mutable_paper()->mutable_authors(),
               result);
    LimitField(path, "institutions",
               info.mutable_paper()->mutable_institutions(), result);
  }
  if (info.has_baseline()) {
    LimitField(path, "baseline methods",
               info.mutable_baseline()->mutable_methods(), result);
  }
  if (info.has_keyword()) {
    LimitField(path, "keyword labels", info.mutable_keyword()->mutable_words(),
               result);
  }
  if (result.extra_keywords.size() > kMaxFieldValues) {
    result.warnings.push_back(
        {path, 0, 0,
         "the record lists " + std::to_string(result.extra_keywords.size()) +
             " unknown keyword labels; only the first " +
             std::to_string(kMaxFieldValues) + " are indexed"});
    result.extra_keywords.resize(kMaxFieldValues);
  }
}

}  // namespace

ParsedRecord ParseRecord(std::string_view input, const std::string& path) {
  if (input.size() > kMaxRecordBytes) return TooLarge(path, input.size());
  if (size_t nul = input.find('\0'); nul != std::string_view::npos) {
    TextPosition at = PositionOf(input, nul);
    return Fail(path, at.line, at.column,
                "NUL byte: this looks like a binary file, not a text-format "
                "paper record");
  }
  if (size_t bad = FindInvalidUtf8(input); bad != std::string_view::npos) {
    TextPosition at = PositionOf(input, bad);
    return Fail(path, at.line, at.column,
                "invalid UTF-8; save the file as UTF-8");
  }
  if (input.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Fail(path, 0, 0, "empty file: expected a paper record");
  }

  ParsedRecord result;
  std::string text(input);
  // Where each field was written, from the pass that parsed.
  auto locations = std::make_unique<pb::TextFormat::ParseInfoTree>();
  // Each pass either parses, fails for good, or removes one unknown keyword
  // label; a file cannot hold more labels than bytes, so this ends.
  for (size_t pass = 0; pass <= text.size(); ++pass) {
    Collector collector;
    pb::TextFormat::Parser parser;
    parser.RecordErrorsTo(&collector);
    locations = std::make_unique<pb::TextFormat::ParseInfoTree>();
    parser.WriteLocationsTo(locations.get());
    parser.SetRecursionLimit(32);
    result.info.Clear();
    if (parser.ParseFromString(text, &result.info)) break;
    std::string label = UnknownEnumValue(collector.error_message);
    size_t offset =
        OffsetOf(text, collector.error_line, collector.error_column);
    if (label.empty()) {
      offset =
          LocateToken(text, offset, UnknownFieldName(collector.error_message));
      TextPosition at = PositionOf(text, offset);
      std::string message = collector.error_message.empty()
                                ? "cannot parse as a paper record"
                                : ExplainUnknownField(collector.error_message);
      return Fail(path, at.line, at.column, message);
    }
    offset = LocateToken(text, offset, label);
    TextPosition at = PositionOf(text, offset);
    if (!BlankEnumValue(text, offset)) {
      return Fail(path, at.line, at.column, collector.error_message);
    }
    result.warnings.push_back(
        {path, at.line, at.column,
         "unknown keyword label \"" + label +
             "\": kept and indexed; add it to Keyword.Word in "
             "proto/paper.proto to make it official"});
    result.extra_keywords.push_back(label);
  }
  if (!result.info.paper().has_title() || result.info.paper().title().empty()) {
    return Fail(path, 0, 0,
                "record has no paper { title: \"...\" }; every paper needs a "
                "title");
  }
  CheckYear(text, path, *locations, result);
  LimitValues(path, result);
  result.ok = true;
  return result;
}

ParsedRecord ReadRecordFile(const std::string& path,
                            const std::string& display_path) {
  FileRead file;
  if (Status read = ReadRegularFile(path, {kMaxRecordBytes, false}, &file);
      !read.ok()) {
    return Fail(display_path, 0, 0, read.message());
  }
  return ParseRecord(file.text, display_path);
}

}  // namespace papersearch
