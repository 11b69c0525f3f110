#!/usr/bin/env python3
"""Hostile HTTP against `papersearch --serve` (issue 24; docs: the HTTP contract).

    /usr/bin/python3 hostile_http_test.py --papersearch BIN --paperindex BIN --source SRCDIR
        [unittest options, e.g. -v or -k traversal]

Indexes SRCDIR's collection (meta/, notes/) with `paperindex --root SRCDIR --db TMP/db`,
writes a secret file beside the database (TMP/secret.txt), starts
`papersearch --db TMP/db --serve 127.0.0.1:PORT --quiet` on a free port, and attacks it
with raw sockets, so that every request is sent byte for byte as written here (no client
library normalises a path or adds a header):

  - path traversal in every spelling (dot segments, %2e, %2f, %5c, overlong UTF-8, double
    encoding, doubled slashes, the secret's absolute path): 404 or 400, and no body holds
    /etc/passwd's or the secret's content;
  - a 100 KB URI: 414; 10,000 headers (and one 100 KB header): 431 or 400;
  - thousands of byte ranges on an asset: 200 with the whole file or 416, never multipart;
  - chunked bodies with bad sizes: 400 or the connection closed, never a hang, and never
    the body read as a second request; conflicting framing (Content-Length with
    Transfer-Encoding, unknown codings) never answered twice; an invalid Content-Length
    (two values, negative, too big): 400 (RFC 9112 6.3);
  - POST (and other methods) with a body: 405 with Allow: GET, HEAD;
  - slowloris: 250 connections holding half a request line while a fresh connection's
    /api/search still answers within 2 s;
  - invalid UTF-8 and NUL in parameters: 400 with a JSON error, or 200 with valid JSON
    (valid UTF-8 too);
  - garbage (binary request lines, bare LF, folded headers, HTTP/2 preface) and 2,000
    pipelined requests: answered without a 5xx other than 501/505, or closed;
  - every error answer has X-Content-Type-Options: nosniff, a charset and a JSON body;
  - then the server is still running, and SIGTERM makes it exit 0.

The server runs in the secret's directory, so a path resolved against its working
directory is attacked too. papersearch --serve may start a helper beside its binary
(papersearch-serve): pass the binary where it was built or installed, not a lone copy.

Every socket has a timeout and every test an alarm, so nothing can hang the suite.
Needs only python3's standard library.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

HOST = "127.0.0.1"
TIMEOUT = 5.0          # seconds a single answer may take
TEST_ALARM = 90        # seconds a whole test may take
START_TIMEOUT = 60.0   # seconds for the server to answer after starting
GARBAGE_WAIT = 30.0    # seconds a never-complete request may be held open

ARGS = None            # the command line (parsed in main)
SERVER = None          # the running server (setUpModule)


class Response:
    def __init__(self, status, reason, headers, body, raw, closed):
        self.status = status      # int, or None: nothing came back
        self.reason = reason
        self.headers = headers    # {lower-case name: [values]}
        self.body = body
        self.raw = raw            # every byte received
        self.closed = closed      # the server closed the connection (or reset it)

    def header(self, name):
        values = self.headers.get(name.lower())
        return values[0] if values else None

    def describe(self):
        if self.status is None:
            return "no answer (%s; %d bytes)" % (
                "connection closed" if self.closed else "still open", len(self.raw))
        head = self.raw.split(b"\r\n\r\n", 1)[0]
        if len(head) > 300:
            head = head[:300] + b"..."
        return "%d %s, %d body bytes; head: %r; body starts: %r" % (
            self.status, self.reason[:60], len(self.body), head, self.body[:160])


def _recv_until(sock, buf, done, deadline):
    """Reads into buf until done(buf) or the deadline; returns (buf, closed)."""
    while not done(buf):
        left = deadline - time.monotonic()
        if left <= 0:
            raise socket.timeout("no complete answer within the deadline")
        sock.settimeout(left)
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, BrokenPipeError):
            return buf, True
        if not chunk:
            return buf, True
        buf += chunk
    return buf, False


def read_response(sock, timeout=TIMEOUT, head_request=False):
    """One HTTP/1.1 answer from sock. A timeout before the answer is complete
    raises socket.timeout (a hang); a connection closed first gives what came."""
    deadline = time.monotonic() + timeout
    buf, closed = _recv_until(sock, b"", lambda b: b"\r\n\r\n" in b, deadline)
    if b"\r\n\r\n" not in buf:
        return Response(None, "", {}, b"", buf, True)
    head, rest = buf.split(b"\r\n\r\n", 1)
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    try:
        status = int(parts[1])
    except (IndexError, ValueError):
        return Response(None, "", {}, b"", buf, closed)
    reason = parts[2].decode("latin-1") if len(parts) > 2 else ""
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers.setdefault(name.strip().lower().decode("latin-1"), []).append(
            value.strip().decode("latin-1"))
    if head_request or status in (204, 304) or 100 <= status < 200:
        return Response(status, reason, headers, b"", buf, closed)
    length = headers.get("content-length")
    chunked = "chunked" in ",".join(headers.get("transfer-encoding", [])).lower()
    if length is not None:
        n = int(length[0])
        if not closed:
            rest, closed = _recv_until(sock, rest, lambda b: len(b) >= n, deadline)
        body = rest[:n]
    elif chunked:
        if not closed:
            rest, closed = _recv_until(
                sock, rest, lambda b: b.startswith(b"0\r\n") or b"\r\n0\r\n\r\n" in b,
                deadline)
        body = _dechunk(rest)
    else:  # until the server closes
        if not closed:
            rest, closed = _recv_until(sock, rest, lambda b: False, deadline)
        body = rest
    return Response(status, reason, headers, body, head + b"\r\n\r\n" + rest, closed)


def _dechunk(data):
    body = b""
    while data:
        line, _, data = data.partition(b"\r\n")
        size = int(line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        body += data[:size]
        data = data[size + 2:]
    return body


def connect(timeout=TIMEOUT):
    sock = socket.create_connection((HOST, SERVER.port), timeout=timeout)
    sock.settimeout(timeout)
    return sock


def exchange(request, timeout=TIMEOUT, head_request=False):
    """Sends request (bytes, exactly) on a new connection and reads one answer.
    The server may answer and close before all of it is sent (a 414 for a long
    URI): a send that fails is then not an error, the answer is read."""
    with connect(timeout) as sock:
        try:
            sock.sendall(request)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass  # the server stopped reading: its answer tells why
        try:
            return read_response(sock, timeout, head_request)
        except ConnectionResetError:
            return Response(None, "", {}, b"", b"", True)


def get(target, extra=b"", timeout=TIMEOUT):
    """GET target (bytes or str, sent as is) with Host and Connection: close."""
    if isinstance(target, str):
        target = target.encode("latin-1")
    return exchange(b"GET " + target + b" HTTP/1.1\r\nHost: " + HOST.encode() +
                    b"\r\nConnection: close\r\n" + extra + b"\r\n", timeout)


class Server:
    def __init__(self, papersearch, db, workdir):
        self.port = free_port()
        self.log = open(os.path.join(workdir, "server.log"), "wb")
        self.command = [papersearch, "--db", db, "--serve", "%s:%d" % (HOST, self.port),
                        "--quiet"]
        # Run in the directory that holds the secret, so that a path resolved
        # against the working directory would find it.
        self.process = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, cwd=workdir,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.log_path = self.log.name

    def output(self):
        self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read()[-4000:].decode("utf-8", "replace")

    def wait_until_answering(self):
        deadline = time.monotonic() + START_TIMEOUT
        last = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("%s exited %d before answering:\n%s" % (
                    " ".join(self.command), self.process.returncode, self.output()))
            try:
                r = get("/api/search?q=test", timeout=2)
                if r.status is not None:
                    return
            except OSError as e:
                last = e
            time.sleep(0.1)
        raise RuntimeError("%s did not answer within %.0f s (%s):\n%s" % (
            " ".join(self.command), START_TIMEOUT, last, self.output()))

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


WORKDIR = None
SECRET = None          # the secret file's content
SECRET_PATH = None
PASSWD_LINES = []      # /etc/passwd's lines (for "never in a body")


def setUpModule():
    global WORKDIR, SECRET, SECRET_PATH, SERVER, PASSWD_LINES
    for name in ("papersearch", "paperindex"):
        path = getattr(ARGS, name)
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            raise RuntimeError("--%s %s: not an executable" % (name, path))
    help_text = subprocess.run([ARGS.papersearch, "--help"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=30).stdout
    if b"--serve" not in help_text:
        raise RuntimeError("%s --help has no --serve: this papersearch has no server"
                           % ARGS.papersearch)
    WORKDIR = tempfile.mkdtemp(prefix="hostile-http-")
    db = os.path.join(WORKDIR, "db")
    r = subprocess.run([ARGS.paperindex, "--root", ARGS.source, "--db", db, "--quiet"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
    if r.returncode != 0:
        raise RuntimeError("paperindex failed (%d):\n%s" % (
            r.returncode, r.stdout.decode("utf-8", "replace")))
    SECRET = "secret-" + secrets.token_hex(16)
    SECRET_PATH = os.path.join(WORKDIR, "secret.txt")
    with open(SECRET_PATH, "w") as f:
        f.write(SECRET + "\n")
    try:
        with open("/etc/passwd", encoding="utf-8", errors="replace") as f:
            PASSWD_LINES = [l.strip() for l in f if l.strip()]
    except OSError:
        PASSWD_LINES = []
    SERVER = Server(ARGS.papersearch, db, WORKDIR)
    try:
        SERVER.wait_until_answering()
    except Exception:
        SERVER.stop()
        raise


def tearDownModule():
    if SERVER is not None:
        SERVER.stop()
    if WORKDIR is not None:
        shutil.rmtree(WORKDIR, ignore_errors=True)


class Alarm(Exception):
    pass


def _alarm(signum, frame):
    raise Alarm("test took more than %d s: something hangs" % TEST_ALARM)


class HostileCase(unittest.TestCase):
    def setUp(self):
        self.assertIsNone(SERVER.process.poll(),
                          "the server had exited (%s) before this test:\n%s" % (
                              SERVER.process.returncode, SERVER.output()))
        signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(TEST_ALARM)

    def tearDown(self):
        signal.alarm(0)
        self.assertIsNone(SERVER.process.poll(),
                          "the server exited (%s) during this test:\n%s" % (
                              SERVER.process.returncode, SERVER.output()))

    # Helpers.
    def assertNoFailures(self, failures):
        if failures:
            self.fail("%d of the requests failed:\n  %s" % (len(failures), "\n  ".join(failures)))

    def assertNoLeak(self, response, what):
        body = response.raw
        self.assertNotIn(SECRET.encode(), body, "%s: the secret file's content came back" % what)
        for line in PASSWD_LINES[:3]:
            self.assertNotIn(line.encode(), body, "%s: /etc/passwd's content came back" % what)
        self.assertNotIn(b"root:x:0:0", body, "%s: /etc/passwd's content came back" % what)

    def assertStatus(self, response, allowed, what):
        self.assertIn(response.status, allowed,
                      "%s: wanted %s, got %s" % (what, " or ".join(map(str, allowed)),
                                                 response.describe()))

    def assertJsonError(self, response, what):
        self.assertTrue((response.header("content-type") or "").startswith("application/json"),
                        "%s: error not JSON: %s" % (what, response.describe()))
        try:
            doc = json.loads(response.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            self.fail("%s: error body is not JSON (%s): %s" % (what, e, response.describe()))
        self.assertIsInstance(doc, dict, what)
        self.assertIsInstance(doc.get("error"), str, "%s: no \"error\" string: %r" % (what, doc))


def traversal_targets():
    """Every spelling of a path out of the assets (or the root) that we know of."""
    secret = SECRET_PATH.lstrip("/")
    enc_secret = secret.replace("/", "%2f")
    up = "../" * 12
    targets = [
        "/../", "/..", "/../../../../../../etc/passwd", "/assets/../../etc/passwd",
        "/assets/../../../../../../../../etc/passwd", "/assets/../assets/../../etc/passwd",
        "/assets/app.js/../../../../etc/passwd", "/./../../etc/passwd",
        "/assets/./../../../etc/passwd",
        "/%2e%2e/", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/%2E%2E/etc/passwd", "/assets/.%2e/.%2e/.%2e/etc/passwd",
        "/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/assets%2f..%2f..%2f..%2fetc%2fpasswd", "/assets/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/%2fetc%2fpasswd", "/assets/%2fetc%2fpasswd",
        "/assets/..%5c..%5c..%5c..%5cetc%5cpasswd", "/%5c..%5c..%5c..%5cetc%5cpasswd",
        "/assets/%5c%2e%2e%5c%2e%2e%5cetc%5cpasswd", "/assets/..\\..\\..\\etc\\passwd",
        "//etc/passwd", "///etc/passwd", "/assets//etc/passwd", "/assets///etc/passwd",
        "/assets/%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
        "/%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afetc%c0%afpasswd",
        "/assets/%e0%80%ae%e0%80%ae/%e0%80%ae%e0%80%ae/etc/passwd",
        "/assets/%c0%2e%c0%2e/%c0%2e%c0%2e/etc/passwd",
        "/assets/%252e%252e/%252e%252e/%252e%252e/etc/passwd",
        "/assets/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
        "/assets/..;/..;/..;/etc/passwd", "/assets/app.js%00/../../../etc/passwd",
        "/etc/passwd", "/assets/etc/passwd", "/assets/", "/assets", "/assets/.",
        "/assets/app.js/", "/assets/APP.JS", "/assets/app.js.", "/assets/app.js%00",
        "/assets/app.js%00.png", "/assets/app.js::$DATA", "/assets/server/assets/app.js",
        "/api/paper/../../../../../../etc/passwd",
        "/api/paper/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/api/paper/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/" + SECRET_PATH, "/" + secret, "/assets/" + up + secret,
        "/assets/" + "%2e%2e%2f" * 12 + enc_secret, "/assets/" + "..%2f" * 12 + enc_secret,
        "/" + "%2e%2e/" * 12 + secret, "/api/paper/" + up + secret,
        "/assets/" + up + secret.rsplit("/", 1)[0] + "/db",
        "/index.html/../../../../etc/passwd", "/index.html/" + up + secret,
        # Relative to the server's working directory (the secret's directory).
        "/secret.txt", "/assets/../secret.txt", "/assets/..%2fsecret.txt",
        "/assets/%2e%2e/secret.txt", "/./secret.txt", "/db", "/assets/../db",
        "/server.log", "/assets/../server.log",
    ]
    return targets


class Test1Traversal(HostileCase):
    def test_traversal_is_404_and_leaks_nothing(self):
        failures = []
        for target in traversal_targets():
            try:
                r = get(target)
            except socket.timeout:
                failures.append("%s: no answer within %.0f s" % (target, TIMEOUT))
                continue
            self.assertNoLeak(r, target)
            if r.status not in (400, 404):
                failures.append("%s: wanted 404 or 400, got %s" % (target, r.describe()))
        self.assertNoFailures(failures)

    def test_absolute_form_and_odd_targets(self):
        # An absolute-form target names a path too; one without a slash is no path.
        targets = [
            "http://%s:%d/../../etc/passwd" % (HOST, SERVER.port),
            "http://%s:%d/%%2e%%2e/%%2e%%2e/etc/passwd" % (HOST, SERVER.port),
            "file:///etc/passwd", "etc/passwd", "../../etc/passwd", "*",
        ]
        failures = []
        for target in targets:
            r = get(target)
            self.assertNoLeak(r, target)
            if r.status is not None and r.status not in (400, 404):
                failures.append("%s: wanted 404, 400 or the connection closed, got %s" %
                                (target, r.describe()))
        self.assertNoFailures(failures)

    def test_traversal_with_head(self):
        for target in ("/assets/../../etc/passwd", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                       "/" + SECRET_PATH):
            r = exchange(b"HEAD " + target.encode() + b" HTTP/1.1\r\nHost: x\r\n"
                         b"Connection: close\r\n\r\n", head_request=True)
            self.assertNoLeak(r, "HEAD " + target)
            self.assertStatus(r, (400, 404), "HEAD " + target)

    def test_real_assets_still_served(self):
        # The attacks above only mean something if the assets answer.
        for name in ("app.js", "style.css", "icon.svg"):
            r = get("/assets/" + name)
            self.assertStatus(r, (200,), "/assets/" + name)
            self.assertGreater(len(r.body), 0, "/assets/" + name)


class Test2Sizes(HostileCase):
    def test_100kb_uri_is_414(self):
        for target in ("/api/search?q=" + "a" * 100_000, "/" + "a" * 100_000,
                       "/assets/" + "../" * 34_000 + "etc/passwd"):
            r = get(target, timeout=10)
            self.assertNoLeak(r, "100 KB URI")
            self.assertStatus(r, (414,), "GET of a %d-byte URI %r..." % (len(target), target[:30]))

    def test_many_headers_are_431(self):
        headers = b"".join(b"X-Header-%d: value-%d\r\n" % (i, i) for i in range(10_000))
        r = exchange(b"GET /api/search?q=kv HTTP/1.1\r\nHost: x\r\n" + headers +
                     b"Connection: close\r\n\r\n", timeout=10)
        self.assertStatus(r, (431, 400), "GET with 10,000 headers")

    def test_one_huge_header_is_431(self):
        r = exchange(b"GET /api/search?q=kv HTTP/1.1\r\nHost: x\r\nX-Big: " +
                     b"b" * 100_000 + b"\r\nConnection: close\r\n\r\n", timeout=10)
        self.assertStatus(r, (431, 400), "GET with one 100 KB header")

    # A request too big for the connection's buffer is refused by
    # libmicrohttpd itself, before papersearch sees it: its own short HTML
    # body, and the connection closed.
    def assertRefusedByLibrary(self, r, what):
        self.assertLess(len(r.body), 1024, "%s: %s" % (what, r.describe()))
        self.assertEqual((r.header("connection") or "").lower(), "close",
                         "%s: connection kept open: %s" % (what, r.describe()))

    def test_414(self):
        r = get("/api/search?q=" + "a" * 100_000, timeout=10)
        self.assertStatus(r, (414,), "100 KB URI")
        self.assertRefusedByLibrary(r, "414 for a 100 KB URI")

    def test_431(self):
        headers = b"".join(b"X-Header-%d: value-%d\r\n" % (i, i) for i in range(10_000))
        r = exchange(b"GET /api/search?q=kv HTTP/1.1\r\nHost: x\r\n" + headers +
                     b"Connection: close\r\n\r\n", timeout=10)
        self.assertStatus(r, (431,), "10,000 headers")
        self.assertRefusedByLibrary(r, "431 for 10,000 headers")


class Test3Ranges(HostileCase):
    def full_asset(self):
        r = get("/assets/app.js")
        self.assertStatus(r, (200,), "/assets/app.js")
        return r.body

    def check_ranges(self, spec, what):
        full = self.full_asset()
        r = get("/assets/app.js", b"Range: bytes=" + spec + b"\r\n", timeout=10)
        self.assertStatus(r, (200, 416), what)
        ctype = r.header("content-type") or ""
        self.assertNotIn("multipart", ctype.lower(), "%s: multipart answer" % what)
        self.assertLessEqual(len(r.raw), len(full) + 4096,
                             "%s: %d bytes came back for a %d-byte file" %
                             (what, len(r.raw), len(full)))
        if r.status == 200:
            self.assertEqual(r.body, full, "%s: 200 without the whole file" % what)

    def test_thousands_of_ranges(self):
        spec = b",".join(b"%d-%d" % (2 * i, 2 * i + 1) for i in range(1500))
        self.check_ranges(spec, "Range: bytes=0-1,2-3,... (1,500 ranges, %d bytes)" % len(spec))

    def test_thousands_of_overlapping_ranges(self):
        spec = b",".join([b"0-"] * 3000)
        self.check_ranges(spec, "Range: bytes=0-,0-,... (3,000 whole-file ranges)")

    def test_overlapping_suffix_ranges(self):
        spec = b",".join(b"%d-%d" % (i % 7, 100000) for i in range(2000))
        self.check_ranges(spec, "Range: bytes=0-100000,1-100000,... (2,000 overlapping)")


BAD_CHUNKS = [
    (b"zz\r\nabc\r\n0\r\n\r\n", "size zz"),
    (b"ffffffffffffffff\r\nabc", "size ffffffffffffffff"),
    (b"ffffffffffffffffffffffff\r\nabc", "size past 64 bits"),
    (b"-1\r\nabc\r\n0\r\n\r\n", "negative size -1"),
    (b"-ffffffff\r\nabc\r\n0\r\n\r\n", "negative size -ffffffff"),
    (b"0x5\r\nabcde\r\n0\r\n\r\n", "size 0x5"),
    (b" 5\r\nabcde\r\n0\r\n\r\n", "size with a leading space"),
    (b"5\r\nabcdefghijk\r\n0\r\n\r\n", "more data than the size"),
]


class Test4Chunked(HostileCase):
    def test_bad_chunk_sizes(self):
        # No "Connection: close": the server must answer 400 (413), or close the
        # connection, within TIMEOUT. Other answers pass only when the server then
        # closes the connection, so that nothing after them is read as a request:
        # 405 for the POST, or a GET answered before its body and closed.
        failures = []
        for method in (b"GET /api/search?q=kv", b"POST /api/search"):
            for body, what in BAD_CHUNKS:
                request = (method + b" HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                           b"\r\n" + body)
                label = "%s with chunked body, %s" % (method.decode(), what)
                try:
                    with connect() as sock:
                        try:
                            sock.sendall(request)
                        except OSError:
                            pass
                        r = read_response(sock)
                        if r.status is None or r.status in (400, 413):
                            continue
                        closed, more = r.closed, b""
                        if not closed:
                            try:
                                more, closed = _recv_until(sock, b"", lambda b: False,
                                                           time.monotonic() + 1.0)
                            except socket.timeout:
                                closed = False
                        if more:
                            failures.append("%s: %s, then a second answer (the body was read "
                                            "as a request): %r" % (label, r.describe(), more[:200]))
                        elif not closed:
                            failures.append("%s: wanted 400 or the connection closed, got %s "
                                            "and the connection stayed open" % (label, r.describe()))
                except socket.timeout:
                    failures.append("%s: no answer and not closed within %.0f s (hang)"
                                    % (label, TIMEOUT))
                except ConnectionResetError:
                    pass
        self.assertNoFailures(failures)

    def framing_exchange(self, request):
        """(first answer, bytes after it within 1 s, closed) for a request whose
        framing is in doubt; None when the server closed without answering."""
        with connect() as sock:
            try:
                sock.sendall(request)
            except OSError:
                pass
            first = read_response(sock)
            if first.status is None:
                return None
            more, closed = b"", first.closed
            if not closed:
                try:
                    more, closed = _recv_until(sock, b"", lambda b: False,
                                               time.monotonic() + 1.0)
                except socket.timeout:
                    closed = False
            return first, more, closed

    def test_conflicting_framing_never_desyncs(self):
        # RFC 9112 6.3: with both Transfer-Encoding and Content-Length a server may
        # reject (400) or process the request, and must then close the connection;
        # an unknown transfer coding should get 501. Whatever the answer, the bytes
        # after the first request must never be answered as a second request.
        cases = [
            (b"GET /api/search?q=kv HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
             b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /assets/app.js HTTP/1.1\r\nHost: x\r\n\r\n",
             "Content-Length and Transfer-Encoding"),
            (b"GET /api/search?q=kv HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
             b"Content-Length: 4\r\n\r\n0\r\n\r\nGET /assets/app.js HTTP/1.1\r\nHost: x\r\n\r\n",
             "Transfer-Encoding and Content-Length"),
            (b"GET /api/search?q=kv HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
             b"Content-Length: 44\r\n\r\nGET /assets/app.js HTTP/1.1\r\nHost: x\r\n\r\n",
             "two Content-Lengths"),
            (b"GET /api/search?q=kv HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
             b"0\r\n\r\nGET /assets/app.js HTTP/1.1\r\nHost: x\r\n\r\n",
             "Transfer-Encoding: gzip, chunked"),
            (b"GET /api/search?q=kv HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n"
             b"0\r\n\r\nGET /assets/app.js HTTP/1.1\r\nHost: x\r\n\r\n",
             "Transfer-Encoding: xchunked"),
            (b"GET /api/search?q=kv HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n"
             b"0\r\n\r\nGET /assets/app.js HTTP/1.1\r\nHost: x\r\n\r\n",
             "Transfer-Encoding with a space before the colon"),
        ]
        failures = []
        for request, what in cases:
            try:
                got = self.framing_exchange(request)
            except socket.timeout:
                failures.append("%s: no answer and not closed within %.0f s" % (what, TIMEOUT))
                continue
            except ConnectionResetError:
                continue
            if got is None:
                continue
            first, more, closed = got
            if more:
                failures.append("%s: %s; then a second answer (the rest was read as a "
                                "request): %r" % (what, first.describe(), more[:200]))
        self.assertNoFailures(failures)

    def test_invalid_content_length_is_400(self):
        # RFC 9112 6.3: an invalid Content-Length (two different values, negative,
        # not a number a server can hold) is an unrecoverable error: 400, then close.
        cases = [
            (b"GET /api/search?q=kv HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
             b"Content-Length: 44\r\n\r\nGET /assets/app.js HTTP/1.1\r\nHost: x\r\n\r\n",
             "two Content-Lengths (0 and 44)"),
            (b"GET /api/search?q=kv HTTP/1.1\r\nHost: x\r\nContent-Length: 0, 44\r\n\r\n"
             b"GET /assets/app.js HTTP/1.1\r\nHost: x\r\n\r\n",
             "Content-Length: 0, 44"),
            (b"GET /api/search?q=kv HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
             "Content-Length: -1"),
            (b"GET /api/search?q=kv HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
             "Content-Length past 64 bits"),
            (b"GET /api/search?q=kv HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\nx",
             "Content-Length: 1x"),
        ]
        failures = []
        for request, what in cases:
            try:
                got = self.framing_exchange(request)
            except socket.timeout:
                failures.append("%s: no answer and not closed within %.0f s" % (what, TIMEOUT))
                continue
            except ConnectionResetError:
                continue
            if got is not None and got[0].status not in (400, 413):
                failures.append("%s: wanted 400 (or the connection closed), got %s" %
                                (what, got[0].describe()))
        self.assertNoFailures(failures)


class Test5Methods(HostileCase):
    def test_post_with_body_is_405(self):
        body = b'{"q": "kv cache"}'
        r = exchange(b"POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
        self.assertStatus(r, (405,), "POST /api/search with a body")
        allow = (r.header("allow") or "").replace(" ", "").upper().split(",")
        self.assertEqual(sorted(allow), ["GET", "HEAD"],
                         "405 without Allow: GET, HEAD: %s" % r.describe())

    def test_other_methods_are_405(self):
        failures = []
        for method in (b"POST", b"PUT", b"DELETE", b"PATCH", b"OPTIONS", b"TRACE", b"PROPFIND",
                       b"FOO"):
            for target in (b"/", b"/api/search?q=kv", b"/assets/app.js"):
                r = exchange(method + b" " + target + b" HTTP/1.1\r\nHost: x\r\n"
                             b"Content-Length: 5\r\nConnection: close\r\n\r\nhello")
                if r.status != 405:
                    failures.append("%s %s: wanted 405, got %s" % (
                        method.decode(), target.decode(), r.describe()))
                elif "GET" not in (r.header("allow") or ""):
                    failures.append("%s %s: 405 without Allow" % (method.decode(), target.decode()))
        self.assertNoFailures(failures)

    def test_large_post_body_is_not_buffered_forever(self):
        # A 405 must come back without the server waiting for 100 MB that never come.
        r = exchange(b"POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n"
                     b"Connection: close\r\n\r\n" + b"x" * 1000)
        self.assertStatus(r, (405, 413, 400), "POST announcing 100 MB, sending 1 KB")


class Test6Slowloris(HostileCase):
    HELD = 250

    def test_half_request_lines_do_not_block_others(self):
        held = []
        try:
            for i in range(self.HELD):
                try:
                    s = connect()
                    s.sendall(b"GET /api/search?q=slow")
                    held.append(s)
                except OSError as e:
                    self.fail("could not open held connection %d: %s" % (i, e))
            time.sleep(0.5)
            for attempt in range(3):
                start = time.monotonic()
                try:
                    r = get("/api/search?q=kv+cache", timeout=10)
                except (socket.timeout, OSError) as e:
                    self.fail("with %d half-open requests held, a fresh /api/search "
                              "got no answer within 10 s (%s)" % (len(held), e))
                took = time.monotonic() - start
                self.assertStatus(r, (200,), "/api/search with %d connections held" % len(held))
                self.assertLess(took, 2.0, "with %d half-open requests held, a fresh "
                                "/api/search took %.2f s" % (len(held), took))
                json.loads(r.body.decode("utf-8"))
            # The held connections were not answered as if complete: each either is
            # still waiting or was closed by the server (a timeout), never given a 200.
            answered = 0
            for s in held:
                s.setblocking(False)
                try:
                    data = s.recv(64)
                    if data.startswith(b"HTTP/1.1 200"):
                        answered += 1
                except (BlockingIOError, ConnectionResetError):
                    pass
            self.assertEqual(answered, 0, "half-sent requests were answered 200")
        finally:
            for s in held:
                s.close()

    def test_idle_connections_do_not_block_others(self):
        held = []
        try:
            for _ in range(self.HELD):
                held.append(connect())  # connected, nothing sent
            time.sleep(0.5)
            start = time.monotonic()
            r = get("/api/search?q=quantization", timeout=10)
            took = time.monotonic() - start
            self.assertStatus(r, (200,), "/api/search with %d idle connections held" % len(held))
            self.assertLess(took, 2.0, "with %d idle connections held, /api/search took %.2f s"
                            % (len(held), took))
        finally:
            for s in held:
                s.close()

    def test_dribbled_headers_do_not_block_others(self):
        # Each held connection keeps sending one header line at a time.
        held = []
        try:
            for _ in range(100):
                s = connect()
                s.sendall(b"GET /api/search?q=slow HTTP/1.1\r\nHost: x\r\n")
                held.append(s)
            for round_ in range(3):
                for s in held:
                    try:
                        s.sendall(b"X-Dribble-%d: 1\r\n" % round_)
                    except OSError:
                        pass
                start = time.monotonic()
                r = get("/api/search?q=pruning", timeout=10)
                took = time.monotonic() - start
                self.assertStatus(r, (200,), "/api/search while 100 connections dribble headers")
                self.assertLess(took, 2.0, "/api/search took %.2f s while 100 connections "
                                "dribble headers" % took)
        finally:
            for s in held:
                s.close()


BAD_PARAMS = [
    "/api/search?q=%ff%fe", "/api/search?q=kv%ff%fecache", "/api/search?q=%00",
    "/api/search?q=kv%00cache", "/api/search?q=%c0%ae%c0%ae", "/api/search?q=%ed%a0%80",
    "/api/search?q=%f4%90%80%80", "/api/search?q=%f8%88%80%80%80", "/api/search?q=%c3",
    "/api/search?q=%e2%82", "/api/search?q=%", "/api/search?q=%g1", "/api/search?q=%%",
    "/api/search?q=kv&venue=%ff%fe", "/api/search?q=kv&venue=%00",
    "/api/search?q=kv&institution=%ff", "/api/search?q=kv&keyword=%00%ff",
    "/api/search?q=kv&author=%fe%00", "/api/search?q=kv&year=%ff", "/api/search?q=kv&year=%00",
    "/api/search?q=kv&year=2024%00", "/api/search?q=kv&year=2023..%ff",
    "/api/search?q=kv&sort=%ff", "/api/search?q=kv&sort=%00relevance",
    "/api/search?q=kv&limit=%ff", "/api/search?q=kv&limit=10%00", "/api/search?q=kv&offset=%00",
    "/api/search?like=%ff%fe", "/api/search?like=2024/%00", "/api/search?like=%00",
    "/api/search?q=kv&has_note=%ff", "/api/search?q=kv&exact=%00",
    "/api/search?%ff=%fe", "/api/search?%00=1&q=kv", "/api/search?q=%ff%fe&q=%00",
    "/api/search?q=kv%ff%fe", "/api/search?q=title:%ff", "/api/search?q=%22%ff%22",
    "/api/search?q=\xff\xfe", "/api/search?q=kv\x01cache",
    "/api/paper/%ff%fe/x", "/api/paper/2024/%ff%fe", "/api/paper/2024/%00",
    "/api/paper/%00/%00", "/api/paper/2024/\xff",
    "/api/export?format=json&q=%ff%fe", "/api/export?format=json&q=%00",
    "/api/export?format=json&venue=%ff", "/api/export?format=%ff&q=kv",
    "/api/export?format=json%00&q=kv",
]


class Test7Encoding(HostileCase):
    def test_bad_bytes_in_parameters(self):
        failures = []
        for target in BAD_PARAMS:
            label = repr(target)
            try:
                r = get(target.encode("latin-1"))
            except socket.timeout:
                failures.append("%s: no answer within %.0f s" % (label, TIMEOUT))
                continue
            if r.status is None:
                failures.append("%s: connection closed without an answer" % label)
                continue
            if target.startswith("/api/paper/") and r.status == 404:
                expected = (404,)
            else:
                expected = (200, 400)
            if r.status not in expected:
                failures.append("%s: wanted %s, got %s" % (
                    label, " or ".join(map(str, expected)), r.describe()))
                continue
            try:
                text = r.body.decode("utf-8")
            except UnicodeDecodeError as e:
                failures.append("%s: %d body is not UTF-8 (%s): %r" % (
                    label, r.status, e, r.body[:200]))
                continue
            try:
                doc = json.loads(text)
            except ValueError as e:
                failures.append("%s: %d body is not JSON (%s): %r" % (
                    label, r.status, e, text[:200]))
                continue
            if r.status >= 400 and not (isinstance(doc, dict) and isinstance(doc.get("error"), str)):
                failures.append("%s: %d without {\"error\": ...}: %r" % (label, r.status, text[:200]))
        self.assertNoFailures(failures)

    def test_page_with_bad_bytes(self):
        for target in ("/?q=%ff%fe", "/?q=%00", "/?paper=%ff/%00", "/index.html?like=%ff"):
            r = get(target)
            self.assertStatus(r, (200, 400), target)


class Test8Garbage(HostileCase):
    def test_garbage_requests_answered_or_closed(self):
        cases = [
            b"\x00\x01\x02\x03\r\n\r\n",
            b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
            b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
            b"GET / HTTP/1.1\nHost: x\n\n",
            b"GET / HTTP/1.1\r\nHost: x\r\n Folded: yes\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\nBad Header Name: 1\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n",
            b"GET\t/\tHTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET  /  HTTP/1.1\r\nHost: x\r\n\r\n",
            b"G" * 5000 + b" / HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET / HTTP/1.1\r\n\r\n",
            b"GET /api/search?q=kv HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
            b"GET /api/search?q=kv HTTP/1.1\r\nHost: x\r\nX: \x00\xff\r\n\r\n",
            b"GET /api/search?q=kv#frag HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET /api/search?q=kv\x00 HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET /\x00/../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
            b"\r\n\r\n\r\n\r\n",
        ]
        # A request that never completes (only empty lines, or a line the server
        # waits to see the end of) may be held until the server's idle timeout:
        # allowed, as long as it ends within GARBAGE_WAIT.
        failures = []
        for request in cases:
            try:
                r = exchange(request, timeout=GARBAGE_WAIT)
            except socket.timeout:
                failures.append("%r: no answer and not closed within %.0f s" % (request[:60], GARBAGE_WAIT))
                continue
            self.assertNoLeak(r, repr(request[:60]))
            if r.status is not None and r.status >= 500 and r.status not in (501, 505):
                failures.append("%r: server error %s" % (request[:60], r.describe()))
        self.assertNoFailures(failures)

    def test_pipelined_flood(self):
        # 2,000 pipelined requests on one connection: answered or cut off, then alive.
        request = b"GET /api/search?q=kv HTTP/1.1\r\nHost: x\r\n\r\n" * 2000
        with connect(10) as sock:
            try:
                sock.sendall(request)
            except OSError:
                pass
            deadline = time.monotonic() + 30
            try:
                while time.monotonic() < deadline:
                    sock.settimeout(5)
                    if not sock.recv(1 << 20):
                        break
            except (socket.timeout, ConnectionResetError):
                pass

    def test_error_answers_have_the_contract_headers(self):
        failures = []
        for request, what in (
                (b"GET /no/such/route HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "404"),
                (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", "405"),
                (b"GET /api/search?sort=nonsense HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "400"),
                (b"GET /api/paper/2024/no-such-paper-anywhere HTTP/1.1\r\nHost: x\r\n"
                 b"Connection: close\r\n\r\n", "404 paper")):
            r = exchange(request)
            if r.header("x-content-type-options") != "nosniff":
                failures.append("%s: no X-Content-Type-Options: nosniff: %s" % (what, r.describe()))
            if "charset" not in (r.header("content-type") or ""):
                failures.append("%s: Content-Type without charset: %s" % (what, r.describe()))
            if r.status is not None and r.status >= 400:
                try:
                    self.assertJsonError(r, what)
                except AssertionError as e:
                    failures.append(str(e))
        self.assertNoFailures(failures)


class Test9End(HostileCase):
    def test_y_still_answers(self):
        r = get("/api/search?q=kv+cache")
        self.assertStatus(r, (200,), "/api/search after every attack")
        doc = json.loads(r.body.decode("utf-8"))
        self.assertIn("results", doc)
        self.assertIsNone(SERVER.process.poll(), "the server exited")

    def test_z_sigterm_exits_0(self):
        signal.alarm(0)
        SERVER.process.send_signal(signal.SIGTERM)
        try:
            code = SERVER.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            SERVER.process.kill()
            SERVER.process.wait()
            self.fail("the server did not exit within 15 s of SIGTERM:\n" + SERVER.output())
        self.assertEqual(code, 0, "exit status %d after SIGTERM:\n%s" % (code, SERVER.output()))

    def tearDown(self):  # the server is meant to be gone after the last test
        signal.alarm(0)


def main():
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papersearch", required=True)
    parser.add_argument("--paperindex", required=True)
    parser.add_argument("--source", required=True, help="the collection root (meta/, notes/)")
    ARGS, rest = parser.parse_known_args()
    ARGS.papersearch = os.path.abspath(ARGS.papersearch)
    ARGS.paperindex = os.path.abspath(ARGS.paperindex)
    ARGS.source = os.path.abspath(ARGS.source)
    unittest.main(argv=[sys.argv[0]] + rest)


if __name__ == "__main__":
    main()
