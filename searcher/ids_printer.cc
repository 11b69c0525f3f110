#include "searcher/ids_printer.h"

namespace papersearch {

std::string FormatIds(const SearchResults& results) {
  std::string out;
  for (const Hit& hit : results.hits) {
    out += hit.paper.id();
    out += '\n';
  }
  return out;
}

}  // namespace papersearch
