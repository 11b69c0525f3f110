#include "server/http_server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

namespace papersearch {
namespace {

// What one request carries between libmicrohttpd's callbacks: its target as
// the client sent it, before libmicrohttpd decodes the path (the handler
// decodes path and query itself, strictly, and '+' in a query is a space).
struct RequestContext {
  std::string target;
  bool headers_seen = false;  // the handler's first call is over
};

void* KeepTarget(void*, const char* uri, MHD_Connection*) {
  return new RequestContext{uri == nullptr ? "" : uri};
}

void Completed(void*, MHD_Connection*, void** context,
               MHD_RequestTerminationCode) {
  delete static_cast<RequestContext*>(*context);
  *context = nullptr;
}

// `text` with control bytes, quotes and backslashes as \xHH, so that a
// target cannot forge or break log lines.
std::string Printable(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
      char escaped[5];
      snprintf(escaped, sizeof escaped, "\\x%02x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string Header(MHD_Connection* connection, const char* name) {
  const char* value =
      MHD_lookup_connection_value(connection, MHD_HEADER_KIND, name);
  return value == nullptr ? "" : value;
}

MHD_Result CountContentLength(void* count, MHD_ValueKind, const char* name,
                              const char*) {
  if (strcasecmp(name, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
    ++*static_cast<int*>(count);
  }
  return MHD_YES;
}

// A request whose length two headers give, or which has a length and is
// chunked too, is read one way here and maybe another by a proxy in front:
// the start of request smuggling. Refused, whatever the two say.
bool AmbiguousLength(MHD_Connection* connection) {
  int lengths = 0;
  MHD_get_connection_values(connection, MHD_HEADER_KIND, &CountContentLength,
                            &lengths);
  return lengths > 1 ||
         (lengths == 1 && MHD_lookup_connection_value(
                              connection, MHD_HEADER_KIND,
                              MHD_HTTP_HEADER_TRANSFER_ENCODING) != nullptr);
}

// A request with Transfer-Encoding or a Content-Length other than 0.
bool AnnouncesBody(MHD_Connection* connection) {
  const char* length = MHD_lookup_connection_value(
      connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
  return (length != nullptr && std::string_view(length) != "0") ||
         MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
                                     MHD_HTTP_HEADER_TRANSFER_ENCODING) !=
             nullptr;
}

std::string ClientAddress(MHD_Connection* connection) {
  const MHD_ConnectionInfo* info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (info == nullptr || info->client_addr == nullptr) return "-";
  char text[INET6_ADDRSTRLEN] = "-";
  const sockaddr* address = info->client_addr;
  if (address->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr,
              text, sizeof text);
  } else if (address->sa_family == AF_INET6) {
    inet_ntop(AF_INET6,
              &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, text,
              sizeof text);
  }
  return text;
}

// A listening socket on host:port, made here rather than by libmicrohttpd so
// that a failure says why (the address is in use, not this machine's, ...).
Result<int> Listen(const std::string& host, int port, bool* ipv6) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (int error = getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
      error != 0) {
    return Status::Error("--serve: cannot use host '" + host +
                         "': " + gai_strerror(error));
  }
  std::string why;
  for (addrinfo* at = found; at != nullptr; at = at->ai_next) {
    int fd =
        socket(at->ai_family, at->ai_socktype | SOCK_CLOEXEC, at->ai_protocol);
    if (fd < 0) {
      why = std::strerror(errno);
      continue;
    }
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (bind(fd, at->ai_addr, at->ai_addrlen) == 0 && listen(fd, 256) == 0) {
      *ipv6 = at->ai_family == AF_INET6;
      freeaddrinfo(found);
      return fd;
    }
    why = std::strerror(errno);
    close(fd);
  }
  freeaddrinfo(found);
  return Status::Error("--serve: cannot listen on " + host + ":" + service +
                       ": " + why);
}

}  // namespace

int HttpServer::Answer(void* self, void* connection_handle, const char*,
                       const char* method, const char*, const char*,
                       size_t* upload_data_size, void** context) {
  auto* server = static_cast<HttpServer*>(self);
  auto* connection = static_cast<MHD_Connection*>(connection_handle);
  auto* request_context = static_cast<RequestContext*>(*context);
  // libmicrohttpd calls the handler once the headers are in, then again
  // when the body (none, for a GET) has been read. An answer queued on the
  // first call closes the connection, since a body might still be coming:
  // a request without one is answered on the second call, and the
  // connection stays open for the next request. One that announces a body
  // is answered at once (no route takes one), and its connection closed
  // rather than its body read.
  if (request_context != nullptr && !request_context->headers_seen) {
    request_context->headers_seen = true;
    if (!AnnouncesBody(connection)) return MHD_YES;
  }
  HttpRequest request;
  request.method = method;
  request.target = request_context != nullptr ? request_context->target : "";
  request.client = ClientAddress(connection);
  request.accept_encoding = Header(connection, MHD_HTTP_HEADER_ACCEPT_ENCODING);
  request.if_none_match = Header(connection, MHD_HTTP_HEADER_IF_NONE_MATCH);
  *upload_data_size = 0;  // any body is not read
  const auto start = std::chrono::steady_clock::now();
  HttpResponse answer;
  if (AmbiguousLength(connection)) {
    answer.status = 400;
    answer.content_type = "application/json; charset=utf-8";
    answer.body =
        "{\"error\":\"the request gives its length twice (Content-Length and "
        "Content-Length or Transfer-Encoding)\"}\n";
    answer.headers.emplace_back("Connection", "close");
    answer.headers.emplace_back("X-Content-Type-Options", "nosniff");
  } else {
    answer = server->handler_(request);
  }
  MHD_Response* response = MHD_create_response_from_buffer(
      answer.body.size(), answer.body.data(), MHD_RESPMEM_MUST_COPY);
  if (response == nullptr) return MHD_NO;
  if (!answer.content_type.empty()) {
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE,
                            answer.content_type.c_str());
  }
  for (const auto& [name, value] : answer.headers) {
    MHD_add_response_header(response, name.c_str(), value.c_str());
  }
  const MHD_Result queued = MHD_queue_response(
      connection, static_cast<unsigned>(answer.status), response);
  MHD_destroy_response(response);
  if (server->access_log_) {
    const double ms = std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - start)
                          .count();
    char timing[64];
    snprintf(timing, sizeof timing, " %d %zu %.2fms\n", answer.status,
             answer.body.size(), ms);
    // One write(2) a line, so that lines of concurrent requests do not mix.
    const std::string line = request.client + " \"" + request.method + " " +
                             Printable(request.target) + "\"" + timing;
    (void)!write(STDERR_FILENO, line.data(), line.size());
  }
  return queued;
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(
    const std::string& host, int port, const HttpSettings& settings,
    HttpHandler handler) {
  bool ipv6 = false;
  Result<int> listening = Listen(host, port, &ipv6);
  if (!listening.ok()) return listening.status();
  const int fd = *listening;
  std::unique_ptr<HttpServer> server(new HttpServer(std::move(handler)));
  server->access_log_ = settings.access_log;
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
  if (ipv6) flags |= MHD_USE_IPv6;
  server->daemon_ = MHD_start_daemon(
      flags, 0, nullptr, nullptr,
      reinterpret_cast<MHD_AccessHandlerCallback>(&HttpServer::Answer),
      server.get(), MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_THREAD_POOL_SIZE,
      settings.threads, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
      settings.request_bytes, MHD_OPTION_CONNECTION_LIMIT, settings.connections,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, settings.connections_per_address,
      MHD_OPTION_CONNECTION_TIMEOUT, settings.idle_seconds,
      // Stricter parsing: HTTP/1.1 needs Host, no space before a colon.
      MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_URI_LOG_CALLBACK, &KeepTarget,
      nullptr, MHD_OPTION_NOTIFY_COMPLETED, &Completed, nullptr,
      MHD_OPTION_END);
  if (server->daemon_ == nullptr) {
    close(fd);
    return Status::Error("--serve: the HTTP server did not start on " + host +
                         ":" + std::to_string(port));
  }
  const MHD_DaemonInfo* info =
      MHD_get_daemon_info(server->daemon_, MHD_DAEMON_INFO_BIND_PORT);
  server->port_ = info != nullptr ? info->port : port;
  return server;
}

HttpServer::~HttpServer() {
  if (daemon_ != nullptr) {
    // Closes the listening socket too (it was handed to the daemon).
    MHD_stop_daemon(daemon_);
  }
}

}  // namespace papersearch
