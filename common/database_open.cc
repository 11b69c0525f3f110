#include "common/database_open.h"

#include <sys/stat.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>
#include <utility>

#include "common/file_reader.h"

namespace papersearch {
namespace {

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

std::string DirectoryOf(const std::string& file) {
  const size_t slash = file.rfind('/');
  if (slash == std::string::npos) return "";
  return file.substr(0, slash + 1);
}

// Walks a stub tree depth first. `stack` holds the stubs being read, for
// cycles and depth.
class Resolver {
 public:
  Resolver(const OpenPolicy& policy, std::vector<Shard>* shards)
      : policy_(policy), shards_(shards) {}

  // `named_by` is "" for the path the user gave, else "STUB:LINE".
  Status Resolve(const std::string& path, const std::string& named_by) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
      if (!named_by.empty() && errno == ENOENT) {
        // A generation a writer has just replaced: opening it fails with
        // Xapian's DatabaseOpeningError, which the caller retries.
        return AddShard(Shard::kLocal, path, named_by);
      }
      return Status::Error(
          (named_by.empty() ? "" : named_by + ": ") + path + ": " +
          (errno == ENOENT
               ? "no such file or directory"
               : std::string("cannot read it (") + std::strerror(errno) + ")"));
    }
    if (S_ISDIR(st.st_mode)) {
      // Xapian's "stub directory": a XAPIANDB stub inside a directory that
      // is not itself a database.
      if (!Exists(path + "/iamglass") && Exists(path + "/XAPIANDB")) {
        return ReadStub(path + "/XAPIANDB", named_by);
      }
      return AddShard(Shard::kLocal, path, named_by);
    }
    if (S_ISREG(st.st_mode)) return ReadStub(path, named_by);
    return Status::Error((named_by.empty() ? "" : named_by + ": ") + path +
                         ": " + FileKind(st.st_mode) + ", not a database");
  }

 private:
  Status AddShard(Shard::Kind kind, std::string location,
                  const std::string& named_by) {
    if (shards_->size() == kMaxStubShards) {
      return Status::Error(named_by + ": the stubs list more than " +
                           std::to_string(kMaxStubShards) + " databases");
    }
    shards_->push_back({kind, std::move(location)});
    return Status();
  }

  Status ReadStub(const std::string& stub, const std::string& named_by) {
    FileRead file;
    if (Status read = ReadRegularFile(stub, {kMaxStubBytes, false}, &file);
        !read.ok()) {
      return Status::Error(stub + ": " + read.message());
    }
    for (const auto& [dev, ino] : stack_) {
      if (dev == file.info.st_dev && ino == file.info.st_ino) {
        std::string cycle;
        for (const std::string& name : stack_names_) cycle += name + " -> ";
        return Status::Error(
            "database stubs name each other in a cycle: " + cycle + stub);
      }
    }
    if (stack_.size() == static_cast<size_t>(kMaxStubDepth)) {
      return Status::Error(named_by + ": database stubs are nested more than " +
                           std::to_string(kMaxStubDepth) + " deep (at " + stub +
                           ")");
    }
    stack_.emplace_back(file.info.st_dev, file.info.st_ino);
    stack_names_.push_back(stub);
    Status problem = ReadLines(stub, file.text);
    stack_.pop_back();
    stack_names_.pop_back();
    return problem;
  }

