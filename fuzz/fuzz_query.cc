// Fuzzes the searcher's library path: flags validated into a SearchConfig,
// the query parsed and run against the fixture collection
// (tests/fixtures/mini, indexed once at start-up), and every printer.
//
// Input: the first line is the query text; each further line is a flag,
// "X:value" with X one of i (--institution), v (--venue), y (--year),
// k (--keyword), a (--author), l (--limit), o (--offset), s (--sort),
// f (--format), g (--group-by); or a bare "n" (--has-note), "c" (--has-code),
// "F" (--facets).
#include <unistd.h>
#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>

#include "common/utf8.h"
#include "indexer/run.h"
#include "searcher/ids_printer.h"
#include "searcher/json_printer.h"
#include "searcher/markdown_printer.h"
#include "searcher/options.h"
#include "searcher/searcher.h"
#include "searcher/text_printer.h"

namespace {

Xapian::Database* fixture_db = nullptr;

// Indexes the fixture collection into a fresh temporary directory, which is
// left behind for the life of the process (libFuzzer exits without unwinding).
void OpenFixture() {
  char dir[] = "/tmp/papersearch-fuzz-XXXXXX";
  if (mkdtemp(dir) == nullptr) {
    std::perror("fuzz_query: mkdtemp");
    std::abort();
  }
  papersearch::IndexOptions options;
  options.root = PAPERSEARCH_FIXTURE_DIR;
  options.db_path = std::string(dir) + "/db";
  options.quiet = true;
  std::ostringstream err;
  if (papersearch::RunIndex(options, err) != 0) {
    std::fprintf(stderr, "fuzz_query: cannot index %s: %s\n",
                 PAPERSEARCH_FIXTURE_DIR, err.str().c_str());
    std::abort();
  }
  fixture_db = new Xapian::Database(options.db_path);
}

papersearch::Options ParseInput(std::string_view input) {
  papersearch::Options options;
  size_t end = input.find('\n');
  options.query_words.emplace_back(input.substr(0, end));
  while (end != std::string_view::npos) {
    input.remove_prefix(end + 1);
    end = input.find('\n');
    std::string_view line = input.substr(0, end);
    if (line == "n") options.has_note = true;
    if (line == "c") options.has_code = true;
    if (line == "F") options.facets = true;
    if (line.size() < 2 || line[1] != ':') continue;
    std::string value(line.substr(2));
    switch (line[0]) {
      case 'i': options.institutions.push_back(value); break;
      case 'v': options.venues.push_back(value); break;
      case 'y': options.years.push_back(value); break;
      case 'k': options.keywords.push_back(value); break;
      case 'a': options.authors.push_back(value); break;
      case 'l': options.limit = value; break;
      case 'o': options.offset = value; break;
      case 's': options.sort = value; break;
      case 'f': options.format = value; break;
      case 'g': options.group_by = value; break;
      default: break;
    }
  }
  return options;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  OpenFixture();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  papersearch::Result<papersearch::SearchConfig> validated =
      papersearch::ValidateOptions(ParseInput(input));
  if (!validated.ok()) return 0;  // a usage error, as papersearch reports
  const papersearch::SearchConfig* config = &*validated;
  papersearch::SearchOutput output =
      papersearch::Search(*fixture_db, *config, papersearch::SearchWants{});
  const papersearch::SearchResults& results = output.results;
  papersearch::FormatText(results, {/*color=*/true, /*show_facets=*/true});
  papersearch::FormatText(results, {/*color=*/false, /*show_facets=*/false});
  std::string json = papersearch::FormatJson(results);
  if (papersearch::FindInvalidUtf8(json) != std::string_view::npos) {
    std::abort();  // promised: always valid UTF-8
  }
  papersearch::FormatMarkdown(results, config->group_by);
  papersearch::FormatIds(results);
  return 0;
}
