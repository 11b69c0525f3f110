#!/usr/bin/python3
"""Typing to seeing results on the search page, in a real browser.

Starts `papersearch --serve` on DB, opens the page in headless Chromium
(Selenium, Debian's chromium-driver) and types each query of the mix a
character at a time, as a person does. For every keystroke it measures, in
the page, the time from the input event to the results of that text being
on screen (the page marks what it shows in #results[data-search]): the
request, the search, the answer's parsing and the rendering. Prints the
median, 90th percentile and maximum over all keystrokes, and per query.

  /usr/bin/python3 benchmarks/page_latency.py --papersearch build/searcher/papersearch \
      --db /tmp/papersearch-bench/http-100k/db [--queries benchmarks/queries.txt] [--runs 3]

A benchmark, not a test: nothing here passes or fails (issue 24's goal is
under 50 ms at 100k papers).
"""

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

# Types one character into the box and resolves with the milliseconds until
# the results for the new text are shown. Runs in the page (execute_async).
TYPE_ONE = """
const [ch, done] = arguments;
const box = document.getElementById('q');
const results = document.getElementById('results');
const before = results.dataset.search || '';
const start = performance.now();
const observer = new MutationObserver(() => {
  const shown = results.dataset.search || '';
  if (shown !== before) {
    observer.disconnect();
    done(performance.now() - start);
  }
});
observer.observe(results, {attributes: true, attributeFilter: ['data-search']});
box.value = box.value + ch;
box.dispatchEvent(new Event('input', {bubbles: true}));
setTimeout(() => { observer.disconnect(); done(-1); }, 5000);
"""


def mix_queries(path):
    """The query words of each line of the mix (flags dropped)."""
    queries = []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        words = re.split(r"\s--", line)[0].strip()
        if words and not words.startswith("--"):
            queries.append(words)
    return queries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--papersearch", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--queries", default=os.path.join(os.path.dirname(__file__), "queries.txt"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=int, default=30, help="queries of the mix typed")
    args = parser.parse_args()

    log = tempfile.NamedTemporaryFile("w+", suffix=".log")
    server = subprocess.Popen([args.papersearch, "--db", args.db, "--serve", "127.0.0.1:0",
                               "--quiet"], stderr=log)
    port = None
    for _ in range(500):
        log.seek(0)
        match = re.search(r"serving http://127\.0\.0\.1:(\d+)/", log.read())
        if match:
            port = int(match.group(1))
            break
        time.sleep(0.02)
    if port is None:
        sys.exit("the server did not start")
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                 "--window-size=1280,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_script_timeout(10)
    queries = mix_queries(args.queries)[: args.limit]
    every = []
    try:
        for run in range(args.runs):
            for query in queries:
                driver.get(f"http://127.0.0.1:{port}/")
                times = []
                for ch in query:
                    ms = driver.execute_async_script(TYPE_ONE, ch)
                    if ms >= 0 and ch != " ":
                        times.append(ms)
                every += times
                if run == 0 and times:
                    print(f"{statistics.median(times):7.1f} ms median, {max(times):7.1f} max"
                          f"  {query!r}")
    finally:
        driver.quit()
        server.send_signal(signal.SIGTERM)
        server.wait()
    every.sort()
    print(f"\n{len(every)} keystrokes over {len(queries)} queries x {args.runs} runs, "
          f"db {args.db}:")
    print(f"  median {statistics.median(every):.1f} ms, "
          f"p90 {every[int(len(every) * 0.9)]:.1f} ms, max {every[-1]:.1f} ms")


if __name__ == "__main__":
    main()
