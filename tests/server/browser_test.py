#!/usr/bin/python3
"""Browser tests of the page `papersearch --serve` serves.

Runs headless Chromium through Selenium against a real server over a copy of
the bundled collection (SRCDIR's meta/ and notes/) with one hostile note
added, and checks what a user sees: search as you type (the same papers, in
the same order, as `papersearch --json`), facets, the paper view and its
note, the URL round trip with back/forward, the keyboard, export links, a
phone-width window, and that the hostile note runs nothing.

    browser_test.py --papersearch BIN --paperindex BIN --source SRCDIR [-v] [Test.test_name ...]

Exit status: 0 passed, 1 failed, 77 skipped (Chromium, chromedriver or
Selenium missing: ctest's skip code). Debian: apt-get install chromium
chromium-driver python3-selenium.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

SKIP = 77
CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser',
                       '/usr/bin/google-chrome']
PAGE_SIZE = 20      # results per page in app.js
SIMILAR_SIZE = 6    # similar papers in the paper view in app.js
WAIT = 15           # seconds for anything the page waits for

# The hostile note: raw HTML, event handlers and javascript: links, beside a
# heading and a table that must render.
HOSTILE_NOTE = """\
# Quokka heading of the hostile note

A paragraph with the marker word zyxquokka.

<script>window.pwned=1</script>

<img src=x onerror="window.pwned=2">

[click](javascript:window.pwned=3)

[shout](JaVaScRiPt:window.pwned=7)

<a href="javascript:window.pwned=4">raw link</a>

<svg onload="window.pwned=5"></svg>

<iframe src="javascript:window.pwned=6"></iframe>

<style>body { display: none }</style>

| Method | Speedup |
| --- | --- |
| Quokka | 2.5x |
"""
HOSTILE_PREFERRED = '2023/CodeGeeX'

# A record whose strings are HTML and whose links are javascript: URLs: the
# page must show them as text and link nothing.
HOSTILE_RECORD_ID = '2024/HostileQuokka'
HOSTILE_RECORD = r"""paper {
  title: "Quokka <img src=x onerror=\"window.pwned=8\"> in <script>window.pwned=9</script> a title"
  abbr: "<b>QK</b>"
  url: "javascript:window.pwned=10"
  institutions: "<i onmouseover=\"window.pwned=11\">Evil</i> University"
}
pub {
  where: "arXiv"
  year: 2024
}
code {
  url: "javascript:window.pwned=12"
}
"""

ARGS = None   # the parsed command line
ENV = None    # the Environment shared by every test


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--papersearch', required=True, help='the papersearch binary')
    parser.add_argument('--paperindex', required=True, help='the paperindex binary')
    parser.add_argument('--source', required=True,
                        help='the collection to copy (its meta/ and notes/)')
    parser.add_argument('--chromedriver', default='/usr/bin/chromedriver')
    parser.add_argument('--chromium', default=None, help='the browser binary')
    parser.add_argument('--keep', action='store_true',
                        help='keep the temporary collection and server log')
    args, rest = parser.parse_known_args()
    return args, rest


def skip(message):
    print('browser_test: SKIPPED: ' + message, file=sys.stderr)
    sys.exit(SKIP)


def find_browser():
    """Selenium's modules and the browser's binaries, or exit 77."""
    try:
        global webdriver, By, Keys, ActionChains, WebDriverWait, WebDriverException, ChromeService
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service as ChromeService
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        from selenium.webdriver.support.ui import WebDriverWait
    except ImportError as err:
        skip(f'Selenium is not installed ({err}); apt-get install python3-selenium')
    if not (os.path.isfile(ARGS.chromedriver) and os.access(ARGS.chromedriver, os.X_OK)):
        skip(f'no chromedriver at {ARGS.chromedriver}; apt-get install chromium-driver')
    if ARGS.chromium is None:
        ARGS.chromium = next((c for c in CHROMIUM_CANDIDATES if os.access(c, os.X_OK)), None)
    if ARGS.chromium is None or not os.access(ARGS.chromium, os.X_OK):
        skip('no Chromium (looked for ' + ', '.join(CHROMIUM_CANDIDATES) +
             '); apt-get install chromium')


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def http_get(url, timeout=10):
    """(status, headers, body) of a GET; errors are answers too."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


