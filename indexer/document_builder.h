// Turning one paper (its record and note) into a Xapian document, following
// proto/schema.h.
#ifndef PAPERSEARCH_INDEXER_DOCUMENT_BUILDER_H_
#define PAPERSEARCH_INDEXER_DOCUMENT_BUILDER_H_

#include <xapian.h>

#include <string>

#include "indexer/note_text.h"
#include "indexer/synonym_terms.h"
#include "schema.h"
#include "stored_paper.pb.h"

namespace papersearch {

// The words a keyword label stands for: "kv_cache_sparse" -> "kv cache sparse".
std::string KeywordLabelWords(std::string_view label);

// The searchable words of a code URL: for GitHub the owner and repository
// ("mit-han-lab llm-awq"), otherwise the host and path without boilerplate.
std::string CodeUrlWords(std::string_view url);

// Adds the words of `doc` to `db`'s spelling data, so that papersearch can
// suggest "did you mean": its unprefixed terms (title, abbreviation,
// authors, institutions, venue, keyword labels) that are plain ASCII words
// of two or more characters. Not the note's words: they were most of the
// writer's work for little gain, as titles already hold the field's
// vocabulary. Call on the writer's thread for each document written.
void AddSpellings(Xapian::WritableDatabase& db, const Xapian::Document& doc);

// Takes back what AddSpellings(db, doc) added, for a document about to be
// replaced or deleted, so that an updated index's spelling data equals a
// fresh build's.
void RemoveSpellings(Xapian::WritableDatabase& db, const Xapian::Document& doc);

// Builds documents. Holds a TermGenerator, so reuse one builder for many
// papers; not thread-safe (use one per thread). The documents it returns
// share nothing with it, so another thread may take them.
class DocumentBuilder {
 public:
  DocumentBuilder();

  // `paper` must have id, info, extra_keywords, record_path and note_path
  // set; `note` is its note's text (empty when it has none). The returned
  // document carries every term and value of the schema, and as data
  // `paper` with note_text filled in (bounded by schema::kMaxStoredNoteText);
  // its slot::kTieFacets value has the tie key and no facet numbers. The
  // paper's facet values go to `*facets` (when not null): slot::kTieFacets
  // holds their numbers in the database's facet dictionary, which the writer
  // keeps (FacetNumbering::Encode). Throws nothing of its own; Xapian may throw
  // std::bad_alloc.
  Xapian::Document Build(StoredPaper paper, const NoteText& note,
                         schema::FacetValues* facets = nullptr);

 private:
  // Indexes `text` under `prefix` ("" for none) with positions, and notes
  // the positions' run in runs_.
  void IndexText(const std::string& text, Xapian::termcount weight,
                 const char* prefix);
  // Indexes `text` as `field` says (schema::kTextFields): under its prefix,
  // and without one when it is a bare-word field, each occurrence weighing
  // `wdf` (0: the field's own).
  void IndexField(std::string_view text, const schema::TextField& field,
                  Xapian::termcount wdf = 0);

  Xapian::TermGenerator generator_;
  SynonymTerms synonym_terms_;
  std::vector<PositionRun> runs_;  // of the document being built
};

}  // namespace papersearch

#endif  // PAPERSEARCH_INDEXER_DOCUMENT_BUILDER_H_
