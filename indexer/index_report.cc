// The JSON form of an IndexReport, for nightly jobs' logs.
#include "common/json_writer.h"
#include "indexer/indexer.h"

namespace papersearch {

std::string ReportJson(const IndexReport& report, bool dry_run) {
  std::string out;
  JsonWriter json(&out);
  auto ids = [&](const char* key, const std::vector<std::string>& values) {
    json.Key(key);
    json.BeginArray();
    for (const std::string& id : values) json.String(id);
    json.EndArray();
  };
  json.BeginObject();
  ids("added", report.added);
  ids("updated", report.updated);
  ids("removed", report.removed);
  json.Key("unchanged");
  json.Int(report.unchanged);
  auto diagnostics = [&](const char* key, const std::vector<Diagnostic>& list) {
    json.Key(key);
    json.BeginArray();
    for (const Diagnostic& d : list) {
      json.BeginObject();
      json.Key("file");
      json.String(d.file);
      json.Key("line");
      json.Int(d.line);
      json.Key("column");
      json.Int(d.column);
      json.Key("message");
      json.String(d.message);
      json.EndObject();
    }
    json.EndArray();
  };
  diagnostics("failed", report.failed);
  // What --quiet hides from stderr: a nightly job's log still has it.
  diagnostics("warnings", report.warnings);
  json.Key("seconds");
  json.Double(report.seconds);
  json.Key("full");
  json.Bool(report.full);
  json.Key("dry_run");
  json.Bool(dry_run);
  json.Key("papers");
  json.Int(report.papers);
  json.Key("notes");
  json.Int(report.notes);
  json.EndObject();
  return out;
}

}  // namespace papersearch
