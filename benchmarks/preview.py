"""The live preview's latencies on this machine: prints a table (not a test; no pass/fail).

    python benchmarks/preview.py [--rounds N]

Works on a temporary copy of the project. Starts `build.py preview --locale nl`, opens the
Dutch toolkit (the largest page, 36 PDF pages) in headless Chromium and, once its PDF is
built, saves edits to locales/nl.po and to a YAML file of content/, alternately. For each
save it measures:
- save -> served HTML: until GET of the page returns the new text;
- save -> browser: until the open page shows it (the preview's own reload, no refresh);
- save -> PDF: until /pdf/<path> serves a PDF with the new text, next to that PDF's own
  render time in the worker (the goal: at most twice the render time).
Goals (issue 15): HTML <= 1 s on 2 cores; PDF <= 2 x its render time.
"""
from __future__ import annotations

import argparse
import http.client
import json
import re
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGE = "/nl/digin-d2.2-toolkit-nl.html"
PDF = "nl/digin-d2.2-toolkit-nl.pdf"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
PO_KEY = "module.allyship.title"
YAML_FILE = "content/modules/strategic-framing.yaml"   # another string than the PO edit's


def get(base: str, path: str, timeout: float = 300) -> bytes:
    host, port = base.split("//")[1].rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        connection.request("GET", path)
        return connection.getresponse().read()
    finally:
        connection.close()


def start(root: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "build.py", "preview", "--locale", "nl", "--port", "0"], cwd=root,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    ready, _, _ = select.select([process.stdout], [], [], 60)
    line = process.stdout.readline() if ready else ""
    match = re.search(r"http://\S+/", line)
    if not match:
        process.kill()
        raise SystemExit(f"the preview did not start: {line!r}")
    return process, match.group().rstrip("/")


def pdf_text(data: bytes) -> str:
    from digin.pdfpages import page_texts
    from digin.preview.where import normalized

    return "".join(normalized(text) for text in page_texts(data))


def save_po(root: Path, text: str) -> None:
    path = root / "locales" / "nl.po"
    po = path.read_text(encoding="utf-8")
    start_ = po.index(f'msgctxt "{PO_KEY}"')
    msgstr = po.index("msgstr ", start_)
    end = po.index("\n\n", msgstr)
    path.write_text(po[:msgstr] + f'msgstr "{text}"' + po[end:], encoding="utf-8")


def save_yaml(root: Path, text: str) -> None:
    """A new English title: nl.po's translation no longer applies, so the Dutch page shows it."""
    path = root / YAML_FILE
    source = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'(?m)^title: ".*"$', f'title: "{text}"', source, count=1), encoding="utf-8")


def measure(base: str, tab, root: Path, save, text: str) -> dict:
    from digin.preview.where import normalized

    served: dict[str, float] = {}

    def poll_html() -> None:
        while time.perf_counter() - started < 60:
            if text.encode() in get(base, PAGE):
                served["html"] = time.perf_counter() - started
                return
            time.sleep(0.01)

    started = time.perf_counter()
    save(root, text)
    poller = threading.Thread(target=poll_html)
    poller.start()
    tab.get_by_text(text).first.wait_for(timeout=60_000)
    browser = time.perf_counter() - started
    poller.join()
    pdf = float("nan")
    while time.perf_counter() - started < 300:
        data = get(base, "/pdf/" + PDF)      # answers once no newer build of it waits or runs
        served_at = time.perf_counter() - started
        if normalized(text) in pdf_text(data):   # (read after the clock stopped)
            pdf = served_at
            break
        time.sleep(0.05)
    render = json.loads(get(base, "/status"))["pdfs"][PDF]["seconds"]
    return {"html": served.get("html", float("nan")), "browser": browser, "pdf": pdf, "render": render}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="saves of each kind (PO, YAML)")
    rounds = parser.parse_args().rounds
    from playwright.sync_api import sync_playwright

    from digin.project import Project

    with tempfile.TemporaryDirectory(prefix="digin-bench-preview-") as folder:
        root = Project(ROOT).copy_to(Path(folder) / "project").root
        process, base = start(root)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                tab = browser.new_page()
                tab.goto(base + PAGE)
                started = time.perf_counter()
                get(base, "/pdf/" + PDF)     # the open page's PDF: the worker warms up and builds it
                print(f"first PDF (worker start-up and render): {time.perf_counter() - started:.1f} s")
                results = []
                for number in range(1, rounds + 1):
                    for kind, save in (("PO", save_po), ("YAML", save_yaml)):
                        result = measure(base, tab, root, save, f"Benchmark edit {kind} {number}")
                        results.append((kind, result))
                        print(f"{kind:4} save -> served HTML {result['html']:5.2f} s, -> browser "
                              f"{result['browser']:5.2f} s, -> PDF {result['pdf']:5.1f} s "
                              f"(render {result['render']:4.1f} s, x{result['pdf'] / result['render']:.2f})")
                browser.close()
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(30)
    print()
    for label, key in (("save -> served HTML", "html"), ("save -> browser shows it", "browser")):
        values = [r[key] for _kind, r in results]
        print(f"{label:28} best {min(values):.2f} s, median {statistics.median(values):.2f} s, "
              f"worst {max(values):.2f} s (goal <= 1 s)")
    ratios = [r["pdf"] / r["render"] for _kind, r in results]
    pdfs = [r["pdf"] for _kind, r in results]
    renders = [r["render"] for _kind, r in results]
    print(f"{'save -> PDF served':28} best {min(pdfs):.1f} s, median {statistics.median(pdfs):.1f} s; "
          f"its render {statistics.median(renders):.1f} s (median); ratio median x{statistics.median(ratios):.2f}, "
          f"worst x{max(ratios):.2f} (goal <= x2)")


if __name__ == "__main__":
    main()
