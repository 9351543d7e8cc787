#!/usr/bin/env python3
"""Opens `scour compare`'s HTML reports in headless Chromium and checks what is rendered.

Builds a small index of the home corpus, writes two reports (three rankers against a baseline;
a k1 x b sweep with cross-validation), loads each in Chromium through the DevTools protocol and
checks: every chart's SVG is present with a non-zero rendered size, the summary table shows each
system's means as the JSON output gives them, no console error or exception, no script and no
network request; then saves a full-page screenshot next to the reports.

Exit 77 (ctest SKIP_RETURN_CODE) with a message when Chromium or the Python websocket client
(Debian: chromium, python3-websocket; scripts/install-deps.sh installs them) is missing.
Usage: html_browser_test.py SCOUR_BINARY SOURCE_DIR OUT_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

SKIP = 77


def skip(msg):
    print("SKIP: " + msg)
    sys.exit(SKIP)


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        fail("%s exited %d:\n%s%s" % (" ".join(cmd), p.returncode, p.stdout, p.stderr))
    return p.stdout


class Page:
    """A minimal DevTools-protocol client for one page."""

    def __init__(self, ws_url):
        import websocket  # python3-websocket
        self.ws = websocket.create_connection(ws_url, timeout=60)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg:
                    fail("%s: %s" % (method, msg["error"]))
                return msg.get("result", {})
            self.events.append(msg)

    def wait_event(self, name, timeout=60):
        deadline = time.time() + timeout
        for e in self.events:
            if e.get("method") == name:
                return e
        while time.time() < deadline:
            msg = json.loads(self.ws.recv())
            self.events.append(msg)
            if msg.get("method") == name:
                return msg
        fail("no %s within %ds" % (name, timeout))

    def errors(self):
        out = []
        for e in self.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.exceptionThrown":
                out.append("exception: %s" % p.get("exceptionDetails", {}).get("text"))
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append("console.%s: %s" % (p.get("type"), p.get("args")))
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append("log: %s" % p["entry"].get("text"))
        return out


PROBE = r"""(() => {
  const charts = [...document.querySelectorAll('svg.chart, svg.ci')].map(s => {
    const r = s.getBoundingClientRect();
    return {cls: s.getAttribute('class'), w: r.width, h: r.height,
            marks: s.querySelectorAll('rect, circle, path, line').length};
  });
  const rows = [...document.querySelectorAll('table.summary tbody tr')].map(
      tr => [...tr.cells].map(td => td.innerText.trim()));
  const heads = [...document.querySelectorAll('table.summary thead th')].map(
      th => th.innerText.trim());
  return JSON.stringify({charts, rows, heads, scripts: document.scripts.length,
      resources: performance.getEntriesByType('resource').map(e => e.name),
      text: document.body.innerText,
      width: document.documentElement.scrollWidth,
      height: document.documentElement.scrollHeight});
})()"""


def check_report(browser_port, html, report_json, expect, png):
    targets = json.load(urllib.request.urlopen("http://127.0.0.1:%d/json/list" % browser_port))
    pages = [t for t in targets if t.get("type") == "page"]
    if not pages:
        fail("no page target")
    page = Page(pages[0]["webSocketDebuggerUrl"])
    page.call("Page.enable")
    page.call("Runtime.enable")
    page.call("Log.enable")
    page.call("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1,
              mobile=False)
    page.events.clear()
    page.call("Page.navigate", url="file://" + os.path.abspath(html))
    page.wait_event("Page.loadEventFired")
    time.sleep(0.3)  # let late console messages arrive
    res = page.call("Runtime.evaluate", expression=PROBE, returnByValue=True)
    probe = json.loads(res["result"]["value"])
    problems = []
    errors = page.errors()
    if errors:
        problems.append("console errors: %s" % errors)
    if probe["scripts"]:
        problems.append("%d script element(s): the report must not need JavaScript" %
                        probe["scripts"])
    if probe["resources"]:
        problems.append("network requests: %s" % probe["resources"])
    for cls, minimum in expect.items():
        found = [c for c in probe["charts"] if cls in c["cls"].split()]
        if len(found) < minimum:
            problems.append("expected >= %d svg.%s, found %d" % (minimum, cls, len(found)))
        for c in found:
            if not (c["w"] > 0 and c["h"] > 0):
                problems.append("svg.%s has size %sx%s" % (cls, c["w"], c["h"]))
            if c["marks"] == 0:
                problems.append("svg.%s draws nothing" % cls)
    # The summary table shows every system's means as the JSON output has them.
    heads = probe["heads"]
    rows = {r[0].split(" ")[0] if not r[0].startswith("(") else r[0].split(" ")[1]: r
            for r in probe["rows"]}
    for sysobj in report_json["systems"]:
        name = sysobj["name"]
        if name not in rows:
            problems.append("system %s not in the summary table (rows: %s)" % (name, list(rows)))
            continue
        for measure, value in sysobj["means"].items():
            col = heads.index(measure)
            cell = rows[name][col]
            want = "%.4f" % value
            if not cell.startswith(want):
                problems.append("%s %s: table shows %r, JSON %s" % (name, measure, cell, want))
    if "Parameters and tests" not in probe["text"]:
        problems.append("no parameters section")
    for name, _ in report_json["parameters"].items():
        if name not in probe["text"]:
            problems.append("parameter %r not shown" % name)
    # Full-page screenshot for a person to look at.
    shot = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                     clip={"x": 0, "y": 0, "width": probe["width"], "height": probe["height"],
                           "scale": 1})
    import base64
    with open(png, "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    page.ws.close()
    if probe["width"] > 1300:
        problems.append("page is %dpx wide at a 1280px window (horizontal scrolling)" %
                        probe["width"])
    return problems, probe


def main():
    if len(sys.argv) != 4:
        fail(__doc__)
    scour, src, out = sys.argv[1:]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        skip("chromium is not installed (scripts/install-deps.sh installs Debian's chromium)")
    try:
        import websocket  # noqa: F401
    except ImportError:
        skip("python3-websocket is not installed (scripts/install-deps.sh installs it)")
    os.makedirs(out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="scour_html_")
    try:
        index = os.path.join(work, "index")
        run([scour, "index", "-q", "--threads", "1", "--index", index, "--combine",
             "body=title,text", "--fields", "title,text", "--store", "none",
             os.path.join(src, "corpus/party_state.jsonl")])
        topics = os.path.join(src, "corpus/dev/topics.tsv")
        qrels = os.path.join(src, "corpus/dev/qrels.txt")
        common = [scour, "compare", "--index", index, "--topics", topics, "--qrels", qrels,
                  "--latency-passes", "2"]
        reports = []
        html1 = os.path.join(out, "compare_report.html")
        j1 = json.loads(run(common + ["--ranker", "bm25", "--ranker", "bm25tp", "--config",
                                      "bm25l:--ranker bm25l --delta 0.5", "--format", "json",
                                      "--title", "bm25 vs bm25tp vs bm25l (dev topics)",
                                      "--html", html1]))
        reports.append((html1, j1, {"delta": 2, "scatter": 2, "pareto": 1, "ci": 8}))
        html2 = os.path.join(out, "sweep_report.html")
        j2 = json.loads(run(common + ["--sweep", "k1=0.4:2.0:0.4,b=0.2:1.0:0.2", "--folds", "4",
                                      "--metrics", "ndcg_cut.10,map", "--format", "json",
                                      "--title", "k1 x b sweep (dev topics)", "--html", html2]))
        reports.append((html2, j2, {"heatmap-quality": 1, "heatmap-latency": 1, "pareto": 1}))

        profile = os.path.join(work, "profile")
        proc = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile,
             "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            port_file = os.path.join(profile, "DevToolsActivePort")
            deadline = time.time() + 60
            while not os.path.exists(port_file) or os.path.getsize(port_file) == 0:
                if proc.poll() is not None:
                    fail("chromium exited with %d before listening" % proc.returncode)
                if time.time() > deadline:
                    fail("chromium did not open its DevTools port within 60 s")
                time.sleep(0.2)
            time.sleep(0.2)
            port = int(open(port_file).read().split()[0])
            all_problems = []
            for html, rj, expect in reports:
                png = os.path.splitext(html)[0] + ".png"
                problems, probe = check_report(port, html, rj, expect, png)
                sizes = ", ".join("%s %dx%d" % (c["cls"].split()[-1], c["w"], c["h"])
                                  for c in probe["charts"] if "ci" not in c["cls"].split())
                print("%s: %d charts (%s); screenshot %s (%dx%d)" %
                      (os.path.basename(html), len(probe["charts"]), sizes, png, probe["width"],
                       probe["height"]))
                all_problems += ["%s: %s" % (os.path.basename(html), p) for p in problems]
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        if all_problems:
            fail("\n".join(all_problems))
        print("1 passed, 0 failed")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