class Server:
    """`papersearch --db DB --serve 127.0.0.1:PORT --quiet`, stopped by SIGTERM."""

    def __init__(self, papersearch, db, log_path):
        self.port = free_port()
        self.base = f'http://127.0.0.1:{self.port}'
        self.log_path = log_path
        self.log = open(log_path, 'wb')
        self.process = subprocess.Popen(
            [papersearch, '--db', db, '--serve', f'127.0.0.1:{self.port}', '--quiet'],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                status, _, _ = http_get(self.base + '/', timeout=2)
                if status == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.1)
        return False

    def output(self):
        self.log.flush()
        with open(self.log_path, 'rb') as f:
            return f.read().decode('utf-8', 'replace')

    def stop(self):
        """Sends SIGTERM; the exit status (None if it had to be killed)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                self.log.close()
                return None
        self.log.close()
        return self.process.returncode


class Environment:
    """The collection, its database, the server and the browser."""

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix='papersearch-browser-')
        self.root = os.path.join(self.tmp, 'collection')
        self.db = os.path.join(self.tmp, 'db')
        self.server = None
        self.driver = None
        os.makedirs(self.root)
        for part in ('meta', 'notes'):
            source = os.path.join(ARGS.source, part)
            if os.path.isdir(source):
                shutil.copytree(source, os.path.join(self.root, part))
        self.hostile_id = self.add_hostile_note()
        year, name = HOSTILE_RECORD_ID.split('/')
        with open(os.path.join(self.root, 'meta', year, name + '.prototxt'), 'w',
                  encoding='utf-8') as f:
            f.write(HOSTILE_RECORD)
        index = subprocess.run(
            [ARGS.paperindex, '--root', self.root, '--db', self.db],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if index.returncode != 0:
            raise RuntimeError('paperindex failed:\n' + index.stdout)
        self.server = Server(ARGS.papersearch, self.db, os.path.join(self.tmp, 'server.log'))
        if not self.server.wait_ready():
            raise RuntimeError('papersearch --serve did not answer GET /:\n' + self.server.output())
        self.driver = self.start_browser()

    def add_hostile_note(self):
        """Gives one paper the hostile note; its id."""
        meta = os.path.join(self.root, 'meta')
        record = os.path.join(meta, HOSTILE_PREFERRED + '.prototxt')
        if not os.path.isfile(record):
            records = sorted(
                os.path.join(year, name) for year in os.listdir(meta)
                if year.isdigit() and os.path.isdir(os.path.join(meta, year))
                for name in os.listdir(os.path.join(meta, year)) if name.endswith('.prototxt'))
            if not records:
                raise RuntimeError('no paper records under ' + meta)
            record = os.path.join(meta, records[0])
        year = os.path.basename(os.path.dirname(record))
        name = os.path.basename(record)[:-len('.prototxt')]
        with open(record, encoding='utf-8') as f:
            text = f.read()
        if 'note {' not in text:
            with open(record, 'a', encoding='utf-8') as f:
                f.write('note {\n  url: "note.md"\n}\n')
        elif 'url: "note.md"' not in text.split('note {', 1)[1].split('}', 1)[0]:
            raise RuntimeError(record + ' names a note other than note.md')
        note_dir = os.path.join(self.root, 'notes', year, name)
        os.makedirs(note_dir, exist_ok=True)
        with open(os.path.join(note_dir, 'note.md'), 'w', encoding='utf-8') as f:
            f.write(HOSTILE_NOTE)
        return f'{year}/{name}'

    def start_browser(self):
        options = webdriver.ChromeOptions()
        options.binary_location = ARGS.chromium
        for flag in ('--headless=new', '--no-sandbox', '--disable-dev-shm-usage',
                     '--window-size=1280,900', '--disable-gpu', '--lang=en-US'):
            options.add_argument(flag)
        options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
        service = ChromeService(executable_path=ARGS.chromedriver)
        try:
            return webdriver.Chrome(service=service, options=options)
        except WebDriverException as err:
            raise RuntimeError(f'Chromium did not start through {ARGS.chromedriver}: {err}')

    def close(self):
        """Stops the browser and the server; the server's exit status."""
        status = 'not started'
        if self.driver is not None:
            try:
                self.driver.quit()
            except Exception:  # noqa: BLE001 - closing anyway
                pass
        if self.server is not None:
            status = self.server.stop()
        if ARGS.keep:
            print(f'browser_test: kept {self.tmp}', file=sys.stderr)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)
        return status

    def cli(self, words='', *flags, limit=PAGE_SIZE):
        """What `papersearch --json` prints for the same search. The page
        searches with --partial while the typed words do not end in a space."""
        command = [ARGS.papersearch, '--db', self.db, '--json', '--limit', str(limit), *flags]
        if words and not words[-1].isspace() and '--like' not in flags:
            command.append('--partial')
        if words:
            command += ['--', words]
        run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if run.returncode not in (0, 1):
            raise AssertionError(f'{command} failed ({run.returncode}): {run.stderr}')
        return json.loads(run.stdout)

    def cli_ids(self, words='', *flags, limit=PAGE_SIZE):
        return [r['id'] for r in self.cli(words, *flags, limit=limit)['results']]


