#!/usr/bin/env python3
"""Browser tests of RunLedger's web UI: headless Chromium, driven by Selenium, against `serve --demo`.

Run it with the project's virtual environment (tools/setup installs Chromium, chromedriver and
selenium there), from anywhere:

    tools/ui/run                                   # finds the binary, then runs this script
    .venv/bin/python tools/ui/ui_tests.py --binary .build/debug/runledger [--keep] [--out DIR]

It starts `runledger serve --demo` on a free loopback port with a fresh temporary data directory
(from the repository root, so that `projections/` resolves), waits for `GET /health` = 200, drives
the pages in headless Chromium, prints one PASS/FAIL line per check with what was expected and what
came, saves screenshots to test-output/ui/, stops the server with SIGTERM and exits 1 when any
check failed. See tools/ui/README.md for the list of checks.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
import xml.etree.ElementTree as ET

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
START_TIMEOUT = 120  # seconds: a debug build generates the small demo workload in a few seconds
STOP_TIMEOUT = 20
WAIT = 15  # seconds an element or navigation may take to appear
PHONE_WIDTH = 390
PHONE_HEIGHT = 844
DESKTOP = (1280, 1000)
GRID_READY_BUDGET_MS = 1000.0  # the target; reported, see GRID_READY_FAIL_MS
GRID_READY_FAIL_MS = 5000.0  # only a grid this slow fails the suite (a timed test must not flake on a loaded machine)
FEED_STALL_LIMIT = 10  # seconds a runs page may take before it counts as stalled
SHIFTER = "shifter@demo"
EXPERT = "expert@demo"
VIEWER = "viewer@demo"
PROJECTION = "golden-collisions"
SVG_NS = "{http://www.w3.org/2000/svg}"

# The elements that stick out of the viewport on the right and are not inside a scrolling or clipping box.
OVERFLOW_JS = """
const out = [];
for (const e of document.querySelectorAll('body *')) {
  const r = e.getBoundingClientRect();
  if (r.right <= window.innerWidth + 1) continue;
  let p = e.parentElement, clipped = false;
  while (p && p !== document.body) { if (getComputedStyle(p).overflowX !== 'visible') { clipped = true; break; } p = p.parentElement; }
  if (clipped) continue;
  const cls = typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\\s+/).join('.') : '';
  out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + cls + ' (right edge ' + Math.round(r.right) + ' px)');
}
return out.slice(0, 5);
"""


# ---------------------------------------------------------------------------------------------
# Results


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = []

    def check(self, name, ok, expected, got):
        """Records one check and prints a PASS/FAIL line with what was expected and what came."""
        if ok:
            self.passed += 1
            print(f"PASS  {name}: {got}", flush=True)
        else:
            self.failed.append(name)
            print(f"FAIL  {name}: expected {expected}; got {got}", flush=True)
        return ok

    def error(self, name, exc):
        """A check group that raised: one FAIL line with the exception, the traceback on stderr."""
        self.failed.append(name)
        print(f"FAIL  {name}: raised {type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}", flush=True)
        traceback.print_exc(file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# Server


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`runledger serve --demo` on a free loopback port in a temporary data directory."""

    def __init__(self, binary, keep):
        self.binary = binary
        self.keep = keep
        self.tmp = tempfile.mkdtemp(prefix="runledger-ui-")
        self.data = os.path.join(self.tmp, "data")
        self.log_path = os.path.join(self.tmp, "server.log")
        self.process = None
        self.port = None

    def start(self):
        self.port = free_port()
        command = [
            self.binary, "serve", "--demo", "--data", self.data, "--host", "127.0.0.1", "--port", str(self.port),
            "--projections", "projections",
        ]
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            command, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True
        )
        base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with status {self.process.returncode} before answering; {self.tail()}")
            try:
                status, _, _ = request(base, "GET", "/health", timeout=2)
                # The port was free a moment ago; make sure the answer comes from our process.
                if status == 200 and f"127.0.0.1:{self.port}" in self.read_log():
                    return base
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"GET /health did not answer 200 within {START_TIMEOUT} s; {self.tail()}")
            time.sleep(0.25)

    def read_log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def tail(self):
        return "server log: " + self.read_log()[-1500:].strip().replace("\n", " | ")

    def stop(self):
        """SIGTERM, then wait; SIGKILL only if it does not stop in time. Returns the exit status."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None

    def cleanup(self):
        self.log.close()
        if self.keep:
            print(f"ui: kept the data directory and server log in {self.tmp}", flush=True)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# HTTP outside the browser (status codes, downloads, the native API, forged posts)


def request(base, method, path, body=None, headers=None, cookies=None, timeout=30):
    """One HTTP request without following redirects: (status, headers dict (lower-case), body bytes)."""
    parsed = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=timeout)
    headers = dict(headers or {})
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if isinstance(body, dict):
        body = urllib.parse.urlencode(body).encode()
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        connection.close()


def api_json(base, path):
    status, _, data = request(base, "GET", path)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}: {data[:300]!r}")
    return json.loads(data)


def query_string(params):
    return urllib.parse.urlencode([(k, v) for k, v in params.items() if v not in (None, "")])


def query_of(url):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


# ---------------------------------------------------------------------------------------------
# Browser


# Selenium is given the browser and the driver; its manager must never look for or download either.
os.environ.setdefault("SE_OFFLINE", "true")
os.environ.setdefault("SE_AVOID_STATS", "true")


def start_browser(download_dir, back_forward_cache=False):
    """Headless Chromium. The main run turns the back/forward cache off so that pages left behind do not
    keep connections open (see Suite.feed_connections, which checks that with the cache on)."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    arguments = [
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        f"--window-size={DESKTOP[0]},{DESKTOP[1]}", "--lang=en-US", "--no-first-run",
    ]
    if not back_forward_cache:
        arguments.append("--disable-features=BackForwardCache")
    for argument in arguments:
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": download_dir,
            "download.prompt_for_download": False,
            "safebrowsing.enabled": False,
        },
    )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    return driver


