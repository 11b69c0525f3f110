#include "indexer/run.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ostream>

#include "indexer/readme_import.h"

namespace papersearch {

namespace {

constexpr char kProgram[] = "paperindex: ";

// A progress line on stderr, redrawn at most ten times a second and only
// once the run has taken more than a second.
class Progress {
 public:
  explicit Progress(std::ostream& err) : err_(err) {}
  void Update(size_t done, size_t total) {
    auto now = Clock::now();
    if (now - start_ < std::chrono::seconds(1) ||
        now - last_ < std::chrono::milliseconds(100)) {
      return;
    }
    last_ = now;
    shown_ = true;
    err_ << "\r" << kProgram << done << "/" << total << " papers" << std::flush;
  }
  void Done() {
    if (shown_) err_ << "\r\033[K" << std::flush;
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::ostream& err_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_ = start_;
  bool shown_ = false;
};

void PrintSummary(const IndexOptions& options, const IndexReport& r,
                  std::ostream& err) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", r.seconds);
  const char* verb = options.dry_run ? "would be " : "";
  err << kProgram << (options.dry_run ? "dry run: " : "")
      << (r.full ? "full build: " : "") << r.added.size() << " " << verb
      << "added, " << r.updated.size() << " " << verb << "updated, "
      << r.removed.size() << " " << verb << "removed, " << r.unchanged
      << " unchanged, " << r.failed.size() << " failed; ";
  if (!options.dry_run) {
    err << r.papers << " papers (" << r.notes << " with notes) in "
        << options.db_path << "; ";
  }
  err << seconds << " s\n";
}

}  // namespace

int RunIndex(const IndexOptions& options, std::ostream& err,
             IndexReport* report_out) {
  Progress progress(err);
  ProgressFn show;
  if (options.progress && !options.quiet) {
    show = [&](size_t done, size_t total) { progress.Update(done, total); };
  }
  Result<IndexReport> result = UpdateIndex(options, show);
  progress.Done();
  if (!result.ok()) {
    err << kProgram << result.status().message() << "\n";
    return 2;
  }
  IndexReport& report = *result;
  if (!options.quiet) {
    for (const std::string& notice : report.notices) {
      err << kProgram << notice << "\n";
    }
    for (const Diagnostic& d : report.warnings) {
      err << kProgram << "warning: " << d.ToString() << "\n";
    }
  }
  for (const Diagnostic& d : report.failed) {
    err << kProgram << d.ToString() << "\n";
  }
  if (!options.quiet) PrintSummary(options, report, err);
  int code = report.failed.empty() ? 0 : 1;
  if (!options.report_path.empty()) {
    std::ofstream out(options.report_path, std::ios::trunc);
    out << ReportJson(report, options.dry_run) << "\n";
    if (!out) {
      err << kProgram << "cannot write the report to " << options.report_path
          << "\n";
      code = 2;
    }
  }
  if (report_out) *report_out = std::move(report);
  return code;
}

int RunImportReadme(const std::string& readme_path, const std::string& out_dir,
                    bool quiet, std::ostream& err) {
  Result<ImportedCollection> imported = ImportReadmeFile(readme_path);
  if (!imported.ok()) {
    err << imported.status().message() << "\n";
    return 2;
  }
  const ImportedCollection& collection = *imported;
  for (const Diagnostic& warning : collection.warnings) {
    err << warning.ToString() << "\n";
  }
  if (Status written = WriteRecords(collection, out_dir); !written.ok()) {
    err << written.message() << "\n";
    return 2;
  }
  if (!quiet) {
    err << "import-readme: " << collection.papers.size()
        << " papers written to "
        << (std::filesystem::path(out_dir) / "meta").string() << " from "
        << readme_path << ", " << collection.warnings.size()
        << (collection.warnings.size() == 1 ? " warning" : " warnings") << "\n";
  }
  return collection.warnings.empty() ? 0 : 1;
}

}  // namespace papersearch
