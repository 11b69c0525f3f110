#include "server/serve.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <thread>

#include "searcher/db_locator.h"
#include "searcher/run.h"
#include "server/api.h"
#include "server/http_server.h"

namespace papersearch {
namespace {

void Say(const std::string& line) {
  const std::string text = "papersearch: " + line + "\n";
  (void)!write(STDERR_FILENO, text.data(), text.size());
}

}  // namespace

int Serve(const SearchConfig& config, const Environment& env) {
  // A named database may not exist yet: the server waits for paperindex.
  // Without a name, it is found as a search finds it, and must exist.
  DbLocation location;
  if (!config.db.empty()) {
    location = {config.db, "--db", false};
  } else if (!env.papersearch_db.empty()) {
    location = {env.papersearch_db, "PAPERSEARCH_DB", false};
  } else {
    Result<DbLocation> located = LocateDatabase("", "", env.cwd);
    if (!located.ok()) {
      Say(located.status().message());
      return 2;
    }
    location = std::move(located.value());
  }
  std::vector<std::string> notices;
  Synonyms synonyms = LoadSynonyms(env.papersearch_synonyms,
                                   ParentDirectory(location.path), &notices);
  Aliases aliases = LoadAliases(env.papersearch_aliases,
                                ParentDirectory(location.path), &notices);
  for (const std::string& notice : notices) Say(notice);

  // SIGTERM and SIGINT are taken by sigwait below: blocked here, before any
  // thread starts, so that every thread inherits the mask and none is
  // interrupted.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  const Api api(location.path, PolicyFor(location, config), std::move(synonyms),
                std::move(aliases));
  HttpSettings settings;
  settings.access_log = !config.quiet;
  // Searches run on the connections' threads: a few per core, so that one
  // slow search leaves the others' connections served.
  settings.threads =
      std::clamp(2 * std::thread::hardware_concurrency(), 2u, 16u);
  Result<std::unique_ptr<HttpServer>> server = HttpServer::Start(
      config.serve_host, config.serve_port, settings,
      [&api](const HttpRequest& request) { return api.Handle(request); });
  if (!server.ok()) {
    Say(server.status().message());
    return 2;
  }
  const bool v6 = config.serve_host.find(':') != std::string::npos;
  Say("serving http://" +
      (v6 ? "[" + config.serve_host + "]" : config.serve_host) + ":" +
      std::to_string((*server)->port()) + "/ (database " + location.path +
      "; stop with Ctrl-C)");
  int signal_number = 0;
  sigwait(&stop, &signal_number);
  server->reset();  // stops listening, finishes the requests under way
  Say("stopped");
  return 0;
}

}  // namespace papersearch
