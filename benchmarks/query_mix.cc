#include "benchmarks/query_mix.h"

#include <fstream>

#include "common/utf8.h"
#include "searcher/command_line.h"

namespace papersearch::bench {
Result<std::vector<std::string>> SplitMixLine(std::string_view line) {
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
  if (quoted) return Status::Error("unterminated \" in the options");
  if (in_word) args.push_back(std::move(word));
  if (!query.empty()) {
    args.emplace_back("--");
    args.emplace_back(query);
  }
  return args;
}

Result<std::vector<MixQuery>> ReadQueryMix(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::Error(path + ": cannot read the query mix");
  std::vector<MixQuery> mix;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::string_view text = TrimAsciiSpace(line);
    if (text.empty() || text.starts_with('#')) continue;
    std::string where = path + ":" + std::to_string(number) + ": ";
    Result<std::vector<std::string>> split = SplitMixLine(text);
    if (!split.ok()) return Status::Error(where + split.status().message());
    std::vector<std::string> args = {"papersearch"};
    for (std::string& arg : *split) {
      args.push_back(std::move(arg));
    }
    std::vector<const char*> argv;
    for (const std::string& arg : args) argv.push_back(arg.c_str());
    CommandLine command =
        ParseCommandLine(static_cast<int>(argv.size()), argv.data());
    if (command.exit_now)
      return Status::Error(where + std::string(TrimAsciiSpace(command.output)));
    Result<SearchConfig> validated = ValidateOptions(command.options);
    if (!validated.ok()) {
      return Status::Error(where + validated.status().message());
    }
    mix.push_back({std::string(text), number, std::move(validated).value()});
  }
  if (mix.empty()) return Status::Error(path + ": no queries");
  return mix;
}

}  // namespace papersearch::bench
