#include "benchmarks/query_mix.h"

#include <fstream>

#include "common/utf8.h"
#include "searcher/command_line.h"

namespace papersearch::bench {
std::variant<std::vector<std::string>, std::string> SplitMixLine(
    std::string_view line) {
  line = TrimAsciiSpace(line);
  std::string_view query;
  std::string_view options;
  if (line.starts_with("--")) {
    options = line;
  } else {
    size_t split = line.find(" --");
    query = TrimAsciiSpace(line.substr(0, split));
    if (split != std::string_view::npos) options = line.substr(split + 1);
  }

  std::vector<std::string> args;
  std::string word;
  bool in_word = false;
  bool quoted = false;
  for (char c : options) {
    if (c == '"') {
      quoted = !quoted;
      in_word = true;
    } else if (c == ' ' && !quoted) {
      if (in_word) args.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word.push_back(c);
      in_word = true;
    }
  }
  if (quoted) return std::string("unterminated \" in the options");
  if (in_word) args.push_back(std::move(word));
  if (!query.empty()) {
    args.emplace_back("--");
    args.emplace_back(query);
  }
  return args;
}

std::variant<std::vector<MixQuery>, std::string> ReadQueryMix(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) return path + ": cannot read the query mix";
  std::vector<MixQuery> mix;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::string_view text = TrimAsciiSpace(line);
    if (text.empty() || text.starts_with('#')) continue;
    std::string where = path + ":" + std::to_string(number) + ": ";
    auto split = SplitMixLine(text);
    if (const std::string* error = std::get_if<std::string>(&split)) {
      return where + *error;
    }
    std::vector<std::string> args = {"papersearch"};
    for (std::string& arg : std::get<std::vector<std::string>>(split)) {
      args.push_back(std::move(arg));
    }
    std::vector<const char*> argv;
    for (const std::string& arg : args) argv.push_back(arg.c_str());
    CommandLine command =
        ParseCommandLine(static_cast<int>(argv.size()), argv.data());
    if (command.exit_now)
      return where + std::string(TrimAsciiSpace(command.output));
    auto validated = ValidateOptions(command.options);
    if (const std::string* error = std::get_if<std::string>(&validated)) {
      return where + *error;
    }
    mix.push_back({std::string(text), number,
                   std::get<SearchConfig>(std::move(validated))});
  }
  if (mix.empty()) return path + ": no queries";
  return mix;
}

}  // namespace papersearch::bench
