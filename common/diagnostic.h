// A problem found in a user's file, located precisely enough to fix it.
#ifndef PAPERSEARCH_COMMON_DIAGNOSTIC_H_
#define PAPERSEARCH_COMMON_DIAGNOSTIC_H_

#include <string>

namespace papersearch {

struct Diagnostic {
  std::string file;  // as the user would type it, e.g. "meta/2025/X.prototxt"
  int line = 0;      // 1-based; 0 when the problem concerns the whole file
  int column = 0;    // 1-based; 0 when unknown
  std::string message;

  // "file:line:col: message", leaving out a zero line or column, the form
  // compilers use so that editors can jump to it.
  std::string ToString() const;
};

}  // namespace papersearch

#endif  // PAPERSEARCH_COMMON_DIAGNOSTIC_H_
