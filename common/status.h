// How library code says that something failed: a Status (ok, or a message),
// or a Result<T> (a value, or the Status saying why there is none), in the
// manner of LevelDB's Status and Abseil's StatusOr.
//
// The message is a complete sentence for the user, worded to follow the
// program's name ("papersearch: " + message): it names the file (and line)
// and, where there is one, the exact fix. Each binary turns a failed Status
// into its message and exit code in one place (searcher/run.cc,
// indexer/run.cc). (ReadRegularFile's message is the exception: it follows
// the file's name, which its callers place.) Xapian's own exceptions end
// where each program's work does, RunSearch and UpdateIndex; problems found in
// a collection's files are not failures of a call but findings, reported as
// located Diagnostics (common/diagnostic.h).
#ifndef PAPERSEARCH_COMMON_STATUS_H_
#define PAPERSEARCH_COMMON_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace papersearch {

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  static Status Error(std::string message) {
    assert(!message.empty());
    Status s;
    s.message_ = std::move(message);
    return s;
  }

  bool ok() const { return message_.empty(); }
  // "" when ok.
  const std::string& message() const { return message_; }

 private:
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Status status) : status_(std::move(status)) {  // NOLINT: likewise
    assert(!status_.ok());
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace papersearch

#endif  // PAPERSEARCH_COMMON_STATUS_H_
