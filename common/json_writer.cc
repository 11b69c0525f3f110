#include "common/json_writer.h"

#include <charconv>
#include <cmath>

#include "common/utf8.h"

namespace papersearch {

std::string JsonString(std::string_view text) {
  std::string valid = SanitizeUtf8(text);
  std::string out;
  out.reserve(valid.size() + 2);
  out += '"';
  static const char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < valid.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(valid[i]);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else if (c == 0xE2 && i + 2 < valid.size() &&
                   static_cast<unsigned char>(valid[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(valid[i + 2]) == 0xA8 ||
                    static_cast<unsigned char>(valid[i + 2]) == 0xA9)) {
          // U+2028/U+2029 are valid JSON but break JavaScript readers.
          out += static_cast<unsigned char>(valid[i + 2]) == 0xA8 ? "\\u2028"
                                                                  : "\\u2029";
          i += 2;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!has_member_.empty()) {
    if (has_member_.back()) *out_ += ',';
    has_member_.back() = true;
  }
}

void JsonWriter::BeginObject() {
  BeforeValue();
  *out_ += '{';
  has_member_.push_back(false);
}

void JsonWriter::EndObject() {
  *out_ += '}';
  has_member_.pop_back();
}

void JsonWriter::BeginArray() {
  BeforeValue();
  *out_ += '[';
  has_member_.push_back(false);
}

void JsonWriter::EndArray() {
  *out_ += ']';
  has_member_.pop_back();
}

void JsonWriter::Key(std::string_view key) {
  BeforeValue();
  *out_ += JsonString(key);
  *out_ += ':';
  after_key_ = true;
}

void JsonWriter::String(std::string_view value) {
  BeforeValue();
  *out_ += JsonString(value);
}

void JsonWriter::Int(long long value) {
  BeforeValue();
  *out_ += std::to_string(value);
}

void JsonWriter::Double(double value) {
  BeforeValue();
  if (!std::isfinite(value)) {
    *out_ += "null";
    return;
  }
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec != std::errc()) {
    *out_ += "null";
    return;
  }
  out_->append(buffer, end);
}

void JsonWriter::Bool(bool value) {
  BeforeValue();
  *out_ += value ? "true" : "false";
}

void JsonWriter::Null() {
  BeforeValue();
  *out_ += "null";
}

}  // namespace papersearch
