#include "server/api.h"

#include <zlib.h>

#include <chrono>
#include <list>
#include <thread>
#include <unordered_map>

#include "common/document_data.h"
#include "common/json_writer.h"
#include "common/utf8.h"
#include "markdown/gfm.h"
#include "schema.h"
#include "searcher/json_printer.h"
#include "searcher/options.h"
#include "searcher/paper_view.h"
#include "searcher/run.h"
#include "searcher/searcher.h"
#include "server/assets.h"
#include "server/reader.h"

namespace papersearch {
namespace {

constexpr char kJsonType[] = "application/json; charset=utf-8";
// The page runs only its own script and styles: nothing inline, nothing from
// elsewhere, so that even HTML that got into a note could not run.
constexpr char kPagePolicy[] =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";
// Smaller answers go out as they are: gzip would save little.
constexpr size_t kGzipFrom = 1024;

HttpResponse Json(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.content_type = kJsonType;
  response.body = std::move(body);
  response.headers.emplace_back("Cache-Control", "no-cache");
  return response;
}

HttpResponse Error(int status, const std::string& message) {
  std::string body;
  JsonWriter json(&body);
  json.BeginObject();
  json.Key("error");
  json.String(message);
  json.EndObject();
  body += '\n';
  return Json(status, std::move(body));
}

std::string Gzip(std::string_view raw) {
  z_stream stream{};
  // 15 + 16: a gzip wrapper, as Content-Encoding: gzip means.
  if (deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    return "";
  }
  std::string out(deflateBound(&stream, raw.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  stream.avail_in = static_cast<uInt>(raw.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return status == Z_STREAM_END ? out : "";
}

// Whether Accept-Encoding allows gzip: "gzip" or "*", without q=0.
bool AcceptsGzip(std::string_view header) {
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header.remove_prefix(comma == std::string_view::npos ? header.size()
                                                         : comma + 1);
    const size_t semicolon = item.find(';');
    std::string_view name = TrimAsciiSpace(item.substr(0, semicolon));
    if (name != "gzip" && name != "*") continue;
    if (semicolon == std::string_view::npos) return true;
    std::string_view parameter = TrimAsciiSpace(item.substr(semicolon + 1));
    if (!parameter.starts_with("q=") && !parameter.starts_with("Q=")) {
      return true;
    }
    parameter.remove_prefix(2);
    return parameter.find_first_not_of("0.") != std::string_view::npos;
  }
  return false;
}

std::string ETagOf(std::string_view content) {
  uint64_t hash = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : content) {
    hash = (hash ^ c) * 1099511628211ull;
  }
  char text[20];
  snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return std::string("\"") + text + "\"";
}

std::string ContentTypeOf(std::string_view name) {
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  if (name.ends_with(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

// The answers one thread gave lately, each for the version of the
// database it was computed on (Reader::version). A search page asks the same
// questions again and again: the prefixes typed on the way to a query, a
// facet ticked and unticked, back and forward, the next page and the one
// before, and the queries everyone types. Per thread, so without a lock;
// bounded in entries and in the size of an answer kept.
class AnswerCache {
 public:
  static constexpr size_t kEntries = 256;
  static constexpr size_t kMaxBody = 256 * 1024;

  const HttpResponse* Find(const std::string& key, uint64_t version) {
    if (version != version_) return nullptr;
    auto found = index_.find(key);
    if (found == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, found->second);  // now most recent
    return &found->second->second;
  }

  void Add(const std::string& key, uint64_t version,
           const HttpResponse& response) {
    if (version != version_) {
      index_.clear();
      order_.clear();
      version_ = version;
    }
    if (response.body.size() > kMaxBody || index_.count(key) != 0) return;
    order_.emplace_front(key, response);
    index_[key] = order_.begin();
    if (order_.size() > kEntries) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
  }

 private:
  uint64_t version_ = 0;
  std::list<std::pair<std::string, HttpResponse>> order_;  // recent first
  std::unordered_map<std::string,
                     std::list<std::pair<std::string, HttpResponse>>::iterator>
      index_;
};

// What each server thread keeps, per Api (tests run several).
struct ThreadState {
  Reader reader;
  AnswerCache answers;
};

ThreadState& ForThisThread(const Api* api) {
  thread_local std::map<const Api*, ThreadState> states;
  return states[api];
}

using Params = std::multimap<std::string, std::string>;

// The parameters /api/search and /api/export take, and the Options field
// each fills: one table, as the CLI's option table.
struct Parameter {
  const char* name;
  std::string Options::*value = nullptr;
  std::vector<std::string> Options::*values = nullptr;
  bool Options::*flag = nullptr;
};

constexpr Parameter kParameters[] = {
    {.name = "venue", .values = &Options::venues},
    {.name = "institution", .values = &Options::institutions},
    {.name = "year", .values = &Options::years},
    {.name = "keyword", .values = &Options::keywords},
    {.name = "author", .values = &Options::authors},
    {.name = "has_note", .flag = &Options::has_note},
    {.name = "has_code", .flag = &Options::has_code},
    {.name = "sort", .value = &Options::sort},
    {.name = "limit", .value = &Options::limit},
    {.name = "offset", .value = &Options::offset},
    {.name = "like", .value = &Options::like},
    {.name = "all_words", .flag = &Options::all_words},
    {.name = "partial", .flag = &Options::partial},
    {.name = "exact", .flag = &Options::exact},
};

std::string KnownParameters(bool export_file) {
  std::string names = "q";
  for (const Parameter& parameter : kParameters) {
    names += ", ";
    names += parameter.name;
  }
  if (export_file) names += ", format";
  return names;
}

// The request's parameters as the CLI's Options; fails with a message for a
// 400.
Result<Options> ToOptions(const Params& params, bool export_file) {
  Options options;
  std::string format;
  for (const auto& [name, value] : params) {
    const bool once = params.count(name) == 1;
    if (name == "q") {
      if (!once) return Status::Error("give q once");
      if (!value.empty()) options.query_words.push_back(value);
      continue;
    }
    if (export_file && name == "format") {
      if (!once) return Status::Error("give format once");
      format = value;
      continue;
    }
    const Parameter* found = nullptr;
    for (const Parameter& parameter : kParameters) {
      if (name == parameter.name) found = &parameter;
    }
    if (found == nullptr) {
      return Status::Error("unknown parameter '" + name +
                           "' (known: " + KnownParameters(export_file) + ")");
    }
    if (found->values != nullptr) {
      (options.*found->values).push_back(value);
    } else if (!once) {
      return Status::Error(std::string("give ") + found->name + " once");
    } else if (found->flag != nullptr) {
      if (value != "" && value != "1" && value != "true") {
        if (value == "0" || value == "false") continue;
        return Status::Error(std::string(found->name) + " is 1 or 0, not '" +
                             value + "'");
      }
      options.*found->flag = true;
    } else {
      options.*found->value = value;
    }
  }
  if (export_file) {
    if (format != "bibtex" && format != "markdown" && format != "json") {
      return Status::Error("format must be bibtex, markdown or json");
    }
    options.format = format;
    if (options.limit.empty()) options.limit = std::to_string(kMaxApiLimit);
  }
  if (!options.limit.empty()) {
    const std::string& limit = options.limit;
    if (limit.size() > 4 ||
        limit.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(limit) > kMaxApiLimit) {
      return Status::Error("limit is a number up to " +
                           std::to_string(kMaxApiLimit) + ", not '" + limit +
                           "'");
    }
  }
  return options;
}

bool ParseQuery(std::string_view query, Params* params) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view item = query.substr(0, amp);
    query.remove_prefix(amp == std::string_view::npos ? query.size() : amp + 1);
    if (item.empty()) continue;
    const size_t equals = item.find('=');
    std::string name, value;
    if (!DecodePercent(item.substr(0, equals), true, &name)) return false;
    if (equals != std::string_view::npos &&
        !DecodePercent(item.substr(equals + 1), true, &value)) {
      return false;
    }
    params->emplace(std::move(name), std::move(value));
  }
  return true;
}

// Runs `use` on this thread's reader of the database, brought up to date,
// retrying as papersearch does while paperindex commits or switches
// generations.
// `key` names the answer for the cache: the same key on the same database
// version is the same answer.
template <typename Use>
HttpResponse WithDatabase(ThreadState& state, const std::string& path,
                          const OpenPolicy& policy, const std::string& key,
                          Use use) {
  Reader& reader = state.reader;
  for (int attempt = 1;; ++attempt) {
    try {
      if (Status fresh = reader.Refresh(path, policy); !fresh.ok()) {
        return Error(503, fresh.message());
      }
      if (const HttpResponse* cached =
              state.answers.Find(key, reader.version())) {
        return *cached;
      }
      HttpResponse response = use(reader.db());
      if (response.status == 200) {
        state.answers.Add(key, reader.version(), response);
      }
      return response;
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt == kOpenAttempts) {
        return Error(503, "database " + path +
                              " kept changing while being searched: " +
                              e.get_description());
      }
    } catch (const Xapian::DatabaseOpeningError& e) {
      reader.Forget();
      if (attempt == kOpenAttempts) {
        return Error(
            503, "cannot open database " + path + ": " + e.get_description());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20 << attempt));
    } catch (const Xapian::Error& e) {
      reader.Forget();
      return Error(500, "database " + path + ": " + e.get_description());
    }
  }
}

void StringOrNull(JsonWriter& json, const std::string& value) {
  if (value.empty()) {
    json.Null();
  } else {
    json.String(value);
  }
}

}  // namespace

bool DecodePercent(std::string_view text, bool plus_is_space,
                   std::string* out) {
  out->clear();
  out->reserve(text.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return false;
      const int high = hex(text[i + 1]), low = hex(text[i + 2]);
      if (high < 0 || low < 0) return false;
      c = static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == '\0') return false;
    out->push_back(c);
  }
  return FindInvalidUtf8(*out) == std::string::npos;
}

