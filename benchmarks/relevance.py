#!/usr/bin/env python3
"""Relevance of papersearch against Xapian's omega (omindex + quest) on judged queries.

For each collection root this builds, under a temporary directory in /tmp:
  (a) a papersearch database: paperindex --root ROOT --db TMP/db --quiet
  (b) an omega database over the same text files (meta/ and notes/), with
      omindex mapping .prototxt and .md to text/plain,
then runs every judged query of a TSV file (default tests/relevance/topical.tsv;
the format of tests/relevance/queries.tsv) through
  papersearch --db TMP/db --format ids -n 50 -- QUERY
  quest -d TMP/omega -m 50 QUERY          (omega's default: OR of the words, BM25)
and prints, per collection, the number of queries judged there, nDCG@10 and
recall@50 for topical queries (and Success@1 for `known` ones) for both, with
the ratio papersearch / omega.

With --queries tests/relevance/names.tsv (issue 27): author, institution and venue
queries are judged on each collection's own records (an author's papers by name; an
institution's or venue's by the judged regular expression over its spellings) and scored
bare (first5: the share of the first min(5, judged) places that are the name's papers;
recall@50) for both engines, and as papersearch's --author/--institution/--venue filter
(recall and precision of the whole result set; omega has no filter); `typo` queries (a
title misspelt or misremembered) by Success@3; `synonym` lines ("a | b | c") by the mean
top-20 overlap of their members' results (|A & B| / max(|A|, |B|)).

An omega hit is mapped back to a paper: meta/YEAR/ID.prototxt and any file
under notes/YEAR/ID/ are both paper YEAR/ID; the first occurrence in the ranking
is kept, later ones dropped (so omega's list is a list of papers, as papersearch's).

Scoring (the same as tests/search_ranking_test.cc):
  - a query is judged on a collection on the judged ids that collection has
    (meta/YEAR/ID.prototxt exists); a query with none there is skipped, and
    `topic:notes` queries are skipped on collections without notes (no
    notes/YEAR/ID/ directory: the bundled list's notes/ holds only a README,
    so unlike tests/search_ranking_test.cc its Chinese queries are skipped);
  - nDCG@10: gain 2^grade - 1 (grade 2 = about the topic, 1 = related), discount
    log2(rank + 1), ideal from the judged grades present in the collection;
  - recall@50: judged ids (any grade) in the top 50 / judged ids present;
  - Success@1 (kind `known`): the first result is the judged id.

Usage:
  benchmarks/relevance.py                      # bundled list + both snapshots
  benchmarks/relevance.py --root DIR --per-query
  benchmarks/relevance.py --queries tests/relevance/queries.tsv
  benchmarks/relevance.py --queries tests/relevance/names.tsv
  benchmarks/relevance.py --papersearch /tmp/ps-base/papersearch \\
                          --paperindex /tmp/ps-base/paperindex

Needs python3 (stdlib only), omindex and quest (Debian: xapian-omega,
xapian-tools). CJK text is indexed and parsed as n-grams for omega too
(XAPIAN_CJK_NGRAM=1), as one would deploy omega for Chinese notes;
--no-cjk-ngram turns that off.
"""

import argparse
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(REPO), "shared", "corpus")
SNAPSHOTS = ["efficientpaper-2026-04-08", "efficientpaper-2025-08-29"]
LIMIT = 50
NAME_KINDS = ("author", "institution", "venue")


def default_roots():
    roots = [REPO]
    if os.path.isdir(SHARED):
        for name in SNAPSHOTS:
            path = os.path.join(SHARED, name)
            if os.path.isdir(path):
                roots.append(path)
    else:
        print(f"note: {SHARED} not found; measuring the bundled list only",
              file=sys.stderr)
    return roots


def read_queries(path):
    """Returns [(kind, query, {id: grade})] from a judged-query TSV."""
    queries = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 3:
                sys.exit(f"{path}:{lineno}: expected KIND<TAB>QUERY<TAB>IDS")
            kind, query, ids = parts
            grades = {}
            if kind in ("synonym",) + NAME_KINDS:
                # Judged per collection from its records (see records()).
                queries.append((kind, query, ids))
                continue
            for token in ids.split():
                pid, _, grade = token.partition("=")
                grades[pid] = int(grade) if grade else 1
            queries.append((kind, query, grades))
    return queries


