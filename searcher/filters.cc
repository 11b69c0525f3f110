#include "searcher/filters.h"

#include <algorithm>
#include <functional>
#include <optional>

#include "common/document_data.h"
#include "common/names.h"
#include "common/suggest.h"
#include "schema.h"
#include "searcher/paper_view.h"

namespace papersearch {
namespace {

// Suggestions offered per unknown value.
constexpr size_t kMaxSuggestions = 3;

using ValuesOf = std::function<std::vector<std::string>(const StoredPaper&)>;
using TermOf = std::function<std::string(std::string_view)>;

// One kind of filter term: how it is named to the user, its prefix, how a
// value becomes a term, and the values a paper has (to find a term's
// displayed spelling).
struct FilterKind {
  const char* noun;  // "institution"
  const char* prefix;
  TermOf term_of;
  ValuesOf values_of;
};

std::vector<std::string> Institutions(const StoredPaper& paper) {
  const auto& list = paper.info().paper().institutions();
  return {list.begin(), list.end()};
}

std::vector<std::string> Authors(const StoredPaper& paper) {
  return SplitAuthors(paper.info().paper().authors());
}

std::vector<std::string> Venue(const StoredPaper& paper) {
  return {DisplayVenue(paper)};
}

// The displayed spelling of filter term `term`, taken from the first paper
// that carries it; the folded value when no paper spells it differently.
std::string DisplayedValue(const Xapian::Database& db, const FilterKind& kind,
                           const std::string& term) {
  std::string folded = term.substr(std::string_view(kind.prefix).size());
  Xapian::PostingIterator it = db.postlist_begin(term);
  if (it == db.postlist_end(term)) return folded;
  StoredPaper paper;
  if (!DecodeDocumentData(db.get_document(*it).get_data(), &paper)) {
    return folded;
  }
  for (const std::string& value : kind.values_of(paper)) {
    if (kind.term_of(value) == term) return value;
  }
  return folded;
}

std::string Quote(const std::string& value) { return "'" + value + "'"; }

// "no venue 'ICLM'; did you mean 'ICML'?" or "...; no close match".
std::string UnknownMessage(const Xapian::Database& db, const FilterKind& kind,
                           const std::string& value, const std::string& term) {
  const std::string prefix = kind.prefix;
  // A keyword that is a word of labels (`pruning`, `kvcache`): the labels
  // that hold it, with their papers, most first.
  if (std::string_view(kind.noun) == "keyword") {
    std::string word = term.substr(prefix.size());
    std::vector<std::pair<Xapian::doccount, std::string>> holding;
    for (Xapian::TermIterator it = db.allterms_begin(prefix);
         it != db.allterms_end(prefix); ++it) {
      const std::string label = (*it).substr(prefix.size());
      std::string joined = label;
      joined.erase(std::remove(joined.begin(), joined.end(), '_'),
                   joined.end());
      std::string wanted = word;
      wanted.erase(std::remove(wanted.begin(), wanted.end(), '_'),
                   wanted.end());
      if (!wanted.empty() && joined.find(wanted) != std::string::npos) {
        holding.emplace_back(it.get_termfreq(), label);
      }
    }
    if (!holding.empty()) {
      std::sort(
          holding.begin(), holding.end(), [](const auto& a, const auto& b) {
            return a.first != b.first ? a.first > b.first : a.second < b.second;
          });
      std::string message =
          "no keyword " + Quote(value) + " in the index; labels with it: ";
      for (size_t i = 0; i < holding.size() && i < kMaxSuggestions + 2; ++i) {
        message += (i ? ", " : "") + holding[i].second + " (" +
                   std::to_string(holding[i].first) + ")";
      }
      return message;
    }
  }
  ClosestValueFinder finder(std::string_view(term).substr(prefix.size()),
                            kMaxSuggestions);
  for (Xapian::TermIterator it = db.allterms_begin(prefix);
       it != db.allterms_end(prefix); ++it) {
    finder.Offer(std::string_view(*it).substr(prefix.size()));
  }
  std::string message =
      "no " + std::string(kind.noun) + " " + Quote(value) + " in the index";
  std::vector<ClosestValueFinder::Match> best = finder.Best();
  if (best.empty()) return message;
  message += "; did you mean ";
  for (size_t i = 0; i < best.size(); ++i) {
    if (i > 0) message += i + 1 == best.size() ? " or " : ", ";
    message += Quote(DisplayedValue(db, kind, prefix + best[i].value));
  }
  return message + "?";
}

// Values named in a notice of how a filter value was read.
constexpr size_t kShownResolved = 5;

// The institution or venue terms `value` names (common/names.h): its own
// spelling, the names the alias table gives it, the values whose acronym it
// is, and the values that contain its words or an alias's. Each term once,
// with why ("acronym", "alias", "contains") in `how`.
std::vector<std::string> NamedValues(const Xapian::Database& db,
                                     const FilterKind& kind,
                                     const std::string& value,
                                     const Aliases& aliases,
                                     std::vector<std::string>* how) {
  const std::string prefix = kind.prefix;
  const std::string own = kind.term_of(value).substr(prefix.size());
  std::vector<std::string> names{own};
  for (const std::string& target : aliases.Targets(kind.noun, value)) {
    names.push_back(kind.term_of(target).substr(prefix.size()));
  }
  // An alias in the table is not also read as an acronym.
  const bool acronym_like =
      names.size() == 1 && own.size() >= 2 && own.size() <= 8 &&
      std::all_of(own.begin(), own.end(),
                  [](char c) { return c >= 'a' && c <= 'z'; });
  // Other spellings of the same institution ("The ...", the alias table's
  // groups), as facets and --group-by count them.
  for (std::string& same : aliases.SameNames(kind.noun, value)) {
    if (std::find(names.begin(), names.end(), same) == names.end()) {
      names.push_back(std::move(same));
    }
  }
  std::vector<std::string> terms;
  for (Xapian::TermIterator it = db.allterms_begin(prefix);
       it != db.allterms_end(prefix); ++it) {
    const std::string term = *it;
    const std::string_view candidate =
        std::string_view(term).substr(prefix.size());
    const char* why = nullptr;
    if (candidate == own) {
      why = "";
    } else if (std::find(names.begin() + 1, names.end(), candidate) !=
               names.end()) {
      why = "alias";
    } else if (acronym_like && Acronym(candidate) == own) {
      why = "acronym";
    } else if (std::any_of(names.begin(), names.end(),
                           [&](const std::string& name) {
                             return ContainsWords(candidate, name);
                           })) {
      why = "contains";
    }
    if (why == nullptr) continue;
    terms.push_back(term);
    how->push_back(why);
  }
  return terms;
}

NameResolution Resolution(const Xapian::Database& db, const FilterKind& kind,
                          const std::string& value,
                          const std::vector<std::string>& terms,
                          const std::vector<std::string>& how) {
  NameResolution resolution{kind.noun, value, {}};
  for (size_t i = 0; i < terms.size(); ++i) {
    resolution.found.push_back({DisplayedValue(db, kind, terms[i]),
                                how[i].empty() ? "exact" : how[i]});
  }
  return resolution;
}

// ORs the terms for `values`, noting the unknown ones. Matches nothing when
// no value is known.
Xapian::Query TermsQuery(const Xapian::Database& db, const FilterKind& kind,
                         const std::vector<std::string>& values,
                         const Aliases& aliases,
                         std::vector<std::string>* unknown,
                         std::vector<std::string>* resolved,
                         std::vector<NameResolution>* names) {
  std::vector<Xapian::Query> known;
  const std::string_view noun = kind.noun;
  for (const std::string& value : values) {
    if (noun == "institution" || noun == "venue") {
      std::vector<std::string> how;
      const std::vector<std::string> terms =
          NamedValues(db, kind, value, aliases, &how);
      names->push_back(Resolution(db, kind, value, terms, how));
      std::vector<std::string> extra;
      for (size_t i = 0; i < terms.size(); ++i) {
        known.emplace_back(terms[i]);
        if (!how[i].empty()) {
          const NameResolution::Found& found = names->back().found[i];
          extra.push_back(found.name + " (" + found.how + ")");
        }
      }
      if (!extra.empty()) {
        std::string also;
        for (size_t i = 0; i < extra.size() && i < kShownResolved; ++i) {
          also += (i ? ", " : "") + extra[i];
        }
        if (extra.size() > kShownResolved) {
          also +=
              " and " + std::to_string(extra.size() - kShownResolved) + " more";
        }
        resolved->push_back("--" + std::string(noun) + " '" + value +
                            "' also finds " + also);
      }
      if (!terms.empty()) continue;
    } else if (std::string term = kind.term_of(value); db.term_exists(term)) {
      known.emplace_back(term);
      continue;
    }
    const std::string term = kind.term_of(value);
    // A name typed without the middle initials the paper gives.
    if (std::string_view(kind.noun) == "author") {
      const std::vector<std::string> keys = NameKeys(value);
      if (keys.size() > 1) {
        std::string short_term =
            schema::NameTerm(schema::prefix::kAuthorFilter, keys[1]);
        if (db.term_exists(short_term)) {
          known.emplace_back(std::move(short_term));
          continue;
        }
      }
    }
    unknown->push_back(UnknownMessage(db, kind, value, term));
  }
  if (known.empty()) return Xapian::Query::MatchNothing;
  return Xapian::Query(Xapian::Query::OP_OR, known.begin(), known.end());
}

// Calls `visit(year, term)` for each year term in the index.
template <typename Visit>
void ForEachYearTerm(const Xapian::Database& db, Visit visit) {
  const std::string prefix = schema::prefix::kYearFilter;
  for (Xapian::TermIterator it = db.allterms_begin(prefix);
       it != db.allterms_end(prefix); ++it) {
    std::string digits = (*it).substr(prefix.size());
    if (digits.empty() || digits.size() > 4 ||
        digits.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    visit(std::stoi(digits), *it);
  }
}

// The existing year terms inside `range`.
void AddYearTerms(const Xapian::Database& db, const YearRange& range,
                  std::vector<Xapian::Query>* out) {
  ForEachYearTerm(db, [&](int year, const std::string& term) {
    if (year >= range.first && year <= range.last) out->emplace_back(term);
  });
}

// "; its papers are from 2017 to 2026" (the oldest and newest year any
// paper has), so that `--year 24` shows what to type; "" for an index
// without years.
std::string IndexedYearsText(const Xapian::Database& db) {
  std::optional<YearRange> years;
  ForEachYearTerm(db, [&](int year, const std::string&) {
    if (!years) years = YearRange{year, year};
    years->first = std::min(years->first, year);
    years->last = std::max(years->last, year);
  });
  if (!years) return "";
  if (years->first == years->last) {
    return "; its papers are from " + std::to_string(years->first);
  }
  return "; its papers are from " + std::to_string(years->first) + " to " +
         std::to_string(years->last);
}

std::string YearText(const YearRange& range) {
  if (range.first == range.last) return std::to_string(range.first);
  return std::to_string(range.first) + ".." + std::to_string(range.last);
}

Xapian::Query YearQuery(const Xapian::Database& db,
                        const std::vector<YearRange>& ranges,
                        std::vector<std::string>* unknown) {
  std::vector<Xapian::Query> terms;
  for (const YearRange& range : ranges) {
    size_t before = terms.size();
    AddYearTerms(db, range, &terms);
    if (terms.size() == before) {
      unknown->push_back("no papers from " + YearText(range) + " in the index" +
                         IndexedYearsText(db));
    }
  }
  if (terms.empty()) return Xapian::Query::MatchNothing;
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

}  // namespace

Xapian::Query FilterWords(const Xapian::Query& words,
                          const FilterQuery& filter) {
  if (!filter.any) return words.empty() ? Xapian::Query::MatchAll : words;
  if (words.empty()) {
    // Without words the filter is the query, weighing nothing. Filtering
    // MatchAll instead would walk the list of every document beside the
    // filter's terms.
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, filter.query, 0.0);
  }
  return Xapian::Query(Xapian::Query::OP_FILTER, words, filter.query);
}

std::string InstitutionFilterTerm(std::string_view institution) {
  return schema::FieldFilterTerm(schema::field::kInstitution, institution);
}

std::string AuthorFilterTerm(std::string_view name) {
  // Found as typed, or without the middle initials the index also keeps.
  return schema::FieldFilterTerm(schema::field::kAuthor, FoldName(name));
}

std::string VenueFilterTerm(std::string_view venue) {
  return schema::FieldFilterTerm(schema::field::kVenue, venue);
}

std::string KeywordFilterTerm(std::string_view label) {
  return schema::FieldFilterTerm(schema::field::kKeyword, label);
}

std::vector<std::string> InstitutionsAndVenuesNamed(
    const Xapian::Database& db, const std::string& name, const Aliases& aliases,
    std::vector<NameResolution>* resolutions) {
  // Every plain query asks: only an alias in the table or a word that could
  // be an acronym is worth a pass over the index's institutions.
  const bool acronym_like =
      name.size() >= 2 && name.size() <= 8 &&
      std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      });
  std::vector<std::string> named;
  // A query that is an institution's or venue's own name ("Google",
  // "Microsoft") names it and the names that contain it (Google Research);
  // any other query, only the names it is an alias or acronym of (a word
  // such as "research" is part of many names, and names none of them).
  auto add = [&](const FilterKind& kind, bool is_a_name) {
    std::vector<std::string> how;
    std::vector<std::string> terms = NamedValues(db, kind, name, aliases, &how);
    std::vector<std::string> kept, kept_how;
    for (size_t i = 0; i < terms.size(); ++i) {
      if (how[i] == "alias" || how[i] == "acronym" ||
          (is_a_name && (how[i].empty() || how[i] == "contains"))) {
        if (how[i].empty()) how[i] = "exact";
        kept.push_back(std::move(terms[i]));
        kept_how.push_back(std::move(how[i]));
      }
    }
    if (kept.empty()) return;
    if (resolutions != nullptr) {
      resolutions->push_back(Resolution(db, kind, name, kept, kept_how));
    }
    named.insert(named.end(), kept.begin(), kept.end());
  };
  const FilterKind institution{"institution",
                               schema::prefix::kInstitutionFilter,
                               InstitutionFilterTerm, Institutions};
  const bool institution_name = db.term_exists(InstitutionFilterTerm(name));
  if (acronym_like || institution_name || aliases.Has("institution", name)) {
    add(institution, institution_name);
  }
  // A venue's name is a word of its papers already; only an alias ("NIPS")
  // names others.
  if (aliases.Has("venue", name)) {
    add(FilterKind{"venue", schema::prefix::kVenueFilter, VenueFilterTerm,
                   Venue},
        db.term_exists(VenueFilterTerm(name)));
  }
  return named;
}

