// Fuzzes the readers of files a user or a collection names
// (common/file_reader.h) and the synonyms and aliases formats
// (common/synonyms.h, common/aliases.h): any bytes give groups or aliases
// and located messages, never a crash, a hang or a read past the limit.
//
// The input is the file's text. It is read whole, then with a limit of a
// few bytes both truncating and refusing, then loaded as a user's synonyms
// and aliases file ($PAPERSEARCH_SYNONYMS, $PAPERSEARCH_ALIASES) and as the
// synonyms file beside a database.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/aliases.h"
#include "common/file_reader.h"
#include "common/synonyms.h"

namespace {

namespace fs = std::filesystem;

const fs::path& Dir() {
  static const fs::path dir = [] {
    char templ[] = "/tmp/fuzz_settings.XXXXXX";
    return fs::path(mkdtemp(templ));
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const fs::path file = Dir() / papersearch::kSynonymsFileName;
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(input.data(), static_cast<std::streamsize>(input.size()));
  }

  papersearch::FileRead read;
  if (!papersearch::ReadRegularFile(file.string(), {1 << 20, false}, &read)
           .ok() ||
      read.text != input || read.truncated) {
    std::abort();
  }
  const size_t limit = size > 0 ? data[0] % 64 : 0;
  const bool over = input.size() > limit;
  if (!papersearch::ReadRegularFile(file.string(), {limit, true}, &read).ok() ||
      read.text != input.substr(0, limit) || read.truncated != over) {
    std::abort();
  }
  const papersearch::Status refused =
      papersearch::ReadRegularFile(file.string(), {limit, false}, &read);
  if (refused.ok() == over || (over && !read.text.empty())) std::abort();

  std::vector<std::string> notices;
  papersearch::Synonyms synonyms =
      papersearch::LoadSynonyms(file.string(), Dir().string(), &notices);
  for (const auto& group : synonyms.groups()) {
    for (std::string_view member : group.members) {
      const std::string key = papersearch::Synonyms::Normalize(member);
      if (!key.empty() && !synonyms.Contains(key)) std::abort();
      (void)synonyms.GroupsOf(key);
    }
  }
  const papersearch::Aliases aliases =
      papersearch::LoadAliases(file.string(), "", &notices);
  (void)aliases.Targets("institution", input.substr(0, limit));
  return 0;
}
