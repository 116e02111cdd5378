#!/usr/bin/env python3
"""Compatibility proof: the real `runregistry` Python client (3.1.2, from PyPI) against RunLedger.

Run it with any Python 3.9+; it re-executes itself inside `.venv-compat/` at the repository root,
creating that virtual environment and installing runregistry==3.1.2 first when needed. It then
starts `runledger serve --demo` on a free loopback port with a fresh data directory, drives every
client function that maps to a Run Registry route, checks each answer against the native API
(`/v1/...`), prints one PASS/FAIL line per check and a summary, stops the server, and exits
non-zero on any failure.

    tools/compat/run                    # or: python3 tools/compat/runregistry_compat.py
    tools/compat/run --binary PATH      # a runledger binary other than .build/debug/runledger
    tools/compat/run --keep             # keep the temporary data directory and server log
"""

import argparse
import contextlib
import io
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
import traceback
import urllib.error
import urllib.parse
import urllib.request

CLIENT_VERSION = "3.1.2"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV = os.path.join(ROOT, ".venv-compat")
VENV_PYTHON = os.path.join(VENV, "bin", "python")
START_TIMEOUT = 180  # seconds: a debug build generates the small workload in about 10 s
STOP_TIMEOUT = 20
EGROUP_MESSAGE = "User needs to be part of any of the following e-groups"


# ---------------------------------------------------------------------------------------------
# Virtual environment


