#include "common/usage_error.h"

#include <string_view>
#include <vector>

#include "common/suggest.h"
#include "schema.h"

namespace papersearch {

std::string VersionLine(std::string_view program, std::string_view version) {
  std::string line(program);
  line.append(" ").append(version).append(" (database schema ");
  return line + std::to_string(schema::kVersion) + ")";
}
namespace {

// Every option name `app` and its subcommands accept, dashes included.
void CollectOptionNames(const CLI::App& app, std::vector<std::string>* out) {
  for (const CLI::Option* option :
       app.get_options([](const CLI::Option*) { return true; })) {
    for (const std::string& name : option->get_lnames())
      out->push_back("--" + name);
    for (const std::string& name : option->get_snames())
      out->push_back("-" + name);
  }
  for (const CLI::App* sub : app.get_subcommands({})) {
    CollectOptionNames(*sub, out);
  }
}

// "unknown option '--instituion'; did you mean '--institution'?" for each
// unknown option left over from parsing, or "unexpected argument 'x'" for
// other leftovers.
std::string DescribeExtras(const CLI::App& app) {
  std::vector<std::string> names;
  CollectOptionNames(app, &names);
  std::vector<std::string> unknown, unexpected;
  for (const std::string& arg : app.remaining(/*recurse=*/true)) {
    // papersearch moves its query words behind a `--` (command_line.cc),
    // which CLI11 reports among the leftovers when an option is unknown.
    if (arg == "--") continue;
    if (arg.size() < 2 || arg[0] != '-') {
      unexpected.push_back("unexpected argument '" + arg + "'");
      continue;
    }
    const std::string name = arg.substr(0, arg.find('='));
    std::string line = "unknown option '" + name + "'";
    // Every short option is one edit from every other: '-n' is not a
    // misspelt '-h'.
    const bool short_option = name.size() == 2;
    ClosestValueFinder finder(name, 1);
    for (const std::string& candidate : names) {
      if (!short_option) finder.Offer(candidate);
    }
    std::vector<ClosestValueFinder::Match> best = finder.Best();
    if (!best.empty()) line += "; did you mean '" + best[0].value + "'?";
    unknown.push_back(std::move(line));
  }
  // Beside an unknown option, the other leftovers are most likely its
  // values (`--rot x`): name only the option.
  const std::vector<std::string>& lines =
      unknown.empty() ? unexpected : unknown;
  std::string out;
  for (const std::string& line : lines) {
    if (!out.empty()) out += "\n" + app.get_name() + ": ";
    out += line;
  }
  return out;
}

// CLI11's "--venue: 1 required TEXT missing" (an ArgumentMismatch) as
// "--venue needs a value"; other messages as CLI11 words them.
std::string DescribeMessage(const CLI::ParseError& error) {
  const std::string message = error.what();
  const size_t colon = message.find(": ");
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) &&
      colon != std::string::npos && message.ends_with(" missing")) {
    return message.substr(0, colon) + " needs a value";
  }
  return message;
}

}  // namespace

std::string DescribeUsageError(const CLI::App& app,
                               const CLI::ParseError& error) {
  const std::string& program = app.get_name();
  std::string what = dynamic_cast<const CLI::ExtrasError*>(&error)
                         ? DescribeExtras(app)
                         : DescribeMessage(error);
  if (what.empty()) what = error.what();
  return program + ": " + what + "\nRun '" + program + " --help' for usage.\n";
}

}  // namespace papersearch
