#!/usr/bin/python3
"""The JSON API of `papersearch --serve` (issue 24), against the real server.

Every search answer is compared with what the command line prints for the
same query (`papersearch --json`, `--format markdown|bibtex`): the contract
is that they are the same. The paper view is checked against the record
files, read here with a regex; a note's rendered HTML against the Markdown
written here. The server is started on a free port (port 0: it says which
in its first line), and stopped with SIGTERM or SIGINT, which must end it
with status 0.

Run: api_test.py --papersearch BIN --paperindex BIN --source SRCDIR
"""

import argparse
import gzip
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

ARGS = None
HOSTILE_NOTE = """# Hostile note

<script>window.pwned = 1</script>

<img src=x onerror="window.pwned = 2">

[click me](javascript:window.pwned=3) and [a real link](https://example.org/x)

## A table

| method | speedup |
|--------|---------|
| ours   | 2x      |

Plain text with **bold** and `code`.
"""


def read(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


def run(*argv, check=True):
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    if check and done.returncode not in (0, 1):
        raise AssertionError(f"{argv} exited {done.returncode}: {done.stderr}")
    return done


class Server:
    """papersearch --serve on a free port, its stderr kept in a file."""

    def __init__(self, db, quiet=True, extra=()):
        self.log_path = tempfile.mktemp(prefix="serve-", suffix=".log")
        self.log = open(self.log_path, "w+")
        self.log_reader = open(self.log_path)
        argv = [ARGS.papersearch, "--db", db, "--serve", "127.0.0.1:0"]
        if quiet:
            argv.append("--quiet")
        self.process = subprocess.Popen(argv + list(extra), stdout=subprocess.DEVNULL,
                                        stderr=self.log)
        deadline = time.time() + 30
        self.port = None
        while time.time() < deadline and self.port is None:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited {self.process.returncode}: "
                                     f"{read(self.log_path)}")
            self.log_reader.seek(0)
            match = re.search(r"serving http://127\.0\.0\.1:(\d+)/", self.log_reader.read())
            if match:
                self.port = int(match.group(1))
            else:
                time.sleep(0.02)
        if self.port is None:
            raise AssertionError("server did not say where it listens")

    def request(self, path, method="GET", headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    def get_json(self, path):
        status, headers, body = self.request(path)
        return status, json.loads(body)

    def stop(self, sig=signal.SIGTERM):
        self.process.send_signal(sig)
        code = self.process.wait(timeout=30)
        self.log.close()
        self.log_reader.close()
        return code

    def stderr(self):
        with open(self.log_path) as f:
            return f.read()


def index(root, db):
    done = run(ARGS.paperindex, "--root", root, "--db", db)
    assert done.returncode == 0, done.stderr


def cli(db, *argv):
    return run(ARGS.papersearch, "--db", db, *argv)


def make_collection(base):
    """The bundled records, with notes for two papers: one hostile."""
    root = os.path.join(base, "collection")
    shutil.copytree(os.path.join(ARGS.source, "meta"), os.path.join(root, "meta"))
    note_dir = os.path.join(root, "notes", "2025", "07NWF4VE")
    os.makedirs(note_dir)
    with open(os.path.join(note_dir, "note.md"), "w") as f:
        f.write(HOSTILE_NOTE)
    return root


def search_url(params, path="/api/search"):
    return path + "?" + urllib.parse.urlencode(params, doseq=True)


def cli_args(params):
    """The command line equivalent of API parameters."""
    argv = []
    for name, value in params:
        if name == "q":
            argv.append(value)
        elif name in ("has_note", "has_code", "all_words", "exact", "partial"):
            argv.append("--" + name.replace("_", "-"))
        elif name == "format":
            argv += ["--format", value]
        else:
            argv += ["--" + name.replace("_", "-"), value]
    return argv


# Queries a person types, with the filters the page sends.
QUERIES = [
    [("q", "kv cache eviction")],
    [("q", "kv cache eviction"), ("limit", "3"), ("offset", "2")],
    [("q", "speculative decoding"), ("year", "2024..2025")],
    [("q", "quantization"), ("venue", "ICLR"), ("venue", "NeurIPS")],
    [("q", "attention"), ("institution", "Tsinghua University"),
     ("institution", "MIT")],
    [("q", "sparse attention"), ("keyword", "sparse"), ("sort", "year")],
    [("q", "pruning"), ("all_words", "1")],
    [("q", "atention sink")],                      # a typo
    [("q", "\u5927\u6a21\u578b \u91cf\u5316")],   # Chinese
    [("q", 'title:"kv cache" -survey')],
    [("year", "2024"), ("limit", "20")],          # no words: newest first
    [("q", "llm"), ("sort", "rating"), ("exact", "1")],
    [("like", "2025/07NWF4VE")],
    [("q", "zzzzqqqq")],                          # nothing
    [("q", "moe"), ("has_note", "1")],
    [("q", "spec"), ("partial", "1")],            # typed so far
    [("q", "kv cache evic"), ("partial", "1"), ("year", "2025")],
]


class ApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="api-test-")
        cls.root = make_collection(cls.tmp)
        cls.db = os.path.join(cls.tmp, "db")
        index(cls.root, cls.db)
        cls.server = Server(cls.db)

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        assert code == 0, f"SIGTERM: exit {code}"

    def test_search_is_the_cli_json(self):
        for params in QUERIES:
            with self.subTest(params=params):
                status, headers, body = self.server.request(search_url(params))
                self.assertEqual(status, 200, body)
                self.assertEqual(headers["content-type"], "application/json; charset=utf-8")
                expected = cli(self.db, "--json", *cli_args(params)).stdout
                self.assertEqual(json.loads(body), json.loads(expected))
                # Byte for byte, not only equal values.
                self.assertEqual(body.decode(), expected)

    def test_results_are_real(self):
        # A query whose answer is known from the records themselves.
        status, answer = self.server.get_json(search_url([("q", "07NWF4VE")]))
        self.assertEqual(status, 200)
        self.assertEqual(answer["results"][0]["id"], "2025/07NWF4VE")
        status, answer = self.server.get_json(
            search_url([("q", "kv cache"), ("year", "2024"), ("limit", "50")]))
        self.assertGreater(answer["total"], 0)
        self.assertTrue(all(hit["year"] == 2024 for hit in answer["results"]))

    def test_partial_last_word(self):
        # Typed so far: the last word matches the words it begins.
        status, whole = self.server.get_json(search_url([("q", "speculat")]))
        status, typed = self.server.get_json(
            search_url([("q", "speculat"), ("partial", "1")]))
        self.assertEqual(status, 200)
        titles = [hit["title"].lower() for hit in typed["results"]]
        self.assertTrue(titles and all("speculat" in t for t in titles[:3]), titles)
        self.assertGreater(typed["total"], 0)
        # Only the last word: "evic" first is a whole word, which no paper
        # has, while last it matches eviction.
        status, answer = self.server.get_json(
            search_url([("q", "kv evic"), ("partial", "1")]))
        self.assertGreater(answer["total_all_words"], 0)
        status, answer = self.server.get_json(
            search_url([("q", "evic kv"), ("partial", "1")]))
        self.assertEqual(answer["total_all_words"], 0)

    def test_export_is_the_cli_format(self):
        for fmt, ctype, ext in (("markdown", "text/markdown", "md"),
                                ("json", "application/json", "json"),
                                ("bibtex", "application/x-bibtex", "bib")):
            params = [("q", "kv cache"), ("format", fmt)]
            expected = cli(self.db, "--limit", "1000", *cli_args(params))
            with self.subTest(format=fmt):
                status, headers, body = self.server.request(
                    search_url(params, "/api/export"))
                self.assertEqual(status, 200, body)
                self.assertTrue(headers["content-type"].startswith(ctype), headers)
                self.assertEqual(headers["content-disposition"],
                                 f'attachment; filename="papersearch.{ext}"')
                self.assertEqual(body.decode(), expected.stdout)

    def test_paper_is_its_record(self):
        record_path = os.path.join(self.root, "meta", "2025", "07NWF4VE.prototxt")
        record = read(record_path)
        status, paper = self.server.get_json("/api/paper/2025/07NWF4VE")
        self.assertEqual(status, 200)
        self.assertEqual(paper["id"], "2025/07NWF4VE")
        self.assertEqual(paper["title"], re.search(r'title: "(.*)"', record).group(1))
        self.assertEqual(paper["institutions"], re.findall(r'institutions: "(.*)"', record))
        self.assertEqual(paper["url"], re.search(r'url: "(http.*)"', record).group(1))
        self.assertEqual(paper["year"], int(re.search(r"year: (\d+)", record).group(1)))
        self.assertEqual(paper["note_path"], "notes/2025/07NWF4VE/note.md")

    def test_note_is_rendered_safely(self):
        status, paper = self.server.get_json("/api/paper/2025/07NWF4VE")
        self.assertEqual(status, 200)
        html = paper["note_html"]
        self.assertIn("<h1>Hostile note</h1>", html)
        self.assertIn("<table>", html)
        self.assertIn("<strong>bold</strong>", html)
        self.assertIn('href="https://example.org/x"', html)
        lowered = html.lower()
        self.assertNotIn("<script", lowered)
        self.assertNotIn("onerror", lowered)
        self.assertNotIn("javascript:", lowered)
        self.assertNotIn("<img", lowered)

    def test_paper_without_note(self):
        ids = [hit["id"] for hit in
               self.server.get_json(search_url([("q", "kv cache"), ("limit", "20")]))[1]["results"]
               if hit["note"] is None]
        self.assertTrue(ids)
        status, paper = self.server.get_json("/api/paper/" + ids[0])
        self.assertEqual(status, 200)
        self.assertIsNone(paper["note_html"])

    def test_errors(self):
        cases = [
            ("/api/search?limit=5000", 400, "limit"),
            ("/api/search?limit=all", 400, "limit"),
            ("/api/search?year=20x4", 400, "year"),
            ("/api/search?sort=size", 400, "sort"),
            ("/api/search?colour=red", 400, "unknown parameter 'colour'"),
            ("/api/search?q=a&q=b", 400, "q once"),
            ("/api/search?has_note=maybe", 400, "has_note"),
            ("/api/search?q=%ff%fe", 400, "UTF-8"),
            ("/api/search?q=a%00b", 400, "NUL"),
            ("/api/search?q=%zz", 400, "escape"),
            ("/api/export?q=kv", 400, "format"),
            ("/api/export?q=kv&format=pdf", 400, "format"),
            ("/api/paper/2025/NoSuchPaper", 404, "no paper"),
            ("/api/paper/2025/07NWF4VE?x=1", 400, "no parameters"),
            ("/api/nothing", 404, "no such page"),
            ("/etc/passwd", 404, "no such page"),
            ("/assets/../api/search", 404, "no such page"),
        ]
        for path, code, words in cases:
            with self.subTest(path=path):
                status, headers, body = self.server.request(path)
                self.assertEqual(status, code, body)
                self.assertEqual(headers["content-type"], "application/json; charset=utf-8")
                self.assertIn(words, json.loads(body)["error"])
        for method in ("POST", "PUT", "DELETE", "OPTIONS"):
            with self.subTest(method=method):
                status, headers, body = self.server.request("/api/search?q=kv", method)
                self.assertEqual(status, 405)
                self.assertEqual(headers["allow"], "GET, HEAD")

    def test_head(self):
        status, headers, body = self.server.request("/api/search?q=kv+cache", "HEAD")
        self.assertEqual(status, 200)
        self.assertEqual(body, b"")
        self.assertEqual(headers["content-type"], "application/json; charset=utf-8")

    def test_gzip(self):
        path = search_url([("q", "kv cache"), ("limit", "20")])
        _, _, plain = self.server.request(path)
        status, headers, body = self.server.request(path, headers={"Accept-Encoding": "gzip"})
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-encoding"], "gzip")
        self.assertIn("Accept-Encoding", headers["vary"])
        self.assertEqual(gzip.decompress(body), plain)
        self.assertLess(len(body), len(plain))
        for refused in ("gzip;q=0", "identity", "br"):
            status, headers, body = self.server.request(path, headers={"Accept-Encoding": refused})
            self.assertNotIn("content-encoding", headers)
            self.assertEqual(body, plain)

    def test_page_and_assets(self):
        status, headers, page = self.server.request("/")
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "text/html; charset=utf-8")
        self.assertIn("script-src 'self'", headers["content-security-policy"])
        self.assertEqual(headers["x-content-type-options"], "nosniff")
        assets = re.findall(rb'(?:src|href)="(/assets/[^"]+)"', page)
        types = {b".js": "text/javascript", b".css": "text/css", b".svg": "image/svg+xml"}
        self.assertTrue(any(a.endswith(b".js") for a in assets), page[:500])
        self.assertTrue(any(a.endswith(b".css") for a in assets), page[:500])
        for asset in assets:
            ctype = types[os.path.splitext(asset)[1]]
            status, headers, body = self.server.request(asset.decode())
            # The file as it is in server/assets.
            source = os.path.join(ARGS.source, "server", asset.decode().lstrip("/"))
            self.assertEqual(body, read(source, "rb"))
            self.assertEqual(status, 200, asset)
            self.assertTrue(headers["content-type"].startswith(ctype))
            self.assertEqual(headers["cache-control"], "no-cache")
            etag = headers["etag"]
            status, headers, body = self.server.request(asset.decode(),
                                                        headers={"If-None-Match": etag})
            self.assertEqual(status, 304)
            self.assertEqual(body, b"")
            status, headers, zipped = self.server.request(asset.decode(),
                                                          headers={"Accept-Encoding": "gzip"})
            self.assertEqual(headers.get("content-encoding"), "gzip")
        # The page's files are the ones in server/assets, as they are.
        source = read(os.path.join(ARGS.source, "server", "assets", "index.html"), "rb")
        self.assertEqual(page, source)

    def test_concurrent_requests(self):
        errors = []
        expected = self.server.request(search_url([("q", "kv cache eviction")]))[2]

        def hammer():
            for _ in range(30):
                status, _, body = self.server.request(search_url([("q", "kv cache eviction")]))
                if status != 200 or body != expected:
                    errors.append((status, body[:200]))
        threads = [threading.Thread(target=hammer) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])


class LifecycleTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="api-life-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_waits_for_the_database_and_follows_reindexing(self):
        root = make_collection(self.tmp)
        db = os.path.join(self.tmp, "db")
        server = Server(db, quiet=False)
        try:
            status, answer = server.get_json("/api/search?q=kv")
            self.assertEqual(status, 503)
            self.assertIn("paperindex", answer["error"])
            index(root, db)
            status, answer = server.get_json("/api/search?q=07NWF4VE")
            self.assertEqual(status, 200)
            self.assertEqual(answer["results"][0]["id"], "2025/07NWF4VE")

            # Searches run throughout the reindexing below; none may fail.
            failures, stop = [], threading.Event()

            def keep_searching():
                while not stop.is_set():
                    status, _, body = server.request("/api/search?q=kv+cache")
                    if status != 200:
                        failures.append((status, body[:200]))
            searchers = [threading.Thread(target=keep_searching) for _ in range(3)]
            for t in searchers:
                t.start()
            # Asked before the paper exists, often enough that every server
            # thread has the empty answer (each keeps recent answers).
            for _ in range(40):
                status, answer = server.get_json("/api/search?q=quokkaformer")
                self.assertEqual(answer["total"], 0)
            # An incremental update: a new paper, committed into the live index.
            with open(os.path.join(root, "meta", "2025", "ZZNEWONE.prototxt"), "w") as f:
                f.write('paper {\n  title: "Quokkaformer: a marsupial attention kernel"\n'
                        '  abbr: "Quokkaformer"\n}\npub {\n  year: 2025\n}\n')
            index(root, db)
            for _ in range(40):  # whichever thread answers: none answers from before
                status, answer = server.get_json("/api/search?q=quokkaformer")
                self.assertEqual(status, 200)
                self.assertEqual(answer["results"][0]["id"], "2025/ZZNEWONE")
            # A full rebuild: a new generation, switched in by a new stub.
            os.remove(os.path.join(root, "meta", "2025", "ZZNEWONE.prototxt"))
            done = run(ARGS.paperindex, "--root", root, "--db", db, "--full")
            self.assertEqual(done.returncode, 0, done.stderr)
            for _ in range(40):
                status, answer = server.get_json("/api/search?q=quokkaformer")
                self.assertEqual(status, 200)
                self.assertEqual(answer["total"], 0)
            for _ in range(3):
                index(root, db)
                run(ARGS.paperindex, "--root", root, "--db", db, "--full")
            stop.set()
            for t in searchers:
                t.join()
            self.assertEqual(failures, [])
        finally:
            code = server.stop(signal.SIGINT)
        self.assertEqual(code, 0)
        # The access log: one line per request, the target as sent.
        log = server.stderr()
        self.assertRegex(log, r'127\.0\.0\.1 "GET /api/search\?q=kv" 503 \d+ [\d.]+ms')
        self.assertRegex(log, r'127\.0\.0\.1 "GET /api/search\?q=quokkaformer" 200 \d+ [\d.]+ms')

    def test_quiet_logs_no_requests(self):
        db = os.path.join(self.tmp, "db")
        server = Server(db, quiet=True)
        server.request("/api/search?q=kv")
        self.assertEqual(server.stop(), 0)
        self.assertNotIn("GET", server.stderr())

    def test_serve_alone_takes_the_default_address(self):
        import socket
        probe = socket.socket()
        try:
            probe.bind(("127.0.0.1", 8765))
        except OSError:
            self.skipTest("port 8765 is in use here")
        finally:
            probe.close()
        db = os.path.join(self.tmp, "db")
        with open(os.path.join(self.tmp, "log"), "w+") as log:
            process = subprocess.Popen([ARGS.papersearch, "--db", db, "--serve", "--quiet"],
                                       stderr=log)
            try:
                deadline = time.time() + 30
                while time.time() < deadline and "serving" not in read(log.name):
                    time.sleep(0.02)
                self.assertIn("serving http://127.0.0.1:8765/", read(log.name))
            finally:
                process.send_signal(signal.SIGTERM)
                self.assertEqual(process.wait(timeout=30), 0)

    def test_bad_command_lines(self):
        db = os.path.join(self.tmp, "db")
        for argv, words in (
                (["--serve", "eighty"], "[HOST:]PORT"),
                (["--serve", "70000"], "[HOST:]PORT"),
                (["--serve", "0", "kv cache"], "--serve takes only"),
                (["--serve", "0", "--venue", "ICLR"], "--serve takes only"),
                (["--quiet", "kv"], "--quiet goes with --serve"),
                (["--serve", "nonexistent.invalid:0"], "cannot use host")):
            with self.subTest(argv=argv):
                done = run(ARGS.papersearch, "--db", db, *argv, check=False)
                self.assertEqual(done.returncode, 2, done.stderr)
                self.assertIn(words, done.stderr)
        # A port in use: the message says so.
        server = Server(db)
        try:
            done = run(ARGS.papersearch, "--db", db, "--serve", str(server.port), check=False)
            self.assertEqual(done.returncode, 2)
            self.assertIn("cannot listen on 127.0.0.1:%d: Address already in use" % server.port,
                          done.stderr)
        finally:
            self.assertEqual(server.stop(), 0)


