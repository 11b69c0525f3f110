// What a search returns: plain data, formatted later by a printer.
#ifndef PAPERSEARCH_SEARCHER_SEARCH_RESULTS_H_
#define PAPERSEARCH_SEARCHER_SEARCH_RESULTS_H_

#include <optional>
#include <string>
#include <vector>

#include "stored_paper.pb.h"

namespace papersearch {

// A piece of snippet text, matched (to be highlighted) or not.
struct SnippetPart {
  std::string text;
  bool matched = false;
};

// One part of a hit's score, for --explain.
struct ScorePart {
  std::string fields;  // "title", "note", "title,abbr", ... where it matched
  std::string words;   // the matched word (stem), or synonyms joined by '|'
  double weight = 0;   // what it added to the score
};

struct Explanation {
  std::vector<ScorePart> parts;  // in the order computed
  double rest = 0;  // score minus the parts' sum: 0 unless a term repeats
};

struct Hit {
  unsigned rank = 0;  // 1-based, counting from the first match (not offset)
  double score = 0;   // BM25 weight; 0 for a query without words
  StoredPaper paper;  // from the document data
  // Keyword labels (known and extra), from the index's keyword slot: cheaper
  // than naming enum values through protobuf descriptors.
  std::vector<std::string> keywords;
  // Part of the note (or of the title when the note has no match), with the
  // query's words marked; empty when snippets were not asked for.
  std::vector<SnippetPart> snippet;
  // True when the snippet comes from the note, false when from the title.
  bool snippet_from_note = false;
  // True when the paper matches the query only partly: some of its words, or
  // the topic it names (a keyword label, or the words of the papers that
  // match every word). It follows every paper that matches all the words
  // (SearchResults::total_all_words).
  bool partial = false;
  // Filled only with --explain.
  std::optional<Explanation> explanation;
};

// One facet value and the number of matching papers that carry it.
struct FacetCount {
  std::string value;  // as displayed in the collection (most common spelling)
  unsigned count = 0;
};

struct Facets {
  std::vector<FacetCount> institution;
  std::vector<FacetCount> venue;
  std::vector<FacetCount> year;
  std::vector<FacetCount> keyword;
  // False when the match set was larger than kFacetSample: the counts are
  // then estimates, scaled up from the `counted` matches examined (a
  // uniform sample, since document ids are hashes of paper ids).
  bool exact = true;
  unsigned counted = 0;  // matches whose values were counted
};

// How an institution or venue name was read (--institution, --venue,
// `inst:`, `venue:`): the values of the index it found, and why each.
struct NameResolution {
  std::string field;  // "institution" or "venue"
  std::string value;  // as typed
  struct Found {
    std::string name;  // as displayed in the collection
    std::string how;   // "exact", "alias", "acronym" or "contains"
  };
  std::vector<Found> found;  // empty when it names nothing in the index
};

struct SearchResults {
  std::string query;         // the query text as given
  std::string parsed_query;  // Xapian's description of the query that ran
  unsigned total = 0;        // matches (an estimate unless total_is_exact)
  bool total_is_exact = true;
  unsigned offset = 0;
  // Of `total`: the papers that match every word of the query (and its
  // explicit operators), listed first, and those that match it partly
  // (Hit::partial), listed after them. A query of one word, or with
  // --all-words, has no partial matches. total_some_words is an estimate unless
  // some_words_is_exact.
  unsigned total_all_words = 0;
  unsigned total_some_words = 0;
  bool some_words_is_exact = true;
  // True when no paper matched all words, so every result is partial.
  bool relaxed = false;
  // "Did you mean" text for filter values that match nothing and for
  // misspelt words; "" if none.
  std::string suggestion;
  // The spelling-corrected query that ran instead of the one given (which
  // found nothing); "" when the query ran as given.
  std::string corrected_query;
  // Each institution and venue name of the filters and the query text.
  std::vector<NameResolution> names;
  std::vector<Hit> hits;
  Facets facets;
};

// "12 match all the words, 96 partly (some of the words, or the topic)" (or
// "none matches all the words, 96 partly ..."), for the text and Markdown
// headers of results with partial matches.
std::string PartialSummary(const SearchResults& results);

}  // namespace papersearch

#endif  // PAPERSEARCH_SEARCHER_SEARCH_RESULTS_H_