Api::Api(std::string db_path, OpenPolicy policy, Synonyms synonyms,
         Aliases aliases)
    : db_path_(std::move(db_path)),
      policy_(std::move(policy)),
      synonyms_(std::move(synonyms)),
      aliases_(std::move(aliases)) {
  for (size_t i = 0; i < kAssetCount; ++i) {
    const EmbeddedFile& file = kAssets[i];
    Asset asset;
    asset.content_type = ContentTypeOf(file.name);
    asset.body = std::string(file.content);
    asset.etag = ETagOf(asset.body);
    std::string gzipped = Gzip(asset.body);
    if (!gzipped.empty() && gzipped.size() < asset.body.size()) {
      asset.gzipped = std::move(gzipped);
    }
    if (std::string_view(file.name) == "index.html") {
      assets_["/"] = asset;
      assets_["/index.html"] = asset;
    } else {
      assets_[std::string("/assets/") + file.name] = std::move(asset);
    }
  }
}

HttpResponse Api::Handle(const HttpRequest& request) const {
  HttpResponse response;
  if (request.method != "GET" && request.method != "HEAD") {
    response = Error(405, "only GET and HEAD are served");
    response.headers.emplace_back("Allow", "GET, HEAD");
  } else {
    const std::string_view target = request.target;
    const size_t question = target.find('?');
    std::string path;
    Params params;
    if (!DecodePercent(target.substr(0, question), false, &path) ||
        (question != std::string_view::npos &&
         !ParseQuery(target.substr(question + 1), &params))) {
      response = Error(400,
                       "the request's URI has a malformed %-escape, a NUL "
                       "byte or text that is not UTF-8");
    } else if (auto asset = assets_.find(path); asset != assets_.end()) {
      response =
          ServeAsset(asset->second, request,
                     asset->first == "/" || asset->first == "/index.html");
    } else if (path == "/api/search" || path == "/api/export") {
      response = Search(params, path == "/api/export");
    } else if (path.starts_with("/api/paper/")) {
      response =
          params.empty()
              ? Paper(path.substr(std::string_view("/api/paper/").size()))
              : Error(400, "/api/paper/YEAR/ID takes no parameters");
    } else {
      response = Error(404, "no such page: " + path);
    }
  }
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  // Answers of the API are compressed as they go; the page's files were
  // compressed once, at start-up.
  if (response.content_type == kJsonType ||
      response.content_type.starts_with("text/markdown") ||
      response.content_type.starts_with("application/x-bibtex")) {
    response.headers.emplace_back("Vary", "Accept-Encoding");
    if (response.body.size() >= kGzipFrom &&
        AcceptsGzip(request.accept_encoding)) {
      if (std::string gzipped = Gzip(response.body); !gzipped.empty()) {
        response.body = std::move(gzipped);
        response.headers.emplace_back("Content-Encoding", "gzip");
      }
    }
  }
  return response;
}

