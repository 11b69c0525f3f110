// Fuzzes opening a database path (common/database_open.h) and paperindex's
// reading of its own stub (indexer/index_store.h): a database path may lie in
// a folder someone else prepared, so any bytes in a stub must give a message
// or a database, never a crash, a hang, a started program or a connection.
//
// The input is two stub files, split at the first 0 byte: `db` and
// `sub/other`, in a directory that also holds a real glass database, `g`.
// Stubs may name each other, themselves, the database or anything else.
#include <unistd.h>
#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/database_open.h"
#include "indexer/index_store.h"

namespace {

namespace fs = std::filesystem;

const fs::path& Dir() {
  static const fs::path dir = [] {
    char templ[] = "/tmp/fuzz_stub.XXXXXX";
    fs::path made = mkdtemp(templ);
    fs::create_directories(made / "sub");
    Xapian::WritableDatabase db((made / "g").string(),
                                Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
    Xapian::Document doc;
    doc.add_term("hello");
    db.add_document(doc);
    db.commit();
    return made;
  }();
  return dir;
}

void Write(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t split = input.find('\0');
  const fs::path& dir = Dir();
  Write(dir / "db", input.substr(0, split));
  Write(dir / "sub/other",
        split == std::string_view::npos ? "" : input.substr(split + 1));

  // Neither the network nor programs: a fuzzer must not start either, and
  // the resolver must not hand back a shard that would.
  papersearch::OpenPolicy policy;
  policy.allow_network = false;
  policy.allow_programs = false;
  policy.local_only_reason = "fuzzing";
  std::vector<papersearch::Shard> shards;
  const papersearch::Status resolved =
      papersearch::ResolveDatabase((dir / "db").string(), policy, &shards);
  for (const papersearch::Shard& shard : shards) {
    if (shard.kind != papersearch::Shard::kLocal) std::abort();
  }
  if (shards.size() > papersearch::kMaxStubShards) std::abort();
  if (resolved.ok()) {
    try {
      Xapian::Database db;
      if (papersearch::OpenDatabase((dir / "db").string(), policy, &db).ok()) {
        (void)db.get_doccount();
      }
    } catch (const Xapian::Error&) {
      // A path that is not a database: Xapian says so.
    }
  }

  (void)papersearch::CurrentGeneration((dir / "db").string());
  return 0;
}
