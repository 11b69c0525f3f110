#include "indexer/document_builder.h"

#include <algorithm>
#include <set>
#include <unordered_set>

#include "common/document_data.h"
#include "common/names.h"
#include "common/utf8.h"
#include "schema.h"

namespace papersearch {
namespace {

using schema::FieldFilterTerm;
namespace prefix = schema::prefix;
namespace slot = schema::slot;
namespace weight = schema::weight;

// The list's own convention: a record without a venue was on arXiv.
constexpr char kDefaultVenue[] = "arXiv";

// The values of one field without repeats (case-insensitively), in their
// first spelling, so that a record naming an institution twice counts it
// once. Each value is folded once: a record may hold 100,000 authors.
std::vector<std::string> UniqueValues(
    const google::protobuf::RepeatedPtrField<std::string>& values) {
  std::vector<std::string> unique;
  std::unordered_set<std::string> seen;
  for (const std::string& value : values) {
    if (value.empty()) continue;
    if (seen.insert(schema::FoldForFilter(value)).second) {
      unique.push_back(value);
    }
  }
  return unique;
}

}  // namespace

std::string KeywordLabelWords(std::string_view label) {
  std::string words(label);
  std::replace(words.begin(), words.end(), '_', ' ');
  return words;
}

std::string CodeUrlWords(std::string_view url) {
  static const std::set<std::string, std::less<>> kBoilerplate = {
      "http", "https", "www",  "com",    "org",    "io", "github",
      "tree", "blob",  "main", "master", "readme", "md", "html"};
  std::string words;
  size_t pos = url.find("://");
  pos = pos == std::string_view::npos ? 0 : pos + 3;
  while (pos < url.size()) {
    size_t end = url.find_first_of("/.?#=&", pos);
    if (end == std::string_view::npos) end = url.size();
    std::string_view part = url.substr(pos, end - pos);
    std::string lower(part);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (!part.empty() && !kBoilerplate.count(lower)) {
      if (!words.empty()) words += ' ';
      words += part;
    }
    pos = end + 1;
  }
  return words;
}

namespace {

// Calls fn(word) for each word of `doc` that belongs in the spelling data.
template <typename Fn>
void ForEachSpellingWord(const Xapian::Document& doc, Fn&& fn) {
  for (Xapian::TermIterator it = doc.termlist_begin(); it != doc.termlist_end();
       ++it) {
    const std::string& term = *it;
    // Prefixed terms (upper-case first letter, Z for stems) are skipped.
    if (term.size() < 2 || term.front() < 'a' || term.front() > 'z') continue;
    bool plain = std::all_of(term.begin(), term.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    });
    if (plain) fn(term);
  }
}

}  // namespace

void AddSpellings(Xapian::WritableDatabase& db, const Xapian::Document& doc) {
  ForEachSpellingWord(doc,
                      [&](const std::string& word) { db.add_spelling(word); });
}

void RemoveSpellings(Xapian::WritableDatabase& db,
                     const Xapian::Document& doc) {
  ForEachSpellingWord(
      doc, [&](const std::string& word) { db.remove_spelling(word); });
}

DocumentBuilder::DocumentBuilder() {
  generator_.set_stemmer(schema::Stemmer());
  generator_.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  generator_.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
}

void DocumentBuilder::IndexText(const std::string& text, Xapian::termcount wdf,
                                const char* prefix) {
  const Xapian::termpos first = generator_.get_termpos() + 1;
  generator_.index_text(text, wdf, prefix);
  runs_.push_back({first, generator_.get_termpos(), wdf});
  generator_.increase_termpos(weight::kFieldGap);
}

void DocumentBuilder::IndexField(std::string_view text,
                                 const schema::TextField& field,
                                 Xapian::termcount wdf) {
  if (text.empty()) return;
  const std::string value(text);
  if (wdf == 0) wdf = field.wdf;
  generator_.set_stemming_strategy(field.stemmed
                                       ? Xapian::TermGenerator::STEM_SOME
                                       : Xapian::TermGenerator::STEM_NONE);
  generator_.set_flags(field.cjk_ngrams ? Xapian::TermGenerator::FLAG_CJK_NGRAM
                                        : 0);
  IndexText(value, wdf, field.prefix);
  if (field.bare) IndexText(value, wdf, "");
}