HttpResponse Api::ServeAsset(const Asset& asset, const HttpRequest& request,
                             bool page) const {
  HttpResponse response;
  response.content_type = asset.content_type;
  response.headers.emplace_back("ETag", asset.etag);
  // Revalidated each time (a 304 costs a round trip, no body): a new binary
  // brings a new page, and the page and its script must match.
  response.headers.emplace_back("Cache-Control", "no-cache");
  response.headers.emplace_back("Vary", "Accept-Encoding");
  if (page) {
    response.headers.emplace_back("Content-Security-Policy", kPagePolicy);
  }
  if (request.if_none_match.find(asset.etag) != std::string::npos ||
      request.if_none_match == "*") {
    response.status = 304;
    return response;
  }
  if (!asset.gzipped.empty() && AcceptsGzip(request.accept_encoding)) {
    response.body = asset.gzipped;
    response.headers.emplace_back("Content-Encoding", "gzip");
  } else {
    response.body = asset.body;
  }
  return response;
}

HttpResponse Api::Search(const Params& params, bool export_file) const {
  Result<Options> options = ToOptions(params, export_file);
  if (!options.ok()) return Error(400, options.status().message());
  Result<SearchConfig> validated = ValidateOptions(*options);
  if (!validated.ok()) return Error(400, validated.status().message());
  SearchConfig config = std::move(validated.value());
  if (!export_file) config.format = OutputFormat::kJson;
  // The parameters in a canonical order (by name; a filter's values as
  // given, since their order is the order of the answer's names).
  std::string key = export_file ? "export" : "search";
  for (const auto& [name, value] : params) {
    key += '\0';
    key += name;
    key += '=';
    key += value;
  }
  return WithDatabase(
      ForThisThread(this), db_path_, policy_, key,
      [&](const Xapian::Database& db) {
        SearchOutput search = papersearch::Search(db, config, WantsFor(config),
                                                  synonyms_, aliases_);
        HttpResponse response =
            Json(200, FormatResults(config, Environment(), search.results));
        if (export_file) {
          std::string extension = "json";
          if (config.format == OutputFormat::kMarkdown) {
            response.content_type = "text/markdown; charset=utf-8";
            extension = "md";
          } else if (config.format != OutputFormat::kJson) {
            response.content_type = "application/x-bibtex; charset=utf-8";
            extension = "bib";
          }
          response.headers.emplace_back(
              "Content-Disposition",
              "attachment; filename=\"papersearch." + extension + "\"");
        }
        return response;
      });
}