class UI:
    """The browser with helpers for this UI's pages."""

    def __init__(self, driver, base, out):
        self.driver = driver
        self.base = base
        self.out = out
        self.screenshots = []
        self.phone_on = False

    def get(self, path):
        self.driver.get(self.base + path)
        return self.driver

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def exists(self, css):
        return len(self.find_all(css)) > 0

    def wait_for(self, css, timeout=WAIT):
        return WebDriverWait(self.driver, timeout).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))

    def submit_and_wait(self, button_css):
        """Clicks a submit button and waits until a new page replaced the current one."""
        html = self.find("html")
        self.find(button_css).click()
        WebDriverWait(self.driver, WAIT).until(EC.staleness_of(html))
        WebDriverWait(self.driver, WAIT).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def click_and_wait(self, css):
        self.submit_and_wait(css)

    def path(self):
        parts = urllib.parse.urlsplit(self.driver.current_url)
        return parts.path + ("?" + parts.query if parts.query else "")

    def screenshot(self, name):
        os.makedirs(self.out, exist_ok=True)
        path = os.path.join(self.out, name + ".png")
        # A full-page picture: grow the window (or the emulated phone screen) to the page's height, capped.
        height = int(self.driver.execute_script("return Math.ceil(document.documentElement.scrollHeight)"))
        if self.phone_on:
            try:
                self.phone(True, height=max(PHONE_HEIGHT, min(height, 6000)))
                self.driver.save_screenshot(path)
            finally:
                self.phone(True)
        else:
            size = self.driver.get_window_size()
            try:
                self.driver.set_window_size(size["width"], max(size["height"], min(height + 120, 4000)))
                self.driver.save_screenshot(path)
            finally:
                self.driver.set_window_size(size["width"], size["height"])
        self.screenshots.append(path)
        return path

    def sign_in(self, email):
        self.get("/ui/signin?return=" + urllib.parse.quote("/ui/runs"))
        self.find(f"input[type=radio][name=email][value='{email}']").click()
        self.submit_and_wait("#signin-submit")
        return self.find("#identity").text.strip()

    def cookies(self):
        return {c["name"]: c["value"] for c in self.driver.get_cookies()}

    def phone(self, on, height=PHONE_HEIGHT):
        """Emulates a 390 px wide viewport (desktop-style, so an overflowing page is not zoomed out to fit)."""
        self.phone_on = on
        if on:
            self.driver.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride",
                {"width": PHONE_WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": False},
            )
        else:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def dom_content_loaded_ms(self):
        return self.driver.execute_script(
            "const n = performance.getEntriesByType('navigation')[0]; return n ? n.domContentLoadedEventEnd : null;"
        )


# ---------------------------------------------------------------------------------------------
# Checks