  Status ReadLines(const std::string& stub, std::string_view text) {
    const std::string dir = DirectoryOf(stub);
    size_t line_number = 0;
    const size_t before = shards_->size();
    while (!text.empty()) {
      ++line_number;
      const size_t end = text.find('\n');
      std::string_view line = text.substr(0, end);
      text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty() || line.front() == '#') continue;
      const std::string at = stub + ":" + std::to_string(line_number);
      const size_t space = line.find(' ');
      const std::string_view type = line.substr(0, space);
      const std::string_view rest =
          space == std::string_view::npos ? "" : line.substr(space + 1);
      Status problem;
      if ((type == "auto" || type == "glass") && !rest.empty()) {
        std::string target(rest);
        if (target.find('\0') != std::string::npos) {
          return Status::Error(at + ": a path with a NUL byte");
        }
        if (target.front() != '/') target = dir + target;
        problem = type == "auto" ? Resolve(target, at)
                                 : AddShard(Shard::kLocal, target, at);
      } else if (type == "remote" && !rest.empty()) {
        problem = Remote(at, rest);
      } else {
        // Like Xapian, the line itself is not repeated: the file may not be
        // a stub at all, and its text is not ours to print.
        return Status::Error(
            at +
            ": not a database line; papersearch opens stub lines "
            "'auto PATH', 'glass PATH' and 'remote HOST:PORT'");
      }
      if (!problem.ok()) return problem;
    }
    if (shards_->size() == before)
      return Status::Error(stub + " lists no database");
    return Status();
  }

  Status Remote(const std::string& at, std::string_view rest) {
    if (rest.front() == ':') {
      if (!policy_.allow_programs) {
        std::string why =
            policy_.local_only_reason.empty()
                ? "; if you trust this database and whoever wrote it, "
                  "--allow-stub-programs lets it run"
                : "; " + policy_.local_only_reason;
        return Status::Error(
            at +
            ": refusing a 'remote :PROGRAM' line, which would run a "
            "program named by the database file" +
            why);
      }
      return AddShard(Shard::kRemoteProgram, std::string(rest.substr(1)), at);
    }
    if (!policy_.allow_network) {
      return Status::Error(
          at +
          ": refusing a 'remote HOST:PORT' line, which would connect to "
          "another machine; " +
          policy_.local_only_reason);
    }
    const size_t colon = rest.rfind(':');
    unsigned port = 0;
    if (colon == std::string_view::npos || colon == 0) {
      return Status::Error(at + ": a remote line needs HOST:PORT");
    }
    const std::string_view digits = rest.substr(colon + 1);
    auto [end, error] =
        std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (error != std::errc() || end != digits.data() + digits.size() ||
        port == 0 || port > 65535) {
      return Status::Error(
          at + ": a remote line needs HOST:PORT with a port from 1 to 65535");
    }
    return AddShard(Shard::kRemoteTcp, std::string(rest), at);
  }

  const OpenPolicy& policy_;
  std::vector<Shard>* shards_;
  std::vector<std::pair<dev_t, ino_t>> stack_;
  std::vector<std::string> stack_names_;
};

}  // namespace

Status ResolveDatabase(const std::string& path, const OpenPolicy& policy,
                       std::vector<Shard>* shards) {
  shards->clear();
  if (path.empty()) return Status::Error("no database path given");
  return Resolver(policy, shards).Resolve(path, "");
}

Status OpenDatabase(const std::string& path, const OpenPolicy& policy,
                    Xapian::Database* db) {
  std::vector<Shard> shards;
  if (Status resolved = ResolveDatabase(path, policy, &shards);
      !resolved.ok()) {
    return resolved;
  }
  Xapian::Database opened;
  for (const Shard& shard : shards) {
    switch (shard.kind) {
      case Shard::kLocal:
        opened.add_database(
            Xapian::Database(shard.location, Xapian::DB_BACKEND_GLASS));
        break;
      case Shard::kRemoteTcp: {
        const size_t colon = shard.location.rfind(':');
        std::string host = shard.location.substr(0, colon);
        if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
          host = host.substr(1, host.size() - 2);
        }
        const unsigned port =
            static_cast<unsigned>(std::stoul(shard.location.substr(colon + 1)));
        opened.add_database(Xapian::Remote::open(
            host, port, policy.remote_timeout_ms, policy.remote_timeout_ms));
        break;
      }
      case Shard::kRemoteProgram: {
        const size_t space = shard.location.find(' ');
        opened.add_database(Xapian::Remote::open(
            shard.location.substr(0, space),
            space == std::string::npos ? "" : shard.location.substr(space + 1),
            policy.remote_timeout_ms));
        break;
      }
    }
  }
  *db = opened;
  return Status();
}

}  // namespace papersearch