HttpResponse Api::Paper(const std::string& id) const {
  if (id.empty() || id.size() > schema::kMaxTermBytes) {
    return Error(404, "no paper '" + id + "'");
  }
  return WithDatabase(
      ForThisThread(this), db_path_, policy_, "paper " + id,
      [&](const Xapian::Database& db) {
        const std::string term = schema::prefix::kId + id;
        Xapian::PostingIterator posting = db.postlist_begin(term);
        if (posting == db.postlist_end(term)) {
          return Error(404, "no paper '" + id + "' in the database");
        }
        const Xapian::Document document = db.get_document(*posting);
        StoredPaper paper;
        if (!DecodeDocumentData(document.get_data(), &paper, nullptr)) {
          return Error(500, "the stored record of " + id +
                                " cannot be read; rebuild with paperindex "
                                "--full");
        }
        const auto& info = paper.info();
        std::string body;
        JsonWriter json(&body);
        json.BeginObject();
        json.Key("id");
        json.String(paper.id());
        WritePaperFields(json, paper, KeywordLabels(paper));
        json.Key("rating");
        if (info.has_rating()) {
          json.Int(info.rating());
        } else {
          json.Null();
        }
        json.Key("update_time");
        if (info.has_update_time()) {
          json.Int(info.update_time());
        } else {
          json.Null();
        }
        json.Key("note_path");
        StringOrNull(json, paper.note_path());
        json.Key("note_html");
        std::string markdown;
        if (DecodeNoteSource(document.get_value(schema::slot::kNoteSource),
                             &markdown)) {
          json.String(RenderGfmHtml(markdown));
        } else {
          json.Null();
        }
        json.EndObject();
        body += '\n';
        return Json(200, std::move(body));
      });
}

}  // namespace papersearch
