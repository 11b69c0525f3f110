// An HTTP/1.1 server on libmicrohttpd (Debian's libmicrohttpd12), with every
// resource a client can spend bounded: the request line and headers share a
// per-connection buffer (a longer URI gets 414, more headers 431), bodies
// are refused, connections are capped in all and per address, and an idle
// connection is closed. Connections are served by a pool of threads, each
// polling its own connections with epoll, so a slow or idle client holds a
// socket, never a thread; a handler runs on the thread of its connection.
#ifndef PAPERSEARCH_SERVER_HTTP_SERVER_H_
#define PAPERSEARCH_SERVER_HTTP_SERVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

struct MHD_Daemon;

namespace papersearch {

struct HttpRequest {
  std::string method;  // "GET", "HEAD", ...
  std::string target;  // the request target as sent: path and query, raw
  std::string client;  // the peer's address, for the log
  // Header values the handlers read ("" when absent).
  std::string accept_encoding;
  std::string if_none_match;
};

struct HttpResponse {
  int status = 200;
  std::string content_type;
  std::string body;
  // Further headers (Cache-Control, ETag, ...), in order.
  std::vector<std::pair<std::string, std::string>> headers;
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpSettings {
  // Request line and headers together; also the connection's whole memory.
  size_t request_bytes = 32 * 1024;
  unsigned connections = 1000;
  unsigned connections_per_address = 256;
  unsigned idle_seconds = 10;
  unsigned threads = 4;
  // One line per request on stderr: client, method, target, status, bytes
  // and milliseconds.
  bool access_log = true;
};

class HttpServer {
 public:
  // Listens on `host` (a numeric IPv4 or IPv6 address, or "localhost") and
  // `port` (0: any free port) and serves with `handler` until destroyed.
  static Result<std::unique_ptr<HttpServer>> Start(const std::string& host,
                                                   int port,
                                                   const HttpSettings& settings,
                                                   HttpHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const { return port_; }

 private:
  explicit HttpServer(HttpHandler handler) : handler_(std::move(handler)) {}
  static int Answer(void* self, void* connection, const char* url,
                    const char* method, const char* version,
                    const char* upload_data, size_t* upload_data_size,
                    void** context);

  HttpHandler handler_;
  bool access_log_ = true;
  MHD_Daemon* daemon_ = nullptr;
  int port_ = 0;
};

}  // namespace papersearch

#endif  // PAPERSEARCH_SERVER_HTTP_SERVER_H_