def client_installed(python):
    probe = (
        "import importlib.metadata as m, sys; "
        f"sys.exit(0 if m.version('runregistry') == '{CLIENT_VERSION}' else 1)"
    )
    return subprocess.run([python, "-c", probe], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


def ensure_venv():
    """Creates or reuses .venv-compat with runregistry==3.1.2, then re-executes this script in it."""
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    if not os.path.exists(VENV_PYTHON):
        print(f"compat: creating {VENV}", flush=True)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    if not client_installed(VENV_PYTHON):
        print(f"compat: installing runregistry=={CLIENT_VERSION} into {VENV}", flush=True)
        subprocess.run(
            [VENV_PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", f"runregistry=={CLIENT_VERSION}"],
            check=True,
        )
    os.execv(VENV_PYTHON, [VENV_PYTHON, os.path.abspath(__file__)] + sys.argv[1:])


# ---------------------------------------------------------------------------------------------
# Server


class Server:
    """`runledger serve --demo` on a free loopback port in a temporary data directory."""

    def __init__(self, binary, keep):
        self.binary = binary
        self.keep = keep
        self.tmp = tempfile.mkdtemp(prefix="runledger-compat-")
        self.log_path = os.path.join(self.tmp, "server.log")
        self.process = None
        self.port = None
        self.lines = []

    def start(self):
        command = [self.binary, "serve", "--demo", "--data", os.path.join(self.tmp, "data"), "--port", "0", "--host", "127.0.0.1"]
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=self.log, text=True, cwd=ROOT, start_new_session=True
        )
        ready = threading.Event()
        pattern = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")

        def read():
            for line in self.process.stdout:
                self.lines.append(line.rstrip("\n"))
                match = pattern.search(line)
                if match and not ready.is_set():
                    self.port = int(match.group(1))
                    ready.set()

        threading.Thread(target=read, daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT
        while not ready.wait(0.2):
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with status {self.process.returncode} before listening; {self.tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not print its listening line within {START_TIMEOUT} s; {self.tail()}")
        return f"http://127.0.0.1:{self.port}"

    def tail(self):
        try:
            with open(self.log_path) as f:
                err = f.read()[-1500:]
        except OSError:
            err = ""
        return "stdout: " + " | ".join(self.lines[-5:]) + "; stderr: " + err.strip().replace("\n", " | ")

    def stop(self):
        """SIGTERM, then wait; returns None when it stopped in time, else an error sentence."""
        problem = None
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                problem = f"the server did not exit within {STOP_TIMEOUT} s of SIGTERM; killed"
                self.process.kill()
                self.process.wait()
        if self.process and problem is None and self.process.returncode not in (0, -signal.SIGTERM):
            problem = f"the server exited with status {self.process.returncode} after SIGTERM; {self.tail()}"
        if hasattr(self, "log"):
            self.log.close()
        if self.keep:
            print(f"compat: kept {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)
        return problem


# ---------------------------------------------------------------------------------------------
# Checks


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = []

    def record(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"PASS {name}" + (f" ({detail})" if detail else ""), flush=True)
        else:
            self.failed.append(name)
            print(f"FAIL {name}: {detail}", flush=True)

    def run(self, name, body):
        """Runs `body`, which returns (ok, detail) or raises; an exception is a failure."""
        try:
            ok, detail = body()
        except Exception as e:  # noqa: BLE001
            ok, detail = False, f"{type(e).__name__}: {str(e)[:600]} at {traceback.format_exc().splitlines()[-3].strip()}"
        self.record(name, ok, detail)

    def expect_error(self, name, body, *fragments):
        """Runs `body`, which must raise an exception whose text contains every fragment."""
        try:
            result = body()
        except Exception as e:  # noqa: BLE001
            text = str(e)
            missing = [f for f in fragments if f not in text]
            self.record(name, not missing, f"raised: {text[:300]}" if not missing else f"missing {missing} in: {text[:500]}")
            return
        self.record(name, False, f"no exception; answered {json.dumps(result)[:300]}")


def quiet(function, *args, **kwargs):
    """Calls a client function with its stdout (it prints URLs and filters in local mode) swallowed."""
    with contextlib.redirect_stdout(io.StringIO()):
        return function(*args, **kwargs)


class Native:
    """The native API and raw Run Registry calls, over urllib."""

    def __init__(self, base):
        self.base = base

    def request(self, method, path, body=None, headers=None, params=None):
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        data = None if body is None else json.dumps(body).encode()
        h = {"Content-type": "application/json"}
        h.update(headers or {})
        req = urllib.request.Request(url, data=data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=120) as response:
                return response.status, json.loads(response.read() or b"null"), response.headers
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                value = json.loads(raw)
            except ValueError:
                value = {"non_json_body": raw[:200].decode(errors="replace")}
            return e.code, value, e.headers

    def get(self, path, **params):
        status, value, _ = self.request("GET", path, params=params or None)
        if status != 200:
            raise RuntimeError(f"native GET {path} {params} answered {status}: {value}")
        return value

    def head(self):
        return self.get("/v1/version")["sequence"]

    def runs(self):
        return self.get("/v1/runs", limit=1000)["runs"]

    def datasets(self):
        return self.get("/v1/datasets", limit=1000)["datasets"]

    def ranges(self, run, dataset="online", per_ls=False):
        params = {"dataset": dataset}
        if per_ls:
            params["per_ls"] = "true"
        return self.get(f"/v1/runs/{run}/ranges", **params)

    def last_event(self, stream):
        """The newest event of a stream (pages of 1000, oldest first)."""
        last, start = None, 1
        while True:
            page = self.get("/v1/streams/events", stream=stream, from_version=start, limit=1000)["events"]
            if page:
                last = page[-1]
            if len(page) < 1000:
                return last
            start += 1000


# ---------------------------------------------------------------------------------------------
# Helpers over answers

STATUSES = ("GOOD", "BAD", "STANDBY", "EXCLUDED", "NOTSET")


def triplet(value):
    """A per-LS flag as (status, comment, cause); a missing flag is EMPTY."""
    if not value:
        return ("EMPTY", "", "")
    return (value.get("status"), value.get("comment", ""), value.get("cause", ""))


def expand(ranges, strip=("start", "end")):
    """Ranges [{..., start, end}] as a per-LS list of the other fields (index = LS - 1); None if not contiguous from 1."""
    rows = []
    for r in ranges:
        if r["start"] != len(rows) + 1 or r["end"] < r["start"]:
            return None
        fields = {k: v for k, v in r.items() if k not in strip}
        rows += [fields] * (r["end"] - r["start"] + 1)
    return rows


def maximal(ranges):
    """Whether neighbouring ranges differ (a range never continues its predecessor)."""
    strip = lambda r: {k: v for k, v in r.items() if k not in ("start", "end")}  # noqa: E731
    return all(strip(a) != strip(b) for a, b in zip(ranges, ranges[1:]))


def native_has_status(native_ranges, component, status):
    return any(r["status"] == status for r in native_ranges["components"].get(component, []))


def ls_counts(native_ranges, component):
    counts = {s: 0 for s in STATUSES}
    for r in native_ranges["components"].get(component, []):
        counts[r["status"]] += r["end"] - r["start"] + 1
    return counts


def first_diff(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"LS {i + 1}: {x} != {y}"
    if len(a) != len(b):
        return f"lengths {len(a)} != {len(b)}"
    return "equal"


# ---------------------------------------------------------------------------------------------
# The proof


def prove(base, checks):
    os.environ["ENVIRONMENT"] = "local"  # the client calls setup() at import
    import runregistry  # noqa: F401

    rr = sys.modules["runregistry.runregistry"]
    rr.api_url = base  # setting runregistry.api_url has no effect
    native = Native(base)

    from importlib.metadata import version

    checks.record("client is runregistry 3.1.2 in local mode", version("runregistry") == CLIENT_VERSION and rr._get_target() == "local",
                  f"version {version('runregistry')}, target {rr._get_target()}")

    runs = native.runs()
    by_run = {r["run_number"]: r for r in runs}
    datasets = native.datasets()
    by_key = {(d["run_number"], d["name"]): d for d in datasets}
    online_ranges = {r["run_number"]: native.ranges(r["run_number"]) for r in runs}
    dataset_ranges = {(d["run_number"], d["name"]): native.ranges(d["run_number"], d["name"]) for d in datasets}

    # Demo data the client needs.
    open_runs = [r for r in runs if r["state"] == "OPEN"]
    open_significant = [r for r in open_runs if r["significant"]]
    open_plain = [r for r in open_runs if not r["significant"]]
    completed = [r for r in runs if r["state"] == "COMPLETED"]
    signoff = [r for r in runs if r["state"] == "SIGNOFF"]
    global_states = {d["global_state"] for d in datasets if d["name"] != "online"}
    workspace_states = {s for d in datasets if d["name"] != "online" for s in d["workspace_states"].values()}
    checks.record(
        "demo data: OPEN (significant and not), SIGNOFF and COMPLETED runs; offline datasets in every workspace state",
        bool(open_significant and open_plain and completed and signoff)
        and {"OPEN", "SIGNOFF", "COMPLETED", "waiting dqm gui"} <= workspace_states,
        f"{len(runs)} runs: {len(open_significant)} OPEN significant, {len(open_plain)} OPEN not significant, "
        f"{len(signoff)} SIGNOFF, {len(completed)} COMPLETED; offline workspace states {sorted(workspace_states)}, "
        f"offline global states {sorted(global_states)}",
    )
    if not (open_significant and open_plain and completed):
        raise RuntimeError("the demo data lacks the runs the remaining checks need")
    open_sig_run = open_significant[0]["run_number"]
    open_plain_run = open_plain[0]["run_number"]
    # A short COMPLETED run with online flags, for per-LS comparisons.
    flagged = sorted((r for r in completed if online_ranges[r["run_number"]]["components"]), key=lambda r: r["lumisection_count"])
    ls_run = flagged[0]["run_number"]
    big_run = max(completed, key=lambda r: r["lumisection_count"])["run_number"]
    offline = sorted((d for d in datasets if d["name"] != "online" and dataset_ranges[(d["run_number"], d["name"])]["components"]),
                     key=lambda d: by_run[d["run_number"]]["lumisection_count"])
    ls_dataset = (offline[0]["run_number"], offline[0]["name"])

    # ---- get_run / get_runs -----------------------------------------------------------------

    def same_run(client_run, native_run):
        return (client_run["run_number"] == native_run["run_number"] and client_run["class"] == native_run["class"]
                and client_run["state"] == native_run["state"] and client_run["significant"] == native_run["significant"]
                and client_run["oms_attributes"] == native_run["oms_attributes"])

    def get_run_check(run):
        def body():
            got = quiet(rr.get_run, run)
            ok = same_run(got, by_run[run]) and "rr_attributes" not in got and "DatasetTripletCache" not in got
            ok = ok and isinstance(got.get("lumisections"), dict)
            return ok, f"run {run}: class {got.get('class')}, state {got.get('state')}, significant {got.get('significant')}"
        return body

    for run in (open_sig_run, open_plain_run, ls_run):
        checks.run(f"get_run({run}) equals the native run (class, state, significant, oms_attributes)", get_run_check(run))
    checks.run("get_run(unknown run) is {}", lambda: (quiet(rr.get_run, 1) == {}, "run 1"))

    def all_runs():
        got = quiet(rr.get_runs, filter={})
        mismatched = [g["run_number"] for g in got if g["run_number"] not in by_run or not same_run(g, by_run[g["run_number"]])]
        order = [g["run_number"] for g in got] == sorted(by_run, reverse=True)
        return (len(got) == len(runs) and not mismatched and order,
                f"{len(got)} runs, run_number descending: {order}, mismatched: {mismatched[:5]}")
    checks.run("get_runs(filter={}) equals the native run list, run_number descending", all_runs)

    def triplet_counts():
        bad = []
        for g in quiet(rr.get_runs, filter={}):
            for component in online_ranges[g["run_number"]]["components"]:
                summary = g["lumisections"].get(component, {})
                expected = ls_counts(online_ranges[g["run_number"]], component)
                if any(summary.get(s) != n for s, n in expected.items()):
                    bad.append((g["run_number"], component, summary, expected))
        return not bad, f"every run's triplet_summary counts equal its native ranges" if not bad else str(bad[:2])[:500]
    checks.run("get_runs lumisections (triplet_summary) status counts equal the native online ranges", triplet_counts)

    numbers = sorted(by_run)
    lo, hi = numbers[5], numbers[-6]

    def filtered(name, client_filter, expected, **kwargs):
        def body():
            got = sorted(r["run_number"] for r in quiet(rr.get_runs, filter=client_filter, **kwargs))
            want = sorted(expected)
            return got == want and len(want) > 0, f"{len(got)} runs, expected {len(want)}" + ("" if got == want else f": got {got[:8]} want {want[:8]}")
        checks.run(name, body)

    filtered("get_runs run_number and-range (>=, <=) equals native from/to",
             {"run_number": {"and": [{">=": lo}, {"<=": hi}]}},
             [r["run_number"] for r in native.get("/v1/runs", **{"from": lo, "to": hi, "limit": 1000})["runs"]])
    filtered("get_runs run_number and-range (>, <) equals native from+1/to-1",
             {"run_number": {"and": [{">": lo}, {"<": hi}]}},
             [r["run_number"] for r in native.get("/v1/runs", **{"from": lo + 1, "to": hi - 1, "limit": 1000})["runs"]])
    filtered("get_runs run_number or-list (scalars wrapped by the client)",
             {"run_number": {"or": [numbers[0], numbers[3], open_plain_run, 1]}}, {numbers[0], numbers[3], open_plain_run})
    for run_class in sorted({r["class"] for r in runs}):
        filtered(f"get_runs class={run_class} equals native ?class=", {"class": run_class},
                 [r["run_number"] for r in native.get("/v1/runs", **{"class": run_class, "limit": 1000})["runs"]])
    filtered("get_runs state=OPEN equals native ?state=OPEN", {"state": "OPEN"}, [r["run_number"] for r in open_runs])
    filtered('get_runs triplet "cms-cms": "GOOD" equals runs with a native GOOD cms-cms range', {"cms-cms": "GOOD"},
             [r for r in by_run if native_has_status(online_ranges[r], "cms-cms", "GOOD")])
    filtered('get_runs triplet "csc-csc": "BAD" and a run range', {"csc-csc": "BAD", "run_number": {"and": [{">=": lo}, {"<=": hi}]}},
             [r for r in by_run if lo <= r <= hi and native_has_status(online_ranges[r], "csc-csc", "BAD")])
    filtered('get_runs oms attribute hlt_key like "%PHYSICS%" (case-insensitive)', {"hlt_key": {"like": "%PHYSICS%"}},
             [r for r, v in by_run.items() if "physics" in str(v["oms_attributes"].get("hlt_key", "")).lower()])
    filtered("get_runs oms attribute energy >= 6000 (number comparison)", {"energy": {">=": 6000}},
             [r for r, v in by_run.items() if (v["oms_attributes"].get("energy") or 0) >= 6000])
    filtered("get_runs ignore_filter_transformation: run range, oms_attributes.hlt_key like, triplet_summary.dt-dt.GOOD",
             {"run_number": {"and": [{">": lo}, {"<": hi}]}, "oms_attributes.hlt_key": {"like": "%physics%"},
              "triplet_summary.dt-dt.GOOD": {">": 0}},
             [r for r, v in by_run.items() if lo < r < hi and "physics" in str(v["oms_attributes"].get("hlt_key", "")).lower()
              and native_has_status(online_ranges[r], "dt-dt", "GOOD")],
             ignore_filter_transformation=True)
    filtered("get_runs ignore_filter_transformation: rr_attributes.significant = false (boolean)",
             {"rr_attributes.significant": {"=": False}}, [r for r, v in by_run.items() if not v["significant"]],
             ignore_filter_transformation=True)
    filtered("get_runs ignore_filter_transformation: or of two rr_attributes conditions",
             {"or": [{"rr_attributes.state": {"=": "OPEN"}}, {"rr_attributes.class": {"like": "cosmics%"}}]},
             [r for r, v in by_run.items() if v["state"] == "OPEN" or v["class"].lower().startswith("cosmics")],
             ignore_filter_transformation=True)

    def not_compressed():
        got = quiet(rr.get_runs, filter={"run_number": {"and": [{">=": lo}, {"<=": hi}]}}, compress_attributes=False)
        bad = [g["run_number"] for g in got if not isinstance(g.get("DatasetTripletCache"), dict)
               or not isinstance(g["DatasetTripletCache"].get("triplet_summary"), dict)
               or g.get("rr_attributes", {}).get("state") != by_run[g["run_number"]]["state"]
               or g["rr_attributes"].get("class") != by_run[g["run_number"]]["class"]
               or g["rr_attributes"].get("significant") != by_run[g["run_number"]]["significant"]]
        return bool(got) and not bad, f"{len(got)} raw runs with rr_attributes and DatasetTripletCache.triplet_summary; bad: {bad[:5]}"
    checks.run("get_runs compress_attributes=False: raw runs with rr_attributes and non-null triplet_summary", not_compressed)

    def limited():
        got = [r["run_number"] for r in quiet(rr.get_runs, filter={}, limit=15, page_size=10)]
        return got == sorted(by_run, reverse=True)[:15], f"limit=15 over pages of 10: {len(got)} runs, the 15 latest: {got == sorted(by_run, reverse=True)[:15]}"
    checks.run("get_runs limit (paging: 0-based pages, page_size honoured, limit cuts)", limited)

    def paging():
        status, page, _ = native.request("POST", "/runs_filtered_ordered", {"page": 1, "page_size": 10, "filter": {}, "sortings": []})
        want = sorted(by_run, reverse=True)[10:20]
        got = [r["run_number"] for r in page["runs"]]
        keys = list(page.keys())
        return (status == 200 and got == want and page["count"] == len(runs) and page["pages"] == -(-len(runs) // 10)
                and keys == ["runs", "pages", "count"], f"page 1 of size 10: runs {got[:2]}…, count {page['count']}, pages {page['pages']}, keys {keys}")
    checks.run("runs_filtered_ordered page 1, page_size 10: runs 11-20, count, pages, key order runs/pages/count", paging)

    def sorted_asc():
        status, page, _ = native.request("POST", "/runs_filtered_ordered",
                                         {"page": 0, "page_size": 5, "filter": {}, "sortings": [["run_number", "ASC"]]})
        got = [r["run_number"] for r in page["runs"]]
        return got == sorted(by_run)[:5], f"sortings run_number ASC: {got}"
    checks.run("runs_filtered_ordered sortings [[run_number, ASC]]", sorted_asc)

    def unknown_run_page():
        status, page, _ = native.request("POST", "/runs_filtered_ordered",
                                         {"page": 0, "page_size": 50, "filter": {"run_number": {"=": 1}}, "sortings": []})
        return status == 200 and page == {"runs": [], "count": 0, "pages": 0}, f"{status} {page}"
    checks.run('runs_filtered_ordered for an unknown run answers 200 {"runs": [], "count": 0, "pages": 0}', unknown_run_page)

    checks.expect_error("get_runs unknown filter attribute (rr_attributes.no_such_attribute) is an error naming it",
                        lambda: quiet(rr.get_runs, filter={"rr_attributes.no_such_attribute": {"=": 1}}), "no_such_attribute")
    checks.expect_error("get_runs unknown filter attribute (oms_attributes.bogus, raw) is an error naming it",
                        lambda: quiet(rr.get_runs, filter={"oms_attributes.bogus": {"=": 1}}, ignore_filter_transformation=True), "bogus")
    checks.expect_error("get_runs unknown operator is an error naming it",
                        lambda: quiet(rr.get_runs, filter={"run_number": {"~~": 1}}, ignore_filter_transformation=True), "~~")
    checks.expect_error("get_runs unknown triplet component is an error naming it",
                        lambda: quiet(rr.get_runs, filter={"triplet_summary.nosuch-comp.GOOD": {">": 0}}), "nosuch-comp")

    # ---- get_dataset / get_datasets ---------------------------------------------------------

    def same_dataset(got, native_dataset):
        attributes = got.get("dataset_attributes", {})
        run = by_run[native_dataset["run_number"]]
        ok = (got["run_number"] == native_dataset["run_number"] and got["name"] == native_dataset["name"]
              and attributes.get("global_state") == native_dataset["global_state"]
              and all(attributes.get(f"{ws}_state") == s for ws, s in native_dataset["workspace_states"].items())
              and got.get("class") == run["class"] and got.get("state") == run["state"])
        return ok

    def get_dataset_check(key):
        def body():
            got = quiet(rr.get_dataset, key[0], key[1])
            ok = same_dataset(got, by_key[key]) and "Run" not in got and "DatasetTripletCache" not in got
            ok = ok and isinstance(got.get("lumisections"), dict)
            return ok, f"{key}: global_state {got.get('dataset_attributes', {}).get('global_state')}, class {got.get('class')}"
        return body

    for state in ("OPEN", "SIGNOFF", "COMPLETED", "waiting dqm gui"):
        sample = next((d for d in datasets if d["name"] != "online" and d["global_state"] == state), None)
        sample = sample or next((d for d in datasets if d["name"] != "online" and state in d["workspace_states"].values()), None)
        if sample:
            checks.run(f"get_dataset of a dataset with a {state} state equals the native dataset (workspace states, run class)",
                       get_dataset_check((sample["run_number"], sample["name"])))
    checks.run("get_dataset(run, 'online') equals the native online dataset", get_dataset_check((ls_run, "online")))
    checks.run("get_dataset(unknown pair) is {}", lambda: (quiet(rr.get_dataset, 1, "/No/Such/DQM") == {}, "run 1"))

    def datasets_filtered(name, client_filter, expected, **kwargs):
        def body():
            got = sorted((d["run_number"], d["name"]) for d in quiet(rr.get_datasets, filter=client_filter, **kwargs))
            want = sorted(expected)
            return got == want and len(want) > 0, f"{len(got)} datasets, expected {len(want)}" + (
                "" if got == want else f": extra {sorted(set(got) - set(want))[:3]} missing {sorted(set(want) - set(got))[:3]}")
        checks.run(name, body)

    def all_datasets():
        got = quiet(rr.get_datasets, filter={})
        mismatched = [(g["run_number"], g["name"]) for g in got
                      if (g["run_number"], g["name"]) not in by_key or not same_dataset(g, by_key[(g["run_number"], g["name"])])]
        order = [(g["run_number"], g["name"]) for g in got] == sorted(by_key, key=lambda k: (-k[0], k[1]))
        return len(got) == len(datasets) and not mismatched and order, (
            f"{len(got)} datasets, run_number DESC then name ASC: {order}, mismatched: {mismatched[:3]}")
    checks.run("get_datasets(filter={}) equals the native dataset list, default order", all_datasets)
    datasets_filtered('get_datasets dataset_name like "%prompt%" (case-insensitive)', {"dataset_name": {"like": "%prompt%"}},
                      [k for k in by_key if "prompt" in k[1].lower()])
    for state in ("OPEN", "SIGNOFF", "COMPLETED", "waiting dqm gui"):
        datasets_filtered(f"get_datasets global_state={state!r} equals native", {"global_state": state},
                          [k for k, d in by_key.items() if d["global_state"] == state])
    datasets_filtered("get_datasets tracker_state=OPEN and run_number range", {"tracker_state": "OPEN", "run_number": {"and": [{">=": lo}, {"<=": hi}]}},
                      [k for k, d in by_key.items() if d["workspace_states"].get("tracker") == "OPEN" and lo <= k[0] <= hi])
    datasets_filtered("get_datasets tracker_state=SIGNOFF equals native", {"tracker_state": "SIGNOFF"},
                      [k for k, d in by_key.items() if d["workspace_states"].get("tracker") == "SIGNOFF"])
    datasets_filtered('get_datasets triplet "tracker-strip": "GOOD" equals datasets with a native GOOD range', {"tracker-strip": "GOOD"},
                      [k for k in by_key if native_has_status(dataset_ranges[k], "tracker-strip", "GOOD")])
    datasets_filtered('get_datasets triplet "tracker-pix" (the client\'s alias of tracker-pixel): "GOOD"', {"tracker-pix": "GOOD"},
                      [k for k in by_key if native_has_status(dataset_ranges[k], "tracker-pixel", "GOOD")])
    datasets_filtered("get_datasets scalar equality {run_number: N, name: ...} (sent raw by the client)",
                      {"run_number": ls_dataset[0], "dataset_name": ls_dataset[1]}, [ls_dataset])
    datasets_filtered("get_datasets class like + dataset_name like + global_state like (the client's custom-filter test shape)",
                      {"dataset_name": {"like": "%/PromptReco/Collisions2024%"}, "class": {"like": "collisions24"},
                       "global_state": {"like": "completed"}, "run_number": {"and": [{">=": lo}, {"<=": hi}]}},
                      [k for k, d in by_key.items() if k[1].startswith("/PromptReco/Collisions2024") and by_run[k[0]]["class"] == "Collisions24"
                       and d["global_state"] == "COMPLETED" and lo <= k[0] <= hi])
    datasets_filtered("get_datasets ignore_filter_transformation: nested and/or (the client's raw-filter test shape)",
                      {"and": [{"run_number": {"and": [{">=": lo}, {"<=": hi}]}}], "name": {"and": [{"<>": "online"}]},
                       "dataset_attributes.global_state": {"and": [{"or": [{"=": "OPEN"}, {"=": "SIGNOFF"}, {"=": "COMPLETED"}]}]}},
                      [k for k, d in by_key.items() if lo <= k[0] <= hi and k[1] != "online" and d["global_state"] in ("OPEN", "SIGNOFF", "COMPLETED")],
                      ignore_filter_transformation=True)

    def datasets_raw():
        got = quiet(rr.get_datasets, filter={"run_number": {"and": [{">=": lo}, {"<=": hi}]}}, compress_attributes=False)
        bad = [(g["run_number"], g["name"]) for g in got if not isinstance(g.get("Run", {}).get("rr_attributes"), dict)
               or g["Run"]["rr_attributes"].get("class") != by_run[g["run_number"]]["class"]
               or not isinstance(g.get("DatasetTripletCache", {}).get("triplet_summary"), dict)]
        compressed = quiet(rr.get_datasets, filter={"run_number": {"and": [{">=": lo}, {"<=": hi}]}})
        no_run = all("Run" not in c and "DatasetTripletCache" not in c for c in compressed)
        return bool(got) and not bad and no_run and len(compressed) == len(got), (
            f"{len(got)} raw datasets carry Run.rr_attributes and triplet_summary (bad {bad[:3]}); compressed ones have no Run key: {no_run}")
    checks.run("get_datasets compress_attributes on/off: raw has Run.rr_attributes and triplet_summary, compressed has no Run", datasets_raw)

    def datasets_limit():
        got = quiet(rr.get_datasets, filter={"dataset_name": {"like": "%"}}, limit=5, page_size=2)
        want = sorted(by_key, key=lambda k: (-k[0], k[1]))[:5]
        return [(d["run_number"], d["name"]) for d in got] == want, f"limit=5 over pages of 2: {len(got)} datasets"
    checks.run("get_datasets limit (paging with page_size 2)", datasets_limit)

    def dataset_triplet_counts():
        got = quiet(rr.get_dataset, ls_dataset[0], ls_dataset[1])
        bad = [c for c in dataset_ranges[ls_dataset]["components"]
               if any(got["lumisections"].get(c, {}).get(s) != n for s, n in ls_counts(dataset_ranges[ls_dataset], c).items())]
        return not bad, f"{ls_dataset}: {len(dataset_ranges[ls_dataset]['components'])} components; mismatched {bad[:3]}"
    checks.run("get_dataset lumisections (triplet_summary) counts equal the native dataset ranges", dataset_triplet_counts)

    checks.expect_error("get_datasets unknown attribute (raw dataset_attributes.bogus_state) is an error naming it",
                        lambda: quiet(rr.get_datasets, filter={"dataset_attributes.bogus_state": {"=": "OPEN"}}, ignore_filter_transformation=True),
                        "bogus_state")

    def names_of_run(run):
        def body():
            got = quiet(rr.get_dataset_names_of_run, run)
            return sorted(got) == sorted(by_run[run]["datasets"]), f"run {run}: {got}"
        return body
    checks.run(f"get_dataset_names_of_run({big_run}) equals the native run's datasets", names_of_run(big_run))
    checks.run(f"get_dataset_names_of_run({open_plain_run}) (OPEN run) equals the native run's datasets", names_of_run(open_plain_run))

    # ---- lumisections ------------------------------------------------------------------------

    def lumisection_checks(run, dataset):
        label = f"run {run} {dataset}"
        count = by_run[run]["lumisection_count"]
        per_ls = native.ranges(run, dataset, per_ls=True)["components"]
        expected_rr = [{c: triplet(per_ls[c][i]) for c in per_ls} for i in range(count)]

        def rr_lumisections():
            got = quiet(rr.get_lumisections, run, dataset)
            rows = [{c: triplet(v) for c, v in row.items()} for row in got]
            return rows == expected_rr, f"{label}: {len(got)} LS x {len(per_ls)} components; {first_diff(rows, expected_rr)}"
        checks.run(f"get_lumisections({label}) per LS equals the native ranges expanded", rr_lumisections)

        def rr_ranges():
            got = quiet(rr.get_lumisection_ranges, run, dataset)
            rows = expand(got)
            if rows is None:
                return False, f"{label}: ranges not contiguous from LS 1: {str(got)[:300]}"
            rows = [{c: triplet(v) for c, v in row.items()} for row in rows]
            return rows == expected_rr and maximal(got), f"{label}: {len(got)} ranges, maximal {maximal(got)}; {first_diff(rows, expected_rr)}"
        checks.run(f"get_lumisection_ranges({label}) expanded equals the native per-LS flags", rr_ranges)

        def by_component():
            got = quiet(rr.get_lumisection_ranges_by_component, run, dataset)
            if not isinstance(got, dict) or set(got) != set(per_ls):
                return False, f"{label}: components {sorted(got)[:5] if isinstance(got, dict) else got}"
            bad = []
            for c, ranges in got.items():
                rows = expand(ranges)
                if rows is None or [triplet(r) for r in rows] != [triplet(v) for v in per_ls[c]]:
                    bad.append(c)
            return not bad, f"{label}: {len(got)} components; mismatched {bad[:3]}"
        checks.run(f"get_lumisection_ranges_by_component({label}) equals the native ranges per component", by_component)
        return expected_rr

    expected_rr = lumisection_checks(ls_run, "online")
    lumisection_checks(ls_dataset[0], ls_dataset[1])

    oms = native.get(f"/v1/runs/{ls_run}/oms", per_ls="true")
    count = by_run[ls_run]["lumisection_count"]
    expected_bits = [{} for _ in range(count)]
    for bit, ranges in oms["bits"].items():
        for r in ranges:
            for ls in range(r["start"], r["end"] + 1):
                expected_bits[ls - 1][bit] = r["value"]
    expected_oms = [dict(row, recorded=oms["recorded"][i], delivered=oms["delivered"][i]) for i, row in enumerate(expected_bits)]

    def oms_lumisections():
        got = quiet(rr.get_oms_lumisections, ls_run)
        return got == expected_oms, f"run {ls_run}: {len(got)} LS, {len(oms['bits'])} bits + recorded/delivered; {first_diff(got, expected_oms)}"
    checks.run(f"get_oms_lumisections({ls_run}) per LS equals the native OMS bits and luminosity", oms_lumisections)

    def oms_ranges():
        got = quiet(rr.get_oms_lumisection_ranges, ls_run)
        rows = expand(got)
        return rows == expected_bits and maximal(got), f"run {ls_run}: {len(got)} ranges without recorded/delivered; {first_diff(rows or [], expected_bits)}"
    checks.run(f"get_oms_lumisection_ranges({ls_run}) expanded equals the native OMS bits", oms_ranges)

    def joint_ranges():
        got = quiet(rr.get_joint_lumisection_ranges, ls_run)
        rows = expand(got)
        want = [dict(expected_oms[i], **{c: {"status": t[0], "comment": t[1], "cause": t[2]} for c, t in expected_rr[i].items()})
                for i in range(count)]
        if rows is None:
            return False, f"not contiguous: {str(got)[:300]}"
        norm = [{k: ({"status": v["status"], "comment": v.get("comment", ""), "cause": v.get("cause", "")} if isinstance(v, dict) else v)
                 for k, v in row.items()} for row in rows]
        return norm == want, f"run {ls_run}: {len(got)} ranges over {count} LS; {first_diff(norm, want)}"
    checks.run(f"get_joint_lumisection_ranges({ls_run}) expanded equals OMS bits + luminosity + RR flags per LS", joint_ranges)

    def big_lumisections():
        got = quiet(rr.get_lumisections, big_run)
        return len(got) == by_run[big_run]["lumisection_count"], f"run {big_run}: {len(got)} LS"
    checks.run(f"get_lumisections of the longest run ({big_run}) has one row per LS", big_lumisections)

    def missing_dataset():
        got = quiet(rr.get_lumisections, ls_run, "/No/Such/DQM")
        return isinstance(got, dict) and "err" in got, f"{got}"
    checks.run('get_lumisections of an unknown dataset returns the {"err": ...} answer', missing_dataset)

    # ---- create_json ------------------------------------------------------------------------

    logic = {"and": [
        {"==": [{"var": "lumisection.rr.dt-dt"}, "GOOD"]},
        {"==": [{"var": "lumisection.rr.tracker-strip"}, "GOOD"]},
        {"==": [{"var": "lumisection.oms.cms_active"}, True]},
        {">=": [{"var": "run.oms.energy"}, 6000]},
    ]}
    name_filter = "/PromptReco/Collisions2024%/DQM"

    class SleepCounter:
        """Stands in for the client's `time` module: counts the sleeps between polls (15 s each)."""

        def __init__(self):
            self.sleeps = 0

        def sleep(self, seconds):
            self.sleeps += 1
            time.sleep(min(seconds, 0.5))

        def __getattr__(self, name):
            return getattr(time, name)

    def polled_create_json(*args):
        counter, real = SleepCounter(), rr.time
        rr.time = counter
        try:
            started = time.monotonic()
            got = quiet(rr.create_json, *args)
            return got, time.monotonic() - started, counter.sleeps
        finally:
            rr.time = real

    def create_json():
        got, elapsed, sleeps = polled_create_json(logic, name_filter)
        status, golden, _ = native.request("POST", "/v1/golden", {"rule": logic, "dataset_filter": name_filter}, params={"format": "json"})
        same = status == 200 and got["generated_json"] == golden
        runs_in = len(golden) if isinstance(golden, dict) else 0
        return same and sleeps == 0 and runs_in > 0, (
            f"{elapsed:.2f} s, {sleeps} polls that slept, {runs_in} runs, equal to POST /v1/golden?format=json: {same}")
    checks.run("create_json generated_json equals POST /v1/golden (same rule and filter), answered 200 at the first poll", create_json)

    def create_golden_era():
        with open(os.path.join(ROOT, "projections", "golden-collisions.json")) as f:
            definition = json.load(f)
        got, elapsed, sleeps = polled_create_json(definition["rule"], definition["dataset_name_filter"])
        golden = native.get("/v1/golden", projection="golden-collisions", format="json")
        same = got["generated_json"] == golden
        return same and sleeps == 0, (
            f"{definition['dataset_name_filter']}: {len(golden)} runs in {elapsed:.2f} s, {sleeps} polls that slept, "
            f"equal to GET /v1/golden?projection=golden-collisions: {same}")
    checks.run("create_json of the whole golden-collisions definition (every era) equals GET /v1/golden, at the first poll", create_golden_era)

    def create_json_string_logic():
        got = quiet(rr.create_json, json.dumps(logic), "/Express/Collisions2024/DQM")
        status, golden, _ = native.request("POST", "/v1/golden", {"rule": logic, "dataset_filter": "/Express/Collisions2024/DQM"}, params={"format": "json"})
        keys = {"id", "generated_json", "json_logic", "dataset_name_filter"} <= set(got)
        return got["generated_json"] == golden and keys, f"string logic, Express: {len(golden)} runs; record keys present: {keys}"
    checks.run("create_json with json_logic as a string, another filter, equals POST /v1/golden", create_json_string_logic)

    checks.expect_error("create_json whose filter matches nothing raises with the server's message (generate answers an id)",
                        lambda: quiet(rr.create_json, logic, "/No/Such%/DQM"), "No datasets matched")

    def generate_error_has_id():
        status, answer, _ = native.request("POST", "/json_portal/generate", {"json_logic": "{}", "dataset_name_filter": name_filter})
        return status != 200 and "id" in answer and "err" in answer, f"{status} {answer}"
    checks.run("json_portal/generate answers id and err on error (empty logic)", generate_error_has_id)

    # ---- cycles, datasets accepted ------------------------------------------------------------

    def cycles():
        got = quiet(rr.get_cycles)
        keys_ok = all({"id_cycle", "cycle_name", "cycle_attributes", "deadline", "datasets"} <= set(c) for c in got)
        bad = []
        for c in got:
            members = sorted((d["run_number"], d["name"]) for d in c["datasets"])
            want = sorted(k for k, d in by_key.items() if c["id_cycle"] in d.get("cycles", []))
            if members != want:
                bad.append((c["id_cycle"], len(members), len(want)))
        with_members = sum(1 for c in got if c["datasets"])
        return len(got) > 0 and keys_ok and not bad and with_members > 0, (
            f"{len(got)} cycles, {with_members} with member datasets, keys present: {keys_ok}; membership mismatches {bad[:3]}")
    checks.run("get_cycles: cycles with id_cycle, cycle_name, cycle_attributes, deadline, datasets = native dataset cycles", cycles)

    def accepted():
        got = quiet(rr.get_datasets_accepted)
        keys_ok = all({"id", "name", "regexp", "class"} <= set(a) for a in got)
        matched = []
        for a in got:
            pattern = re.compile(a["regexp"])
            hit = [k for k, d in by_key.items() if k[1] == a["name"]
                   and (a.get("run_from") is None or k[0] >= a["run_from"]) and (a.get("run_to") is None or k[0] <= a["run_to"])
                   and any(pattern.search(g) for g in d.get("datasets_in_gui", []))]
            if hit:
                matched.append(a["name"])
        return len(got) > 0 and keys_ok and matched, f"{len(got)} rules with id, name, regexp, class: {keys_ok}; {len(matched)} match demo datasets' GUI names"
    checks.run("get_datasets_accepted: rules with id, name, regexp, class whose patterns match demo datasets", accepted)

    # ---- writes -----------------------------------------------------------------------------

    def actor_of(stream):
        event = native.last_event(stream)
        return (event or {}).get("actor"), (event or {}).get("reason")

    viewer_headers = {"email": "viewer@demo", "egroups": "cms-nobody"}
    original_headers = rr._get_headers

    def as_viewer(function, *args, **kwargs):
        def headers(token=""):
            h = original_headers(token)
            h.update({"email": "viewer@demo", "egroups": "cms-nobody"})
            return h
        rr._get_headers = headers
        try:
            return quiet(function, *args, **kwargs)
        finally:
            rr._get_headers = original_headers

    # Permission denials first, before any state changes: 401, the e-group message, nothing appended.
    waiting = next(d for d in datasets if d["global_state"] == "waiting dqm gui")
    head_before = native.head()
    denials = [
        ("make_significant_runs", lambda: as_viewer(rr.make_significant_runs, run=open_plain_run)),
        ("move_runs", lambda: as_viewer(rr.move_runs, "OPEN", "SIGNOFF", run=open_sig_run)),
        ("move_datasets", lambda: as_viewer(rr.move_datasets, "waiting dqm gui", "OPEN", waiting["name"], workspace="global", run=waiting["run_number"])),
        ("edit_rr_lumisections (LS 0: the permission check comes before validation)",
         lambda: as_viewer(rr.edit_rr_lumisections, open_sig_run, 0, 1, "castor-castor", "GOOD")),
        ("change_run_class", lambda: as_viewer(rr.change_run_class, [open_plain_run], "Commissioning24")),
    ]
    for name, call in denials:
        checks.expect_error(f"permission denial: {name} as viewer@demo raises with 401 and the e-group message", call, "401", EGROUP_MESSAGE)
    status, answer, headers = native.request("POST", "/runs/mark_significant", {"run_number": open_plain_run}, headers=viewer_headers)
    checks.record("permission denial over urllib: 401, JSON body with the e-group message",
                  status == 401 and EGROUP_MESSAGE in json.dumps(answer) and "json" in headers.get("Content-Type", ""), f"{status} {answer}")
    checks.record("permission denials appended nothing", native.head() == head_before, f"head {head_before} → {native.head()}")

    # make_significant_runs
    def significant():
        got = quiet(rr.make_significant_runs, run=open_plain_run)
        after = native.get(f"/v1/runs/{open_plain_run}")["run"]
        actor, _ = actor_of(f"run/{open_plain_run}")
        return (len(got) == 1 and got[0]["rr_attributes"]["significant"] is True and after["significant"] is True and actor == "api@api",
                f"run {open_plain_run}: answer significant {got[0]['rr_attributes']['significant']}, native {after['significant']}, actor {actor}")
    checks.run("make_significant_runs(OPEN run): 200, native significant, actor api@api", significant)
    checks.expect_error("make_significant_runs(already significant run) raises 'Run is already significant'",
                        lambda: quiet(rr.make_significant_runs, runs=[open_sig_run]), "Run is already significant")
    checks.expect_error("make_significant_runs(COMPLETED run) raises 'Run must be in state OPEN'",
                        lambda: quiet(rr.make_significant_runs, run=ls_run), "Run must be in state OPEN")

    # refreshes: body-less POSTs with Content-type: application/json
    def refresh(function, runs_arg):
        def body():
            head = native.head()
            got = quiet(function, runs=runs_arg)
            numbers_ = [runs_arg] if isinstance(runs_arg, int) else runs_arg
            ok = [g["run_number"] for g in got] == numbers_ and all(g["rr_attributes"]["state"] == "OPEN" for g in got)
            ok = ok and all(g["rr_attributes"]["class"] == by_run[g["run_number"]]["class"] for g in got)
            return ok, f"{len(got)} runs answered 200 with Run + DatasetTripletCache; head {head} → {native.head()}"
        return body
    checks.run("manually_refresh_components_statuses_for_runs(OPEN run) answers the run", refresh(rr.manually_refresh_components_statuses_for_runs, open_sig_run))
    checks.run("reset_RR_attributes_and_refresh_runs([OPEN runs]) answers the runs", refresh(rr.reset_RR_attributes_and_refresh_runs, [open_sig_run, open_plain_run]))
    checks.expect_error("manually_refresh_components_statuses_for_runs(COMPLETED run) raises 'Run must be in state OPEN'",
                        lambda: quiet(rr.manually_refresh_components_statuses_for_runs, runs=ls_run), "Run must be in state OPEN")
    checks.expect_error("reset_RR_attributes_and_refresh_runs(SIGNOFF run) raises 'Run must be in state OPEN'",
                        lambda: quiet(rr.reset_RR_attributes_and_refresh_runs, runs=signoff[0]["run_number"]), "Run must be in state OPEN")

    # change_run_class
    def change_class():
        got = quiet(rr.change_run_class, open_plain_run, "Commissioning24")
        after = native.get(f"/v1/runs/{open_plain_run}")["run"]
        actor, _ = actor_of(f"run/{open_plain_run}")
        client_view = quiet(rr.get_run, open_plain_run)
        return (got[0]["rr_attributes"]["class"] == "Commissioning24" and after["class"] == "Commissioning24"
                and client_view["class"] == "Commissioning24" and actor == "api@api",
                f"run {open_plain_run}: answer {got[0]['rr_attributes']['class']}, native {after['class']}, get_run {client_view['class']}, actor {actor}")
    checks.run("change_run_class(OPEN run): native class changed, visible to get_run, actor api@api", change_class)

    # edit_rr_lumisections, online and offline
    def edit_online():
        run = open_sig_run
        got = quiet(rr.edit_rr_lumisections, run, 10, 20, "dt-dt", "BAD", comment="compat check: HV trip", cause="compat")
        per_ls = native.ranges(run, "online", per_ls=True)["components"]["dt-dt"]
        native_ok = all(triplet(per_ls[ls - 1]) == ("BAD", "compat check: HV trip", "compat") for ls in range(10, 21))
        native_ok = native_ok and triplet(per_ls[8]) != ("BAD", "compat check: HV trip", "compat")
        client_rows = quiet(rr.get_lumisections, run)
        client_ok = [triplet(client_rows[i]["dt-dt"])[0] for i in range(9, 20)] == ["BAD"] * 11
        actor, _ = actor_of(f"dataset/{run}/online")
        shape = {"version", "run_number", "name", "manual_change"} <= set(got) and got["manual_change"] is True
        return native_ok and client_ok and actor == "api@api" and shape, (
            f"run {run} dt-dt LS 10-20 BAD: native {native_ok}, get_lumisections {client_ok}, actor {actor}, answer keys {sorted(got)}")
    checks.run("edit_rr_lumisections(online, LS 10-20 BAD): native per-LS flags, get_lumisections, actor api@api", edit_online)

    checks.expect_error("edit_rr_lumisections BAD without a comment raises the domain's message",
                        lambda: quiet(rr.edit_rr_lumisections, open_sig_run, 30, 31, "dt-dt", "BAD"), "comment")
    checks.expect_error("edit_rr_lumisections on a COMPLETED run's online flags raises 'Run must be in state OPEN'",
                        lambda: quiet(rr.edit_rr_lumisections, ls_run, 1, 2, "dt-dt", "GOOD"), "Run must be in state OPEN")
    checks.expect_error("change_run_class of a COMPLETED run raises 'Run must be in state OPEN'",
                        lambda: quiet(rr.change_run_class, [ls_run], "Commissioning24"), "Run must be in state OPEN")

    open_offline = next((d for d in datasets if d["name"] != "online" and d["workspace_states"].get("tracker") == "OPEN"), None)

    def edit_offline():
        run, name = open_offline["run_number"], open_offline["name"]
        quiet(rr.edit_rr_lumisections, run, 1, 3, "tracker-strip", "STANDBY", comment="compat", dataset_name=name)
        per_ls = native.ranges(run, name, per_ls=True)["components"]["tracker-strip"]
        actor, _ = actor_of(f"dataset/{run}/{name}")
        ok = all(triplet(per_ls[i])[0] == "STANDBY" for i in range(3)) and actor == "api@api"
        return ok, f"{run} {name} tracker-strip LS 1-3 STANDBY: {[triplet(per_ls[i])[0] for i in range(3)]}, actor {actor}"
    if open_offline:
        checks.run("edit_rr_lumisections(offline dataset, tracker OPEN): native per-LS flags, actor api@api", edit_offline)
    else:
        checks.record("edit_rr_lumisections(offline dataset)", False, "the demo data has no dataset with tracker OPEN")

    # move_runs OPEN → SIGNOFF → OPEN (the backward move needs the default reason)
    def move_runs():
        run = open_sig_run
        forward = quiet(rr.move_runs, "OPEN", "SIGNOFF", run=run)
        state_after = native.get(f"/v1/runs/{run}")["run"]["state"]
        actor, reason = actor_of(f"run/{run}")
        back = quiet(rr.move_runs, "SIGNOFF", "OPEN", runs=[run])
        final = native.get(f"/v1/runs/{run}")["run"]["state"]
        actor2, reason2 = actor_of(f"run/{run}")
        ok = (forward[0]["rr_attributes"]["state"] == "SIGNOFF" and state_after == "SIGNOFF" and back[0]["rr_attributes"]["state"] == "OPEN"
              and final == "OPEN" and actor == actor2 == "api@api" and "move_run" in (reason or "") and "move_run" in (reason2 or ""))
        return ok, f"run {run}: SIGNOFF {state_after}, back {final}, actor {actor}/{actor2}, reasons {reason!r} / {reason2!r}"
    checks.run("move_runs OPEN→SIGNOFF→OPEN: native states, actor api@api, default reasons naming the route", move_runs)

    # move_datasets: global waiting dqm gui → OPEN opens every waiting workspace; a workspace move and back
    def move_waiting():
        run, name = waiting["run_number"], waiting["name"]
        got = quiet(rr.move_datasets, "waiting dqm gui", "OPEN", name, workspace="global", run=run)
        after = native.get(f"/v1/runs/{run}/dataset", name=name)["dataset"]
        was_waiting = [ws for ws, s in waiting["workspace_states"].items() if s == "waiting dqm gui"]
        opened = all(after["workspace_states"][ws] == "OPEN" for ws in was_waiting)
        actor, reason = actor_of(f"dataset/{run}/{name}")
        ok = (got[0]["dataset_attributes"]["global_state"] == "OPEN" and after["global_state"] == "OPEN" and opened
              and actor == "api@api" and "move_dataset" in (reason or ""))
        return ok, f"{run} {name}: global {after['global_state']}, {len(was_waiting)} waiting workspaces opened: {opened}, actor {actor}, reason {reason!r}"
    checks.run("move_datasets(global, waiting dqm gui→OPEN) opens every waiting workspace; actor api@api", move_waiting)

    def move_workspace():
        run, name = open_offline["run_number"], open_offline["name"]
        got = quiet(rr.move_datasets, "OPEN", "SIGNOFF", name, workspace="tracker", run=run)
        mid = native.get(f"/v1/runs/{run}/dataset", name=name)["dataset"]["workspace_states"]["tracker"]
        back = quiet(rr.move_datasets, "SIGNOFF", "OPEN", name, workspace="tracker", runs=[run])
        final = native.get(f"/v1/runs/{run}/dataset", name=name)["dataset"]["workspace_states"]["tracker"]
        actor, reason = actor_of(f"dataset/{run}/{name}")
        ok = (got[0]["dataset_attributes"]["tracker_state"] == "SIGNOFF" and mid == "SIGNOFF" and back[0]["dataset_attributes"]["tracker_state"] == "OPEN"
              and final == "OPEN" and actor == "api@api" and "move_dataset" in (reason or ""))
        return ok, f"{run} {name} tracker: {mid} then {final}, actor {actor}, reason {reason!r}"
    if open_offline:
        checks.run("move_datasets(tracker, OPEN→SIGNOFF→OPEN): native workspace state, Dataset+Run+cache answer", move_workspace)

    def reads_after_writes():
        got = quiet(rr.get_runs, filter={"state": "OPEN"})
        want = sorted(r["run_number"] for r in native.get("/v1/runs", state="OPEN", limit=1000)["runs"])
        return sorted(r["run_number"] for r in got) == want, f"OPEN runs after the writes: {want}"
    checks.run("get_runs after the writes equals the native API again", reads_after_writes)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.environ.get("RUNLEDGER_BIN", os.path.join(ROOT, ".build", "debug", "runledger")))
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory and server log")
    args = parser.parse_args()
    ensure_venv()

    started = time.monotonic()
    if not os.access(args.binary, os.X_OK):
        print(f"compat: {args.binary} is missing; build it with `swift build --product runledger`", file=sys.stderr)
        return 2
    checks = Checks()
    server = Server(args.binary, args.keep)
    try:
        base = server.start()
        checks.record("server started", True, f"{base} after {time.monotonic() - started:.1f} s")
        prove(base, checks)
    except Exception as e:  # noqa: BLE001
        checks.record("the proof ran to the end", False, f"{type(e).__name__}: {e}\n{traceback.format_exc()}")
    finally:
        problem = server.stop()
        checks.record("server stopped on SIGTERM within 20 s", problem is None, problem or "")
    elapsed = time.monotonic() - started
    print(f"compat: {checks.passed} passed, {len(checks.failed)} failed in {elapsed:.1f} s")
    if checks.failed:
        print("compat: failed: " + "; ".join(checks.failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
