// papersearch --serve: the HTTP server's life, from a validated config to a
// clean exit on SIGTERM or SIGINT.
#ifndef PAPERSEARCH_SERVER_SERVE_H_
#define PAPERSEARCH_SERVER_SERVE_H_

#include "searcher/environment.h"
#include "searcher/options.h"

namespace papersearch {

// Serves `config`'s database on config.serve_host:serve_port until SIGTERM
// or SIGINT. The database need not exist yet when --db or $PAPERSEARCH_DB
// names it (requests get 503 until paperindex builds it). Prints
// "papersearch: serving http://HOST:PORT/ ..." on stderr once listening.
// Returns the exit status: 0 after a signal, 2 when it cannot start.
int Serve(const SearchConfig& config, const Environment& env);

}  // namespace papersearch

#endif  // PAPERSEARCH_SERVER_SERVE_H_