class SnapshotTest(unittest.TestCase):
    """The same contract on a real snapshot with notes (when ../shared is there)."""

    def test_snapshot_answers_are_the_cli(self):
        snapshot = os.path.join(ARGS.source, "..", "shared", "corpus",
                                "efficientpaper-2026-04-08")
        if not os.path.isdir(snapshot):
            self.skipTest(f"{snapshot} is missing (../shared holds the snapshots)")
        tmp = tempfile.mkdtemp(prefix="api-snap-")
        try:
            db = os.path.join(tmp, "db")
            index(snapshot, db)
            server = Server(db)
            try:
                for params in QUERIES + [[("q", "MIT")], [("q", "\u6295\u673a\u89e3\u7801")],
                                         [("q", "speculative decoding draft model")]]:
                    with self.subTest(params=params):
                        status, _, body = server.request(search_url(params))
                        self.assertEqual(status, 200)
                        self.assertEqual(body.decode(),
                                         cli(db, "--json", *cli_args(params)).stdout)
                # Every paper with a note has it rendered.
                answer = json.loads(cli(db, "--json", "--has-note", "--limit", "30").stdout)
                self.assertGreater(len(answer["results"]), 0)
                for hit in answer["results"]:
                    status, paper = server.get_json("/api/paper/" + urllib.parse.quote(hit["id"]))
                    self.assertEqual(status, 200)
                    self.assertTrue(paper["note_html"], hit["id"])
                    self.assertEqual(paper["title"], hit["title"])
            finally:
                self.assertEqual(server.stop(), 0)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--papersearch", required=True)
    parser.add_argument("--paperindex", required=True)
    parser.add_argument("--source", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