Xapian::Document DocumentBuilder::Build(StoredPaper paper, const NoteText& note,
                                        schema::FacetValues* facets) {
  if (facets) *facets = schema::FacetValues();
  Xapian::Document doc;
  generator_.set_document(doc);
  runs_.clear();
  const efficient_paper::PaperInfo& info = paper.info();
  const efficient_paper::Paper& p = info.paper();

  doc.add_boolean_term(prefix::kId + paper.id());
  doc.add_value(slot::kTieFacets,
                schema::TieFacetsValue(schema::TieKey(paper.id()), ""));

  IndexField(p.title(), schema::field::kTitle);
  if (!p.abbr().empty()) {
    IndexField(p.abbr(), schema::field::kAbbr);
    doc.add_boolean_term(FieldFilterTerm(schema::field::kAbbr, p.abbr()));
  }

  // Names, not fields: a few records keep every author in one string.
  std::unordered_set<std::string> seen_names;
  for (const std::string& author : SplitAuthors(p.authors())) {
    const std::vector<std::string> keys = NameKeys(author);
    if (keys.front().empty() || !seen_names.insert(keys.front()).second) {
      continue;
    }
    IndexField(author, schema::field::kAuthor);
    for (const std::string& key : keys) {
      doc.add_boolean_term(FieldFilterTerm(schema::field::kAuthor, key));
    }
  }

  std::vector<std::string> institutions = UniqueValues(p.institutions());
  for (const std::string& inst : institutions) {
    IndexField(inst, schema::field::kInstitution);
    doc.add_boolean_term(FieldFilterTerm(schema::field::kInstitution, inst));
  }

  const std::string venue =
      info.pub().where().empty() ? kDefaultVenue : info.pub().where();
  IndexField(venue, schema::field::kVenue);
  doc.add_boolean_term(FieldFilterTerm(schema::field::kVenue, venue));

  if (info.pub().has_year()) {
    const std::string year = std::to_string(info.pub().year());
    IndexText(year, 1, "");
    doc.add_boolean_term(prefix::kYearFilter + year);
    doc.add_value(slot::kYear, Xapian::sortable_serialise(info.pub().year()));
    if (facets) facets->year = year;
  }

  std::vector<std::string> labels = KeywordLabels(paper);
  for (const std::string& label : labels) {
    IndexField(KeywordLabelWords(label), schema::field::kKeyword);
    doc.add_boolean_term(FieldFilterTerm(schema::field::kKeyword, label));
  }
  if (facets) {
    facets->institutions = std::move(institutions);
    facets->venue = venue;
    facets->keywords = std::move(labels);
  }

  for (const std::string& method : info.baseline().methods()) {
    if (method != "None") IndexField(method, schema::field::kBaseline);
  }

  if (!info.code().url().empty()) {
    IndexField(CodeUrlWords(info.code().url()), schema::field::kCode);
    doc.add_boolean_term(std::string(prefix::kHas) + schema::kHasCode);
  }

  if (info.has_update_time()) {
    doc.add_value(slot::kUpdated, Xapian::sortable_serialise(
                                      static_cast<double>(info.update_time())));
  }
  doc.add_value(
      slot::kNewest,
      schema::NewestFirstKey(
          info.pub().has_year() ? std::optional<int64_t>(info.pub().year())
                                : std::nullopt,
          info.has_update_time() ? std::optional<int64_t>(info.update_time())
                                 : std::nullopt,
          paper.id()));
  if (info.has_rating()) {
    doc.add_value(slot::kRating, Xapian::sortable_serialise(info.rating()));
  }

  if (!paper.note_path().empty()) {
    doc.add_boolean_term(std::string(prefix::kHas) + schema::kHasNote);
    IndexField(note.headings, schema::field::kNote,
               schema::field::kNoteHeadingWdf);
    IndexField(note.body, schema::field::kNote);
    paper.set_note_text(
        std::string(TruncateUtf8(note.plain, schema::kMaxStoredNoteText)));
    if (!note.source.empty()) {
      doc.add_value(slot::kNoteSource,
                    EncodeNoteSource(TruncateUtf8(
                        note.source, schema::kMaxStoredNoteSource)));
    }
  }

  synonym_terms_.AddTo(doc, runs_);
  doc.set_data(EncodeDocumentData(std::move(paper)));
  // The generator holds a reference to `doc` until its next document. Let go
  // of it here: Xapian's reference counts are not atomic, and the caller may
  // hand `doc` to another thread (paperindex's writer), where dropping it
  // while this thread replaces the generator's document raced, and once in a
  // few hundred runs freed it twice.
  generator_.set_document(Xapian::Document());
  return doc;
}

}  // namespace papersearch