class Suite:
    def __init__(self, ui, server, results, binary):
        self.ui = ui
        self.server = server
        self.base = ui.base
        self.r = results
        self.binary = binary
        self.api_runs = api_json(self.base, "/v1/runs?limit=500")["runs"]
        self.edit = {}  # what the shifter's edit changed, for the as_of and log checks

    def run(self, name, function):
        started = time.monotonic()
        try:
            function()
        except Exception as exc:  # a broken page must not stop the other checks
            self.r.error(name, exc)
        print(f"ui: -- {name}: {time.monotonic() - started:.1f} s", flush=True)

    # -- Redirect and 404 pages -----------------------------------------------------------------

    def redirect_and_errors(self):
        status, headers, _ = request(self.base, "GET", "/")
        self.r.check(
            "GET / redirects to the UI", status in (301, 302, 303, 307, 308) and headers.get("location") == "/ui/runs",
            "a redirect to /ui/runs", f"{status} Location={headers.get('location')}",
        )
        self.ui.get("/")
        self.r.check("the browser at / lands on the runs page", self.ui.path() == "/ui/runs" and self.ui.exists("#runs-table"),
                     "/ui/runs with #runs-table", self.ui.path())

        status, headers, body = request(self.base, "GET", "/ui/runs/1")
        self.r.check("a run that does not exist answers 404 (HTTP)", status == 404 and "text/html" in headers.get("content-type", ""),
                     "404 text/html", f"{status} {headers.get('content-type')}")
        self.ui.get("/ui/runs/1")
        message = self.ui.find("#error-message").text if self.ui.exists("#error-message") else None
        self.r.check("a run that does not exist shows the error page", bool(message) and "1" in message,
                     "#error-message naming run 1", repr(message))
        self.ui.screenshot("error-404")

        latest = api_json(self.base, "/v1/version")["sequence"]
        beyond = latest + 1000
        run = self.api_runs[0]["run_number"]
        for path in (f"/ui/runs?as_of={beyond}", f"/ui/runs/{run}?as_of={beyond}", f"/ui/runs/{run}/grid?dataset=online&as_of={beyond}"):
            status, _, _ = request(self.base, "GET", path)
            self.ui.get(path)
            message = self.ui.find("#error-message").text if self.ui.exists("#error-message") else None
            self.r.check(f"as_of beyond the latest is a 404 page: {path}", status == 404 and bool(message),
                         "404 with #error-message", f"{status}, message {message!r}")

    # -- Runs table -------------------------------------------------------------------------------

    def table_runs(self):
        return self.ui.driver.execute_script(
            "return Array.from(document.querySelectorAll('#runs-table tr[data-run]')).map(tr => Number(tr.getAttribute('data-run')));")

    def table_count(self):
        return int(self.ui.find("#runs-count").get_attribute("data-count"))

    def compare_with_api(self, label, params, limit, offset):
        api = api_json(self.base, "/v1/runs?" + query_string({**params, "limit": limit, "offset": offset}))
        expected_runs = [r["run_number"] for r in api["runs"]]
        got_runs, got_count = self.table_runs(), self.table_count()
        self.r.check(f"runs table {label}: rows and count match GET /v1/runs",
                     got_runs == expected_runs and got_count == api["count"],
                     f"count {api['count']} rows {expected_runs}", f"count {got_count} rows {got_runs}")
        return api

    def runs_table(self):
        ui = self.ui
        ui.get("/ui/runs")
        self.compare_with_api("default (run descending, 50 a page)", {}, 50, 0)
        ui.screenshot("runs")

        # Status words in the markup: every badge and state carries its word, not only a colour.
        by_run = {r["run_number"]: r for r in self.api_runs}
        # (Read in one script: hundreds of WebDriver round trips would take a minute.)
        badges = ui.driver.execute_script(
            "return Array.from(document.querySelectorAll('#runs-table .badge[data-status][aria-label]'))"
            ".map(b => [b.getAttribute('data-status'), b.getAttribute('aria-label')]);")
        bad_badges = [label for status, label in badges if not status or status not in label]
        self.r.check("runs table badges carry their status word (aria-label)", len(badges) > 0 and not bad_badges,
                     "badges whose aria-label names data-status", f"{len(badges)} badges, {len(bad_badges)} without the word {bad_badges[:3]}")
        states = ui.driver.execute_script(
            "return Array.from(document.querySelectorAll('#runs-table tr[data-run]')).map(tr => {"
            " const s = tr.querySelector('span[data-state]');"
            " return [Number(tr.getAttribute('data-run')), s ? s.getAttribute('data-state') : null, s ? s.textContent.trim() : null]; });")
        wrong = [(run, state, text) for run, state, text in states if not (state == text == by_run[run]["state"])]
        self.r.check("runs table states are words and match the API", len(states) > 0 and not wrong,
                     "span[data-state] text = data-state = API state", f"{len(states)} rows, mismatches {wrong[:3]}")

        # Filters through the form, then paging, against the API with the same parameters.
        classes = {}
        for r in self.api_runs:
            classes[r["class"]] = classes.get(r["class"], 0) + 1
        run_class = max(classes, key=lambda c: classes[c])
        in_class = [r for r in self.api_runs if r["class"] == run_class]
        states_in_class = {}
        for r in in_class:
            states_in_class[r["state"]] = states_in_class.get(r["state"], 0) + 1
        state = max(states_in_class, key=lambda s: states_in_class[s])
        significant = "true" if any(r["significant"] for r in in_class if r["state"] == state) else "false"
        limit = 25

        ui.get("/ui/runs")
        Select(ui.find("#filter-class")).select_by_value(run_class)
        Select(ui.find("#filter-state")).select_by_value(state)
        Select(ui.find("#filter-significant")).select_by_value(significant)
        Select(ui.find("#filter-limit")).select_by_value(str(limit))
        ui.submit_and_wait("#filter-apply")
        query = query_of(ui.driver.current_url)
        self.r.check("the filter form puts its values in the URL",
                     query.get("class") == run_class and query.get("state") == state and query.get("significant") == significant
                     and query.get("limit") == str(limit),
                     f"class={run_class} state={state} significant={significant} limit={limit}", ui.path())
        params = {"class": run_class, "state": state, "significant": significant}
        api = self.compare_with_api(f"class={run_class} state={state} significant={significant} page 1", params, limit, 0)
        offset = 0
        pages = 1
        while offset + limit < api["count"]:
            if not self.r.check(f"runs table page {pages} has a next-page link", ui.exists("#page-next"),
                                "#page-next", "present" if ui.exists("#page-next") else "absent"):
                break
            ui.click_and_wait("#page-next")
            offset += limit
            pages += 1
            self.compare_with_api(f"same filters, page {pages} (offset {offset})", params, limit, offset)
        self.r.check("the last page has no next-page link", not ui.exists("#page-next"), "no #page-next", f"present={ui.exists('#page-next')}")
        if pages > 1:
            ui.click_and_wait("#page-previous")
            self.compare_with_api("same filters, back with the previous-page link", params, limit, offset - limit)
        else:
            self.r.check("the filtered set spans more than one page (to test paging)", False, f"more than {limit} runs", api["count"])

        # A run-number window typed into the boxes.
        numbers = sorted(r["run_number"] for r in self.api_runs)
        low, high = numbers[len(numbers) // 4], numbers[3 * len(numbers) // 4]
        ui.get("/ui/runs")
        ui.find("#filter-from").send_keys(str(low))
        ui.find("#filter-to").send_keys(str(high))
        Select(ui.find("#filter-limit")).select_by_value("25")
        ui.submit_and_wait("#filter-apply")
        self.compare_with_api(f"from={low} to={high}", {"from": low, "to": high}, 25, 0)

        # Free text: a class name finds at least that class's runs, and a run number finds that run.
        other_class = min(classes, key=lambda c: classes[c])
        ui.get("/ui/runs?" + query_string({"text": other_class, "limit": 200}))
        expected = {r["run_number"] for r in self.api_runs if r["class"] == other_class}
        got = set(self.table_runs())
        self.r.check(f"runs table text={other_class} finds that class's runs", expected <= got and len(got) == self.table_count(),
                     f"a superset of {sorted(expected)}", sorted(got))
        ui.get("/ui/runs?sort=run&dir=asc&limit=25")
        ascending = self.table_runs()
        self.r.check("runs table sorted by run ascending", ascending == numbers[:25], numbers[:25], ascending)

    # -- Sign-in, the shifter's edit, the log -------------------------------------------------------

    SEGMENTS_JS = (
        "return Array.from(document.querySelectorAll(arguments[0])).map((b, i) => [i, b.getAttribute('data-component'),"
        " Number(b.getAttribute('data-start')), Number(b.getAttribute('data-end')), b.getAttribute('data-status')]);"
    )

    def pick_segment(self, editable):
        """A segment of an editable component that is not BAD, preferably GOOD and at least 10 LS long."""
        css = "#ls-grid button.seg[data-component]"
        candidates = [
            ((status == "GOOD", min(end - start + 1, 10)), i, component, start, end, status)
            for i, component, start, end, status in self.ui.driver.execute_script(self.SEGMENTS_JS, css)
            if component in editable and status != "BAD"
        ]
        if not candidates:
            return None
        candidates.sort(key=lambda c: c[0], reverse=True)
        _, i, component, start, end, status = candidates[0]
        return self.ui.find_all(css)[i], component, start, end, status

    def segment_at(self, component, ls):
        css = f".grid-row[data-lane='{component}'] button.seg"
        for i, _, start, end, _ in self.ui.driver.execute_script(self.SEGMENTS_JS, css):
            if start <= ls <= end:
                return self.ui.find_all(css)[i]
        return None

    def shifter_edit(self):
        ui = self.ui
        shown = ui.sign_in(SHIFTER)
        self.r.check("sign in as the shifter: the header names them", shown == SHIFTER, SHIFTER, repr(shown))
        cookies = ui.cookies()
        self.r.check("sign-in sets the identity and anti-forgery cookies",
                     "runledger_demo_identity" in cookies and "runledger_csrf" in cookies,
                     "runledger_demo_identity and runledger_csrf", sorted(cookies))

        # An OPEN run (online flags change only while the run is OPEN), the mid-sized one of those.
        open_runs = sorted((r for r in self.api_runs if r["state"] == "OPEN"), key=lambda r: (r["lumisection_count"] or 0, r["run_number"]))
        if not self.r.check("the demo has an OPEN run for the shifter to edit", bool(open_runs), "an OPEN run",
                            f"{len(open_runs)} OPEN runs"):
            return
        run = open_runs[len(open_runs) // 2]["run_number"]
        grid = f"/ui/runs/{run}/grid?dataset=online"
        ui.get(grid)
        if not self.r.check(f"the shifter sees the edit form on the online grid of run {run}", ui.exists("#edit-form"), "#edit-form",
                            "present" if ui.exists("#edit-form") else "absent" + (f" ({ui.find('#no-edit').text})" if ui.exists("#no-edit") else "")):
            return
        editable = [o.get_attribute("value") for o in ui.find_all("#edit-component option")]
        picked = self.pick_segment(editable)
        if not self.r.check("the grid has a non-BAD segment of a component the shifter may edit", picked is not None,
                            f"a segment of one of {editable}", f"{picked[1]} LS {picked[2]}–{picked[3]} {picked[4]}" if picked else "none"):
            return
        seg, component, seg_start, seg_end, old_status = picked
        seg.click()
        filled = (Select(ui.find("#edit-component")).first_selected_option.get_attribute("value"),
                  ui.find("#edit-start").get_attribute("value"), ui.find("#edit-end").get_attribute("value"),
                  Select(ui.find("#edit-status")).first_selected_option.get_attribute("value"))
        self.r.check("clicking a segment fills the edit form", filled == (component, str(seg_start), str(seg_end), old_status),
                     (component, str(seg_start), str(seg_end), old_status), filled)
        start, end = seg_start, min(seg_end, seg_start + 9)
        before = api_json(self.base, "/v1/version")["sequence"]

        # BAD without a comment: refused inline, nothing written.
        for css, value in (("#edit-start", start), ("#edit-end", end)):
            box = ui.find(css)
            box.clear()
            box.send_keys(str(value))
        Select(ui.find("#edit-status")).select_by_value("BAD")
        ui.find("#edit-comment").clear()
        ui.submit_and_wait("#edit-submit")
        error = ui.find("#edit-error").text if ui.exists("#edit-error") else None
        self.r.check("BAD without a comment shows the inline error naming the comment",
                     bool(error) and "comment" in error.lower(), "#edit-error mentioning the comment", repr(error))
        after_refusal = api_json(self.base, "/v1/version")["sequence"]
        self.r.check("the refused edit wrote nothing", after_refusal == before, f"version {before}", f"version {after_refusal}")
        kept = (ui.find("#edit-start").get_attribute("value"), ui.find("#edit-end").get_attribute("value"),
                Select(ui.find("#edit-status")).first_selected_option.get_attribute("value")) if ui.exists("#edit-form") else None
        self.r.check("the refused form keeps the typed values", kept == (str(start), str(end), "BAD"), (str(start), str(end), "BAD"), kept)
        ui.screenshot("grid-edit-error")

        # With a comment: saved, flashed, shown in the grid.
        comment = f"UI test: {component} LS {start}-{end} bad (browser test)"
        if not ui.exists("#edit-form"):
            return
        Select(ui.find("#edit-component")).select_by_value(component)
        for css, value in (("#edit-start", start), ("#edit-end", end)):
            box = ui.find(css)
            box.clear()
            box.send_keys(str(value))
        Select(ui.find("#edit-status")).select_by_value("BAD")
        ui.find("#edit-comment").clear()
        ui.find("#edit-comment").send_keys(comment)
        ui.submit_and_wait("#edit-submit")
        flash = ui.find("#flash").text if ui.exists("#flash") else None
        saved = query_of(ui.driver.current_url).get("saved")
        refused = ui.find("#edit-error").text if ui.exists("#edit-error") else None
        self.r.check("BAD with a comment is saved and flashed", bool(flash) and saved is not None and ui.exists("#ls-grid"),
                     "#flash and ?saved=SEQ on the grid", f"flash {flash!r}, url {ui.path()}" + (f", #edit-error {refused!r}" if refused else ""))
        seg = self.segment_at(component, start)
        shown = (seg.get_attribute("data-status"), int(seg.get_attribute("data-start")), int(seg.get_attribute("data-end"))) if seg else None
        self.r.check("the grid shows the new BAD range", shown == ("BAD", start, end), ("BAD", start, end), shown)
        provenance = seg.get_attribute("data-provenance") if seg else ""
        self.r.check("the segment's provenance names the shifter and the comment",
                     SHIFTER in provenance and comment in provenance, f"{SHIFTER} and the comment", repr(provenance))
        label = seg.get_attribute("aria-label") if seg else ""
        self.r.check("the segment's aria-label carries the status word", "BAD" in (label or ""), "BAD in aria-label", repr(label))
        ui.screenshot("grid")

        # The event in the log carries the shifter's identity.
        history = api_json(self.base, "/v1/audit/history?" + query_string({"run": run, "dataset": "online", "component": component}))
        entries = [e for e in history.get("entries", []) if saved is not None and e.get("sequence") == int(saved)]
        entry = entries[0] if entries else None
        self.r.check("the log's event for the edit is LumisectionFlagsSet by the shifter",
                     entry is not None and entry.get("type") == "LumisectionFlagsSet" and entry.get("actor") == SHIFTER,
                     f"sequence {saved}: LumisectionFlagsSet by {SHIFTER}",
                     {k: entry.get(k) for k in ("sequence", "type", "actor")} if entry else "no entry at that sequence")
        self.edit = {"run": run, "component": component, "start": start, "end": end, "old": old_status,
                     "before": before, "saved": int(saved) if saved else None}

    # -- Past versions ----------------------------------------------------------------------------

    def as_of(self):
        if not self.edit.get("saved"):
            self.r.check("as_of checks (need the shifter's edit)", False, "a saved edit", "none")
            return
        ui, e = self.ui, self.edit
        ui.get(f"/ui/runs/{e['run']}/grid?dataset=online&as_of={e['before']}")
        banner = ui.find("#past-banner").text if ui.exists("#past-banner") else None
        version = ui.find("body").get_attribute("data-version")
        self.r.check("the grid at an earlier version shows the past banner naming it",
                     bool(banner) and str(e["before"]) in banner and version == str(e["before"]),
                     f"#past-banner naming {e['before']}, body data-version={e['before']}", f"banner {banner!r}, data-version {version}")
        seg = self.segment_at(e["component"], e["start"])
        status = seg.get_attribute("data-status") if seg else None
        self.r.check("the grid at the earlier version shows the old status", status == e["old"],
                     f"{e['component']} LS {e['start']} {e['old']}", status)
        self.r.check("no edit form at a past version", not ui.exists("#edit-form") and ui.exists("#no-edit"),
                     "#no-edit, no #edit-form", f"edit-form={ui.exists('#edit-form')} no-edit={ui.exists('#no-edit')}")
        ui.screenshot("grid-past")
        ui.get(f"/ui/runs/{e['run']}/grid?dataset=online")
        seg = self.segment_at(e["component"], e["start"])
        status = seg.get_attribute("data-status") if seg else None
        self.r.check("the grid at the latest version shows BAD and no past banner", status == "BAD" and not ui.exists("#past-banner"),
                     "BAD without #past-banner", f"{status}, banner={ui.exists('#past-banner')}")
        # The version picker's previous-change link goes back to a past version of the same dataset.
        if ui.exists("#previous-change"):
            ui.click_and_wait("#previous-change")
            target = query_of(ui.driver.current_url).get("as_of")
            self.r.check("the previous-change link shows a past version", ui.exists("#past-banner") and target is not None
                         and int(target) < e["saved"], f"as_of < {e['saved']} with #past-banner", ui.path())
        else:
            self.r.check("the version picker offers a previous change", False, "#previous-change", "absent")
        # The runs table at a past version, too.
        ui.get(f"/ui/runs?as_of={e['before']}")
        self.r.check("the runs table at an earlier version shows the past banner",
                     ui.exists("#past-banner") and ui.find("body").get_attribute("data-version") == str(e["before"]),
                     f"#past-banner, data-version={e['before']}", f"banner={ui.exists('#past-banner')}")

    # -- Permissions and forged posts -----------------------------------------------------------------

    def permissions(self):
        ui = self.ui
        run = self.edit.get("run") or self.api_runs[0]["run_number"]
        shown = ui.sign_in(EXPERT)
        ui.get(f"/ui/runs/{run}")
        forms = {css: ui.exists(css) for css in ("#move-form", "#class-form", "#significance-form")}
        self.r.check("the expert sees the run's edit forms", shown == EXPERT and all(forms.values()), f"{EXPERT} with all three forms",
                     f"{shown}: {forms}")
        ui.screenshot("run")

        shown = ui.sign_in(VIEWER)
        self.r.check("sign in as the viewer", shown == VIEWER, VIEWER, repr(shown))
        ui.get(f"/ui/runs/{run}/grid?dataset=online")
        self.r.check("the viewer sees no edit form on the grid", not ui.exists("#edit-form") and ui.exists("#no-edit"),
                     "#no-edit, no #edit-form", f"edit-form={ui.exists('#edit-form')} no-edit={ui.exists('#no-edit')}")
        ui.get(f"/ui/runs/{run}")
        forms = {css: ui.exists(css) for css in ("#move-form", "#class-form", "#significance-form")}
        self.r.check("the viewer sees no run edit forms", not any(forms.values()), "none of the three forms", forms)

        cookies = ui.cookies()
        version = api_json(self.base, "/v1/version")["sequence"]
        component = self.edit.get("component") or "tracker-pixel"
        form = {"csrf": cookies.get("runledger_csrf", ""), "dataset": "online", "component": component,
                "start": "1", "end": "1", "status": "BAD", "comment": "forged by the browser test", "cause": ""}
        status, _, body = request(self.base, "POST", f"/ui/runs/{run}/grid", body=form, cookies=cookies)
        self.r.check("a forged grid POST by the viewer (right token) gets 403", status == 403,
                     403, f"{status} {body[:120]!r}")
        status, _, _ = request(self.base, "POST", f"/ui/runs/{run}", cookies=cookies,
                               body={"csrf": cookies.get("runledger_csrf", ""), "action": "class", "class": "Forged"})
        self.r.check("a forged run POST by the viewer (right token) gets 403", status == 403, 403, status)
        no_token = dict(form)
        del no_token["csrf"]
        status, _, _ = request(self.base, "POST", f"/ui/runs/{run}/grid", body=no_token, cookies=cookies)
        self.r.check("a grid POST without the anti-forgery token gets 403", status == 403, 403, status)
        # Even a permitted identity needs the token: the shifter's cookie, a wrong or missing token.
        shifter = {"runledger_demo_identity": SHIFTER, "runledger_csrf": cookies.get("runledger_csrf", "")}
        status, _, _ = request(self.base, "POST", f"/ui/runs/{run}/grid", body={**form, "csrf": "0" * 32}, cookies=shifter)
        self.r.check("a shifter's grid POST with a wrong token gets 403", status == 403, 403, status)
        status, _, _ = request(self.base, "POST", f"/ui/runs/{run}/grid", body=no_token,
                               cookies={"runledger_demo_identity": SHIFTER})
        self.r.check("a shifter's grid POST with no token cookie or field gets 403", status == 403, 403, status)
        # A token this server did not sign (planted in both cookie and field, as a sibling site could) is refused.
        planted = "ab" * 16
        status, _, _ = request(self.base, "POST", f"/ui/runs/{run}/grid", body={**form, "csrf": planted},
                               cookies={"runledger_demo_identity": SHIFTER, "runledger_csrf": planted})
        self.r.check("a shifter's grid POST with a planted, unsigned token gets 403", status == 403, 403, status)
        # A post from another site's page is refused even with the browser's real token.
        status, _, _ = request(self.base, "POST", f"/ui/runs/{run}/grid", body=form, cookies=shifter,
                               headers={"Origin": "https://evil.example"})
        self.r.check("a grid POST with a foreign Origin gets 403", status == 403, 403, status)
        after = api_json(self.base, "/v1/version")["sequence"]
        self.r.check("the refused posts wrote nothing", after == version, f"version {version}", f"version {after}")
        # DNS rebinding: the demo cookie counts only when the browser addresses a loopback host.
        _, _, page = request(self.base, "GET", "/ui/config", cookies={"runledger_demo_identity": EXPERT})
        _, _, rebound = request(self.base, "GET", "/ui/config", cookies={"runledger_demo_identity": EXPERT},
                                headers={"Host": "rebound.example:80"})
        marker = ('data-email="' + EXPERT + '"').encode()
        at_loopback, at_rebound = marker in page, marker in rebound
        self.r.check("the demo identity cookie is ignored for a non-loopback Host (DNS rebinding)",
                     at_loopback and not at_rebound, "identity at 127.0.0.1, none at rebound.example",
                     f"127.0.0.1: {at_loopback}, rebound.example: {at_rebound}")

    # -- Golden JSON page and its download ------------------------------------------------------------

    def cli_golden(self, projection, as_of):
        done = subprocess.run(
            [self.binary, "golden", "generate", "--data", self.server.data, "--projection", projection,
             "--projections-directory", "projections", "--as-of", str(as_of)],
            cwd=ROOT, capture_output=True, timeout=120,
        )
        if done.returncode != 0:
            raise RuntimeError(f"runledger golden exited {done.returncode}: {done.stderr.decode(errors='replace')[-400:]}")
        try:
            metadata = json.loads(done.stderr.decode().strip().splitlines()[-1])
        except (ValueError, IndexError):
            metadata = {}
        return done.stdout, metadata

    def download_in_browser(self, download_dir):
        """Clicks the download link and waits for the finished file; returns its bytes or None."""
        for name in os.listdir(download_dir):
            os.remove(os.path.join(download_dir, name))
        self.ui.driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": download_dir})
        self.ui.find("a#golden-download").click()
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            names = [n for n in os.listdir(download_dir) if not n.endswith(".crdownload")]
            if names and not any(n.endswith(".crdownload") for n in os.listdir(download_dir)):
                with open(os.path.join(download_dir, names[0]), "rb") as f:
                    return names[0], f.read()
            time.sleep(0.2)
        return None, None

    def golden(self, download_dir):
        ui = self.ui
        # The latest version, and one about 3% of the log earlier (the demo's last runs change the JSON there).
        latest = api_json(self.base, "/v1/version")["sequence"]
        earlier = max(1, int(latest * 0.97))
        contents = {}
        for label, as_of in (("latest", None), ("earlier", earlier)):
            path = "/ui/golden?" + query_string({"projection": PROJECTION, "as_of": as_of})
            ui.get(path)
            if not self.r.check(f"golden page ({label}) renders its summary", ui.exists("#golden-summary"), "#golden-summary",
                                f"#golden-summary at {ui.path()}" if ui.exists("#golden-summary") else f"absent at {ui.path()}"
                                + (f" ({ui.find('#error-message').text})" if ui.exists("#error-message") else "")):
                continue
            if as_of is not None:
                banner = ui.find("#past-banner").text if ui.exists("#past-banner") else None
                self.r.check(f"golden page at version {as_of} shows the past banner", bool(banner) and str(as_of) in banner,
                             f"#past-banner naming {as_of}", repr(banner))
            if label == "latest":
                ui.screenshot("golden")
            summary = ui.find("#golden-summary")
            link = ui.find("a#golden-download").get_attribute("href")
            params = query_of(link)
            sequence = params.get("as_of")
            self.r.check(f"golden download link ({label}) names the projection and the version",
                         urllib.parse.urlsplit(link).path == "/ui/golden/download" and params.get("projection") == PROJECTION
                         and sequence is not None and (as_of is None or sequence == str(as_of)),
                         f"/ui/golden/download?projection={PROJECTION}&as_of={as_of or 'SEQ'}", link)
            if sequence is None:
                continue
            link_path = urllib.parse.urlsplit(link).path + "?" + urllib.parse.urlsplit(link).query
            status, headers, downloaded = request(self.base, "GET", link_path, cookies=ui.cookies())
            self.r.check(f"golden download ({label}) is an attachment",
                         status == 200 and "attachment" in headers.get("content-disposition", ""),
                         "200 with Content-Disposition: attachment", f"{status} {headers.get('content-disposition')}")
            cli, metadata = self.cli_golden(PROJECTION, sequence)
            contents[label] = cli
            self.r.check(f"golden download ({label}, as_of {sequence}) is byte-identical to `runledger golden`",
                         downloaded == cli and len(cli) > 2, f"{len(cli)} bytes (sha of CLI output)",
                         f"{len(downloaded)} bytes, {'identical' if downloaded == cli else 'different'}")
            _, _, api = request(self.base, "GET", "/v1/golden?" + query_string({"projection": PROJECTION, "as_of": sequence, "format": "json"}))
            self.r.check(f"golden download ({label}) equals GET /v1/golden", api == downloaded, f"{len(api)} bytes identical",
                         f"{len(downloaded)} bytes, {'identical' if api == downloaded else 'different'}")
            if label == "latest":
                name, clicked = self.download_in_browser(download_dir)
                self.r.check("the browser's download of the golden JSON is byte-identical to `runledger golden`",
                             clicked == cli, f"{len(cli)} bytes", f"{name}: {len(clicked) if clicked is not None else 'no file'} bytes"
                             + (", identical" if clicked == cli else ""))
            try:
                golden = json.loads(cli)
                runs = len(golden)
                lumis = sum(last - first + 1 for ranges in golden.values() for first, last in ranges)
            except ValueError:
                runs = lumis = None
            got = (summary.get_attribute("data-runs"), summary.get_attribute("data-lumisections"))
            self.r.check(f"golden summary ({label}) counts runs and lumisections of the JSON", got == (str(runs), str(lumis)),
                         (str(runs), str(lumis)), got)
            recorded = summary.get_attribute("data-recorded-in")
            expected = metadata.get("recorded_in")
            ok = recorded is not None and expected is not None and abs(float(recorded) - expected) <= max(0.005 * abs(expected), 1e-6)
            self.r.check(f"golden summary ({label}) recorded-in matches the CLI's metadata", ok, f"{expected} /pb", f"{recorded}")
        if len(contents) == 2:
            self.r.check("the golden JSON at the earlier version differs from the latest (so the as_of download is tested)",
                         contents["earlier"] != contents["latest"], "different bytes",
                         f"{len(contents['earlier'])} and {len(contents['latest'])} bytes, "
                         + ("different" if contents["earlier"] != contents["latest"] else "identical"))

    # -- Luminosity plot -------------------------------------------------------------------------------

    @staticmethod
    def unit_factor(texts):
        """pb⁻¹ → 1, fb⁻¹ → 1000 (to /pb), from the axis label's text."""
        for text in texts:
            t = text.replace(" ", "")
            if re.search(r"fb(⁻¹|\^?-1|-1)|/fb", t):
                return 1000.0, "fb⁻¹"
            if re.search(r"pb(⁻¹|\^?-1|-1)|/pb", t):
                return 1.0, "pb⁻¹"
        return None, None

    def plot(self):
        ui = self.ui
        run_class = max({r["class"] for r in self.api_runs}, key=lambda c: sum(1 for r in self.api_runs if r["class"] == c))
        params = {"projection": PROJECTION, "class": run_class}
        ui.get("/ui/plots/lumi?" + query_string(params))
        if not self.r.check("the luminosity plot page has svg#lumi-plot", ui.exists("svg#lumi-plot"), "svg#lumi-plot",
                            f"svg#lumi-plot at {ui.path()}" if ui.exists("svg#lumi-plot") else "absent"
                            + (f" ({ui.find('#error-message').text})" if ui.exists("#error-message") else "")):
            return
        svg = ui.find("svg#lumi-plot")
        size = svg.size
        self.r.check("the plot is drawn (visible, non-empty box)", svg.is_displayed() and size["width"] > 100 and size["height"] > 50,
                     "visible, > 100×50 px", f"{size['width']}×{size['height']}")
        series = {}
        for element in ui.find_all("svg#lumi-plot [data-series]"):
            series.setdefault(element.get_attribute("data-series"), element)
        missing = [s for s in ("delivered", "recorded", "certified") if s not in series]
        self.r.check("the plot has the delivered, recorded and certified series", not missing,
                     "delivered, recorded, certified", f"series {sorted(series)}")
        totals = {}
        for name, element in series.items():
            try:
                totals[name] = float(element.get_attribute("data-total"))
            except (TypeError, ValueError):
                totals[name] = None
        drawn = {name: ui.driver.execute_script(
            "const b = arguments[0].getBBox ? arguments[0].getBBox() : null; return b ? b.width * b.height + b.width + b.height : 0;",
            element) for name, element in series.items()}
        self.r.check("each series has a total and is drawn",
                     not missing and all(totals.get(s) is not None for s in series) and all(v > 0 for v in drawn.values()),
                     "numeric data-total and a non-empty shape", f"totals {totals}, drawn {drawn}")
        if not missing and all(totals[s] is not None for s in ("delivered", "recorded", "certified")):
            self.r.check("delivered ≥ recorded ≥ certified > 0",
                         totals["delivered"] >= totals["recorded"] >= totals["certified"] > 0, "ordered totals", totals)
        texts = ui.driver.execute_script(
            "const svg = arguments[0];"
            "const y = svg.querySelector('[data-axis=y], .y-label, .axis-y, .y-axis-label, .ylabel');"
            "const all = Array.from(svg.querySelectorAll('text')).map(t => t.textContent);"
            "return (y ? [y.textContent] : []).concat(all);", svg)
        factor, unit = self.unit_factor(texts)
        self.r.check("the y axis names the unit (pb⁻¹ or fb⁻¹)", factor is not None, "pb⁻¹ or fb⁻¹ in the axis label",
                     unit or f"texts {texts[:6]}")
        ui.screenshot("plot")

        # The certified total against the golden page of the same projection and class.
        golden_params = dict(params)
        ui.get("/ui/golden?" + query_string(golden_params))
        recorded = ui.find("#golden-summary").get_attribute("data-recorded-in") if ui.exists("#golden-summary") else None
        if factor and totals.get("certified") is not None and recorded is not None:
            certified = totals["certified"] * factor
            golden = float(recorded)
            ok = abs(certified - golden) <= 0.005 * max(abs(golden), 1e-9)
            self.r.check("the certified total equals the golden page's recorded-in (±0.5%)", ok, f"{golden} /pb",
                         f"{totals['certified']} {unit} = {certified:.3f} /pb")
        else:
            self.r.check("the certified total equals the golden page's recorded-in (±0.5%)", False,
                         "a certified total, a unit and the golden recorded-in", f"certified {totals.get('certified')}, unit {unit}, golden {recorded}")

        status, headers, body = request(self.base, "GET", "/ui/plots/lumi.svg?" + query_string(params), cookies=ui.cookies())
        names = []
        if status == 200:
            try:
                root = ET.fromstring(body)
                names = sorted({e.get("data-series") for e in root.iter() if e.get("data-series")})
                tag = root.tag
            except ET.ParseError as exc:
                tag = f"unparsable: {exc}"
        else:
            tag = None
        self.r.check("/ui/plots/lumi.svg answers the bare SVG with the three series",
                     status == 200 and headers.get("content-type", "").startswith("image/svg+xml") and tag == SVG_NS + "svg"
                     and {"delivered", "recorded", "certified"} <= set(names),
                     "200 image/svg+xml, <svg> with delivered, recorded, certified",
                     f"{status} {headers.get('content-type')} root {tag} series {names}")

    # -- Connections left open by pages in the back/forward cache ------------------------------------------

    def feed_connections(self, download_dir):
        """Chromium as users run it (back/forward cache on): leaving several runs pages in a row must not
        stall the next navigation. Each runs page follows /v1/feed with an EventSource; a page kept in the
        back/forward cache keeps that connection, and HTTP/1.1 allows 6 per host, so the 7th page waits."""
        driver = start_browser(download_dir, back_forward_cache=True)
        try:
            driver.set_page_load_timeout(FEED_STALL_LIMIT)
            loads = []
            for i in range(8):
                path = "/ui/runs?" + query_string({"limit": 25 if i % 2 else 50, "offset": i})
                started = time.monotonic()
                try:
                    driver.get(self.base + path)
                    loads.append(f"{time.monotonic() - started:.1f}")
                except TimeoutException:
                    loads.append(f">{FEED_STALL_LIMIT}")
                    break
            stalled = any(t.startswith(">") for t in loads)
            self.r.check("leaving 8 live runs pages in a row (back/forward cache on) does not stall the browser", not stalled,
                         f"every page loads within {FEED_STALL_LIMIT} s",
                         "page loads " + ", ".join(loads) + " s" + (" (pages in the back/forward cache keep their /v1/feed EventSource open;"
                                                                   " the 7th load waits for one of the 6 HTTP/1.1 connections)" if stalled else ""))
        finally:
            driver.quit()

    # -- The live runs table -----------------------------------------------------------------------------

    def live_table(self):
        """At the latest version the runs table follows /v1/feed: a change made elsewhere (here through the
        native API) appears in the open page without a reload."""
        ui = self.ui
        run = max((r for r in self.api_runs if r["state"] == "OPEN"), key=lambda r: r["run_number"])["run_number"]
        ui.get("/ui/runs")
        marker = "live-check-" + str(int(time.time()))
        ui.driver.execute_script("window.__notReloaded = '%s';" % marker)
        try:
            WebDriverWait(ui.driver, WAIT).until(
                lambda d: "following" in (d.find_element(By.ID, "live-status").text or ""))
            following = True
        except TimeoutException:
            following = False
        self.r.check("the runs table follows the event feed", following, "#live-status says it follows the feed",
                     ui.find("#live-status").text)
        new_class = "LiveCheck" + str(int(time.time()) % 100000)
        status, _, body = request(self.base, "POST", f"/v1/runs/{run}/set-class",
                                  body=json.dumps({"class": new_class}).encode(),
                                  headers={"email": EXPERT, "Content-Type": "application/json"})
        self.r.check("an expert changes a run's class through the API", status == 200, "200", f"{status} {body[:200]!r}")
        try:
            WebDriverWait(ui.driver, WAIT).until(lambda d: d.execute_script(
                "const row = document.querySelector('#runs-table tr[data-run=\"%d\"]');"
                "return row ? row.children[1].textContent.trim() : '';" % run) == new_class)
            updated = True
        except TimeoutException:
            updated = False
        same_page = ui.driver.execute_script("return window.__notReloaded;") == marker
        self.r.check("the open runs page shows the change without a reload", updated and same_page,
                     f"run {run} class {new_class} in the same page", f"updated {updated}, same page {same_page}")

    # -- Phone width and grid speed ---------------------------------------------------------------------

    def biggest_run(self):
        return max(self.api_runs, key=lambda r: (r["lumisection_count"] or 0, -r["run_number"]))

    def phone_width(self):
        ui = self.ui
        big = self.biggest_run()["run_number"]
        run = self.edit.get("run") or big
        pages = [
            ("runs", "/ui/runs"),
            ("run", f"/ui/runs/{run}"),
            ("grid", f"/ui/runs/{run}/grid?dataset=online"),
            ("grid of the biggest run", f"/ui/runs/{big}/grid?dataset=online"),
            ("golden", f"/ui/golden?projection={PROJECTION}"),
            ("plot", f"/ui/plots/lumi?projection={PROJECTION}"),
        ]
        ui.phone(True)
        try:
            for name, path in pages:
                ui.get(path)
                status = request(self.base, "GET", path)[0]
                if status == 404 and name in ("golden", "plot"):
                    self.r.check(f"390 px: the {name} page exists", False, "200", f"{status} at {path}")
                    continue
                inner, scroll = ui.driver.execute_script("return [window.innerWidth, document.documentElement.scrollWidth]")
                culprits = ui.driver.execute_script(OVERFLOW_JS) if scroll > inner else []
                self.r.check(f"390 px: no horizontal page overflow on the {name} page", inner == PHONE_WIDTH and scroll <= inner,
                             f"innerWidth {PHONE_WIDTH}, scrollWidth ≤ innerWidth", f"innerWidth {inner}, scrollWidth {scroll}"
                             + (f"; sticking out: {', '.join(culprits)}" if culprits else ""))
                if name in ("runs", "grid", "golden", "plot"):
                    ui.screenshot(name.replace(" ", "-") + "-390")
            ui.get("/ui/runs")
            overflow = ui.driver.execute_script(
                "const t = document.getElementById('runs-table'); let box = t && t.parentElement;"
                "while (box && box !== document.body) { const o = getComputedStyle(box).overflowX;"
                " if (o === 'auto' || o === 'scroll') return [o, box.scrollWidth, box.clientWidth]; box = box.parentElement; }"
                "return null;")
            self.r.check("390 px: the runs table scrolls inside its own box", overflow is not None,
                         "an ancestor with overflow-x auto or scroll", overflow)
        finally:
            ui.phone(False)

    def grid_speed(self):
        ui = self.ui
        big = self.biggest_run()
        path = f"/ui/runs/{big['run_number']}/grid?dataset=online"
        times = []
        for _ in range(3):
            ui.get(path)
            times.append(ui.dom_content_loaded_ms())
        count = ui.find("#ls-grid").get_attribute("data-lumisections") if ui.exists("#ls-grid") else None
        segments = len(ui.find_all("#ls-grid button.seg"))
        self.r.check(f"the biggest run's grid ({big['run_number']}) shows all its lumisections",
                     count == str(big["lumisection_count"]) and segments > 0,
                     f"{big['lumisection_count']} lumisections", f"{count} lumisections, {segments} segments")
        median = statistics.median(t for t in times if t is not None) if any(t is not None for t in times) else None
        figure = "loads " + ", ".join(f"{t:.0f}" if t is not None else "?" for t in times) + (f" ms, median {median:.0f} ms" if median else " (no timing)")
        verdict = "met" if median is not None and median < GRID_READY_BUDGET_MS else "MISSED"
        print(f"     figure: the biggest run's grid DOMContentLoaded {figure}; target < {GRID_READY_BUDGET_MS:.0f} ms: {verdict}", flush=True)
        self.r.check(f"the biggest run's grid is ready (DOMContentLoaded) well within {GRID_READY_FAIL_MS:.0f} ms",
                     median is not None and median < GRID_READY_FAIL_MS, f"median < {GRID_READY_FAIL_MS:.0f} ms over 3 loads", figure)
        ui.screenshot("grid-biggest")


# ---------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=os.environ.get("RUNLEDGER_BIN") or os.path.join(ROOT, ".build", "debug", "runledger"))
    parser.add_argument("--out", default=os.path.join(ROOT, "test-output", "ui"), help="the screenshot folder")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory and server log")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        print(f"ui: no runledger binary at {binary} (build it, or set RUNLEDGER_BIN / --binary)", file=sys.stderr)
        return 2
    for tool in (CHROMIUM, CHROMEDRIVER):
        if not os.access(tool, os.X_OK):
            print(f"ui: {tool} is missing; run tools/setup (it installs chromium and chromium-driver)", file=sys.stderr)
            return 2

    # Screenshots of an earlier run would pass for this run's: start from an empty folder.
    if os.path.isdir(args.out):
        for name in os.listdir(args.out):
            if name.endswith(".png"):
                os.remove(os.path.join(args.out, name))

    started = time.monotonic()
    results = Results()
    server = Server(binary, args.keep)
    driver = None
    download_dir = tempfile.mkdtemp(prefix="runledger-ui-downloads-")
    try:
        base = server.start()
        print(f"ui: runledger serve --demo at {base} (data {server.data}), ready in {time.monotonic() - started:.1f} s", flush=True)
        driver = start_browser(download_dir)
        print(f"ui: {driver.capabilities.get('browserName')} {driver.capabilities.get('browserVersion')} headless", flush=True)
        ui = UI(driver, base, args.out)
        suite = Suite(ui, server, results, binary)
        suite.run("redirect and 404 pages", suite.redirect_and_errors)
        suite.run("runs table", suite.runs_table)
        suite.run("shifter's edit", suite.shifter_edit)
        suite.run("past versions (as_of)", suite.as_of)
        suite.run("permissions and forged posts", suite.permissions)
        suite.run("golden page", lambda: suite.golden(download_dir))
        suite.run("luminosity plot", suite.plot)
        suite.run("phone width", suite.phone_width)
        suite.run("grid speed", suite.grid_speed)
        suite.run("live runs table", suite.live_table)
        suite.run("live feed connections", lambda: suite.feed_connections(download_dir))
        if ui.screenshots:
            print(f"ui: {len(ui.screenshots)} screenshots in {os.path.relpath(args.out, os.getcwd())}/", flush=True)
    except Exception as exc:
        results.error("setup", exc)
    finally:
        if driver is not None:
            try:
                driver.quit()
            except WebDriverException:
                pass
        status = server.stop()
        if server.process is not None:
            results.check("the server stops cleanly on SIGTERM", status == 0, "exit status 0", f"exit status {status}")
            if status != 0 or results.failed:
                print("ui: " + server.tail(), file=sys.stderr)
        server.cleanup()
        shutil.rmtree(download_dir, ignore_errors=True)

    took = time.monotonic() - started
    if results.failed:
        print(f"ui: {results.passed} passed, {len(results.failed)} FAILED in {took:.0f} s: " + "; ".join(results.failed))
        return 1
    print(f"ui: all {results.passed} checks passed in {took:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
