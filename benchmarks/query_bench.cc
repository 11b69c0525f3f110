// query_bench: in-process query latency (issue 5, measurement 1).
//
// Opens a paperindex database once and runs the committed query mix
// (benchmarks/queries.txt) through papersearch's own entry point, Search()
// with snippets (facets are always counted), and through bare Xapian: an
// Enquire on the same parsed query (the any-word one when papersearch fell
// back to it) and filters, top 10 by relevance with each hit's document data,
// no snippets, facets or exact counts. The two are run one after the other
// for every query, in alternating order, so that the noise of a shared
// machine falls on both alike. Percentiles are over every (query, repetition)
// sample.
//
//   query_bench --db DB [--queries FILE] [--reps N] [--label TEXT]
//               [--summary FILE] [--per-query FILE] [benchmark flags]
//
// --summary appends one tab-separated line per engine (label, engine,
// queries, samples, p50, p95, p99, mean and max in ms) for scripts;
// --per-query writes each query's median in both engines and its matches.
#include <benchmark/benchmark.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "benchmarks/query_mix.h"
#include "common/schema_check.h"
#include "searcher/filters.h"
#include "searcher/query_builder.h"
#include "searcher/searcher.h"

namespace papersearch::bench {
namespace {

struct Flags {
  std::string db;
  std::string queries = PAPERSEARCH_QUERY_MIX;  // benchmarks/queries.txt
  int reps = 20;
  std::string label;
  std::string summary;
  std::string per_query;
};

// Takes our flags out of argv (leaving Google Benchmark's). Returns a usage
// message on error.
std::optional<std::string> TakeFlags(int* argc, char** argv, Flags* flags) {
  int kept = 1;
  for (int i = 1; i < *argc; ++i) {
    std::string_view arg = argv[i];
    std::string* target = nullptr;
    std::string reps;
    if (arg == "--db") target = &flags->db;
    if (arg == "--queries") target = &flags->queries;
    if (arg == "--label") target = &flags->label;
    if (arg == "--summary") target = &flags->summary;
    if (arg == "--per-query") target = &flags->per_query;
    if (arg == "--reps") target = &reps;
    if (target == nullptr) {
      argv[kept++] = argv[i];
      continue;
    }
    if (i + 1 == *argc) return std::string(arg) + " needs a value";
    *target = argv[++i];
    if (target == &reps) {
      char* end = nullptr;
      long value = std::strtol(reps.c_str(), &end, 10);
      if (*end != '\0' || value < 1 || value > 100000) {
        return "--reps needs a positive number, not '" + reps + "'";
      }
      flags->reps = static_cast<int>(value);
    }
  }
  *argc = kept;
  if (flags->db.empty()) return std::string("--db DB is required");
  return std::nullopt;
}

// One query of the mix, ready to run both ways.
struct PreparedQuery {
  MixQuery mix;
  Xapian::Query bare;    // what the bare Xapian run searches
  unsigned matches = 0;  // papersearch's total, for the per-query report
};

// The query Search() ends up running for `config`: words (all, or any when
// papersearch relaxed them) filtered by the options.
Xapian::Query BareQuery(const Xapian::Database& db, const SearchConfig& config,
                        bool relaxed) {
  Xapian::Query words =
      QueryBuilder(db).Parse(config.query, /*all_words=*/!relaxed).query;
  return FilterWords(words, BuildFilterQuery(db, config));
}

// Top 10 by relevance with the hits' document data, as any result list
// needs. Returns the data's size so that the work cannot be optimised away.
size_t BareTop10(const Xapian::Database& db, const Xapian::Query& query) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  Xapian::MSet mset = enquire.get_mset(0, 10);
  size_t bytes = 0;
  for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
    bytes += it.get_document().get_data().size();
  }
  return bytes;
}

size_t OursTop10(const Xapian::Database& db, const SearchConfig& config) {
  SearchOutput output = Search(db, config, SearchWants{});
  size_t parts = output.results.facets.institution.size();
  for (const Hit& hit : output.results.hits) parts += hit.snippet.size();
  return parts;
}

double Millis(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

struct Stats {
  double p50 = 0, p95 = 0, p99 = 0, mean = 0, max = 0;
};

// Nearest-rank percentile of sorted samples: the smallest sample with at
// least p% of the samples at or below it.
double Percentile(const std::vector<double>& sorted, double p) {
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * sorted.size()));
  return sorted[std::max<size_t>(rank, 1) - 1];
}

Stats Summarise(std::vector<double> samples) {
  Stats stats;
  if (samples.empty()) return stats;
  std::sort(samples.begin(), samples.end());
  stats.p50 = Percentile(samples, 50);
  stats.p95 = Percentile(samples, 95);
  stats.p99 = Percentile(samples, 99);
  double sum = 0;
  for (double s : samples) sum += s;
  stats.mean = sum / samples.size();
  stats.max = samples.back();
  return stats;
}

// Latencies in ms, per engine and per query.
struct Samples {
  std::vector<std::vector<double>> ours;  // [query][repetition]
  std::vector<std::vector<double>> bare;

  static std::vector<double> All(const std::vector<std::vector<double>>& v) {
    std::vector<double> all;
    for (const auto& q : v) all.insert(all.end(), q.begin(), q.end());
    return all;
  }
};

