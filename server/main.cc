// papersearch-serve: papersearch --serve (searcher/main.cc runs it). A
// program of its own so that the HTTP and Markdown libraries it links are
// not loaded by every command-line search, whose start-up is most of its
// time.
#include <unistd.h>

#include <string>

#include "searcher/command_line.h"
#include "searcher/environment.h"
#include "searcher/options.h"
#include "server/serve.h"

int main(int argc, char** argv) {
  papersearch::CommandLine command = papersearch::ParseCommandLine(argc, argv);
  if (command.exit_now) {
    const std::string& text = command.output;
    (void)!write(command.exit_code == 0 ? STDOUT_FILENO : STDERR_FILENO,
                 text.data(), text.size());
    return command.exit_code;
  }
  papersearch::Result<papersearch::SearchConfig> validated =
      papersearch::ValidateOptions(command.options);
  if (!validated.ok() || validated->serve_port < 0) {
    const std::string message =
        "papersearch: " +
        (validated.ok() ? std::string("papersearch-serve needs --serve")
                        : validated.status().message()) +
        "\nRun 'papersearch --help' for usage.\n";
    (void)!write(STDERR_FILENO, message.data(), message.size());
    return 2;
  }
  return papersearch::Serve(*validated, papersearch::CurrentEnvironment());
}