def setUpModule():
    global ENV
    ENV = Environment.__new__(Environment)  # so that close() works if __init__ fails
    ENV.server = ENV.driver = None
    ENV.tmp = None
    try:
        ENV.__init__()
    except BaseException:
        if ENV.tmp:
            ENV.close()
        raise


def tearDownModule():
    if ENV is None or ENV.tmp is None:
        return
    status = ENV.close()
    if status != 0:
        raise AssertionError(f'papersearch --serve exited with {status} on SIGTERM, not 0')


class PageTest(unittest.TestCase):
    """Loads pages and waits for what they show."""

    def setUp(self):
        self.driver = ENV.driver
        self.driver.set_window_size(1280, 900)
        self.driver.get('about:blank')
        self.driver.get_log('browser')  # forget what earlier tests logged

    def tearDown(self):
        # No CSP violation and no uncaught error, whatever the test did.
        problems = [entry['message'] for entry in self.driver.get_log('browser')
                    if entry['level'] == 'SEVERE' and (
                        'Content Security Policy' in entry['message'] or
                        'Uncaught' in entry['message'] or
                        'app.js' in entry['message'])]
        self.assertEqual(problems, [], 'the browser console logged errors')

    # ---- helpers ----

    def url(self, path):
        return ENV.server.base + path

    def load(self, path):
        self.driver.get(self.url(path))
        self.wait_until(lambda: self.js('return document.readyState') == 'complete', 'the page loads')

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def wait_until(self, condition, what, timeout=WAIT):
        last = [None]

        def check(_):
            try:
                last[0] = condition()
            except Exception as err:  # noqa: BLE001 - the page is changing under us
                last[0] = err
                return False
            return last[0]

        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.05).until(check)
        except Exception:  # noqa: BLE001
            self.fail(f'timed out waiting for: {what} (last: {last[0]!r}); page at '
                      f'{self.driver.current_url}; error box: {self.error_text()!r}')

    def error_text(self):
        try:
            return self.js("const e = document.getElementById('error');"
                           "return e && !e.hidden ? e.textContent : ''")
        except Exception:  # noqa: BLE001
            return '?'

    def css(self, selector):
        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def all(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def ids(self):
        return self.js("return Array.from(document.querySelectorAll('#results .result'))"
                       ".map(e => e.dataset.id)")

    def wait_ids(self, expected, what):
        self.wait_until(lambda: self.ids() == expected, what + f': ids {expected}')

    def params(self):
        """The page URL's query parameters, as lists."""
        parts = urllib.parse.urlsplit(self.driver.current_url)
        return urllib.parse.parse_qs(parts.query, keep_blank_values=True)

    def paper_open(self):
        return self.js("return !document.getElementById('paper').hidden")

    def wait_paper(self, paper_id):
        self.wait_until(lambda: self.paper_open() and
                        self.css('#paper').get_attribute('data-loaded') == paper_id,
                        f'the paper view of {paper_id}')

    def keys(self, *keys):
        ActionChains(self.driver).send_keys(*keys).perform()

    def type_query(self, text):
        box = self.css('#q')
        box.clear()
        box.send_keys(text)


class SearchTest(PageTest):

    def test_typing_shows_what_the_cli_finds(self):
        query = 'kv cache eviction'
        answer = ENV.cli(query)
        expected = [r['id'] for r in answer['results']]
        self.assertTrue(expected, 'the CLI finds nothing for ' + query)
        self.load('/')
        self.type_query(query)
        self.wait_ids(expected, 'the results of typing ' + query)
        self.assertEqual(self.params().get('q'), [query])
        # The count line.
        total = self.css('#total').text
        count = f"{answer['total']:,}"
        self.assertIn(count, total)
        self.assertIn('paper', total)
        if not answer['total_is_exact']:
            self.assertIn('about', total)
        # Matched words are <mark>s, never raw ** **.
        self.assertTrue(self.all('#results .snippet mark'), 'no highlighted word in the snippets')
        self.assertNotIn('**', self.css('#results').text)
        # Partial matches follow a separator.
        partial = [r['id'] for r in answer['results'] if r['partial']]
        headings = self.all('#results .partial-heading')
        if partial:
            self.assertEqual(len(headings), 1)
            after = self.js("const h = document.querySelector('#results .partial-heading');"
                            "const n = h.nextElementSibling; return n && n.dataset.id")
            self.assertEqual(after, partial[0])
            self.assertIn('some of the words', headings[0].text.lower())
            for result_id in partial:
                item = self.css(f'#results .result[data-id="{result_id}"]')
                self.assertIn('partial', item.get_attribute('class'))
        else:
            self.assertEqual(headings, [])

    def test_older_answers_never_overwrite_newer(self):
        self.load('/')
        self.wait_until(lambda: self.css('#results').get_attribute('data-search') is not None,
                        'the first answer')
        # Answers for the first query come back late.
        self.js("""
            const original = window.fetch;
            window.fetch = (url, options) => String(url).includes('q=eviction&')
              ? new Promise((resolve, reject) => setTimeout(
                  () => original(url, options).then(resolve, reject), 1500))
              : original(url, options);""")
        self.type_query('eviction')
        time.sleep(0.5)  # its request has gone out
        self.type_query('snapkv')
        expected = ENV.cli_ids('snapkv')
        self.wait_ids(expected, 'the results of the newer query')
        time.sleep(1.5)  # the older answer has arrived by now
        self.assertEqual(self.ids(), expected)
        self.assertEqual(self.params().get('q'), ['snapkv'])

    def test_did_you_mean(self):
        for typo in ('speculatve decoding', 'quantizaton', 'evictoin', 'atention sparsity',
                     'pruningg'):
            answer = ENV.cli(typo)
            if answer['suggestion'] or answer['corrected_query']:
                break
        else:
            self.skipTest('papersearch suggests nothing for any of the typos tried')
        self.load('/?q=' + urllib.parse.quote(typo))
        self.wait_until(lambda: self.css('#suggestion').is_displayed(), 'the suggestion')
        links = self.all('#suggestion a')
        self.assertTrue(links, 'the suggestion has no link: ' + self.css('#suggestion').text)
        fix = links[0].text
        links[0].click()
        self.wait_until(lambda: self.params().get('q') == [fix], 'q from the suggestion')
        self.assertEqual(self.css('#q').get_attribute('value'), fix)
        self.wait_ids(ENV.cli_ids(fix), 'the results of the suggestion')

    def test_estimates_say_about(self):
        # Answers as a big collection gives them: totals and facet counts
        # estimated. The page says "about" for both.
        self.load('/')
        self.wait_until(lambda: self.css('#results').get_attribute('data-search') is not None,
                        'the first answer')
        self.js("""
            const original = window.fetch;
            window.fetch = async (url, options) => {
              const response = await original(url, options);
              if (!String(url).startsWith('/api/search')) return response;
              const answer = await response.json();
              answer.total = 1234;
              answer.total_is_exact = false;
              answer.facets_are_exact = false;
              return new Response(JSON.stringify(answer),
                  {status: response.status, headers: {'Content-Type': 'application/json'}});
            };""")
        self.type_query('kv cache')
        self.wait_until(lambda: 'about 1,234 papers' in self.css('#total').text, 'an estimated total')
        counts = [e.text for e in self.all('#facets .facet[data-field=venue] .count')]
        self.assertTrue(counts)
        for count in counts:
            self.assertTrue(count.startswith('about '), count)

    def test_paging(self):
        self.load('/')
        first = ENV.cli_ids('')
        self.wait_ids(first, 'the whole collection, newest first')
        self.assertTrue(self.css('#next').is_displayed())
        self.assertFalse(self.css('#prev').is_displayed())
        self.css('#next').click()
        self.wait_until(lambda: self.params().get('offset') == [str(PAGE_SIZE)], 'offset in the URL')
        self.wait_ids(ENV.cli_ids('', '--offset', str(PAGE_SIZE)), 'the second page')
        self.assertTrue(self.css('#prev').is_displayed())
        self.driver.back()
        self.wait_ids(first, 'the first page again')
        self.assertNotIn('offset', self.params())

    def test_error_answers_are_messages(self):
        self.load('/?q=kv&sort=bogus')
        status, _, body = http_get(self.url('/api/search?q=kv&sort=bogus'))
        self.assertEqual(status, 400)
        message = json.loads(body)['error']
        self.wait_until(lambda: self.error_text() == message, 'the error message')
        self.assertEqual(self.ids(), [])
        # The page still works.
        select = self.css('#sort')
        self.js("arguments[0].value = 'year'; arguments[0].dispatchEvent(new Event('change'))", select)
        self.wait_ids(ENV.cli_ids('kv', '--sort', 'year'), 'results after the error')
        self.assertEqual(self.error_text(), '')

    def test_no_database_yet(self):
        missing = os.path.join(ENV.tmp, 'no-db-here')
        server = Server(ARGS.papersearch, missing, os.path.join(ENV.tmp, 'nodb.log'))
        try:
            if not server.wait_ready(timeout=15):
                self.fail('papersearch --serve without a database did not serve the page:\n' +
                          server.output())
            self.driver.get(server.base + '/?q=kv')
            self.wait_until(lambda: 'no database' in self.error_text().lower(),
                            '"no database yet"')
        finally:
            self.assertEqual(server.stop(), 0)


class FacetTest(PageTest):

    def facet_box(self, field, value):
        for box in self.all(f'#facets .facet[data-field="{field}"] input[type=checkbox]'):
            if box.get_attribute('data-value') == value:
                return box
        return None

    def test_ticking_a_facet_filters_and_goes_in_the_url(self):
        query = 'kv cache'
        answer = ENV.cli(query)
        venues = [f['value'] for f in answer['facets']['venue']]
        self.assertTrue(venues, 'no venue facet for ' + query)
        venue = next((v for v in venues if v != 'arXiv'), venues[0])
        self.load('/?q=' + urllib.parse.quote(query))
        self.wait_ids([r['id'] for r in answer['results']], 'the results of ' + query)
        # Counts beside the values, as the API gives them.
        first = answer['facets']['venue'][0]
        label = self.facet_box('venue', first['value']).find_element(By.XPATH, '..').text
        self.assertIn(f"{first['count']:,}", label)
        box = self.facet_box('venue', venue)
        self.assertIsNotNone(box, f'no checkbox for venue {venue}')
        box.click()
        self.wait_until(lambda: self.params().get('venue') == [venue], 'venue in the URL')
        filtered = ENV.cli(query, '--venue', venue)
        self.wait_ids([r['id'] for r in filtered['results']], 'the filtered results')
        for r in filtered['results']:
            self.assertEqual(r['venue'], venue)
        self.assertTrue(self.facet_box('venue', venue).is_selected())
        # A second filter: AND across fields.
        years = [f['value'] for f in filtered['facets']['year']]
        if years:
            self.facet_box('year', years[0]).click()
            self.wait_until(lambda: self.params().get('year') == [years[0]], 'year in the URL')
            both = ENV.cli_ids(query, '--venue', venue, '--year', years[0])
            self.wait_ids(both, 'results filtered by venue and year')
            self.driver.back()
            self.wait_until(lambda: 'year' not in self.params(), 'back: no year')
        # Back: the filter goes, with its tick.
        self.driver.back()
        self.wait_until(lambda: 'venue' not in self.params(), 'back: no venue')
        self.wait_ids([r['id'] for r in answer['results']], 'the unfiltered results again')
        self.assertFalse(self.facet_box('venue', venue).is_selected())

    def test_ticked_values_stay_visible(self):
        # A venue that the answer does not count stays listed, ticked.
        self.load('/?q=kv%20cache&venue=NoSuchVenue')
        self.wait_until(lambda: self.facet_box('venue', 'NoSuchVenue') is not None,
                        'the ticked value listed')
        box = self.facet_box('venue', 'NoSuchVenue')
        self.assertTrue(box.is_selected())
        self.assertTrue(box.is_displayed())
        box.click()
        self.wait_until(lambda: 'venue' not in self.params(), 'unticked: no venue in the URL')


class PaperViewTest(PageTest):

    def test_note_renders(self):
        paper_id = ENV.hostile_id
        status, _, body = http_get(self.url('/api/paper/' + paper_id))
        self.assertEqual(status, 200)
        paper = json.loads(body)
        self.load('/?paper=' + paper_id)
        self.wait_paper(paper_id)
        self.assertIn(paper['title'], self.css('#paper-title').text)
        note = self.css('#paper .note')
        heading = note.find_elements(By.CSS_SELECTOR, 'h1, h2')
        self.assertTrue(heading and 'Quokka heading' in heading[0].text, 'the note has no heading')
        cells = [c.text for c in note.find_elements(By.CSS_SELECTOR, 'table th, table td')]
        self.assertEqual(cells, ['Method', 'Speedup', 'Quokka', '2.5x'])
        # Links of the record and the share link.
        hrefs = [a.get_attribute('href') for a in self.all('#paper-links a')]
        if paper.get('url'):
            self.assertIn(paper['url'], hrefs)
        if paper.get('code_url'):
            self.assertIn(paper['code_url'], hrefs)
        share = urllib.parse.urlsplit(self.css('#paper-share').get_attribute('href'))
        self.assertEqual(share.path, '/')
        self.assertEqual(urllib.parse.parse_qs(share.query), {'paper': [paper_id]})
        self.assertIn('?paper=' + paper_id, self.css('#paper-share').get_attribute('href'))
        # Similar papers, as /api/search?like=ID lists them.
        similar = [i for i in ENV.cli_ids('', '--like', paper_id, limit=SIMILAR_SIZE + 1)
                   if i != paper_id][:SIMILAR_SIZE]
        self.wait_until(lambda: [e.get_attribute('data-id') for e in self.all('#similar .similar')]
                        == similar, f'similar papers {similar}')
        if similar:
            self.all('#similar .similar a')[0].click()
            self.wait_paper(similar[0])
            self.assertEqual(self.params().get('paper'), [similar[0]])
            self.driver.back()
            self.wait_paper(paper_id)

    def test_hostile_note_runs_nothing(self):
        paper_id = ENV.hostile_id
        status, _, body = http_get(self.url('/api/paper/' + paper_id))
        html = json.loads(body)['note_html'] or ''
        for bad in ('<script', 'onerror', 'onload', 'javascript:', '<iframe', '<style'):
            self.assertNotIn(bad, html.lower(), 'note_html from the server')
        self.load('/?paper=' + paper_id)
        self.wait_paper(paper_id)
        time.sleep(0.3)
        self.assertIsNone(self.js('return window.pwned'))
        found = self.js("""
            const note = document.querySelector('#paper .note');
            const bad = [];
            for (const e of note.querySelectorAll('*')) {
              if (/^(script|iframe|object|embed|style|svg)$/i.test(e.tagName)) bad.push(e.tagName);
              for (const a of e.attributes) {
                if (/^on/i.test(a.name) || a.name === 'style') bad.push(e.tagName + '@' + a.name);
                if (/^\\s*javascript:/i.test(a.value)) bad.push(e.tagName + '@' + a.name + '=' + a.value);
              }
            }
            return bad;""")
        self.assertEqual(found, [])
        self.assertFalse(self.all('#paper .note img[onerror]'))
        self.assertFalse(self.all('#paper .note script'))
        windows = len(self.driver.window_handles)
        for text in ('click', 'shout'):
            links = self.driver.find_elements(By.XPATH, f"//*[@id='paper']//*[contains(@class,'note')]"
                                                        f"//a[normalize-space()='{text}']")
            for link in links:
                link.click()
        time.sleep(0.5)
        self.assertIsNone(self.js('return window.pwned'))
        self.assertEqual(len(self.driver.window_handles), windows)
        self.assertEqual(self.params().get('paper'), [paper_id])
        self.assertTrue(self.css('body').is_displayed())


    def test_hostile_record_is_text(self):
        answer = ENV.cli('quokka')
        ids = [r['id'] for r in answer['results']]
        self.assertIn(HOSTILE_RECORD_ID, ids)
        title = next(r['title'] for r in answer['results'] if r['id'] == HOSTILE_RECORD_ID)
        self.load('/?q=quokka')
        self.wait_ids(ids, 'the results of quokka')
        item = self.css(f'#results .result[data-id="{HOSTILE_RECORD_ID}"]')
        self.assertIn(title, item.find_element(By.CSS_SELECTOR, 'a.title').text)
        self.assertIn('Evil</i> University', item.text)
        # Only what the page builds: no element or link from the record's strings.
        built = self.js("""
            const item = arguments[0];
            return Array.from(item.querySelectorAll('*')).map(e => e.tagName.toLowerCase())
              .filter(t => !['div', 'a', 'span', 'p', 'mark'].includes(t))
              .concat(Array.from(item.querySelectorAll('a')).map(a => a.getAttribute('href'))
                .filter(h => !h || /^\\s*javascript:/i.test(h)));""", item)
        self.assertEqual(built, [])
        item.find_element(By.CSS_SELECTOR, 'a.title').click()
        self.wait_paper(HOSTILE_RECORD_ID)
        self.assertIn(title, self.css('#paper-title').text)
        self.assertEqual(self.all('#paper-links a'), [])
        self.assertFalse(self.all('#paper img, #paper script, #paper b, #paper i'))
        time.sleep(0.3)
        self.assertIsNone(self.js('return window.pwned'))


class UrlTest(PageTest):

    def test_a_link_reproduces_the_view(self):
        self.load('/?q=snapkv')
        expected = ENV.cli_ids('snapkv')
        self.assertEqual(expected[:1], ['2024/SnapKV'])
        self.wait_ids(expected, 'the results of /?q=snapkv')
        self.assertEqual(self.css('#q').get_attribute('value'), 'snapkv')
        self.assertFalse(self.paper_open())
        # Open the first paper, then back and forward.
        self.css('#results .result a.title').click()
        self.wait_paper('2024/SnapKV')
        self.assertEqual(self.params(), {'q': ['snapkv'], 'paper': ['2024/SnapKV']})
        self.driver.back()
        self.wait_until(lambda: not self.paper_open(), 'back: the paper view closes')
        self.assertEqual(self.params(), {'q': ['snapkv']})
        self.assertEqual(self.ids(), expected)
        self.driver.forward()
        self.wait_paper('2024/SnapKV')
        # A shared paper link opens the view directly.
        self.load('/?paper=2024/SnapKV')
        self.wait_paper('2024/SnapKV')
        self.assertIn('SnapKV', self.css('#paper-title').text)

    def test_address_is_normalised(self):
        # /index.html and + for spaces: the same view, one spelling of its URL.
        self.load('/index.html?q=kv+cache&year=2024')
        self.wait_ids(ENV.cli_ids('kv cache', '--year', '2024'), 'the results of kv cache in 2024')
        self.assertEqual(urllib.parse.urlsplit(self.driver.current_url).path, '/')
        self.assertEqual(self.params(), {'q': ['kv cache'], 'year': ['2024']})
        self.assertIn('q=kv%20cache', self.driver.current_url)
        self.assertEqual(self.css('#q').get_attribute('value'), 'kv cache')
        ticked = self.js("""return Array.from(document.querySelectorAll(
            '#facets .facet[data-field=year] input:checked')).map(e => e.dataset.value)""")
        self.assertEqual(ticked, ['2024'])

    def test_typing_replaces_then_back_returns(self):
        self.load('/?q=snapkv')
        self.wait_ids(ENV.cli_ids('snapkv'), 'the results of /?q=snapkv')
        length = self.js('return history.length')
        box = self.css('#q')
        box.send_keys(Keys.END, ' eviction')
        self.wait_until(lambda: self.params().get('q') == ['snapkv eviction'], 'the typed query')
        # One new entry for the whole typing, not one per key.
        self.assertLessEqual(self.js('return history.length'), length + 1)
        self.wait_ids(ENV.cli_ids('snapkv eviction'), 'the results of the typed query')
        self.driver.back()
        self.wait_until(lambda: self.params().get('q') == ['snapkv'], 'back: the first query')
        self.wait_until(lambda: self.css('#q').get_attribute('value') == 'snapkv', 'the box follows')
        self.wait_ids(ENV.cli_ids('snapkv'), 'back: its results')


class KeyboardTest(PageTest):

    def test_keys(self):
        query = 'kv cache eviction'
        expected = ENV.cli_ids(query)
        self.assertGreaterEqual(len(expected), 2)
        self.load('/?q=' + urllib.parse.quote(query))
        self.wait_ids(expected, 'results')
        self.js('document.activeElement.blur()')
        self.keys('/')
        self.assertEqual(self.js('return document.activeElement.id'), 'q')
        self.assertEqual(self.css('#q').get_attribute('value'), query, '"/" typed into the box')
        self.keys(Keys.ARROW_DOWN)
        selected = lambda: [e.get_attribute('data-id') for e in self.all('#results .result.selected')]
        self.assertEqual(selected(), expected[:1])
        self.keys(Keys.ARROW_DOWN)
        self.assertEqual(selected(), expected[1:2])
        self.keys(Keys.ARROW_UP)
        self.assertEqual(selected(), expected[:1])
        self.keys(Keys.ENTER)
        self.wait_paper(expected[0])
        self.assertEqual(self.params().get('paper'), [expected[0]])
        self.keys(Keys.ESCAPE)
        self.wait_until(lambda: not self.paper_open(), 'Escape closes the paper view')
        self.assertNotIn('paper', self.params())
        self.assertEqual(self.css('#q').get_attribute('value'), query)


class ExportTest(PageTest):

    def test_export_links_carry_the_search(self):
        query = 'kv cache'
        answer = ENV.cli(query)
        venue = answer['facets']['venue'][0]['value']
        path = '/?q=' + urllib.parse.quote(query) + '&venue=' + urllib.parse.quote(venue) + '&sort=year'
        self.load(path)
        self.wait_ids(ENV.cli_ids(query, '--venue', venue, '--sort', 'year'), 'results')
        refused = []
        for fmt in ('bibtex', 'markdown', 'json'):
            href = self.css('#export-' + fmt).get_attribute('href')
            parts = urllib.parse.urlsplit(href)
            self.assertEqual(parts.path, '/api/export')
            self.assertEqual(urllib.parse.parse_qs(parts.query),
                             {'format': [fmt], 'q': [query], 'venue': [venue], 'sort': ['year']})
            # The link downloads a file.
            status, headers, body = http_get(href)
            if status != 200:
                refused.append(f'{href}: {status} {body[:200]!r}')
            elif 'attachment' not in headers.get('Content-Disposition', ''):
                refused.append(f'{href}: no Content-Disposition: attachment')
        self.assertEqual(refused, [], 'export links the server does not answer with a file')
        # They follow the page: a new query changes them.
        self.type_query('snapkv')
        self.wait_until(lambda: 'q=snapkv' in self.css('#export-json').get_attribute('href'),
                        'the export link follows the query')


class LayoutTest(PageTest):

    def test_phone_width(self):
        self.driver.set_window_size(375, 812)
        self.load('/?q=kv%20cache')
        expected = ENV.cli_ids('kv cache')
        self.wait_ids(expected, 'results on a phone')
        width = self.js('return window.innerWidth')
        self.assertLessEqual(width, 400)
        first = self.css('#results .result')
        self.assertTrue(first.is_displayed())
        rect = self.js('return arguments[0].getBoundingClientRect().toJSON()', first)
        self.assertGreaterEqual(rect['left'], -1)
        self.assertLessEqual(rect['right'], width + 1)
        self.assertLessEqual(self.js('return document.documentElement.scrollWidth'), width + 1,
                             'the page scrolls sideways on a phone')
        # The filters come under the results.
        facets_top = self.js("return document.getElementById('facets').getBoundingClientRect().top")
        results_bottom = self.js("return document.getElementById('results').getBoundingClientRect().bottom")
        self.assertGreaterEqual(facets_top, results_bottom)
        # The paper view fills the screen.
        first.find_element(By.CSS_SELECTOR, 'a.title').click()
        self.wait_paper(expected[0])
        paper = self.js("return document.getElementById('paper').getBoundingClientRect().toJSON()")
        self.assertLessEqual(abs(paper['width'] - width), 20)

    def test_dark_mode(self):
        def background():
            return self.js('return getComputedStyle(document.body).backgroundColor')
        self.driver.execute_cdp_cmd('Emulation.setEmulatedMedia', {
            'features': [{'name': 'prefers-color-scheme', 'value': 'light'}]})
        self.load('/')
        light = background()
        self.driver.execute_cdp_cmd('Emulation.setEmulatedMedia', {
            'features': [{'name': 'prefers-color-scheme', 'value': 'dark'}]})
        try:
            dark = background()
            self.assertNotEqual(light, dark)
            rgb = [int(x) for x in dark[dark.index('(') + 1:dark.index(')')].split(',')[:3]]
            self.assertLess(sum(rgb), 3 * 80, 'the dark background is not dark: ' + dark)
        finally:
            self.driver.execute_cdp_cmd('Emulation.setEmulatedMedia', {'features': []})


def main():
    global ARGS
    ARGS, rest = parse_args()
    for name in ('papersearch', 'paperindex'):
        path = getattr(ARGS, name)
        if not os.access(path, os.X_OK):
            print(f'browser_test: --{name} {path} is not an executable', file=sys.stderr)
            return 1
    if not os.path.isdir(os.path.join(ARGS.source, 'meta')):
        print(f'browser_test: --source {ARGS.source} has no meta/', file=sys.stderr)
        return 1
    find_browser()
    program = unittest.main(argv=[sys.argv[0]] + rest, exit=False)
    return 0 if program.result.wasSuccessful() else 1


if __name__ == '__main__':
    sys.exit(main())
