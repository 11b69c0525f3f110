// A minimal streaming JSON writer: always valid UTF-8 JSON out, whatever
// bytes go in.
#ifndef PAPERSEARCH_COMMON_JSON_WRITER_H_
#define PAPERSEARCH_COMMON_JSON_WRITER_H_

#include <string>
#include <string_view>
#include <vector>

namespace papersearch {

// `text` as a JSON string literal (with the quotes): invalid UTF-8 becomes
// U+FFFD, control characters and U+2028/U+2029 are \u-escaped.
std::string JsonString(std::string_view text);

// Appends compact JSON to a string. The caller nests Begin/End calls
// correctly and calls Key before each value inside an object; commas are
// placed automatically. Not thread-safe.
class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  void Key(std::string_view key);
  void String(std::string_view value);
  void Int(long long value);
  // Shortest form that reads back as the same double; null for NaN/inf.
  void Double(double value);
  void Bool(bool value);
  void Null();

 private:
  void BeforeValue();

  std::string* out_;
  // One entry per open container: whether it has a member yet.
  std::vector<bool> has_member_;
  bool after_key_ = false;
};

}  // namespace papersearch

#endif  // PAPERSEARCH_COMMON_JSON_WRITER_H_
