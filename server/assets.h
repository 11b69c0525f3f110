// The page's files, compiled in from server/assets/
// (server/embed_assets.cmake).
#ifndef PAPERSEARCH_SERVER_ASSETS_H_
#define PAPERSEARCH_SERVER_ASSETS_H_

#include <cstddef>
#include <string_view>

namespace papersearch {

struct EmbeddedFile {
  const char* name;  // "app.js": the file's name in server/assets/
  std::string_view content;
};

extern const EmbeddedFile kAssets[];
extern const size_t kAssetCount;

}  // namespace papersearch

#endif  // PAPERSEARCH_SERVER_ASSETS_H_