def fold_name(name):
    """A person's name as compared: no accents, case, dots, hyphens or middle
    initials ("Joseph E. Gonzalez" and "joseph gonzalez" are one)."""
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c))
    words = name.lower().replace(".", " ").replace("-", " ").split()
    if len(words) > 2:
        words = [words[0]] + [w for w in words[1:-1] if len(w) > 1] + [words[-1]]
    return " ".join(words)


FIELD = re.compile(r'^\s*(authors|institutions|where):\s*"((?:[^"\\]|\\.)*)"', re.M)


def records(root):
    """{id: {"author": [folded names], "institution": [...], "venue": [...]}}
    read with this script's own regexes: an authors string is split at commas,
    semicolons, " and " and " & "."""
    out = {}
    for pid in collection_ids(root):
        with open(os.path.join(root, "meta", pid + ".prototxt"),
                  encoding="utf-8", errors="replace") as f:
            text = f.read()
        rec = {"author": [], "institution": [], "venue": []}
        for field, value in FIELD.findall(text):
            if field == "authors":
                for part in re.split(r",|;| and | & ", value):
                    part = part.strip()
                    if part.startswith("and "):
                        part = part[4:].strip()
                    if part:
                        rec["author"].append(fold_name(part))
            else:
                rec["institution" if field == "institutions" else "venue"].append(value)
        out[pid] = rec
    return out


def judged_names(kind, query, pattern, recs):
    """The papers a name query is judged to mean in this collection: an
    author's (by fold_name), or those with a value matching the judged
    regex."""
    if kind == "author":
        want = fold_name(query)
        return {pid: 1 for pid, r in recs.items() if want in r["author"]}
    rx = re.compile(pattern)
    return {pid: 1 for pid, r in recs.items() if any(rx.search(v) for v in r[kind])}


def collection_ids(root):
    ids = set()
    meta = os.path.join(root, "meta")
    for year in os.listdir(meta):
        if not year.isdigit() or not os.path.isdir(os.path.join(meta, year)):
            continue
        for name in os.listdir(os.path.join(meta, year)):
            if name.endswith(".prototxt"):
                ids.add(f"{year}/{name[:-len('.prototxt')]}")
    return ids


def collection_has_notes(root):
    """True when some notes/YEAR/ID/ directory exists (a notes/ holding only a
    README, as in the bundled list, is no notes)."""
    notes = os.path.join(root, "notes")
    if not os.path.isdir(notes):
        return False
    for year in os.listdir(notes):
        path = os.path.join(notes, year)
        if year.isdigit() and os.path.isdir(path) and any(
                os.path.isdir(os.path.join(path, pid)) for pid in os.listdir(path)):
            return True
    return False


def run(cmd, env=None, check=True):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, env=env)
    if check and r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr}")
    return r


def omega_env(cjk):
    env = dict(os.environ)
    if cjk:
        env["XAPIAN_CJK_NGRAM"] = "1"
    else:
        env.pop("XAPIAN_CJK_NGRAM", None)
    return env


def build_omega(root, db, cjk):
    env = omega_env(cjk)
    first = True
    for sub in ("meta", "notes"):
        if not os.path.isdir(os.path.join(root, sub)):
            continue
        # omindex [OPTIONS] --db DB BASEDIR DIRECTORY: DIRECTORY is relative to
        # BASEDIR, so the urls are /meta/... and /notes/... .
        cmd = ["omindex", "--db", db, "--url", "/",
               "--mime-type=prototxt:text/plain", "--mime-type=md:text/plain",
               "--empty-docs=skip"]
        if not first:
            cmd.append("--no-delete")
        cmd += [root, sub]
        run(cmd, env=env)
        first = False


PAPER_URL = re.compile(r"^/?(?:meta/(\d{4})/([^/]+)\.prototxt"
                       r"|notes/(\d{4})/([^/]+)/.+)$")


def url_to_id(url):
    m = PAPER_URL.match(url)
    if not m:
        return None
    if m.group(1):
        return f"{m.group(1)}/{m.group(2)}"
    return f"{m.group(3)}/{m.group(4)}"


def search_omega(db, query, cjk):
    r = run(["quest", "-d", db, "-m", str(LIMIT * 4), query],
            env=omega_env(cjk), check=False)
    ranked, seen = [], set()
    for line in r.stdout.splitlines():
        if not line.startswith("url="):
            continue
        pid = url_to_id(line[len("url="):])
        if pid and pid not in seen:
            seen.add(pid)
            ranked.append(pid)
    return ranked[:LIMIT]