void RunMix(benchmark::State& state, const Xapian::Database* db,
            const std::vector<PreparedQuery>* mix, Samples* samples) {
  using Clock = std::chrono::steady_clock;
  samples->ours.assign(mix->size(), {});
  samples->bare.assign(mix->size(), {});
  size_t i = 0;
  for (auto _ : state) {
    size_t q = i % mix->size();
    bool bare_first = (i / mix->size()) % 2 == 1;
    ++i;
    const PreparedQuery& query = (*mix)[q];
    for (int turn = 0; turn < 2; ++turn) {
      bool bare = (turn == 0) == bare_first;
      Clock::time_point start = Clock::now();
      size_t work =
          bare ? BareTop10(*db, query.bare) : OursTop10(*db, query.mix.config);
      benchmark::DoNotOptimize(work);
      (bare ? samples->bare : samples->ours)[q].push_back(
          Millis(Clock::now() - start));
    }
  }
  Stats ours = Summarise(Samples::All(samples->ours));
  Stats bare = Summarise(Samples::All(samples->bare));
  state.counters["ours_p50_ms"] = ours.p50;
  state.counters["ours_p95_ms"] = ours.p95;
  state.counters["ours_p99_ms"] = ours.p99;
  state.counters["xapian_p50_ms"] = bare.p50;
  state.counters["xapian_p95_ms"] = bare.p95;
  state.counters["xapian_p99_ms"] = bare.p99;
  state.counters["overhead_p50"] = bare.p50 > 0 ? ours.p50 / bare.p50 : 0;
}

bool WriteSummary(const Flags& flags, size_t queries, const Samples& s) {
  std::ofstream out(flags.summary, std::ios::app);
  if (!out) return false;
  auto line = [&](const char* engine, const std::vector<double>& all) {
    Stats st = Summarise(all);
    out << (flags.label.empty() ? "-" : flags.label) << '\t' << engine << '\t'
        << queries << '\t' << all.size() << '\t' << st.p50 << '\t' << st.p95
        << '\t' << st.p99 << '\t' << st.mean << '\t' << st.max << '\n';
  };
  line("papersearch", Samples::All(s.ours));
  line("xapian", Samples::All(s.bare));
  return static_cast<bool>(out);
}

bool WritePerQuery(const std::string& path,
                   const std::vector<PreparedQuery>& mix, const Samples& s) {
  std::ofstream out(path);
  out << "# line\tmatches\tpapersearch_p50_ms\txapian_p50_ms\tquery\n";
  for (size_t q = 0; q < mix.size(); ++q) {
    out << mix[q].mix.line_number << '\t' << mix[q].matches << '\t'
        << Summarise(s.ours[q]).p50 << '\t' << Summarise(s.bare[q]).p50 << '\t'
        << mix[q].mix.line << '\n';
  }
  return static_cast<bool>(out);
}

int Main(int argc, char** argv) {
  Flags flags;
  if (std::optional<std::string> error = TakeFlags(&argc, argv, &flags)) {
    std::cerr << "query_bench: " << *error
              << "\nusage: query_bench --db DB [--queries FILE] [--reps N] "
                 "[--label TEXT] [--summary FILE] [--per-query FILE] "
                 "[--benchmark_...]\n";
    return 2;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;

  Result<std::vector<MixQuery>> read = ReadQueryMix(flags.queries);
  if (!read.ok()) {
    std::cerr << "query_bench: " << read.status().message() << "\n";
    return 2;
  }
  std::vector<PreparedQuery> mix;
  try {
    Xapian::Database db(flags.db);
    if (Status schema = CheckSchemaVersion(db, flags.db); !schema.ok()) {
      std::cerr << "query_bench: " << schema.message() << "\n";
      return 2;
    }
    // Warm-up: every query once each way (also checks that each runs).
    for (MixQuery& query : *read) {
      SearchOutput first = Search(db, query.config, SearchWants{});
      Xapian::Query bare = BareQuery(db, query.config, first.results.relaxed);
      PreparedQuery prepared{std::move(query), bare, first.results.total};
      BareTop10(db, prepared.bare);
      mix.push_back(std::move(prepared));
    }

    Samples samples;
    std::string name = "QueryMix";
    if (!flags.label.empty()) name += "/" + flags.label;
    benchmark::RegisterBenchmark(name.c_str(), RunMix, &db, &mix, &samples)
        ->Iterations(static_cast<benchmark::IterationCount>(mix.size()) *
                     flags.reps)
        ->Unit(benchmark::kMillisecond);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();

    if (samples.ours.empty()) return 0;  // filtered out by --benchmark_filter
    if (!flags.summary.empty() && !WriteSummary(flags, mix.size(), samples)) {
      std::cerr << "query_bench: cannot write " << flags.summary << "\n";
      return 2;
    }
    if (!flags.per_query.empty() &&
        !WritePerQuery(flags.per_query, mix, samples)) {
      std::cerr << "query_bench: cannot write " << flags.per_query << "\n";
      return 2;
    }
  } catch (const Xapian::Error& e) {
    std::cerr << "query_bench: " << flags.db << ": " << e.get_description()
              << "\n";
    return 2;
  }
  return 0;
}

}  // namespace
}  // namespace papersearch::bench

int main(int argc, char** argv) { return papersearch::bench::Main(argc, argv); }
