// What papersearch --serve answers: the page, its files, and the JSON API,
// each request on its own (no session state). The search answer is the
// CLI's --json for the same query and filters, byte for byte: the request's
// parameters become the CLI's Options and go through the same
// ValidateOptions, Search and FormatJson.
//
//   GET /                      the page (server/assets/index.html)
//   GET /assets/NAME           its scripts, styles and icon
//   GET /api/search?q=&venue=&institution=&year=&keyword=&author=
//                   &has_note=1&has_code=1&sort=&limit=&offset=&like=
//                   &all_words=1&exact=1
//   GET /api/paper/YEAR/ID     one paper, its note rendered to HTML
//   GET /api/export?format=bibtex|markdown|json&(search parameters)
//
// Filters repeat (OR within one, AND across). Errors are JSON
// {"error": "..."} with 400, 404, 405, 500 or 503 (no database yet).
#ifndef PAPERSEARCH_SERVER_API_H_
#define PAPERSEARCH_SERVER_API_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/aliases.h"
#include "common/database_open.h"
#include "common/synonyms.h"
#include "server/http_server.h"

namespace papersearch {

// Results one request may ask for; the export's default.
inline constexpr unsigned kMaxApiLimit = 1000;

class Api {
 public:
  Api(std::string db_path, OpenPolicy policy, Synonyms synonyms,
      Aliases aliases);

  // Thread-safe: each thread keeps its own Reader of the database.
  HttpResponse Handle(const HttpRequest& request) const;

 private:
  struct Asset {
    std::string content_type;
    std::string body;
    std::string gzipped;  // empty when gzip does not make it smaller
    std::string etag;
  };

  HttpResponse Search(const std::multimap<std::string, std::string>& params,
                      bool export_file) const;
  HttpResponse Paper(const std::string& id) const;
  HttpResponse ServeAsset(const Asset& asset, const HttpRequest& request,
                          bool page) const;

  std::string db_path_;
  OpenPolicy policy_;
  Synonyms synonyms_;
  Aliases aliases_;
  std::map<std::string, Asset> assets_;  // by request path: "/assets/app.js"
};

// Decodes a URI's percent-escapes; in a query ('+' is a space) when
// `plus_is_space`. False for a malformed escape, a NUL byte or invalid
// UTF-8 in the result.
bool DecodePercent(std::string_view text, bool plus_is_space, std::string* out);

}  // namespace papersearch

#endif  // PAPERSEARCH_SERVER_API_H_