def search_papersearch(binary, db, query, options=()):
    r = run([binary, "--db", db, "--format", "ids", "--color", "never",
             "-n", "all" if options else str(LIMIT), *options, "--", query],
            check=False)
    if r.returncode not in (0, 1):
        sys.exit(f"papersearch failed ({r.returncode}) on {query!r}:\n{r.stderr}")
    return [line.strip() for line in r.stdout.splitlines() if line.strip()]


def ndcg_at_10(ranked, grades):
    dcg = sum((2 ** grades.get(pid, 0) - 1) / math.log2(i + 2)
              for i, pid in enumerate(ranked[:10]))
    best = sorted(grades.values(), reverse=True)[:10]
    ideal = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(best))
    return dcg / ideal if ideal else 0.0


def recall_at(ranked, grades, k=LIMIT):
    return len(set(ranked[:k]) & set(grades)) / len(grades)


def first_places(ranked, grades, k=5):
    """Of the first min(k, judged) results, the share that are judged."""
    places = min(k, len(grades))
    return len(set(ranked[:places]) & set(grades)) / places


def overlap(lists, k=20):
    """Mean over pairs of lists of |A & B| / max(|A|, |B|) of their top k."""
    tops = [set(ranked[:k]) for ranked in lists]
    pairs = [(a, b) for i, a in enumerate(tops) for b in tops[i + 1:]]
    return sum(len(a & b) / max(len(a), len(b), 1) for a, b in pairs) / len(pairs)


def ratio(a, b):
    return f"{a / b:.2f}" if b else "-"


