#include "searcher/json_printer.h"

#include "common/json_writer.h"
#include "searcher/paper_view.h"

namespace papersearch {
namespace {

// A string, or null when it is empty.
void StringOrNull(JsonWriter& json, const std::string& value) {
  if (value.empty()) {
    json.Null();
  } else {
    json.String(value);
  }
}

template <typename Strings>
void StringArray(JsonWriter& json, const Strings& values) {
  json.BeginArray();
  for (const auto& value : values) json.String(value);
  json.EndArray();
}

void WriteHit(JsonWriter& json, const Hit& hit) {
  const StoredPaper& paper = hit.paper;
  json.BeginObject();
  json.Key("rank");
  json.Int(hit.rank);
  json.Key("id");
  json.String(paper.id());
  json.Key("score");
  json.Double(hit.score);
  json.Key("partial");
  json.Bool(hit.partial);
  WritePaperFields(json, paper, hit.keywords);
  json.Key("note");
  StringOrNull(json, paper.note_path());
  json.Key("snippet");
  json.String(MarkSnippet(hit.snippet, kJsonMatchStart, kJsonMatchEnd));
  if (hit.explanation) {
    json.Key("explain");
    json.BeginObject();
    json.Key("parts");
    json.BeginArray();
    for (const ScorePart& part : hit.explanation->parts) {
      json.BeginObject();
      json.Key("fields");
      json.String(part.fields);
      json.Key("words");
      json.String(part.words);
      json.Key("weight");
      json.Double(part.weight);
      json.EndObject();
    }
    json.EndArray();
    json.Key("rest");
    json.Double(hit.explanation->rest);
    json.EndObject();
  }
  json.EndObject();
}

void WriteFacet(JsonWriter& json, const char* name,
                const std::vector<FacetCount>& counts) {
  json.Key(name);
  json.BeginArray();
  for (const FacetCount& count : counts) {
    json.BeginObject();
    json.Key("value");
    json.String(count.value);
    json.Key("count");
    json.Int(count.count);
    json.EndObject();
  }
  json.EndArray();
}

}  // namespace

void WritePaperFields(JsonWriter& json, const StoredPaper& paper,
                      const std::vector<std::string>& keywords) {
  const auto& info = paper.info();
  json.Key("title");
  json.String(info.paper().title());
  json.Key("abbr");
  StringOrNull(json, info.paper().abbr());
  json.Key("year");
  if (std::optional<int> year = PaperYear(paper)) {
    json.Int(*year);
  } else {
    json.Null();
  }
  json.Key("venue");
  json.String(DisplayVenue(paper));
  json.Key("institutions");
  StringArray(json, info.paper().institutions());
  json.Key("authors");
  StringArray(json, info.paper().authors());
  json.Key("keywords");
  StringArray(json, keywords);
  json.Key("url");
  StringOrNull(json, info.paper().url());
  json.Key("code_url");
  StringOrNull(json, info.code().url());
}

std::string FormatJson(const SearchResults& results) {
  std::string out;
  JsonWriter json(&out);
  json.BeginObject();
  json.Key("query");
  json.String(results.query);
  json.Key("parsed_query");
  json.String(results.parsed_query);
  json.Key("total");
  json.Int(results.total);
  json.Key("total_is_exact");
  json.Bool(results.total_is_exact);
  json.Key("offset");
  json.Int(results.offset);
  json.Key("total_all_words");
  json.Int(results.total_all_words);
  json.Key("total_some_words");
  json.Int(results.total_some_words);
  json.Key("relaxed");
  json.Bool(results.relaxed);
  json.Key("suggestion");
  StringOrNull(json, results.suggestion);
  json.Key("corrected_query");
  StringOrNull(json, results.corrected_query);
  json.Key("names");
  json.BeginArray();
  for (const NameResolution& name : results.names) {
    json.BeginObject();
    json.Key("field");
    json.String(name.field);
    json.Key("value");
    json.String(name.value);
    json.Key("found");
    json.BeginArray();
    for (const NameResolution::Found& found : name.found) {
      json.BeginObject();
      json.Key("name");
      json.String(found.name);
      json.Key("how");
      json.String(found.how);
      json.EndObject();
    }
    json.EndArray();
    json.EndObject();
  }
  json.EndArray();
  json.Key("results");
  json.BeginArray();
  for (const Hit& hit : results.hits) WriteHit(json, hit);
  json.EndArray();
  json.Key("facets");
  json.BeginObject();
  WriteFacet(json, "institution", results.facets.institution);
  WriteFacet(json, "venue", results.facets.venue);
  WriteFacet(json, "year", results.facets.year);
  WriteFacet(json, "keyword", results.facets.keyword);
  json.EndObject();
  json.Key("facets_are_exact");
  json.Bool(results.facets.exact);
  json.Key("facets_counted");
  json.Int(results.facets.counted);
  json.EndObject();
  out += '\n';
  return out;
}

}  // namespace papersearch