std::vector<std::string> NamedFilterTerms(const Xapian::Database& db,
                                          std::string_view noun,
                                          const std::string& value,
                                          const Aliases& aliases,
                                          NameResolution* resolution) {
  const FilterKind kind =
      noun == "venue"
          ? FilterKind{"venue", schema::prefix::kVenueFilter, VenueFilterTerm,
                       Venue}
          : FilterKind{"institution", schema::prefix::kInstitutionFilter,
                       InstitutionFilterTerm, Institutions};
  std::vector<std::string> how;
  std::vector<std::string> terms = NamedValues(db, kind, value, aliases, &how);
  if (resolution != nullptr)
    *resolution = Resolution(db, kind, value, terms, how);
  return terms;
}

FilterQuery BuildFilterQuery(const Xapian::Database& db,
                             const SearchConfig& config,
                             const Aliases& aliases) {
  const FilterKind institution{"institution",
                               schema::prefix::kInstitutionFilter,
                               InstitutionFilterTerm, Institutions};
  const FilterKind venue{"venue", schema::prefix::kVenueFilter, VenueFilterTerm,
                         Venue};
  const FilterKind keyword{"keyword", schema::prefix::kKeywordFilter,
                           KeywordFilterTerm, KeywordLabels};
  const FilterKind author{"author", schema::prefix::kAuthorFilter,
                          AuthorFilterTerm, Authors};

  FilterQuery result;
  std::vector<Xapian::Query> parts;
  auto add = [&](const FilterKind& kind,
                 const std::vector<std::string>& values) {
    if (values.empty()) return;
    parts.push_back(TermsQuery(db, kind, values, aliases,
                               &result.unknown_values, &result.resolved,
                               &result.names));
  };
  add(institution, config.institutions);
  add(venue, config.venues);
  add(keyword, config.keywords);
  add(author, config.authors);
  if (!config.years.empty()) {
    parts.push_back(YearQuery(db, config.years, &result.unknown_values));
  }
  if (config.has_note) {
    parts.emplace_back(std::string(schema::prefix::kHas) + schema::kHasNote);
  }
  if (config.has_code) {
    parts.emplace_back(std::string(schema::prefix::kHas) + schema::kHasCode);
  }
  if (parts.empty()) return result;
  result.any = true;
  result.query = parts.size() == 1 ? parts.front()
                                   : Xapian::Query(Xapian::Query::OP_AND,
                                                   parts.begin(), parts.end());
  return result;
}

}  // namespace papersearch
