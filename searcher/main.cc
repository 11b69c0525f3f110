// papersearch: ranked search over a paperindex database. See README.md.
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <string_view>
#include <variant>

#include "searcher/command_line.h"
#include "searcher/environment.h"
#include "searcher/options.h"
#include "searcher/run.h"

namespace {

// Writes all of `data` to `fd`. A closed reader (EPIPE, as with `| head`)
// ends the output quietly: it is the reader's choice, not an error.
void WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

// papersearch --serve is papersearch-serve, the program beside this one
// (server/main.cc): it runs with the same arguments.
int ServeBeside(char** argv) {
  char self[4096];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  std::string path = n > 0 ? std::string(self, static_cast<size_t>(n)) : "";
  path = path.substr(0, path.rfind('/') + 1) + "papersearch-serve";
  execv(path.c_str(), argv);
  WriteAll(STDERR_FILENO,
           "papersearch: --serve runs " + path + ": " + std::strerror(errno) +
               " (it is built and installed with papersearch)\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // A broken pipe shows up as EPIPE from write() instead of killing us.
  signal(SIGPIPE, SIG_IGN);
  papersearch::CommandLine command = papersearch::ParseCommandLine(argc, argv);
  if (command.exit_now) {
    WriteAll(command.exit_code == 0 ? STDOUT_FILENO : STDERR_FILENO,
             command.output);
    return command.exit_code;
  }
  papersearch::Result<papersearch::SearchConfig> validated =
      papersearch::ValidateOptions(command.options);
  if (!validated.ok()) {
    WriteAll(STDERR_FILENO, "papersearch: " + validated.status().message() +
                                "\nRun 'papersearch --help' for usage.\n");
    return 2;
  }
  if (validated->serve_port >= 0) return ServeBeside(argv);
  papersearch::RunOutput output =
      papersearch::RunSearch(*validated, papersearch::CurrentEnvironment());
  WriteAll(STDERR_FILENO, output.err);
  WriteAll(STDOUT_FILENO, output.out);
  // Everything is written (write(2), no buffers); skip the destructors of
  // the libraries' static state, a measurable part of a short run.
  _exit(static_cast<int>(output.status));
}