def measure(root, queries, args):
    ids = collection_ids(root)
    has_notes = collection_has_notes(root)
    tmp = tempfile.mkdtemp(prefix="relevance-", dir="/tmp")
    try:
        db, omega = os.path.join(tmp, "db"), os.path.join(tmp, "omega")
        run([args.paperindex, "--root", root, "--db", db, "--quiet"])
        build_omega(root, omega, args.cjk_ngram)
        rows = []
        recs = records(root)
        for kind, query, judged in queries:
            if kind == "synonym":
                members = [m.strip() for m in query.split("|")]
                ps = [search_papersearch(args.papersearch, db, m) for m in members]
                om = [search_omega(omega, m, args.cjk_ngram) for m in members]
                if any(ps):
                    rows.append((kind, query, len(members), overlap(ps),
                                 overlap(om), None, None))
                continue
            if kind in NAME_KINDS:
                judged = judged_names(kind, query, judged, recs)
            grades = {pid: g for pid, g in judged.items() if pid in ids}
            if not grades or (kind == "topic:notes" and not has_notes):
                continue
            ps = search_papersearch(args.papersearch, db, query)
            om = search_omega(omega, query, args.cjk_ngram)
            if kind in NAME_KINDS:
                # Bare, then as the filter (omega has none: its bare figure).
                filtered = search_papersearch(args.papersearch, db, "",
                                              ("--" + kind, query))
                found = set(filtered)
                rows.append((kind, query, len(grades),
                             first_places(ps, grades), first_places(om, grades),
                             recall_at(ps, grades), recall_at(om, grades),
                             len(found & set(grades)) / len(grades),
                             len(found & set(grades)) / len(found) if found else 0.0))
            elif kind == "typo":
                rows.append((kind, query, len(grades),
                             float(bool(set(ps[:3]) & set(grades))),
                             float(bool(set(om[:3]) & set(grades))), None, None))
            elif kind == "known":
                rows.append((kind, query, len(grades),
                             float(bool(ps) and ps[0] in grades),
                             float(bool(om) and om[0] in grades), None, None))
            else:
                rows.append((kind, query, len(grades),
                             ndcg_at_10(ps, grades), ndcg_at_10(om, grades),
                             recall_at(ps, grades), recall_at(om, grades)))
        return rows, len(ids), has_notes
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def report(root, rows, n_papers, has_notes, per_query):
    print(f"== {root} ({n_papers} papers, {'with' if has_notes else 'no'} notes)")
    topics = [r for r in rows if r[0] in ("topic", "topic:notes")]
    known = [r for r in rows if r[0] == "known"]
    names = [r for r in rows if r[0] in NAME_KINDS]
    typos = [r for r in rows if r[0] == "typo"]
    synonyms = [r for r in rows if r[0] == "synonym"]
    if per_query:
        if topics:
            print(f"  {'query':<58} {'n':>3}  {'ndcg ps':>7} {'omega':>6} {'diff':>6}"
                  f"  {'R@50 ps':>7} {'omega':>6}")
            for kind, q, n, nps, nom, rps, rom in topics:
                tag = "*" if kind == "topic:notes" else " "
                print(f" {tag}{q[:58]:<58} {n:>3}  {nps:7.3f} {nom:6.3f} {nps - nom:+6.3f}"
                      f"  {rps:7.3f} {rom:6.3f}")
        for kind, q, n, sps, som, _, _ in known:
            print(f"  known {q[:52]:<52} S@1 ps {sps:.0f} omega {som:.0f}")
        for kind, q, n, pps, pom, rps, rom, frec, fprec in names:
            print(f"  {kind:<11} {q[:36]:<36} {n:>3}  first5 {pps:.2f} {pom:.2f}"
                  f"  R@50 {rps:.2f} {rom:.2f}  filter R {frec:.2f} P {fprec:.2f}")
        for kind, q, n, sps, som, _, _ in typos:
            print(f"  typo  {q[:52]:<52} S@3 ps {sps:.0f} omega {som:.0f}")
        for kind, q, n, ops, oom, _, _ in synonyms:
            print(f"  synonym {q[:50]:<50} top-20 overlap ps {ops:.2f} omega {oom:.2f}")
    print(f"  {'measure':<14} {'queries':>7} {'papersearch':>11} {'omega':>7} {'ratio':>6}")
    if topics:
        n = len(topics)
        for name, a, b in (("nDCG@10", 3, 4), ("recall@50", 5, 6)):
            ps = sum(r[a] for r in topics) / n
            om = sum(r[b] for r in topics) / n
            print(f"  {name:<14} {n:>7} {ps:11.3f} {om:7.3f} {ratio(ps, om):>6}")
    def line(name, rows, a, b=None):
        n = len(rows)
        ps = sum(r[a] for r in rows) / n
        if b is None:
            print(f"  {name:<14} {n:>7} {ps:11.3f} {'-':>7} {'-':>6}")
            return
        om = sum(r[b] for r in rows) / n
        print(f"  {name:<14} {n:>7} {ps:11.3f} {om:7.3f} {ratio(ps, om):>6}")

    if known:
        line("Success@1", known, 3, 4)
    for kind in NAME_KINDS:
        some = [r for r in names if r[0] == kind]
        if some:
            line(f"{kind} first5", some, 3, 4)
            line(f"{kind} R@50", some, 5, 6)
            line(f"{kind} filter R", some, 7)
            line(f"{kind} filter P", some, 8)
    if typos:
        line("typo S@3", typos, 3, 4)
    if synonyms:
        line("synonym ovl@20", synonyms, 3, 4)
    print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", action="append",
                    help="collection root (repeatable; default: the bundled list "
                         f"and the snapshots in {SHARED} when present)")
    ap.add_argument("--queries",
                    default=os.path.join(REPO, "tests/relevance/topical.tsv"),
                    help="judged-query TSV (default: tests/relevance/topical.tsv)")
    ap.add_argument("--papersearch",
                    default=os.path.join(REPO, "build/searcher/papersearch"))
    ap.add_argument("--paperindex",
                    default=os.path.join(REPO, "build/indexer/paperindex"))
    ap.add_argument("--per-query", action="store_true",
                    help="print each query's figures for both engines")
    ap.add_argument("--no-cjk-ngram", dest="cjk_ngram", action="store_false",
                    help="do not set XAPIAN_CJK_NGRAM=1 for omindex and quest")
    args = ap.parse_args()

    for tool in ("omindex", "quest"):
        if not shutil.which(tool):
            sys.exit(f"{tool} not found (Debian: apt-get install xapian-omega xapian-tools)")
    for binary in (args.papersearch, args.paperindex):
        if not os.access(binary, os.X_OK):
            sys.exit(f"{binary} not found or not executable "
                     "(build it, or pass --papersearch/--paperindex)")
    queries = read_queries(args.queries)
    roots = args.root or default_roots()
    for root in roots:
        if not os.path.isdir(os.path.join(root, "meta")):
            print(f"skipping {root}: no meta/ directory", file=sys.stderr)
            continue
        rows, n_papers, has_notes = measure(root, queries, args)
        report(root, rows, n_papers, has_notes, args.per_query)


if __name__ == "__main__":
    main()
